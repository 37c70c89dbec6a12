// Crop + letterbox of rgb24 frames into the detector's square picture, as tables of frames whose output is known.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { letterboxRgb, type RgbFrame } from "./resize";

/** A width×height frame whose pixel (x, y) has the colour `at(x, y)`. */
function frameOf(width: number, height: number, at: (x: number, y: number) => [number, number, number]): RgbFrame {
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) rgb.set(at(x, y), (y * width + x) * 3);
  return { rgb, width, height };
}
const pixel = (rgb: Uint8Array, size: number, x: number, y: number) => [...rgb.subarray((y * size + x) * 3, (y * size + x) * 3 + 3)];
const whole = (f: RgbFrame) => ({ x: 0, y: 0, width: f.width, height: f.height });
/** A colour that differs for every pixel of a frame up to 256×256 and from every neighbour. */
const pattern = (x: number, y: number): [number, number, number] => [x % 256, y % 256, (x * 7 + y * 13) % 256];

describe("letterboxRgb", () => {
  test("a 416×416 frame at 416 is copied unchanged (scale 1, no padding)", () => {
    const f = frameOf(416, 416, pattern);
    const out = letterboxRgb(f, whole(f), 416);
    assert.equal(out.scale, 1);
    assert.deepEqual([out.width, out.height], [416, 416]);
    assert.deepEqual(out.rgb, f.rgb);
  });

  test("halving averages each 2×2 block (columns alternate 0/200, rows alternate +0/+40)", () => {
    const f = frameOf(832, 832, (x, y) => [x % 2 ? 200 : 0, y % 2 ? 40 : 0, 90]);
    const out = letterboxRgb(f, whole(f), 416);
    assert.equal(out.scale, 0.5);
    for (const [x, y] of [[0, 0], [207, 100], [415, 415]]) assert.deepEqual(pixel(out.rgb, 416, x, y), [100, 20, 90], `(${x}, ${y})`);
  });

  const cases: { name: string; frame: RgbFrame; region?: { x: number; y: number; width: number; height: number }; scale: number; size: [number, number]; expect: [number, number, number[]][] }[] = [
    {
      name: "a wide frame fills the width; the rows below are grey 114",
      frame: frameOf(832, 416, () => [10, 20, 30]),
      scale: 0.5,
      size: [416, 208],
      expect: [[0, 0, [10, 20, 30]], [415, 207, [10, 20, 30]], [0, 208, [114, 114, 114]], [415, 415, [114, 114, 114]]],
    },
    {
      name: "a tall frame fills the height; the columns to the right are grey",
      frame: frameOf(208, 832, () => [1, 2, 3]),
      scale: 0.5,
      size: [104, 416],
      expect: [[103, 415, [1, 2, 3]], [104, 0, [114, 114, 114]]],
    },
    {
      name: "a crop starts at the region's origin (no scaling for a 416 region)",
      frame: frameOf(500, 480, pattern),
      region: { x: 10, y: 20, width: 416, height: 416 },
      scale: 1,
      size: [416, 416],
      expect: [[0, 0, pattern(10, 20)], [5, 7, pattern(15, 27)], [415, 415, pattern(425, 435)]],
    },
    {
      name: "a crop of a 2× region picks the crop's own pixels (uniform blocks keep their colour)",
      frame: frameOf(1000, 900, (x, y) => (x >= 100 && y >= 50 ? [x < 516 ? 50 : 150, y < 466 ? 60 : 160, 7] : [255, 255, 255])),
      region: { x: 100, y: 50, width: 832, height: 832 },
      scale: 0.5,
      size: [416, 416],
      expect: [[0, 0, [50, 60, 7]], [206, 206, [50, 60, 7]], [209, 209, [150, 160, 7]], [415, 415, [150, 160, 7]]],
    },
    {
      name: "odd sizes: 5×3 is scaled up by 83.2 to 416×250; the corners are the source corners",
      frame: frameOf(5, 3, pattern),
      scale: 416 / 5,
      size: [416, 250],
      expect: [[0, 0, pattern(0, 0)], [415, 0, pattern(4, 0)], [0, 249, pattern(0, 2)], [415, 249, pattern(4, 2)], [0, 250, [114, 114, 114]]],
    },
    {
      name: "odd sizes: 767×575 keeps its aspect (416×312) and maps the corners to the corners",
      frame: frameOf(767, 575, (x, y) => (x === 0 && y === 0 ? [9, 9, 9] : x === 766 && y === 574 ? [250, 250, 250] : [128, 128, 128])),
      scale: 416 / 767,
      size: [416, 312],
      expect: [[100, 100, [128, 128, 128]], [0, 312, [114, 114, 114]]],
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const out = letterboxRgb(c.frame, c.region ?? whole(c.frame), 416);
      assert.equal(out.rgb.length, 416 * 416 * 3);
      assert.ok(Math.abs(out.scale - c.scale) < 1e-9, `scale ${out.scale}`);
      assert.deepEqual([out.width, out.height], c.size);
      for (const [x, y, colour] of c.expect) assert.deepEqual(pixel(out.rgb, 416, x, y), colour, `(${x}, ${y})`);
    });
  }

  test("the pad grey can be chosen", () => {
    const f = frameOf(832, 416, () => [0, 0, 0]);
    assert.deepEqual(pixel(letterboxRgb(f, whole(f), 416, 0).rgb, 416, 0, 300), [0, 0, 0]);
  });

  const refused: [string, RgbFrame, { x: number; y: number; width: number; height: number } | null, RegExp][] = [
    ["a buffer one byte short", { rgb: new Uint8Array(768 * 576 * 3 - 1), width: 768, height: 576 }, null, /a 768×576 rgb24 frame is 1327104 bytes, not 1327103/],
    ["a yuv420p-sized buffer", { rgb: new Uint8Array((768 * 576 * 3) / 2), width: 768, height: 576 }, null, /1327104 bytes, not 663552/],
    ["a zero-width frame", { rgb: new Uint8Array(0), width: 0, height: 576 }, null, /positive whole width and height, not 0×576/],
    ["a region past the right edge", { rgb: new Uint8Array(768 * 576 * 3), width: 768, height: 576 }, { x: 400, y: 0, width: 416, height: 416 }, /region 416×416 at \(400, 0\) is not inside the 768×576 frame/],
    ["a region with fractions", { rgb: new Uint8Array(768 * 576 * 3), width: 768, height: 576 }, { x: 0.5, y: 0, width: 100, height: 100 }, /not inside/],
    ["an empty region", { rgb: new Uint8Array(768 * 576 * 3), width: 768, height: 576 }, { x: 0, y: 0, width: 0, height: 10 }, /not inside/],
  ];
  for (const [name, frame, region, message] of refused) {
    test(`refuses ${name}`, () => assert.throws(() => letterboxRgb(frame, region ?? { x: 0, y: 0, width: 768, height: 576 }, 416), (err: Error) => err instanceof RangeError && message.test(err.message)));
  }
});
