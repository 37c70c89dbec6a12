import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { footagePath, frameLabelScore, FOOTAGE_DIR, hasFootage, loadTruth, personCountScore, type Score, type TruthFrame } from "./footage";

const f = (frame: number, persons: number, labels: TruthFrame["labels"] = persons ? ["person"] : []): TruthFrame => ({ frame, persons, labels });

describe("personCountScore", () => {
  const truth = [f(0, 3), f(4, 0), f(8, 2)];
  const cases: { name: string; predictions: { frame: number; persons: number }[]; expected: Score & { frames: number } }[] = [
    { name: "exact counts", predictions: [{ frame: 0, persons: 3 }, { frame: 4, persons: 0 }, { frame: 8, persons: 2 }], expected: { frames: 3, tp: 5, fp: 0, fn: 0, precision: 1, recall: 1 } },
    { name: "one too many on an empty frame", predictions: [{ frame: 0, persons: 3 }, { frame: 4, persons: 1 }, { frame: 8, persons: 2 }], expected: { frames: 3, tp: 5, fp: 1, fn: 0, precision: 5 / 6, recall: 1 } },
    { name: "misses and extras on different frames do not cancel", predictions: [{ frame: 0, persons: 1 }, { frame: 4, persons: 0 }, { frame: 8, persons: 4 }], expected: { frames: 3, tp: 3, fp: 2, fn: 2, precision: 3 / 5, recall: 3 / 5 } },
    { name: "nothing found anywhere: precision 1 (no claim), recall 0", predictions: [{ frame: 0, persons: 0 }, { frame: 4, persons: 0 }, { frame: 8, persons: 0 }], expected: { frames: 3, tp: 0, fp: 0, fn: 5, precision: 1, recall: 0 } },
    { name: "frames without truth or without prediction are not scored", predictions: [{ frame: 0, persons: 3 }, { frame: 5, persons: 9 }], expected: { frames: 1, tp: 3, fp: 0, fn: 0, precision: 1, recall: 1 } },
    { name: "no frames in common: 0 / 0 ratios are 1", predictions: [], expected: { frames: 0, tp: 0, fp: 0, fn: 0, precision: 1, recall: 1 } },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(personCountScore(truth, c.predictions), c.expected));
  test("two predictions for one frame are refused", () => {
    assert.throws(() => personCountScore(truth, [{ frame: 0, persons: 1 }, { frame: 0, persons: 2 }]), /two predictions for frame 0/);
  });
});

describe("frameLabelScore", () => {
  const truth = [f(0, 2, ["person", "car", "truck"]), f(1, 0, ["car", "truck"]), f(2, 0, [])];
  const cases: { name: string; by?: "label" | "group"; predictions: { frame: number; labels: string[] }[]; expected: Record<string, Score> }[] = [
    {
      name: "per label: the van called car only misses truck twice; a person on the empty frame is a false positive",
      predictions: [{ frame: 0, labels: ["person", "car"] }, { frame: 1, labels: ["car"] }, { frame: 2, labels: ["person"] }],
      expected: {
        person: { tp: 1, fp: 1, fn: 0, precision: 0.5, recall: 1 },
        car: { tp: 2, fp: 0, fn: 0, precision: 1, recall: 1 },
        truck: { tp: 0, fp: 0, fn: 2, precision: 1, recall: 0 },
      },
    },
    {
      name: "per group: car or truck is a vehicle",
      by: "group",
      predictions: [{ frame: 0, labels: ["person", "car"] }, { frame: 1, labels: ["truck"] }, { frame: 2, labels: [] }],
      expected: { person: { tp: 1, fp: 0, fn: 0, precision: 1, recall: 1 }, vehicle: { tp: 2, fp: 0, fn: 0, precision: 1, recall: 1 } },
    },
    {
      name: "labels Nightjar does not report are ignored; repeated labels count once per frame",
      predictions: [{ frame: 0, labels: ["sports ball", "person", "person", "car", "truck"] }, { frame: 2, labels: ["kite", "dog"] }],
      expected: {
        person: { tp: 1, fp: 0, fn: 0, precision: 1, recall: 1 },
        dog: { tp: 0, fp: 1, fn: 0, precision: 0, recall: 1 },
        car: { tp: 1, fp: 0, fn: 0, precision: 1, recall: 1 },
        truck: { tp: 1, fp: 0, fn: 0, precision: 1, recall: 1 },
      },
    },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(frameLabelScore(truth, c.predictions, { by: c.by }), c.expected));
});

describe("the footage and its truth", () => {
  test("footagePath names the Debian package when the clip is missing", { skip: hasFootage("vtest.avi") && "opencv-doc is installed" }, () => {
    assert.throws(() => footagePath("vtest.avi"), /apt-get install opencv-doc/);
  });
  test("footagePath is the Debian path", { skip: !hasFootage("vtest.avi") && "apt-get install opencv-doc" }, () => {
    assert.equal(footagePath("vtest.avi"), `${FOOTAGE_DIR}/vtest.avi`);
  });
  test("vtest: at least 200 frames counted, persons in every one, the parked van and car", () => {
    const t = loadTruth("vtest.avi");
    assert.equal(t.decodedFrames, 795);
    assert.equal(t.fps, 10);
    assert.ok(t.frames.length >= 200, `${t.frames.length} frames`);
    assert.ok(t.frames.every((x) => x.persons > 0));
    assert.deepEqual(t.stationary.map((s) => s.label).sort(), ["car", "truck"]);
  });
  test("tree: every decodable frame, no person but the arm at the end", () => {
    const t = loadTruth("tree.avi");
    assert.equal(t.frames.length, t.decodedFrames);
    assert.deepEqual(t.frames.map((x) => x.frame), [...Array(t.decodedFrames).keys()]);
    assert.ok(t.frames.slice(0, 40).every((x) => x.labels.length === 0));
  });
});
