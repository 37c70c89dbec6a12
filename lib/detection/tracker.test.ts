// The tracker and false-detection suppression as tables: matching by label and overlap, new tracks, forgetting,
// stationary after an unmoved while and moving again; corrections by camera, label and place.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Box } from "./geometry";
import { isSuppressed } from "./suppress";
import { emptyTracker, hasMoved, updateTracks, type Seen, type TrackerOptions, type TrackerState } from "./tracker";

const OPTS: TrackerOptions = { moveFraction: 0.1, stationaryMs: 30_000, forgetMs: 10_000 };
const box = (x1: number, y1: number, x2: number, y2: number): Box => ({ x1, y1, x2, y2 });
const seen = (label: string, b: Box, score = 0.8): Seen => ({ ...b, label, score });

/** Feeds frames (time, detections) and returns, per frame, "id:new|moving|stationary" for each detection. */
function run(frames: [number, Seen[]][]): string[][] {
  let state: TrackerState = emptyTracker();
  return frames.map(([at, dets]) => {
    const r = updateTracks(state, dets, at, OPTS);
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
    ["a stationary car that drives off moves again, and stays moving while it drives", [[0, [seen("car", car)]], [10_000, [seen("car", car)]], [20_000, [seen("car", car)]], [30_000, [seen("car", car)]], [30_500, [seen("car", box(120, 100, 220, 160))]], [31_000, [seen("car", box(140, 100, 240, 160))]]], [["1:new"], ["1:moving"], ["1:moving"], ["1:stationary"], ["1:moving"], ["1:moving"]]],
    ["unseen longer than forgetMs: forgotten, seen again it is new", [[0, [seen("car", car)]], [10_001, [seen("car", car)]]], [["1:new"], ["2:new"]]],
  ];
  for (const [name, frames, expected] of cases) test(name, () => assert.deepEqual(run(frames), expected));

  const moves: [string, Box, boolean][] = [
    ["same place", box(0, 0, 30, 40), false],
    ["4.9 px (diagonal 50: under 10 %)", box(4.9, 0, 34.9, 40), false],
    ["5.1 px", box(5.1, 0, 35.1, 40), true],
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
