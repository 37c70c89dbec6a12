// GET /api/account/notifications/log — my delivery log (newest 100 rows).
import { db } from "@/lib/db";
import { route } from "@/lib/http/route";
import { listDeliveries } from "@/lib/notifications/centre";

export const GET = route({ access: {} }, async ({ viewer }) => ({ deliveries: await listDeliveries(await db(), viewer.id) }));
