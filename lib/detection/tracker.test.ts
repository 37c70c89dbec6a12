// The tracker and false-detection suppression as tables: matching by label and overlap, new tracks, forgetting,
// stationary after an unmoved while and moving again; corrections by camera, label and place.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Box } from "./geometry";
import { isSuppressed } from "./suppress";
import { emptyTracker, hasMoved, updateTracks, type Seen, type TrackerOptions, type TrackerState } from "./tracker";

/** Confirmation off (1 frame) for the tables of movement and forgetting; its own cases below. */
const OPTS: TrackerOptions = { moveFraction: 0.1, stationaryMs: 30_000, forgetMs: 10_000, movingForgetMs: 60_000, stationaryForgetMs: 3_600_000, confirmFrames: 1 };
const box = (x1: number, y1: number, x2: number, y2: number): Box => ({ x1, y1, x2, y2 });
const seen = (label: string, b: Box, score = 0.8): Seen => ({ ...b, label, score });

/** Feeds frames (time, detections) and returns, per frame, "id:new|moving|stationary" for each detection. */
function run(frames: ([number, Seen[]] | [number, Seen[], Box])[], opts: TrackerOptions = OPTS): string[][] {
  let state: TrackerState = emptyTracker();
  return frames.map(([at, dets, lookedAt]) => {
    const r = updateTracks(state, dets, at, opts, lookedAt);
    state = r.state;
    return r.matched.map((m) => `${m.track.id}:${m.isNew ? "new" : m.track.stationary ? "stationary" : "moving"}`);
  });
}

describe("tracker", () => {
  const car = box(100, 100, 200, 160);
  const cases: [string, [number, Seen[]][], string[][]][] = [
    ["the same object in the next frame continues its track", [[0, [seen("car", car)]], [500, [seen("car", box(102, 100, 202, 160))]]], [["1:new"], ["1:moving"]]],
    ["another label of the same group at the same place continues the track (a van called car, then truck)", [[0, [seen("car", car)]], [500, [seen("truck", car)]]], [["1:new"], ["1:moving"]]],
    ["another group at the same place is another track", [[0, [seen("car", car)]], [500, [seen("person", car)]]], [["1:new"], ["2:new"]]],
    ["a van flipping car / truck while parked still becomes stationary", [[0, [seen("car", car)]], [10_000, [seen("truck", car)]], [20_000, [seen("car", car)]], [30_000, [seen("truck", car)]]], [["1:new"], ["1:moving"], ["1:moving"], ["1:stationary"]]],
    ["no overlap: a new track", [[0, [seen("person", box(0, 0, 10, 30))]], [500, [seen("person", box(300, 0, 310, 30))]]], [["1:new"], ["2:new"]]],
    ["two objects cross: each keeps the best overlap", [[0, [seen("person", box(0, 0, 20, 60)), seen("person", box(30, 0, 50, 60))]], [500, [seen("person", box(28, 0, 48, 60)), seen("person", box(2, 0, 22, 60))]]], [["1:new", "2:new"], ["2:moving", "1:moving"]]],
    ["parked for 30 s: stationary, no longer new or moving", [[0, [seen("car", car)]], [10_000, [seen("car", car)]], [20_000, [seen("car", car)]], [30_000, [seen("car", car)]]], [["1:new"], ["1:moving"], ["1:moving"], ["1:stationary"]]],
    ["small jitter does not count as moving", [[0, [seen("car", car)]], [10_000, [seen("car", box(103, 101, 203, 161))]], [20_000, [seen("car", box(99, 99, 199, 159))]], [30_000, [seen("car", box(101, 100, 201, 160))]]], [["1:new"], ["1:moving"], ["1:moving"], ["1:stationary"]]],
    ["a stationary car that drives off moves again, and stays moving while it drives", [[0, [seen("car", car)]], [10_000, [seen("car", car)]], [20_000, [seen("car", car)]], [30_000, [seen("car", car)]], [30_500, [seen("car", box(130, 100, 230, 160))]], [31_000, [seen("car", box(160, 100, 260, 160))]]], [["1:new"], ["1:moving"], ["1:moving"], ["1:stationary"], ["1:moving"], ["1:moving"]]],
    ["unseen longer than movingForgetMs: forgotten, seen again it is new", [[0, [seen("car", car)]], [60_001, [seen("car", car)]]], [["1:new"], ["2:new"]]],
  ];
  for (const [name, frames, expected] of cases) test(name, () => assert.deepEqual(run(frames), expected));

  // A parked car: stationary from 30 s on. Detection runs only while there is motion, so it may not be looked at for long.
  const parked: [number, Seen[]][] = [[0, [seen("car", car)]], [10_000, [seen("car", car)]], [20_000, [seen("car", car)]], [30_000, [seen("car", car)]]];
  const parkedOut = [["1:new"], ["1:moving"], ["1:moving"], ["1:stationary"]];
  const everySecond = (from: number, to: number, lookedAt?: Box) => Array.from({ length: (to - from) / 1000 + 1 }, (_, k): [number, Seen[], Box] | [number, Seen[]] => (lookedAt ? [from + k * 1000, [], lookedAt] : [from + k * 1000, []]));
  const elsewhere = box(300, 300, 400, 400);
  const quietCases: [string, ([number, Seen[]] | [number, Seen[], Box])[], string[][]][] = [
    ["stationary, then no detection frames for 10 min: still stationary when seen again", [...parked, [630_000, [seen("car", car)]]], [...parkedOut, ["1:stationary"]]],
    ["stationary, then looked at and not seen for more than forgetMs: forgotten, seen again it is new", [...parked, ...everySecond(31_000, 42_000), [43_000, [seen("car", car)]]], [...parkedOut, ...Array(12).fill([]), ["2:new"]]],
    ["stationary, frames looking elsewhere for 12 s do not count as missing it", [...parked, ...everySecond(31_000, 42_000, elsewhere), [43_000, [seen("car", car)]]], [...parkedOut, ...Array(12).fill([]), ["1:stationary"]]],
    ["stationary, seen again before forgetMs of looking: the unseen time starts over", [...parked, ...everySecond(31_000, 38_000), [39_000, [seen("car", car)]], ...everySecond(40_000, 47_000), [48_000, [seen("car", car)]]], [...parkedOut, ...Array(8).fill([]), ["1:stationary"], ...Array(8).fill([]), ["1:stationary"]]],
    ["a moving track looked for and not seen for more than forgetMs is forgotten", [[0, [seen("person", car)]], ...everySecond(1_000, 11_000), [12_000, [seen("person", car)]]], [["1:new"], ...Array(11).fill([]), ["2:new"]]],
    ["a car seen once, then missed while detection looked elsewhere for 40 s: seen again unmoved, it is stationary", [[0, [seen("car", car)]], ...everySecond(1_000, 40_000, elsewhere), [41_000, [seen("car", car)]]], [["1:new"], ...Array(40).fill([]), ["1:stationary"]]],
  ];
  for (const [name, frames, expected] of quietCases) test(name, () => assert.deepEqual(run(frames), expected));

  // Confirmation (2 frames): "id:state/confirmed?"
  const confirm = (frames: [number, Seen[]][]) => {
    let state: TrackerState = emptyTracker();
    return frames.map(([at, dets]) => {
      const r = updateTracks(state, dets, at, { ...OPTS, confirmFrames: 2 });
      state = r.state;
      return r.matched.map((m) => `${m.track.id}:${m.track.stationary ? "stationary" : "moving"}/${m.track.confirmed ? "confirmed" : "unconfirmed"}`);
    });
  };
  const confirmCases: [string, [number, Seen[]][], string[][]][] = [
    ["a box seen once is not confirmed; seen again it is", [[0, [seen("car", car)]], [300, [seen("car", car)]]], [["1:moving/unconfirmed"], ["1:moving/confirmed"]]],
    ["a one-frame ghost elsewhere stays unconfirmed", [[0, [seen("car", car)]], [300, [seen("car", car), seen("car", box(300, 0, 400, 60))]], [600, [seen("car", car)]]], [["1:moving/unconfirmed"], ["1:moving/confirmed", "2:moving/unconfirmed"], ["1:moving/confirmed"]]],
    [
      "a parked car: one odd box away from its place does not wake it; two in a row do",
      [[0, [seen("car", car)]], [30_000, [seen("car", car)]], [30_300, [seen("car", box(130, 100, 230, 160))]], [30_600, [seen("car", car)]], [30_900, [seen("car", box(130, 100, 230, 160))]], [31_200, [seen("car", box(160, 100, 260, 160))]]],
      [["1:moving/unconfirmed"], ["1:stationary/confirmed"], ["1:stationary/confirmed"], ["1:stationary/confirmed"], ["1:stationary/confirmed"], ["1:moving/confirmed"]],
    ],
  ];
  for (const [name, frames, expected] of confirmCases) test(name, () => assert.deepEqual(confirm(frames), expected));

  const moves: [string, Box, boolean][] = [
    ["same place", box(0, 0, 30, 40), false],
    ["4.9 px (diagonal 50: under 10 %)", box(4.9, 0, 34.9, 40), false],
    ["5.1 px: over 10 % of the diagonal, but still overlapping 71 %: jitter", box(5.1, 0, 35.1, 40), false],
    ["12 px: overlapping 43 %", box(12, 0, 42, 40), true],
    ["a small box cut by the edge, its far side 3 px shorter in another crop: not moved", box(0, 0, 27, 40), false],
    ["grown around the same centre", box(-5, -5, 35, 45), false],
  ];
  for (const [name, b, expected] of moves) test(`hasMoved: ${name}`, () => assert.equal(hasMoved(box(0, 0, 30, 40), b, 0.1), expected));
});

describe("suppression of marked detections", () => {
  const marked = [{ cameraId: "cam1", label: "person", ...box(100, 100, 140, 200) }];
  const cases: [string, string, Seen, boolean][] = [
    ["same camera, label and place", "cam1", seen("person", box(102, 98, 142, 198)), true],
    ["another camera", "cam2", seen("person", box(100, 100, 140, 200)), false],
    ["another label", "cam1", seen("dog", box(100, 100, 140, 200)), false],
    ["elsewhere in the picture", "cam1", seen("person", box(300, 100, 340, 200)), false],
    ["overlapping by less than half", "cam1", seen("person", box(120, 100, 160, 200)), false],
  ];
  for (const [name, camera, det, expected] of cases) test(name, () => assert.equal(isSuppressed(camera, det, marked), expected));
});
