// The detector's queue as tables: newest frames kept per camera, older ones dropped and counted; cameras served in
// turn, the newest frame first; a removed camera loses its frames and its turn.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { emptyQueue, enqueueFrame, queuedFrames, removeCamera, takeFrame, type FrameQueue } from "./queue";

type Op = ["add", string, number] | ["take"] | ["remove", string];

/** Runs the ops; each "take" yields "camera@time" or "none". */
function run(ops: Op[], perCamera = 2): { taken: string[]; queue: FrameQueue<null> } {
  let q = emptyQueue<null>();
  const taken: string[] = [];
  for (const op of ops) {
    if (op[0] === "add") q = enqueueFrame(q, { cameraId: op[1], capturedAt: op[2], frame: null }, perCamera);
    else if (op[0] === "remove") q = removeCamera(q, op[1]);
    else {
      const r = takeFrame(q);
      q = r.queue;
      taken.push(r.next ? `${r.next.cameraId}@${r.next.capturedAt}` : "none");
    }
  }
  return { taken, queue: q };
}

describe("detector queue", () => {
  const cases: [string, Op[], string[], number][] = [
    ["empty: nothing", [["take"]], ["none"], 0],
    ["one camera: newest first", [["add", "a", 1], ["add", "a", 2], ["take"], ["take"], ["take"]], ["a@2", "a@1", "none"], 0],
    ["one camera, too many frames: the oldest dropped", [["add", "a", 1], ["add", "a", 2], ["add", "a", 3], ["take"], ["take"], ["take"]], ["a@3", "a@2", "none"], 1],
    ["a late frame older than those kept is the one dropped", [["add", "a", 5], ["add", "a", 6], ["add", "a", 4], ["take"], ["take"]], ["a@6", "a@5"], 1],
    [
      "three cameras compete: each in turn, none starved",
      [["add", "a", 1], ["add", "a", 2], ["add", "b", 1], ["add", "c", 1], ["add", "c", 2], ["take"], ["take"], ["take"], ["take"], ["take"], ["take"]],
      ["a@2", "b@1", "c@2", "a@1", "c@1", "none"],
      0,
    ],
    [
      "a busy camera does not crowd out a quiet one",
      [["add", "a", 1], ["take"], ["add", "a", 2], ["add", "a", 3], ["add", "b", 3], ["take"], ["take"], ["add", "a", 4], ["take"]],
      ["a@1", "b@3", "a@3", "a@4"],
      0,
    ],
    ["a removed camera loses its frames and its turn", [["add", "a", 1], ["add", "b", 1], ["add", "c", 1], ["take"], ["remove", "b"], ["take"], ["take"]], ["a@1", "c@1", "none"], 0],
  ];
  for (const [name, ops, taken, dropped] of cases) test(name, () => {
    const r = run(ops);
    assert.deepEqual(r.taken, taken);
    assert.equal(r.queue.dropped, dropped);
  });

  test("16 cameras all in motion: the queue stays bounded at 2 frames each, and a round serves every camera once", () => {
    let q = emptyQueue<null>();
    for (let t = 0; t < 100; t++) for (let c = 0; c < 16; c++) q = enqueueFrame(q, { cameraId: `cam${c}`, capturedAt: t, frame: null });
    assert.equal(queuedFrames(q), 32);
    assert.equal(q.dropped, 1600 - 32);
    const served = new Set<string>();
    for (let i = 0; i < 16; i++) {
      const r = takeFrame(q);
      q = r.queue;
      assert.equal(r.next?.capturedAt, 99, "the newest frame");
      served.add(r.next!.cameraId);
    }
    assert.equal(served.size, 16);
  });
});
