// A member's notification preferences (NotificationPrefs.prefs): the schema with its defaults, reading and writing
// them. Absent or unreadable fields take the defaults: in the app for every camera the member sees, push and e-mail
// off. Cameras are limited to those the member sees (lib/cameras/access.ts) when saved and again at every fact.
import { z } from "zod";
import type { Db } from "../db";
import { AppError } from "../errors";
import { listVisibleCameras, type CameraViewer } from "../cameras/access";

/**
 * The labels a member can choose: "motion" matches every event (any motion); the object detector's groups match an
 * event on which it saw one of their labels (an event's labels carry its detected labels and their groups).
 */
export const NOTIFICATION_LABELS = ["motion", "person", "animal", "vehicle"] as const;
/** The label every event has: any motion. */
export const ANY_MOTION_LABEL = "motion";
/** Default cool-down per camera, seconds: a second event of the same camera within it is not pushed or e-mailed. */
export const DEFAULT_COOLDOWN_SECONDS = 60;
/** The longest cool-down a member can choose, seconds (24 h). */
export const MAX_COOLDOWN_SECONDS = 86_400;

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "time");
const idList = z.array(z.string().min(1).max(100)).max(500);

export const notificationPrefsSchema = z.object({
  /** Cameras to be told about; null = every camera the member sees (also cameras added later). */
  cameraIds: idList.nullable().default(null),
  /** Labels to be told about; null = any. An event matches when it carries one of them. */
  labels: z.array(z.string().min(1).max(40)).max(50).nullable().default(null),
  /** Household modes in which to be told (HouseholdMode ids); null = in every mode. */
  modeIds: idList.nullable().default(null),
  /** Quiet hours in the member's time zone (from ≤ t < to, over midnight when from > to; from = to: none). */
  quietHours: z.object({ from: hhmm, to: hhmm }).nullable().default(null),
  /** Seconds after an event of a camera in which the next event of that camera is not pushed or e-mailed (0 = off). */
  cooldownSeconds: z.number().int().min(0).max(MAX_COOLDOWN_SECONDS).default(DEFAULT_COOLDOWN_SECONDS),
  channels: z
    .object({ inApp: z.boolean().default(true), push: z.boolean().default(false), email: z.boolean().default(false) })
    .default({ inApp: true, push: false, email: false }),
  /** Attach the event photo to the e-mail (the e-mail then goes when the event ends, when the photo exists). */
  emailPhoto: z.boolean().default(false),
  /** Put a small thumbnail into the push message (it then passes through the browser maker's push service). */
  pushThumbnail: z.boolean().default(false),
});
export type NotificationPrefs = z.output<typeof notificationPrefsSchema>;

export const DEFAULT_PREFS: NotificationPrefs = notificationPrefsSchema.parse({});

/** Reads a stored prefs JSON; anything unreadable falls back field by field to the defaults. */
export function parsePrefs(json: string | null | undefined): NotificationPrefs {
  let raw: unknown = {};
  try {
    raw = json ? JSON.parse(json) : {};
  } catch {
    raw = {};
  }
  const full = notificationPrefsSchema.safeParse(raw);
  if (full.success) return full.data;
  // Keep what is valid: check each field alone.
  const out: Record<string, unknown> = { ...DEFAULT_PREFS };
  const obj = (raw && typeof raw === "object" ? raw : {}) as Record<string, unknown>;
  for (const key of Object.keys(notificationPrefsSchema.shape) as (keyof NotificationPrefs)[]) {
    const one = notificationPrefsSchema.shape[key].safeParse(obj[key]);
    if (one.success) out[key] = one.data;
  }
  return out as NotificationPrefs;
}

/** The member's prefs (defaults when none are stored). */
export async function getNotificationPrefs(db: Db, userId: string): Promise<NotificationPrefs> {
  const row = await db.notificationPrefs.findUnique({ where: { userId } });
  return parsePrefs(row?.prefs);
}

/**
 * Saves the member's prefs. Cameras the member does not see are refused (field error on cameraIds); unknown modes
 * likewise. Returns the stored prefs.
 */
export async function saveNotificationPrefs(db: Db, viewer: CameraViewer, input: NotificationPrefs): Promise<NotificationPrefs> {
  const prefs = notificationPrefsSchema.parse(input);
  if (prefs.cameraIds) {
    const visible = new Set((await listVisibleCameras(db, viewer)).map((c) => c.id));
    if (prefs.cameraIds.some((id) => !visible.has(id))) throw new AppError("validation", {}, { cameraIds: "invalid" });
    prefs.cameraIds = [...new Set(prefs.cameraIds)];
  }
  if (prefs.modeIds) {
    const modes = new Set((await db.householdMode.findMany({ select: { id: true } })).map((m) => m.id));
    if (prefs.modeIds.some((id) => !modes.has(id))) throw new AppError("validation", {}, { modeIds: "invalid" });
    prefs.modeIds = [...new Set(prefs.modeIds)];
  }
  if (prefs.labels) prefs.labels = [...new Set(prefs.labels)];
  const json = JSON.stringify(prefs);
  await db.notificationPrefs.upsert({ where: { userId: viewer.id }, create: { userId: viewer.id, prefs: json }, update: { prefs: json } });
  return prefs;
}
