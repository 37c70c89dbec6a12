// A PTZ move is not an event: while lib/ptz says a camera moves (PtzMove.pauseUntil), the recorder pool pauses that
// camera's motion, and motion counts again once the pause is over. The simulator's motion switch stands in for the
// picture changing under a moving head: real frames, real ffmpeg, a real SQLite file. Asserted on the recorder's own
// counters and times (motion seen and ignored, the event's start after the pause's end), never on how long it took.
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { after, before, describe, test } from "node:test";
import { createCamera } from "../cameras/cameras";
import { movePtz, notePtzCommand } from "../ptz/ptz";
import { startSimulator, type Simulator } from "../simulator/simulator";
import { createTestDb, type TestDb } from "../testing/db";
import { waitFor } from "../testing/wait";
import { startRecorderPool } from "./recorder-pool";

// This file owns 127.0.43.0/24 and RTSP port 39754.
describe("motion pauses while the camera moves", { timeout: 240_000 }, () => {
  let sim: Simulator;
  let t: TestDb;
  const key = crypto.randomBytes(32);
  let pool: ReturnType<typeof startRecorderPool> | null = null;

  before(async () => {
    // Camera 1 has a PTZ head: its picture follows the head (a view per position).
    sim = await startSimulator({ cameras: 2, baseAddress: "127.0.43.1", rtspPort: 39754, onvifPort: 39080, withDiscovery: false, controlPort: null, ptz: [false, true] });
    t = await createTestDb();
  });
  after(async () => {
    sim?.setMotion(0, false);
    await pool?.stop();
    await sim?.close();
    await t?.cleanup();
  });

  test("motion during a move starts nothing; after the pause it starts an event as usual", async () => {
    const cam = await createCamera(t.db, { name: "Turret", mainStreamUrl: sim.cameras[0].rtspUrl.main, subStreamUrl: sim.cameras[0].rtspUrl.sub, credentials: { username: sim.username, password: sim.password } }, key, null);
    await t.db.camera.update({ where: { id: cam.id }, data: { motionConfig: JSON.stringify({ preRollMs: 1_000, postRollMs: 1_000, quietMs: 1_000, minMotionMs: 300 }) } });
    pool = startRecorderPool({ db: t.db, dataDir: t.dataDir, ffmpegPath: "ffmpeg", ffprobePath: "ffprobe", credentialsKey: key, minFreeBytes: 0, timeZone: "UTC" });
    const recorder = await waitFor("the recorder to score frames", async () => {
      const r = pool!.running.get(cam.id)?.recorder;
      return r && r.stats.framesScored > 0 ? r : null;
    }, 90_000);

    // A long move (a minute: far longer than the test needs), noted as lib/ptz notes it before the command goes out.
    await notePtzCommand(t.db, cam.id, 60_000);
    await waitFor("the recorder to learn of the move", async () => recorder.stats.framesPaused > 0, 30_000);
    sim.setMotion(0, true);
    // Well over the 300 ms of motion an event needs (at the motion decoder's rate), all of it ignored.
    await waitFor("motion seen during the move", async () => recorder.stats.motionIgnored >= 15, 60_000);
    assert.equal(await t.db.event.count({ where: { cameraId: cam.id } }), 0, "no event while the camera moves");
    assert.equal(recorder.stats.eventsStarted, 0);

    // The head stops: the pause ends SETTLE_MS later, and the motion that goes on starts an event after that.
    await notePtzCommand(t.db, cam.id, 0);
    const pauseEnd = (await t.db.ptzMove.findUniqueOrThrow({ where: { cameraId: cam.id } })).pauseUntil.getTime();
    const event = await waitFor("an event once the pause is over", () => t.db.event.findFirst({ where: { cameraId: cam.id } }), 60_000);
    assert.ok(event.startedAt.getTime() > pauseEnd, `the event starts ${event.startedAt.getTime() - pauseEnd} ms after the pause's end`);
    sim.setMotion(0, false);
  });

  // The simulator's picture jumps from view to view (quantized positions), which the motion detector also takes for a
  // lighting change; the pause is what covers a real head's gradual pan. This test proves the path: a command through
  // lib/ptz pauses the recorder of that camera, and the move makes no event.
  test("a real move through lib/ptz pauses that camera's motion and makes no event", async () => {
    const c = sim.cameras[1];
    const cam = await createCamera(t.db, { name: "Mast", mainStreamUrl: c.rtspUrl.main, subStreamUrl: c.rtspUrl.sub, onvifUrl: c.onvifUrl!, ptz: { xaddr: c.onvifUrl!.replace("device_service", "ptz_service"), profileToken: "main" }, credentials: { username: sim.username, password: sim.password } }, key, null);
    await t.db.camera.update({ where: { id: cam.id }, data: { motionConfig: JSON.stringify({ preRollMs: 1_000, postRollMs: 1_000, quietMs: 1_000, minMotionMs: 300 }) } });
    const recorder = await waitFor("the recorder to score frames", async () => {
      const r = pool!.running.get(cam.id)?.recorder;
      return r && r.stats.framesScored > 10 ? r : null;
    }, 90_000);
    const owner = { id: "owner", role: "admin" as const };
    const pausedBefore = recorder.stats.framesPaused;
    await movePtz(t.db, owner, cam.id, { action: "absolute", pan: -1, tilt: 1, zoom: 1 }, key);
    await waitFor("the picture to show the new view", async () => sim.cameras[1].ptzView === "p-1_t1_z1", 30_000);
    await waitFor("the recorder to pause this camera's motion", async () => recorder.stats.framesPaused > pausedBefore, 30_000);
    // Past the pause (the analysis clock beyond its end), the new view is as still as the old one: no event at all.
    const pauseEnd = (await t.db.ptzMove.findUniqueOrThrow({ where: { cameraId: cam.id } })).pauseUntil.getTime();
    const framesAfter = recorder.stats.framesScored + 10;
    await waitFor("frames past the pause", async () => Date.now() > pauseEnd && recorder.stats.framesScored > framesAfter, 60_000);
    assert.equal(await t.db.event.count({ where: { cameraId: cam.id } }), 0);
  });
});
