// Camera visibility: the one place that answers "which cameras may this member see?" — admins see every camera (and
// the events of deleted cameras), members and viewers the cameras granted to them. Every camera, event and media
// route, the export, the data statement and My data ask here; lib/structure.test.ts fails when the rule is spelled
// anywhere else.
import type { Prisma } from "../generated/prisma/client";
import type { Db } from "../db";
import { AppError } from "../errors";
import { can, type Role } from "../household/roles";

/**
 * Who is asking: a member's id and role (a Viewer, or a user row), and the camera limit of a personal access token
 * or signed URL. A Viewer passed as is carries its token (`token.cameraIds`), so a token's limit cannot be forgotten
 * on the way here; `cameraIds` limits explicitly. Both given: both apply. A limit only narrows what the role sees.
 */
export type CameraViewer = { id: string; role: Role; cameraIds?: string[] | null; token?: { cameraIds: string[] | null } | null };

/** The cameras the viewer is limited to (intersection of the explicit and the token's limit), or null: no limit. */
export function cameraLimitOf(viewer: Pick<CameraViewer, "cameraIds" | "token">): string[] | null {
  const lists = [viewer.cameraIds, viewer.token?.cameraIds].filter((l): l is string[] => Array.isArray(l));
  if (lists.length === 0) return null;
  return [...new Set(lists[0])].filter((id) => lists.every((l) => l.includes(id)));
}

/** True for viewers who see every camera (admins without a camera limit; they also see events of deleted cameras). */
export function seesAllCameras(viewer: Pick<CameraViewer, "role" | "cameraIds" | "token">): boolean {
  return can(viewer.role, "cameras:manage") && cameraLimitOf(viewer) === null;
}

/** True for viewers who may add, change and delete cameras and decide who sees them (admins). */
export function canManageCameras(viewer: Pick<CameraViewer, "role">): boolean {
  return can(viewer.role, "cameras:manage");
}

/** The Prisma filter of the cameras the viewer may see. */
export function visibleCameraWhere(viewer: CameraViewer): Prisma.CameraWhereInput {
  const limit = cameraLimitOf(viewer);
  const byRole: Prisma.CameraWhereInput = can(viewer.role, "cameras:manage") ? {} : { access: { some: { userId: viewer.id } } };
  return limit === null ? byRole : { ...byRole, id: { in: limit } };
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
  const limit = cameraLimitOf(viewer);
  if (can(viewer.role, "cameras:manage")) return (await db.camera.findMany({ where: { id: { in: limit ?? [] } }, select: { id: true } })).map((c) => c.id);
  const granted = (await db.cameraAccess.findMany({ where: { userId: viewer.id }, select: { cameraId: true } })).map((g) => g.cameraId);
  return limit === null ? granted : granted.filter((id) => limit.includes(id));
}

/** The cameras granted to a member (what My data lists), or null for an admin (who sees all, granted nothing). */
export async function listGrantedCameras(db: Db, viewer: CameraViewer): Promise<{ id: string; name: string }[] | null> {
  if (seesAllCameras(viewer)) return null;
  const limit = cameraLimitOf(viewer);
  if (can(viewer.role, "cameras:manage")) return db.camera.findMany({ where: { id: { in: limit ?? [] } }, select: { id: true, name: true }, orderBy: { name: "asc" } });
  const granted = (await db.cameraAccess.findMany({ where: { userId: viewer.id }, select: { camera: { select: { id: true, name: true } } }, orderBy: { camera: { name: "asc" } } })).map((g) => g.camera);
  return limit === null ? granted : granted.filter((c) => limit.includes(c.id));
}

/** May the viewer see this camera? `cameraId` null: an event of a deleted camera (admins only). */
export async function canSeeCamera(db: Db, viewer: CameraViewer, cameraId: string | null): Promise<boolean> {
  if (seesAllCameras(viewer)) return true;
  if (cameraId === null) return false;
  const limit = cameraLimitOf(viewer);
  if (limit !== null && !limit.includes(cameraId)) return false;
  if (can(viewer.role, "cameras:manage")) return true;
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
