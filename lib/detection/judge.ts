// What one detector answer means for a camera, and what an event keeps of its detections. Pure.
//
// judgeFrame: the detector's boxes (frame pixels) become fractions of the frame, lose those a member marked wrong
// (suppress.ts), get the motion zones they stand in, keep the objects of interest (settings.ts), and are tracked across
// frames (tracker.ts). An object counts for an event when it is of interest, confirmed (seen in a second frame: a
// one-frame ghost starts nothing) and not stationary (a parked car that has not moved for the tracker's stationary
// time does not start events).
// addToEvent: an open event's labels (best score, first seen), its most objects at once, and its best frame (highest
// score; the event photo is taken there and these boxes are drawn on it).
import type { Box } from "./geometry";
import type { Label } from "./labels";
import type { Found } from "./protocol";
import { isOfInterest, type DetectionSettings } from "./settings";
import { isSuppressed, type Correction } from "./suppress";
import { DEFAULT_TRACKER, updateTracks, type TrackerOptions, type TrackerState } from "./tracker";

/** A box in fractions of the frame (0–1, origin top-left). */
export type FractionBox = Box & { label: Label; score: number };
export type Judged = FractionBox & { trackId: number; stationary: boolean; confirmed: boolean; zones: readonly string[] };

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

/** Frame pixels → fractions of the frame, clipped to it. */
export function toFractions(found: readonly Found[], width: number, height: number): FractionBox[] {
  return found.map((f) => ({ label: f.label, score: f.score, x1: clamp01(f.x1 / width), y1: clamp01(f.y1 / height), x2: clamp01(f.x2 / width), y2: clamp01(f.y2 / height) }));
}

export type JudgeInput = {
  cameraId: string;
  settings: DetectionSettings;
  corrections: readonly Correction[];
  /** Boxes in fractions of the frame. */
  found: readonly FractionBox[];
  at: number;
  /** The motion zones (ids) a box stands in. */
  zonesOf: (box: Box) => readonly string[];
  tracker?: TrackerOptions;
  /** The part of the frame the detector looked at (fractions; default all of it): stationary objects outside it are not missed. */
  lookedAt?: Box;
};

export function judgeFrame(tracker: TrackerState, input: JudgeInput): { tracker: TrackerState; ofInterest: Judged[]; counted: Judged[]; suppressed: number } {
  let suppressed = 0;
  const candidates: (FractionBox & { zones: readonly string[] })[] = [];
  for (const f of input.found) {
    if (isSuppressed(input.cameraId, f, input.corrections)) {
      suppressed++;
      continue;
    }
    const zones = input.zonesOf(f);
    if (isOfInterest(input.settings, { ...f, zones })) candidates.push({ ...f, zones });
  }
  const { state, matched } = updateTracks(tracker, candidates, input.at, input.tracker ?? DEFAULT_TRACKER, input.lookedAt);
  const ofInterest = candidates.map((c, i) => ({ ...c, trackId: matched[i].track.id, stationary: matched[i].track.stationary, confirmed: matched[i].track.confirmed }));
  return { tracker: state, ofInterest, counted: ofInterest.filter((o) => o.confirmed && !o.stationary), suppressed };
}

export type EventObjects = {
  readonly labels: ReadonlyMap<Label, { score: number; firstAt: number }>;
  /** Most objects counted in one frame. */
  readonly objectCount: number;
  /** The frame with the highest score: when, that score, and its counted boxes. */
  readonly best: { at: number; score: number; boxes: readonly FractionBox[] } | null;
};

export const emptyEventObjects = (): EventObjects => ({ labels: new Map(), objectCount: 0, best: null });

/**
 * Adds a frame's counted objects to an event. `newLabels`: labels the event did not have (worth writing at once:
 * the detection latency is measured to them); `isBetterFrame`: the best frame changed.
 */
export function addToEvent(acc: EventObjects, at: number, counted: readonly FractionBox[]): { acc: EventObjects; newLabels: Label[]; isBetterFrame: boolean } {
  if (counted.length === 0) return { acc, newLabels: [], isBetterFrame: false };
  const labels = new Map(acc.labels);
  const newLabels: Label[] = [];
  for (const c of counted) {
    const had = labels.get(c.label);
    if (!had) newLabels.push(c.label);
    if (!had || c.score > had.score) labels.set(c.label, { score: c.score, firstAt: had?.firstAt ?? at });
  }
  const top = Math.max(...counted.map((c) => c.score));
  const isBetterFrame = !acc.best || top > acc.best.score;
  const best = isBetterFrame ? { at, score: top, boxes: counted.map(({ label, score, x1, y1, x2, y2 }) => ({ label, score, x1, y1, x2, y2 })) } : acc.best;
  return { acc: { labels, objectCount: Math.max(acc.objectCount, counted.length), best }, newLabels: [...new Set(newLabels)], isBetterFrame };
}
