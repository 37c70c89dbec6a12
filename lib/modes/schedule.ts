// Mode schedules: the rules for a schedule entry ("on these weekdays at HH:MM, switch to this mode", in the household's
// time zone — the server's, as for motion schedules) and the pure decision the scheduler's minute job takes: which
// mode is due now, given when it last looked and when the mode last changed. Pure (time maths through lib/time.ts).
import { z } from "zod";
import { addDays, dayOf, zonedTimeToInstant } from "../time";

/** Schedule entries per mode, at most. */
export const MAX_SCHEDULE_ENTRIES = 20;

/**
 * One entry: on each of `days` (0 = Sunday … 6 = Saturday, as Date#getDay) at the wall-clock time `at` ("HH:MM",
 * 24 h) in the household's zone. A time skipped by a DST change (02:30 on a 02:00→03:00 night) fires as far after the
 * jump as it was after the last valid time (03:30); a repeated one (clocks turned back) fires once, at the first.
 */
export const scheduleEntrySchema = z.object({
  days: z
    .array(z.number().int().min(0).max(6))
    .min(1, "schedule_no_days")
    .max(7)
    .refine((d) => new Set(d).size === d.length, "schedule_duplicate_days")
    .transform((d) => [...d].sort((a, b) => a - b)),
  at: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "schedule_time"),
});
export type ScheduleEntry = z.output<typeof scheduleEntrySchema>;

export const scheduleSchema = z.array(scheduleEntrySchema).max(MAX_SCHEDULE_ENTRIES);

/** A stored schedule (JSON text) as entries; malformed entries are dropped one by one (the rest still run). */
export function parseSchedule(text: string): ScheduleEntry[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return [];
  }
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((e) => {
    const parsed = scheduleEntrySchema.safeParse(e);
    return parsed.success ? [parsed.data] : [];
  });
}

/** Weekday (0 = Sunday) of a calendar day "YYYY-MM-DD". */
function weekdayOf(day: string): number {
  return new Date(`${day}T00:00:00Z`).getUTCDay();
}

/** Every instant an entry fires in (from, to], in `timeZone`, oldest first. */
export function firingsBetween(entry: ScheduleEntry, from: Date, to: Date, timeZone: string): Date[] {
  if (to.getTime() <= from.getTime()) return [];
  const [hour, minute] = entry.at.split(":").map(Number);
  const out: Date[] = [];
  // One day either side: a firing on the local day before `from` can fall after it (a skipped time moved forward).
  const last = addDays(dayOf(to, timeZone), 1);
  for (let day = addDays(dayOf(from, timeZone), -1); day <= last; day = addDays(day, 1)) {
    if (!entry.days.includes(weekdayOf(day))) continue;
    const [year, month, d] = day.split("-").map(Number);
    const at = zonedTimeToInstant({ year, month, day: d, hour, minute }, timeZone);
    if (at.getTime() > from.getTime() && at.getTime() <= to.getTime()) out.push(at);
  }
  return out;
}

export type ScheduledMode = { id: string; schedule: ScheduleEntry[] };

/** The latest firing of any mode's schedule in (from, to]: the mode and when; null when none fired. */
export function latestFiring(modes: ScheduledMode[], from: Date, to: Date, timeZone: string): { modeId: string; at: Date } | null {
  let best: { modeId: string; at: Date } | null = null;
  for (const mode of modes) {
    for (const entry of mode.schedule) {
      for (const at of firingsBetween(entry, from, to, timeZone)) if (!best || at.getTime() > best.at.getTime()) best = { modeId: mode.id, at };
    }
  }
  return best;
}

export type DueInput = {
  modes: ScheduledMode[];
  timeZone: string;
  /** The previous check (exclusive): only firings after it count, so a schedule added or changed later never fires for a time already past. */
  lastCheckAt: Date;
  /** Now (inclusive). */
  now: Date;
  /** The mode in force and when it last changed (any way: UI, API, MQTT, schedule); null = never switched. */
  activeModeId: string;
  lastSwitchAt: Date | null;
};

/**
 * Which mode the schedule switches to now, or null. The latest firing in (lastCheckAt, now] wins; nothing happens
 * when the mode changed at or after that firing (a manual switch made after the scheduled time stands) or when the
 * mode due is already in force.
 */
export function dueMode(input: DueInput): { modeId: string; at: Date } | null {
  const fired = latestFiring(input.modes, input.lastCheckAt, input.now, input.timeZone);
  if (!fired) return null;
  if (input.lastSwitchAt && input.lastSwitchAt.getTime() >= fired.at.getTime()) return null;
  if (fired.modeId === input.activeModeId) return null;
  return fired;
}
