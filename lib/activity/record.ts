// The activity log's one writer. route() records an action after its handler succeeded when the route declares
// `activity` (lib/http/route.ts); sign-in records itself in lib/auth. Records hold ids only (no names, no e-mails), so
// deleting an account (deleteActivityOf) removes every trace of it: as actor and as subject.
import type { Db } from "../db";
import { logger } from "../log";

const log = logger("activity");

/** Dotted action names. Add new ones here (the data statement and the activity page list them). */
export const ACTIVITY_ACTIONS = [
  "auth.sign_in",
  "auth.sign_out_everywhere",
  "account.profile_changed",
  "account.email_changed",
  "account.password_changed",
  "account.deleted",
  "member.invited",
  "member.changed",
  "member.removed",
  "camera.added",
  "camera.changed",
  "camera.deleted",
  "camera.privacy_mode",
  "camera.armed",
  "camera.disarmed",
  "camera.motion_changed",
  "zone.changed",
  "camera.detection_changed",
  "detection.marked_wrong",
  "detection.unmarked_wrong",
  "live.view",
  "camera.snapshot",
  "clip.play",
  "clip.download",
  "event.download",
  "event.protect",
  "event.unprotect",
  "event.delete",
  "events.delete_range",
  "export.create",
  "export.download",
  "settings.changed",
  "household.reset",
  "webhook.created",
  "webhook.changed",
  "webhook.deleted",
  "token.created",
  "token.revoked",
  "mode.switch",
  "mode.created",
  "mode.changed",
  "mode.deleted",
  "ptz.move",
  "ptz.goto_preset",
  "ptz.preset_saved",
  "ptz.preset_renamed",
  "ptz.preset_deleted",
  "ptz.settings_changed",
  "ptz.returned_home",
  "camera.timelapse_changed",
  "timelapse.request",
  "timelapse.play",
  "timelapse.download",
  "timelapse.delete",
] as const;
export type ActivityAction = (typeof ACTIVITY_ACTIONS)[number];

export type ActivityEntry = {
  action: ActivityAction;
  /** The member who acted; null = Nightjar itself. */
  actorId: string | null;
  /** The account the action was about, when it is another member's. */
  subjectId?: string | null;
  cameraId?: string | null;
  /** Event, clip, member or export id. */
  targetId?: string | null;
  /** Small JSON details: never secrets, names or e-mails. */
  data?: Record<string, unknown>;
};

/**
 * Some actions repeat many times a minute while a person does one thing (a live view polls its playlist every
 * second; a player fetches a clip or a timelapse in many range requests; steering a camera is many moves and stops). These are recorded once per actor, action and target
 * within this window, ms.
 */
export const DEDUPE_MS: Partial<Record<ActivityAction, number>> = { "live.view": 10 * 60_000, "camera.snapshot": 10 * 60_000, "clip.play": 10 * 60_000, "timelapse.play": 10 * 60_000, "ptz.move": 60_000 };
const recent = new Map<string, number>();

/** Writes one record. Never throws: a failed log write is logged and does not fail the user's request. */
export async function recordActivity(db: Db, entry: ActivityEntry, now = Date.now()): Promise<void> {
  const window = DEDUPE_MS[entry.action];
  if (window) {
    const key = `${entry.actorId}|${entry.action}|${entry.cameraId ?? ""}|${entry.targetId ?? ""}`;
    const last = recent.get(key);
    if (last !== undefined && now - last < window) return;
    recent.set(key, now);
    if (recent.size > 10_000) for (const [k, at] of recent) if (now - at >= window) recent.delete(k);
  }
  const actorId = entry.actorId;
  const subjectId = entry.subjectId ?? null;
  try {
    // One statement that writes nothing when the actor or subject no longer exists: a request that was under way
    // while its account was deleted must not put the deleted id back into the log.
    await db.$executeRaw`INSERT INTO "Activity" ("at", "actorId", "subjectId", "action", "cameraId", "targetId", "data")
      SELECT ${new Date(now)}, ${actorId}, ${subjectId}, ${entry.action}, ${entry.cameraId ?? null}, ${entry.targetId ?? null}, ${JSON.stringify(entry.data ?? {})}
      WHERE (${actorId} IS NULL OR EXISTS (SELECT 1 FROM "User" WHERE "id" = ${actorId}))
        AND (${subjectId} IS NULL OR EXISTS (SELECT 1 FROM "User" WHERE "id" = ${subjectId}))`;
  } catch (err) {
    log.error("activity not recorded", { action: entry.action, error: String(err) });
  }
}

/** Forgets the dedupe memory (tests). */
export function resetActivityDedupe() {
  recent.clear();
}

/** Forgets one member's dedupe entries (their account was deleted: no id of theirs stays, even in memory). */
export function forgetActivityOf(userId: string) {
  for (const key of recent.keys()) if (key.startsWith(`${userId}|`)) recent.delete(key);
}

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/**
 * Inside the account-deletion transaction: every record where the member is the actor, the subject or the target.
 * Returns how many were deleted.
 */
export async function deleteActivityOf(tx: Tx, userId: string): Promise<number> {
  const res = await tx.activity.deleteMany({ where: { OR: [{ actorId: userId }, { subjectId: userId }, { targetId: userId }] } });
  return res.count;
}
