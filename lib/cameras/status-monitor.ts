// The status monitor (run by the scheduler worker): checks every enabled camera on a fixed interval, writes its
// CameraStatus row (through commitStatus, which the recorder's outage reports share) and records transitions as diagnostics.
// Each check is an RTSP OPTIONS (~270 bytes); every DESCRIBE_EVERY_CHECKS-th check a DESCRIBE with authentication
// proves the stream and the credentials; ONVIF firmware is read every FIRMWARE_EVERY_MS; bitrate and fps are measured
// with ffprobe every MEASURE_EVERY_MS while online. Bytes exchanged by checks are counted (the heartbeat volume).
import type { Clock } from "../clock";
import { isForeignKeyViolation, isUniqueViolation, type Db } from "../db";
import { runProbe } from "../ffmpeg/probe";
import { redactUrls } from "../ffmpeg/redact";
import { logger } from "../log";
import { createOnvifClient } from "../onvif/client";
import { emitFact } from "../facts/emit";
import { cameraCredentials } from "./cameras";
import { recordDiagnostic, type DiagnosticKind } from "./diagnostics";
import { checkRtsp } from "./rtsp-check";
import { nextCameraStatus, type CameraState, type CheckOutcome, type DiagnosticEvent, type StatusSnapshot } from "./status";

/** camera.offline / camera.online webhooks for the status rule's transitions (ids, times and the problem code only). */
async function emitStatusWebhooks(db: Db, camera: { id: string; name: string }, status: StatusSnapshot, events: readonly { kind: string; data: Record<string, unknown> }[], now: Date): Promise<void> {
  for (const e of events) {
    if (e.kind === "offline")
      await emitFact(db, "camera.offline", { cameraId: camera.id, cameraName: camera.name, since: status.since.toISOString(), problem: String(e.data.problem), lastSeenAt: (e.data.lastSeenAt as string | null) ?? null }, { now });
    else if (e.kind === "online")
      await emitFact(db, "camera.online", { cameraId: camera.id, cameraName: camera.name, since: status.since.toISOString(), offlineForSeconds: typeof e.data.offlineForSeconds === "number" ? e.data.offlineForSeconds : null }, { now });
  }
}
import { withCredentials } from "./stream-url";

/** Every 20th check (20 min at the default interval) also proves the stream path and credentials. */
export const DESCRIBE_EVERY_CHECKS = 20;
export const FIRMWARE_EVERY_MS = 60 * 60_000;
/** Bitrate and fps are measured from the stream every 6 h (and when a camera comes online the first time). */
export const MEASURE_EVERY_MS = 6 * 60 * 60_000;
/** Seconds of packets ffprobe reads to measure bitrate and fps. */
export const MEASURE_SECONDS = 2;

export type MonitorOptions = {
  intervalMs: number;
  /** Per check, ms. */
  timeoutMs: number;
  ffprobePath: string;
  credentialsKey: Buffer;
  clock: Clock;
  /** Checks in flight at once. */
  concurrency?: number;
};

const log = logger("camera-status");

type MonitorMemory = { checks: number; firmwareAt: number; measuredAt: number };

type CameraWithStatus = { firmware: string | null; status: { state: string; since: Date; lastSeenAt: Date | null; failures: number; lastError: string | null; firmware: string | null } | null };

/** The status rule's view of a camera's status row (null: never checked). */
function statusSnapshotOf(camera: CameraWithStatus): StatusSnapshot | null {
  const s = camera.status;
  return s ? { state: s.state as CameraState, since: s.since, lastSeenAt: s.lastSeenAt, failures: s.failures, lastError: s.lastError, firmware: s.firmware ?? camera.firmware } : null;
}

/**
 * Runs a write of a camera's status; false when the camera was deleted meanwhile (a check takes a network round trip:
 * the row it read may be gone by the time it writes — the foreign key refuses the write, and that is no error).
 */
async function whileCameraExists(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (err) {
    if (isForeignKeyViolation(err)) return false;
    throw err;
  }
}

/** Checks one camera once and writes the outcome (null: the camera does not exist, or was deleted meanwhile). */
export async function checkCamera(db: Db, cameraId: string, options: MonitorOptions, memory: MonitorMemory): Promise<CameraState | null> {
  const camera = await db.camera.findUnique({ where: { id: cameraId }, include: { status: true } });
  if (!camera) return null;
  let credentials = null;
  try {
    credentials = cameraCredentials(camera, options.credentialsKey);
  } catch {
    credentials = null; // sealed with another key: checks will report auth_failed
  }
  const describe = memory.checks % DESCRIBE_EVERY_CHECKS === 0 || camera.status?.state !== "online";
  memory.checks++;
  const result = await checkRtsp(camera.mainStreamUrl, { timeoutMs: options.timeoutMs, describe, credentials });
  const now = options.clock.now();
  let outcome: CheckOutcome = result.ok ? { ok: true } : { ok: false, problem: result.problem, detail: result.detail };
  const bytes = result.bytes;

  if (result.ok && camera.onvifUrl && now.getTime() - memory.firmwareAt >= FIRMWARE_EVERY_MS) {
    try {
      const info = await createOnvifClient({ xaddr: camera.onvifUrl, username: credentials?.username, password: credentials?.password, timeoutMs: options.timeoutMs }).getDeviceInformation();
      outcome = { ok: true, firmware: info.firmwareVersion || null };
      memory.firmwareAt = now.getTime();
    } catch {
      /* firmware stays as it was; liveness is what counts here */
    }
  }

  // Whether it is online decides the measurement; the transition itself is computed again from the row as it is when
  // written (commitStatus): the recorder may have reported an outage during this check's round trips.
  const isOnline = nextCameraStatus(statusSnapshotOf(camera), outcome, now).status.state === "online";
  let measured: Record<string, unknown> = {};
  const measuredEvents: { kind: "measured"; data: Record<string, unknown> }[] = [];
  if (isOnline && now.getTime() - memory.measuredAt >= MEASURE_EVERY_MS) {
    memory.measuredAt = now.getTime();
    try {
      const probe = await runProbe(options.ffprobePath, withCredentials(camera.mainStreamUrl, credentials), { timeoutMs: options.timeoutMs, measureSeconds: MEASURE_SECONDS });
      measured = {
        videoCodec: probe.video.codec,
        width: probe.video.width,
        height: probe.video.height,
        fps: probe.measured?.fps ?? probe.video.fps,
        bitrateKbps: probe.measured?.bitrateKbps ?? null,
        audioCodec: probe.audio?.codec ?? null,
        measuredAt: now,
      };
      measuredEvents.push({ kind: "measured", data: { ...measured, measuredAt: undefined } });
    } catch (err) {
      log.warn("measuring failed", { camera: camera.id, error: String((err as Error).message) });
    }
  }

  const committed = await commitStatus(db, camera.id, outcome, now, { columns: { checkedAt: now, ...measured }, checkBytes: bytes }, camera);
  return committed ? publishStatus(db, committed, now, measuredEvents) : null;
}

type Committed = { camera: { id: string; name: string }; status: StatusSnapshot; events: DiagnosticEvent[] };

/** After commitStatus: its transitions (then `alsoRecorded`) as diagnostics, its webhooks; the state now. */
async function publishStatus(db: Db, committed: Committed, now: Date, alsoRecorded: readonly { kind: DiagnosticKind; data: Record<string, unknown> }[] = []): Promise<CameraState> {
  for (const e of [...committed.events, ...alsoRecorded]) await recordDiagnostic(db, committed.camera.id, e.kind, e.data, now);
  await emitStatusWebhooks(db, committed.camera, committed.status, committed.events, now);
  return committed.status.state;
}

/** A camera as read with its status row (what commitStatus computes a transition from). */
type CameraRead = CameraWithStatus & { id: string; name: string };

/** Writes of one status outcome tried in a row while other writers keep changing the row, before giving up. */
const STATUS_WRITE_ATTEMPTS = 5;

/**
 * Applies `outcome` to the camera's status row as it is now, compare-and-set: the write goes through only if the row
 * still is what the transition was computed from; otherwise the row is read again and the transition computed anew.
 * Two writers that see one outage (the monitor's check, the recorder's report: separate processes) so record it
 * once, not an "offline" each. `extra.columns` are written with it (the monitor's checkedAt and measurements),
 * `extra.checkBytes` added to the row's count. Null when the camera is gone.
 */
async function commitStatus(
  db: Db,
  cameraId: string,
  outcome: CheckOutcome,
  now: Date,
  extra: { columns?: Record<string, unknown>; checkBytes?: number } = {},
  read?: CameraRead,
): Promise<Committed | null> {
  for (let attempt = 1; ; attempt++) {
    // The caller's read serves the first attempt (a stale one only costs a retry: the write checks the row).
    const camera = attempt === 1 && read ? read : await db.camera.findUnique({ where: { id: cameraId }, include: { status: true } });
    if (!camera) return null;
    const { status, events } = nextCameraStatus(statusSnapshotOf(camera), outcome, now);
    const row = { state: status.state, since: status.since, lastSeenAt: status.lastSeenAt, failures: status.failures, lastError: status.lastError, firmware: status.firmware, ...extra.columns };
    let isWritten: boolean;
    try {
      const before = camera.status;
      if (!before) {
        await db.cameraStatus.create({ data: { cameraId, ...row, checkBytes: extra.checkBytes ?? 0, bytesSince: now } });
        isWritten = true;
      } else {
        const { count } = await db.cameraStatus.updateMany({
          where: { cameraId, state: before.state, since: before.since, failures: before.failures, lastError: before.lastError },
          data: { ...row, ...(extra.checkBytes ? { checkBytes: { increment: extra.checkBytes } } : {}) },
        });
        isWritten = count === 1;
      }
    } catch (err) {
      if (isForeignKeyViolation(err)) return null; // deleted meanwhile
      if (!isUniqueViolation(err)) throw err;
      isWritten = false; // the other writer made the row first
    }
    if (isWritten) return { camera, status, events };
    if (attempt >= STATUS_WRITE_ATTEMPTS) throw new Error(`status of camera ${cameraId} changed under ${attempt} writes in a row`);
  }
}

/**
 * Applies one outcome to the camera's status row (commitStatus, which the monitor's checks share) and records the
 * transitions: the recorder's view of the stream (reportStreamOutage/Back).
 */
async function applyStatusOutcome(db: Db, cameraId: string, outcome: CheckOutcome, now: Date): Promise<CameraState | null> {
  const committed = await commitStatus(db, cameraId, outcome, now);
  return committed ? publishStatus(db, committed, now) : null;
}

/**
 * The recorder got no video for its stall time (or its ingest exited): the camera is offline now, not after two more
 * liveness checks (up to two minutes later).
 */
export function reportStreamOutage(db: Db, cameraId: string, at: Date, problem: string, detail?: string): Promise<CameraState | null> {
  return applyStatusOutcome(db, cameraId, { ok: false, problem, detail, isDecisive: true }, at);
}

/**
 * Video arrives again after an outage the recorder reported: online now, and the gap in the recording (from the end of
 * the last segment before to the start of the first after) recorded as a diagnostic.
 */
export async function reportStreamBack(db: Db, cameraId: string, gap: { fromMs: number; toMs: number }, at: Date): Promise<CameraState | null> {
  const state = await applyStatusOutcome(db, cameraId, { ok: true }, at);
  if (state) await recordDiagnostic(db, cameraId, "error", { source: "recorder", problem: "recording_gap", from: new Date(gap.fromMs).toISOString(), to: new Date(gap.toMs).toISOString(), seconds: Math.round((gap.toMs - gap.fromMs) / 100) / 10 }, at);
  return state;
}

/** Longest recordingProblem kept, characters (a clip error's detail can be long). */
const MAX_PROBLEM_CHARS = 300;

/**
 * The recorder could not write a clip of this camera (`problem`: what failed, e.g. "codec mjpeg cannot be recorded
 * (H.264 or H.265 only)"): kept in CameraStatus.recordingProblem for the camera's page and /api/health until a clip is
 * written again, and recorded as a diagnostic when it is new or different (not once per failed clip). When recording
 * worked until now, a recording.stopped webhook tells it (`reason`: disk_full for the free-space floor). Returns
 * whether it was new.
 */
export async function reportRecordingProblem(db: Db, cameraId: string, problem: string, at: Date = new Date(), reason: "disk_full" | "recording_failed" = "recording_failed"): Promise<boolean> {
  const text = redactUrls(problem).slice(0, MAX_PROBLEM_CHARS);
  const prev = await db.cameraStatus.findUnique({ where: { cameraId }, select: { recordingProblem: true } });
  if (prev?.recordingProblem === text) return false;
  const since = prev?.recordingProblem ? undefined : at;
  const written = await whileCameraExists(() =>
    db.cameraStatus.upsert({ where: { cameraId }, create: { cameraId, recordingProblem: text, recordingProblemAt: at, bytesSince: at }, update: { recordingProblem: text, ...(since ? { recordingProblemAt: since } : {}) } }),
  );
  if (written) await recordDiagnostic(db, cameraId, "error", { source: "recorder", problem: "recording_failed", detail: text }, at);
  if (written && !prev?.recordingProblem) {
    const camera = await db.camera.findUnique({ where: { id: cameraId }, select: { name: true } });
    await emitFact(db, "recording.stopped", { cameraId, cameraName: camera?.name ?? null, reason, at: at.toISOString(), detail: text }, { now: at });
  }
  return written;
}

/** A clip of this camera was written: a recording problem reported before is over (recorded as "recovered"). */
export async function reportRecordingWorks(db: Db, cameraId: string, at: Date = new Date()): Promise<void> {
  const cleared = await db.cameraStatus.updateMany({ where: { cameraId, recordingProblem: { not: null } }, data: { recordingProblem: null, recordingProblemAt: null } });
  if (cleared.count) await recordDiagnostic(db, cameraId, "recovered", { source: "recorder", problem: "recording_failed" }, at);
}

/** Runs checks of every enabled camera every intervalMs until stopped. */
export function startStatusMonitor(db: Db, options: MonitorOptions) {
  const memory = new Map<string, MonitorMemory>();
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();

  async function round() {
    const cameras = await db.camera.findMany({ where: { isEnabled: true }, select: { id: true } });
    for (const id of memory.keys()) if (!cameras.some((c) => c.id === id)) memory.delete(id);
    const queue = cameras.map((c) => c.id);
    const workers = Array.from({ length: Math.min(options.concurrency ?? 4, queue.length) }, async () => {
      for (let id = queue.shift(); id && !stopped; id = queue.shift()) {
        if (!memory.has(id)) memory.set(id, { checks: 0, firmwareAt: 0, measuredAt: 0 });
        try {
          await checkCamera(db, id, options, memory.get(id)!);
        } catch (err) {
          log.error("check failed", { camera: id, error: String((err as Error).message) });
        }
      }
    });
    await Promise.all(workers);
  }

  function schedule() {
    if (stopped) return;
    timer = setTimeout(() => {
      running = round().finally(schedule);
    }, options.intervalMs);
  }
  running = round().finally(schedule);

  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running.catch(() => undefined);
    },
  };
}
