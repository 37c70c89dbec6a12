// The recorder's side of object detection: one detector worker process for all cameras (forked on demand, restarted
// with backoff when it dies), fed from one bounded queue (queue.ts: newest frames per camera, cameras in turn). The
// recorder hands a frame over and goes on: submit() never waits and never throws; a full queue drops the oldest frames
// (counted), a dead or slow worker loses at most the frame it was working on. Results come back through the
// callback given with each frame. A worker that stays down leaves the cameras on motion alone (state "down").
import { fork, type ChildProcess } from "node:child_process";
import { logger } from "../log";
import type { Region } from "./geometry";
import type { DetectorMessage, DetectRequest, Found, ModelFacts } from "./protocol";
import { FATAL_EXIT_CODE } from "./protocol";
import { DEFAULT_PER_CAMERA, emptyQueue, enqueueFrame, queuedFrames, removeCamera, takeFrame, type FrameQueue } from "./queue";
import type { RgbFrame } from "./ppm";

/** A frame waiting longer than this is not worth detecting on any more (its event has moved on), ms. */
export const MAX_FRAME_AGE_MS = 4_000;
/** An inference that takes longer than this means a stuck worker: it is killed and restarted, ms. */
export const INFER_TIMEOUT_MS = 15_000;
/** A worker not ready this long after it was started is stuck loading the model: it is killed and restarted, ms. */
export const LOAD_TIMEOUT_MS = 120_000;
/** Waits between worker restarts: 1 s doubling to 30 s; a worker that said "fatal" (no usable model) waits 5 min. */
export const WORKER_BACKOFF = { initialMs: 1_000, maxMs: 30_000, fatalMs: 300_000 };

export type DetectionResult = { found: Found[]; inferMs: number; capturedAt: number; doneAt: number; frame: RgbFrame };
export type DetectorState = "stopped" | "starting" | "ready" | "down";

type Pending = { frame: RgbFrame; region?: Region; minScore: number; onResult: (r: DetectionResult) => void };

export type DetectorClientOptions = {
  /** The worker's entry file (workers/detector.ts) and the Node options to run it (`--import tsx`). */
  entry: string;
  execArgv?: string[];
  env?: NodeJS.ProcessEnv;
  perCamera?: number;
  now?: () => number;
  inferTimeoutMs?: number;
  loadTimeoutMs?: number;
  /** Told of every state change with its reason (a diagnostic for the cameras that use detection). */
  onState?: (state: DetectorState, detail: string | null) => void;
};

export type DetectorStatus = {
  state: DetectorState;
  detail: string | null;
  model: ModelFacts | null;
  queued: number;
  /** Frames dropped: replaced by newer ones of the same camera, too old when their turn came, or lost with a worker. */
  dropped: number;
  done: number;
  failed: number;
  restarts: number;
  /** A frame is with the worker now. */
  inFlight: boolean;
  /** Inference time of the last 200 frames, ms (p50, p95), null before the first. */
  inferMs: { p50: number; p95: number } | null;
};

export function createDetectorClient(options: DetectorClientOptions) {
  const log = logger("detector-client");
  const now = options.now ?? Date.now;
  const perCamera = options.perCamera ?? DEFAULT_PER_CAMERA;
  let queue: FrameQueue<Pending> = emptyQueue();
  let child: ChildProcess | null = null;
  let state: DetectorState = "stopped";
  let detail: string | null = null;
  let model: ModelFacts | null = null;
  let wanted = false;
  let inFlight: { id: number; cameraId: string; capturedAt: number; pending: Pending; timer: NodeJS.Timeout } | null = null;
  let nextId = 1;
  let backoffMs = WORKER_BACKOFF.initialMs;
  let restartTimer: NodeJS.Timeout | null = null;
  let readyAt = 0;
  const counts = { dropped: 0, done: 0, failed: 0, restarts: 0 };
  const recentInferMs: number[] = [];

  function setState(next: DetectorState, why: string | null) {
    if (state === next && detail === why) return;
    state = next;
    detail = why;
    options.onState?.(next, why);
  }

  function spawnWorker() {
    restartTimer = null;
    if (!wanted || child) return;
    setState("starting", null);
    const c = fork(options.entry, [], { execArgv: options.execArgv ?? ["--import", "tsx"], env: options.env ?? process.env, serialization: "advanced", stdio: ["ignore", "inherit", "inherit", "ipc"] });
    child = c;
    let fatal: string | null = null;
    const loadTimer = setTimeout(() => {
      log.warn("detector worker not ready in time: restarting it", { timeoutMs: options.loadTimeoutMs ?? LOAD_TIMEOUT_MS });
      c.kill("SIGKILL");
    }, options.loadTimeoutMs ?? LOAD_TIMEOUT_MS);
    c.on("message", (m: DetectorMessage) => {
      if (m.type === "ready") {
        clearTimeout(loadTimer);
        model = m.model;
        readyAt = now();
        setState("ready", null);
        log.info("detector ready", { model: m.model.name, loadMs: m.loadMs });
        pump();
      } else if (m.type === "fatal") {
        fatal = `${m.code}: ${m.message}`;
      } else if ((m.type === "result" || m.type === "failed") && inFlight?.id === m.id) {
        const job = inFlight;
        clearTimeout(job.timer);
        inFlight = null;
        if (m.type === "result") {
          counts.done++;
          recentInferMs.push(m.inferMs);
          if (recentInferMs.length > 200) recentInferMs.shift();
          try {
            job.pending.onResult({ found: m.found, inferMs: m.inferMs, capturedAt: job.capturedAt, doneAt: now(), frame: job.pending.frame });
          } catch (err) {
            log.error("detection result handler failed", { error: String(err) });
          }
        } else {
          counts.failed++;
          log.warn("detection failed on a frame", { camera: job.cameraId, code: m.code, message: m.message });
        }
        pump();
      }
    });
    c.on("error", (err) => log.warn("detector worker error", { error: err.message }));
    c.on("exit", (code, signal) => {
      clearTimeout(loadTimer);
      if (child === c) child = null;
      if (inFlight) {
        clearTimeout(inFlight.timer);
        inFlight = null;
        counts.dropped++;
      }
      if (!wanted) return setState("stopped", null);
      counts.restarts++;
      // A worker that ran well for a minute starts the backoff over.
      if (readyAt && now() - readyAt > 60_000) backoffMs = WORKER_BACKOFF.initialMs;
      readyAt = 0;
      const isFatal = code === FATAL_EXIT_CODE;
      const why = isFatal ? (fatal ?? "the detector cannot start") : `the detector worker exited (${signal ?? `code ${code}`})`;
      const wait = isFatal ? WORKER_BACKOFF.fatalMs : backoffMs;
      if (!isFatal) backoffMs = Math.min(backoffMs * 2, WORKER_BACKOFF.maxMs);
      setState("down", why);
      log.warn("detector worker down; cameras record on motion alone until it is back", { reason: why, retryInMs: wait });
      restartTimer = setTimeout(spawnWorker, wait);
    });
  }

  /** Sends the next frame when the worker is ready and idle: cameras in turn, newest first, stale ones dropped. */
  function pump() {
    if (!child || state !== "ready" || inFlight) return;
    for (;;) {
      const { queue: rest, next } = takeFrame(queue);
      queue = rest;
      if (!next) return;
      if (now() - next.capturedAt > MAX_FRAME_AGE_MS) {
        counts.dropped++;
        continue;
      }
      const id = nextId++;
      const { frame, region, minScore } = next.frame;
      const request: DetectRequest = { type: "detect", id, width: frame.width, height: frame.height, rgb: frame.rgb, region, minScore };
      const timer = setTimeout(() => {
        if (inFlight?.id !== id) return;
        log.warn("detector worker stuck on a frame: restarting it", { timeoutMs: options.inferTimeoutMs ?? INFER_TIMEOUT_MS });
        child?.kill("SIGKILL");
      }, options.inferTimeoutMs ?? INFER_TIMEOUT_MS);
      inFlight = { id, cameraId: next.cameraId, capturedAt: next.capturedAt, pending: next.frame, timer };
      child.send(request, (err) => {
        if (err) log.warn("frame not sent to the detector", { error: err.message });
      });
      return;
    }
  }

  return {
    /** Starts the worker (if not running): call when some camera has detection on, so the model is loaded before motion. */
    start() {
      wanted = true;
      if (!child && !restartTimer) spawnWorker();
    },
    /** Hands a frame over (never waits): the oldest frames of the camera beyond the per-camera limit are dropped. */
    submit(cameraId: string, frame: RgbFrame, capturedAt: number, region: Region | undefined, minScore: number, onResult: (r: DetectionResult) => void) {
      // Not started (no camera has detection on, or stop() is under way): the frame is dropped, the worker not woken.
      if (!wanted) {
        counts.dropped++;
        return;
      }
      const before = queue.dropped;
      queue = enqueueFrame(queue, { cameraId, capturedAt, frame: { frame, region, minScore, onResult } }, perCamera);
      counts.dropped += queue.dropped - before;
      pump();
    },
    /** A camera's queued frames go (detection turned off, camera removed). */
    forgetCamera(cameraId: string) {
      const before = queuedFrames(queue);
      queue = removeCamera(queue, cameraId);
      counts.dropped += before - queuedFrames(queue);
    },
    /** True when frames are being detected on: cameras that record only objects fall back to motion otherwise. */
    isAvailable: () => state === "ready",
    state: () => state,
    status(): DetectorStatus {
      const sorted = [...recentInferMs].sort((a, b) => a - b);
      const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
      return { state, detail, model, queued: queuedFrames(queue), inFlight: inFlight !== null, dropped: counts.dropped, done: counts.done, failed: counts.failed, restarts: counts.restarts, inferMs: sorted.length ? { p50: at(0.5), p95: at(0.95) } : null };
    },
    /** The worker's process id (tests kill it mid-inference), or null. */
    pid: () => child?.pid ?? null,
    /** Stops the worker (no camera uses detection any more, or the recorder stops). */
    async stop() {
      wanted = false;
      if (restartTimer) clearTimeout(restartTimer);
      restartTimer = null;
      queue = emptyQueue();
      const c = child;
      if (!c) return setState("stopped", null);
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => c.kill("SIGKILL"), 3_000);
        c.once("exit", () => {
          clearTimeout(t);
          resolve();
        });
        c.kill("SIGTERM");
      });
    },
  };
}

export type DetectorClient = ReturnType<typeof createDetectorClient>;
