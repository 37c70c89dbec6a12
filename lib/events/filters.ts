// Checking the events filters of a URL query (lib/events/query.ts): days are read in the viewer's time zone, and a
// `to` day includes that whole day; labels and groups become the labels they cover (lib/detection/labels.ts).
// Server side: GET /api/events, the timeline route and the Events page.
import { AppError } from "../errors";
import { expandLabels, isLabel, LABELS } from "../detection/labels";
import { MAX_FILTER_CAMERAS, checkDateRange, type EventFilters } from "./events";
import type { FilterQuery } from "./query";
import { addDays, dayStart, isDay, isValidTimeZone, serverTimeZone } from "../time";

/** Most label entries one filter takes (every label and group once). */
export const MAX_FILTER_LABELS = 32;

/** Why a filter's label entries cannot be used (unknown_label, too_big), or null. Each is a label or a group name. */
function labelProblem(entries: readonly string[]): string | null {
  if (entries.length > MAX_FILTER_LABELS) return "too_big";
  return entries.every((e) => isLabel(e) || LABELS.some((l) => l.group === e)) ? null : "unknown_label";
}

/** An ISO 8601 instant with a zone ("2026-11-22T13:03:05Z", "…+01:00"). */
const INSTANT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** A bound given as a day (start of it, or start of the next day for `to`) or as an instant; null when malformed. */
export function parseBound(value: string, timeZone: string, edge: "from" | "to"): Date | null {
  if (isDay(value)) return dayStart(edge === "to" ? addDays(value, 1) : value, timeZone);
  if (!INSTANT_RE.test(value) || !isDay(value.slice(0, 10))) return null; // Date would roll 02-30 over to March
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

/**
 * The filters of a query, checked: validation (with the bad fields) for malformed values, invalid_date_range when
 * `to` is not after `from`.
 */
export function parseFilters(q: Omit<FilterQuery, "show">, timeZone: string): EventFilters {
  if (!isValidTimeZone(timeZone)) throw new AppError("validation", {}, { tz: "invalid_time_zone" });
  const fields: Record<string, string> = {};
  if (q.camera.length > MAX_FILTER_CAMERAS) fields.camera = "too_big";
  if (q.camera.some((c) => c.length > 64)) fields.camera = "invalid";
  const from = q.from ? parseBound(q.from, timeZone, "from") : undefined;
  const to = q.to ? parseBound(q.to, timeZone, "to") : undefined;
  if (from === null) fields.from = "invalid";
  if (to === null) fields.to = "invalid";
  const labelIssue = labelProblem(q.label);
  if (labelIssue) fields.label = labelIssue;
  if (Object.keys(fields).length) throw new AppError("validation", {}, fields);
  checkDateRange(from ?? undefined, to ?? undefined);
  return {
    cameraIds: q.camera.length ? q.camera : undefined,
    from: from ?? undefined,
    to: to ?? undefined,
    protected: q.protected === "yes" ? true : q.protected === "no" ? false : undefined,
    // A group stands for its labels; sorted so that equal filters give equal queries.
    labels: q.label.length ? [...expandLabels(q.label)].sort() : undefined,
  };
}

/** The zone a member's days and times are in: their profile's, else the server's. */
export function viewerTimeZone(viewer: { timeZone: string | null }): string {
  return viewer.timeZone || serverTimeZone();
}
