// The real Prisma CLI, offline, through prisma/schema-engine.mjs: `migrate deploy` on an empty data dir creates the
// schema, a second run is a no-op, and `migrate status` agrees.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import Database from "better-sqlite3";

const root = path.resolve(import.meta.dirname, "..");
const prisma = (args: string[], dataDir: string) =>
  spawnSync(process.execPath, [path.join(root, "node_modules/prisma/build/index.js"), ...args], {
    cwd: root,
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: undefined, CHECKPOINT_DISABLE: "1" },
    encoding: "utf8",
    timeout: 60_000,
  });

describe("prisma migrate deploy (offline engine)", () => {
  test("creates the schema in $DATA_DIR/nightjar.db, idempotently", () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "nightjar-migrate-"));
    const first = prisma(["migrate", "deploy"], dataDir);
    assert.equal(first.status, 0, first.stdout + first.stderr);
    const file = path.join(dataDir, "nightjar.db");
    const sqlite = new Database(file, { readonly: true });
    const tables = sqlite.prepare("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name").all().map((r) => (r as { name: string }).name);
    sqlite.close();
    for (const t of ["Household", "User", "Invite", "LoginThrottle", "WorkerHeartbeat", "_prisma_migrations"]) assert.ok(tables.includes(t), `${t} in ${tables}`);
    const second = prisma(["migrate", "deploy"], dataDir);
    assert.equal(second.status, 0, second.stderr);
    assert.match(second.stdout, /No pending migrations/);
    const status = prisma(["migrate", "status"], dataDir);
    assert.equal(status.status, 0, status.stdout + status.stderr);
    assert.match(status.stdout, /Database schema is up to date/);
    fs.rmSync(dataDir, { recursive: true });
  });
});
