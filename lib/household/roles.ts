// Roles and what each may do. The one table of permissions; `can` answers, `requirePermission` throws.
import { AppError } from "../errors";

export const ROLES = ["admin", "member", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/**
 * admin  — everything: household members and invites, cameras, settings, storage and expiry, every camera's video,
 *          deleting a camera's events in a time range, household activity.
 * member — watches live and recorded video of the cameras granted to them; protects and deletes those events, and
 *          marks a detection on them as wrong (or takes that back); steers those cameras that can pan, tilt or zoom;
 *          asks for timelapses of those cameras and deletes them.
 * viewer — watches live and recorded video of the cameras granted to them and downloads clips; changes nothing.
 * Every role manages its own profile, exports its own data and can delete its own account.
 */
export const PERMISSIONS = {
  "household:manage": ["admin"],
  "cameras:manage": ["admin"],
  "settings:manage": ["admin"],
  "activity:household": ["admin"],
  "video:watch": ["admin", "member", "viewer"],
  "events:download": ["admin", "member", "viewer"],
  "events:protect": ["admin", "member"],
  "events:delete": ["admin", "member"],
  "events:delete-range": ["admin"],
  "storage:view": ["admin"],
  /** Switch the household mode (Home, Away, Night…); viewers only see it. Editing modes is settings:manage. */
  "modes:switch": ["admin", "member"],
  /** Mark an event's detection as wrong ("this is not a cat") and take it back; the camera's recorder then suppresses it. */
  "detections:correct": ["admin", "member"],
  /** Steer a PTZ camera (moves, zoom, go to a saved position) and save, rename or delete its positions. Never viewers. */
  "ptz:control": ["admin", "member"],
  /** Ask for a timelapse of a time range of a camera they see (encoded by the scheduler). Never viewers: it costs CPU. */
  "timelapse:make": ["admin", "member"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

export function requirePermission(role: Role, permission: Permission): void {
  if (!can(role, permission)) throw new AppError("forbidden");
}

export type MemberState = { id: string; role: Role; isDisabled: boolean };
export type MemberChange = { id: string; role?: Role; isDisabled?: boolean; removed?: boolean };

/** True when applying `change` would leave the household without an enabled admin. */
export function wouldLeaveNoAdmin(members: MemberState[], change: MemberChange): boolean {
  const after = members
    .filter((m) => !(m.id === change.id && change.removed))
    .map((m) => (m.id === change.id ? { ...m, role: change.role ?? m.role, isDisabled: change.isDisabled ?? m.isDisabled } : m));
  return !after.some((m) => m.role === "admin" && !m.isDisabled);
}
