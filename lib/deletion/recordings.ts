// Deleting recordings: the one path. Every deletion of events, clips and photos goes through here — retention, event
// deletion (one, bulk, range), camera deletion with its recordings, account deletion, factory reset — and so does
// every removal of media files (files without rows after a crash, a missing photo's row). Rows first, files after,
// through the pending-file list (pending-files.ts), in short batches. A clip's H.264 copy (made on request beside an
// H.265 clip, lib/events/playable-copy.ts; it has no row) is listed and removed with its clip, and an event's cache
// folder (its clips joined for playing, event-cache.ts) with the event. An event's detection
// labels and boxes (EventLabel, Detection) cascade with it; a correction made from one of its boxes stays with the
// camera and forgets the detection (DetectionCorrection.detectionId becomes null).
//
// Several processes write the same SQLite file (web, scheduler, recorder). Every $transaction begins IMMEDIATE
// (lib/db.ts), so a delete transaction waits its turn (busy timeout) instead of failing when another process commits
// between its reads and its writes; and it is short (one batch): between batches the lock is free for a moment
// (BATCH_PAUSE_MS) so the recorder is never held up for long.
import { mediaPathInDataDir, playableCopyRelativePath } from "../data-dir";
import type { Db } from "../db";
import { logger } from "../log";
import { eventCacheFolders } from "./event-cache";
import { queueFileDeletions, unlinkPendingFiles, type PendingReason, type Tx } from "./pending-files";
import { deleteTimelapseRows } from "./timelapses";

const log = logger("files");

/** Events per transaction: keeps each write transaction short (the recorder writes between batches), count. */
export const DELETE_BATCH = 500;
/** Pause between two batches, so that a writer waiting for the lock (the recorder) gets it, ms. */
export const BATCH_PAUSE_MS = 10;
/** Longest a delete transaction may run, including the wait for the write lock (Prisma's default is 5 s), ms. */
const TX_TIMEOUT_MS = 30_000;

export type DeleteEventsResult = {
  events: number;
  clips: number;
  /** Files unlinked, files that were already gone, files that could not be unlinked (still pending). */
  files: number;
  missingFiles: number;
  failedFiles: number;
  /** Clips + photos + thumbnails of the deleted events, bytes. */
  bytes: number;
};

export type DeleteEventsOptions = {
  /** Re-check inside each transaction and skip events that are protected by then (automatic deletion). */
  keepProtected?: boolean;
  /** Events per transaction (default DELETE_BATCH). */
  batchSize?: number;
  /** Pause between batches (default BATCH_PAUSE_MS), ms. */
  pauseMs?: number;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * `paths`: the rows' files; `copyPaths`: the H.264 copies their clips may have and the events' cache folders (most have
 * none: listed anyway, so that one finished while the event was being deleted goes too; a missing one is expected and
 * not counted).
 */
type Deleted = { events: number; clips: number; paths: string[]; copyPaths: string[]; bytes: number };

/** The $DATA_DIR-relative paths of the H.264 copies these clips may have. */
function copyPathsOf(clips: { path: string; videoCodec: string }[]): string[] {
  return clips.flatMap((c) => {
    const copy = playableCopyRelativePath(c);
    return copy ? [mediaPathInDataDir(copy)] : [];
  });
}

/**
 * Inside a transaction: deletes these events (clips, photos, labels and detections cascade) and lists their files as pending. The caller
 * unlinks the returned paths (relative to $DATA_DIR) with unlinkPendingFiles once the transaction committed.
 */
export async function deleteEventRows(tx: Tx, eventIds: string[], reason: PendingReason, options: { keepProtected?: boolean } = {}): Promise<Deleted> {
  const ids = options.keepProtected ? (await tx.event.findMany({ where: { id: { in: eventIds }, isProtected: false }, select: { id: true } })).map((e) => e.id) : eventIds;
  if (!ids.length) return { events: 0, clips: 0, paths: [], copyPaths: [], bytes: 0 };
  const clips = await tx.clip.findMany({ where: { eventId: { in: ids } }, select: { path: true, bytes: true, videoCodec: true } });
  const photos = await tx.photo.findMany({ where: { eventId: { in: ids } }, select: { path: true, thumbPath: true, bytes: true, thumbBytes: true } });
  // detectionId is a plain column (no foreign key: the correction outlives its event), so it is cleared here.
  const detections = await tx.detection.findMany({ where: { eventId: { in: ids } }, select: { id: true } });
  if (detections.length) await tx.detectionCorrection.updateMany({ where: { detectionId: { in: detections.map((d) => d.id) } }, data: { detectionId: null } });
  const { count } = await tx.event.deleteMany({ where: { id: { in: ids } } });
  const paths = [...clips.map((c) => c.path), ...photos.flatMap((p) => [p.path, p.thumbPath])].map(mediaPathInDataDir);
  const copyPaths = [...copyPathsOf(clips), ...eventCacheFolders(ids)];
  await queueFileDeletions(tx, [...paths, ...copyPaths], reason);
  const bytes = clips.reduce((n, c) => n + c.bytes, 0) + photos.reduce((n, p) => n + p.bytes + p.thumbBytes, 0);
  return { events: count, clips: clips.length, paths, copyPaths, bytes };
}

/**
 * Deletes events (with their clips and photos) and then their files, in batches of DELETE_BATCH. Ids that do not exist
 * (any more) are skipped: deleting twice, or racing the retention job, is harmless. Returns what was removed.
 */
export async function deleteEvents(db: Db, dataDir: string, eventIds: string[], reason: PendingReason, options: DeleteEventsOptions = {}): Promise<DeleteEventsResult> {
  const total: DeleteEventsResult = { events: 0, clips: 0, files: 0, missingFiles: 0, failedFiles: 0, bytes: 0 };
  const size = Math.max(1, options.batchSize ?? DELETE_BATCH);
  for (let i = 0; i < eventIds.length; i += size) {
    if (i > 0) await sleep(options.pauseMs ?? BATCH_PAUSE_MS);
    const chunk = eventIds.slice(i, i + size);
    const deleted = await db.$transaction((tx) => deleteEventRows(tx, chunk, reason, options), { timeout: TX_TIMEOUT_MS, maxWait: TX_TIMEOUT_MS });
    await addDeleted(db, dataDir, total, deleted);
  }
  return total;
}

async function addDeleted(db: Db, dataDir: string, total: DeleteEventsResult, deleted: Deleted): Promise<void> {
  total.events += deleted.events;
  total.clips += deleted.clips;
  total.bytes += deleted.bytes;
  const flushed = await unlinkPendingFiles(db, dataDir, deleted.paths);
  total.files += flushed.removed;
  total.missingFiles += flushed.missing;
  total.failedFiles += flushed.failed;
  if (!deleted.copyPaths.length) return;
  const copies = await unlinkPendingFiles(db, dataDir, deleted.copyPaths, { isMissingExpected: true });
  total.files += copies.removed;
  total.failedFiles += copies.failed;
}

/**
 * Deletes a camera row, and with `withRecordings` every event of it first, in batches like retention (the recorder of
 * a camera being deleted may still add an event: the last transaction deletes those together with the camera row).
 * Without it, the events stay (their cameraId becomes null; they expire by the retention rules). Returns false when
 * the camera does not exist.
 */
export async function deleteCameraWithRecordings(db: Db, dataDir: string, cameraId: string, withRecordings: boolean, options: Omit<DeleteEventsOptions, "keepProtected"> = {}): Promise<{ found: boolean } & DeleteEventsResult> {
  const total: DeleteEventsResult = { events: 0, clips: 0, files: 0, missingFiles: 0, failedFiles: 0, bytes: 0 };
  if (withRecordings) {
    for (;;) {
      const batch = await db.event.findMany({ where: { cameraId }, select: { id: true }, orderBy: { startedAt: "asc" }, take: Math.max(1, options.batchSize ?? DELETE_BATCH) });
      if (!batch.length) break;
      const r = await deleteEvents(db, dataDir, batch.map((e) => e.id), "camera_delete", options);
      for (const k of Object.keys(total) as (keyof DeleteEventsResult)[]) total[k] += r[k];
      await sleep(options.pauseMs ?? BATCH_PAUSE_MS);
    }
  }
  const last = await db.$transaction(
    async (tx) => {
      if ((await tx.camera.count({ where: { id: cameraId } })) === 0) return null;
      const late = withRecordings ? (await tx.event.findMany({ where: { cameraId }, select: { id: true } })).map((e) => e.id) : [];
      const deleted = await deleteEventRows(tx, late, "camera_delete");
      // Its timelapses go with its recordings (a handful of rows: a day each); kept, they lose their camera like events.
      if (withRecordings) {
        const timelapseIds = (await tx.timelapse.findMany({ where: { cameraId }, select: { id: true } })).map((r) => r.id);
        const t = await deleteTimelapseRows(tx, timelapseIds, "camera_delete");
        deleted.paths.push(...t.paths);
      }
      await tx.camera.delete({ where: { id: cameraId } });
      return deleted;
    },
    { timeout: TX_TIMEOUT_MS, maxWait: TX_TIMEOUT_MS },
  );
  if (!last) return { found: false, ...total };
  await addDeleted(db, dataDir, total, last);
  if (total.events) log.info("camera deleted with its recordings", { cameraId, events: total.events, files: total.files });
  return { found: true, ...total };
}

/**
 * Removes media files that no row points to (left by a crash between writing a file and its row): listed as pending
 * first, then unlinked, like every other deletion. `relativePaths` are relative to media/.
 */
export async function deleteUntrackedMediaFiles(db: Db, dataDir: string, relativePaths: string[]): Promise<{ removed: number; missing: number; failed: number }> {
  const paths = relativePaths.map(mediaPathInDataDir);
  for (let i = 0; i < paths.length; i += DELETE_BATCH) {
    const chunk = paths.slice(i, i + DELETE_BATCH);
    await db.$transaction((tx) => queueFileDeletions(tx, chunk, "untracked"));
  }
  return unlinkPendingFiles(db, dataDir, paths);
}

/**
 * Removes clip rows whose files went missing (lib/events/media.ts), and the H.264 copies those clips may have, like
 * every other deletion: rows and the pending list in one transaction, then the files.
 */
export async function deleteClipRows(db: Db, dataDir: string, clipIds: string[]): Promise<number> {
  const deleted = await db.$transaction(async (tx) => {
    const clips = await tx.clip.findMany({ where: { id: { in: clipIds } }, select: { path: true, videoCodec: true } });
    const { count } = await tx.clip.deleteMany({ where: { id: { in: clipIds } } });
    const copyPaths = copyPathsOf(clips);
    await queueFileDeletions(tx, copyPaths, "event_delete");
    return { count, copyPaths };
  });
  if (deleted.copyPaths.length) await unlinkPendingFiles(db, dataDir, deleted.copyPaths, { isMissingExpected: true });
  return deleted.count;
}

/** Removes an event's photo row (a file of it went missing) and whichever of its files is left. */
export async function deletePhotoOf(db: Db, dataDir: string, eventId: string): Promise<boolean> {
  const paths = await db.$transaction(async (tx) => {
    const photo = await tx.photo.findUnique({ where: { eventId }, select: { path: true, thumbPath: true } });
    if (!photo) return null;
    await tx.photo.delete({ where: { eventId } });
    const files = [photo.path, photo.thumbPath].map(mediaPathInDataDir);
    await queueFileDeletions(tx, files, "event_delete");
    return files;
  });
  if (paths) await unlinkPendingFiles(db, dataDir, paths);
  return paths !== null;
}
