// Motion scoring of consecutive grey frames, pure: a frame (8-bit luma at the analysis size) is compared with a
// running-average background; pixels that differ by more than a noise threshold are "changed"; each zone's changed
// fraction gives its score, and a zone fires when that fraction passes its area threshold.
//
// Why a running average rather than the previous frame: a frame difference only sees the edges of a slow or
// uniformly coloured object (its interior is unchanged between frames) and, at the low frame rates we analyse,
// flickers with compression noise; a background updated with rate α absorbs gradual light changes (dusk, clouds
// drifting) and objects that stop (a parked car) within a few seconds, while anything that moves stays well above it.
// Sudden global changes (IR switching on, lights turned on) are rejected separately: if most of the frame changes
// at once it is lighting, not motion, and the background snaps to the new frame.
import type { MotionMasks } from "./mask";

/**
 * Background update rate per analysed frame (0–1): background += α × (frame − background). At 5 fps, α = 0.05 is a
 * time constant of ~4 s (20 frames): a stationary object fades from the difference image in ~5–10 s.
 */
export const DEFAULT_BACKGROUND_ALPHA = 0.05;
/** Fraction of the considered (unmasked) pixels that, changing in one frame, means a lighting change (0–1). */
export const DEFAULT_LIGHTING_CHANGE_FRACTION = 0.7;

/** Per-pixel noise threshold range, in luma levels (0–255): sensitivity 100 → MIN, sensitivity 1 → MAX. */
export const MIN_PIXEL_THRESHOLD = 6;
export const MAX_PIXEL_THRESHOLD = 60;
/** Zone area threshold range, as a fraction of the zone's pixels: sensitivity 100 → MIN, sensitivity 1 → MAX. */
export const MIN_AREA_FRACTION = 0.0005;
export const MAX_AREA_FRACTION = 0.2;

const clampSensitivity = (s: number) => Math.min(100, Math.max(1, Number.isFinite(s) ? s : 50));

/**
 * The luma difference (levels, 0–255) a pixel must exceed to count as changed, linear in sensitivity:
 * 100 → 6, 50 → 33, 1 → 60. 6 is ~3× the noise left after box-downscaling a typical sub stream (σ ≈ 2–4 levels at
 * 320×180, ÷4–5 after averaging 16–25 pixels); 60 ignores everything but strong contrast (headlights, a person on
 * a bright wall). Uses the camera-wide sensitivity: sensor noise is a property of the camera, not of a zone.
 */
export function pixelThreshold(sensitivity: number): number {
  const s = clampSensitivity(sensitivity);
  return Math.round(MIN_PIXEL_THRESHOLD + ((100 - s) * (MAX_PIXEL_THRESHOLD - MIN_PIXEL_THRESHOLD)) / 99);
}

/**
 * The fraction of a zone's pixels (0–1) that must change for the zone to fire, geometric in sensitivity so each
 * step scales the smallest detectable object by the same factor (object areas span orders of magnitude):
 * 100 → 0.05 % (about one pixel at 64×36), 50 → ~1 % (a person a few metres away), 1 → 20 % (only large, close
 * objects). Uses the zone's own sensitivity (far zones need a lower threshold than near ones).
 */
export function areaThreshold(sensitivity: number): number {
  const s = clampSensitivity(sensitivity);
  return MAX_AREA_FRACTION * Math.pow(MIN_AREA_FRACTION / MAX_AREA_FRACTION, (s - 1) / 99);
}

/**
 * Box-filter downscale of 8-bit grey (srcWidth×srcHeight → dstWidth×dstHeight, each dst ≤ src): every destination
 * pixel is the rounded mean of the source pixels that map onto it (exact box filter for integer ratios such as
 * 320×180 → 64×36 or 160×90). Averaging n pixels divides uncorrelated sensor noise by √n.
 */
export function downscaleGrey(src: Uint8Array, srcWidth: number, srcHeight: number, dstWidth: number, dstHeight: number): Uint8Array {
  if (src.length !== srcWidth * srcHeight) throw new RangeError(`frame has ${src.length} bytes, expected ${srcWidth}×${srcHeight}`);
  if (dstWidth < 1 || dstHeight < 1 || dstWidth > srcWidth || dstHeight > srcHeight) throw new RangeError(`cannot downscale ${srcWidth}×${srcHeight} to ${dstWidth}×${dstHeight}`);
  const xMap = new Uint32Array(srcWidth);
  for (let x = 0; x < srcWidth; x++) xMap[x] = Math.floor((x * dstWidth) / srcWidth);
  const sums = new Uint32Array(dstWidth * dstHeight);
  const counts = new Uint32Array(dstWidth * dstHeight);
  for (let y = 0; y < srcHeight; y++) {
    const rowOut = Math.floor((y * dstHeight) / srcHeight) * dstWidth;
    const rowIn = y * srcWidth;
    for (let x = 0; x < srcWidth; x++) {
      const o = rowOut + xMap[x];
      sums[o] += src[rowIn + x];
      counts[o]++;
    }
  }
  const out = new Uint8Array(dstWidth * dstHeight);
  for (let i = 0; i < out.length; i++) out[i] = Math.round(sums[i] / counts[i]);
  return out;
}

/** Scorer state for one camera at one analysis size. Treat as immutable: scoreFrame returns a new one. */
export type MotionState = {
  readonly width: number;
  readonly height: number;
  /** Running-average background in luma levels (0–255), width×height; null until the first frame. */
  readonly background: Float32Array | null;
  /** Frames scored so far. */
  readonly frames: number;
};

export function createMotionState(width: number, height: number): MotionState {
  return { width, height, background: null, frames: 0 };
}

export type ScoreConfig = {
  /** Camera-wide sensitivity 1–100 (pixel noise threshold). */
  sensitivity: number;
  backgroundAlpha?: number;
  lightingChangeFraction?: number;
};

export type ZoneScore = {
  id: string;
  /** Changed share of the zone, in percent (0–100, one decimal). */
  score: number;
  changedPixels: number;
  fired: boolean;
};

export type FrameScore = {
  /** One entry per zone of the masks, in the same order. */
  scores: ZoneScore[];
  /** Ids of the zones that fired; empty on a lighting change and on the first frame. */
  fired: string[];
  /** Highest zone score (0–100); 0 on a lighting change (not a useful event photo). */
  peak: number;
  /** Changed share of the considered (unmasked) pixels, 0–1. */
  changedFraction: number;
  /** Changed considered pixels (the gate of object detection: far more sensitive than a zone firing). */
  changedPixels: number;
  /**
   * Bounding box of the changed considered pixels in fractions of the frame (0–1, x2/y2 exclusive), null when none
   * changed or on a lighting change: where object detection looks.
   */
  changedBox: { x1: number; y1: number; x2: number; y2: number } | null;
  isLightingChange: boolean;
  nextState: MotionState;
};

/**
 * Scores one frame against the state's background. `frame` and `masks` must be at the state's size. The first
 * frame only seeds the background (nothing fires). On a lighting change the background is replaced by the frame.
 */
export function scoreFrame(state: MotionState, frame: Uint8Array, masks: MotionMasks, config: ScoreConfig): FrameScore {
  const { width, height } = state;
  const n = width * height;
  if (frame.length !== n) throw new RangeError(`frame has ${frame.length} bytes, expected ${width}×${height}`);
  if (masks.width !== width || masks.height !== height) throw new RangeError(`masks are ${masks.width}×${masks.height}, frame is ${width}×${height}`);

  if (!state.background) {
    return {
      scores: masks.zones.map((z) => ({ id: z.id, score: 0, changedPixels: 0, fired: false })),
      fired: [],
      peak: 0,
      changedFraction: 0,
      changedPixels: 0,
      changedBox: null,
      isLightingChange: false,
      nextState: { width, height, background: Float32Array.from(frame), frames: 1 },
    };
  }

  const alpha = config.backgroundAlpha ?? DEFAULT_BACKGROUND_ALPHA;
  const threshold = pixelThreshold(config.sensitivity);
  const bg = state.background;
  const nextBg = new Float32Array(n);
  const changed = new Uint8Array(n);
  const considered = masks.considered;
  let consideredChanged = 0;
  let minX = width;
  let minY = height;
  let maxX = -1;
  let maxY = -1;
  for (let i = 0; i < n; i++) {
    const d = frame[i] - bg[i];
    const c = d > threshold || -d > threshold ? 1 : 0;
    changed[i] = c;
    if (c & considered[i]) {
      consideredChanged++;
      const x = i % width;
      const y = (i - x) / width;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
    nextBg[i] = bg[i] + alpha * d;
  }
  const changedFraction = masks.consideredPixels > 0 ? consideredChanged / masks.consideredPixels : 0;
  const isLightingChange = changedFraction > (config.lightingChangeFraction ?? DEFAULT_LIGHTING_CHANGE_FRACTION);

  const scores: ZoneScore[] = [];
  const fired: string[] = [];
  let peak = 0;
  for (const zone of masks.zones) {
    let hits = 0;
    const m = zone.mask;
    for (let i = 0; i < n; i++) hits += m[i] & changed[i];
    const share = zone.pixels > 0 ? hits / zone.pixels : 0;
    const score = Math.round(share * 1000) / 10;
    const needed = Math.max(1, Math.ceil(areaThreshold(zone.sensitivity) * zone.pixels));
    const isFired = !isLightingChange && zone.pixels > 0 && hits >= needed;
    scores.push({ id: zone.id, score, changedPixels: hits, fired: isFired });
    if (isFired) fired.push(zone.id);
    if (!isLightingChange) peak = Math.max(peak, score);
  }

  const background = isLightingChange ? Float32Array.from(frame) : nextBg;
  const changedBox = consideredChanged > 0 && !isLightingChange ? { x1: minX / width, y1: minY / height, x2: (maxX + 1) / width, y2: (maxY + 1) / height } : null;
  return { scores, fired, peak, changedFraction, changedPixels: isLightingChange ? 0 : consideredChanged, changedBox, isLightingChange, nextState: { width, height, background, frames: state.frames + 1 } };
}
