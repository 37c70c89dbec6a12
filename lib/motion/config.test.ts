import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { defaultMotionConfig, isArmedAt, motionConfigSchema, parseMotionConfig, type ScheduleWindow } from "./config";

const square = [
  [0.1, 0.1],
  [0.4, 0.1],
  [0.4, 0.4],
  [0.1, 0.4],
];

describe("parseMotionConfig", () => {
  test("defaults", () => {
    assert.deepEqual(defaultMotionConfig(), {
      sensitivity: 50,
      minMotionMs: 500,
      quietMs: 5000,
      preRollMs: 5000,
      postRollMs: 5000,
      maxClipMs: 20000,
      armed: true,
      trigger: "nightjar",
      schedule: [],
      zones: [],
    });
  });

  // [name, stored JSON, expected partial config, problems matching (in order)]
  const cases: [string, string | null, Record<string, unknown>, RegExp[]][] = [
    ["null column", null, { sensitivity: 50 }, []],
    ["empty string", "", { sensitivity: 50 }, []],
    ["empty object", "{}", { quietMs: 5000, zones: [] }, []],
    ["bad JSON", "{sensitivity: 3", { sensitivity: 50 }, [/not valid JSON/]],
    ["an array", "[1,2]", { sensitivity: 50 }, [/not a JSON object/]],
    ["a number", "42", { sensitivity: 50 }, [/not a JSON object/]],
    ["valid values kept", '{"sensitivity":80,"quietMs":8000,"armed":false}', { sensitivity: 80, quietMs: 8000, armed: false }, []],
    ["one bad value falls back alone", '{"sensitivity":150,"quietMs":8000}', { sensitivity: 50, quietMs: 8000 }, [/^sensitivity:/]],
    ["wrong types fall back", '{"armed":"yes","maxClipMs":-1,"preRollMs":1.5}', { armed: true, maxClipMs: 20000, preRollMs: 5000 }, [/^preRollMs:/, /^maxClipMs:/, /^armed:/]],
    ["the camera's events start events", '{"trigger":"camera"}', { trigger: "camera", armed: true }, []],
    ["an unknown trigger falls back to Nightjar's detection", '{"trigger":"psychic","quietMs":8000}', { trigger: "nightjar", quietMs: 8000 }, [/^trigger:/]],
    [
      "a bad zone is dropped, the good one kept",
      JSON.stringify({ zones: [{ id: "door", points: square }, { id: "bad", points: [[0, 0], [1, 1]] }] }),
      { zones: [{ id: "door", name: "", points: square, enabled: true, sensitivity: 50, kind: "detect" }] },
      [/^zones\.1\.points:/],
    ],
    [
      "zone points outside 0..1",
      JSON.stringify({ zones: [{ id: "z", points: [[0, 0], [1.5, 0], [1, 1]] }] }),
      { zones: [] },
      [/^zones\.0\.points\.1\.0:/],
    ],
    [
      "duplicate zone ids: the later one is dropped",
      JSON.stringify({ zones: [{ id: "a", points: square }, { id: "a", points: square, kind: "mask" }] }),
      { zones: [{ id: "a", name: "", points: square, enabled: true, sensitivity: 50, kind: "detect" }] },
      [/^zones: duplicate zone id "a"/],
    ],
    [
      "bad schedule windows are dropped",
      JSON.stringify({ schedule: [{ day: 1, from: "22:00", to: "06:00" }, { day: 7, from: "00:00", to: "01:00" }, { day: 2, from: "25:00", to: "01:00" }] }),
      { schedule: [{ day: 1, from: "22:00", to: "06:00" }] },
      [/^schedule\.1\.day:/, /^schedule\.2\.from:/],
    ],
    ["schedule not an array", '{"schedule":{"day":1}}', { schedule: [] }, [/^schedule: expected an array/]],
    ["unknown keys are ignored", '{"colour":"red","sensitivity":70}', { sensitivity: 70 }, []],
  ];
  for (const [name, json, expected, problems] of cases) {
    test(name, () => {
      const r = parseMotionConfig(json);
      for (const [k, v] of Object.entries(expected)) assert.deepEqual(r.config[k as keyof typeof r.config], v, k);
      assert.equal(r.problems.length, problems.length, r.problems.join(" | "));
      problems.forEach((re, i) => assert.match(r.problems[i], re));
      assert.equal(motionConfigSchema.safeParse(r.config).success, true, "the fallback is itself valid");
    });
  }
});

describe("isArmedAt", () => {
  const nightSat: ScheduleWindow = { day: 6, from: "22:00", to: "06:00" };
  const tueMorning: ScheduleWindow = { day: 2, from: "08:00", to: "09:00" };
  // [name, armed, schedule, time zone, instant (UTC), expected]
  const cases: [string, boolean, ScheduleWindow[], string, string, boolean][] = [
    ["disarmed beats everything", false, [], "UTC", "2026-01-05T12:00:00Z", false],
    ["no schedule = always", true, [], "UTC", "2026-01-05T12:00:00Z", true],
    ["outside the only window", true, [tueMorning], "UTC", "2026-01-05T12:00:00Z", false],
    ["from is inclusive", true, [tueMorning], "UTC", "2026-01-06T08:00:00Z", true],
    ["to is exclusive", true, [tueMorning], "UTC", "2026-01-06T09:00:00Z", false],
    ["same instant, Tokyo is Tuesday 08:30", true, [tueMorning], "Asia/Tokyo", "2026-01-05T23:30:00Z", true],
    ["same instant, New York is Monday 18:30", true, [tueMorning], "America/New_York", "2026-01-05T23:30:00Z", false],
    ["unknown zone falls back to UTC", true, [tueMorning], "Mars/Olympus", "2026-01-06T08:30:00Z", true],
    ["00:00–00:00 is the whole day", true, [{ day: 1, from: "00:00", to: "00:00" }], "UTC", "2026-01-05T23:59:00Z", true],
    ["… and not the next one", true, [{ day: 1, from: "00:00", to: "00:00" }], "UTC", "2026-01-06T00:00:00Z", false],
    ["to 24:00 is the end of the day", true, [{ day: 1, from: "18:00", to: "24:00" }], "UTC", "2026-01-05T23:59:00Z", true],
    // Saturday night 22:00–06:00 in Amsterdam: CET (UTC+1) in winter, CEST (UTC+2) from Sunday 29 March 2026 02:00.
    ["Amsterdam Sat 21:59 CET: not yet", true, [nightSat], "Europe/Amsterdam", "2026-03-28T20:59:00Z", false],
    ["Amsterdam Sat 22:00 CET: armed", true, [nightSat], "Europe/Amsterdam", "2026-03-28T21:00:00Z", true],
    ["Amsterdam Sun 01:59 CET, just before the jump", true, [nightSat], "Europe/Amsterdam", "2026-03-29T00:59:00Z", true],
    ["Amsterdam Sun 03:00 CEST, just after the jump", true, [nightSat], "Europe/Amsterdam", "2026-03-29T01:00:00Z", true],
    ["Amsterdam Sun 05:59 CEST: still armed", true, [nightSat], "Europe/Amsterdam", "2026-03-29T03:59:00Z", true],
    ["Amsterdam Sun 06:00 CEST (04:00 UTC): ended", true, [nightSat], "Europe/Amsterdam", "2026-03-29T04:00:00Z", false],
    ["Amsterdam Sun 22:00 CEST: the window is Saturday's", true, [nightSat], "Europe/Amsterdam", "2026-03-29T20:00:00Z", false],
    // Back to CET on Sunday 25 October 2026 03:00 CEST → 02:00 CET: the night is an hour longer in UTC.
    ["Amsterdam Sat 22:00 CEST (20:00 UTC)", true, [nightSat], "Europe/Amsterdam", "2026-10-24T20:00:00Z", true],
    ["Amsterdam Sun 05:59 CET (04:59 UTC): still armed", true, [nightSat], "Europe/Amsterdam", "2026-10-25T04:59:00Z", true],
    ["Amsterdam Sun 06:00 CET (05:00 UTC): ended", true, [nightSat], "Europe/Amsterdam", "2026-10-25T05:00:00Z", false],
    ["Saturday night window wraps into Sunday = day 0", true, [{ day: 6, from: "23:00", to: "01:00" }], "UTC", "2026-01-04T00:30:00Z", true],
  ];
  for (const [name, armed, schedule, zone, at, expected] of cases) {
    test(name, () => assert.equal(isArmedAt({ armed, schedule }, new Date(at), zone), expected));
  }
});
