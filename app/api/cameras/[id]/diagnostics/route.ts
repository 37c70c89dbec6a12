// GET /api/cameras/:id/diagnostics?before=<id> — the camera's diagnostics log, newest first (members with access).
import { requireCameraAccess } from "@/lib/cameras/access";
import { listDiagnostics } from "@/lib/cameras/diagnostics";
import { db } from "@/lib/db";
import { route } from "@/lib/http/route";

export const GET = route<undefined, { id: string }>({ access: { permission: "video:watch" } }, async ({ viewer, params, req }) => {
  const database = await db();
  await requireCameraAccess(database, viewer, params.id);
  const before = Number(new URL(req.url).searchParams.get("before") ?? "") || undefined;
  return listDiagnostics(database, params.id, { before });
});
