// The converter's pure parts as tables: TF → ONNX weight layout, paddings, tensor references, the seeded parity noise.
// (The conversion as a whole is checked by its parity check and the pinned SHA-256 in `npm run build:model`.)
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { hwioToOihw, onnxPads, parseRef, seededPixels } from "./convert-nanodet";

describe("convert-nanodet helpers", () => {
  test("hwioToOihw: a 2×1 filter, 2 in, 3 out", () => {
    // TF [h][w][i][o]: value = 100h + 10i + o (w = 0).
    const hwio = [0, 1, 2, 10, 11, 12, 100, 101, 102, 110, 111, 112];
    // ONNX [o][i][h][w].
    assert.deepEqual([...hwioToOihw(hwio, [2, 1, 2, 3])], [0, 100, 10, 110, 1, 101, 11, 111, 2, 102, 12, 112]);
  });
  test("hwioToOihw: 1×1 is a plain transpose of [in, out]", () => {
    assert.deepEqual([...hwioToOihw([1, 2, 3, 4, 5, 6], [1, 1, 2, 3])], [1, 4, 2, 5, 3, 6]);
  });

  const pads: [number[], number[]][] = [
    [[0, 0, 0, 0, 1, 1, 1, 1], [0, 0, 1, 1, 0, 0, 1, 1]],
    [[0, 0, 1, 2, 3, 4, 0, 0], [0, 1, 3, 0, 0, 2, 4, 0]],
    [[5, 6], [5, 6]],
  ];
  for (const [tf, onnx] of pads) test(`onnxPads ${JSON.stringify(tf)}`, () => assert.deepEqual(onnxPads(tf), onnx));

  const refs: [string, ReturnType<typeof parseRef>][] = [
    ["PartitionedCall/Add", { node: "PartitionedCall/Add", output: 0 }],
    ["PartitionedCall/onnx_tf_prefix_Split_153:1", { node: "PartitionedCall/onnx_tf_prefix_Split_153", output: 1 }],
    ["^PartitionedCall/x", null],
  ];
  for (const [ref, parsed] of refs) test(`parseRef ${ref}`, () => assert.deepEqual(parseRef(ref), parsed));

  test("seeded noise is the same every time and covers 0…255", () => {
    const a = seededPixels(13, 4096);
    assert.deepEqual(a, seededPixels(13, 4096));
    assert.notDeepEqual(a, seededPixels(14, 4096));
    assert.ok(Math.min(...a) <= 2 && Math.max(...a) >= 253);
  });
});
