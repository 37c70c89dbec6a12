// Time maths, the one owner: DAY_MS, calendar days and wall-clock times in a member's IANA time zone (without a date
// library: the day boundaries of the timeline and the date filters, local "YYYY-MM-DDTHH:mm" inputs, the stamp in
// download names), time-zone validation and the server's zone. Pure (Intl only), so client components use it too.
// A day is [start, next day's start): 23 or 25 hours on DST change days.

/** One day of 24 hours, ms (a calendar day in a zone can be 23 or 25 hours: use dayStart/addDays for those). */
export const DAY_MS = 86_400_000;

/** True for an IANA time zone this runtime knows ("Europe/Amsterdam", "UTC"). */
export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** The server's zone, resolved once per TZ value (resolving builds an Intl formatter: ~0.1 ms, per notification it adds up). */
let serverZone: { tz: string | undefined; zone: string } | null = null;

/** The zone times are shown in when the member chose none: the server's (follows a change of process.env.TZ). */
export function serverTimeZone(): string {
  const tz = typeof process === "undefined" ? undefined : process.env?.TZ;
  if (!serverZone || serverZone.tz !== tz) serverZone = { tz, zone: Intl.DateTimeFormat().resolvedOptions().timeZone };
  return serverZone.zone;
}

/** "YYYY-MM-DD" */
export type Day = string;

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCAL_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

const formatters = new Map<string, Intl.DateTimeFormat>();
function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock fields of an instant in a zone. */
export function zonedParts(instant: Date | number, timeZone: string): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const out: Record<string, number> = {};
  for (const p of partsFormatter(timeZone).formatToParts(new Date(instant))) if (p.type !== "literal") out[p.type] = Number(p.value);
  return { year: out.year, month: out.month, day: out.day, hour: out.hour === 24 ? 0 : out.hour, minute: out.minute, second: out.second };
}

/** The zone's offset from UTC at an instant, ms (positive east of Greenwich). */
export function zoneOffsetMs(instant: Date | number, timeZone: string): number {
  const ms = new Date(instant).getTime();
  const p = zonedParts(ms, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - (ms - (((ms % 1000) + 1000) % 1000));
}

/**
 * The instant a wall-clock time has in a zone. A repeated time (clocks turned back) gives the earlier of its two
 * instants; a skipped one (clocks turned forward) is read with the offset before the jump, so it lands as far after
 * the jump as it was after the last valid time (02:30 on a 02:00→03:00 night gives 03:30).
 */
export function zonedTimeToInstant(fields: { year: number; month: number; day: number; hour?: number; minute?: number; second?: number }, timeZone: string): Date {
  const asUtc = Date.UTC(fields.year, fields.month - 1, fields.day, fields.hour ?? 0, fields.minute ?? 0, fields.second ?? 0);
  // Offsets a day before and after bracket any change (zones change at most once a day); both readings are tried.
  const before = asUtc - zoneOffsetMs(asUtc - DAY_MS, timeZone);
  const after = asUtc - zoneOffsetMs(asUtc + DAY_MS, timeZone);
  const matches = [before, after].filter((c) => {
    const p = zonedParts(c, timeZone);
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) === asUtc;
  });
  return new Date(matches.length ? Math.min(...matches) : before);
}

/** True for a real calendar day "YYYY-MM-DD" (no 2026-02-30), years 1970–9999. */
export function isDay(value: string): boolean {
  const m = DAY_RE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return y >= 1970 && t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

function dayFields(day: Day): { year: number; month: number; day: number } {
  const m = DAY_RE.exec(day);
  if (!m || !isDay(day)) throw new RangeError(`not a day: ${day}`);
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
}

/** The calendar day n days after (or before) `day`. */
export function addDays(day: Day, n: number): Day {
  const f = dayFields(day);
  return new Date(Date.UTC(f.year, f.month - 1, f.day + n)).toISOString().slice(0, 10);
}

/** Start of a day in a zone. */
export function dayStart(day: Day, timeZone: string): Date {
  return zonedTimeToInstant(dayFields(day), timeZone);
}

/** [from, to) of a day in a zone, as instants. */
export function dayRange(day: Day, timeZone: string): { from: Date; to: Date } {
  return { from: dayStart(day, timeZone), to: dayStart(addDays(day, 1), timeZone) };
}

/** The calendar day an instant falls on in a zone. */
export function dayOf(instant: Date | number, timeZone: string): Day {
  const p = zonedParts(instant, timeZone);
  return `${String(p.year).padStart(4, "0")}-${String(p.month).padStart(2, "0")}-${String(p.day).padStart(2, "0")}`;
}

/** A local date-time input value "YYYY-MM-DDTHH:mm[:ss]" in a zone as an instant; null when malformed. */
export function parseLocalDateTime(value: string, timeZone: string): Date | null {
  const m = LOCAL_RE.exec(value);
  if (!m || !isDay(`${m[1]}-${m[2]}-${m[3]}`)) return null;
  const [hour, minute, second] = [Number(m[4]), Number(m[5]), Number(m[6] ?? 0)];
  if (hour > 23 || minute > 59 || second > 59) return null;
  return zonedTimeToInstant({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), hour, minute, second }, timeZone);
}

/**
 * A local date-time input value "YYYY-MM-DDTHH:mm[:ss]" read strictly in a zone, for inputs where a DST change must
 * not be guessed silently: "exact" (one instant), "skipped" (the clocks jumped over it: no such time; `offsetsMs` are
 * the zone's offsets before and after the jump), "repeated" (the clocks went back: it happened twice; `instants` the
 * earlier then the later, `offsetsMs` their offsets), "invalid" (malformed). Offsets in ms, positive east of Greenwich.
 */
export type LocalDateTimeReading =
  | { kind: "invalid" }
  | { kind: "exact"; instant: Date }
  | { kind: "skipped"; offsetsMs: [number, number] }
  | { kind: "repeated"; instants: [Date, Date]; offsetsMs: [number, number] };

export function readLocalDateTime(value: string, timeZone: string): LocalDateTimeReading {
  const m = LOCAL_RE.exec(value);
  if (!m || !isDay(`${m[1]}-${m[2]}-${m[3]}`)) return { kind: "invalid" };
  const [hour, minute, second] = [Number(m[4]), Number(m[5]), Number(m[6] ?? 0)];
  if (hour > 23 || minute > 59 || second > 59) return { kind: "invalid" };
  const asUtc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), hour, minute, second);
  // As in zonedTimeToInstant: the offsets a day before and after bracket any change; each reading that maps back counts.
  const offsets = [zoneOffsetMs(asUtc - DAY_MS, timeZone), zoneOffsetMs(asUtc + DAY_MS, timeZone)];
  const found = [...new Set(offsets.map((o) => asUtc - o))]
    .filter((c) => {
      const p = zonedParts(c, timeZone);
      return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) === asUtc;
    })
    .sort((a, b) => a - b);
  if (found.length === 0) return { kind: "skipped", offsetsMs: [offsets[0], offsets[1]] };
  if (found.length === 1) return { kind: "exact", instant: new Date(found[0]) };
  return { kind: "repeated", instants: [new Date(found[0]), new Date(found[1])], offsetsMs: [asUtc - found[0], asUtc - found[1]] };
}

/** "UTC+02:00", "UTC−03:30", "UTC" for an offset in ms (as zoneOffsetMs gives it). */
export function formatUtcOffset(offsetMs: number): string {
  if (offsetMs === 0) return "UTC";
  const minutes = Math.round(Math.abs(offsetMs) / 60_000);
  return `UTC${offsetMs < 0 ? "\u2212" : "+"}${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

/** An instant as a local date-time input value "YYYY-MM-DDTHH:mm" in a zone. */
export function toLocalDateTime(instant: Date | number, timeZone: string): string {
  const p = zonedParts(instant, timeZone);
  return `${dayOf(instant, timeZone)}T${String(p.hour).padStart(2, "0")}:${String(p.minute).padStart(2, "0")}`;
}

/** "2026-11-22 14-03-05": the wall-clock time in a zone, safe in file names on every system (no colons). */
export function fileStamp(instant: Date | number, timeZone: string): string {
  const p = zonedParts(instant, timeZone);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${dayOf(instant, timeZone)} ${two(p.hour)}-${two(p.minute)}-${two(p.second)}`;
}

/** Today's date in a zone (or the day of `now`). */
export function todayIn(timeZone: string, now: number = Date.now()): Day {
  return dayOf(now, timeZone);
}
