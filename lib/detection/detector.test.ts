// The detector on real footage with the real model (built by `npm run build:model`): people in vtest.avi, nothing of
// interest in tree.avi, a crop whose boxes land where the whole frame's did, and the typed errors for a missing or
// corrupt model file and a frame of the wrong size. Footage: Debian's opencv-doc (lib/testing/footage.ts).
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { openDetector, DetectorError, type Detector } from "./detector";
import { readFrames } from "../testing/footage";
import { iou, regionAround } from "./geometry";
import { groupOf } from "./labels";
import { MODEL, modelPath } from "./model";
import type { RgbFrame } from "./resize";

/** Frames of vtest.avi, all with pedestrians in them (SPIKE-REPORT.md), and of tree.avi before the arm appears (~54). */
const VTEST_FRAMES = [5, 100, 250, 400, 600];
const TREE_FRAMES = [10, 25, 40];
/** Score from which a detection counts (SPIKE-REPORT.md's threshold for NanoDet-m). */
const SURE = 0.5;

const isDetectorError = (code: string, message: RegExp) => (err: unknown) => err instanceof DetectorError && err.code === code && message.test(err.message);

describe("detector on real footage", () => {
  let detector: Detector;
  let vtest: RgbFrame[];
  let tree: RgbFrame[];
  before(async () => {
    detector = await openDetector({ modelPath: modelPath(), threads: 1 });
    vtest = readFrames("vtest.avi", VTEST_FRAMES);
    tree = readFrames("tree.avi", TREE_FRAMES);
  });
  after(() => detector?.close());

  test("finds people in every vtest.avi frame, with boxes inside the frame", async () => {
    for (const [k, frame] of vtest.entries()) {
      const { found, inferMs } = await detector.detect(frame);
      const people = found.filter((f) => f.label === "person" && f.score >= SURE);
      assert.ok(people.length >= 1, `frame ${VTEST_FRAMES[k]}: no person ≥ ${SURE} in ${JSON.stringify(found)}`);
      assert.ok(inferMs > 0 && inferMs < 10_000, `inferMs ${inferMs}`);
      for (const f of found) {
        assert.ok(f.x1 >= 0 && f.y1 >= 0 && f.x2 <= frame.width && f.y2 <= frame.height && f.x1 < f.x2 && f.y1 < f.y2, `frame ${VTEST_FRAMES[k]}: box ${JSON.stringify(f)}`);
        assert.ok(f.score >= 0.3 && f.score <= 1, "default minimum score 0.3");
        assert.notEqual(groupOf(f.label), null, "only labels Nightjar keeps");
      }
      assert.deepEqual(found.map((f) => f.score), [...found.map((f) => f.score)].sort((a, b) => b - a), "best first");
    }
  });

  test("finds no person, animal or vehicle in tree.avi (a tree in the wind)", async () => {
    for (const [k, frame] of tree.entries()) {
      const { found } = await detector.detect(frame, undefined, SURE);
      assert.deepEqual(found, [], `tree.avi frame ${TREE_FRAMES[k]}`);
    }
  });

  test("minScore filters: nothing scores above 0.999", async () => {
    assert.deepEqual((await detector.detect(vtest[0], undefined, 0.999)).found, []);
  });

  test("a person found in a crop lands where the whole frame found it", async () => {
    const frame = vtest[1];
    const whole = (await detector.detect(frame)).found.filter((f) => f.label === "person" && f.score >= SURE);
    assert.ok(whole.length > 0);
    const target = whole[0];
    const region = regionAround(target, frame, MODEL.inputSize);
    assert.ok(region.width < frame.width, `a crop, not the whole frame: ${JSON.stringify(region)}`);
    const { found } = await detector.detect(frame, region);
    const inCrop = found.filter((f) => f.label === "person");
    for (const f of found) assert.ok(f.x1 >= region.x && f.y1 >= region.y && f.x2 <= region.x + region.width && f.y2 <= region.y + region.height, `inside the region: ${JSON.stringify(f)}`);
    const best = Math.max(0, ...inCrop.map((f) => iou(f, target)));
    assert.ok(best > 0.5, `IoU ${best.toFixed(2)} between ${JSON.stringify(target)} and the crop's people ${JSON.stringify(inCrop)}`);
  });

  test("a frame of the wrong size, or a region outside it, is bad_frame", async () => {
    const short = { rgb: vtest[0].rgb.subarray(0, 768 * 576 * 3 - 3), width: 768, height: 576 };
    await assert.rejects(detector.detect(short), isDetectorError("bad_frame", /a 768×576 rgb24 frame is 1327104 bytes, not 1327101/));
    await assert.rejects(detector.detect({ ...vtest[0], width: 640 }), isDetectorError("bad_frame", /640×576/));
    await assert.rejects(detector.detect(vtest[0], { x: 500, y: 0, width: 416, height: 416 }), isDetectorError("bad_frame", /not inside the 768×576 frame/));
  });
});

describe("detector model file", () => {
  let tmp: string;
  before(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), "nightjar-detector-"))));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test("a missing file is model_missing and says how to build it", async () => {
    await assert.rejects(openDetector({ modelPath: path.join(tmp, "none.onnx") }), isDetectorError("model_missing", /no detection model at .*none\.onnx: run `npm run build:model`/));
  });

  test("a truncated copy is model_corrupt", async () => {
    const copy = path.join(tmp, "truncated.onnx");
    const bytes = fs.readFileSync(modelPath());
    fs.writeFileSync(copy, bytes.subarray(0, bytes.length >> 1));
    await assert.rejects(openDetector({ modelPath: copy }), isDetectorError("model_corrupt", /is not the NanoDet-m model Nightjar pins \(SHA-256 [0-9a-f]{64}, expected [0-9a-f]{64}\): delete it and run `npm run build:model`/));
  });
});
