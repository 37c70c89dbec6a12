// The live view for the route handlers (web process only; no next/*): the playlist to serve for a camera's stream,
// waiting briefly for a fresh ingest, the media file a segment URL names (the init segment with H.265 entries as
// `hvc1`, which Safari needs), and what the stream holds (exact codec strings read from the run's init segment, so the
// player can ask the browser whether it decodes them before it loads anything). Access is checked by the caller
// (requireCameraAccess); this module refuses disabled cameras and cameras in privacy mode.
import fs from "node:fs";
import path from "node:path";
import type { Viewer } from "../auth/viewer";
import { requireCameraAccess } from "../cameras/access";
import { cameraCredentials } from "../cameras/cameras";
import { requirePictureAllowed } from "../cameras/snapshot";
import { withCredentials } from "../cameras/stream-url";
import type { Db } from "../db";
import { getEnv } from "../env";
import { AppError, isAppError } from "../errors";
import { INIT_SEGMENT_NAME, PLAYLIST_NAME, soundModeFor } from "../ffmpeg/ingest-args";
import { bufferSource, Mp4FormatError } from "../mp4/boxes";
import { mp4MimeType, readTrackCodecs } from "../mp4/codec-string";
import { initWithHvc1 } from "../mp4/sample-entries";
import { LiveIngestManager } from "./ingest-manager";
import { isRunId, mediaFilePath, type LiveStream } from "./paths";
import { buildLivePlaylist } from "./playlist";
import { chooseLiveSource, type LiveCamera, type LiveSource } from "./source";
import { recorderLiveDir, onRequestStreamDir } from "../data-dir";

/** Longest a playlist request waits for the first segment of an ingest that is starting, ms. */
export const PLAYLIST_WAIT_MS = 4_000;
/**
 * Longest a blocking reload (_HLS_msn) waits for the segment it asks for, ms: three target durations, as LL-HLS
 * allows. After that the current playlist is served (a restarted run numbers from 0 again: the player sees the new run).
 */
export const BLOCKING_RELOAD_WAIT_MS = 3_000;
const POLL_MS = 100;
/** Poll interval of a blocking reload waiting for its segment, ms (it adds to the latency: keep it short). */
const BLOCKING_POLL_MS = 25;
/** A playlist not rewritten for this long is not live (the ingest is stuck or gone; its supervisor restarts it), ms. */
export const STALE_PLAYLIST_MS = 8_000;
/** What a 503 live_unavailable tells the player: ask again in this many seconds. */
export const RETRY_AFTER_SECONDS = 2;

export type LiveCameraRow = LiveCamera & {
  id: string;
  credentialsEnc: string | null;
  /** Camera.recordSound: live sound too only when on (the same switch as for clips). */
  recordSound: boolean;
  /** The probed audio codec of the camera (CameraStatus.audioCodec), null when none or not probed yet. */
  audioCodec: string | null;
};

/** What a live stream holds, from its current run's init segment (as served: H.265 entries `hvc1`). */
export type LiveStreamInfo = {
  /** The stream ingested: "main" when the sub stream was asked for and the camera has none. */
  stream: LiveStream;
  hasSubStream: boolean;
  runId: string;
  /** `video/mp4; codecs="hvc1.1.6.L120.90,mp4a.40.2"`: ask MediaSource.isTypeSupported / canPlayType with it. */
  mimeType: string;
  video: { codec: string; width: number | null; height: number | null } | null;
  /** Null when the stream has no sound (the camera has none, or "record sound" is off). */
  audio: { codec: string } | null;
};

export type LiveContext = {
  dataDir: string;
  manager: LiveIngestManager;
  credentialsKey: Buffer;
  now?: () => number;
  waitMs?: number;
  /** A blocking reload: answer once the playlist lists this media sequence number (or after BLOCKING_RELOAD_WAIT_MS). */
  waitForSeq?: number | null;
};

const MANAGER = Symbol.for("nightjar.liveIngestManager");

/**
 * The web process's one manager. Kept on globalThis: Next may load this module more than once (one instance per
 * route bundle), and two managers would each start an ffmpeg for the same stream and kill each other's as orphans.
 */
export function liveIngestManager(): LiveIngestManager {
  const g = globalThis as { [MANAGER]?: LiveIngestManager };
  if (!g[MANAGER]) {
    const env = getEnv();
    g[MANAGER] = new LiveIngestManager({ dataDir: env.dataDir, ffmpegPath: env.FFMPEG_PATH, idleMs: env.LIVE_IDLE_SECONDS * 1000 });
  }
  return g[MANAGER];
}

/** The manager if one was started in this process (status pages should not start one). */
export function existingLiveIngestManager(): LiveIngestManager | null {
  return (globalThis as { [MANAGER]?: LiveIngestManager })[MANAGER] ?? null;
}

/** The camera, if the viewer may see it (404 unknown, 403 not granted). */
export async function getLiveCameraFor(db: Db, viewer: Pick<Viewer, "id" | "role">, cameraId: string): Promise<LiveCameraRow> {
  await requireCameraAccess(db, viewer, cameraId);
  const camera = await db.camera.findUnique({ where: { id: cameraId }, include: { status: { select: { audioCodec: true } } } });
  if (!camera) throw new AppError("not_found"); // deleted in between
  const { status, ...row } = camera;
  return { ...row, audioCodec: status?.audioCodec ?? null };
}

/**
 * The picture rule (lib/cameras/snapshot.ts: disabled 404, privacy mode 409); when it refuses, any on-request ingest
 * of the camera stops at once.
 */
export function requireLiveCamera(camera: LiveCameraRow, manager: LiveIngestManager | null): void {
  try {
    requirePictureAllowed(camera);
  } catch (err) {
    manager?.stopCamera(camera.id, camera.privacyMode ? "privacy mode" : "camera disabled");
    throw err;
  }
}

function runsRoot(dataDir: string, cameraId: string, source: LiveSource): string {
  return source.kind === "recorder" ? recorderLiveDir(dataDir, cameraId) : onRequestStreamDir(dataDir, cameraId, source.stream);
}

type LiveRun = { runId: string; dir: string };

/**
 * The run to serve and its playlist. A recorded main stream is read from the recorder's newest run; anything else
 * starts (or keeps alive) an on-request ingest. Waits up to PLAYLIST_WAIT_MS for a live playlist with a segment; then, or
 * at once when the on-request ffmpeg has exited and waits for its restart, live_unavailable (503).
 */
async function waitForLiveRun(camera: LiveCameraRow, stream: LiveStream, ctx: LiveContext): Promise<{ source: LiveSource; run: LiveRun; text: string }> {
  requireLiveCamera(camera, ctx.manager);
  const now = ctx.now ?? Date.now;
  const source = chooseLiveSource(camera, stream);
  let findRun: () => LiveRun | null | "down";
  if (source.kind === "recorder") {
    const root = recorderLiveDir(ctx.dataDir, camera.id);
    findRun = () => newestRun(root);
  } else {
    const ingest = {
      cameraId: camera.id,
      stream: source.stream,
      url: withCredentials(source.url, cameraCredentials(camera, ctx.credentialsKey)),
      // As the recorder takes it: no sound unless "record sound" is on; AAC copied, anything else converted.
      sound: soundModeFor(camera.recordSound, camera.audioCodec),
    };
    // A request still waiting counts as a request: the ingest must not idle out under it (LIVE_IDLE_SECONDS may be 2).
    findRun = () => ctx.manager.touch(ingest).run ?? "down";
  }
  const started = now();
  const deadline = started + (ctx.waitMs ?? PLAYLIST_WAIT_MS);
  // Blocking reload only on the main stream of a recorded camera (one player per page: the large view). Grid tiles
  // poll: nine held requests would use up a browser's six HTTP/1.1 connections to the server.
  const canBlockReload = source.kind === "recorder";
  const waitForSeq = canBlockReload ? (ctx.waitForSeq ?? null) : null;
  for (;;) {
    const run = findRun();
    if (run === "down") break;
    const served = run ? readServedPlaylist(run.dir, run.runId, now(), canBlockReload) : null;
    if (run && served && (waitForSeq === null || served.lastSeq >= waitForSeq || now() - started >= BLOCKING_RELOAD_WAIT_MS)) return { source, run, text: served.text };
    if (!served && now() >= deadline) break;
    await new Promise((r) => setTimeout(r, served ? BLOCKING_POLL_MS : POLL_MS));
  }
  throw new AppError("live_unavailable");
}

/** The playlist to serve (waitForLiveRun). */
export async function readLivePlaylist(camera: LiveCameraRow, stream: LiveStream, ctx: LiveContext): Promise<string> {
  return (await waitForLiveRun(camera, stream, ctx)).text;
}

/**
 * An init segment as served: H.265 sample entries renamed `hvc1` (lib/mp4/sample-entries.ts: Safari plays only those),
 * anything else as it is; with the file's stat (its version). not_found when the run's folder is gone.
 */
export function readServedInitSegment(file: string): { bytes: Uint8Array; stat: fs.Stats } {
  let fd: number | null = null;
  try {
    fd = fs.openSync(file, "r");
    const stat = fs.fstatSync(fd);
    return { bytes: initWithHvc1(fs.readFileSync(fd)), stat };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") throw new AppError("not_found");
    throw err;
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}

/**
 * What the stream holds, read from its current run's init segment (waiting for the run like a playlist request, and
 * keeping an on-request ingest alive the same way). live_unavailable when the init segment cannot be read yet.
 */
export async function readLiveStreamInfo(camera: LiveCameraRow, stream: LiveStream, ctx: LiveContext): Promise<LiveStreamInfo> {
  const { source, run } = await waitForLiveRun(camera, stream, { ...ctx, waitForSeq: null });
  let tracks;
  try {
    tracks = readTrackCodecs(bufferSource(readServedInitSegment(path.join(run.dir, INIT_SEGMENT_NAME)).bytes));
  } catch (err) {
    // The run ended in between, or its init segment is not complete yet: like a stream that is not up yet.
    if ((isAppError(err) && err.code === "not_found") || err instanceof Mp4FormatError) throw new AppError("live_unavailable");
    throw err;
  }
  const video = tracks.find((t) => t.kind === "video");
  const audio = tracks.find((t) => t.kind === "audio");
  return {
    stream: source.kind === "recorder" ? "main" : source.stream,
    hasSubStream: camera.subStreamUrl !== null,
    runId: run.runId,
    mimeType: mp4MimeType(tracks),
    video: video ? { codec: video.codec, width: video.width ?? null, height: video.height ?? null } : null,
    audio: audio ? { codec: audio.codec } : null,
  };
}

/** The file a media URL names, for the camera's current source; not_found for names outside the contract. */
export function liveMediaFile(camera: LiveCameraRow, stream: LiveStream, runId: string, file: string, dataDir: string, manager = existingLiveIngestManager()): string {
  requireLiveCamera(camera, manager);
  const found = mediaFilePath(runsRoot(dataDir, camera.id, chooseLiveSource(camera, stream)), runId, file);
  if (!found) throw new AppError("not_found");
  return found;
}

/** The run folder with the highest id (the latest ffmpeg start), or null. */
export function newestRun(root: string): { runId: string; dir: string } | null {
  let names: string[];
  try {
    names = fs.readdirSync(root);
  } catch {
    return null;
  }
  const runId = names.filter(isRunId).sort((a, b) => Number(b) - Number(a))[0];
  return runId ? { runId, dir: path.join(root, runId) } : null;
}

/** The served playlist of a run while it is live: listed segments, not ended, rewritten within STALE_PLAYLIST_MS. */
export function readServedPlaylist(dir: string, runId: string, nowMs: number, canBlockReload = false): { text: string; lastSeq: number } | null {
  let text: string;
  let mtimeMs: number;
  let fd: number | null = null;
  try {
    // One open file: ffmpeg replaces the playlist by rename, so its text and mtime must come from the same inode.
    fd = fs.openSync(path.join(dir, PLAYLIST_NAME), "r");
    mtimeMs = fs.fstatSync(fd).mtimeMs;
    text = fs.readFileSync(fd, "utf8");
  } catch {
    return null;
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
  if (nowMs - mtimeMs > STALE_PLAYLIST_MS) return null;
  const playlist = buildLivePlaylist({ text, runId, writtenAtMs: mtimeMs, canBlockReload });
  return playlist && !playlist.isEnded ? { text: playlist.text, lastSeq: playlist.lastSeq } : null;
}
