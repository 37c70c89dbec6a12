// Factory reset: the owner deletes the household. Every row of every table goes in one transaction (recordings,
// photos, exports, diagnostics, activity, cameras with their credentials, users, invites, throttles, heartbeats,
// the household itself), then every file of the data folder's media, exports and live video, and the generated keys
// (session secret, camera credentials key). The database file is then erased of the deleted content (VACUUM + WAL
// TRUNCATE checkpoint), so it holds only the empty schema. Nightjar is back at first-run setup.
//
// Keys: the web server and the workers keep the keys they read at start in memory, so the set must restart for new
// keys to be generated and used everywhere (scripts/start.ts creates them before starting the processes). The reset
// route therefore ends the web process after answering (RESTART_EXIT_CODE); `npm start` stops the others and exits
// non-zero, and the service manager (systemd Restart=on-failure, see README) starts Nightjar again on new keys.
// Keys given in the environment (SESSION_SECRET, CREDENTIALS_KEY) are not files and stay as configured.
import fs from "node:fs";
import path from "node:path";
import { verifyPassword } from "../household/password";
import type { Db } from "../db";
import { AppError } from "../errors";
import { forgetSetUpState } from "../household/setup";
import { logger } from "../log";
import { clearErasePending, eraseFreedSpace, markErasePending } from "./erase";
import { secretsDir } from "../data-dir";
import { wipeDataFolders } from "../deletion/data-folders";

const log = logger("privacy");

/** Exit code with which the web process asks to be restarted after a reset (EX_TEMPFAIL). */
export const RESTART_EXIT_CODE = 75;

/** Tables a reset keeps: the migration history (schema, not data). */
const KEEP_TABLES = new Set(["_prisma_migrations"]);

export type ResetResult = { tables: number; rows: number; files: number; keysDeleted: string[]; restartRequired: boolean };

/** Names of the data tables of the database (everything but SQLite's own and the migration history). */
export async function dataTables(db: Db): Promise<string[]> {
  const rows = await db.$queryRawUnsafe<{ name: string }[]>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`);
  return rows.map((r) => r.name).filter((n) => !KEEP_TABLES.has(n));
}

/** Deletes everything; see the file comment. Safe to run again after an interruption. */
export async function factoryReset(db: Db, dataDir: string): Promise<ResetResult> {
  markErasePending(dataDir, "reset");
  const tables = await dataTables(db);
  const rows = await db.$transaction(async (tx) => {
    // Every table is emptied in this transaction: the foreign keys are checked once, at commit, when all are empty.
    await tx.$executeRawUnsafe("PRAGMA defer_foreign_keys = ON");
    let count = 0;
    for (const table of tables) count += await tx.$executeRawUnsafe(`DELETE FROM "${table}"`);
    const hasSequence = await tx.$queryRawUnsafe<{ n: bigint | number }[]>(`SELECT count(*) AS n FROM sqlite_master WHERE name = 'sqlite_sequence'`);
    if (Number(hasSequence[0]?.n ?? 0) > 0) await tx.$executeRawUnsafe(`DELETE FROM sqlite_sequence`);
    return count;
  });
  forgetSetUpState();
  const keysDeleted = deleteKeyFiles(dataDir);
  const files = wipeDataFolders(dataDir);
  const erase = await eraseFreedSpace(db);
  if (erase.checkpoint.busy === 0) clearErasePending(dataDir);
  log.info("factory reset", { tables: tables.length, rows, files, keys: keysDeleted.length });
  return { tables: tables.length, rows, files, keysDeleted, restartRequired: keysDeleted.length > 0 };
}

/** Removes the generated key files. Returns their names. */
function deleteKeyFiles(dataDir: string): string[] {
  const dir = secretsDir(dataDir);
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  for (const name of names) fs.rmSync(path.join(dir, name), { force: true, recursive: true });
  return names.filter((n) => !n.endsWith(".tmp"));
}

export type ResetInput = { password: string; confirmation: string };

/** The owner confirms with their password and the household's name, typed. */
export async function resetHousehold(db: Db, dataDir: string, userId: string, input: ResetInput): Promise<ResetResult> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { isOwner: true, passwordHash: true } });
  if (!user) throw new AppError("not_found");
  if (!user.isOwner) throw new AppError("forbidden");
  if (!(await verifyPassword(user.passwordHash, input.password))) throw new AppError("wrong_password", {}, { password: "wrong_password" });
  const household = await db.household.findUnique({ where: { id: 1 }, select: { name: true } });
  if (!household || !sameName(household.name, input.confirmation)) throw new AppError("confirmation_mismatch", {}, { confirmation: "confirmation_mismatch" });
  return factoryReset(db, dataDir);
}

/** The typed confirmation matches the name: trimmed, Unicode-normalized, otherwise exact. */
export function sameName(name: string, typed: string): boolean {
  return name.normalize("NFC").trim() === typed.normalize("NFC").trim() && typed.trim().length > 0;
}
