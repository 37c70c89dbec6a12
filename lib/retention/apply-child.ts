// Test support (apply.test.ts): one retention pass in a process of its own, so the test can SIGKILL it half-way.
// Environment: DATA_DIR; RETENTION_NOW (ISO time the pass plans at); RETENTION_BATCH and RETENTION_PAUSE_MS (events per
// transaction and pause between, to make the run long enough to be interrupted). Prints the result as one JSON line.
import { fakeClock } from "../clock";
import { closeDb, db } from "../db";
import { getEnv } from "../env";
import { applyRetention } from "./apply";

const database = await db();
const result = await applyRetention(database, {
  dataDir: getEnv().dataDir,
  floorBytes: 0,
  clock: fakeClock(process.env.RETENTION_NOW ?? Date.now()),
  batchSize: Number(process.env.RETENTION_BATCH ?? 500),
  pauseMs: Number(process.env.RETENTION_PAUSE_MS ?? 10),
});
process.stdout.write(JSON.stringify(result) + "\n");
await closeDb();
