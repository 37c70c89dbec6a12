// GET /api/webhooks/:id/deliveries — the endpoint's delivery log, newest first (?before=<ISO time> for older rows;
// admins; token scope household:manage). Kept 7 days.
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { route } from "@/lib/http/route";
import { listWebhookDeliveries } from "@/lib/webhooks/endpoints";

type Params = { id: string };

export const GET = route<undefined, Params>({ access: { permission: "household:manage", token: "household:manage" } }, async ({ req, params }) => {
  const before = new URL(req.url).searchParams.get("before");
  const at = before ? new Date(before) : undefined;
  if (at && Number.isNaN(at.getTime())) throw new AppError("validation", {}, { before: "invalid" });
  return { deliveries: await listWebhookDeliveries(await db(), params.id, { before: at }) };
});
