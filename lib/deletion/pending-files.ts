// The to-do list of files to unlink (PendingFileDeletion): rows first, files after. A transaction that deletes rows
// lists their files here (queueFileDeletions); once it committed, the files are unlinked and their entries removed
// (unlinkPendingFiles). A process killed at any point leaves either the rows and files untouched, or rows gone with
// their files listed as pending: flushPendingFiles (run at every retention pass and at the start of workers) finishes
// the job. The database never points at a missing file because of us, and no file is left without a row or an entry.
// Paths are relative to $DATA_DIR and resolved with resolveInside: nothing outside the data folder is ever unlinked.
// An entry ending in "/" is a folder removed with everything in it (a timelapse day's frames: thousands of files
// that only ever live in their day's folder); it is resolved inside the data folder like a file.
import fs from "node:fs/promises";
import { resolveInside } from "../data-dir";
import type { Db } from "../db";
import { logger } from "../log";

const log = logger("files");

/** Entries read or removed per statement, count. */
const FLUSH_BATCH = 500;
/** Files unlinked at the same time (libuv's thread pool does the work), count. */
const UNLINK_CONCURRENCY = 8;

/** Why a file is being deleted (kept in the entry for the logs). "untracked": a media file no row points to (reconcile). */
export type PendingReason = "retention" | "event_delete" | "range_delete" | "camera_delete" | "account_delete" | "reset" | "export_expired" | "untracked";

export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

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

/**
 * Unlinks every pending file (left by a run that was killed, or by a file that could not be deleted before) and
 * removes its to-do row. Idempotent. Files that still cannot be unlinked stay pending for the next flush.
 */
export async function flushPendingFiles(db: Db, dataDir: string): Promise<{ removed: number; missing: number; failed: number }> {
  const total = { removed: 0, missing: 0, failed: 0 };
  let after = "";
  for (;;) {
    // Keyset by path: rows that stay pending (failed) are not read again in this pass.
    const batch = await db.pendingFileDeletion.findMany({ where: { path: { gt: after } }, take: FLUSH_BATCH, orderBy: { path: "asc" }, select: { path: true } });
    if (!batch.length) return total;
    after = batch[batch.length - 1].path;
    const r = await unlinkPendingFiles(db, dataDir, batch.map((b) => b.path));
    total.removed += r.removed;
    total.missing += r.missing;
    total.failed += r.failed;
  }
}

/**
 * Unlinks files listed as pending (paths relative to $DATA_DIR) and removes their entries; failures stay listed.
 * `isMissingExpected`: files that may well not exist (a clip's H.264 copy, made only on request): no warning for them.
 */
export async function unlinkPendingFiles(db: Db, dataDir: string, paths: string[], options: { isMissingExpected?: boolean } = {}): Promise<{ removed: number; missing: number; failed: number }> {
  let removed = 0;
  let missing = 0;
  let failed = 0;
  const done: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < paths.length) {
      const rel = paths[next++];
      const full = resolveInside(dataDir, rel);
      if (!full) {
        // Never ours to delete, and never will be: the to-do row goes, the file (if any) stays.
        log.error("pending path outside the data folder: not deleted", { path: rel });
        done.push(rel);
        continue;
      }
      try {
        if (rel.endsWith("/")) {
          await fs.stat(full); // ENOENT: counted as missing below
          await fs.rm(full, { recursive: true, force: true });
        } else await fs.unlink(full);
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
  if (missing && !options.isMissingExpected) log.warn("files were already missing", { count: missing });
  for (let i = 0; i < done.length; i += FLUSH_BATCH) await db.pendingFileDeletion.deleteMany({ where: { path: { in: done.slice(i, i + FLUSH_BATCH) } } });
  return { removed, missing, failed };
}
