// The one supervisor of a long-running ffmpeg (the recorder's ingest and motion decoder, the live view's on-request
// ingest): run it; when it exits, or makes no progress for stallMs (the caller reports progress, e.g. a new segment),
// kill it and run it again after a backoff that doubles up to a cap and starts over after a healthy run; stop() ends it
// for good. Every timer goes through the injected Scheduler (lib/clock.ts) and the spawn function can be injected, so
// tests drive it with a fake clock and a fake child. Children die with the process (children.ts).
import { spawn as nodeSpawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import { systemClock, type Scheduler, type TimerHandle } from "../clock";
import { killOnExit, withParentDeathSignal } from "./children";
import { tailStderr, type StderrTail } from "./stderr-tail";

/** No progress (no new segment) for this long ⇒ the ingest is stuck: kill and restart it, ms. */
export const STALL_MS = 10_000;

export type StallState = { isStalled: boolean; silentForMs: number };

/**
 * No new segment for `stallMs` (measured from the last segment seen, or from the start of the run while none has come
 * yet, which also gets `startupGraceMs` for connecting and probing) means ffmpeg is stuck: restart it.
 */
export function detectStall(input: { lastSegmentSeenAtMs: number | null; runStartedAtMs: number; nowMs: number; stallMs: number; startupGraceMs?: number }): StallState {
  const since = input.lastSegmentSeenAtMs ?? input.runStartedAtMs + (input.startupGraceMs ?? 0);
  const silentForMs = Math.max(0, input.nowMs - since);
  return { isStalled: silentForMs >= input.stallMs, silentForMs };
}

export type Backoff = {
  /** Wait before the first restart, ms; doubled after each failed run. */
  initialMs: number;
  /** Longest wait, ms. */
  maxMs: number;
  /** A run that lasted this long was healthy: the wait starts over at initialMs, ms. */
  resetAfterMs: number;
};

/** How a run ended, handed to onExit. */
export type FfmpegRunEnd = {
  /** Exit code (null when killed by a signal or never started). */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The last two lines of stderr (with "stalled: …" when we killed it for that), or why it could not start. */
  detail: string;
  /** Time from spawn to exit, ms. */
  durationMs: number;
  /** Killed by the stall rule after this many ms without progress; null otherwise. */
  stalledForMs: number | null;
  /** stop() was called: no restart follows, whatever onExit returns. */
  isStopping: boolean;
  /** The wait before the next run if onExit answers "backoff", ms. */
  retryInMs: number;
};

/** What follows a run: a restart after the backoff, a restart at once (no penalty), or the end of supervision. */
export type NextRun = "backoff" | "now" | "stop";

export type SpawnFfmpeg = (command: string, args: readonly string[], options: SpawnOptions) => ChildProcess;

export type SuperviseOptions = {
  ffmpegPath: string;
  /** The argv of the next run (without the ffmpeg path); per-run set-up (its output folder) belongs here. */
  argv: () => string[];
  /** ffmpeg's stdout: "pipe" when the caller reads it (onSpawn), else ignored. stderr is always read for the tail. */
  stdout?: "pipe" | "ignore";
  /** A third output pipe on fd 3 (child.stdio[3]) for a run whose argv writes `pipe:3`: "pipe", else none. */
  fd3?: "pipe";
  /** Kill a run that reported no progress() for this long (from its start while none came), ms; none: no stall rule. */
  stallMs?: number;
  /** What progress() means, for the stall note ("stalled: no segment for 10000 ms"). */
  progressName?: string;
  backoff: Backoff;
  /** SIGTERM on stop(); SIGKILL after this long if the child is still there, ms. None: SIGTERM only. */
  killGraceMs?: number;
  clock?: Scheduler;
  spawn?: SpawnFfmpeg;
  /** A run started: attach readers of stdout, watchers of its output. */
  onSpawn?: (child: ChildProcess) => void;
  /** A run ended (every run, the last one after stop() included): clean up after it and say what follows. */
  onExit?: (end: FfmpegRunEnd) => NextRun | void | Promise<NextRun | void>;
};

export type FfmpegSupervisor = {
  /** The current run made progress (a new segment, a frame): resets its stall timer. Ignored between runs. */
  progress(): void;
  /** The current child, or null between runs. */
  child(): ChildProcess | null;
  /** Ends supervision: no restart, the current child gets SIGTERM; resolves once it exited and onExit ran. */
  stop(): Promise<void>;
  /** Resolves when supervision has ended (stop(), or onExit answered "stop"). */
  readonly done: Promise<void>;
};

type Run = {
  child: ChildProcess | null;
  startedAtMs: number;
  lastProgressAtMs: number | null;
  stalledForMs: number | null;
  stallTimer: TimerHandle | null;
  killTimer: TimerHandle | null;
  stderr: StderrTail | null;
};

/** Starts the first run at once and supervises until stop() or onExit answers "stop". */
export function superviseFfmpeg(options: SuperviseOptions): FfmpegSupervisor {
  const clock = options.clock ?? systemClock;
  const spawn: SpawnFfmpeg = options.spawn ?? nodeSpawn;
  const nowMs = () => clock.now().getTime();
  let backoffMs = options.backoff.initialMs;
  let isStopped = false;
  /** Between a run's end and onExit's answer: stop() must not finish the supervision under it. */
  let isEnding = false;
  let run: Run | null = null;
  let restartTimer: TimerHandle | null = null;
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  let isDone = false;
  const end = () => {
    if (isDone) return;
    isDone = true;
    isStopped = true;
    finish();
  };

  function armStallTimer(r: Run) {
    const stallMs = options.stallMs;
    if (stallMs === undefined || !r.child) return;
    const since = r.lastProgressAtMs ?? r.startedAtMs;
    r.stallTimer = clock.setTimeout(() => {
      r.stallTimer = null;
      if (run !== r || !r.child) return;
      const stall = detectStall({ lastSegmentSeenAtMs: r.lastProgressAtMs, runStartedAtMs: r.startedAtMs, nowMs: nowMs(), stallMs });
      if (!stall.isStalled) return armStallTimer(r); // progress came in the meantime: wait for the new deadline
      r.stalledForMs = stall.silentForMs;
      r.stderr?.note(`stalled: no ${options.progressName ?? "progress"} for ${stall.silentForMs} ms`);
      r.child.kill("SIGKILL");
    }, Math.max(0, since + stallMs - nowMs()));
  }

  function startRun() {
    restartTimer = null;
    if (isStopped) return end();
    const r: Run = { child: null, startedAtMs: nowMs(), lastProgressAtMs: null, stalledForMs: null, stallTimer: null, killTimer: null, stderr: null };
    run = r;
    let args: string[];
    try {
      args = options.argv();
    } catch (err) {
      // Set-up failed (e.g. the output folder): a failed run like any other, retried after the backoff.
      void runEnded(r, null, null, err instanceof Error ? err.message : String(err));
      return;
    }
    const command = options.spawn ? { file: options.ffmpegPath, args } : withParentDeathSignal(options.ffmpegPath, args);
    const child = killOnExit(spawn(command.file, command.args, { stdio: options.fd3 ? ["ignore", options.stdout ?? "ignore", "pipe", "pipe"] : ["ignore", options.stdout ?? "ignore", "pipe"] }));
    r.child = child;
    r.stderr = tailStderr(child.stderr);
    let hasEnded = false;
    // "close" comes after stderr is drained, so the detail holds ffmpeg's last words. A child that could not be spawned
    // emits "error" (then "close"): whichever comes first ends the run.
    child.on("close", (code, signal) => {
      if (hasEnded) return;
      hasEnded = true;
      void runEnded(r, code, signal, null);
    });
    child.on("error", (err) => {
      if (hasEnded) return;
      hasEnded = true;
      void runEnded(r, null, null, err.message);
    });
    armStallTimer(r);
    options.onSpawn?.(child);
  }

  async function runEnded(r: Run, code: number | null, signal: NodeJS.Signals | null, error: string | null) {
    if (r.stallTimer) clock.clearTimeout(r.stallTimer);
    if (r.killTimer) clock.clearTimeout(r.killTimer);
    r.stallTimer = r.killTimer = null;
    if (run === r) run = null;
    isEnding = true;
    const durationMs = nowMs() - r.startedAtMs;
    // A run that lasted resetAfterMs was healthy (with a stall rule, it also made progress all along).
    if (durationMs >= options.backoff.resetAfterMs) backoffMs = options.backoff.initialMs;
    const info: FfmpegRunEnd = {
      code,
      signal,
      detail: error ?? r.stderr?.lastLines(2) ?? "",
      durationMs,
      stalledForMs: r.stalledForMs,
      isStopping: isStopped,
      retryInMs: backoffMs,
    };
    let next: NextRun = "backoff";
    try {
      next = (await options.onExit?.(info)) ?? "backoff";
    } catch {
      // The caller's clean-up failed: supervision goes on (a run that cannot be watched is still retried).
    }
    isEnding = false;
    if (isStopped || next === "stop") return end();
    if (next === "now") return startRun();
    const wait = backoffMs;
    backoffMs = Math.min(backoffMs * 2, options.backoff.maxMs);
    restartTimer = clock.setTimeout(startRun, wait);
  }

  startRun();

  return {
    progress() {
      if (run?.child && !isStopped) run.lastProgressAtMs = nowMs();
    },
    child: () => run?.child ?? null,
    stop() {
      if (isStopped) return done;
      isStopped = true;
      if (restartTimer) clock.clearTimeout(restartTimer);
      restartTimer = null;
      const r = run;
      if (r?.child) {
        const child = r.child;
        child.kill("SIGTERM");
        if (options.killGraceMs !== undefined) r.killTimer = clock.setTimeout(() => child.kill("SIGKILL"), options.killGraceMs);
      } else if (!isEnding) end(); // waiting for a restart: nothing runs
      return done;
    },
    done,
  };
}
