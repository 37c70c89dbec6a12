// Whole-event playback (issue #18): the player plays an event of several clips as ONE video — the same join as "download
// event" (lib/events/event-file.ts: the clips copied one after the other by ffmpeg's concat demuxer, no re-encoding),
// so there is no gap at a clip boundary: the browser sees one file with one timeline, seeks anywhere in it with range
// requests, and changes speed or steps frames across boundaries like in any MP4. Two <video> elements swapped at each
// clip's end (the other way) always stall for a moment at the boundary and cannot scrub across clips.
//
// The joined file is made once per event and clip set and kept as a cache file, event-cache/<event>/<key>.mp4 (the
// place is lib/data-dir.ts's): <key> is a hash of the event's clips (id, path, size), so an event whose clips changed
// (a clip added while it was recorded, a missing clip's row cleaned up) is joined again. It is written under a
// temporary name and renamed: a process killed while writing leaves no file that could be served, and its temporary
// file is removed by the next prune. lib/deletion owns removing it: with the event (deleteEventRows lists the folder),
// and pruned by age and size (event-cache.ts there) after each join and every 10 minutes (the scheduler), and emptied by
// expiry when free space falls below its target. One join per cache file at a time in this process (a second request
// waits for the first). A one-clip event plays its clip (nothing is made).
//
// H.265 in a browser without an H.265 decoder: the clips' H.264 copies (lib/events/playable-copy.ts, made on request,
// one at a time) joined the same way, once every copy exists (`<key>-h264.mp4` beside the original's join; the names
// are lib/data-dir.ts's). Until then the player plays the copies clip by clip, asking for the next clip's copy while
// one plays, so that the first picture waits for one clip's transcode, not the whole event's; once the copies exist the
// event plays whole from the next time it is opened (getEventPlayback is read once per opening: no restart mid-play). Not joinable (event_not_joinable: the clips' formats differ): the player plays the clips one after
// another (the next one preloaded). getEventPlayback tells it which, with the clips' places on the joined timeline.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Viewer } from "../auth/viewer";
import { eventCacheFileName, eventCachePathInDataDir, resolveInside, type EventCacheVariant } from "../data-dir";
import type { Db } from "../db";
import { deleteEventCache, pruneEventCache } from "../deletion/event-cache";
import { AppError } from "../errors";
import { logger } from "../log";
import { mp4MimeType, readFileTrackCodecs } from "../mp4/codec-string";
import { haveEqualFormats, joinClipFiles, presentClipFiles, readClipTiming } from "./event-file";
import { requireEventAccess } from "./events";
import { playableCopyFile } from "./playable-copy";

const log = logger("events");

type Who = Pick<Viewer, "id" | "role">;

/** The key of an event's clip set: 16 hex digits of SHA-256 over each clip's id, path and size, in order. */
export function clipSetKey(clips: readonly { id: string; path: string; bytes: number }[]): string {
  const h = createHash("sha256");
  for (const c of clips) h.update(`${c.id}\0${c.path}\0${c.bytes}\n`);
  return h.digest("hex").slice(0, 16);
}

export type EventPlayback = {
  /** "whole": play GET /api/events/:id/play (one file); "clips": play the clips one after another. */
  mode: "whole" | "clips";
  /** The joined file's `video/mp4; codecs="…"` (the first clip's), for canPlayType; null when unreadable. */
  mimeType: string | null;
  /** Video frame length, ms (the first clip's): the frame step. Null when unreadable. */
  frameMs: number | null;
  /** Each clip's place on the event's timeline (the joined file's), ms. */
  clips: { sequence: number; startMs: number; durationMs: number }[];
  /**
   * Every clip has an H.264 copy (H.265 clips whose copies were all made): a browser that cannot decode the clips plays
   * the copies joined (GET /api/events/:id/play?copy=h264). False for H.264 events (no copies) and while one is missing.
   */
  copiesReady: boolean;
};

/** Every clip's H.264 copy when all exist, else null (an H.264 clip has none). */
function presentCopyFiles(dataDir: string, clips: readonly { path: string; videoCodec: string }[]): string[] | null {
  const files = clips.map((c) => playableCopyFile(dataDir, c));
  return files.length > 0 && files.every((f): f is string => f !== null && isFile(f)) ? files : null;
}

/** How the player plays this event (access checked as for its clips); reads the clips' headers only. */
export async function getEventPlayback(db: Db, dataDir: string, viewer: Who, eventId: string): Promise<EventPlayback> {
  const event = await requireEventAccess(db, viewer, eventId);
  const files = await presentClipFiles(db, dataDir, event);
  let mode: EventPlayback["mode"] = "clips";
  let mimeType: string | null = null;
  let frameMs: number | null = null;
  const clips: EventPlayback["clips"] = [];
  try {
    mode = files.length > 1 && haveEqualFormats(files) ? "whole" : "clips";
    mimeType = mp4MimeType(readFileTrackCodecs(files[0]));
    let at = 0;
    event.clips.forEach((c, i) => {
      const timing = readClipTiming(files[i]);
      frameMs ??= timing.frameMs;
      clips.push({ sequence: c.sequence, startMs: Math.round(at), durationMs: Math.round(timing.durationMs) });
      at += timing.durationMs;
    });
  } catch (err) {
    log.warn("event clips unreadable", { event: eventId, error: String(err) });
    mode = "clips";
    clips.length = 0;
    let at = 0;
    for (const c of event.clips) {
      clips.push({ sequence: c.sequence, startMs: at, durationMs: c.durationMs });
      at += c.durationMs;
    }
  }
  return { mode, mimeType, frameMs, clips, copiesReady: presentCopyFiles(dataDir, event.clips) !== null };
}

const MAKING = Symbol.for("nightjar.eventCacheJoins");
/** Joins running in this process, by cache file (on globalThis: Next may load this module once per route bundle). */
function joinsRunning(): Map<string, Promise<void>> {
  const g = globalThis as { [MAKING]?: Map<string, Promise<void>> };
  g[MAKING] ??= new Map();
  return g[MAKING];
}

export type EventVideo = { file: string; cameraId: string | null; made: boolean };

/**
 * The event's joined video to serve (access checked as for its clips), made now unless cached: of the clips, or with
 * `variant` "h264" of their H.264 copies. A one-clip event's is its clip (or its copy). not_found: no clip or a clip
 * file gone (rows cleaned up); copies_not_ready: a clip has no H.264 copy (yet); event_not_joinable: the formats differ.
 * `made`: this call joined it (for tests and logs).
 */
export async function requireEventVideo(db: Db, dataDir: string, ffmpegPath: string, viewer: Who, eventId: string, variant: EventCacheVariant = "original"): Promise<EventVideo> {
  const event = await requireEventAccess(db, viewer, eventId);
  let files = await presentClipFiles(db, dataDir, event);
  if (variant === "h264") {
    const copies = presentCopyFiles(dataDir, event.clips);
    if (!copies) throw new AppError("copies_not_ready");
    files = copies;
  }
  if (files.length === 1) return { file: files[0], cameraId: event.cameraId, made: false };
  const folderRel = eventCachePathInDataDir(event.id);
  const folder = folderRel ? resolveInside(dataDir, folderRel) : null;
  if (!folder) throw new AppError("not_found"); // an id that is no file name: never joined
  const key = clipSetKey(event.clips);
  const file = path.join(folder, eventCacheFileName(key, variant));
  if (isFile(file)) return { file, cameraId: event.cameraId, made: false };
  if (!haveEqualFormats(files)) throw new AppError("event_not_joinable");
  const running = joinsRunning();
  let made = false;
  let job = running.get(file);
  if (!job) {
    made = true;
    job = makeCacheFile(db, dataDir, ffmpegPath, event.id, key, files, file).finally(() => running.delete(file));
    running.set(file, job);
  }
  await job;
  if (!isFile(file)) throw new AppError("not_found"); // deleted with its event meanwhile
  return { file, cameraId: event.cameraId, made };
}

async function makeCacheFile(db: Db, dataDir: string, ffmpegPath: string, eventId: string, key: string, files: string[], file: string): Promise<void> {
  const folder = path.dirname(file);
  const suffix = `.tmp-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
  const temp = `${file}${suffix}`;
  fs.mkdirSync(folder, { recursive: true });
  const started = Date.now();
  try {
    await joinClipFiles(ffmpegPath, files, temp, path.join(folder, `${key}.ffconcat${suffix}`));
    fs.renameSync(temp, file);
  } catch (err) {
    log.error("event not joined for playing", { event: eventId, error: String((err as Error)?.message ?? err).slice(0, 300) });
    throw err;
  } finally {
    fs.rmSync(temp, { force: true }); // our own temporary file (gone after the rename)
  }
  log.info("event joined for playing", { event: eventId, clips: files.length, ms: Date.now() - started, bytes: fs.statSync(file).size });
  // Deleted (or its clips changed) while it was being joined: the deletion found no file yet, so it goes now.
  const now = await db.event.findUnique({ where: { id: eventId }, select: { clips: { orderBy: { sequence: "asc" }, select: { id: true, path: true, bytes: true } } } });
  if (!now) await deleteEventCache(db, dataDir, [eventId], "event_delete");
  else if (clipSetKey(now.clips) !== key) log.info("event clips changed while joined: joined again when played", { event: eventId });
  await pruneEventCache(db, dataDir, { keep: file });
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
