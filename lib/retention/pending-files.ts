// Deleting recordings safely: rows first, files after, with a to-do list in between. One transaction deletes the rows
// and writes each of their files into PendingFileDeletion; then the files are unlinked and their to-do rows removed.
// A process killed at any point leaves either the rows and files untouched, or rows gone with their files listed as
// pending: flushPendingFiles (run at every retention pass and at the start of workers) finishes the job. The database
// never points at a missing file because of us, and no file is left without a row or a to-do entry.
//
// Several processes write the same SQLite file (web, scheduler, recorder). Each delete transaction takes the write
// lock with its first statement (takeWriteLock), so it waits its turn (busy timeout) instead of failing with
// SQLITE_BUSY_SNAPSHOT when another process commits between its reads and its writes, and it is short (one batch):
// between batches the lock is free for a moment (BATCH_PAUSE_MS) so the recorder is never held up for long.
import fs from "node:fs/promises";
import path from "node:path";
import type { Db } from "../db";
import { logger } from "../log";

const log = logger("files");

/** Rows per transaction: keeps each write transaction short (the recorder writes between batches), count. */
export const DELETE_BATCH = 500;
/** Pause between two batches, so that a writer waiting for the lock (the recorder) gets it, ms. */
export const BATCH_PAUSE_MS = 10;
/** Files unlinked at the same time (libuv's thread pool does the work), count. */
const UNLINK_CONCURRENCY = 8;
/** Longest a delete transaction may run, including the wait for the write lock (Prisma's default is 5 s), ms. */
const TX_TIMEOUT_MS = 30_000;

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

/**
 * Makes the current transaction a write transaction at once (like BEGIN IMMEDIATE, which the Prisma adapter does not
 * offer): a statement that writes nothing still takes SQLite's write lock, waiting for it with the busy timeout.
 * Call it first in any transaction that reads and then writes.
 */
export async function takeWriteLock(tx: Tx): Promise<void> {
  await tx.$executeRawUnsafe(`UPDATE "PendingFileDeletion" SET "reason" = "reason" WHERE 0`);
}

/** Inside a transaction: lists files to unlink once it committed. Paths already listed stay listed once. */
export async function queueFileDeletions(tx: Tx, paths: string[], reason: PendingReason): Promise<void> {
  const unique = [...new Set(paths)];
  const createdAt = new Date().toISOString().replace("Z", "+00:00"); // the adapter's DateTime text format
  const ROWS = 300; // 3 parameters each, well under SQLite's limit of 32766
  for (let i = 0; i < unique.length; i += ROWS) {
    const chunk = unique.slice(i, i + ROWS);
    await tx.$executeRawUnsafe(
      `INSERT OR IGNORE INTO "PendingFileDeletion" ("path", "reason", "createdAt") VALUES ${chunk.map(() => "(?, ?, ?)").join(", ")}`,
      ...chunk.flatMap((p) => [p, reason, createdAt]),
    );
  }
}

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
 * Deletes events (with their clips and photos) and then their files, in batches of DELETE_BATCH. Ids that do not exist
 * (any more) are skipped: deleting twice, or racing the retention job, is harmless. Returns what was removed.
 */
export async function deleteEvents(db: Db, dataDir: string, eventIds: string[], reason: PendingReason, options: DeleteEventsOptions = {}): Promise<DeleteEventsResult> {
  const total: DeleteEventsResult = { events: 0, clips: 0, files: 0, missingFiles: 0, failedFiles: 0, bytes: 0 };
  const size = Math.max(1, options.batchSize ?? DELETE_BATCH);
  for (let i = 0; i < eventIds.length; i += size) {
    if (i > 0) await sleep(options.pauseMs ?? BATCH_PAUSE_MS);
    const chunk = eventIds.slice(i, i + size);
    const queued = await db.$transaction(
      async (tx) => {
        await takeWriteLock(tx);
        const ids = options.keepProtected ? (await tx.event.findMany({ where: { id: { in: chunk }, isProtected: false }, select: { id: true } })).map((e) => e.id) : chunk;
        if (!ids.length) return { events: 0, clips: 0, paths: [] as string[], bytes: 0 };
        const clips = await tx.clip.findMany({ where: { eventId: { in: ids } }, select: { path: true, bytes: true } });
        const photos = await tx.photo.findMany({ where: { eventId: { in: ids } }, select: { path: true, thumbPath: true, bytes: true, thumbBytes: true } });
        const { count } = await tx.event.deleteMany({ where: { id: { in: ids } } }); // clips and photos cascade
        const paths = [...clips.map((c) => c.path), ...photos.flatMap((p) => [p.path, p.thumbPath])].map(mediaRelative);
        await queueFileDeletions(tx, paths, reason);
        const bytes = clips.reduce((n, c) => n + c.bytes, 0) + photos.reduce((n, p) => n + p.bytes + p.thumbBytes, 0);
        return { events: count, clips: clips.length, paths, bytes };
      },
      { timeout: TX_TIMEOUT_MS, maxWait: TX_TIMEOUT_MS },
    );
    total.events += queued.events;
    total.clips += queued.clips;
    total.bytes += queued.bytes;
    const flushed = await unlinkPending(db, dataDir, queued.paths);
    total.files += flushed.removed;
    total.missingFiles += flushed.missing;
    total.failedFiles += flushed.failed;
  }
  return total;
}

/**
 * Unlinks every pending file (left by a run that was killed, or by a file that could not be deleted before) and
 * removes its to-do row. Idempotent. Files that still cannot be unlinked stay pending for the next flush.
 */
export async function flushPendingFiles(db: Db, dataDir: string): Promise<{ removed: number; missing: number; failed: number }> {
  const total = { removed: 0, missing: 0, failed: 0 };
  let after = "";
  for (;;) {
    // Keyset by path: rows that stay pending (failed) are not read again in this pass.
    const batch = await db.pendingFileDeletion.findMany({ where: { path: { gt: after } }, take: DELETE_BATCH, orderBy: { path: "asc" }, select: { path: true } });
    if (!batch.length) return total;
    after = batch[batch.length - 1].path;
    const r = await unlinkPending(db, dataDir, batch.map((b) => b.path));
    total.removed += r.removed;
    total.missing += r.missing;
    total.failed += r.failed;
  }
}

async function unlinkPending(db: Db, dataDir: string, paths: string[]): Promise<{ removed: number; missing: number; failed: number }> {
  let removed = 0;
  let missing = 0;
  let failed = 0;
  const done: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < paths.length) {
      const rel = paths[next++];
      const full = resolveInDataDir(dataDir, rel);
      if (!full) {
        // Never ours to delete, and never will be: the to-do row goes, the file (if any) stays.
        log.error("pending path outside the data folder: not deleted", { path: rel });
        done.push(rel);
        continue;
      }
      try {
        await fs.unlink(full);
        removed++;
        done.push(rel);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") {
          missing++;
          done.push(rel);
        } else {
          failed++;
          log.error("file not deleted: stays pending", { path: rel, error: String(err) });
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(UNLINK_CONCURRENCY, paths.length) }, worker));
  if (missing) log.warn("files were already missing", { count: missing });
  for (let i = 0; i < done.length; i += DELETE_BATCH) await db.pendingFileDeletion.deleteMany({ where: { path: { in: done.slice(i, i + DELETE_BATCH) } } });
  return { removed, missing, failed };
}
