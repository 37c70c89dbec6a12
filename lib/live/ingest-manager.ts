// On-request live ingests of the web process: one ffmpeg per (camera, stream) that someone is watching and the
// recorder does not already copy (sub streams; main streams of cameras that are not recorded). Started by the first
// playlist request, kept alive by the following ones, stopped LIVE_IDLE_SECONDS after the last: live video flows only
// while someone watches. Same argv as the recorder's ingest (-c copy into 1 s fMP4 segments) with a short list, into
// $DATA_DIR/live-ondemand/<camera>/<stream>/<run>/ (a new run folder per ffmpeg start; removed when that ffmpeg ends).
// An ffmpeg that exits while viewers still ask is restarted with backoff; one that stops producing is killed.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { redactUrls } from "../cameras/stream-url";
import { logger } from "../log";
import { buildIngestArgs, PLAYLIST_NAME, segmentSecondsFor } from "../recording/ingest-args";
import { killOrphanIngests } from "../recording/orphans";
import { detectStall } from "../recording/segments";
import type { LiveStream } from "./paths";
import { onRequestLiveRoot, onRequestStreamDir } from "../data-dir";

/** Segments ffmpeg lists and keeps on disk: the served window (4) plus room for a player a little behind. */
export const ON_REQUEST_LIST_SIZE = 6;
/** Assumed keyframe interval (cameras default to 1–2 s); segments are one GOP each, ms. */
const ASSUMED_KEYFRAME_MS = 1_000;
/** How often idle sessions and stalled ffmpeg are looked for, ms. */
export const SWEEP_MS = 500;
/** No new segment for this long (or none within this long of the start) ⇒ ffmpeg is stuck: kill it, ms. */
export const STALL_MS = 10_000;
/** First and longest wait before restarting an ffmpeg that exited while viewers still ask, ms. */
export const MIN_BACKOFF_MS = 1_000;
export const MAX_BACKOFF_MS = 10_000;
/** A run that produced segments for this long resets the backoff, ms. */
const HEALTHY_RUN_MS = 30_000;
/** SIGTERM, then SIGKILL after this long, ms. */
const KILL_GRACE_MS = 2_000;

const log = logger("live");

export type OnRequestIngest = {
  cameraId: string;
  /** The stream ingested (see chooseLiveSource). */
  stream: LiveStream;
  /** With credentials: never logged (redactUrls), never leaves this process except in ffmpeg's argv. */
  url: string;
};

export type LiveSessionInfo = { cameraId: string; stream: LiveStream; startedAt: string; lastRequestAt: string };

/** What a playlist request finds: the run to read, or none (ffmpeg exited and waits for its restart). */
export type OnRequestState = { run: { runId: string; dir: string } | null };

type Run = { runId: string; dir: string; child: ChildProcess; startedAtMs: number; playlistMtimeMs: number; lastSegmentAtMs: number | null; stderr: string };

type Session = {
  key: string;
  cameraId: string;
  stream: LiveStream;
  url: string;
  startedAtMs: number;
  lastRequestAtMs: number;
  run: Run | null;
  backoffMs: number;
  restartTimer: NodeJS.Timeout | null;
  isEnded: boolean;
};

export type LiveIngestDeps = {
  dataDir: string;
  ffmpegPath: string;
  /** No playlist request for this long ⇒ stop, ms. */
  idleMs: number;
  now?: () => number;
};

const keyOf = (cameraId: string, stream: LiveStream) => `${cameraId}/${stream}`;

export class LiveIngestManager {
  /** $DATA_DIR/live-ondemand */
  readonly root: string;
  private readonly sessionsByKey = new Map<string, Session>();
  /** Every ffmpeg still alive, stopping ones included (killed when the process exits). */
  private readonly children = new Set<ChildProcess>();
  private readonly exits = new Set<Promise<void>>();
  private readonly now: () => number;
  private readonly timer: NodeJS.Timeout;
  /** Run ids are start times in ms, made unique: a run folder is never shared by two ffmpeg. */
  private lastRunId = 0;
  private readonly killAllNow = () => {
    for (const child of this.children) child.kill("SIGKILL");
  };

  constructor(private readonly deps: LiveIngestDeps) {
    this.now = deps.now ?? Date.now;
    this.root = onRequestLiveRoot(deps.dataDir);
    // A web process killed with SIGKILL leaves its ffmpeg running (they write files, not to our pipes): end them and
    // their folders before starting any of ours.
    const orphans = killOrphanIngests(this.root);
    if (orphans.length) log.warn("ended on-request ffmpeg left by an unclean stop", { pids: orphans });
    fs.rmSync(this.root, { recursive: true, force: true });
    this.timer = setInterval(() => this.sweep(), SWEEP_MS);
    this.timer.unref();
    process.on("exit", this.killAllNow);
  }

  /** A playlist request: starts the ingest when none runs (restarts it when the URL changed) and notes the time. */
  touch(ingest: OnRequestIngest): OnRequestState {
    const key = keyOf(ingest.cameraId, ingest.stream);
    let session = this.sessionsByKey.get(key);
    if (session && session.url !== ingest.url) {
      this.end(session, "camera changed");
      session = undefined;
    }
    const now = this.now();
    if (!session) {
      session = { key, cameraId: ingest.cameraId, stream: ingest.stream, url: ingest.url, startedAtMs: now, lastRequestAtMs: now, run: null, backoffMs: MIN_BACKOFF_MS, restartTimer: null, isEnded: false };
      this.sessionsByKey.set(key, session);
      log.info("on-request live ingest started", { camera: ingest.cameraId, stream: ingest.stream });
      this.startRun(session);
    }
    session.lastRequestAtMs = now;
    return this.state(ingest.cameraId, ingest.stream);
  }

  /** The current run of a session (null while none runs). Does not count as a request. */
  state(cameraId: string, stream: LiveStream): OnRequestState {
    const run = this.sessionsByKey.get(keyOf(cameraId, stream))?.run;
    return { run: run ? { runId: run.runId, dir: run.dir } : null };
  }

  private streamDir(cameraId: string, stream: LiveStream): string {
    return onRequestStreamDir(this.deps.dataDir, cameraId, stream);
  }

  /** Active sessions, oldest first (for admins and tests). */
  sessions(): LiveSessionInfo[] {
    return [...this.sessionsByKey.values()]
      .sort((a, b) => a.startedAtMs - b.startedAtMs)
      .map((s) => ({ cameraId: s.cameraId, stream: s.stream, startedAt: new Date(s.startedAtMs).toISOString(), lastRequestAt: new Date(s.lastRequestAtMs).toISOString() }));
  }

  /** Stops a camera's sessions now (camera disabled, deleted or put in privacy mode). */
  stopCamera(cameraId: string, reason: string): void {
    for (const s of [...this.sessionsByKey.values()]) if (s.cameraId === cameraId) this.end(s, reason);
  }

  /** Stops everything and waits for ffmpeg to exit and the folders to go (tests, shutdown). */
  async close(): Promise<void> {
    clearInterval(this.timer);
    for (const s of [...this.sessionsByKey.values()]) this.end(s, "shutdown");
    await Promise.all([...this.exits]);
    process.off("exit", this.killAllNow);
  }

  private startRun(session: Session) {
    session.restartTimer = null;
    this.lastRunId = Math.max(this.now(), this.lastRunId + 1);
    const runId = String(this.lastRunId);
    const dir = path.join(this.streamDir(session.cameraId, session.stream), runId);
    fs.mkdirSync(dir, { recursive: true });
    const args = buildIngestArgs({ inputUrl: session.url, outputDir: dir, segmentSeconds: segmentSecondsFor(ASSUMED_KEYFRAME_MS), listSize: ON_REQUEST_LIST_SIZE });
    const child = spawn(this.deps.ffmpegPath, args, { stdio: ["ignore", "ignore", "pipe"] });
    const run: Run = { runId, dir, child, startedAtMs: this.now(), playlistMtimeMs: 0, lastSegmentAtMs: null, stderr: "" };
    session.run = run;
    this.children.add(child);
    child.stderr?.on("data", (d) => (run.stderr = (run.stderr + d).slice(-2000)));
    let onExit!: () => void;
    const exited = new Promise<void>((resolve) => (onExit = resolve));
    this.exits.add(exited);
    let isDone = false;
    const done = (code: number | null, detail: string) => {
      if (isDone) return;
      isDone = true;
      this.children.delete(child);
      fs.rmSync(dir, { recursive: true, force: true });
      this.onRunEnded(session, run, code, detail);
      this.exits.delete(exited);
      onExit();
    };
    // "close" comes after stderr is drained, so the detail holds ffmpeg's last words.
    child.on("close", (code) => done(code, run.stderr.trim().split("\n").slice(-2).join(" ")));
    child.on("error", (e) => done(null, e.message));
  }

  private onRunEnded(session: Session, run: Run, code: number | null, detail: string) {
    if (session.run === run) session.run = null;
    if (session.isEnded) return this.removeEmptyFolders(session);
    const now = this.now();
    if (now - session.lastRequestAtMs > this.deps.idleMs) return this.end(session, "idle");
    if (run.lastSegmentAtMs !== null && now - run.startedAtMs >= HEALTHY_RUN_MS) session.backoffMs = MIN_BACKOFF_MS;
    const wait = session.backoffMs;
    session.backoffMs = Math.min(session.backoffMs * 2, MAX_BACKOFF_MS);
    log.warn("on-request live ffmpeg exited", { camera: session.cameraId, stream: session.stream, code, detail: redactUrls(detail).slice(0, 200), restartInMs: wait });
    session.restartTimer = setTimeout(() => {
      if (!session.isEnded) this.startRun(session);
    }, wait);
    session.restartTimer.unref();
  }

  private end(session: Session, reason: string) {
    if (session.isEnded) return;
    session.isEnded = true;
    this.sessionsByKey.delete(session.key);
    if (session.restartTimer) clearTimeout(session.restartTimer);
    log.info("on-request live ingest stopped", { camera: session.cameraId, stream: session.stream, reason });
    const child = session.run?.child;
    if (!child) return this.removeEmptyFolders(session); // between runs: nothing left on disk but the folders
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), KILL_GRACE_MS);
    timer.unref();
    child.once("exit", () => clearTimeout(timer));
  }

  private sweep() {
    const now = this.now();
    for (const session of [...this.sessionsByKey.values()]) {
      if (now - session.lastRequestAtMs > this.deps.idleMs) {
        this.end(session, "idle");
        continue;
      }
      const run = session.run;
      if (!run) continue;
      try {
        const mtimeMs = fs.statSync(path.join(run.dir, PLAYLIST_NAME)).mtimeMs;
        if (mtimeMs !== run.playlistMtimeMs) {
          run.playlistMtimeMs = mtimeMs;
          run.lastSegmentAtMs = now;
        }
      } catch {
        /* no playlist yet: no segment yet */
      }
      if (detectStall({ lastSegmentSeenAtMs: run.lastSegmentAtMs, runStartedAtMs: run.startedAtMs, nowMs: now, stallMs: STALL_MS }).isStalled) {
        run.stderr += `\nstalled: no segment for ${STALL_MS} ms`;
        run.child.kill("SIGKILL");
      }
    }
  }

  /** The <stream> and <camera> folders of an ended session, unless a new session already uses them. */
  private removeEmptyFolders(session: Session) {
    for (let dir = this.streamDir(session.cameraId, session.stream); dir.startsWith(this.root + path.sep); dir = path.dirname(dir)) {
      try {
        fs.rmdirSync(dir);
      } catch {
        return; // not empty, or already gone
      }
    }
  }
}
