// Zones → per-pixel masks at the analysis size. Built once per camera config (not per frame): each enabled detect
// zone becomes a Uint8Array (1 = this pixel counts for the zone), with every enabled mask polygon cut out of it.
import type { MotionConfig, MotionPoint } from "./config";

/** Id of the implicit zone (the whole frame minus masks) used when a camera has no detect zones. */
export const IMPLICIT_ZONE_ID = "frame";

export type ZoneMask = {
  id: string;
  /** 1–100, the zone's own (or, for the implicit zone, the camera's) sensitivity. */
  sensitivity: number;
  /** width×height, row-major; 1 = the pixel counts for this zone, 0 = outside or masked. */
  mask: Uint8Array;
  /** Number of 1s in `mask`; 0 = the zone can never fire (tiny polygon, or fully masked). */
  pixels: number;
};

export type MotionMasks = {
  width: number;
  height: number;
  /** Enabled detect zones in config order; the implicit zone alone when no detect zones are defined. */
  zones: ZoneMask[];
  /** 1 = not under any enabled mask: the pixels the lighting-change rule looks at. */
  considered: Uint8Array;
  consideredPixels: number;
};

/**
 * Even-odd point-in-polygon (ray cast to +x). Points on an edge may fall either way; pixel centres are never on a
 * grid-aligned edge in practice. Works for concave and self-intersecting polygons.
 */
export function isInsidePolygon(x: number, y: number, points: readonly MotionPoint[]): boolean {
  let inside = false;
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
    const [xi, yi] = points[i];
    const [xj, yj] = points[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Rasterizes a normalized polygon at pixel centres ((i + 0.5) / width, (j + 0.5) / height): 1 = inside. */
export function rasterizePolygon(points: readonly MotionPoint[], width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height);
  if (points.length < 3) return out;
  let minY = 1;
  let maxY = 0;
  for (const [, y] of points) {
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
  }
  // Only rows whose centre lies within the polygon's vertical extent can be inside.
  const rowFrom = Math.max(0, Math.floor(minY * height - 0.5));
  const rowTo = Math.min(height - 1, Math.ceil(maxY * height - 0.5));
  for (let row = rowFrom; row <= rowTo; row++) {
    const y = (row + 0.5) / height;
    for (let col = 0; col < width; col++) {
      if (isInsidePolygon((col + 0.5) / width, y, points)) out[row * width + col] = 1;
    }
  }
  return out;
}

function count(mask: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < mask.length; i++) n += mask[i];
  return n;
}

/**
 * Builds the masks for a frame of width×height. Enabled "mask" zones are subtracted from every detect zone (and
 * from the implicit zone). No detect zones at all → one implicit zone, the whole frame with the camera's
 * sensitivity. Detect zones that exist but are all disabled → no zones: nothing can fire (the user switched them off).
 */
export function buildMotionMasks(config: Pick<MotionConfig, "zones" | "sensitivity">, width: number, height: number): MotionMasks {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) throw new RangeError(`bad mask size ${width}×${height}`);
  const considered = new Uint8Array(width * height).fill(1);
  for (const zone of config.zones) {
    if (zone.kind !== "mask" || !zone.enabled) continue;
    const m = rasterizePolygon(zone.points, width, height);
    for (let i = 0; i < m.length; i++) if (m[i]) considered[i] = 0;
  }
  const detect = config.zones.filter((z) => z.kind === "detect");
  const zones: ZoneMask[] = [];
  if (detect.length === 0) {
    zones.push({ id: IMPLICIT_ZONE_ID, sensitivity: config.sensitivity, mask: considered.slice(), pixels: count(considered) });
  } else {
    for (const zone of detect) {
      if (!zone.enabled) continue;
      const m = rasterizePolygon(zone.points, width, height);
      for (let i = 0; i < m.length; i++) m[i] &= considered[i];
      zones.push({ id: zone.id, sensitivity: zone.sensitivity, mask: m, pixels: count(m) });
    }
  }
  return { width, height, zones, considered, consideredPixels: count(considered) };
}
