// DELETE /api/account/push/subscriptions/:id — stop push to one of my devices (another member's: 404). Session only.
import { db } from "@/lib/db";
import { route } from "@/lib/http/route";
import { removePushDevice } from "@/lib/push/subscriptions";

export const DELETE = route<undefined, { id: string }>({ access: {} }, async ({ viewer, params }) => {
  await removePushDevice(await db(), viewer.id, params.id);
  return { ok: true };
});
