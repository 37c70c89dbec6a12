// Deleting recordings safely: rows first, files after, with a to-do list in between. One transaction deletes the rows
// and writes each of their files into PendingFileDeletion; then the files are unlinked and their to-do rows removed.
// A process killed at any point leaves either the rows and files untouched, or rows gone with their files listed as
// pending: flushPendingFiles (run at every retention pass and at the start of workers) finishes the job. The database
// never points at a missing file because of us, and no file is left without a row or a to-do entry.
import fs from "node:fs/promises";
import path from "node:path";
import type { Db } from "../db";
import { logger } from "../log";

const log = logger("files");

/** Rows per transaction: keeps each write transaction short (the recorder writes between batches), count. */
export const DELETE_BATCH = 500;

export type PendingReason = "retention" | "event_delete" | "range_delete" | "camera_delete" | "account_delete" | "reset" | "export_expired";

/** A path relative to $DATA_DIR, resolved, refusing anything outside it. */
export function resolveInDataDir(dataDir: string, relative: string): string | null {
  const root = path.resolve(dataDir);
  const full = path.resolve(root, relative);
  return full.startsWith(root + path.sep) ? full : null;
}

/** Clip and photo paths are stored relative to $DATA_DIR/media; pending paths are relative to $DATA_DIR. */
export const mediaRelative = (p: string) => `media/${p}`;

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/** Inside a transaction: lists files to unlink once it committed. */
export async function queueFileDeletions(tx: Tx, paths: string[], reason: PendingReason): Promise<void> {
  if (!paths.length) return;
  await tx.pendingFileDeletion.createMany({ data: paths.map((p) => ({ path: p, reason })) });
}

export type DeleteEventsResult = { events: number; clips: number; files: number; bytes: number; missingFiles: number };

/**
 * Deletes events (with their clips and photos) and then their files, in batches of DELETE_BATCH. Ids that do not exist
 * (any more) are skipped: deleting twice, or racing the retention job, is harmless. Returns what was removed.
 */
export async function deleteEvents(db: Db, dataDir: string, eventIds: string[], reason: PendingReason): Promise<DeleteEventsResult> {
  const total: DeleteEventsResult = { events: 0, clips: 0, files: 0, bytes: 0, missingFiles: 0 };
  for (let i = 0; i < eventIds.length; i += DELETE_BATCH) {
    const ids = eventIds.slice(i, i + DELETE_BATCH);
    const queued = await db.$transaction(async (tx) => {
      const clips = await tx.clip.findMany({ where: { eventId: { in: ids } }, select: { path: true, bytes: true } });
      const photos = await tx.photo.findMany({ where: { eventId: { in: ids } }, select: { path: true, thumbPath: true, bytes: true, thumbBytes: true } });
      const { count } = await tx.event.deleteMany({ where: { id: { in: ids } } }); // clips and photos cascade
      const paths = [...clips.map((c) => c.path), ...photos.flatMap((p) => [p.path, p.thumbPath])].map(mediaRelative);
      await queueFileDeletions(tx, paths, reason);
      const bytes = clips.reduce((n, c) => n + c.bytes, 0) + photos.reduce((n, p) => n + p.bytes + p.thumbBytes, 0);
      return { events: count, clips: clips.length, paths, bytes };
    });
    total.events += queued.events;
    total.clips += queued.clips;
    total.bytes += queued.bytes;
    const flushed = await unlinkPending(db, dataDir, queued.paths);
    total.files += flushed.removed;
    total.missingFiles += flushed.missing;
  }
  return total;
}

/** Unlinks every pending file (left by a run that was killed) and removes its to-do row. Idempotent. */
export async function flushPendingFiles(db: Db, dataDir: string): Promise<{ removed: number; missing: number }> {
  const total = { removed: 0, missing: 0 };
  for (;;) {
    const batch = await db.pendingFileDeletion.findMany({ take: DELETE_BATCH, orderBy: { path: "asc" }, select: { path: true } });
    if (!batch.length) return total;
    const r = await unlinkPending(db, dataDir, batch.map((b) => b.path));
    total.removed += r.removed;
    total.missing += r.missing;
  }
}

async function unlinkPending(db: Db, dataDir: string, paths: string[]): Promise<{ removed: number; missing: number }> {
  let removed = 0;
  let missing = 0;
  for (const rel of paths) {
    const full = resolveInDataDir(dataDir, rel);
    if (!full) {
      log.error("pending path outside the data folder: skipped", { path: rel });
      continue;
    }
    try {
      await fs.unlink(full);
      removed++;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") missing++;
      else {
        log.error("file not deleted", { path: rel, error: String(err) });
        continue; // stays pending: the next flush tries again
      }
    }
  }
  if (missing) log.warn("files were already missing", { count: missing });
  for (let i = 0; i < paths.length; i += DELETE_BATCH) await db.pendingFileDeletion.deleteMany({ where: { path: { in: paths.slice(i, i + DELETE_BATCH) } } });
  return { removed, missing };
}
