// Health of the installation for /api/health: the database answers, every worker wrote its heartbeat recently, and
// the media engine (ffmpeg, ffprobe) is there and usable (version and path reported).
import type { Db } from "./db";
import type { MediaEngine } from "./ffmpeg/engine";

/** How often workers write their heartbeat, in ms. */
export const HEARTBEAT_MS = 10_000;
/** A worker whose last beat is older than this is reported down, in ms. */
export const HEARTBEAT_STALE_MS = 3 * HEARTBEAT_MS;
/** The worker processes `npm start` runs. */
export const EXPECTED_WORKERS = ["scheduler", "recorder"] as const;

export type Health = {
  ok: boolean;
  database: { ok: boolean };
  workers: Record<string, { ok: boolean; lastBeat: string | null; ageSeconds: number | null }>;
  mediaEngine: MediaEngine;
};

export async function readHealth(db: Db | null, now: Date, mediaEngine: MediaEngine): Promise<Health> {
  const workers: Health["workers"] = {};
  let databaseOk = false;
  let beats: { name: string; beatAt: Date }[] = [];
  if (db) {
    try {
      beats = await db.workerHeartbeat.findMany({ select: { name: true, beatAt: true } });
      databaseOk = true;
    } catch {
      databaseOk = false;
    }
  }
  for (const name of EXPECTED_WORKERS) {
    const beat = beats.find((b) => b.name === name);
    const age = beat ? now.getTime() - beat.beatAt.getTime() : null;
    workers[name] = { ok: age !== null && age <= HEARTBEAT_STALE_MS, lastBeat: beat?.beatAt.toISOString() ?? null, ageSeconds: age === null ? null : Math.round(age / 1000) };
  }
  return { ok: databaseOk && Object.values(workers).every((w) => w.ok) && mediaEngine.ok, database: { ok: databaseOk }, workers, mediaEngine };
}

/** Writes this worker's heartbeat (upsert by name). */
export async function writeHeartbeat(db: Db, name: string, startedAt: Date, info: unknown, now: Date = new Date()) {
  const data = { pid: process.pid, startedAt, beatAt: now, info: JSON.stringify(info ?? {}) };
  await db.workerHeartbeat.upsert({ where: { name }, create: { name, ...data }, update: data });
}
