// GET /api/v1/webhooks/:id/deliveries[?before=<ISO instant>] — the endpoint's delivery log, newest first, kept 7 days
// (lib/api/operations.ts; admins, token scope household:manage).
import { listWebhookDeliveriesOp } from "@/lib/api/operations";
import { readQuery } from "@/lib/api/request";
import { deliveriesQuery, webhookDeliveriesSchema } from "@/lib/api/schemas";
import { db } from "@/lib/db";
import { route } from "@/lib/http/route";
import { listWebhookDeliveries } from "@/lib/webhooks/endpoints";

type Params = { id: string };

export const GET = route<undefined, Params>({ access: listWebhookDeliveriesOp.access }, async ({ req, params }) => {
  const { before } = readQuery(req, deliveriesQuery);
  return webhookDeliveriesSchema.parse({ deliveries: await listWebhookDeliveries(await db(), params.id, { before: before ? new Date(before) : undefined }) });
});
