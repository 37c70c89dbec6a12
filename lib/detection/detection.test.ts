// The detector's pure parts as tables: labels, box geometry (letterbox, mapping back, the region around motion), NMS,
// and NanoDet-m's input tensor and output decoding on hand-built outputs whose boxes are known.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { iou, letterbox, regionAround, toFrame, type Box } from "./geometry";
import { expandLabels, groupOf, labelOfClass } from "./labels";
import { BINS, CLASSES, decode, expectedDistance, inputTensor, INPUT_SIZE, MEAN_BGR, pairOutputs, STD_BGR, STRIDES } from "./nanodet";
import { nonMaxSuppression, type Detection } from "./nms";

const box = (x1: number, y1: number, x2: number, y2: number): Box => ({ x1, y1, x2, y2 });
const close = (a: number, b: number, eps = 1e-6) => assert.ok(Math.abs(a - b) <= eps, `${a} ≉ ${b}`);

describe("labels", () => {
  const classes: [number, string | null, string | null][] = [
    [0, "person", "person"],
    [2, "car", "vehicle"],
    [7, "truck", "vehicle"],
    [15, "cat", "animal"],
    [16, "dog", "animal"],
    [41, null, null], // cup: ignored
    [38, null, null], // kite: ignored
  ];
  for (const [id, label, group] of classes) test(`class ${id} → ${label ?? "ignored"}`, () => {
    assert.equal(labelOfClass(id), label);
    assert.equal(label ? groupOf(label) : null, group);
  });
  test("a group stands for its labels; unknown entries add nothing", () => {
    assert.deepEqual([...expandLabels(["person"])], ["person"]);
    assert.deepEqual([...expandLabels(["vehicle"])].sort(), ["bicycle", "bus", "car", "motorcycle", "truck"]);
    assert.ok(expandLabels(["animal", "car"]).has("cat"));
    assert.equal(expandLabels(["spaceship"]).size, 0);
  });
});

describe("geometry", () => {
  const ious: [string, Box, Box, number][] = [
    ["same box", box(0, 0, 10, 10), box(0, 0, 10, 10), 1],
    ["disjoint", box(0, 0, 10, 10), box(20, 20, 30, 30), 0],
    ["touching edges", box(0, 0, 10, 10), box(10, 0, 20, 10), 0],
    ["half overlap", box(0, 0, 10, 10), box(5, 0, 15, 10), 50 / 150],
    ["one inside the other", box(0, 0, 10, 10), box(0, 0, 5, 5), 25 / 100],
    ["an empty box", box(0, 0, 0, 0), box(0, 0, 10, 10), 0],
  ];
  for (const [name, a, b, expected] of ious) test(`iou: ${name}`, () => close(iou(a, b), expected));

  const boxes: [string, { width: number; height: number }, { scale: number; width: number; height: number }][] = [
    ["16:9 sub stream", { width: 640, height: 360 }, { scale: 0.65, width: 416, height: 234 }],
    ["4:3", { width: 768, height: 576 }, { scale: 416 / 768, width: 416, height: 312 }],
    ["portrait", { width: 360, height: 640 }, { scale: 0.65, width: 234, height: 416 }],
    ["square at the input size", { width: 416, height: 416 }, { scale: 1, width: 416, height: 416 }],
    ["smaller than the input: scaled up", { width: 208, height: 104 }, { scale: 2, width: 416, height: 208 }],
  ];
  for (const [name, size, expected] of boxes) test(`letterbox: ${name}`, () => {
    const got = letterbox(size, INPUT_SIZE);
    close(got.scale, expected.scale);
    assert.deepEqual([got.width, got.height], [expected.width, expected.height]);
  });
  test("letterbox refuses an empty frame", () => assert.throws(() => letterbox({ width: 0, height: 360 }, INPUT_SIZE), RangeError));

  test("toFrame undoes the letterbox and adds the region's origin; boxes in the padding are clamped", () => {
    const region = { x: 100, y: 50, width: 832, height: 832 };
    const { scale } = letterbox(region, INPUT_SIZE); // 0.5
    assert.deepEqual(toFrame(box(10, 20, 110, 220), region, scale), box(120, 90, 320, 490));
    const whole = { x: 0, y: 0, width: 640, height: 360 };
    const s = letterbox(whole, INPUT_SIZE).scale;
    assert.deepEqual(toFrame(box(0, 200, 416, 300), whole, s), box(0, 200 / 0.65, 640, 360), "below the picture: clamped to the frame");
  });

  const regions: [string, Box, { width: number; height: number }, { x: number; y: number; width: number; height: number }][] = [
    ["a small far object in 1080p: the input size around it", box(1000, 500, 1040, 580), { width: 1920, height: 1080 }, { x: 812, y: 332, width: 416, height: 416 }],
    ["near the corner: moved inside the frame", box(0, 0, 30, 30), { width: 1920, height: 1080 }, { x: 0, y: 0, width: 416, height: 416 }],
    ["a bigger object: grown by a quarter on each side", box(800, 200, 1200, 600), { width: 1920, height: 1080 }, { x: 700, y: 100, width: 600, height: 600 }],
    ["most of the frame: the whole frame", box(100, 100, 1800, 1000), { width: 1920, height: 1080 }, { x: 0, y: 0, width: 1920, height: 1080 }],
    ["a sub stream smaller than the input: the whole frame", box(10, 10, 20, 20), { width: 320, height: 240 }, { x: 0, y: 0, width: 320, height: 240 }],
    ["an empty motion box: the whole frame", box(50, 50, 50, 50), { width: 640, height: 360 }, { x: 0, y: 0, width: 640, height: 360 }],
  ];
  for (const [name, motion, frame, expected] of regions) test(`regionAround: ${name}`, () => {
    const r = regionAround(motion, frame, INPUT_SIZE);
    assert.deepEqual(r, expected);
    assert.ok(r.x >= 0 && r.y >= 0 && r.x + r.width <= frame.width && r.y + r.height <= frame.height, "inside the frame");
  });
});

describe("non-maximum suppression", () => {
  const det = (classId: number, score: number, b: Box): Detection => ({ ...b, classId, score });
  const cases: [string, Detection[], number[]][] = [
    ["overlapping boxes of one class: the best stays", [det(0, 0.6, box(0, 0, 10, 10)), det(0, 0.9, box(1, 0, 11, 10))], [0.9]],
    ["overlapping boxes of two classes: both stay", [det(0, 0.6, box(0, 0, 10, 10)), det(16, 0.9, box(1, 0, 11, 10))], [0.9, 0.6]],
    ["apart: both stay", [det(0, 0.6, box(0, 0, 10, 10)), det(0, 0.9, box(50, 0, 60, 10))], [0.9, 0.6]],
    ["IoU exactly at the threshold stays (suppression is above it)", [det(0, 0.9, box(0, 0, 30, 10)), det(0, 0.8, box(10, 0, 40, 10))], [0.9, 0.8]],
    ["a chain: the third overlaps only the suppressed second", [det(0, 0.9, box(0, 0, 10, 10)), det(0, 0.8, box(2, 0, 12, 10)), det(0, 0.7, box(6, 0, 16, 10))], [0.9, 0.7]],
    ["nothing", [], []],
  ];
  for (const [name, input, scores] of cases) test(name, () => assert.deepEqual(nonMaxSuppression(input).map((d) => d.score), scores));
});

describe("NanoDet-m input and output", () => {
  test("inputTensor: NCHW in B, G, R order, normalised; a frame of another size is refused", () => {
    const size = 2;
    const rgb = new Uint8Array([255, 0, 0, 0, 255, 0, 0, 0, 255, 114, 114, 114]);
    const t = inputTensor(rgb, size);
    assert.equal(t.length, 12);
    // Pixel 0 is pure red: B and G planes at their minimum, R plane at 255.
    close(t[0], (0 - MEAN_BGR[0]) / STD_BGR[0], 1e-5);
    close(t[4], (0 - MEAN_BGR[1]) / STD_BGR[1], 1e-5);
    close(t[8], (255 - MEAN_BGR[2]) / STD_BGR[2], 1e-5);
    // Pixel 2 is pure blue: the B plane's third value.
    close(t[2], (255 - MEAN_BGR[0]) / STD_BGR[0], 1e-5);
    assert.throws(() => inputTensor(new Uint8Array(11), size), /12 bytes, not 11/);
  });

  const oneHot = (k: number) => Array.from({ length: BINS }, (_, i) => (i === k ? 50 : 0));
  const distances: [string, number[], number][] = [
    ["all weight on bin 0", oneHot(0), 0],
    ["all weight on bin 3", oneHot(3), 3],
    ["all weight on the last bin", oneHot(BINS - 1), BINS - 1],
    ["uniform: the middle", Array(BINS).fill(1), (BINS - 1) / 2],
    ["two bins equally", Array.from({ length: BINS }, (_, i) => (i === 2 || i === 4 ? 50 : 0)), 3],
  ];
  for (const [name, logits, expected] of distances) test(`expectedDistance: ${name}`, () => close(expectedDistance(logits, 0), expected, 1e-9));

  /** Empty outputs (all scores 0) with `put` points set: stride, point index, class, score, distances in stride units. */
  function outputs(put: { stride: number; point: number; classId: number; score: number; ltrb: [number, number, number, number] }[]) {
    return STRIDES.map((stride) => {
        const n = Math.ceil(INPUT_SIZE / stride) ** 2;
      const scores = new Float32Array(n * CLASSES);
      const boxes = new Float32Array(n * 4 * BINS);
      for (const p of put.filter((x) => x.stride === stride)) {
        scores[p.point * CLASSES + p.classId] = p.score;
        p.ltrb.forEach((d, side) => (boxes[p.point * 4 * BINS + side * BINS + d] = 50));
      }
      return { stride, scores, boxes };
    });
  }

  test("decode: a point's best class above the threshold, its box from the centre and the distances × stride", () => {
    // Stride 16: a 26×26 grid; point 27 is column 1, row 1 → centre (24, 24). Distances 1, 2, 3, 4 bins × 16 px.
    const found = decode(outputs([{ stride: 16, point: 27, classId: 0, score: 0.8, ltrb: [1, 2, 3, 4] }]), 0.5);
    assert.equal(found.length, 1);
    assert.equal(found[0].classId, 0);
    close(found[0].score, 0.8, 1e-6);
    for (const [k, v] of [["x1", 24 - 16], ["y1", 24 - 32], ["x2", 24 + 48], ["y2", 24 + 64]] as const) close(found[0][k], Math.max(0, v), 1e-3);
  });

  test("decode: below the threshold, or a class not wanted, is not a detection; boxes are clamped to the input", () => {
    const out = outputs([
      { stride: 8, point: 0, classId: 0, score: 0.4, ltrb: [0, 0, 1, 1] },
      { stride: 32, point: 0, classId: 41, score: 0.9, ltrb: [1, 1, 1, 1] }, // a cup
      { stride: 32, point: 168, classId: 2, score: 0.7, ltrb: [2, 2, 10, 10] }, // the last point: a car running off the edge
    ]);
    const found = decode(out, 0.5, (c) => labelOfClass(c) !== null);
    assert.deepEqual(found.map((d) => d.classId), [2]);
    assert.deepEqual([found[0].x2, found[0].y2], [INPUT_SIZE, INPUT_SIZE]);
    close(found[0].x1, 400 - 64, 1e-3);
  });

  test("decode refuses outputs of another grid; pairOutputs matches scores and boxes by shape", () => {
    assert.throws(() => decode([{ stride: 8, scores: new Float32Array(10), boxes: new Float32Array(10) }], 0.5), /stride 8: expected 2704×80/);
    const raw = outputs([]);
    const shaped = raw.flatMap((o) => {
      const n = Math.ceil(INPUT_SIZE / o.stride) ** 2;
      return [{ dims: [1, n, 4 * BINS], data: o.boxes }, { dims: [1, n, CLASSES], data: o.scores }];
    });
    const paired = pairOutputs(shaped.reverse());
    assert.deepEqual(paired.map((p) => [p.stride, p.scores.length, p.boxes.length]), [[8, 2704 * 80, 2704 * 44], [16, 676 * 80, 676 * 44], [32, 169 * 80, 169 * 44]]);
    assert.throws(() => pairOutputs(shaped.slice(2)), /no outputs for stride/);
  });
});
