// Per-camera motion settings (stored as JSON in Camera.motionConfig): the zod schema with defaults, a parser that
// never throws (a bad field falls back to its default and is listed as a problem), and the arming rule.
import { z } from "zod";
import { isValidTimeZone } from "../time";
import { isCleanName } from "../household/identity";
import { readStoredObject } from "../stored-json";

/** Defaults, in one place so the UI can show them. Times in milliseconds. */
export const DEFAULT_SENSITIVITY = 50;
export const DEFAULT_MIN_MOTION_MS = 500;
export const DEFAULT_QUIET_MS = 5_000;
export const DEFAULT_PRE_ROLL_MS = 5_000;
export const DEFAULT_POST_ROLL_MS = 5_000;
export const DEFAULT_MAX_CLIP_MS = 20_000;

/** At most this many zones (detect + mask) and points per zone; keeps rasterizing cheap and the UI usable. */
export const MAX_ZONES = 16;
export const MIN_ZONE_POINTS = 3;
export const MAX_ZONE_POINTS = 32;
export const MAX_SCHEDULE_WINDOWS = 64;

/** 1 = least sensitive, 100 = most sensitive (see lib/motion/score.ts for what each value means). */
const sensitivitySchema = z.number().int().min(1).max(100);

/** "HH:MM", 00:00–23:59. */
const clockTimeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "expected HH:MM");

/**
 * One weekly window in the camera's local time. day: 0 = Sunday … 6 = Saturday (as Date#getDay), the day the window
 * starts. from < to: that day from `from` (inclusive) to `to` (exclusive). from ≥ to: the window crosses midnight and
 * ends at `to` on the next day (22:00–06:00); from = to is a full 24 hours. `to` may be "24:00" (end of the day).
 */
export const scheduleWindowSchema = z.object({
  day: z.number().int().min(0).max(6),
  from: clockTimeSchema,
  to: z.union([clockTimeSchema, z.literal("24:00")]),
});

/** A point in normalized frame coordinates: x from the left edge (0) to the right edge (1), y from top (0) to bottom (1). */
const pointSchema = z.tuple([z.number().min(0).max(1), z.number().min(0).max(1)]);

/**
 * A polygon on the frame (even-odd fill, may be concave). kind "detect": motion inside counts, with this zone's own
 * sensitivity; kind "mask": pixels inside never count, for any zone (a tree, a road, a TV). Disabled zones are ignored.
 */
export const motionZoneSchema = z.object({
  /** Stable id, referenced by events ("zones that fired"); unique within a camera. */
  id: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, "expected 1–40 letters, digits, - or _"),
  name: z.string().trim().max(80).refine(isCleanName, "invalid_characters").default(""),
  points: z.array(pointSchema).min(MIN_ZONE_POINTS).max(MAX_ZONE_POINTS),
  enabled: z.boolean().default(true),
  sensitivity: sensitivitySchema.default(DEFAULT_SENSITIVITY),
  kind: z.enum(["detect", "mask"]).default("detect"),
});

/** What can start a camera's events (MotionConfig.trigger). */
export const MOTION_TRIGGERS = ["nightjar", "camera", "both"] as const;
export type MotionTrigger = (typeof MOTION_TRIGGERS)[number];

const fields = {
  /** Camera-wide sensitivity: sets the per-pixel noise threshold, and the area threshold when there are no zones. */
  sensitivity: sensitivitySchema.default(DEFAULT_SENSITIVITY),
  /** Motion must last this long (ms) before an event starts; shorter blips are ignored. */
  minMotionMs: z.number().int().min(0).max(60_000).default(DEFAULT_MIN_MOTION_MS),
  /** An event ends after this long (ms) without motion. */
  quietMs: z.number().int().min(500).max(600_000).default(DEFAULT_QUIET_MS),
  /** Footage kept before the first motion (ms); bounded by what the recorder buffers. */
  preRollMs: z.number().int().min(0).max(30_000).default(DEFAULT_PRE_ROLL_MS),
  /** Footage kept after the last motion (ms). */
  postRollMs: z.number().int().min(0).max(60_000).default(DEFAULT_POST_ROLL_MS),
  /** Longest clip (ms); a longer event continues as numbered consecutive clips of the same event. */
  maxClipMs: z.number().int().min(5_000).max(600_000).default(DEFAULT_MAX_CLIP_MS),
  /** Master switch: false = no events at all, whatever the schedule. */
  armed: z.boolean().default(true),
  /**
   * What starts events: "nightjar" (the server's motion detector on the sub stream), "camera" (the camera's own motion
   * events over ONVIF: the sub stream is not decoded for motion), or "both" (either). Needs an ONVIF camera.
   */
  trigger: z.enum(MOTION_TRIGGERS).default("nightjar"),
  /** Weekly windows in which the camera is armed; empty = always (when armed). */
  schedule: z.array(scheduleWindowSchema).max(MAX_SCHEDULE_WINDOWS).default([]),
  zones: z.array(motionZoneSchema).max(MAX_ZONES).default([]),
};

/** The schema routes validate input with (strict about values; unknown keys are dropped). */
export const motionConfigSchema = z.object(fields).superRefine((c, ctx) => {
  const seen = new Set<string>();
  c.zones.forEach((zone, i) => {
    if (seen.has(zone.id)) ctx.addIssue({ code: "custom", path: ["zones", i, "id"], message: "duplicate zone id" });
    seen.add(zone.id);
  });
});

export type MotionConfig = z.output<typeof motionConfigSchema>;
export type MotionZone = z.output<typeof motionZoneSchema>;
export type ScheduleWindow = z.output<typeof scheduleWindowSchema>;
export type MotionPoint = MotionZone["points"][number];

/** A fresh copy of the defaults (callers may mutate it). */
export function defaultMotionConfig(): MotionConfig {
  return motionConfigSchema.parse({});
}

function describeIssues(prefix: string, error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join(".");
    return `${path}: ${issue.message}`;
  });
}

/**
 * Parses Camera.motionConfig. Never throws: invalid JSON or a non-object gives the defaults; otherwise each field is
 * checked on its own, so one bad value (or one bad zone or schedule window) falls back alone and the rest is kept.
 * `problems` lists what was replaced ("path: message"); empty when the stored JSON was valid.
 */
export function parseMotionConfig(json: string | null | undefined): { config: MotionConfig; problems: string[] } {
  const stored = readStoredObject(json);
  if ("problem" in stored) return { config: defaultMotionConfig(), problems: [stored.problem] };
  const raw = stored.raw;

  const whole = motionConfigSchema.safeParse(raw);
  if (whole.success) return { config: whole.data, problems: [] };

  const problems: string[] = [];
  const config = defaultMotionConfig();
  const scalarKeys = ["sensitivity", "minMotionMs", "quietMs", "preRollMs", "postRollMs", "maxClipMs", "armed", "trigger"] as const;
  for (const key of scalarKeys) {
    const r = fields[key].safeParse(raw[key]);
    if (r.success) (config as Record<string, unknown>)[key] = r.data;
    else problems.push(...describeIssues(key, r.error));
  }

  // Lists: keep the valid items, drop the others one by one.
  const listOf = <T>(key: "schedule" | "zones", item: z.ZodType<T>, max: number): T[] => {
    const value = raw[key];
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      problems.push(`${key}: expected an array`);
      return [];
    }
    const out: T[] = [];
    value.forEach((v, i) => {
      const r = item.safeParse(v);
      if (r.success) out.push(r.data);
      else problems.push(...describeIssues(`${key}.${i}`, r.error));
    });
    if (out.length > max) {
      problems.push(`${key}: more than ${max} items; the rest are ignored`);
      out.length = max;
    }
    return out;
  };
  config.schedule = listOf("schedule", scheduleWindowSchema, MAX_SCHEDULE_WINDOWS);
  const seen = new Set<string>();
  config.zones = listOf("zones", motionZoneSchema, MAX_ZONES).filter((zone) => {
    if (seen.has(zone.id)) {
      problems.push(`zones: duplicate zone id "${zone.id}"; the later one is ignored`);
      return false;
    }
    seen.add(zone.id);
    return true;
  });
  return { config, problems };
}

/** Minutes since local midnight for "HH:MM" (0–1440). */
function minutesOf(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * The local weekday (0 = Sunday) and minute of the day (0–1439) of an instant in an IANA time zone, wall-clock
 * time as the household sees it (DST included). An unknown zone falls back to UTC: validate zones where they are
 * entered (timeZoneSchema); arming must not throw inside the recorder loop.
 */
export function localWeekdayMinute(at: Date | number, timeZone: string): { day: number; minute: number } {
  let fmt = formatters.get(timeZone);
  if (!fmt) {
    // Cached per zone name (a formatter costs ~50 µs to build; the recorder asks every tick).
    const zone = isValidTimeZone(timeZone) ? timeZone : "UTC";
    fmt = new Intl.DateTimeFormat("en-US", { timeZone: zone, weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    if (formatters.size < 64) formatters.set(timeZone, fmt);
  }
  let day = 0;
  let hour = 0;
  let minute = 0;
  for (const part of fmt.formatToParts(at)) {
    if (part.type === "weekday") day = WEEKDAYS[part.value] ?? 0;
    else if (part.type === "hour") hour = Number(part.value) % 24;
    else if (part.type === "minute") minute = Number(part.value);
  }
  return { day, minute: hour * 60 + minute };
}

/** Whether a local (weekday, minute) lies in a window; see scheduleWindowSchema for the meaning of from/to. */
export function isInScheduleWindow(window: ScheduleWindow, day: number, minute: number): boolean {
  const from = minutesOf(window.from);
  const to = minutesOf(window.to);
  if (from < to) return day === window.day && minute >= from && minute < to;
  // Crosses midnight (from = to: 24 hours from `from`).
  return (day === window.day && minute >= from) || (day === (window.day + 1) % 7 && minute < to);
}

/** Whether motion may start events at `at`: armed, and inside a schedule window (or no schedule). */
export function isArmedAt(config: Pick<MotionConfig, "armed" | "schedule">, at: Date | number, timeZone: string): boolean {
  if (!config.armed) return false;
  if (config.schedule.length === 0) return true;
  const { day, minute } = localWeekdayMinute(at, timeZone);
  return config.schedule.some((w) => isInScheduleWindow(w, day, minute));
}
