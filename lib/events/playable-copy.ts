// Playing recorded clips in browsers that cannot decode their video. An H.265 clip plays as it is where the browser
// has an H.265 decoder (Safari; Chrome and Edge with hardware decoding); elsewhere the player asks for an H.264 copy
// made on request: ffmpeg re-encodes the clip (lib/ffmpeg/h264-copy.ts) into `<clip>-h264.mp4` beside it (the name is
// lib/data-dir.ts's), written under a temporary name and renamed, one transcode at a time in this process (a queue: the
// server's CPU is shared with the recorder), then served like the clip (range requests) until the clip is deleted,
// which deletes the copy too (lib/deletion). Downloads always give the original file.
//
// Every function checks access first through the clip's own rule (requireClipFile → requireEventAccess → the camera
// visibility rule of lib/cameras/access.ts). The copy has no row: "ready" means the file exists. A copy finished while
// its clip was being deleted is removed through lib/deletion (deleteUntrackedMediaFiles); one whose clip was deleted
// while it waited in the queue is never made.
import fs from "node:fs";
import path from "node:path";
import type { Viewer } from "../auth/viewer";
import { mediaDir, playableCopyRelativePath } from "../data-dir";
import type { Db } from "../db";
import { deleteUntrackedMediaFiles } from "../deletion/recordings";
import { getEnv } from "../env";
import { AppError } from "../errors";
import { runH264Copy } from "../ffmpeg/h264-copy";
import { logger } from "../log";
import { readFileTrackCodecs, mp4MimeType, type TrackCodec } from "../mp4/codec-string";
import { mediaFile } from "./events";
import { requireClipFile } from "./media";

const log = logger("events");

/** Transcodes waiting at most (the running one not counted); more are refused with copy_queue_full (503). */
export const MAX_WAITING_COPIES = 20;
/** A transcode is killed after max(this, the clip's length × COPY_TIMEOUT_RATIO), ms. */
export const MIN_COPY_TIMEOUT_MS = 120_000;
export const COPY_TIMEOUT_RATIO = 10;
/** How long a failed transcode is reported as failed before a new request tries again, ms. */
export const FAILED_REPORT_MS = 60_000;

export type CopyState =
  /** The clip is H.264 already: no copy is made. */
  | { state: "not_needed" }
  | { state: "none" }
  | { state: "queued"; position: number }
  /** `progress`: 0–1 of the clip's length, null before ffmpeg reported any. */
  | { state: "preparing"; progress: number | null }
  | { state: "ready"; bytes: number }
  | { state: "failed" };

export type ClipPlayback = {
  sequence: number;
  /** Clip.videoCodec: "h264" | "hevc". */
  videoCodec: string;
  audioCodec: string | null;
  /** `video/mp4; codecs="hvc1.1.6.L120.90,mp4a.40.2"` read from the clip's moov; null when it could not be read. */
  mimeType: string | null;
  tracks: Pick<TrackCodec, "kind" | "codec" | "width" | "height">[];
  copy: CopyState;
};

type Job = {
  /** Absolute path of the copy (the queue's key). */
  copyFile: string;
  clipFile: string;
  clipId: string;
  /** Relative to media/, for deleteUntrackedMediaFiles. */
  copyRelative: string;
  durationMs: number;
  db: Db;
  dataDir: string;
};

type QueuedJob = Job & { progressMs: number | null; done: Promise<void>; finish: () => void };

export type PlayableCopyDeps = {
  ffmpegPath: string;
  now?: () => number;
  /** Test hook: runs instead of ffmpeg. */
  transcode?: (input: { clipFile: string; tempFile: string; durationMs: number; onProgress: (ms: number) => void }) => Promise<void>;
};

/** The process's transcodes: one runs, the rest wait in order; each copy is made once however often it is asked for. */
export class PlayableCopyQueue {
  private readonly jobs = new Map<string, QueuedJob>();
  private readonly waiting: QueuedJob[] = [];
  private running: QueuedJob | null = null;
  private readonly failedAt = new Map<string, number>();
  private readonly now: () => number;
  /** Transcodes run (for tests and logs). */
  transcodes = 0;

  constructor(private readonly deps: PlayableCopyDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** The state of one copy (whose file may exist already). `position`: copies made before it (the running one included). */
  state(copyFile: string, durationMs: number): CopyState {
    const job = this.jobs.get(copyFile);
    if (job && job === this.running) return { state: "preparing", progress: job.progressMs === null ? null : Math.min(1, job.progressMs / Math.max(1, durationMs)) };
    if (job) return { state: "queued", position: this.waiting.indexOf(job) + 1 };
    const bytes = fileBytes(copyFile);
    if (bytes !== null) return { state: "ready", bytes };
    const failed = this.failedAt.get(copyFile);
    if (failed !== undefined && this.now() - failed < FAILED_REPORT_MS) return { state: "failed" };
    return { state: "none" };
  }

  /**
   * Queues the copy unless it exists or is queued already (it starts at once when nothing else runs); resolves (never
   * rejects) when its job ended. copy_queue_full when MAX_WAITING_COPIES wait already.
   */
  request(input: Job): Promise<void> {
    const existing = this.jobs.get(input.copyFile);
    if (existing) return existing.done;
    if (fileBytes(input.copyFile) !== null) return Promise.resolve();
    if (this.waiting.length >= MAX_WAITING_COPIES) throw new AppError("copy_queue_full");
    this.failedAt.delete(input.copyFile);
    let finish!: () => void;
    const done = new Promise<void>((resolve) => (finish = resolve));
    const job: QueuedJob = { ...input, progressMs: null, done, finish };
    this.jobs.set(job.copyFile, job);
    this.waiting.push(job);
    this.pump();
    return job.done;
  }

  /** Starts the next waiting job when none runs. */
  private pump(): void {
    if (this.running) return;
    const job = this.waiting.shift();
    if (!job) return;
    this.running = job;
    void this.run(job).finally(() => {
      this.running = null;
      this.jobs.delete(job.copyFile);
      job.finish();
      this.pump();
    });
  }

  private async run(job: QueuedJob): Promise<void> {
    const tempFile = tempNameBeside(job.copyFile);
    try {
      // Deleted while it waited: nothing to make.
      if (!(await clipExists(job.db, job.clipId)) || fileBytes(job.clipFile) === null) return;
      const started = this.now();
      this.transcodes++;
      const onProgress = (ms: number) => (job.progressMs = ms);
      if (this.deps.transcode) await this.deps.transcode({ clipFile: job.clipFile, tempFile, durationMs: job.durationMs, onProgress });
      else await runH264Copy(this.deps.ffmpegPath, { input: job.clipFile, output: tempFile, timeoutMs: Math.max(MIN_COPY_TIMEOUT_MS, job.durationMs * COPY_TIMEOUT_RATIO), onProgress });
      fs.renameSync(tempFile, job.copyFile);
      log.info("H.264 copy of a clip made", { clip: job.clipId, ms: this.now() - started, bytes: fileBytes(job.copyFile) });
      // The clip was deleted while the copy was being made (its deletion found no copy yet): the copy goes too.
      if (!(await clipExists(job.db, job.clipId))) await deleteUntrackedMediaFiles(job.db, job.dataDir, [job.copyRelative]);
    } catch (err) {
      this.failedAt.set(job.copyFile, this.now());
      log.error("H.264 copy of a clip failed", { clip: job.clipId, error: String((err as Error)?.message ?? err).slice(0, 300) });
      fs.rmSync(tempFile, { force: true }); // our own temporary file, never a recording
    }
  }
}

/** `<file>.tmp-<pid>-<random>`: the recorder's reconcile removes such names after a crash (TEMP_FILE_PATTERN). */
function tempNameBeside(file: string): string {
  return `${file}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
}

function fileBytes(file: string): number | null {
  try {
    const st = fs.statSync(file);
    return st.isFile() ? st.size : null;
  } catch {
    return null;
  }
}

async function clipExists(db: Db, clipId: string): Promise<boolean> {
  return (await db.clip.count({ where: { id: clipId } })) > 0;
}

const QUEUE = Symbol.for("nightjar.playableCopyQueue");

/** The web process's one queue (on globalThis: Next may load this module once per route bundle). */
export function playableCopyQueue(): PlayableCopyQueue {
  const g = globalThis as { [QUEUE]?: PlayableCopyQueue };
  g[QUEUE] ??= new PlayableCopyQueue({ ffmpegPath: getEnv().FFMPEG_PATH });
  return g[QUEUE];
}

type Who = Pick<Viewer, "id" | "role">;

/** Where a clip's H.264 copy is or would be (absolute, beside the clip); null for an H.264 clip (nothing to copy). */
export function playableCopyFile(dataDir: string, clip: { path: string; videoCodec: string }): string | null {
  const relative = playableCopyRelativePath(clip);
  return relative ? mediaFile(mediaDir(dataDir), relative) : null;
}

/** The clip (access checked) and where its copy is or would be; copyFile null for H.264 clips. */
async function clipAndCopy(db: Db, dataDir: string, viewer: Who, eventId: string, sequence: string) {
  const { event, clip, file } = await requireClipFile(db, dataDir, viewer, eventId, sequence);
  const copyRelative = playableCopyRelativePath(clip);
  const copyFile = playableCopyFile(dataDir, clip);
  if (copyFile && path.dirname(copyFile) !== path.dirname(file)) throw new AppError("not_found"); // never: beside the clip
  return { event, clip, file, copyRelative, copyFile };
}

/** What the player needs to choose between the clip and its copy: codecs (exact, from the moov) and the copy's state. */
export async function getClipPlayback(db: Db, dataDir: string, viewer: Who, eventId: string, sequence: string, queue: PlayableCopyQueue): Promise<ClipPlayback> {
  const { clip, file, copyFile } = await clipAndCopy(db, dataDir, viewer, eventId, sequence);
  let tracks: TrackCodec[] = [];
  try {
    tracks = readFileTrackCodecs(file);
  } catch (err) {
    log.warn("clip codecs unreadable", { clip: clip.id, error: String(err) });
  }
  return {
    sequence: clip.sequence,
    videoCodec: clip.videoCodec,
    audioCodec: clip.audioCodec,
    mimeType: tracks.length ? mp4MimeType(tracks) : null,
    tracks: tracks.map(({ kind, codec, width, height }) => ({ kind, codec, width, height })),
    copy: copyFile ? queue.state(copyFile, clip.durationMs) : { state: "not_needed" },
  };
}

/**
 * Asks for the clip's H.264 copy: queued unless it exists or is being made. Waits up to `waitMs` for it (0: answer at
 * once), then returns its state; the player polls getClipPlayback for progress.
 */
export async function requestPlayableCopy(db: Db, dataDir: string, viewer: Who, eventId: string, sequence: string, queue: PlayableCopyQueue, waitMs = 0): Promise<CopyState> {
  const { clip, file, copyRelative, copyFile } = await clipAndCopy(db, dataDir, viewer, eventId, sequence);
  if (!copyFile || !copyRelative) return { state: "not_needed" };
  const done = queue.request({ copyFile, clipFile: file, clipId: clip.id, copyRelative, durationMs: clip.durationMs, db, dataDir });
  if (waitMs > 0) await Promise.race([done, new Promise((r) => setTimeout(r, waitMs).unref())]);
  return queue.state(copyFile, clip.durationMs);
}

/** The copy's file to serve, after the same access check as the clip; not_found until it is ready. */
export async function requirePlayableCopyFile(db: Db, dataDir: string, viewer: Who, eventId: string, sequence: string) {
  const { event, clip, copyFile } = await clipAndCopy(db, dataDir, viewer, eventId, sequence);
  if (!copyFile || fileBytes(copyFile) === null) throw new AppError("not_found");
  return { event, clip, file: copyFile };
}
