// planEdits as a table: where each track of a clip starts and how long it plays.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { needsEditList, planEdits, type TrackEdit, type TrackTiming } from "./edit-lists";

const NO_EDIT = { emptyTicks: 0, mediaTime: 0 };
const video = (over: Partial<TrackTiming> = {}): TrackTiming => ({ timescale: 12800, firstDecodeTime: 12800, presentationStart: 0, presentationEnd: 25600, initEdit: NO_EDIT, ...over });
const pick = (e: TrackEdit) => ({ emptyTicks: e.emptyTicks, mediaTime: e.mediaTime, durationTicks: e.durationTicks, compositionShift: e.compositionShift, edts: needsEditList(e) });

describe("planEdits", () => {
  const cases: [string, TrackTiming[], ReturnType<typeof pick>[]][] = [
    ["one track, no B-frames, from the middle of a run: starts at 0, no edit list", [video()], [{ emptyTicks: 0, mediaTime: 0, durationTicks: 2000, compositionShift: 0, edts: false }]],
    ["B-frames: shown from the first keyframe's composition time", [video({ presentationStart: 1024, presentationEnd: 26624, initEdit: { emptyTicks: 80, mediaTime: 1024 } })], [{ emptyTicks: 0, mediaTime: 1024, durationTicks: 2000, compositionShift: 0, edts: true }]],
    [
      // ffmpeg's own remux of the same two segments (seg-1, seg-2 of a 2-B-frame H.264 + AAC run) has exactly these.
      "video and AAC as ffmpeg's HLS muxer writes them: the run's 62 ms offset between them is kept",
      [video({ presentationStart: 1024, presentationEnd: 26624, initEdit: { emptyTicks: 80, mediaTime: 1024 } }), { timescale: 48000, firstDecodeTime: 46080, presentationStart: 0, presentationEnd: 93 * 1024, initEdit: { emptyTicks: 58, mediaTime: 0 } }],
      [
        { emptyTicks: 62, mediaTime: 1024, durationTicks: 2000, compositionShift: 0, edts: true },
        { emptyTicks: 0, mediaTime: 0, durationTicks: 1984, compositionShift: 0, edts: false },
      ],
    ],
    ["the run's first segment: nothing before the init's edit start is shown (AAC priming)", [{ timescale: 48000, firstDecodeTime: 0, presentationStart: 0, presentationEnd: 48 * 1024, initEdit: { emptyTicks: 0, mediaTime: 1024 } }], [{ emptyTicks: 0, mediaTime: 1024, durationTicks: 1003, compositionShift: 0, edts: true }]],
    ["negative composition offsets: shifted up, media_time 0", [video({ presentationStart: -1024, presentationEnd: 24576 })], [{ emptyTicks: 0, mediaTime: 0, durationTicks: 2000, compositionShift: 1024, edts: false }]],
    ["a tfdt of 0 (the first segment of a run)", [video({ firstDecodeTime: 0 })], [{ emptyTicks: 0, mediaTime: 0, durationTicks: 2000, compositionShift: 0, edts: false }]],
    ["durations round up to the movie timescale", [video({ presentationEnd: 12801 })], [{ emptyTicks: 0, mediaTime: 0, durationTicks: 1001, compositionShift: 0, edts: false }]],
  ];
  for (const [name, tracks, expected] of cases) test(name, () => assert.deepEqual(planEdits(tracks, 1000).map(pick), expected));

  test("start and duration in seconds, unrounded", () => {
    const [v] = planEdits([video({ presentationEnd: 12801 })], 1000);
    assert.equal(v.startSeconds, 0);
    assert.equal(v.durationSeconds, 12801 / 12800);
  });
  test("refuses a zero timescale", () => assert.throws(() => planEdits([video({ timescale: 0 })], 1000), RangeError));
});
