// An event deleted while it records (a member presses Delete during the alarm, or its camera's recordings go): the
// recorder writes nothing more for it — the clip it cuts at the end finds no event row and is removed, no row, photo
// or file of that event is left — and the next event records as usual. Real ffmpeg, a real SQLite file, the project's
// simulator (camera-announced motion, so the event's timing is ours); asserted on rows and files, never on time.
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { createCamera } from "../cameras/cameras";
import { setMotionSettings } from "../cameras/motion-settings";
import { deleteEvents } from "../deletion/recordings";
import { motionConfigSchema } from "../motion/config";
import { startSimulator, type Simulator } from "../simulator/simulator";
import { createTestDb, type TestDb } from "../testing/db";
import { waitFor } from "../testing/wait";
import { startRecorderPool } from "./recorder-pool";

/** Every file under `dir`, relative to it. */
function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => path.relative(dir, path.join(d.parentPath, d.name)));
}

// This file owns 127.0.47.0/24, RTSP port 40154 and ONVIF port 40180.
describe("an event deleted while it records", { timeout: 300_000 }, () => {
  let sim: Simulator;
  let t: TestDb;
  const key = crypto.randomBytes(32);
  let pool: ReturnType<typeof startRecorderPool> | null = null;

  before(async () => {
    sim = await startSimulator({ cameras: 1, baseAddress: "127.0.47.1", rtspPort: 40154, onvifPort: 40180, withDiscovery: false, controlPort: null });
    t = await createTestDb();
  });
  after(async () => {
    sim?.setMotion(0, false);
    await pool?.stop();
    await sim?.close();
    await t?.cleanup();
  });

  test("leaves nothing of it behind, and the next event records", async () => {
    const c = sim.cameras[0];
    const cam = await createCamera(t.db, { name: "Porch", mainStreamUrl: c.rtspUrl.main, subStreamUrl: c.rtspUrl.sub, onvifUrl: c.onvifUrl!, credentials: { username: sim.username, password: sim.password } }, key, null);
    await setMotionSettings(t.db, cam.id, motionConfigSchema.parse({ preRollMs: 1_000, postRollMs: 1_000, quietMs: 1_000, minMotionMs: 300, trigger: "camera" }), null);
    pool = startRecorderPool({ db: t.db, dataDir: t.dataDir, ffmpegPath: "ffmpeg", ffprobePath: "ffprobe", credentialsKey: key, minFreeBytes: 0, timeZone: "UTC" });
    const recorder = await waitFor("the recorder with footage", async () => {
      const r = pool!.running.get(cam.id)?.recorder;
      return r && r.stats.cameraEvents > 0 && r.ring.list().length >= 2 ? r : null;
    }, 90_000);

    // The alarm starts; its event row is written at once; a member deletes it while the camera still sees motion.
    sim.setMotion(0, true);
    const gone = await waitFor("the event to start", async () => t.db.event.findFirst({ where: { cameraId: cam.id } }), 60_000);
    assert.equal((await deleteEvents(t.db, t.dataDir, [gone.id], "event_delete")).events, 1);
    sim.setMotion(0, false); // the recorder now ends the event: it cuts its clip and would take its photo
    await waitFor("the recorder to handle the deleted event's end", async () => recorder.stats.eventsEnded === 1, 60_000);
    assert.equal(recorder.stats.clipsWritten, 0, "its clip was cut and not kept");

    // The next alarm: recorded whole.
    sim.setMotion(0, true);
    await waitFor("the second event to start", async () => (await t.db.event.count({ where: { cameraId: cam.id } })) === 1, 60_000);
    sim.setMotion(0, false);
    const next = await waitFor("the second event ended with its clips and photo", async () => {
      const e = await t.db.event.findFirst({ where: { cameraId: cam.id }, include: { clips: true, photo: true } });
      return e?.endedAt && e.clips.length > 0 && e.photo ? e : null;
    }, 90_000);
    assert.notEqual(next.id, gone.id);

    assert.equal(await t.db.event.count({ where: { id: gone.id } }), 0, "the deleted event was not written again");
    assert.equal(await t.db.clip.count({ where: { eventId: gone.id } }), 0);
    assert.equal(await t.db.photo.count({ where: { eventId: gone.id } }), 0);
    const files = listFiles(path.join(t.dataDir, "media", cam.id));
    assert.ok(files.some((f) => f.includes(next.id)), "the second event's files are there");
    assert.deepEqual(files.filter((f) => f.includes(gone.id)), [], "no file of the deleted event");
    assert.equal(await t.db.pendingFileDeletion.count(), 0, "every deletion finished");
  });
});
