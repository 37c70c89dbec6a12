// Health of the installation for /api/health: the database answers, every worker wrote its heartbeat recently, the
// media engine (ffmpeg, ffprobe) is there and usable (version and path reported), no camera's clips fail to be
// written (a camera that records nothing is never silent: its id, what fails and since when; no names, the route is
// public), and object detection: how many recorded cameras use it, whether the model file is the pinned one, and the
// detector worker's last heartbeat (expected only while some recorded camera has detection on). A detection problem is
// a warning (`warnings`, `detection.ok`), never a failure of `ok`: recording goes on with motion alone.
import fs from "node:fs";
import type { Db } from "./db";
import type { MediaEngine } from "./ffmpeg/engine";
import { MODEL, modelFileState, modelPath } from "./detection/model";
import { parseDetectionSettings } from "./detection/settings";
import { readStoredObject } from "./stored-json";

/** How often workers write their heartbeat, in ms. */
export const HEARTBEAT_MS = 10_000;
/** A worker whose last beat is older than this is reported down, in ms. */
export const HEARTBEAT_STALE_MS = 3 * HEARTBEAT_MS;
/** The worker processes `npm start` runs. The detector (workers/detector.ts) is the recorder's child, expected only
 *  while some recorded camera has detection on (DETECTOR_WORKER). */
export const EXPECTED_WORKERS = ["scheduler", "recorder", "notifier"] as const;
/** Heartbeat name of the object detector worker. */
export const DETECTOR_WORKER = "detector";

/** The cameras the recorder records (lib/recording/recorder-pool.ts runs one recorder for each). */
const RECORDED_CAMERA = { isEnabled: true, recordingEnabled: true, privacyMode: false } as const;

type WorkerBeat = { ok: boolean; lastBeat: string | null; ageSeconds: number | null };

/** The model file as health sees it: "ok" (the pinned bytes), "missing", "mismatch" (other bytes) or "unreadable". */
export type ModelState = { state: "ok" | "missing" | "mismatch" | "unreadable"; bytes: number | null; problem: string | null };

export type DetectionHealth = {
  /** false when detection is on for some recorded camera and cannot work now (see `problems`). */
  ok: boolean;
  /** Recorded cameras (enabled, recording, not in privacy mode) with detection on. */
  cameras: number;
  /** Whether the detector worker should be running (cameras > 0). */
  expected: boolean;
  model: { name: string; licence: string } & ModelState;
  /** The detector worker's last heartbeat (workers/detector.ts); null when it never beat. */
  worker: (WorkerBeat & { problem: string | null; threads: number | null; frames: number | null; failed: number | null; inferMs: { p50: number | null; p95: number | null } | null; rssMb: number | null }) | null;
  /** The recorder's side (lib/detection/client.ts, from the recorder's heartbeat): the worker's state and the queue. */
  client: { state: string; detail: string | null; queued: number | null; dropped: number | null; failed: number | null; restarts: number | null } | null;
  problems: string[];
};

export type Health = {
  ok: boolean;
  database: { ok: boolean };
  workers: Record<string, WorkerBeat>;
  mediaEngine: MediaEngine;
  recording: { ok: boolean; failing: { cameraId: string; problem: string; since: string | null }[] };
  /** The household's integrations as the notifier worker last saw them. Informational: a broker that is down or an
   *  integration that is off never makes `ok` false (recording and the app do not depend on them). */
  integrations: { mqtt: { state: string; detail: string | null } };
  detection: DetectionHealth;
  /** Things that need an admin but stop nothing (today: detection's problems). Never make `ok` false. */
  warnings: string[];
};

export type HealthOptions = {
  /** The model file (default: modelPath(), DETECTION_MODEL_PATH or the checkout's .cache/models). */
  modelFile?: string;
};

let modelCache: { file: string; size: number; mtimeMs: number; result: ModelState } | null = null;

/**
 * The model file's state, hashed only when its size or modification time changed since the last call (the pinned
 * SHA-256 of a 15 MB file takes tens of ms; health is polled). Never throws.
 */
export function modelState(file: string = modelPath()): ModelState {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (err) {
    modelCache = null;
    const code = (err as NodeJS.ErrnoException).code;
    return code === "ENOENT" ? { state: "missing", bytes: null, problem: `model file missing: ${file} (npm run build:model makes it)` } : { state: "unreadable", bytes: null, problem: `model file unreadable: ${code ?? String(err)}` };
  }
  if (modelCache && modelCache.file === file && modelCache.size === stat.size && modelCache.mtimeMs === stat.mtimeMs) return modelCache.result;
  let result: ModelState;
  try {
    const s = modelFileState(file);
    result =
      s.state === "ok"
        ? { state: "ok", bytes: stat.size, problem: null }
        : s.state === "missing"
          ? { state: "missing", bytes: null, problem: `model file missing: ${file} (npm run build:model makes it)` }
          : { state: "mismatch", bytes: stat.size, problem: `model file is not the pinned ${MODEL.name} (SHA-256 ${s.sha256.slice(0, 12)}…, expected ${MODEL.sha256.slice(0, 12)}…): corrupt or replaced; npm run build:model makes it again` };
  } catch (err) {
    result = { state: "unreadable", bytes: stat.size, problem: `model file unreadable: ${(err as NodeJS.ErrnoException).code ?? String(err)}` };
  }
  modelCache = { file, size: stat.size, mtimeMs: stat.mtimeMs, result };
  return result;
}

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === "string" && v.length > 0 ? v : null);
/** A stored JSON object (a heartbeat's info), {} when it is not one. */
const storedObject = (text: string): Record<string, unknown> => {
  const r = readStoredObject(text);
  return "raw" in r ? r.raw : {};
};
const obj = (v: unknown): Record<string, unknown> | null => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null);

function beatOf(beat: { beatAt: Date } | undefined, now: Date): WorkerBeat {
  const age = beat ? now.getTime() - beat.beatAt.getTime() : null;
  return { ok: age !== null && age <= HEARTBEAT_STALE_MS, lastBeat: beat?.beatAt.toISOString() ?? null, ageSeconds: age === null ? null : Math.round(age / 1000) };
}

/**
 * Detection's part of health (pure): the heartbeats as stored (info is the workers' JSON, read without trusting it).
 * Problems are listed only while detection is expected: a stale worker or a broken model of a feature nobody uses is
 * no warning.
 */
export function judgeDetection(input: { cameras: number; model: ModelState; detectorBeat?: { beatAt: Date; info: string }; recorderBeat?: { info: string }; now: Date }): DetectionHealth {
  const expected = input.cameras > 0;
  const info = input.detectorBeat ? storedObject(input.detectorBeat.info) : null;
  const beat = input.detectorBeat ? beatOf(input.detectorBeat, input.now) : null;
  const inferMs = info ? obj(info.inferMs) : null;
  const worker: DetectionHealth["worker"] =
    beat && info ? { ...beat, problem: str(info.problem), threads: num(info.threads), frames: num(info.frames), failed: num(info.failed), inferMs: inferMs ? { p50: num(inferMs.p50), p95: num(inferMs.p95) } : null, rssMb: num(info.rssMb) } : null;
  const recorderInfo = input.recorderBeat ? storedObject(input.recorderBeat.info) : null;
  const c = recorderInfo ? obj(recorderInfo.detector) : null;
  const client: DetectionHealth["client"] = c && str(c.state) ? { state: str(c.state)!, detail: str(c.detail), queued: num(c.queued), dropped: num(c.dropped), failed: num(c.failed), restarts: num(c.restarts) } : null;

  const problems: string[] = [];
  if (expected) {
    if (input.model.problem) problems.push(input.model.problem);
    if (worker?.problem) problems.push(`detector: ${worker.problem}`);
    if (!worker) problems.push("detector worker has not started (no heartbeat)");
    else if (!worker.ok) problems.push(`detector worker silent for ${worker.ageSeconds} s`);
    if (client?.state === "down") problems.push(`detector down${client.detail ? `: ${client.detail}` : ""}; cameras record on motion alone`);
  }
  return { ok: problems.length === 0, cameras: input.cameras, expected, model: { name: MODEL.name, licence: MODEL.licence, ...input.model }, worker, client, problems };
}

export async function readHealth(db: Db | null, now: Date, mediaEngine: MediaEngine, options: HealthOptions = {}): Promise<Health> {
  const workers: Health["workers"] = {};
  let databaseOk = false;
  let beats: { name: string; beatAt: Date; info: string }[] = [];
  let failing: Health["recording"]["failing"] = [];
  let mqtt: Health["integrations"]["mqtt"] = { state: "disabled", detail: null };
  let detectionCameras = 0;
  if (db) {
    try {
      const [mqttSettings, mqttStatus] = await Promise.all([db.integrationSettings.findUnique({ where: { id: "mqtt" }, select: { enabled: true } }), db.integrationStatus.findUnique({ where: { id: "mqtt" }, select: { state: true, detail: true } })]);
      if (mqttSettings?.enabled) mqtt = { state: mqttStatus?.state ?? "connecting", detail: mqttStatus?.detail ?? null };
    } catch {
      /* reported through database.ok below */
    }
    try {
      beats = await db.workerHeartbeat.findMany({ select: { name: true, beatAt: true, info: true } });
      const problems = await db.cameraStatus.findMany({ where: { recordingProblem: { not: null }, camera: RECORDED_CAMERA }, select: { cameraId: true, recordingProblem: true, recordingProblemAt: true }, orderBy: { cameraId: "asc" } });
      failing = problems.map((p) => ({ cameraId: p.cameraId, problem: `recording fails: ${p.recordingProblem}`, since: p.recordingProblemAt?.toISOString() ?? null }));
      const recorded = await db.camera.findMany({ where: RECORDED_CAMERA, select: { detectionConfig: true } });
      detectionCameras = recorded.filter((c) => parseDetectionSettings(c.detectionConfig).settings.enabled).length;
      databaseOk = true;
    } catch {
      databaseOk = false;
    }
  }
  for (const name of EXPECTED_WORKERS) workers[name] = beatOf(beats.find((b) => b.name === name), now);
  const recording = { ok: failing.length === 0, failing };
  const detection = judgeDetection({
    cameras: detectionCameras,
    model: modelState(options.modelFile ?? modelPath()),
    detectorBeat: beats.find((b) => b.name === DETECTOR_WORKER),
    recorderBeat: beats.find((b) => b.name === "recorder"),
    now,
  });
  return {
    ok: databaseOk && Object.values(workers).every((w) => w.ok) && mediaEngine.ok && recording.ok,
    database: { ok: databaseOk },
    workers,
    mediaEngine,
    recording,
    integrations: { mqtt },
    detection,
    warnings: detection.problems.map((p) => `detection: ${p}`),
  };
}

/** Writes this worker's heartbeat (upsert by name). */
export async function writeHeartbeat(db: Db, name: string, startedAt: Date, info: unknown, now: Date = new Date()) {
  const data = { pid: process.pid, startedAt, beatAt: now, info: JSON.stringify(info ?? {}) };
  await db.workerHeartbeat.upsert({ where: { name }, create: { name, ...data }, update: data });
}
