// POST /api/v1/webhooks/:id/rotate-secret — a new signing secret, returned once (lib/api/operations.ts; admins, token
// scope household:manage). Every attempt from now on, retries included, is signed with it.
import { rotateWebhookSecretOp } from "@/lib/api/operations";
import { webhookSecretSchema } from "@/lib/api/schemas";
import { db } from "@/lib/db";
import { route } from "@/lib/http/route";
import { rotateWebhookSecret } from "@/lib/webhooks/endpoints";

type Params = { id: string };

export const POST = route<undefined, Params>(
  { access: rotateWebhookSecretOp.access, activity: ({ params }) => ({ action: "webhook.changed", targetId: params.id, data: { changed: ["secret"] } }) },
  async ({ params }) => webhookSecretSchema.parse({ secret: await rotateWebhookSecret(await db(), params.id) }),
);
