// The simulator's sender clock (rtp.ts SenderClock): what its RTCP sender reports pair with an RTP time, table-tested
// with explicit send times (no timers).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { SENDER_CLOCK_SLACK_MS, SenderClock } from "./rtp";

describe("SenderClock", () => {
  const T0 = 1_700_000_000_000;
  // [case, frames sent as [media ms, wall ms after T0], asked at wall ms after T0, media ms expected]
  const cases: [string, [number, number][], number, number][] = [
    ["nothing sent yet: media time 0", [], 500, 0],
    ["frames on time: the line through the first frame", [[0, 0], [40, 40], [80, 80]], 100, 100],
    ["late frames (a busy machine) do not move the line", [[0, 0], [40, 75], [80, 131], [120, 122], [160, 203]], 210, 210],
    ["a first frame sent late anchors the line where it went out", [[0, 30], [40, 70], [80, 140]], 150, 120],
    ["up to the slack late: kept", [[0, 0], [40, 40 + SENDER_CLOCK_SLACK_MS]], 100, 100],
    ["more than the slack late (a stall): anchored anew on that frame", [[0, 0], [40, 41 + SENDER_CLOCK_SLACK_MS], [80, 90 + SENDER_CLOCK_SLACK_MS]], 1_141, 140],
    ["more than the slack early (a burst): anchored anew", [[0, 0], [2_000, 900]], 1_000, 2_100],
  ];
  for (const [name, sent, at, want] of cases) {
    test(name, () => {
      const clock = new SenderClock();
      for (const [mediaMs, wallMs] of sent) clock.sent(mediaMs, T0 + wallMs);
      assert.equal(clock.mediaMsAt(T0 + at), want);
    });
  }
});
