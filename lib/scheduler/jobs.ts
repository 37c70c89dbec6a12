// Declarative housekeeping jobs run by workers/scheduler.ts: { id, cron, run }. Each is safe to run twice and to be
// interrupted (a later run finishes the work).
import { purgeStaleThrottles } from "../auth/throttle";
import type { Clock } from "../clock";
import type { Db } from "../db";
import { purgeDeadInvites } from "../household/invites";
import { getEnv } from "../env";
import { removeExpiredExports } from "../privacy/export-jobs";
import { runRetentionJob } from "../retention/apply";
import { purgeRevokedSessions } from "../auth/viewer";
import { purgeOldDeliveries } from "../webhooks/deliver";
import { trimFacts } from "../facts/read";
import { createModeScheduleCheck } from "../modes/schedule-job";
import { returnIdleCamerasHome } from "../ptz/ptz";
import { getSecrets } from "../secrets";
import { pruneEventCache } from "../deletion/event-cache";

export type Job = {
  id: string;
  /** node-cron expression (minute hour day month weekday), in the server's time zone. */
  cron: string;
  /** Returns a short summary for the heartbeat, e.g. { deleted: 3 }. */
  run: (db: Db, clock: Clock) => Promise<Record<string, number>>;
};

export const JOBS: Job[] = [
  { id: "purge-invites", cron: "7 * * * *", run: async (db, clock) => ({ deleted: await purgeDeadInvites(db, clock) }) },
  { id: "purge-revoked-sessions", cron: "17 * * * *", run: async (db, clock) => ({ deleted: await purgeRevokedSessions(db, clock.now()) }) },
  { id: "purge-login-throttles", cron: "*/10 * * * *", run: async (db, clock) => ({ deleted: await purgeStaleThrottles(db, clock.now()) }) },
  // Data exports past their 24 h: rows and files (and files no job accounts for).
  { id: "purge-exports", cron: "*/15 * * * *", run: async (db, clock) => removeExpiredExports(db, getEnv().dataDir, clock.now()) },
  // Recordings past their age, over the quota or below the free-space target; old diagnostics and activity.
  { id: "retention", cron: "*/10 * * * *", run: runRetentionJob },
  // The event cache (events joined for playing): older than a day, beyond its size, or of events that are gone.
  { id: "prune-event-cache", cron: "*/10 * * * *", run: async (db, clock) => pruneEventCache(db, getEnv().dataDir, { now: clock.now().getTime() }) },
  // The webhook delivery log: delivered and failed messages older than 7 days.
  { id: "purge-webhook-deliveries", cron: "27 * * * *", run: async (db, clock) => ({ deleted: await purgeOldDeliveries(db, clock.now()) }) },
  // Household mode schedules: switch when a scheduled time passed since the previous minute's look (lib/modes).
  { id: "mode-schedule", cron: "* * * * *", run: createModeScheduleCheck() },
  // PTZ cameras nobody has steered for their idle time go back to their home position (lib/ptz).
  { id: "ptz-home", cron: "* * * * *", run: async (db, clock) => returnIdleCamerasHome(db, clock.now(), getSecrets().credentialsKey) },
  // The Fact outbox: facts older than 2 days (its readers are seconds behind).
  { id: "trim-facts", cron: "37 3 * * *", run: async (db, clock) => ({ deleted: await trimFacts(db, clock.now()) }) },
];

export type JobOutcome = { at: string; ok: boolean; result?: Record<string, number>; error?: string };

export async function runJob(job: Job, db: Db, clock: Clock): Promise<JobOutcome> {
  const at = clock.now().toISOString();
  try {
    return { at, ok: true, result: await job.run(db, clock) };
  } catch (err) {
    return { at, ok: false, error: String((err as Error)?.message ?? err) };
  }
}
