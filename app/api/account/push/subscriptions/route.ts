// GET /api/account/push/subscriptions — my devices that receive push. POST — subscribe this browser: the body is
// PushSubscription.toJSON() ({ endpoint, keys: { p256dh, auth } }); https endpoints of a host name only, keys checked
// (lib/push/subscriptions.ts). Session only.
import { db } from "@/lib/db";
import { route } from "@/lib/http/route";
import { addPushSubscription, listPushDevices, pushSubscriptionBody } from "@/lib/push/subscriptions";

export const GET = route({ access: {} }, async ({ viewer }) => ({ devices: await listPushDevices(await db(), viewer.id) }));

export const POST = route({ access: {}, body: pushSubscriptionBody, successStatus: 201 }, async ({ req, viewer, body }) => ({
  device: await addPushSubscription(await db(), viewer.id, body, { userAgent: req.headers.get("user-agent") }),
}));
