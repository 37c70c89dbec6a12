// Test support: the recorder worker as its own process on a test data folder (crash and restart tests).
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");

/** Starts workers/recorder.ts on `dataDir` (no free-space floor, errors only in its log). */
export function startRecorderWorker(dataDir: string): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", path.join(root, "workers/recorder.ts")], { cwd: root, env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: "error", MEDIA_MIN_FREE_MB: "0" }, stdio: "ignore" });
}
