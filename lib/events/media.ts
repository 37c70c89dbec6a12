// The files behind an event (clips and photo) for the media routes, after the access check. A file that is missing
// on disk although its row exists (deleted by hand, a disk replaced, a crash the recorder has not reconciled yet)
// is cleaned up here: the rows of every missing clip are removed — the whole event when no clip is left of a
// finished event — or the photo row; a warning is logged; the caller answers 404. The list then stops offering it.
import fs from "node:fs";
import type { Viewer } from "../auth/viewer";
import type { Db } from "../db";
import { AppError } from "../errors";
import { logger } from "../log";
import { mediaDir } from "../data-dir";
import { deleteClipRows, deleteEvents, deletePhotoOf } from "../deletion/recordings";
import { mediaFile, requireEventAccess } from "./events";

const log = logger("events");

type Who = Pick<Viewer, "id" | "role">;
type EventWithMedia = Awaited<ReturnType<typeof requireEventAccess>>;

function exists(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The clip's file, or not_found (after cleaning up rows whose files are gone). */
export async function requireClipFile(db: Db, dataDir: string, viewer: Who, eventId: string, sequence: string) {
  const event = await requireEventAccess(db, viewer, eventId);
  const clip = event.clips.find((c) => String(c.sequence) === sequence);
  if (!clip) throw new AppError("not_found");
  const file = mediaFile(mediaDir(dataDir), clip.path);
  if (exists(file)) return { event, clip, file };
  await cleanUpMissingClips(db, dataDir, event);
  throw new AppError("not_found");
}

/**
 * Removes the rows of an event's clips whose files are missing; when none of a finished event's clips is left, the
 * whole event (its photo's files are queued for deletion). Returns what it did. Safe to run twice or concurrently.
 */
export async function cleanUpMissingClips(db: Db, dataDir: string, event: EventWithMedia): Promise<{ removedClips: number[]; eventDeleted: boolean }> {
  const dir = mediaDir(dataDir);
  const missing = event.clips.filter((c) => !exists(mediaFile(dir, c.path)));
  if (!missing.length) return { removedClips: [], eventDeleted: false };
  const removedClips = missing.map((c) => c.sequence);
  // An event still being recorded keeps its row: the recorder adds the next clip to it.
  if (missing.length === event.clips.length && event.endedAt !== null) {
    await deleteEvents(db, dataDir, [event.id], "event_delete");
    log.warn("clip files missing: event removed", { event: event.id, camera: event.cameraId, clips: removedClips });
    return { removedClips, eventDeleted: true };
  }
  await deleteClipRows(db, dataDir, missing.map((c) => c.id));
  log.warn("clip files missing: clip rows removed", { event: event.id, camera: event.cameraId, clips: removedClips });
  return { removedClips, eventDeleted: false };
}

/** The photo (or its thumbnail) file, or not_found (after removing a photo row whose files are gone). */
export async function requirePhotoFile(db: Db, dataDir: string, viewer: Who, eventId: string, size: "full" | "thumb") {
  const event = await requireEventAccess(db, viewer, eventId);
  const photo = event.photo;
  if (!photo) throw new AppError("not_found");
  const dir = mediaDir(dataDir);
  const file = mediaFile(dir, size === "thumb" ? photo.thumbPath : photo.path);
  if (exists(file)) return { event, photo, file };
  // Either file gone: the photo row goes, and whichever file is left is queued for deletion with it.
  await deletePhotoOf(db, dataDir, eventId);
  log.warn("photo file missing: photo row removed", { event: event.id, camera: event.cameraId, size });
  throw new AppError("not_found");
}
