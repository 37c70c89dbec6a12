// The database handle: one Prisma client per process over one better-sqlite3 connection to $DATA_DIR/nightjar.db.
// WAL mode lets the web server and the workers read while one of them writes; the busy timeout makes a writer wait
// for another process's short transaction instead of failing. Keep transactions short (milliseconds).
import fs from "node:fs";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "./generated/prisma/client";
import { getEnv } from "./env";

export type Db = PrismaClient;

/** How long a statement waits for another process's write lock before failing, in ms. */
export const BUSY_TIMEOUT_MS = 5_000;

const globalForDb = globalThis as unknown as { nightjarDb?: Promise<PrismaClient> };

type AdapterFactory = InstanceType<typeof PrismaBetterSqlite3>;
type Connection = { prepare: (sql: string) => unknown };

/**
 * The adapter starts interactive transactions with a plain BEGIN (deferred): a transaction that reads, then writes,
 * fails at once with SQLITE_BUSY_SNAPSHOT when another process (web, scheduler, recorder share the file) committed in
 * between, and the busy timeout does not help. BEGIN IMMEDIATE takes the write lock up front, waiting for it with the
 * busy timeout, so every $transaction is serialized with the other processes' writes instead of failing. The adapter
 * is pinned (package.json); lib/db.test.ts checks that its BEGIN is still rewritten.
 */
function withImmediateTransactions(factory: AdapterFactory): AdapterFactory {
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    const connection = (adapter as unknown as { client: Connection }).client;
    const prepare = connection.prepare.bind(connection);
    connection.prepare = (sql: string) => prepare(sql === "BEGIN" ? "BEGIN IMMEDIATE" : sql);
    return adapter;
  };
  return factory;
}

/** Opens a client on `file` and sets the per-connection pragmas. */
export async function openDb(file: string): Promise<PrismaClient> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const adapter = withImmediateTransactions(new PrismaBetterSqlite3({ url: file, timeout: BUSY_TIMEOUT_MS }));
  const client = new PrismaClient({ adapter });
  await client.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  await client.$executeRawUnsafe("PRAGMA synchronous = NORMAL");
  // SQLite leaves foreign keys off unless asked; the schema's ON DELETE CASCADE rules depend on it.
  await client.$executeRawUnsafe("PRAGMA foreign_keys = ON");
  // Deleted rows are overwritten with zeros instead of lingering in free space (account deletion, reset, retention).
  await client.$queryRawUnsafe("PRAGMA secure_delete = ON");
  return client;
}

/** The process-wide client on $DATA_DIR/nightjar.db. */
export function db(): Promise<PrismaClient> {
  globalForDb.nightjarDb ??= openDb(getEnv().databasePath);
  return globalForDb.nightjarDb;
}

/** Closes the process-wide client (worker shutdown, tests). */
export async function closeDb(): Promise<void> {
  const pending = globalForDb.nightjarDb;
  globalForDb.nightjarDb = undefined;
  if (pending) await (await pending).$disconnect();
}

/** True for a unique-constraint violation (Prisma P2002), optionally on a given column. */
export function isUniqueViolation(err: unknown, column?: string): boolean {
  const e = err as { code?: string; meta?: { target?: unknown; driverAdapterError?: { cause?: { constraint?: { fields?: string[] } } } } };
  if (e?.code !== "P2002") return false;
  if (!column) return true;
  const fields = e.meta?.driverAdapterError?.cause?.constraint?.fields ?? [];
  const target = e.meta?.target;
  return fields.includes(column) || (Array.isArray(target) ? target.includes(column) : String(target ?? "").includes(column));
}

/**
 * True for a foreign-key violation (Prisma P2003): the row a write points at was deleted meanwhile (a camera removed
 * while its recorder or status check was still working on it).
 */
export function isForeignKeyViolation(err: unknown): boolean {
  return (err as { code?: string })?.code === "P2003";
}
