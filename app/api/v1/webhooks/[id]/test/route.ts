// POST /api/v1/webhooks/:id/test — queue a "webhook.test" message to this endpoint (lib/api/operations.ts; admins,
// token scope household:manage).
import { testWebhook } from "@/lib/api/operations";
import { webhookTestSchema } from "@/lib/api/schemas";
import { db } from "@/lib/db";
import { route } from "@/lib/http/route";
import { queueTestDelivery } from "@/lib/webhooks/endpoints";

type Params = { id: string };

export const POST = route<undefined, Params>({ access: testWebhook.access, successStatus: 202 }, async ({ params }) => webhookTestSchema.parse(await queueTestDelivery(await db(), params.id)));
