// Deleting an account so that nothing of it remains: one transaction removes the account row (its camera access,
// exports and invites cascade), every activity record it acted in or was the subject of, its sign-in throttle rows,
// invites addressed to its e-mail, and any trace of its id, e-mail or names in other rows' JSON; the same
// transaction lists its export files for deletion. The detection corrections the member made stay, without who made
// them (createdById null): each is a setting of a household camera ("no cat at this place"), not data about the
// member, and deleting it would bring back a false detection the household had silenced (like a webhook an admin
// added, which also stays without its creator). Then the files go (lib/retention/pending-files.ts) and the
// database file is erased of the deleted content (lib/privacy/erase.ts). Used by a member deleting their own account
// (password re-entered) and by an admin removing a member. Their open sessions end on their next request, because
// resolveViewer finds no user any more.
import fs from "node:fs";
import { deleteActivityOf, forgetActivityOf } from "../activity/record";
import { verifyPassword } from "../household/password";
import { throttleKey } from "../auth/throttle";
import type { Db } from "../db";
import { AppError } from "../errors";
import { isRole, wouldLeaveNoAdmin, type MemberState } from "../household/roles";
import { logger } from "../log";
import { queueFileDeletions } from "../deletion/pending-files";
import { clearErasePending, finishErase, isErasePending, markErasePending } from "./erase";
import { exportsDir, exportPathInDataDir } from "../data-dir";

const log = logger("privacy");

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/** Folder of export files under $DATA_DIR (ExportJob.file is relative to it). */

/**
 * Text columns holding JSON (or text) that other code may have written a member's id or e-mail into (e.g.
 * CameraDiagnostic.data {"by": "<user id>"} from camera changes, Fact.data {"actorId": …} of a mode switch, the SMTP
 * server's answer naming a recipient in IntegrationStatus.detail). Scrubbed on deletion; rows keep everything else.
 * The member's own notifications, delivery log, notification settings and push devices cascade with the User row.
 */
const JSON_COLUMNS = [
  { table: "CameraDiagnostic", column: "data" },
  { table: "Activity", column: "data" },
  { table: "ExportJob", column: "filters" },
  { table: "WorkerHeartbeat", column: "info" },
  { table: "Fact", column: "data" },
  { table: "IntegrationStatus", column: "detail" },
] as const;

export type AccountTraces = { id: string; email: string; username: string | null; displayName: string | null };

export type DeleteAccountResult = {
  activity: number;
  invites: number;
  throttles: number;
  scrubbedRows: number;
  exportFiles: number;
  /** Detection corrections the member made, kept with the camera without who made them. */
  correctionsKept: number;
};

export type DeleteAccountOptions = {
  /** Checks inside the transaction (last admin, owner): throw an AppError to cancel without deleting anything. */
  guard?: (tx: Tx, user: { id: string; isOwner: boolean }) => Promise<void>;
  /** true: the member deleted their own account, recorded as "account.deleted" without any id of theirs. */
  recordSelfDeletion?: boolean;
};

/** Deletes the account and everything only it holds; see the file comment. Throws not_found for an unknown id. */
export async function deleteAccount(db: Db, dataDir: string, userId: string, options: DeleteAccountOptions = {}): Promise<DeleteAccountResult> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { id: true, email: true, username: true, displayName: true, isOwner: true } });
  if (!user) throw new AppError("not_found");
  const jobs = await db.exportJob.findMany({ where: { userId }, select: { id: true, file: true } });
  const exportFiles = listExportFiles(dataDir, jobs);

  const alreadyPending = isErasePending(dataDir);
  markErasePending(dataDir, "account_delete");
  let result: DeleteAccountResult;
  try {
    result = await db.$transaction(async (tx) => {
      await options.guard?.(tx, user);
      const activity = await deleteActivityOf(tx, userId);
      const invites = (await tx.invite.deleteMany({ where: { OR: [{ createdById: userId }, { email: user.email }] } })).count;
      const keys = [throttleKey("account", user.email), ...(user.username ? [throttleKey("account", user.username)] : [])];
      const throttles = (await tx.loginThrottle.deleteMany({ where: { key: { in: keys } } })).count;
      // Explicit rather than left to the foreign key's SET NULL: the count is reported, and the rule is visible here.
      const correctionsKept = (await tx.detectionCorrection.updateMany({ where: { createdById: userId }, data: { createdById: null } })).count;
      const queued = new Set((await tx.pendingFileDeletion.findMany({ where: { path: { in: exportFiles } }, select: { path: true } })).map((p) => p.path));
      await queueFileDeletions(tx, exportFiles.filter((f) => !queued.has(f)), "account_delete");
      await tx.user.delete({ where: { id: userId } }); // camera access, exports and remaining invites cascade
      const scrubbedRows = await scrubTraces(tx, user);
      if (options.recordSelfDeletion) await tx.activity.create({ data: { action: "account.deleted", actorId: null } });
      return { activity, invites, throttles, scrubbedRows, exportFiles: exportFiles.length, correctionsKept };
    });
  } catch (err) {
    if (!alreadyPending) clearErasePending(dataDir); // nothing was deleted
    throw err;
  }
  forgetActivityOf(userId);
  await finishErase(db, dataDir);
  log.info("account deleted", { activity: result.activity, files: result.exportFiles });
  return result;
}

/** Export files of these jobs, relative to $DATA_DIR: the recorded file and anything named after the job (temp files). */
function listExportFiles(dataDir: string, jobs: { id: string; file: string | null }[]): string[] {
  if (!jobs.length) return [];
  const dir = exportsDir(dataDir);
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir);
  } catch {
    /* no exports folder yet */
  }
  const files = new Set<string>();
  for (const job of jobs) {
    if (job.file) files.add(exportPathInDataDir(job.file));
    for (const name of names) if (name.startsWith(job.id)) files.add(exportPathInDataDir(name));
  }
  return [...files];
}

/**
 * Removes the member's id, e-mail, username and display name from JSON columns of other rows (scrubJsonText).
 * Returns how many rows changed.
 */
export async function scrubTraces(tx: Tx, traces: AccountTraces): Promise<number> {
  const needles = [traces.id, traces.email, traces.username, traces.displayName].filter((n): n is string => !!n && n.length > 0);
  let changed = 0;
  for (const { table, column } of JSON_COLUMNS) {
    const where = needles.map(() => `instr(lower("${column}"), lower(?)) > 0`).join(" OR ");
    const rows = await tx.$queryRawUnsafe<{ rid: bigint | number; value: string }[]>(`SELECT rowid AS rid, "${column}" AS value FROM "${table}" WHERE ${where}`, ...needles);
    for (const row of rows) {
      const next = scrubJsonText(row.value, traces);
      if (next === row.value) continue;
      await tx.$executeRawUnsafe(`UPDATE "${table}" SET "${column}" = ? WHERE rowid = ?`, next, row.rid);
      changed++;
    }
  }
  return changed;
}

/**
 * Keys under which a person's name could be written. Names are compared only there, so that a member called
 * "member" or "admin" does not blank out role names elsewhere; ids and e-mails are unique enough to match anywhere.
 */
const PERSON_WORDS = new Set(["by", "who", "user", "users", "username", "name", "names", "member", "members", "actor", "subject", "owner", "email", "emails"]);
const isPersonKey = (key: string) => PERSON_WORDS.has(key.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase().split(/[_-]/).pop() ?? "");

/**
 * The JSON text without the member's traces (pure): string values that contain the id or the e-mail, or (under a
 * person-like key) equal the username or display name, become null; object keys containing the id or e-mail are
 * dropped. Text that is not JSON has the id and e-mail cut out.
 */
export function scrubJsonText(text: string, traces: AccountTraces): string {
  const lower = (s: string) => s.toLowerCase();
  const contains = [traces.id, traces.email].map(lower);
  const names = [traces.username, traces.displayName].filter((s): s is string => !!s).map((s) => lower(s).trim());
  const hasTrace = (s: string) => contains.some((c) => lower(s).includes(c));
  const walk = (v: unknown, key: string): unknown => {
    if (typeof v === "string") return hasTrace(v) || (isPersonKey(key) && names.includes(lower(v).trim())) ? null : v;
    if (Array.isArray(v)) return v.map((x) => walk(x, key));
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).filter(([k]) => !hasTrace(k)).map(([k, x]) => [k, walk(x, k)]));
    return v;
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    let out = text;
    for (const c of [traces.id, traces.email]) out = out.split(c).join("");
    return out;
  }
  const next = JSON.stringify(walk(parsed, ""));
  return next === JSON.stringify(parsed) ? text : next;
}

async function requirePassword(db: Db, userId: string, password: string) {
  const user = await db.user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
  if (!user) throw new AppError("not_found");
  if (!(await verifyPassword(user.passwordHash, password))) throw new AppError("wrong_password", {}, { password: "wrong_password" });
}

async function membersOf(tx: Tx): Promise<MemberState[]> {
  const rows = await tx.user.findMany({ select: { id: true, role: true, isDisabled: true } });
  return rows.filter((r): r is MemberState => isRole(r.role));
}

/**
 * A member deletes their own account after re-entering their password. The owner's account is only deleted by a
 * factory reset (lib/privacy/reset.ts); the last enabled admin cannot leave the household without one (last_admin).
 */
export async function deleteOwnAccount(db: Db, dataDir: string, userId: string, password: string): Promise<DeleteAccountResult> {
  await requirePassword(db, userId, password);
  return deleteAccount(db, dataDir, userId, {
    recordSelfDeletion: true,
    guard: async (tx, user) => {
      if (user.isOwner) throw new AppError("owner_protected");
      if (wouldLeaveNoAdmin(await membersOf(tx), { id: userId, removed: true })) throw new AppError("last_admin");
    },
  });
}

/**
 * An admin removes a member: the same deletion. Nobody removes themselves here, the owner is removed only by a
 * factory reset, and the last enabled admin stays.
 */
export async function removeMemberAccount(db: Db, dataDir: string, actorId: string, memberId: string): Promise<DeleteAccountResult> {
  if (actorId === memberId) throw new AppError("cannot_change_self");
  return deleteAccount(db, dataDir, memberId, {
    guard: async (tx, user) => {
      if (user.isOwner) throw new AppError("owner_protected");
      if (wouldLeaveNoAdmin(await membersOf(tx), { id: memberId, removed: true })) throw new AppError("last_admin");
    },
  });
}
