// An event's clip and photo written to disk and recorded, the one way: file first (temp name, checked, renamed), then
// its row. Used by the running recorder (camera-recorder.ts) and by the salvage of open events after a crash
// (salvage.ts), so both write exactly the same files and rows.
import fs from "node:fs";
import path from "node:path";
import { mediaRelativePath } from "../data-dir";
import type { Db } from "../db";
import { INIT_SEGMENT_NAME } from "../ffmpeg/ingest-args";
import { deleteUntrackedMediaFiles } from "../deletion/recordings";
import { newId } from "../ids";
import type { ClipPlan } from "./clip-plan";
import { clipFilePath, writeClip, type ClipWriteTimings } from "./clip-writer";
import { writeEventPhoto } from "./photos";

export type EventMediaDeps = { db: Db; dataDir: string; ffmpegPath: string };

/** The event's row is gone (deleted while it recorded): nothing more is written for it. */
export class EventGoneError extends Error {
  constructor(readonly eventId: string) {
    super(`event ${eventId} was deleted while it recorded`);
  }
}

/** A clip of the event as written: its wall-clock range and file. */
export type WrittenEventClip = { sequence: number; startMs: number; endMs: number; file: string; timings?: ClipWriteTimings };

/**
 * Writes one planned clip (its segments from `liveDir/<run>/`) as clip `sequence` of the event, file first, then the
 * Clip row. The plan must have segments (planClip never spans two runs).
 */
export async function writeEventClip(deps: EventMediaDeps, input: { cameraId: string; eventId: string; sequence: number; plan: ClipPlan; liveDir: string }): Promise<WrittenEventClip> {
  const startMs = input.plan.startMs!;
  const outFile = clipFilePath({ dataDir: deps.dataDir, cameraId: input.cameraId, eventId: input.eventId, seq: input.sequence, startMs });
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  const runDir = path.join(input.liveDir, input.plan.segments[0].runId);
  const written = await writeClip({
    segments: input.plan.segments.map((s) => ({ file: path.join(runDir, s.name), durationMs: s.durationMs })),
    initSegment: path.join(runDir, INIT_SEGMENT_NAME),
    outFile,
    ffmpegPath: deps.ffmpegPath,
  });
  const relativePath = mediaRelativePath(deps.dataDir, outFile);
  try {
    await deps.db.clip.create({
      data: { id: newId(), eventId: input.eventId, sequence: input.sequence, path: relativePath, bytes: written.bytes, startedAt: new Date(startMs), durationMs: Math.round(written.durationMs), videoCodec: written.videoCodec, audioCodec: written.audioCodec },
    });
  } catch (err) {
    // The event was deleted while it recorded (a member, expiry, its camera): the clip no row will point to goes too.
    if ((await deps.db.event.count({ where: { id: input.eventId } })) > 0) throw err;
    await deleteUntrackedMediaFiles(deps.db, deps.dataDir, [relativePath]);
    throw new EventGoneError(input.eventId);
  }
  return { sequence: input.sequence, startMs, endMs: startMs + written.durationMs, file: outFile, timings: written.timings };
}

/**
 * The event photo and its thumbnail from the clip that holds `peakAt` (else the first clip), then the Photo row.
 * A clip cut short (footage missing at its end) may not contain the peak: the photo never seeks past its last frame.
 */
export async function writeEventPhotoFor(deps: EventMediaDeps, eventId: string, clips: readonly WrittenEventClip[], peakAt: number, opts: PhotoOptions = {}): Promise<boolean> {
  const clip = clips.find((c) => peakAt >= c.startMs && peakAt < c.endMs) ?? clips[0];
  if (!clip) return false;
  const offsetMs = Math.min(Math.max(0, peakAt - clip.startMs), Math.max(0, clip.endMs - clip.startMs - 200));
  await writePhoto(deps, eventId, clip.file, offsetMs, clip.file.replace(/\.mp4$/, ""), clip.startMs, opts);
  return true;
}

/** `exact`: the frame at the moment itself (decoded from the keyframe before it), not the keyframe: see photoPairArgs. */
export type PhotoOptions = { exact?: boolean };

/** A segment of the recorder's ring (lib/recording/segments.ts), where the event's footage still is. */
export type RingSegmentRef = { runId: string; name: string; startMs: number; endMs: number };

/**
 * The event photo when no clip of the event could be written (the recording problem is reported elsewhere): read from
 * the ring's segment at the peak, through ffmpeg's concat protocol (the run's init segment and that segment back to
 * back: a fragmented MP4, no temporary file), named as clip 0 of the event would be. Then the Photo row.
 */
export async function writeEventPhotoFromSegment(deps: EventMediaDeps, input: { cameraId: string; eventId: string; liveDir: string; segment: RingSegmentRef; peakAt: number }, opts: PhotoOptions = {}): Promise<void> {
  const { segment } = input;
  const runDir = path.join(input.liveDir, segment.runId);
  const base = clipFilePath({ dataDir: deps.dataDir, cameraId: input.cameraId, eventId: input.eventId, seq: 0, startMs: segment.startMs }).replace(/\.mp4$/, "");
  fs.mkdirSync(path.dirname(base), { recursive: true });
  const offsetMs = Math.min(Math.max(0, input.peakAt - segment.startMs), Math.max(0, segment.endMs - segment.startMs - 200));
  await writePhoto(deps, input.eventId, `concat:${path.join(runDir, INIT_SEGMENT_NAME)}|${path.join(runDir, segment.name)}`, offsetMs, base, segment.startMs, opts);
}

/** `<base>-photo.jpg` and `<base>-thumb.jpg` from the frame at `offsetMs` of `input` (a file or an ffmpeg URL), then the Photo row. */
async function writePhoto(deps: EventMediaDeps, eventId: string, input: string, offsetMs: number, base: string, inputStartMs: number, opts: PhotoOptions): Promise<void> {
  const photo = `${base}-photo.jpg`;
  const thumb = `${base}-thumb.jpg`;
  const { photo: p, thumb: t } = await writeEventPhoto(deps.ffmpegPath, input, offsetMs, photo, thumb, opts);
  const rel = (f: string) => mediaRelativePath(deps.dataDir, f);
  await deps.db.photo.create({
    data: { eventId, path: rel(photo), bytes: p.bytes, width: p.width, height: p.height, thumbPath: rel(thumb), thumbBytes: t.bytes, thumbWidth: t.width, thumbHeight: t.height, takenAt: new Date(inputStartMs + offsetMs) },
  });
}
