// Synthetic grey frames for tests and benchmarks, deterministic from a seed: a fixed textured background, per-frame
// sensor noise, bright rectangles at given positions and a global brightness offset (lights, IR switching).

/** A seeded PRNG (mulberry32): uniform in [0, 1). Same seed → same sequence on every run and platform. */
export function createRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A rectangle in normalized frame coordinates (0..1, origin top left), filled with one luma value (0–255). */
export type SyntheticRect = { x: number; y: number; w: number; h: number; luma: number };

export type SyntheticSceneOptions = {
  width: number;
  height: number;
  seed?: number;
  /** Mean luma of the background (0–255). */
  baseLuma?: number;
  /** Fixed background texture: each pixel is baseLuma ± texture (uniform), the same in every frame. */
  texture?: number;
  /** Sensor noise: each pixel of each frame gets ± noise (uniform), different per frame index. */
  noise?: number;
};

export type SyntheticFrameOptions = {
  rects?: readonly SyntheticRect[];
  /** Added to every pixel (after noise, before clamping), e.g. +80 for lights switching on. */
  brightness?: number;
};

export type SyntheticScene = {
  width: number;
  height: number;
  /** Frame number `index` (its noise depends on seed and index only). */
  frame(index: number, options?: SyntheticFrameOptions): Uint8Array;
};

export function createSyntheticScene(options: SyntheticSceneOptions): SyntheticScene {
  const { width, height, seed = 1, baseLuma = 100, texture = 30, noise = 3 } = options;
  const rng = createRng(seed);
  const background = new Float32Array(width * height);
  for (let i = 0; i < background.length; i++) background[i] = baseLuma + (rng() * 2 - 1) * texture;
  return {
    width,
    height,
    frame(index, { rects = [], brightness = 0 } = {}) {
      const frameRng = createRng((seed * 0x9e3779b1 + index * 0x85ebca6b) >>> 0);
      const out = new Uint8Array(width * height);
      for (let i = 0; i < out.length; i++) out[i] = clampLuma(background[i] + (frameRng() * 2 - 1) * noise + brightness);
      for (const r of rects) {
        const x0 = Math.max(0, Math.round(r.x * width));
        const x1 = Math.min(width, Math.round((r.x + r.w) * width));
        const y0 = Math.max(0, Math.round(r.y * height));
        const y1 = Math.min(height, Math.round((r.y + r.h) * height));
        for (let y = y0; y < y1; y++) out.fill(clampLuma(r.luma + brightness), y * width + x0, y * width + x1);
      }
      return out;
    },
  };
}

/** The rectangle `rect` moved linearly from its position to (toX, toY) at t (0..1). */
export function rectAlong(rect: SyntheticRect, toX: number, toY: number, t: number): SyntheticRect {
  return { ...rect, x: rect.x + (toX - rect.x) * t, y: rect.y + (toY - rect.y) * t };
}

function clampLuma(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
}
