// Process entry: the recorder worker. Makes disk and database agree after any crash, then runs one CameraRecorder
// per enabled camera (lib/recording) and writes its heartbeat every HEARTBEAT_MS. While some camera has object
// detection on, it runs the server's one detector as a child process (workers/detector.ts, lib/detection/client.ts).
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { closeDb, db } from "../lib/db";
import { getEnv } from "../lib/env";
import { HEARTBEAT_MS, writeHeartbeat } from "../lib/health";
import { serverTimeZone } from "../lib/time";
import { logger } from "../lib/log";
import { mediaDir, recorderLiveRoot } from "../lib/data-dir";
import { killOrphanIngests } from "../lib/ffmpeg/orphans";
import { applyReconcile } from "../lib/recording/reconcile";
import { startRecorderPool } from "../lib/recording/recorder-pool";
import { getSecrets } from "../lib/secrets";
import { salvageOpenEvents } from "../lib/recording/salvage";
import { createDetectorClient } from "../lib/detection/client";

const log = logger("recorder");
const env = getEnv();
const database = await db();
const startedAt = new Date();

// After an unclean stop: no ffmpeg of the killed predecessor keeps writing; media and rows agree (reconcile); events
// left open get their last clips cut from the live ring still on disk, a photo and an end (salvage); then the ring
// goes (live segments are only the last minute: a fresh start begins with none).
const orphans = killOrphanIngests(recorderLiveRoot(env.dataDir));
if (orphans.length) log.warn("ended ffmpeg processes left by an unclean stop", { pids: orphans });
fs.mkdirSync(mediaDir(env.dataDir), { recursive: true });
const plan = await applyReconcile(database, env.dataDir);
await salvageOpenEvents({ db: database, dataDir: env.dataDir, ffmpegPath: env.FFMPEG_PATH }, Date.now());
fs.rmSync(recorderLiveRoot(env.dataDir), { recursive: true, force: true });
if (plan.deleteFiles.length || plan.deleteClipIds.length || plan.deletePhotoEventIds.length) log.warn("reconciled after an unclean stop", { files: plan.deleteFiles.length, clipRows: plan.deleteClipIds.length, photoRows: plan.deletePhotoEventIds.length });

const detector = createDetectorClient({ entry: fileURLToPath(new URL("./detector.ts", import.meta.url)) });
const pool = startRecorderPool({
  detector,
  db: database,
  dataDir: env.dataDir,
  ffmpegPath: env.FFMPEG_PATH,
  ffprobePath: env.FFPROBE_PATH,
  credentialsKey: getSecrets().credentialsKey,
  minFreeBytes: env.MEDIA_MIN_FREE_MB * 1024 * 1024,
  timeZone: serverTimeZone(),
});

async function beat() {
  try {
    const cameras = Object.fromEntries([...pool.running].map(([id, r]) => [id, r.recorder.stats]));
    await writeHeartbeat(database, "recorder", startedAt, { cameras, detector: detector.status() });
  } catch (err) {
    log.error("heartbeat failed", { error: String(err) });
  }
}
await beat();
const timer = setInterval(beat, HEARTBEAT_MS);
log.info("started");

async function stop(signal: string) {
  log.info("stopping", { signal });
  clearInterval(timer);
  await pool.stop();
  await detector.stop();
  await closeDb();
  process.exit(0);
}
process.on("SIGTERM", () => void stop("SIGTERM"));
process.on("SIGINT", () => void stop("SIGINT"));
