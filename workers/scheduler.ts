// Process entry: the scheduler worker. Runs the housekeeping jobs of lib/scheduler on node-cron (and once at start),
// the camera status monitor (lib/cameras/status-monitor.ts), the webhook delivery loop (lib/webhooks/deliver.ts), the
// export and timelapse runners, and writes its heartbeat every HEARTBEAT_MS.
import cron from "node-cron";
import { systemClock } from "../lib/clock";
import { startStatusMonitor } from "../lib/cameras/status-monitor";
import { closeDb, db } from "../lib/db";
import { getEnv } from "../lib/env";
import { HEARTBEAT_MS, writeHeartbeat } from "../lib/health";
import { logger } from "../lib/log";
import { startExportRunner } from "../lib/privacy/export-runner";
import { JOBS, runJob, type JobOutcome } from "../lib/scheduler/jobs";
import { resumePrivacyWork } from "../lib/privacy/resume";
import { getSecrets } from "../lib/secrets";
import { startTimelapseRunner } from "../lib/timelapse/runner";
import { MIB } from "../lib/i18n/format";
import { createDeliveryLoop } from "../lib/webhooks/deliver";

const log = logger("scheduler");
const database = await db();
const startedAt = new Date();
const outcomes: Record<string, JobOutcome> = {};

async function run(jobId: string) {
  const job = JOBS.find((j) => j.id === jobId)!;
  const outcome = await runJob(job, database, systemClock);
  outcomes[job.id] = outcome;
  if (outcome.ok) log.info("job done", { job: job.id, ...outcome.result });
  else log.error("job failed", { job: job.id, error: outcome.error });
}

async function beat() {
  try {
    await writeHeartbeat(database, "scheduler", startedAt, { jobs: outcomes });
  } catch (err) {
    log.error("heartbeat failed", { error: String(err) });
  }
}

await beat();
// A deletion or reset killed half-way is finished before anything else (pending files, the erase of the database file).
try {
  await resumePrivacyWork(database, getEnv().dataDir);
} catch (err) {
  log.error("finishing an interrupted deletion failed", { error: String(err) });
}
// Webhooks: queued in the database by whoever knows the fact (recorder, status monitor, retention), sent from here.
// Started before the first job runs: a long first retention pass must not hold messages back.
const webhookLoop = createDeliveryLoop(database, { clock: systemClock, credentialsKey: getSecrets().credentialsKey });
webhookLoop.start();
const tasks = JOBS.map((job) => cron.schedule(job.cron, () => run(job.id), { name: job.id, noOverlap: true }));
// Beat while the first runs go on: a long first retention pass (a backlog after downtime) must not look like a dead worker.
const timer = setInterval(beat, HEARTBEAT_MS);
for (const job of JOBS) await run(job.id);
const env = getEnv();
if (process.env.NIGHTJAR_DEMO === "1") {
  const { addDemoCameras } = await import("../lib/simulator/demo");
  const demoTimer = setInterval(async () => {
    try {
      if ((await addDemoCameras(database, env.dataDir, getSecrets().credentialsKey)) > 0) log.info("demo cameras added");
    } catch (err) {
      log.error("adding demo cameras failed", { error: String(err) });
    }
  }, 5_000);
  demoTimer.unref();
}
const monitor = startStatusMonitor(database, {
  intervalMs: env.CAMERA_CHECK_SECONDS * 1000,
  timeoutMs: Math.min(5_000, Math.max(1_000, env.CAMERA_CHECK_SECONDS * 1000)),
  ffprobePath: env.FFPROBE_PATH,
  credentialsKey: getSecrets().credentialsKey,
  clock: systemClock,
});
// Data exports: queued by the web app, prepared here one at a time (lib/privacy/export-runner.ts).
const exportRunner = startExportRunner(database, { dataDir: env.dataDir, clock: systemClock, floorBytes: env.MEDIA_MIN_FREE_MB * MIB });
// Timelapses: days the recorder captured and ranges members asked for, encoded here one at a time (lib/timelapse/runner.ts).
const timelapseRunner = startTimelapseRunner(database, { dataDir: env.dataDir, ffmpegPath: env.FFMPEG_PATH, clock: systemClock });
log.info("started", { jobs: JOBS.map((j) => `${j.id} (${j.cron})`) });

async function stop(signal: string) {
  log.info("stopping", { signal });
  clearInterval(timer);
  await monitor.stop();
  await exportRunner.stop();
  await timelapseRunner.stop();
  await webhookLoop.stop();
  for (const t of tasks) await t.stop();
  await closeDb();
  process.exit(0);
}
process.on("SIGTERM", () => void stop("SIGTERM"));
process.on("SIGINT", () => void stop("SIGINT"));
