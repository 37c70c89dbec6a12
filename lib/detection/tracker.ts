// Objects across frames, pure: a detection that matches a track of the same label or label group (IoU ≥ MATCH_IOU,
// best first; a parked van the model calls car in one frame and truck in the next is one object) continues it, the
// rest start tracks, and tracks unseen for `forgetMs` are forgotten. A track whose centre has not moved more than
// `moveFraction` of its box's diagonal for `stationaryMs` is stationary — a parked car does not start an event again
// and again — until it moves again. All times ms since the epoch; boxes in frame pixels.
import { iou, type Box } from "./geometry";
import { groupOf } from "./labels";

export type TrackerOptions = {
  /** A track's centre must move more than this fraction of its box's diagonal to count as moving. */
  moveFraction: number;
  /** Unmoved this long, a track is stationary, ms. */
  stationaryMs: number;
  /** Unseen this long, a track is forgotten, ms. */
  forgetMs: number;
};

export const DEFAULT_TRACKER: TrackerOptions = { moveFraction: 0.1, stationaryMs: 30_000, forgetMs: 10_000 };
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
};

export type TrackerState = { readonly tracks: readonly Track[]; readonly nextId: number };
export type Seen = Box & { label: string; score: number };

export const emptyTracker = (): TrackerState => ({ tracks: [], nextId: 1 });

const centre = (b: Box) => [(b.x1 + b.x2) / 2, (b.y1 + b.y2) / 2] as const;
const diagonal = (b: Box) => Math.hypot(b.x2 - b.x1, b.y2 - b.y1);

/** True when `box` has moved away from `anchor` by more than the fraction of the anchor's diagonal. */
export function hasMoved(anchor: Box, box: Box, moveFraction: number): boolean {
  const [ax, ay] = centre(anchor);
  const [bx, by] = centre(box);
  return Math.hypot(bx - ax, by - ay) > moveFraction * diagonal(anchor);
}

/**
 * One frame's detections in. Out: the new state and, per detection (same order), its track and whether it is new
 * (a track started now) — what an event cares about is a detection that is new or not stationary.
 */
export function updateTracks(state: TrackerState, seen: readonly Seen[], at: number, options: TrackerOptions = DEFAULT_TRACKER): { state: TrackerState; matched: { track: Track; isNew: boolean }[] } {
  const alive = state.tracks.filter((t) => at - t.lastSeen <= options.forgetMs);
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
      const track: Track = { id: nextId++, label: d.label, box, score: d.score, firstSeen: at, lastSeen: at, anchor: box, movedAt: at, stationary: false };
      tracks.push(track);
      return { track, isNew: true };
    }
    const t = tracks[ti];
    const moved = hasMoved(t.anchor, box, options.moveFraction);
    const anchor = moved ? box : t.anchor;
    const movedAt = moved ? at : t.movedAt;
    const track: Track = { ...t, label: d.label, box, score: d.score, lastSeen: at, anchor, movedAt, stationary: at - movedAt >= options.stationaryMs };
    tracks[ti] = track;
    return { track, isNew: false };
  });
  return { state: { tracks, nextId }, matched };
}
