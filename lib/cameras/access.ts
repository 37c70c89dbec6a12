// Camera visibility: the one place that answers "which cameras may this member see?" — admins see every camera (and
// the events of deleted cameras), members and viewers the cameras granted to them. Every camera, event and media
// route, the export, the data statement and My data ask here; lib/structure.test.ts fails when the rule is spelled
// anywhere else.
import type { Prisma } from "../generated/prisma/client";
import type { Db } from "../db";
import { AppError } from "../errors";
import { can, type Role } from "../household/roles";

/** Who is asking: a member's id and role (a Viewer, or a user row). */
export type CameraViewer = { id: string; role: Role };

/** True for viewers who see every camera (admins). */
export function seesAllCameras(viewer: Pick<CameraViewer, "role">): boolean {
  return can(viewer.role, "cameras:manage");
}

/** True for viewers who may add, change and delete cameras and decide who sees them (admins). */
export function canManageCameras(viewer: Pick<CameraViewer, "role">): boolean {
  return can(viewer.role, "cameras:manage");
}

/** The Prisma filter of the cameras the viewer may see. */
export function visibleCameraWhere(viewer: CameraViewer): Prisma.CameraWhereInput {
  return seesAllCameras(viewer) ? {} : { access: { some: { userId: viewer.id } } };
}

/** One order for camera lists everywhere: by name, then the older camera first, then by id (no ties). */
export const CAMERA_ORDER: Prisma.CameraOrderByWithRelationInput[] = [{ name: "asc" }, { createdAt: "asc" }, { id: "asc" }];

/** The cameras the viewer may see, by name. */
export async function listVisibleCameras(db: Db, viewer: CameraViewer): Promise<{ id: string; name: string }[]> {
  return db.camera.findMany({ where: visibleCameraWhere(viewer), select: { id: true, name: true }, orderBy: CAMERA_ORDER });
}

/** The ids of the cameras granted to a member or viewer (an admin sees all: "all"). */
export async function visibleCameraIds(db: Db, viewer: CameraViewer): Promise<"all" | string[]> {
  if (seesAllCameras(viewer)) return "all";
  return (await db.cameraAccess.findMany({ where: { userId: viewer.id }, select: { cameraId: true } })).map((g) => g.cameraId);
}

/** The cameras granted to a member (what My data lists), or null for an admin (who sees all, granted nothing). */
export async function listGrantedCameras(db: Db, viewer: CameraViewer): Promise<{ id: string; name: string }[] | null> {
  if (seesAllCameras(viewer)) return null;
  return (await db.cameraAccess.findMany({ where: { userId: viewer.id }, select: { camera: { select: { id: true, name: true } } }, orderBy: { camera: { name: "asc" } } })).map((g) => g.camera);
}

/** May the viewer see this camera? `cameraId` null: an event of a deleted camera (admins only). */
export async function canSeeCamera(db: Db, viewer: CameraViewer, cameraId: string | null): Promise<boolean> {
  if (seesAllCameras(viewer)) return true;
  if (cameraId === null) return false;
  return (await db.cameraAccess.count({ where: { cameraId, userId: viewer.id } })) > 0;
}

/** Throws not_found for an unknown camera and forbidden for one the viewer may not see. */
export async function requireCameraAccess(db: Db, viewer: CameraViewer, cameraId: string): Promise<void> {
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
