// GET /api/notifications?before=<ISO> — the signed-in member's notification centre, newest first (session only).
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { route } from "@/lib/http/route";
import { listNotifications } from "@/lib/notifications/centre";

export const GET = route({ access: {} }, async ({ req, viewer }) => {
  const raw = new URL(req.url).searchParams.get("before");
  const before = raw ? new Date(raw) : null;
  if (before && Number.isNaN(before.getTime())) throw new AppError("validation", {}, { before: "invalid" });
  return listNotifications(await db(), viewer.id, before);
});
