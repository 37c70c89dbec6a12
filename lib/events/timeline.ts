// The Events timeline's arithmetic, pure (client and server): the view (a window of one calendar day in the member's
// zone, with a cursor), zoom and pan (crossing midnight into the next or previous day), the axis ticks of a span in a
// zone (real instants: a DST day has 23 or 25 hours, 02:00 may be missing or come twice), the label step from the
// pixel width (labels never print over each other), and the bars (position, length, colour kind, rows in a lane).
// All instants and spans are ms (epoch ms for instants); all widths and positions are CSS pixels.
import { groupOf, type LabelGroup } from "../detection/labels";
import { addDays, dayOf, dayRange, type Day, zonedParts } from "../time";

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
/** The narrowest view: one hour. */
export const MIN_SPAN_MS = HOUR_MS;
/** Zoom levels below the whole day (the widest level is always the whole day, 23–25 h), widest first. */
export const ZOOM_SPANS_MS = [12, 6, 3, 1].map((h) => h * HOUR_MS);
/** Label steps, minutes (each divides a day's 1440; hours count from local midnight). */
export const LABEL_STEPS_MIN = [5, 10, 15, 30, 60, 120, 180, 360, 720] as const;
/** Room between two axis labels, px. */
export const LABEL_GAP_PX = 8;
/** Narrowest bar, px: a 1-second event stays visible and can be hit with a mouse. */
export const MIN_BAR_PX = 6;
/** Most rows a lane stacks overlapping bars into; later overlaps share the last row. */
export const MAX_ROWS = 3;

/**
 * What the timeline shows: [start, start + span) inside `day` (in the zone), and a cursor inside that window (the
 * keyboard's position: Enter opens the event under it). Invariants: dayFrom ≤ start, start + span ≤ dayTo,
 * MIN_SPAN_MS ≤ span ≤ day length, start ≤ cursor < start + span.
 */
export type TimelineView = { day: Day; start: number; span: number; cursor: number };

/** [from, to) of a day in a zone, epoch ms. */
export function dayBounds(day: Day, timeZone: string): { from: number; to: number } {
  const r = dayRange(day, timeZone);
  return { from: r.from.getTime(), to: r.to.getTime() };
}

/** Hours in a calendar day of a zone: 24, or 23/25 on DST change days. */
export function hoursInDay(day: Day, timeZone: string): number {
  const { from, to } = dayBounds(day, timeZone);
  return (to - from) / HOUR_MS;
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/** A window of `span` around `anchor` kept at `fraction` of it, moved inside the day; the cursor clamped into it. */
function place(day: Day, timeZone: string, span: number, anchor: number, fraction: number, cursor: number): TimelineView {
  const { from, to } = dayBounds(day, timeZone);
  const s = clamp(span, Math.min(MIN_SPAN_MS, to - from), to - from);
  const start = clamp(Math.round(anchor - fraction * s), from, to - s);
  return { day, start, span: s, cursor: clamp(cursor, start, start + s - 1) };
}

/** The whole day; the cursor at `now` when now is that day, else at the day's start. */
export function viewOfDay(day: Day, timeZone: string, now?: number): TimelineView {
  const { from, to } = dayBounds(day, timeZone);
  return { day, start: from, span: to - from, cursor: now !== undefined && now >= from && now < to ? now : from };
}

/** True when the view is the whole day. */
export function isWholeDay(v: TimelineView, timeZone: string): boolean {
  const { from, to } = dayBounds(v.day, timeZone);
  return v.start === from && v.span === to - from;
}

/** The discrete zoom levels of a day, widest first: the whole day, then ZOOM_SPANS_MS. */
export function zoomLevels(day: Day, timeZone: string): number[] {
  const { from, to } = dayBounds(day, timeZone);
  return [to - from, ...ZOOM_SPANS_MS.filter((s) => s < to - from)];
}

/**
 * One zoom step in (+1) or out (-1), keeping `anchor` (default: the cursor) at the same place on screen. Past the
 * last level nothing changes.
 */
export function zoomView(v: TimelineView, timeZone: string, direction: 1 | -1, anchor: number = v.cursor): TimelineView {
  const levels = zoomLevels(v.day, timeZone);
  const next = direction === 1 ? levels.find((s) => s < v.span) : [...levels].reverse().find((s) => s > v.span);
  if (next === undefined) return v;
  return place(v.day, timeZone, next, anchor, (anchor - v.start) / v.span, v.cursor);
}

/** Continuous zoom (ctrl + wheel, pinch): span divided by `factor` (> 1 zooms in), `anchor` kept on screen. */
export function scaleView(v: TimelineView, timeZone: string, factor: number, anchor: number = v.cursor): TimelineView {
  if (!(factor > 0)) return v;
  return place(v.day, timeZone, v.span / factor, anchor, (anchor - v.start) / v.span, v.cursor);
}

/**
 * Moves the window by `delta` ms (the cursor moves with it). Inside the day it stops at midnight; a window already at
 * the day's edge and pushed further goes to the previous or next day (the same span at that day's near edge; a whole
 * day becomes the whole of the other day, 23–25 h).
 */
export function panView(v: TimelineView, timeZone: string, delta: number): TimelineView {
  if (delta === 0) return v;
  const { from, to } = dayBounds(v.day, timeZone);
  const fraction = (v.cursor - v.start) / v.span;
  const atEdge = delta < 0 ? v.start <= from : v.start + v.span >= to;
  if (!atEdge) {
    const start = clamp(v.start + delta, from, to - v.span);
    return { ...v, start, cursor: clamp(Math.round(start + fraction * v.span), start, start + v.span - 1) };
  }
  const day = addDays(v.day, delta < 0 ? -1 : 1);
  const next = dayBounds(day, timeZone);
  const span = v.span === to - from ? next.to - next.from : Math.min(v.span, next.to - next.from); // a whole day stays whole
  const start = delta < 0 ? next.to - span : next.from;
  return { day, start, span, cursor: clamp(Math.round(start + fraction * span), start, start + span - 1) };
}

/** How far past midnight a drag must pull (fraction of the view) to go on into the next or previous day. */
export const CROSS_DAY_FRACTION = 0.25;

/**
 * A drag of `delta` ms from the view `v` (where the drag began): the window moved and stopped at midnight, and how far
 * the drag pulled past it (`overscroll`, ms, negative before the day). At the end of a drag an overscroll of at least
 * CROSS_DAY_FRACTION of the span goes on into that day (panView from the edge).
 */
export function dragView(v: TimelineView, timeZone: string, delta: number): { view: TimelineView; overscroll: number } {
  const { from, to } = dayBounds(v.day, timeZone);
  const wanted = v.start + delta;
  const start = clamp(wanted, from, to - v.span);
  const fraction = (v.cursor - v.start) / v.span;
  return { view: { ...v, start, cursor: clamp(Math.round(start + fraction * v.span), start, start + v.span - 1) }, overscroll: wanted - start };
}

/** The view after a drag ended with `overscroll` (dragView): into the next or previous day when pulled far enough. */
export function endDrag(v: TimelineView, timeZone: string, overscroll: number): TimelineView {
  return Math.abs(overscroll) >= CROSS_DAY_FRACTION * v.span ? panView(v, timeZone, overscroll) : v;
}

/**
 * Puts the cursor at `to`. The window follows it (the least move that shows it); past midnight the view moves to the
 * day the cursor is now on, with the same span where that day has room.
 */
export function moveCursor(v: TimelineView, timeZone: string, to: number): TimelineView {
  const { from, to: end } = dayBounds(v.day, timeZone);
  if (to >= from && to < end) {
    const start = to < v.start ? to : to >= v.start + v.span ? to - v.span + 1 : v.start;
    return { ...v, start: clamp(start, from, end - v.span), cursor: to };
  }
  // Into the next day the window starts at its midnight (or as late as the cursor needs), back into the previous day
  // it ends at midnight.
  const day = dayOf(to, timeZone);
  const next = dayBounds(day, timeZone);
  const span = v.span === end - from ? next.to - next.from : Math.min(v.span, next.to - next.from);
  const start = to >= end ? Math.max(next.from, to - span + 1) : Math.min(next.to - span, to);
  return { day, start, span, cursor: to };
}

/** The label step (minutes) for a span drawn `widthPx` wide with labels `labelPx` wide: the finest that leaves room. */
export function labelStepMinutes(widthPx: number, span: number, labelPx: number): number {
  const pxPerMinute = widthPx > 0 && span > 0 ? widthPx / (span / MINUTE_MS) : 0;
  const fits = LABEL_STEPS_MIN.find((m) => m * pxPerMinute >= labelPx + LABEL_GAP_PX);
  return fits ?? LABEL_STEPS_MIN[LABEL_STEPS_MIN.length - 1];
}

/** A tick of the axis: a real instant whose wall-clock time in the zone is a multiple of the step since midnight. */
export type Tick = {
  at: number;
  hour: number;
  minute: number;
  /** True for the second pass of a wall-clock time on the night clocks go back (the second 02:00). */
  isRepeat: boolean;
};

/** Finest grid all zone offsets share (UTC±hh:00, :30, :45): a local multiple of 5 min falls on a UTC multiple of 5 min. */
const GRID_MS = 5 * MINUTE_MS;

/**
 * The ticks in [from, to) every `stepMinutes` of wall-clock time in the zone (counted from local midnight), in time
 * order. On a DST day the instants tell the truth: in Europe/Amsterdam on 2026-03-29 there is no 02:00, on
 * 2026-10-25 there are two (the second has isRepeat).
 */
export function axisTicks(from: number, to: number, timeZone: string, stepMinutes: number): Tick[] {
  const ticks: Tick[] = [];
  const seen = new Set<string>();
  for (let at = Math.ceil(from / GRID_MS) * GRID_MS; at < to; at += GRID_MS) {
    const p = zonedParts(at, timeZone);
    if (p.second !== 0) continue;
    const minutes = p.hour * 60 + p.minute;
    if (minutes % stepMinutes !== 0) continue;
    const wall = `${p.year}-${p.month}-${p.day} ${minutes}`; // a wall-clock time seen before: the repeated hour
    ticks.push({ at, hour: p.hour, minute: p.minute, isRepeat: seen.has(wall) });
    seen.add(wall);
  }
  return ticks;
}

/** A label on the axis: its tick and its left edge, px. */
export type PlacedLabel = { tick: Tick; left: number };

/**
 * Where the labels of `ticks` go on an axis `widthPx` wide showing [start, start + span): centred on their tick, moved
 * inside the axis at the ends, and left out when they would come closer than LABEL_GAP_PX to the previous one (a
 * 23-hour day squeezes two ticks together); the first label, when moved in from the start and in the way of the
 * second, gives way to it. Labels never overlap.
 */
export function placeLabels(ticks: Tick[], start: number, span: number, widthPx: number, labelPx: number): PlacedLabel[] {
  const out: (PlacedLabel & { isMoved: boolean })[] = [];
  for (const tick of ticks) {
    const x = ((tick.at - start) / span) * widthPx;
    if (x < 0 || x > widthPx) continue;
    const natural = x - labelPx / 2;
    const left = clamp(natural, 0, Math.max(0, widthPx - labelPx));
    const last = out[out.length - 1];
    if (last && left < last.left + labelPx + LABEL_GAP_PX) {
      // A label pushed in from the axis' start gives way to the next one, which sits where it belongs.
      if (!last.isMoved || out.length > 1) continue;
      out.pop();
    }
    out.push({ tick, left, isMoved: left !== natural });
  }
  return out.map(({ tick, left }) => ({ tick, left }));
}

/** What colours a bar: the group of the event's best label, or motion alone. */
export type BarKind = LabelGroup | "motion";
export const BAR_KINDS: readonly BarKind[] = ["person", "vehicle", "animal", "motion"];

/** The kind of an event from its labels (best score first): the first one Nightjar knows. */
export function barKind(labels: readonly string[]): BarKind {
  for (const l of labels) {
    const g = groupOf(l);
    if (g) return g;
  }
  return "motion";
}

export type BarEvent = { id: string; lane: string; startedAt: string; endedAt: string | null; labels: readonly string[] };
/** A bar in its lane: left and width px (width ≥ MIN_BAR_PX), the row it sits in and the lane's row count. */
export type Bar<E extends BarEvent = BarEvent> = { event: E; left: number; width: number; row: number; kind: BarKind };
export type LaneBars<E extends BarEvent = BarEvent> = { bars: Bar<E>[]; rows: number };

/**
 * The bars of the events in [start, start + span) drawn `widthPx` wide, per lane: as long as the event lasted (one
 * still recording lasts until `now`), at least MIN_BAR_PX, kept inside the axis; events that overlap on screen go to
 * separate rows (first fit, at most MAX_ROWS). Events outside the window are left out.
 */
export function layoutBars<E extends BarEvent>(events: readonly E[], start: number, span: number, widthPx: number, now: number): Map<string, LaneBars<E>> {
  const lanes = new Map<string, LaneBars<E>>();
  const rowEnds = new Map<string, number[]>();
  const sorted = [...events].sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt) || (a.id < b.id ? -1 : 1));
  const end = start + span;
  for (const e of sorted) {
    const s = Date.parse(e.startedAt);
    const f = Math.max(s, e.endedAt ? Date.parse(e.endedAt) : Math.max(s, now));
    if (f < start || s >= end) continue;
    const x1 = Math.max(0, ((s - start) / span) * widthPx);
    const x2 = Math.min(widthPx, ((f - start) / span) * widthPx);
    const width = Math.min(widthPx, Math.max(MIN_BAR_PX, x2 - x1));
    const left = Math.min(x1, widthPx - width);
    const ends = rowEnds.get(e.lane) ?? [];
    let row = ends.findIndex((r) => r <= left);
    if (row < 0) row = ends.length < MAX_ROWS ? ends.length : MAX_ROWS - 1;
    ends[row] = Math.max(ends[row] ?? 0, left + width + 1);
    rowEnds.set(e.lane, ends);
    const lane = lanes.get(e.lane) ?? { bars: [], rows: 1 };
    lane.bars.push({ event: e, left, width, row, kind: barKind(e.labels) });
    lane.rows = Math.max(lane.rows, row + 1);
    lanes.set(e.lane, lane);
  }
  return lanes;
}

/**
 * The event under a point of the axis (px): a bar that covers it, else the nearest bar within `tolerancePx`; over
 * several lanes the first lane's wins. Null when none is close enough.
 */
export function barAt<E extends BarEvent>(lanes: Map<string, LaneBars<E>>, order: readonly string[], x: number, tolerancePx: number): Bar<E> | null {
  let best: { bar: Bar<E>; distance: number } | null = null;
  for (const key of order) {
    for (const bar of lanes.get(key)?.bars ?? []) {
      const distance = x < bar.left ? bar.left - x : x > bar.left + bar.width ? x - bar.left - bar.width : 0;
      if (distance <= tolerancePx && (!best || distance < best.distance)) best = { bar, distance };
    }
  }
  return best?.bar ?? null;
}

/**
 * The start of the next (+1) or previous (-1) event from `from` among the events (any lane), or null. Ties (several
 * events at one instant) are skipped as one.
 */
export function neighbourEvent(events: readonly { startedAt: string }[], from: number, direction: 1 | -1): number | null {
  let best: number | null = null;
  for (const e of events) {
    const s = Date.parse(e.startedAt);
    if (direction === 1 ? s > from && (best === null || s < best) : s < from && (best === null || s > best)) best = s;
  }
  return best;
}

/** Most events one timeline answer lists one by one; a window with more is answered as density (counts per bucket). */
export const DETAIL_LIMIT = 400;
/**
 * The same for the narrowest view (MIN_SPAN_MS, give or take the two seconds of rounding a window to whole seconds),
 * which cannot zoom further: a very busy hour is still listed, up to this many.
 */
export const NARROWEST_DETAIL_LIMIT = 2000;

/** How many events a window `spanMs` long lists before it is answered as density. */
export function detailLimit(spanMs: number): number {
  return spanMs <= MIN_SPAN_MS + 2000 ? NARROWEST_DETAIL_LIMIT : DETAIL_LIMIT;
}
/** Bucket sizes of a density answer, minutes, finest first. */
export const DENSITY_STEPS_MIN = [1, 2, 5, 10, 15, 30, 60] as const;
/** Most buckets a lane has in a density answer (a 25-hour day at 10 minutes is 150). */
export const MAX_DENSITY_BUCKETS = 150;

/** The bucket size (ms) for a window `spanMs` long: the finest step that needs at most MAX_DENSITY_BUCKETS buckets. */
export function densityBucketMs(spanMs: number): number {
  const fits = DENSITY_STEPS_MIN.find((m) => Math.ceil(spanMs / (m * MINUTE_MS)) <= MAX_DENSITY_BUCKETS);
  return (fits ?? DENSITY_STEPS_MIN[DENSITY_STEPS_MIN.length - 1]) * MINUTE_MS;
}

/**
 * Counts of events (by start) per bucket and lane: bucket i is [start + i·bucketMs, start + (i + 1)·bucketMs),
 * every lane's array is as long as the window needs (the last bucket may reach past the window's end).
 */
export type Density = { start: number; bucketMs: number; counts: Record<string, number[]>; total: number };

/** One bucket as drawn: left and width px inside the axis, shade 0–1 (relative to the busiest bucket shown, √ scale). */
export type DensityCell = { index: number; at: number; count: number; left: number; width: number; shade: number };

/** The non-empty buckets of one lane inside [start, start + span) drawn `widthPx` wide (at least 2 px each). */
export function densityCells(d: Density, lane: string, start: number, span: number, widthPx: number, busiest: number): DensityCell[] {
  const out: DensityCell[] = [];
  const counts = d.counts[lane] ?? [];
  for (let i = 0; i < counts.length; i++) {
    const n = counts[i];
    if (!n) continue;
    const a = Math.max(start, d.start + i * d.bucketMs);
    const b = Math.min(start + span, d.start + (i + 1) * d.bucketMs);
    if (b <= a) continue;
    const left = ((a - start) / span) * widthPx;
    const width = Math.max(2, ((b - a) / span) * widthPx);
    out.push({ index: i, at: d.start + i * d.bucketMs, count: n, left: Math.min(left, widthPx - width), width, shade: busiest > 0 ? Math.sqrt(n / busiest) : 0 });
  }
  return out;
}

/**
 * The counts without these events (deleted while the density is shown): each taken from the bucket of its lane where
 * it started, if it started in [from, to) — the window the counts are of — and the bucket counted it (never below 0).
 */
export function countsWithout(
  d: { bucketMs: number; counts: Record<string, number[]>; total: number },
  window: { start: number; from: number; to: number },
  gone: readonly { lane: string; at: number }[],
): { counts: Record<string, number[]>; total: number } {
  const counts: Record<string, number[]> = { ...d.counts };
  let total = d.total;
  for (const g of gone) {
    if (g.at < window.from || g.at >= window.to) continue;
    const i = Math.floor((g.at - window.start) / d.bucketMs);
    const lane = counts[g.lane];
    if (!lane || i < 0 || i >= lane.length || lane[i] <= 0) continue;
    if (lane === d.counts[g.lane]) counts[g.lane] = [...lane];
    counts[g.lane][i]--;
    total--;
  }
  return { counts, total };
}

/** The busiest bucket of any lane that overlaps [start, start + span). */
export function densityPeak(d: Density, start: number, span: number): number {
  const first = Math.max(0, Math.floor((start - d.start) / d.bucketMs));
  const last = Math.ceil((start + span - d.start) / d.bucketMs);
  let peak = 0;
  for (const counts of Object.values(d.counts)) for (let i = first; i < Math.min(last, counts.length); i++) peak = Math.max(peak, counts[i]);
  return peak;
}

/** Events (all lanes) in the bucket that holds `at`, with its bounds; null outside the buckets. */
export function densityAt(d: Density, at: number): { from: number; to: number; count: number } | null {
  const i = Math.floor((at - d.start) / d.bucketMs);
  let count = 0;
  let known = false;
  for (const counts of Object.values(d.counts)) {
    if (i < 0 || i >= counts.length) continue;
    known = true;
    count += counts[i];
  }
  return known ? { from: d.start + i * d.bucketMs, to: d.start + (i + 1) * d.bucketMs, count } : null;
}

/** The start of the next (+1) or previous (-1) non-empty bucket from `from` (any lane), or null. */
export function neighbourBucket(d: Density, from: number, direction: 1 | -1): number | null {
  const length = Math.max(0, ...Object.values(d.counts).map((c) => c.length));
  const busy = (i: number) => Object.values(d.counts).some((c) => (c[i] ?? 0) > 0);
  const here = Math.floor((from - d.start) / d.bucketMs);
  for (let i = here + direction; i >= 0 && i < length; i += direction) if (busy(i)) return d.start + i * d.bucketMs;
  return null;
}

/**
 * Whether an answer for [from, to) of `day` serves a view: same day, the window covers the view, and, when it is
 * density, its buckets are no coarser than the view's own (zoomed in, a finer answer, perhaps single events, is due).
 */
export function answerServes(answer: { day: string; window: { from: string; to: string }; density: { bucketMs: number } | null }, v: TimelineView): boolean {
  if (answer.day !== v.day) return false;
  if (Date.parse(answer.window.from) > v.start || Date.parse(answer.window.to) < v.start + v.span) return false;
  return !answer.density || answer.density.bucketMs <= densityBucketMs(v.span);
}
