// Detection settings: defaults, the never-throwing parser, and which detections matter to a camera (labels and groups,
// scores per label, zones that require labels), as tables.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { DEFAULT_MIN_SCORE, defaultDetectionSettings, isOfInterest, parseDetectionSettings, type Candidate, type DetectionSettings } from "./settings";

describe("detection settings", () => {
  test("defaults: off, people, animals and vehicles at 0.5, every motion recorded, 3 fps", () => {
    assert.deepEqual(defaultDetectionSettings(), { enabled: false, labels: ["person", "animal", "vehicle"], minScore: DEFAULT_MIN_SCORE, minScoreByLabel: {}, record: "all_motion", fps: 3, zoneLabels: {} });
  });

  const parses: [string, string | null, Partial<DetectionSettings>, RegExp[]][] = [
    ["nothing stored", null, { enabled: false }, []],
    ["not JSON", "{", { enabled: false }, [/not valid JSON/]],
    ["an array", "[]", { enabled: false }, [/not a JSON object/]],
    ["valid", JSON.stringify({ enabled: true, labels: ["person", "cat"], record: "objects_only", fps: 5 }), { enabled: true, labels: ["person", "cat"], record: "objects_only", fps: 5 }, []],
    ["one bad field falls back alone", JSON.stringify({ enabled: true, fps: 50, labels: ["person", "unicorn"] }), { enabled: true, fps: 3, labels: ["person", "animal", "vehicle"] }, [/^labels\.1: unknown label/, /^fps: /]],
    ["a score per label; a group is not a label there", JSON.stringify({ minScoreByLabel: { cat: 0.7, animal: 0.6 } }), { minScoreByLabel: {} }, [/^minScoreByLabel\.animal/]],
  ];
  for (const [name, json, expected, problems] of parses) test(`parse: ${name}`, () => {
    const r = parseDetectionSettings(json);
    for (const [k, v] of Object.entries(expected)) assert.deepEqual(r.settings[k as keyof DetectionSettings], v, k);
    assert.equal(r.problems.length, problems.length, r.problems.join("; "));
    problems.forEach((re, i) => assert.match(r.problems[i], re));
  });

  const settings = parseDetectionSettings(JSON.stringify({ enabled: true, labels: ["person", "animal"], minScoreByLabel: { bird: 0.8 }, zoneLabels: { driveway: ["person"], garden: ["animal", "person"] } })).settings;
  const at = (label: Candidate["label"], score: number, zones: string[] = []): Candidate => ({ x1: 0, y1: 0, x2: 10, y2: 10, label, score, zones });
  const cases: [string, Candidate, boolean][] = [
    ["a person at 0.6", at("person", 0.6), true],
    ["a person below the default minimum", at("person", 0.45), false],
    ["a cat (group animal)", at("cat", 0.6), true],
    ["a car: not of interest", at("car", 0.9), false],
    ["a bird under its own minimum", at("bird", 0.7), false],
    ["a bird over it", at("bird", 0.85), true],
    ["a cat in the driveway, which requires a person", at("cat", 0.9, ["driveway"]), false],
    ["a person in the driveway", at("person", 0.9, ["driveway"]), true],
    ["a cat in the garden (animal)", at("cat", 0.9, ["garden"]), true],
    ["a cat in the driveway and in a zone without requirement", at("cat", 0.9, ["driveway", "porch"]), true],
  ];
  for (const [name, d, expected] of cases) test(`of interest: ${name}`, () => assert.equal(isOfInterest(settings, d), expected));
});
