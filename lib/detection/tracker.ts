// Objects across frames, pure: a detection that matches a track of the same label or label group (IoU ≥ MATCH_IOU,
// best first; a parked van the model calls car in one frame and truck in the next is one object) continues it, the
// rest start tracks. A track whose centre has not moved more than `moveFraction` of its box's diagonal for
// `stationaryMs` is stationary — a parked car does not start an event again and again — until it moves again.
// Forgetting: a track is gone once it was *looked for and not seen* for `forgetMs` (frames whose looked-at region
// covers its centre; time without detection frames, or looking elsewhere, does not count: detection runs only while
// there is motion, and only around it, so a parked car must outlast the quiet between two motions and the motion
// elsewhere), or once unseen for `movingForgetMs` (a moving track) or `stationaryForgetMs` (a stationary one) whatever
// happened. A track seen again after a gap without having moved is stationary at once if it has not moved for
// `stationaryMs` (the parked car seen once, then missed while people walked elsewhere).
// Confirmation: a track is `confirmed` once seen in `confirmFrames` frames (a box the model gives in one frame only —
// two vehicles boxed as one, a shadow — starts nothing), and a stationary track moves again only when
// `confirmFrames` sightings in a row have left its place (one odd box does not wake a parked car).
// All times ms since the epoch; boxes in any one unit (frame pixels or fractions) used throughout.
import { iou, type Box } from "./geometry";
import { groupOf } from "./labels";

export type TrackerOptions = {
  /** A track's centre must move more than this fraction of its box's diagonal to count as moving. */
  moveFraction: number;
  /** Unmoved this long, a track is stationary, ms. */
  stationaryMs: number;
  /** Looked for and not seen this long, a track is forgotten, ms. */
  forgetMs: number;
  /** Unseen this long whatever happened, a moving track is forgotten, ms. */
  movingForgetMs: number;
  /** Unseen this long whatever happened, a stationary track is forgotten, ms. */
  stationaryForgetMs: number;
  /** Sightings that confirm a new track, or a stationary track's move. */
  confirmFrames: number;
};

export const DEFAULT_TRACKER: TrackerOptions = { moveFraction: 0.1, stationaryMs: 30_000, forgetMs: 10_000, movingForgetMs: 60_000, stationaryForgetMs: 24 * 3_600_000, confirmFrames: 2 };
/** The most one frame adds to a track's looked-for-and-not-seen time (a gap between frames is not looking), ms. */
export const MAX_MISS_STEP_MS = 1_000;
/** Least overlap for a detection to continue a track. */
export const MATCH_IOU = 0.3;

export type Track = {
  readonly id: number;
  readonly label: string;
  readonly box: Box;
  readonly score: number;
  readonly firstSeen: number;
  readonly lastSeen: number;
  /** Where the object was when it last moved, and when. */
  readonly anchor: Box;
  readonly movedAt: number;
  readonly stationary: boolean;
  /** How long the track was looked for and not seen since it was last seen, ms. */
  readonly missedMs: number;
  /** Times seen; confirmed once seen `confirmFrames` times. */
  readonly hits: number;
  readonly confirmed: boolean;
  /** A stationary track: sightings in a row away from its place (it moves when they reach `confirmFrames`). */
  readonly moveStreak: number;
};

/** The tracks, the next id, and the time of the last frame (for the unseen time of stationary tracks). */
export type TrackerState = { readonly tracks: readonly Track[]; readonly nextId: number; readonly lastAt?: number };
export type Seen = Box & { label: string; score: number };

export const emptyTracker = (): TrackerState => ({ tracks: [], nextId: 1 });

const isInside = (b: Box, area: Box) => {
  const [x, y] = centre(b);
  return x >= area.x1 && x <= area.x2 && y >= area.y1 && y <= area.y2;
};

const centre = (b: Box) => [(b.x1 + b.x2) / 2, (b.y1 + b.y2) / 2] as const;
const diagonal = (b: Box) => Math.hypot(b.x2 - b.x1, b.y2 - b.y1);

/** Overlap with where an object last moved below which it has moved (with the centre's shift). */
export const MOVED_IOU = 0.6;

/**
 * True when `box` has moved away from `anchor`: its centre by more than `moveFraction` of the anchor's diagonal, and
 * its overlap with the anchor below MOVED_IOU. The overlap keeps the jitter of a small box (a car far off, cut by the
 * picture's edge, boxed a little differently in each crop) from counting as moving.
 */
export function hasMoved(anchor: Box, box: Box, moveFraction: number): boolean {
  const [ax, ay] = centre(anchor);
  const [bx, by] = centre(box);
  return Math.hypot(bx - ax, by - ay) > moveFraction * diagonal(anchor) && iou(anchor, box) < MOVED_IOU;
}

/**
 * One frame's detections in. Out: the new state and, per detection (same order), its track and whether it is new
 * (a track started now) — what an event cares about is a detection that is new or not stationary.
 */
export function updateTracks(state: TrackerState, seen: readonly Seen[], at: number, options: TrackerOptions = DEFAULT_TRACKER, lookedAt?: Box): { state: TrackerState; matched: { track: Track; isNew: boolean }[] } {
  const alive = state.tracks.filter((t) => t.missedMs <= options.forgetMs && at - t.lastSeen <= (t.stationary ? options.stationaryForgetMs : options.movingForgetMs));
  const pairs: { t: number; d: number; overlap: number }[] = [];
  alive.forEach((t, ti) =>
    seen.forEach((d, di) => {
      if (t.label !== d.label && (groupOf(t.label) === null || groupOf(t.label) !== groupOf(d.label))) return;
      const overlap = iou(t.box, d);
      if (overlap >= MATCH_IOU) pairs.push({ t: ti, d: di, overlap });
    }),
  );
  pairs.sort((a, b) => b.overlap - a.overlap || a.t - b.t || a.d - b.d);
  const trackOf = new Map<number, number>();
  const usedTracks = new Set<number>();
  for (const p of pairs) {
    if (usedTracks.has(p.t) || trackOf.has(p.d)) continue;
    usedTracks.add(p.t);
    trackOf.set(p.d, p.t);
  }
  const tracks: Track[] = alive.slice();
  let nextId = state.nextId;
  const matched = seen.map((d, di) => {
    const box: Box = { x1: d.x1, y1: d.y1, x2: d.x2, y2: d.y2 };
    const ti = trackOf.get(di);
    if (ti === undefined) {
      const track: Track = { id: nextId++, label: d.label, box, score: d.score, firstSeen: at, lastSeen: at, anchor: box, movedAt: at, stationary: false, missedMs: 0, hits: 1, confirmed: options.confirmFrames <= 1, moveStreak: 0 };
      tracks.push(track);
      return { track, isNew: true };
    }
    const t = tracks[ti];
    const away = hasMoved(t.anchor, box, options.moveFraction);
    const moveStreak = away && t.stationary ? t.moveStreak + 1 : 0;
    const moved = away && (!t.stationary || moveStreak >= options.confirmFrames);
    const anchor = moved ? box : t.anchor;
    const movedAt = moved ? at : t.movedAt;
    const hits = t.hits + 1;
    const track: Track = { ...t, label: d.label, box, score: d.score, lastSeen: at, anchor, movedAt, stationary: at - movedAt >= options.stationaryMs, missedMs: 0, hits, confirmed: hits >= options.confirmFrames, moveStreak: moved ? 0 : moveStreak };
    tracks[ti] = track;
    return { track, isNew: false };
  });
  // Tracks this frame looked at (its region covers them) and did not see: their looked-for-and-not-seen time grows.
  const step = Math.min(MAX_MISS_STEP_MS, Math.max(0, at - (state.lastAt ?? at)));
  const seenTracks = new Set(trackOf.values());
  alive.forEach((t, ti) => {
    if (!seenTracks.has(ti) && (!lookedAt || isInside(t.box, lookedAt))) tracks[ti] = { ...t, missedMs: t.missedMs + step };
  });
  return { state: { tracks, nextId, lastAt: at }, matched };
}
