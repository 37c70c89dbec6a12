// On-request live ingests of the web process: one ffmpeg per (camera, stream) that someone is watching and the
// recorder does not already copy (sub streams; main streams of cameras that are not recorded). Started by the first
// playlist request, kept alive by the following ones, stopped LIVE_IDLE_SECONDS after the last: live video flows only
// while someone watches. Same argv as the recorder's ingest (-c copy into 1 s fMP4 segments; the camera's sound only
// when the household turned "record sound" on, soundModeFor) with a short list, into
// $DATA_DIR/live-ondemand/<camera>/<stream>/<run>/ (a new run folder per ffmpeg start; removed when that ffmpeg ends).
// An ffmpeg that exits while viewers still ask is restarted with backoff; one that stops producing is killed (both by
// superviseFfmpeg, lib/ffmpeg/supervise.ts, the recorder's supervisor too).
import fs from "node:fs";
import path from "node:path";
import { systemClock, type Scheduler } from "../clock";
import { ASSUMED_KEYFRAME_MS, buildIngestArgs, PLAYLIST_NAME, segmentSecondsFor, type SoundMode } from "../ffmpeg/ingest-args";
import { killOrphanIngests } from "../ffmpeg/orphans";
import { redactUrls } from "../ffmpeg/redact";
import { STALL_MS, superviseFfmpeg, type Backoff, type FfmpegRunEnd, type FfmpegSupervisor, type NextRun } from "../ffmpeg/supervise";
import { logger } from "../log";
import type { LiveStream } from "./paths";
import { onRequestLiveRoot, onRequestStreamDir } from "../data-dir";

/** Segments ffmpeg lists and keeps on disk: the served window (4) plus room for a player a little behind. */
export const ON_REQUEST_LIST_SIZE = 6;
/** How often idle sessions are looked for and playlists checked for progress, ms. */
export const SWEEP_MS = 500;
/** Waits before restarting an ffmpeg that exited while viewers still ask: 1 s doubling to 10 s, reset after 30 s. */
export const LIVE_BACKOFF: Backoff = { initialMs: 1_000, maxMs: 10_000, resetAfterMs: 30_000 };
/** SIGTERM, then SIGKILL after this long, ms. */
const KILL_GRACE_MS = 2_000;

const log = logger("live");

export type OnRequestIngest = {
  cameraId: string;
  /** The stream ingested (see chooseLiveSource). */
  stream: LiveStream;
  /** With credentials: never logged (redactUrls), never leaves this process except in ffmpeg's argv. */
  url: string;
  /** The camera's sound, as the recorder takes it (soundModeFor(recordSound, the probed audio codec)); default none. */
  sound?: SoundMode;
};

export type LiveSessionInfo = { cameraId: string; stream: LiveStream; startedAt: string; lastRequestAt: string };

/** What a playlist request finds: the run to read, or none (ffmpeg exited and waits for its restart). */
export type OnRequestState = { run: { runId: string; dir: string } | null };

/** One ffmpeg run of a session: its folder, and the playlist's mtime last seen (a change is progress). */
type Run = { runId: string; dir: string; playlistMtimeMs: number };

type Session = {
  key: string;
  cameraId: string;
  stream: LiveStream;
  url: string;
  sound: SoundMode;
  startedAtMs: number;
  lastRequestAtMs: number;
  /** The run whose ffmpeg is alive, or null (waiting for a restart). */
  run: Run | null;
  supervisor: FfmpegSupervisor | null;
  isEnded: boolean;
};

export type LiveIngestDeps = {
  dataDir: string;
  ffmpegPath: string;
  /** No playlist request for this long ⇒ stop, ms. */
  idleMs: number;
  now?: () => number;
  /** Timers of the ffmpeg supervisors (backoff, stall, kill grace); the system clock when not given. */
  clock?: Scheduler;
};

const keyOf = (cameraId: string, stream: LiveStream) => `${cameraId}/${stream}`;

export class LiveIngestManager {
  /** $DATA_DIR/live-ondemand */
  readonly root: string;
  private readonly sessionsByKey = new Map<string, Session>();
  /** Sessions ended whose ffmpeg has not exited yet (close() waits for them). */
  private readonly stopping = new Set<Promise<void>>();
  private readonly clock: Scheduler;
  private readonly now: () => number;
  private readonly timer: NodeJS.Timeout;
  /** Run ids are start times in ms, made unique: a run folder is never shared by two ffmpeg. */
  private lastRunId = 0;

  constructor(private readonly deps: LiveIngestDeps) {
    this.clock = deps.clock ?? systemClock;
    this.now = deps.now ?? (() => this.clock.now().getTime());
    this.root = onRequestLiveRoot(deps.dataDir);
    // A web process killed with SIGKILL leaves its ffmpeg running (they write files, not to our pipes): end them and
    // their folders before starting any of ours.
    const orphans = killOrphanIngests(this.root);
    if (orphans.length) log.warn("ended on-request ffmpeg left by an unclean stop", { pids: orphans });
    fs.rmSync(this.root, { recursive: true, force: true });
    this.timer = setInterval(() => this.sweep(), SWEEP_MS);
    this.timer.unref();
  }

  /** A playlist request: starts the ingest when none runs (restarts it when the URL or the sound changed) and notes the time. */
  touch(ingest: OnRequestIngest): OnRequestState {
    const key = keyOf(ingest.cameraId, ingest.stream);
    const sound = ingest.sound ?? "none";
    let session = this.sessionsByKey.get(key);
    if (session && (session.url !== ingest.url || session.sound !== sound)) {
      this.end(session, "camera changed");
      session = undefined;
    }
    const now = this.now();
    if (!session) {
      session = { key, cameraId: ingest.cameraId, stream: ingest.stream, url: ingest.url, sound, startedAtMs: now, lastRequestAtMs: now, run: null, supervisor: null, isEnded: false };
      this.sessionsByKey.set(key, session);
      log.info("on-request live ingest started", { camera: ingest.cameraId, stream: ingest.stream });
      session.supervisor = this.supervise(session);
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
    await Promise.all([...this.stopping]);
  }

  /** Runs the session's ffmpeg (the first run starts now) until the session ends. */
  private supervise(session: Session): FfmpegSupervisor {
    return superviseFfmpeg({
      ffmpegPath: this.deps.ffmpegPath,
      clock: this.clock,
      backoff: LIVE_BACKOFF,
      stallMs: STALL_MS,
      progressName: "segment",
      killGraceMs: KILL_GRACE_MS,
      argv: () => {
        this.lastRunId = Math.max(this.now(), this.lastRunId + 1);
        const runId = String(this.lastRunId);
        const dir = path.join(this.streamDir(session.cameraId, session.stream), runId);
        fs.mkdirSync(dir, { recursive: true });
        session.run = { runId, dir, playlistMtimeMs: 0 };
        return buildIngestArgs({ inputUrl: session.url, outputDir: dir, segmentSeconds: segmentSecondsFor(ASSUMED_KEYFRAME_MS), listSize: ON_REQUEST_LIST_SIZE, sound: session.sound });
      },
      onExit: (end) => this.onRunEnded(session, end),
    });
  }

  /** A run's ffmpeg ended: its folder goes; the session stops when nobody asked for the idle time, else restarts. */
  private onRunEnded(session: Session, end: FfmpegRunEnd): NextRun {
    const run = session.run;
    session.run = null;
    if (run) fs.rmSync(run.dir, { recursive: true, force: true });
    if (session.isEnded || end.isStopping) return "stop";
    if (this.now() - session.lastRequestAtMs > this.deps.idleMs) {
      this.end(session, "idle");
      return "stop";
    }
    log.warn("on-request live ffmpeg exited", { camera: session.cameraId, stream: session.stream, code: end.code, detail: redactUrls(end.detail).slice(0, 200), restartInMs: end.retryInMs });
    return "backoff";
  }

  /** Ends a session now; its ffmpeg gets SIGTERM (SIGKILL after KILL_GRACE_MS), then its folders go. */
  private end(session: Session, reason: string) {
    if (session.isEnded) return;
    session.isEnded = true;
    this.sessionsByKey.delete(session.key);
    log.info("on-request live ingest stopped", { camera: session.cameraId, stream: session.stream, reason });
    const stopped = (session.supervisor?.stop() ?? Promise.resolve()).then(() => this.removeEmptyFolders(session));
    this.stopping.add(stopped);
    void stopped.finally(() => this.stopping.delete(stopped));
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
        // ffmpeg rewrites the playlist after every segment: a new mtime is progress (the supervisor's stall rule).
        const mtimeMs = fs.statSync(path.join(run.dir, PLAYLIST_NAME)).mtimeMs;
        if (mtimeMs !== run.playlistMtimeMs) {
          run.playlistMtimeMs = mtimeMs;
          session.supervisor?.progress();
        }
      } catch {
        /* no playlist yet: no segment yet */
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
