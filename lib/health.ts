// Health of the installation for /api/health: the database answers, every worker wrote its heartbeat recently, the
// media engine (ffmpeg, ffprobe) is there and usable (version and path reported), and no camera's clips fail to be
// written (a camera that records nothing is never silent: its id, what fails and since when; no names, the route is public).
import type { Db } from "./db";
import type { MediaEngine } from "./ffmpeg/engine";

/** How often workers write their heartbeat, in ms. */
export const HEARTBEAT_MS = 10_000;
/** A worker whose last beat is older than this is reported down, in ms. */
export const HEARTBEAT_STALE_MS = 3 * HEARTBEAT_MS;
/** The worker processes `npm start` runs. */
export const EXPECTED_WORKERS = ["scheduler", "recorder", "notifier"] as const;

export type Health = {
  ok: boolean;
  database: { ok: boolean };
  workers: Record<string, { ok: boolean; lastBeat: string | null; ageSeconds: number | null }>;
  mediaEngine: MediaEngine;
  recording: { ok: boolean; failing: { cameraId: string; problem: string; since: string | null }[] };
  /** The household's integrations as the notifier worker last saw them. Informational: a broker that is down or an
   *  integration that is off never makes `ok` false (recording and the app do not depend on them). */
  integrations: { mqtt: { state: string; detail: string | null } };
};

export async function readHealth(db: Db | null, now: Date, mediaEngine: MediaEngine): Promise<Health> {
  const workers: Health["workers"] = {};
  let databaseOk = false;
  let beats: { name: string; beatAt: Date }[] = [];
  let failing: Health["recording"]["failing"] = [];
  let mqtt: Health["integrations"]["mqtt"] = { state: "disabled", detail: null };
  if (db) {
    try {
      const [mqttSettings, mqttStatus] = await Promise.all([db.integrationSettings.findUnique({ where: { id: "mqtt" }, select: { enabled: true } }), db.integrationStatus.findUnique({ where: { id: "mqtt" }, select: { state: true, detail: true } })]);
      if (mqttSettings?.enabled) mqtt = { state: mqttStatus?.state ?? "connecting", detail: mqttStatus?.detail ?? null };
    } catch {
      /* reported through database.ok below */
    }
    try {
      beats = await db.workerHeartbeat.findMany({ select: { name: true, beatAt: true } });
      const problems = await db.cameraStatus.findMany({ where: { recordingProblem: { not: null }, camera: { isEnabled: true, recordingEnabled: true, privacyMode: false } }, select: { cameraId: true, recordingProblem: true, recordingProblemAt: true }, orderBy: { cameraId: "asc" } });
      failing = problems.map((p) => ({ cameraId: p.cameraId, problem: `recording fails: ${p.recordingProblem}`, since: p.recordingProblemAt?.toISOString() ?? null }));
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
  const recording = { ok: failing.length === 0, failing };
  return { ok: databaseOk && Object.values(workers).every((w) => w.ok) && mediaEngine.ok && recording.ok, database: { ok: databaseOk }, workers, mediaEngine, recording, integrations: { mqtt } };
}

/** Writes this worker's heartbeat (upsert by name). */
export async function writeHeartbeat(db: Db, name: string, startedAt: Date, info: unknown, now: Date = new Date()) {
  const data = { pid: process.pid, startedAt, beatAt: now, info: JSON.stringify(info ?? {}) };
  await db.workerHeartbeat.upsert({ where: { name }, create: { name, ...data }, update: data });
}
