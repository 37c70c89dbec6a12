// Test support: a byte-level search of every file under a folder (the database file, its -wal and -shm, media,
// exports, secrets) for strings in UTF-8, UTF-16LE and UTF-16BE, and the rows of every table that still point at an
// account (read from the migrated schema's foreign keys, so a table added later is covered without being named here).
// Used to prove that a deletion leaves nothing.
import fs from "node:fs";
import path from "node:path";
import type { Db } from "../db";

export type TraceHit = { file: string; needle: string; encoding: "utf8" | "utf16le" | "utf16be"; offset: number };

function utf16be(s: string): Buffer {
  const le = Buffer.from(s, "utf16le");
  const be = Buffer.alloc(le.length);
  for (let i = 0; i + 1 < le.length; i += 2) {
    be[i] = le[i + 1];
    be[i + 1] = le[i];
  }
  return be;
}

export function filesUnder(dir: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : e.isFile() ? [p] : [];
  });
}

/** Every occurrence (first per file, needle and encoding) of the needles in the files under `dir`. */
export function scanForTraces(dir: string, needles: string[]): TraceHit[] {
  const patterns = needles.flatMap((needle) => [
    { needle, encoding: "utf8" as const, bytes: Buffer.from(needle, "utf8") },
    { needle, encoding: "utf16le" as const, bytes: Buffer.from(needle, "utf16le") },
    { needle, encoding: "utf16be" as const, bytes: utf16be(needle) },
  ]);
  const hits: TraceHit[] = [];
  for (const file of filesUnder(dir)) {
    const bytes = fs.readFileSync(file);
    for (const p of patterns) {
      const offset = bytes.indexOf(p.bytes);
      if (offset >= 0) hits.push({ file: path.relative(dir, file), needle: p.needle, encoding: p.encoding, offset });
    }
  }
  return hits;
}

export type UserReference = { table: string; column: string; onDelete: string };

/** Every column with a foreign key to User (from the database's own schema), e.g. DetectionCorrection.createdById. */
export async function userReferences(db: Db): Promise<UserReference[]> {
  const tables = await db.$queryRawUnsafe<{ name: string }[]>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_%' ESCAPE '\\' ORDER BY name`);
  const out: UserReference[] = [];
  for (const { name } of tables) {
    const keys = await db.$queryRawUnsafe<{ table: string; from: string; on_delete: string }[]>(`PRAGMA foreign_key_list("${name}")`);
    for (const k of keys) if (k.table === "User") out.push({ table: name, column: k.from, onDelete: k.on_delete });
  }
  return out;
}

/** Rows that still point at the account, per "Table.column" (only those with any). */
export async function rowsReferring(db: Db, userId: string): Promise<Record<string, number>> {
  const found: Record<string, number> = {};
  for (const r of await userReferences(db)) {
    const [{ n }] = await db.$queryRawUnsafe<{ n: bigint | number }[]>(`SELECT COUNT(*) AS n FROM "${r.table}" WHERE "${r.column}" = ?`, userId);
    if (Number(n) > 0) found[`${r.table}.${r.column}`] = Number(n);
  }
  return found;
}
