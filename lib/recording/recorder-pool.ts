// The recorder worker's camera list: one CameraRecorder per enabled camera, started, stopped or restarted within
// POLL_MS of a change to the camera (its updatedAt), as the web app writes them. Only a change to what the ingest
// connects to (stream URLs, credentials) restarts a recorder; motion settings and the name are applied to the running
// one (reconfigure), so a change in the middle of an event loses nothing.
import type { Db } from "../db";
import { logger } from "../log";
import { CameraRecorder, type RecorderDeps } from "./camera-recorder";

/** How often the camera list is read, ms. */
export const POLL_MS = 2_000;

const log = logger("recorder");

export function startRecorderPool(deps: RecorderDeps) {
  const running = new Map<string, { recorder: CameraRecorder; version: number; streams: string }>();
  const streamsOf = (c: { mainStreamUrl: string; subStreamUrl: string | null; credentialsEnc: string | null }) => JSON.stringify([c.mainStreamUrl, c.subStreamUrl, c.credentialsEnc]);
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;

  async function sync(db: Db) {
    const cameras = await db.camera.findMany({ where: { isEnabled: true, recordingEnabled: true, privacyMode: false }, select: { id: true, name: true, mainStreamUrl: true, subStreamUrl: true, credentialsEnc: true, motionConfig: true, updatedAt: true } });
    const wanted = new Map(cameras.map((c) => [c.id, c]));
    for (const [id, r] of running) {
      const c = wanted.get(id);
      if (c && c.updatedAt.getTime() !== r.version && streamsOf(c) === r.streams) {
        r.recorder.reconfigure(c);
        r.version = c.updatedAt.getTime();
      } else if (!c || c.updatedAt.getTime() !== r.version) {
        await r.recorder.stop();
        // A camera deleted, disabled or no longer recorded: its ring goes at once (a changed one starts a new ring).
        if (!c) r.recorder.removeRing();
        running.delete(id);
        log.info("camera recorder stopped", { camera: id, reason: c ? "streams changed" : "removed or disabled" });
      }
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

  return {
    running,
    ready: first,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await first;
      await Promise.all([...running.values()].map((r) => r.recorder.stop()));
      running.clear();
    },
  };
}
