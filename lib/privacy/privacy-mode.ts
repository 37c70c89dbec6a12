// Privacy mode of a camera: no recording and no live view until it is turned off. The recorder pool stops the
// camera's recorder within its poll interval (the row's updatedAt changes); the live routes refuse with privacy_mode.
// Who may switch it is a household setting: admins always; members too when Household.privacyModeRole is "member",
// for the cameras they may see; viewers never.
import type { Viewer } from "../auth/viewer";
import { canSeeCamera } from "../cameras/access";
import { emitCameraChanged } from "../cameras/camera-changed";
import type { Db } from "../db";
import { AppError } from "../errors";
import type { Role } from "../household/roles";

export const PRIVACY_MODE_ROLES = ["admin", "member"] as const;
export type PrivacyModeRole = (typeof PRIVACY_MODE_ROLES)[number];

export function isPrivacyModeRole(v: unknown): v is PrivacyModeRole {
  return typeof v === "string" && (PRIVACY_MODE_ROLES as readonly string[]).includes(v);
}

/** The rule (pure): may a member of `role`, who can see the camera or not, switch its privacy mode? */
export function maySwitchPrivacyMode(role: Role, setting: string, seesCamera: boolean): boolean {
  if (role === "admin") return true;
  if (role === "member") return setting === "member" && seesCamera;
  return false;
}

export async function householdPrivacyModeRole(db: Db): Promise<PrivacyModeRole> {
  const h = await db.household.findUnique({ where: { id: 1 }, select: { privacyModeRole: true } });
  return isPrivacyModeRole(h?.privacyModeRole) ? h.privacyModeRole : "admin";
}

/** Whether this viewer may switch the camera's privacy mode (for showing the switch). */
export async function canSwitchPrivacyMode(db: Db, viewer: Pick<Viewer, "id" | "role">, cameraId: string): Promise<boolean> {
  return maySwitchPrivacyMode(viewer.role, await householdPrivacyModeRole(db), await canSeeCamera(db, viewer, cameraId));
}

/**
 * Turns privacy mode on or off. Unknown cameras and cameras the viewer may not see are not_found / forbidden (the
 * same answers as every camera route); seeing it without the right to switch is forbidden.
 */
export async function setPrivacyMode(db: Db, viewer: Pick<Viewer, "id" | "role">, cameraId: string, enabled: boolean) {
  const camera = await db.camera.findUnique({ where: { id: cameraId }, select: { id: true } });
  if (!camera) throw new AppError("not_found");
  const sees = await canSeeCamera(db, viewer, cameraId);
  if (!sees) throw new AppError("forbidden");
  if (!maySwitchPrivacyMode(viewer.role, await householdPrivacyModeRole(db), sees)) throw new AppError("forbidden");
  const updated = await db.camera.update({ where: { id: cameraId }, data: { privacyMode: enabled }, select: { id: true, privacyMode: true } });
  await emitCameraChanged(db, cameraId, { privacyMode: updated.privacyMode });
  return updated;
}
