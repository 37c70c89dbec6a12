import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { MotionConfig, MotionPoint, MotionZone } from "./config";
import { buildMotionMasks, IMPLICIT_ZONE_ID } from "./mask";
import { areaThreshold, createMotionState, downscaleGrey, pixelThreshold, scoreFrame, type FrameScore } from "./score";
import { createSyntheticScene, rectAlong, type SyntheticFrameOptions, type SyntheticRect } from "./synthetic";

const W = 64;
const H = 36;
const rect = (x0: number, y0: number, x1: number, y1: number): MotionPoint[] => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
];
const zone = (id: string, points: MotionPoint[], extra: Partial<MotionZone> = {}): MotionZone => ({ id, name: "", points, enabled: true, sensitivity: 50, kind: "detect", ...extra });

/** Scores `frames` frames of a synthetic scene (10 still warm-up frames first); returns the results after warm-up. */
function run(options: {
  config?: Partial<Pick<MotionConfig, "zones" | "sensitivity">>;
  frames: number;
  scene?: { texture?: number; noise?: number; seed?: number };
  at: (i: number) => SyntheticFrameOptions;
}): FrameScore[] {
  const config = { zones: [], sensitivity: 50, ...options.config };
  const scene = createSyntheticScene({ width: W, height: H, ...options.scene });
  const masks = buildMotionMasks(config, W, H);
  let state = createMotionState(W, H);
  const out: FrameScore[] = [];
  for (let i = 0; i < 10 + options.frames; i++) {
    const r = scoreFrame(state, scene.frame(i, i < 10 ? {} : options.at(i - 10)), masks, config);
    state = r.nextState;
    if (i >= 10) out.push(r);
  }
  return out;
}
const moving = (r: SyntheticRect, toX: number, toY: number, frames: number) => (i: number) => ({ rects: [rectAlong(r, toX, toY, i / (frames - 1))] });
/** A bright rectangle of 10 % of the frame (0.25 × 0.4), moving left to right. */
const bigRect: SyntheticRect = { x: 0.05, y: 0.3, w: 0.25, h: 0.4, luma: 230 };

describe("sensitivity mapping", () => {
  const cases: [number, number, number][] = [
    // [sensitivity, pixel threshold (luma levels), area threshold (fraction of the zone)]
    [1, 60, 0.2],
    [50, 33, 0.0103],
    [100, 6, 0.0005],
  ];
  for (const [s, pixel, area] of cases) {
    test(`sensitivity ${s}: pixel ${pixel}, area ${area}`, () => {
      assert.equal(pixelThreshold(s), pixel);
      assert.ok(Math.abs(areaThreshold(s) - area) < 0.0001, String(areaThreshold(s)));
    });
  }
  test("both thresholds fall monotonically as sensitivity rises; out-of-range values clamp", () => {
    for (let s = 2; s <= 100; s++) {
      assert.ok(pixelThreshold(s) <= pixelThreshold(s - 1));
      assert.ok(areaThreshold(s) < areaThreshold(s - 1));
    }
    assert.equal(pixelThreshold(0), 60);
    assert.equal(pixelThreshold(500), 6);
  });
});

describe("downscaleGrey", () => {
  test("box average", () => {
    const src = Uint8Array.from([0, 10, 20, 30, 100, 110, 120, 130]); // 4×2
    assert.deepEqual([...downscaleGrey(src, 4, 2, 2, 1)], [55, 75]);
    assert.deepEqual([...downscaleGrey(src, 4, 2, 4, 2)], [...src]);
  });
  test("averaging 5×5 pixels cuts sensor noise: 320×180 with ±12 noise does not fire at sensitivity 80 once at 64×36", () => {
    const scene = createSyntheticScene({ width: 320, height: 180, noise: 12 });
    const masks = buildMotionMasks({ zones: [], sensitivity: 80 }, W, H);
    let state = createMotionState(W, H);
    for (let i = 0; i < 20; i++) {
      const r = scoreFrame(state, downscaleGrey(scene.frame(i), 320, 180, W, H), masks, { sensitivity: 80 });
      state = r.nextState;
      assert.deepEqual(r.fired, []);
      assert.equal(r.changedFraction, 0);
    }
  });
  test("refuses upscaling and size mismatches", () => {
    assert.throws(() => downscaleGrey(new Uint8Array(4), 2, 2, 4, 4), RangeError);
    assert.throws(() => downscaleGrey(new Uint8Array(3), 2, 2, 1, 1), RangeError);
  });
});

describe("scoreFrame", () => {
  test("the first frame only seeds the background", () => {
    const masks = buildMotionMasks({ zones: [], sensitivity: 50 }, W, H);
    const r = scoreFrame(createMotionState(W, H), createSyntheticScene({ width: W, height: H }).frame(0), masks, { sensitivity: 50 });
    assert.deepEqual(r.fired, []);
    assert.equal(r.nextState.frames, 1);
    assert.ok(r.nextState.background);
  });

  test("static noise stays below the threshold at the default sensitivity", () => {
    const r = run({ frames: 50, scene: { noise: 4 }, at: () => ({}) });
    assert.ok(r.every((x) => x.fired.length === 0 && x.peak === 0 && !x.isLightingChange));
  });

  test("a moving rectangle of 10 % of the frame fires in every frame", () => {
    const r = run({ frames: 20, at: moving(bigRect, 0.7, 0.3, 20) });
    for (const x of r) {
      assert.deepEqual(x.fired, [IMPLICIT_ZONE_ID]);
      assert.ok(x.peak >= 9 && x.peak <= 25, `peak ${x.peak}`);
      assert.equal(x.isLightingChange, false);
    }
  });

  test("changedBox frames what changed (where detection looks); none on a still frame or a lighting change", () => {
    // A still rectangle (no motion), then the big rectangle still in one place: changed pixels = the rectangle's area
    // against the background it covers, so the box is its outline.
    const still = run({ frames: 1, at: () => ({}) });
    assert.equal(still[0].changedBox, null);
    assert.equal(still[0].changedPixels, 0);
    const placed = run({ frames: 1, at: () => ({ rects: [bigRect] }) })[0];
    assert.ok(placed.changedBox, "a box");
    const b = placed.changedBox!;
    // Within a grid cell (1/64, 1/36) of the rectangle's own outline.
    for (const [got, want, cell] of [
      [b.x1, bigRect.x, 1 / W],
      [b.x2, bigRect.x + bigRect.w, 1 / W],
      [b.y1, bigRect.y, 1 / H],
      [b.y2, bigRect.y + bigRect.h, 1 / H],
    ] as const)
      assert.ok(Math.abs(got - want) <= cell + 1e-9, `${got} vs ${want}`);
    assert.ok(placed.changedPixels > 0.08 * W * H);
    const dark = run({ frames: 1, at: () => ({ brightness: 120 }) })[0];
    assert.equal(dark.isLightingChange, true);
    assert.equal(dark.changedBox, null);
    assert.equal(dark.changedPixels, 0);
  });

  // A small (1 % of the frame), low-contrast object (+40 over a flat-ish background).
  const small: SyntheticRect = { x: 0.2, y: 0.4, w: 0.1, h: 0.1, luma: 140 };
  const smallCases: [number, boolean][] = [
    [1, false],
    [100, true],
  ];
  for (const [sensitivity, fires] of smallCases) {
    test(`a small faint object ${fires ? "fires" : "does not fire"} at sensitivity ${sensitivity}`, () => {
      const r = run({ config: { sensitivity }, frames: 10, scene: { texture: 8, noise: 2 }, at: moving(small, 0.6, 0.4, 10) });
      assert.equal(r.every((x) => x.fired.length > 0), fires);
      assert.equal(r.some((x) => x.fired.length > 0), fires);
    });
  }

  test("a zone's own sensitivity decides its area threshold", () => {
    const zones = [zone("near", rect(0, 0, 0.5, 1), { sensitivity: 1 }), zone("far", rect(0.5, 0, 1, 1), { sensitivity: 100 })];
    const obj = (x: number): SyntheticRect => ({ x, y: 0.4, w: 0.06, h: 0.12, luma: 230 });
    assert.ok(run({ config: { zones }, frames: 5, at: moving(obj(0.1), 0.3, 0.4, 5) }).every((x) => x.fired.length === 0));
    assert.ok(run({ config: { zones }, frames: 5, at: moving(obj(0.6), 0.8, 0.4, 5) }).every((x) => x.fired.join() === "far"));
  });

  // [name, zones, where the rectangle moves (x from → to), expected fired zones per frame]
  const left = rect(0, 0, 0.5, 1);
  const right = rect(0.5, 0, 1, 1);
  const zoneCases: [string, MotionZone[], [number, number], string[]][] = [
    ["motion inside a mask is ignored", [zone("m", left, { kind: "mask" })], [0.02, 0.2], []],
    ["motion outside the mask still fires", [zone("m", left, { kind: "mask" })], [0.55, 0.7], [IMPLICIT_ZONE_ID]],
    ["a zone fires only for motion inside it (left)", [zone("l", left), zone("r", right)], [0.02, 0.2], ["l"]],
    ["a zone fires only for motion inside it (right)", [zone("l", left), zone("r", right)], [0.55, 0.7], ["r"]],
    ["a mask over part of a zone", [zone("l", left), zone("r", right), zone("m", rect(0, 0, 1, 0.5), { kind: "mask" })], [0.55, 0.7], ["r"]],
    ["a disabled zone never fires", [zone("l", left, { enabled: false }), zone("r", right)], [0.02, 0.2], []],
    ["motion outside all detect zones is ignored", [zone("top", rect(0, 0, 1, 0.2))], [0.02, 0.7], []],
  ];
  for (const [name, zones, [from, to], fired] of zoneCases) {
    test(name, () => {
      const r = run({ config: { zones }, frames: 8, at: moving({ ...bigRect, x: from, w: 0.2 }, to, 0.3, 8) });
      for (const x of r) assert.deepEqual(x.fired, fired);
    });
  }

  test("a global brightness step is a lighting change, and the background snaps to it", () => {
    const r = run({ frames: 5, at: () => ({ brightness: 60 }) });
    assert.equal(r[0].isLightingChange, true);
    assert.deepEqual(r[0].fired, []);
    assert.equal(r[0].peak, 0);
    assert.ok(r[0].changedFraction > 0.9);
    for (const x of r.slice(1)) assert.ok(!x.isLightingChange && x.fired.length === 0);
  });

  test("IR switching to night (darker, flatter image) is a lighting change too", () => {
    const r = run({ frames: 3, at: () => ({ brightness: -70 }) });
    assert.equal(r[0].isLightingChange, true);
    assert.deepEqual(r[0].fired, []);
  });

  test("a slow brightening (dusk, +1 level per frame) is absorbed by the background", () => {
    const r = run({ frames: 60, at: (i) => ({ brightness: i + 1 }) });
    assert.ok(r.every((x) => x.fired.length === 0 && !x.isLightingChange));
  });

  test("a big object close to the camera is motion, not lighting (below the lighting fraction)", () => {
    const r = run({ frames: 3, at: () => ({ rects: [{ x: 0, y: 0, w: 0.6, h: 1, luma: 240 }] }) });
    assert.equal(r[0].isLightingChange, false);
    assert.deepEqual(r[0].fired, [IMPLICIT_ZONE_ID]);
  });

  test("scoring does not modify its input state", () => {
    const masks = buildMotionMasks({ zones: [], sensitivity: 50 }, W, H);
    const scene = createSyntheticScene({ width: W, height: H });
    const s1 = scoreFrame(createMotionState(W, H), scene.frame(0), masks, { sensitivity: 50 }).nextState;
    const before = Float32Array.from(s1.background!);
    scoreFrame(s1, scene.frame(1, { rects: [bigRect] }), masks, { sensitivity: 50 });
    assert.deepEqual(s1.background, before);
  });

  test("size mismatches are refused", () => {
    const masks = buildMotionMasks({ zones: [], sensitivity: 50 }, 80, 45);
    assert.throws(() => scoreFrame(createMotionState(W, H), new Uint8Array(W * H), masks, { sensitivity: 50 }), RangeError);
    assert.throws(() => scoreFrame(createMotionState(W, H), new Uint8Array(10), buildMotionMasks({ zones: [], sensitivity: 50 }, W, H), { sensitivity: 50 }), RangeError);
  });
});
