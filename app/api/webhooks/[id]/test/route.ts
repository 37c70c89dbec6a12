// POST /api/webhooks/:id/test — queue a "webhook.test" message to this endpoint (admins; token scope household:manage).
import { db } from "@/lib/db";
import { route } from "@/lib/http/route";
import { queueTestDelivery } from "@/lib/webhooks/endpoints";

type Params = { id: string };

export const POST = route<undefined, Params>({ access: { permission: "household:manage", token: "household:manage" }, successStatus: 202 }, async ({ params }) =>
  queueTestDelivery(await db(), params.id),
);
