// The recorder worker's camera list: one CameraRecorder per enabled camera, started, stopped or restarted within
// POLL_MS of a change to the camera (its updatedAt), as the web app writes them. Only a change to what the ingest
// connects to (stream URLs, credentials, the sound mode) restarts a recorder; motion and detection settings and the name are
// applied to the running one (reconfigure), so a change in the middle of an event loses nothing. The server's detector
// (deps.detector) runs while some recorded camera has detection on. Every PTZ_POLL_MS it reads the PTZ commands
// (PtzMove, written by lib/ptz before a command goes out) and pauses the motion of a camera that moves.
import type { Db } from "../db";
import { logger } from "../log";
import { soundModeFor } from "../ffmpeg/ingest-args";
import { CameraRecorder, decodesMotion, type CameraRow, type RecorderDeps } from "./camera-recorder";
import { parseDetectionSettings } from "../detection/settings";
import { parseMotionConfig } from "../motion/config";

/** How often the camera list is read, ms. */
export const POLL_MS = 2_000;
/**
 * How often the PTZ pauses are read, ms: well under the shortest time motion must last to start an event, so a move
 * is known before its motion could make one.
 */
export const PTZ_POLL_MS = 200;

const log = logger("recorder");

export function startRecorderPool(deps: RecorderDeps) {
  const running = new Map<string, { recorder: CameraRecorder; version: number; streams: string }>();
  // What the ingest's argv depends on: a change restarts the recorder (the sound mode too: the record-sound switch,
  // or a first probe that found the codec).
  // What starts the camera's events (its own ONVIF events or not) decides whether the motion decoder runs and the
  // event subscription exists: a change of trigger starts a new recorder too.
  // Whether a motion decoder runs at all (decodesMotion) is fixed for a recorder's life.
  const streamsOf = (c: CameraRow) => {
    const trigger = parseMotionConfig(c.motionConfig).config.trigger;
    const detects = !!deps.detector && parseDetectionSettings(c.detectionConfig ?? "{}").settings.enabled;
    return JSON.stringify([c.mainStreamUrl, c.subStreamUrl, c.credentialsEnc, soundModeFor(c.recordSound, c.audioCodec), c.onvifUrl ?? null, trigger, decodesMotion(trigger, c.onvifUrl ?? null, detects)]);
  };
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let ptzTimer: NodeJS.Timeout | null = null;

  /** Hands each running camera the end of its PTZ pause (a camera steered lately); cheap: one indexed read. */
  async function syncPtz(db: Db) {
    if (running.size === 0) return;
    const rows = await db.ptzMove.findMany({ where: { pauseUntil: { gt: new Date() } }, select: { cameraId: true, pauseUntil: true } });
    for (const row of rows) running.get(row.cameraId)?.recorder.pauseMotionUntil(row.pauseUntil.getTime());
  }

  async function ptzLoop() {
    try {
      await syncPtz(deps.db);
    } catch (err) {
      log.warn("PTZ pauses not read", { error: String(err) });
    }
    if (!stopped) ptzTimer = setTimeout(ptzLoop, PTZ_POLL_MS);
  }

  async function sync(db: Db) {
    const rows = await db.camera.findMany({
      where: { isEnabled: true, recordingEnabled: true, privacyMode: false },
      select: { id: true, name: true, mainStreamUrl: true, subStreamUrl: true, credentialsEnc: true, onvifUrl: true, motionConfig: true, detectionConfig: true, recordSound: true, timelapseEnabled: true, timelapseIntervalSeconds: true, updatedAt: true, status: { select: { audioCodec: true } } },
    });
    const cameras = rows.map(({ status, ...c }) => ({ ...c, audioCodec: status?.audioCodec ?? null }));
    // The detector runs while some recorded camera has detection on (its model loaded before the first motion).
    if (deps.detector) {
      if (cameras.some((c) => parseDetectionSettings(c.detectionConfig).settings.enabled)) deps.detector.start();
      else if (deps.detector.state() !== "stopped") await deps.detector.stop();
    }
    const wanted = new Map(cameras.map((c) => [c.id, c]));
    for (const [id, r] of running) {
      const c = wanted.get(id);
      if (c && streamsOf(c) === r.streams) {
        if (c.updatedAt.getTime() !== r.version) {
          r.recorder.reconfigure(c);
          r.version = c.updatedAt.getTime();
        }
        continue;
      }
      // Deleted, disabled, no longer recorded, or what the ingest connects to changed (the audio codec found by a
      // probe changes without touching the camera's updatedAt).
      await r.recorder.stop();
      // A camera deleted, disabled or no longer recorded: its ring goes at once (a changed one starts a new ring).
      if (!c) r.recorder.removeRing();
      running.delete(id);
      log.info("camera recorder stopped", { camera: id, reason: c ? "streams changed" : "removed or disabled" });
    }
    for (const c of cameras) {
      if (running.has(c.id) || stopped) continue;
      const recorder = new CameraRecorder(c, deps);
      recorder.start();
      running.set(c.id, { recorder, version: c.updatedAt.getTime(), streams: streamsOf(c) });
      log.info("camera recorder started", { camera: c.id });
    }
  }

  async function loop() {
    try {
      await sync(deps.db);
    } catch (err) {
      log.error("camera sync failed", { error: String(err) });
    }
    if (!stopped) timer = setTimeout(loop, POLL_MS);
  }
  const first = loop();
  void first.then(ptzLoop);

  return {
    running,
    ready: first,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (ptzTimer) clearTimeout(ptzTimer);
      await first;
      await Promise.all([...running.values()].map((r) => r.recorder.stop()));
      running.clear();
    },
  };
}
