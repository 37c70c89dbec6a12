// Test support: a real, migrated SQLite database in a fresh temporary DATA_DIR. Migrations are applied from
// prisma/migrations in order (the same SQL `prisma migrate deploy` runs; scripts/migrate.test.ts runs the real CLI).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { closeDb, openDb, type Db } from "../db";
import { resetEnvForTests } from "../env";
import { resetSecretsForTests } from "../secrets";

const root = path.resolve(import.meta.dirname, "../..");

export function applyMigrations(file: string): void {
  const dir = path.join(root, "prisma/migrations");
  const sqlite = new Database(file);
  try {
    for (const name of fs.readdirSync(dir).filter((n) => fs.statSync(path.join(dir, n)).isDirectory()).sort()) {
      sqlite.exec(fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8"));
    }
  } finally {
    sqlite.close();
  }
}

export type TestDb = { db: Db; dataDir: string; file: string; cleanup: () => Promise<void> };

/** A fresh DATA_DIR (process.env.DATA_DIR points at it) with a migrated nightjar.db. */
export async function createTestDb(): Promise<TestDb> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "nightjar-test-"));
  process.env.DATA_DIR = dataDir;
  resetEnvForTests();
  resetSecretsForTests();
  const file = path.join(dataDir, "nightjar.db");
  applyMigrations(file);
  const db = await openDb(file);
  return {
    db,
    dataDir,
    file,
    cleanup: async () => {
      await db.$disconnect();
      await closeDb();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
