import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { addToEvent, emptyEventObjects, judgeFrame, toFractions, type FractionBox } from "./judge";
import { detectionSettingsSchema } from "./settings";
import { emptyTracker } from "./tracker";

const settings = (s: object = {}) => detectionSettingsSchema.parse({ enabled: true, ...s });
const box = (label: FractionBox["label"], score: number, x1: number, y1 = 0.2, w = 0.1, h = 0.3): FractionBox => ({ label, score, x1, y1, x2: x1 + w, y2: y1 + h });
const noZones = () => [];

describe("toFractions", () => {
  test("pixels to fractions of the frame, clipped", () => {
    assert.deepEqual(toFractions([{ label: "person", score: 0.8, x1: -10, y1: 36, x2: 320, y2: 400 }], 640, 360), [{ label: "person", score: 0.8, x1: 0, y1: 0.1, x2: 0.5, y2: 1 }]);
  });
});

describe("judgeFrame", () => {
  const cases: [string, object, FractionBox[], { box: FractionBox; label: string; cameraId: string }[], string[] | null, string[]][] = [
    ["a person of interest counts", {}, [box("person", 0.8, 0.1)], [], null, ["person"]],
    ["below the default minimum score (0.5)", {}, [box("person", 0.45, 0.1)], [], null, []],
    ["a label's own minimum", { minScoreByLabel: { cat: 0.3 } }, [box("cat", 0.35, 0.1), box("dog", 0.35, 0.5)], [], null, ["cat"]],
    ["labels of interest: vehicles only", { labels: ["vehicle"] }, [box("person", 0.9, 0.1), box("car", 0.7, 0.5)], [], null, ["car"]],
    ["marked wrong at the same place: suppressed", {}, [box("person", 0.9, 0.1)], [{ box: box("person", 0.6, 0.1), label: "person", cameraId: "cam" }], null, []],
    ["marked wrong on another camera: counts", {}, [box("person", 0.9, 0.1)], [{ box: box("person", 0.6, 0.1), label: "person", cameraId: "other" }], null, ["person"]],
    ["marked wrong elsewhere in the picture: counts", {}, [box("person", 0.9, 0.1)], [{ box: box("person", 0.6, 0.6), label: "person", cameraId: "cam" }], null, ["person"]],
    ["a zone that requires a person refuses a cat", { zoneLabels: { drive: ["person"] } }, [box("cat", 0.9, 0.1), box("person", 0.9, 0.5)], [], ["drive"], ["person"]],
  ];
  for (const [name, s, found, marks, zones, want] of cases)
    test(name, () => {
      const corrections = marks.map((m) => ({ ...m.box, label: m.label, cameraId: m.cameraId }));
      // Twice: an object counts once confirmed by a second frame.
      const input = { cameraId: "cam", settings: settings(s), corrections, found, at: 0, zonesOf: zones ? () => zones : noZones };
      const once = judgeFrame(emptyTracker(), input);
      assert.deepEqual(once.counted, [], "one frame confirms nothing");
      const r = judgeFrame(once.tracker, { ...input, at: 300 });
      assert.deepEqual(
        r.counted.map((c) => c.label),
        want,
      );
      assert.equal(r.suppressed, name.includes("suppressed") ? 1 : 0);
    });

  test("a parked car stops counting once stationary, and counts again when it drives off", () => {
    const opts = { moveFraction: 0.1, stationaryMs: 5_000, forgetMs: 10_000, movingForgetMs: 60_000, stationaryForgetMs: 3_600_000, confirmFrames: 2 };
    let tracker = emptyTracker();
    const counts: number[] = [];
    const judge = (at: number, x: number) => {
      const r = judgeFrame(tracker, { cameraId: "cam", settings: settings(), corrections: [], found: [box("car", 0.8, x, 0.5, 0.2, 0.2)], at, zonesOf: noZones, tracker: opts });
      tracker = r.tracker;
      counts.push(r.counted.length);
    };
    for (let t = 0; t <= 8_000; t += 1_000) judge(t, 0.3); // parked: counts from its 2nd frame for 5 s, then not
    judge(9_000, 0.36); // moves off: one frame away could be an odd box
    judge(10_000, 0.42); // … the second confirms it
    assert.deepEqual(counts, [0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 1]);
  });
});

describe("addToEvent", () => {
  test("labels keep their best score and first time; the best frame is the highest score; the count the most at once", () => {
    let acc = emptyEventObjects();
    const steps: [number, FractionBox[], string[], boolean][] = [
      [1_000, [], [], false],
      [2_000, [box("person", 0.6, 0.1)], ["person"], true],
      [3_000, [box("person", 0.9, 0.1), box("dog", 0.55, 0.5)], ["dog"], true],
      [4_000, [box("person", 0.7, 0.1), box("person", 0.65, 0.3), box("person", 0.6, 0.6)], [], false],
    ];
    for (const [at, counted, newLabels, better] of steps) {
      const r = addToEvent(acc, at, counted);
      acc = r.acc;
      assert.deepEqual(r.newLabels, newLabels, `at ${at}`);
      assert.equal(r.isBetterFrame, better, `at ${at}`);
    }
    assert.deepEqual([...acc.labels], [
      ["person", { score: 0.9, firstAt: 2_000 }],
      ["dog", { score: 0.55, firstAt: 3_000 }],
    ]);
    assert.equal(acc.objectCount, 3);
    assert.equal(acc.best?.at, 3_000);
    assert.deepEqual(
      acc.best?.boxes.map((b) => b.label),
      ["person", "dog"],
    );
  });
});
