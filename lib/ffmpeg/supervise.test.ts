// The ffmpeg supervisor with a fake clock and a fake spawn: backoff doubling, its cap, the reset after a healthy run,
// the stall kill, planned restarts, stop() (with and without a kill grace), set-up failures, and the exit hook's set
// of children. Times are ms of test time; nothing sleeps. The real-ffmpeg proof is in the recorder and live suites.
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { EventEmitter } from "node:events";
import { PassThrough } from "node:stream";
import { describe, test } from "node:test";
import { fakeClock } from "../clock";
import { trackedChildCount } from "./children";
import { detectStall, superviseFfmpeg, type Backoff, type FfmpegRunEnd, type NextRun, type SuperviseOptions } from "./supervise";

describe("detectStall", () => {
  const cases: [string, Parameters<typeof detectStall>[0], ReturnType<typeof detectStall>][] = [
    ["fresh segment", { lastSegmentSeenAtMs: 10_000, runStartedAtMs: 0, nowMs: 11_000, stallMs: 5000 }, { isStalled: false, silentForMs: 1000 }],
    ["silent exactly stallMs", { lastSegmentSeenAtMs: 10_000, runStartedAtMs: 0, nowMs: 15_000, stallMs: 5000 }, { isStalled: true, silentForMs: 5000 }],
    ["no segment yet, in grace", { lastSegmentSeenAtMs: null, runStartedAtMs: 0, nowMs: 9000, stallMs: 5000, startupGraceMs: 5000 }, { isStalled: false, silentForMs: 4000 }],
    ["no segment yet, past grace", { lastSegmentSeenAtMs: null, runStartedAtMs: 0, nowMs: 10_000, stallMs: 5000, startupGraceMs: 5000 }, { isStalled: true, silentForMs: 5000 }],
    ["clock behind the last segment", { lastSegmentSeenAtMs: 10_000, runStartedAtMs: 0, nowMs: 9000, stallMs: 5000 }, { isStalled: false, silentForMs: 0 }],
  ];
  for (const [name, input, expected] of cases) test(name, () => assert.deepEqual(detectStall(input), expected));
});

/** A child process as far as the supervisor sees it: signals are recorded; it exits when told (or when killed). */
class FakeChild extends EventEmitter {
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  readonly signals: NodeJS.Signals[] = [];
  hasExited = false;
  /** Ignores SIGTERM (a hung ffmpeg): only SIGKILL ends it. */
  isStubborn = false;
  pid = 4242;

  constructor(readonly args: readonly string[]) {
    super();
  }

  kill(signal: NodeJS.Signals = "SIGTERM"): boolean {
    this.signals.push(signal);
    if (!this.hasExited && (signal === "SIGKILL" || !this.isStubborn)) queueMicrotask(() => this.exit(null, signal));
    return true;
  }

  /** ffmpeg exits: its last words on stderr first, then "exit" and "close" as Node emits them. */
  exit(code: number | null, signal: NodeJS.Signals | null = null, lastWords = "") {
    if (this.hasExited) return;
    this.hasExited = true;
    if (lastWords) this.stderr.write(lastWords);
    this.emit("exit", code, signal);
    // Node emits "close" once stdio is drained: after the data events already queued.
    setImmediate(() => this.emit("close", code, signal));
  }
}

/** Lets queued child events and the supervisor's promise callbacks run (no test time passes). */
const flush = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

const BACKOFF: Backoff = { initialMs: 1_000, maxMs: 30_000, resetAfterMs: 60_000 };

function harness(options: Partial<SuperviseOptions> = {}) {
  const clock = fakeClock(0);
  const children: FakeChild[] = [];
  const startedAt: number[] = [];
  const ends: FfmpegRunEnd[] = [];
  let answer: NextRun = "backoff";
  const supervisor = superviseFfmpeg({
    ffmpegPath: "ffmpeg",
    argv: () => ["-i", `run-${children.length}`],
    backoff: BACKOFF,
    clock,
    spawn: (_command, args) => {
      const child = new FakeChild(args);
      children.push(child);
      startedAt.push(clock.now().getTime());
      return child as unknown as ChildProcess;
    },
    onExit: (end) => {
      ends.push(end);
      return answer;
    },
    ...options,
  });
  return {
    clock,
    children,
    startedAt,
    ends,
    supervisor,
    current: () => children[children.length - 1],
    answer: (next: NextRun) => (answer = next),
    /** Moves test time by `ms` and lets what fell due run. */
    async advance(ms: number) {
      await flush();
      clock.advance(ms);
      await flush();
    },
  };
}

describe("superviseFfmpeg", () => {
  test("runs at once; restarts after 1 s, 2 s, 4 s … doubling up to the cap", async () => {
    const h = harness({ backoff: { initialMs: 1_000, maxMs: 10_000, resetAfterMs: 30_000 } });
    assert.deepEqual(h.startedAt, [0]);
    assert.deepEqual(h.children[0].args, ["-i", "run-0"]);
    for (let i = 0; i < 7; i++) {
      h.current().exit(1, null, "Connection refused\n");
      await h.advance(0);
      const wait = h.ends[h.ends.length - 1].retryInMs;
      await h.advance(wait - 1);
      assert.equal(h.children.length, i + 1, `run ${i + 2} not before ${wait} ms`);
      await h.advance(1);
      assert.equal(h.children.length, i + 2, `run ${i + 2} after ${wait} ms`);
    }
    assert.deepEqual(h.ends.map((e) => e.retryInMs), [1_000, 2_000, 4_000, 8_000, 10_000, 10_000, 10_000]);
    const gaps = h.startedAt.slice(1).map((t, i) => t - h.startedAt[i]);
    assert.deepEqual(gaps, [1_000, 2_000, 4_000, 8_000, 10_000, 10_000, 10_000]);
    assert.deepEqual(h.ends[0], { code: 1, signal: null, detail: "Connection refused", durationMs: 0, stalledForMs: null, isStopping: false, retryInMs: 1_000 });
    await h.supervisor.stop();
  });

  test("a run that lasted resetAfterMs starts the backoff over; a shorter one does not", async () => {
    const h = harness();
    for (const wait of [1_000, 2_000, 4_000]) {
      h.current().exit(1);
      await h.advance(0);
      assert.equal(h.ends[h.ends.length - 1].retryInMs, wait);
      await h.advance(wait);
    }
    // Healthy: 60 s of running.
    await h.advance(60_000);
    h.current().exit(0);
    await h.advance(0);
    assert.equal(h.ends[3].durationMs, 60_000);
    assert.equal(h.ends[3].retryInMs, 1_000, "reset after a healthy run");
    await h.advance(1_000);
    // Just short of healthy: the doubling goes on from there.
    await h.advance(59_999);
    h.current().exit(0);
    await h.advance(0);
    assert.equal(h.ends[4].retryInMs, 2_000);
    await h.supervisor.stop();
  });

  test("no progress for stallMs kills the run (SIGKILL) and restarts it; progress() postpones the kill", async () => {
    const h = harness({ stallMs: 10_000, progressName: "segment" });
    await h.advance(9_999);
    assert.deepEqual(h.children[0].signals, [], "not before stallMs");
    await h.advance(1);
    assert.deepEqual(h.children[0].signals, ["SIGKILL"], "killed at stallMs after the start");
    await h.advance(0);
    assert.equal(h.ends[0].stalledForMs, 10_000);
    assert.equal(h.ends[0].signal, "SIGKILL");
    assert.match(h.ends[0].detail, /stalled: no segment for 10000 ms$/);
    await h.advance(1_000);
    assert.equal(h.children.length, 2, "restarted after the backoff");

    // The second run makes progress at 4 s and 12 s: killed 10 s after the last, at 22 s into the run.
    await h.advance(4_000);
    h.supervisor.progress();
    await h.advance(8_000);
    h.supervisor.progress();
    await h.advance(9_999);
    assert.deepEqual(h.children[1].signals, []);
    await h.advance(1);
    assert.deepEqual(h.children[1].signals, ["SIGKILL"]);
    await h.advance(0);
    assert.equal(h.ends[1].stalledForMs, 10_000);
    assert.equal(h.ends[1].durationMs, 22_000);
    await h.supervisor.stop();
  });

  test("without stallMs a silent run is left alone", async () => {
    const h = harness();
    await h.advance(600_000);
    assert.deepEqual(h.children[0].signals, []);
    await h.supervisor.stop();
  });

  test('onExit "now" restarts at once without doubling; "stop" ends supervision', async () => {
    const h = harness();
    h.current().exit(1);
    await h.advance(1_000);
    assert.equal(h.children.length, 2);
    h.answer("now");
    h.current().exit(null, "SIGKILL");
    await h.advance(0);
    assert.equal(h.children.length, 3, "restarted at once");
    h.answer("backoff");
    h.current().exit(1);
    await h.advance(0);
    assert.equal(h.ends[2].retryInMs, 2_000, "the planned restart cost nothing");
    await h.advance(2_000);
    assert.equal(h.children.length, 4);
    h.answer("stop");
    h.current().exit(0);
    await h.advance(0);
    await h.supervisor.done;
    await h.advance(60_000);
    assert.equal(h.children.length, 4, "no run after stop");
    assert.equal(h.clock.pendingTimers(), 0);
  });

  test("stop() while running: SIGTERM, onExit sees isStopping, no restart", async () => {
    const h = harness({ stallMs: 10_000 });
    await h.advance(3_000);
    const stopped = h.supervisor.stop();
    assert.deepEqual(h.children[0].signals, ["SIGTERM"]);
    await stopped;
    assert.equal(h.ends.length, 1);
    assert.equal(h.ends[0].isStopping, true);
    assert.equal(h.supervisor.child(), null);
    await h.advance(120_000);
    assert.equal(h.children.length, 1);
    assert.equal(h.clock.pendingTimers(), 0, "no stall or restart timer left");
  });

  test("stop() during the backoff wait: no further run, done at once", async () => {
    const h = harness();
    h.current().exit(1);
    await h.advance(500);
    await h.supervisor.stop();
    await h.advance(60_000);
    assert.equal(h.children.length, 1);
    assert.equal(h.clock.pendingTimers(), 0);
  });

  test("stop() with killGraceMs: a child that ignores SIGTERM gets SIGKILL after the grace", async () => {
    const h = harness({ killGraceMs: 2_000 });
    h.current().isStubborn = true;
    const stopped = h.supervisor.stop();
    await h.advance(1_999);
    assert.deepEqual(h.children[0].signals, ["SIGTERM"]);
    await h.advance(1);
    assert.deepEqual(h.children[0].signals, ["SIGTERM", "SIGKILL"]);
    await stopped;
    assert.equal(h.ends[0].isStopping, true);
  });

  test("a run that cannot be set up or spawned is a failed run, retried after the backoff", async () => {
    let calls = 0;
    const h = harness({
      argv: () => {
        calls++;
        if (calls === 1) throw new Error("EACCES: cannot create the run folder");
        return ["-i", "x"];
      },
    });
    await h.advance(0);
    assert.equal(h.children.length, 0);
    assert.deepEqual([h.ends[0].code, h.ends[0].detail, h.ends[0].retryInMs], [null, "EACCES: cannot create the run folder", 1_000]);
    await h.advance(1_000);
    assert.equal(h.children.length, 1);
    // spawn's "error" (ENOENT), then "close": one end, with the error as detail.
    h.current().emit("error", new Error("spawn ffmpeg ENOENT"));
    h.current().exit(-2);
    await h.advance(0);
    assert.equal(h.ends.length, 2);
    assert.equal(h.ends[1].detail, "spawn ffmpeg ENOENT");
    await h.supervisor.stop();
  });

  test("every child is in the process's exit set until it exits", async () => {
    const before = trackedChildCount();
    const h = harness();
    assert.equal(trackedChildCount(), before + 1);
    await h.supervisor.stop();
    assert.equal(trackedChildCount(), before);
  });
});

describe("fakeClock timers", () => {
  test("advance fires due timers in order, with now() at their due time, including timers they set", () => {
    const clock = fakeClock(0);
    const seen: [string, number][] = [];
    clock.setTimeout(() => seen.push(["b", clock.now().getTime()]), 200);
    const a = clock.setTimeout(() => seen.push(["never", clock.now().getTime()]), 150);
    clock.setTimeout(() => {
      seen.push(["a", clock.now().getTime()]);
      clock.setTimeout(() => seen.push(["a+50", clock.now().getTime()]), 50);
    }, 100);
    clock.clearTimeout(a);
    clock.advance(199);
    assert.deepEqual(seen, [["a", 100], ["a+50", 150]]);
    clock.advance(1);
    assert.deepEqual(seen.at(-1), ["b", 200]);
    assert.equal(clock.now().getTime(), 200);
    assert.equal(clock.pendingTimers(), 0);
  });
});
