// The camera's own motion detector starts events (MotionConfig.trigger "camera"): the recorder subscribes to the
// simulated camera's ONVIF events, decodes nothing for motion, and records the motion the camera announces, with
// clips and a photo; after the camera restarts (its ONVIF service gone and back), the next motion is recorded too.
// "both": either detector starts events. Real ffmpeg, a real SQLite file; asserted on what the recorder wrote and on
// its counters, never on how long it took.
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { after, before, describe, test } from "node:test";
import { createCamera } from "../cameras/cameras";
import { setMotionSettings } from "../cameras/motion-settings";
import { motionConfigSchema } from "../motion/config";
import { startSimulator, type Simulator } from "../simulator/simulator";
import { createTestDb, type TestDb } from "../testing/db";
import { errorCode } from "../testing/errors";
import { waitFor } from "../testing/wait";
import { startRecorderPool } from "./recorder-pool";

// This file owns 127.0.45.0/24, RTSP port 39854 and ONVIF port 39180.
describe("events started by the camera's own motion detector", { timeout: 300_000 }, () => {
  let sim: Simulator;
  let t: TestDb;
  const key = crypto.randomBytes(32);
  let pool: ReturnType<typeof startRecorderPool> | null = null;

  before(async () => {
    sim = await startSimulator({ cameras: 2, baseAddress: "127.0.45.1", rtspPort: 39854, onvifPort: 39180, withDiscovery: false, controlPort: null });
    t = await createTestDb();
  });
  after(async () => {
    sim?.setMotion(0, false);
    sim?.setMotion(1, false);
    await pool?.stop();
    await sim?.close();
    await t?.cleanup();
  });

  const add = async (i: number, trigger: "camera" | "both") => {
    const c = sim.cameras[i];
    const cam = await createCamera(t.db, { name: `Cam ${i}`, mainStreamUrl: c.rtspUrl.main, subStreamUrl: c.rtspUrl.sub, onvifUrl: c.onvifUrl!, credentials: { username: sim.username, password: sim.password } }, key, null);
    await setMotionSettings(t.db, cam.id, motionConfigSchema.parse({ preRollMs: 1_000, postRollMs: 1_000, quietMs: 1_000, minMotionMs: 300, trigger }), null);
    return cam.id;
  };

  test("a camera added by its stream address cannot use camera events", async () => {
    const plain = await createCamera(t.db, { name: "Plain", mainStreamUrl: "rtsp://127.0.45.99/main" }, key, null);
    assert.equal(await errorCode(setMotionSettings(t.db, plain.id, motionConfigSchema.parse({ trigger: "camera" }), null)), "validation");
    await t.db.camera.delete({ where: { id: plain.id } });
  });

  test("trigger camera: no motion decoding; the camera's motion makes an event with clips and a photo; again after a camera restart", async () => {
    const id = await add(0, "camera");
    pool = startRecorderPool({ db: t.db, dataDir: t.dataDir, ffmpegPath: "ffmpeg", ffprobePath: "ffprobe", credentialsKey: key, minFreeBytes: 0, timeZone: "UTC" });
    const recorder = await waitFor("the recorder and the camera's initial motion state", async () => {
      const r = pool!.running.get(id)?.recorder;
      return r && r.stats.cameraEvents > 0 && r.ring.list().length >= 2 ? r : null;
    }, 90_000);
    const eventOf = (n: number) =>
      waitFor(`event ${n} ended with its clips and photo`, async () => {
        const events = await t.db.event.findMany({ where: { cameraId: id }, orderBy: { startedAt: "asc" }, include: { clips: true, photo: true } });
        const e = events[n - 1];
        return e?.endedAt && e.clips.length > 0 && e.photo ? e : null;
      }, 90_000);

    sim.setMotion(0, true);
    await waitFor("the event to start", async () => (await t.db.event.count({ where: { cameraId: id } })) === 1, 60_000);
    sim.setMotion(0, false);
    const first = await eventOf(1);
    assert.ok(first.clips.every((c) => c.durationMs > 0));
    assert.equal(recorder.stats.framesScored, 0, "nothing decoded for motion");

    // The camera restarts: ONVIF goes away and comes back (the RTSP side too); the recorder subscribes again.
    await sim.setOutage(0, "refuse");
    await sim.setOutage(0, "off");
    const subscriptionsBefore = recorder.cameraWatchState()!.subscriptions;
    await waitFor("a new subscription", async () => recorder.cameraWatchState()!.subscriptions > subscriptionsBefore && recorder.cameraWatchState()!.state === "subscribed", 90_000);
    await waitFor("footage again", async () => recorder.ring.list().length >= 2, 60_000);
    sim.setMotion(0, true);
    await waitFor("the second event to start", async () => (await t.db.event.count({ where: { cameraId: id } })) === 2, 60_000);
    sim.setMotion(0, false);
    await eventOf(2);
    assert.equal(recorder.stats.framesScored, 0);
  });

  test("trigger both: the server's motion detector runs too, and either starts events", async () => {
    const id = await add(1, "both");
    const recorder = await waitFor("the recorder to score frames and hear the camera", async () => {
      const r = pool!.running.get(id)?.recorder;
      return r && r.stats.framesScored > 0 && r.stats.cameraEvents > 0 ? r : null;
    }, 90_000);
    sim.setMotion(1, true);
    await waitFor("an event", async () => (await t.db.event.count({ where: { cameraId: id } })) >= 1, 60_000);
    sim.setMotion(1, false);
    assert.ok(recorder.stats.framesScored > 0);
  });
});
