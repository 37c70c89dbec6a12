// The runners' output as `npm test` reads it: counts and the failure digest, on text the runners printed in real runs.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { digest, MAX_LINE_CHARS, MAX_WHY_LINES, nodeCounts, nodeFailures, playwrightCounts, playwrightFailures } from "./test-report";

// test:unit's light group failing twice, then its heavy group starting (a suite that fails too, not yet listed).
const NODE_OUT = `▶ runProbe with real ffprobe
  ✖ an HTTP server is not an RTSP stream (3139.257359ms)
ℹ tests 2782
ℹ pass 2780
ℹ fail 2
ℹ duration_ms 714549.705248

✖ failing tests:

test at lib/live/webrtc/webrtc.test.ts:1:7479
✖ a viewer that stalls never stalls another viewer (10648.651618ms)
  AssertionError [ERR_ASSERTION]: what it got decodes without errors
  + actual - expected
  
  + '[h264 @ 0x5556640d7a40] error while decoding MB 27 22, bytestream -7\\n'
  - ''
      at TestContext.<anonymous> (/tmp/ci3/lib/live/webrtc/webrtc.test.ts:257:14)
      at async Test.run (node:internal/test_runner/test:797:9)
    generatedMessage: false,

test at lib/ffmpeg/probe.test.ts:1:3300
✖ an HTTP server is not an RTSP stream (3139.257359ms)
  AssertionError [ERR_ASSERTION]: The validation function is expected to return "true". Received false

✖ lib/live/webrtc/webrtc.test.ts (300053.191383ms)
  'test timed out after 300000ms'
▶ recorder
  ✖ a suite of the heavy group, failing as it runs (12.5ms)
✔ recorder (13.1ms)
ℹ pass 30
ℹ fail 0
`;

// Playwright's list reporter: an assertion's diff, then a soft assertion's message with the array it received.
const PLAYWRIGHT_OUT = `  ✘    2 [chromium] › e2e/a11y.spec.ts:57:3 › every page at 390×844 (5.1m)
  1) [chromium] › e2e/events-playback.spec.ts:95:1 › an event of several clips plays as one video 

    Error: expect(received).toEqual(expected) // deep equality

    - Expected  - 1
    + Received  + 6

    - Array []
    + Array [
    +   Object {
    +     "t": 5.3789,
    +     "type": "waiting",
    +   },
    + ]

      129 |   // (The first timeupdate may come with play() itself, before the first frame advanced.)
    > 131 |   expect(trace.filter((e) => e.type !== "timeupdate")).toEqual([]);
        at /tmp/ci4/e2e/events-playback.spec.ts:131:56

    attachment #1: screenshot (image/png) ──────────────────────────────────────────────────────────

  2) [chromium] › e2e/a11y.spec.ts:57:3 › every page at 390×844, as the owner: no serious or critical axe violation 

    Error: admin at 390 px

    expect(received).toEqual(expected) // deep equality

    - Expected  -  1
    + Received  + ${"3"}

    - Array []
    + Array [
    +   "/live menu open (admin, 390px): color-contrast (serious) at nav a: Fix any of the following: Element has insufficient color contrast",
    + ]

  2 failed
    [chromium] › e2e/events-playback.spec.ts:95:1 › an event of several clips plays as one video 
  107 passed (31.3m)
`;

describe("counts", () => {
  test("node: both groups' summaries add up; a progress line is not a summary", () => {
    assert.deepEqual(nodeCounts(NODE_OUT), { passed: 2810, failed: 2 });
    assert.deepEqual(nodeCounts(""), { passed: 0, failed: 0 });
  });
  test("playwright: the closing summary", () => {
    assert.deepEqual(playwrightCounts(PLAYWRIGHT_OUT), { passed: 107, failed: 2 });
    assert.deepEqual(playwrightCounts("  12 passed (1.0m)\n"), { passed: 12, failed: 0 });
  });
});

describe("nodeFailures", () => {
  const failures = nodeFailures(NODE_OUT);
  test("a block per failed test and per failed file, in order; the heavy group's progress after the section is not one", () => {
    assert.deepEqual(
      failures.map((f) => f.test),
      ["lib/live/webrtc/webrtc.test.ts:1:7479 › a viewer that stalls never stalls another viewer", "lib/ffmpeg/probe.test.ts:1:3300 › an HTTP server is not an RTSP stream", "lib/live/webrtc/webrtc.test.ts"],
    );
  });
  test("why: the error's first lines without the diff header or the stack", () => {
    assert.deepEqual(failures[0].why, ["AssertionError [ERR_ASSERTION]: what it got decodes without errors", "+ '[h264 @ 0x5556640d7a40] error while decoding MB 27 22, bytestream -7\\n'", "- ''", "generatedMessage: false,"]);
    assert.deepEqual(failures[2].why, ["'test timed out after 300000ms'"]);
  });
  test("no section, no failures", () => {
    assert.deepEqual(nodeFailures("✔ fine (1ms)\nℹ fail 0\n"), []);
  });
});

describe("playwrightFailures", () => {
  const failures = playwrightFailures(PLAYWRIGHT_OUT);
  test("a block per numbered failure; the summary's list is not one", () => {
    assert.deepEqual(
      failures.map((f) => f.test),
      ["[chromium] › e2e/events-playback.spec.ts:95:1 › an event of several clips plays as one video", "[chromium] › e2e/a11y.spec.ts:57:3 › every page at 390×844, as the owner: no serious or critical axe violation"],
    );
  });
  test("why: the message and what was received, not the diff's headers, code frame or attachments", () => {
    assert.deepEqual(failures[0].why, ["Error: expect(received).toEqual(expected) // deep equality", '+     "t": 5.3789,', '+     "type": "waiting",']);
    assert.equal(failures[1].why[0], "Error: admin at 390 px");
    assert.ok(failures[1].why.some((w) => w.includes("color-contrast (serious)")), failures[1].why.join("\n"));
  });
});

describe("digest", () => {
  test("long lines are cut, at most MAX_WHY_LINES reasons, at most `max` tests and a count of the rest", () => {
    const long = "x".repeat(MAX_LINE_CHARS * 2);
    const many = Array.from({ length: 7 }, (_, i) => `test at f.test.ts:${i}:1\n✖ t${i} (1ms)\n  ${long}\n  a\n  b\n  c\n  d\n`).join("\n");
    const failures = nodeFailures(`✖ failing tests:\n\n${many}`);
    assert.equal(failures.length, 7);
    assert.equal(failures[0].why.length, MAX_WHY_LINES);
    assert.equal(failures[0].why[0].length, MAX_LINE_CHARS);
    const lines = digest("unit", failures, 2);
    assert.equal(lines[0], "  ✖ unit: f.test.ts:0:1 › t0");
    assert.equal(lines.length, 2 * (1 + MAX_WHY_LINES) + 1);
    assert.equal(lines.at(-1), "  … and 5 more failed in unit (see above)");
  });
});
