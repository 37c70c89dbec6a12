// Per-camera access: the one place that answers "may this member see this camera?". Every camera route and every
// media route (live view, events, clips) goes through requireCameraAccess. Admins see every camera.
import type { Viewer } from "../auth/viewer";
import type { Db } from "../db";
import { AppError } from "../errors";
import { can } from "../household/roles";

export async function canSeeCamera(db: Db, viewer: Pick<Viewer, "id" | "role">, cameraId: string): Promise<boolean> {
  if (can(viewer.role, "cameras:manage")) return true;
  return (await db.cameraAccess.count({ where: { cameraId, userId: viewer.id } })) > 0;
}

/** Throws not_found for an unknown camera and forbidden for one the viewer may not see. */
export async function requireCameraAccess(db: Db, viewer: Pick<Viewer, "id" | "role">, cameraId: string): Promise<void> {
  const exists = (await db.camera.count({ where: { id: cameraId } })) > 0;
  if (!exists) throw new AppError("not_found");
  if (!(await canSeeCamera(db, viewer, cameraId))) throw new AppError("forbidden");
}

/** Members and viewers (not admins, who see everything) and whether each may see the camera. */
export async function listCameraAccess(db: Db, cameraId: string) {
  if ((await db.camera.count({ where: { id: cameraId } })) === 0) throw new AppError("not_found");
  const [users, grants] = await Promise.all([
    db.user.findMany({ where: { role: { not: "admin" } }, select: { id: true, email: true, displayName: true, role: true }, orderBy: { createdAt: "asc" } }),
    db.cameraAccess.findMany({ where: { cameraId }, select: { userId: true } }),
  ]);
  const granted = new Set(grants.map((g) => g.userId));
  return users.map((u) => ({ ...u, hasAccess: granted.has(u.id) }));
}

/** Replaces who (besides admins) may see the camera. Unknown user ids are refused. */
export async function setCameraAccess(db: Db, cameraId: string, userIds: string[]) {
  const unique = [...new Set(userIds)];
  await db.$transaction(async (tx) => {
    if ((await tx.camera.count({ where: { id: cameraId } })) === 0) throw new AppError("not_found");
    if ((await tx.user.count({ where: { id: { in: unique } } })) !== unique.length) throw new AppError("validation", {}, { userIds: "invalid_value" });
    await tx.cameraAccess.deleteMany({ where: { cameraId } });
    if (unique.length) await tx.cameraAccess.createMany({ data: unique.map((userId) => ({ cameraId, userId })) });
  });
}
