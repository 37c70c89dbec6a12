// Finishing what a killed deletion left behind, at worker start (safe to run at any time, and twice): the pending
// file deletions, the folders of an interrupted factory reset, and the erase of the database file (lib/privacy/erase.ts).
import type { Db } from "../db";
import { logger } from "../log";
import { flushPendingFiles } from "../deletion/pending-files";
import { finishErase, pendingEraseReason } from "./erase";
import { wipeDataFolders } from "../deletion/data-folders";

const log = logger("privacy");

export async function resumePrivacyWork(db: Db, dataDir: string): Promise<{ erased: boolean }> {
  const reason = pendingEraseReason(dataDir);
  if (reason === null) {
    await flushPendingFiles(db, dataDir);
    return { erased: false };
  }
  log.info("finishing an interrupted deletion", { reason });
  // A reset whose transaction committed leaves no household; after a new setup the folders hold new data again.
  if (reason === "reset" && (await db.household.count()) === 0) wipeDataFolders(dataDir);
  await finishErase(db, dataDir);
  return { erased: true };
}
