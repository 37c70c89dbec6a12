// GET /api/v1/webhooks/:id/secret — the endpoint's signing secret ("Reveal secret"; the receiver needs it to verify).
// Admins and tokens with scope household:manage (lib/api/operations.ts); never cached (route() answers no-store).
import { getWebhookSecret } from "@/lib/api/operations";
import { webhookSecretSchema } from "@/lib/api/schemas";
import { db } from "@/lib/db";
import { route } from "@/lib/http/route";
import { revealWebhookSecret } from "@/lib/webhooks/endpoints";

type Params = { id: string };

export const GET = route<undefined, Params>({ access: getWebhookSecret.access }, async ({ params }) => webhookSecretSchema.parse({ secret: await revealWebhookSecret(await db(), params.id) }));
