// Making deleted data really gone from the database file. SQLite keeps deleted content in free pages and, in WAL
// mode, in the old frames of the -wal file. Every connection runs with `PRAGMA secure_delete = ON` (lib/db.ts), so
// deleted cells are zeroed; after an account deletion or a factory reset we also VACUUM (rebuilds the file without
// free pages) and checkpoint the WAL with TRUNCATE (copies the new pages into the file and cuts the -wal to 0 bytes).
//
// Resumable: a marker file is written before the deletion starts and removed once the file is clean. If the process
// is killed in between, resumePrivacyWork (lib/privacy/resume.ts, at worker start) finishes the job.
import fs from "node:fs";
import type { Db } from "../db";
import { logger } from "../log";
import { flushPendingFiles } from "../deletion/pending-files";
import { DATA_LAYOUT, eraseMarkerFile } from "../data-dir";

const log = logger("privacy");

/** Marker in $DATA_DIR while an erase is owed: JSON { reason, since }. */
export const ERASE_MARKER = DATA_LAYOUT.eraseMarker;

/** How often the TRUNCATE checkpoint is retried while another process still reads an old snapshot. */
const CHECKPOINT_ATTEMPTS = 20;
/** Pause between checkpoint attempts, ms (each attempt also waits up to the busy timeout). */
const CHECKPOINT_PAUSE_MS = 250;

export function markErasePending(dataDir: string, reason: "account_delete" | "reset"): void {
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(eraseMarkerFile(dataDir), JSON.stringify({ reason, since: new Date().toISOString() }) + "\n", { mode: 0o600 });
}

export function isErasePending(dataDir: string): boolean {
  return fs.existsSync(eraseMarkerFile(dataDir));
}

/** Why an erase is owed, from the marker; null when none is. */
export function pendingEraseReason(dataDir: string): string | null {
  try {
    return String(JSON.parse(fs.readFileSync(eraseMarkerFile(dataDir), "utf8")).reason ?? "");
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "ENOENT" ? null : "";
  }
}

export function clearErasePending(dataDir: string): void {
  fs.rmSync(eraseMarkerFile(dataDir), { force: true });
}

export type EraseResult = { vacuumed: boolean; checkpoint: { busy: number; log: number; checkpointed: number } };

/**
 * VACUUM, then a TRUNCATE checkpoint, retried while readers of other processes hold an old snapshot. VACUUM takes the
 * write lock for its duration (milliseconds for a home-sized database; other writers wait up to the busy timeout).
 * Never call it inside a transaction.
 */
export async function eraseFreedSpace(db: Db): Promise<EraseResult> {
  await db.$executeRawUnsafe("VACUUM");
  let last = { busy: 1, log: -1, checkpointed: -1 };
  for (let i = 0; i < CHECKPOINT_ATTEMPTS; i++) {
    const rows = await db.$queryRawUnsafe<{ busy: bigint | number; log: bigint | number; checkpointed: bigint | number }[]>("PRAGMA wal_checkpoint(TRUNCATE)");
    const r = rows[0];
    last = { busy: Number(r?.busy ?? 1), log: Number(r?.log ?? -1), checkpointed: Number(r?.checkpointed ?? -1) };
    if (last.busy === 0) return { vacuumed: true, checkpoint: last };
    await new Promise((resolve) => setTimeout(resolve, CHECKPOINT_PAUSE_MS));
  }
  log.warn("WAL checkpoint stayed busy: the -wal file is cut at the next checkpoint", last);
  return { vacuumed: true, checkpoint: last };
}

/** The end of every deletion: pending files, then the database file; clears the marker when both are done. */
export async function finishErase(db: Db, dataDir: string): Promise<EraseResult> {
  await flushPendingFiles(db, dataDir);
  const result = await eraseFreedSpace(db);
  if (result.checkpoint.busy === 0) clearErasePending(dataDir);
  return result;
}
