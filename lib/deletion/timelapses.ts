// Deleting timelapses: rows first, then their files through the pending-file list, like every recording. A day's
// frames are one folder entry (pending-files.ts removes a "…/" entry with its contents); its video and a range's video
// are files. Used by retention, by a member deleting one, by camera deletion with its recordings, and by the factory
// reset's wipe (through the data folders).
import { mediaPathInDataDir } from "../data-dir";
import type { Db } from "../db";
import { queueFileDeletions, unlinkPendingFiles, type PendingReason, type Tx } from "./pending-files";

export type DeleteTimelapsesResult = { timelapses: number; files: number; missingFiles: number; failedFiles: number; bytes: number };

/** Inside a transaction: deletes these timelapse rows and lists their files. Returns the paths to unlink and the bytes. */
export async function deleteTimelapseRows(tx: Tx, ids: string[], reason: PendingReason): Promise<{ count: number; paths: string[]; bytes: number }> {
  if (!ids.length) return { count: 0, paths: [], bytes: 0 };
  const rows = await tx.timelapse.findMany({ where: { id: { in: ids } }, select: { path: true, framesDir: true, bytes: true, framesBytes: true } });
  const { count } = await tx.timelapse.deleteMany({ where: { id: { in: ids } } });
  const paths = rows.flatMap((r) => [...(r.path ? [mediaPathInDataDir(r.path)] : []), ...(r.framesDir ? [`${mediaPathInDataDir(r.framesDir)}/`] : [])]);
  await queueFileDeletions(tx, paths, reason);
  return { count, paths, bytes: rows.reduce((n, r) => n + r.bytes + r.framesBytes, 0) };
}

/** Deletes timelapses (ids that are gone are skipped) and then their files. */
export async function deleteTimelapses(db: Db, dataDir: string, ids: string[], reason: PendingReason): Promise<DeleteTimelapsesResult> {
  const deleted = await db.$transaction((tx) => deleteTimelapseRows(tx, ids, reason));
  const files = await unlinkPendingFiles(db, dataDir, deleted.paths, { isMissingExpected: true });
  return { timelapses: deleted.count, files: files.removed, missingFiles: files.missing, failedFiles: files.failed, bytes: deleted.bytes };
}
