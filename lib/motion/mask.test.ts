import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { MotionPoint, MotionZone } from "./config";
import { buildMotionMasks, IMPLICIT_ZONE_ID, isInsidePolygon, rasterizePolygon } from "./mask";

const rect = (x0: number, y0: number, x1: number, y1: number): MotionPoint[] => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
];
const zone = (id: string, points: MotionPoint[], extra: Partial<MotionZone> = {}): MotionZone => ({ id, name: "", points, enabled: true, sensitivity: 50, kind: "detect", ...extra });

describe("isInsidePolygon (even-odd)", () => {
  const lShape: MotionPoint[] = [
    [0, 0],
    [0.5, 0],
    [0.5, 0.5],
    [1, 0.5],
    [1, 1],
    [0, 1],
  ];
  const bowtie: MotionPoint[] = [
    [0, 0],
    [1, 1],
    [1, 0],
    [0, 1],
  ];
  const cases: [string, MotionPoint[], number, number, boolean][] = [
    ["square: centre", rect(0.2, 0.2, 0.8, 0.8), 0.5, 0.5, true],
    ["square: outside", rect(0.2, 0.2, 0.8, 0.8), 0.9, 0.5, false],
    ["concave L: in the foot", lShape, 0.75, 0.75, true],
    ["concave L: in the notch", lShape, 0.75, 0.25, false],
    ["self-intersecting bowtie: left lobe", bowtie, 0.1, 0.5, true],
    ["self-intersecting bowtie: top gap", bowtie, 0.5, 0.1, false],
  ];
  for (const [name, poly, x, y, expected] of cases) test(name, () => assert.equal(isInsidePolygon(x, y, poly), expected));
});

describe("rasterizePolygon", () => {
  test("pixel centres decide: the middle half of 64×36 is 32×18 pixels", () => {
    const m = rasterizePolygon(rect(0.25, 0.25, 0.75, 0.75), 64, 36);
    assert.equal(m.reduce((a, b) => a + b, 0), 32 * 18);
    assert.equal(m[9 * 64 + 16], 1, "first pixel inside");
    assert.equal(m[8 * 64 + 16], 0, "row above");
    assert.equal(m[9 * 64 + 15], 0, "column left");
  });
  test("a polygon thinner than a pixel covers nothing", () => {
    assert.equal(rasterizePolygon(rect(0.5, 0.5, 0.505, 0.505), 64, 36).reduce((a, b) => a + b, 0), 0);
  });
});

describe("buildMotionMasks", () => {
  const W = 64;
  const H = 36;
  const left = rect(0, 0, 0.5, 1);
  const right = rect(0.5, 0, 1, 1);
  const cases: [string, MotionZone[], { id: string; pixels: number; sensitivity: number }[], number][] = [
    ["no zones: one implicit zone, the whole frame, camera sensitivity", [], [{ id: IMPLICIT_ZONE_ID, pixels: W * H, sensitivity: 70 }], W * H],
    ["a mask cuts the implicit zone", [zone("m", left, { kind: "mask" })], [{ id: IMPLICIT_ZONE_ID, pixels: (W * H) / 2, sensitivity: 70 }], (W * H) / 2],
    ["a disabled mask does nothing", [zone("m", left, { kind: "mask", enabled: false })], [{ id: IMPLICIT_ZONE_ID, pixels: W * H, sensitivity: 70 }], W * H],
    [
      "detect zones keep their own sensitivity",
      [zone("l", left, { sensitivity: 90 }), zone("r", right, { sensitivity: 10 })],
      [
        { id: "l", pixels: (W * H) / 2, sensitivity: 90 },
        { id: "r", pixels: (W * H) / 2, sensitivity: 10 },
      ],
      W * H,
    ],
    [
      "a mask subtracts from every detect zone",
      [zone("l", left), zone("r", right), zone("m", rect(0, 0, 1, 0.5), { kind: "mask" })],
      [
        { id: "l", pixels: (W * H) / 4, sensitivity: 50 },
        { id: "r", pixels: (W * H) / 4, sensitivity: 50 },
      ],
      (W * H) / 2,
    ],
    ["disabled detect zones are skipped", [zone("l", left), zone("r", right, { enabled: false })], [{ id: "l", pixels: (W * H) / 2, sensitivity: 50 }], W * H],
    ["all detect zones disabled: nothing can fire (no implicit zone)", [zone("l", left, { enabled: false })], [], W * H],
    ["a fully masked zone has no pixels", [zone("l", left), zone("m", left, { kind: "mask" })], [{ id: "l", pixels: 0, sensitivity: 50 }], (W * H) / 2],
  ];
  for (const [name, zones, expected, considered] of cases) {
    test(name, () => {
      const masks = buildMotionMasks({ zones, sensitivity: 70 }, W, H);
      assert.deepEqual(
        masks.zones.map((z) => ({ id: z.id, pixels: z.pixels, sensitivity: z.sensitivity })),
        expected,
      );
      for (const z of masks.zones) assert.equal(z.mask.reduce((a, b) => a + b, 0), z.pixels);
      assert.equal(masks.consideredPixels, considered);
    });
  }
  test("masked pixels are 0 in every zone mask", () => {
    const masks = buildMotionMasks({ zones: [zone("all", rect(0, 0, 1, 1)), zone("m", rect(0.25, 0.25, 0.75, 0.75), { kind: "mask" })], sensitivity: 50 }, W, H);
    const centre = 18 * W + 32;
    assert.equal(masks.zones[0].mask[centre], 0);
    assert.equal(masks.considered[centre], 0);
    assert.equal(masks.zones[0].mask[0], 1);
  });
  test("a bad size is refused", () => {
    assert.throws(() => buildMotionMasks({ zones: [], sensitivity: 50 }, 0, 36), RangeError);
  });
});
