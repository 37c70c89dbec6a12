// POST /api/webhooks/:id/rotate-secret — a new signing secret, returned once (admins; token scope household:manage).
// Every attempt from now on, retries included, is signed with it.
import { db } from "@/lib/db";
import { route } from "@/lib/http/route";
import { rotateWebhookSecret } from "@/lib/webhooks/endpoints";

type Params = { id: string };

export const POST = route<undefined, Params>(
  { access: { permission: "household:manage", token: "household:manage" }, activity: ({ params }) => ({ action: "webhook.changed", targetId: params.id, data: { changed: ["secret"] } }) },
  async ({ params }) => ({ secret: await rotateWebhookSecret(await db(), params.id) }),
);
