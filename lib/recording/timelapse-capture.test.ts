// The recorder keeps timelapse frames: a real simulated camera, the real recorder pool and ffmpeg ingest, a real
// SQLite file. The interval is set to 1 s straight in the database (the form's minimum is 10 s) so that the test sees
// several frames without waiting; what is asserted is the grid (one frame per interval slot, in order), that each
// file is one keyframe that decodes on its own, the day row's count and bytes, and that turning it off stops it —
// never how long anything took.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { createCamera } from "../cameras/cameras";
import { mediaDir } from "../data-dir";
import { startSimulator, type Simulator } from "../simulator/simulator";
import { createTestDb, type TestDb } from "../testing/db";
import { waitFor } from "../testing/wait";
import { parseFrameFileName } from "../timelapse/frames";
import { startRecorderPool } from "./recorder-pool";

// This file owns 127.0.46.0/24 and RTSP port 39954.
describe("the recorder keeps timelapse frames", { timeout: 240_000 }, () => {
  let sim: Simulator;
  let t: TestDb;
  const key = crypto.randomBytes(32);
  let pool: ReturnType<typeof startRecorderPool> | null = null;

  before(async () => {
    sim = await startSimulator({ cameras: 1, baseAddress: "127.0.46.1", rtspPort: 39954, onvifPort: 39280, withDiscovery: false, controlPort: null });
    t = await createTestDb();
  });
  after(async () => {
    await pool?.stop();
    await sim?.close();
    await t?.cleanup();
  });

  test("one keyframe per interval slot while on, none once off", async () => {
    const c = sim.cameras[0];
    const cam = await createCamera(t.db, { name: "Garden", mainStreamUrl: c.rtspUrl.main, subStreamUrl: c.rtspUrl.sub, credentials: { username: sim.username, password: sim.password } }, key, null);
    await t.db.camera.update({ where: { id: cam.id }, data: { timelapseEnabled: true, timelapseIntervalSeconds: 1 } });
    pool = startRecorderPool({ db: t.db, dataDir: t.dataDir, ffmpegPath: "ffmpeg", ffprobePath: "ffprobe", credentialsKey: key, minFreeBytes: 0, timeZone: "UTC" });
    const recorder = await waitFor("four frames", async () => {
      const r = pool!.running.get(cam.id)?.recorder;
      return r && r.stats.timelapseFrames >= 4 ? r : null;
    }, 120_000);

    const rows = await t.db.timelapse.findMany({ where: { cameraId: cam.id } });
    const files = rows.flatMap((r) => fs.readdirSync(path.join(mediaDir(t.dataDir), r.framesDir!)).map((n) => ({ dir: path.join(mediaDir(t.dataDir), r.framesDir!), name: n })));
    const frames = files.map((f) => ({ ...f, ...parseFrameFileName(f.name)! }));
    assert.ok(frames.every((f) => f.atMs !== undefined), "every file in the day's folder is a frame");
    assert.equal(rows.reduce((n, r) => n + r.framesCaptured, 0), frames.length);
    assert.equal(rows.reduce((n, r) => n + r.framesBytes, 0), files.reduce((n, f) => n + fs.statSync(path.join(f.dir, f.name)).size, 0));
    const slots = frames.map((f) => Math.floor(f.atMs / 1000)).sort((a, b) => a - b);
    assert.equal(new Set(slots).size, slots.length, "at most one frame per interval slot");
    for (const r of rows) assert.equal(r.status, "capturing");
    // Each file is one keyframe with its parameter sets: ffprobe reads exactly one frame at the camera's size.
    const first = frames[0];
    const probed = execFileSync("ffprobe", ["-v", "error", "-f", "h264", "-count_frames", "-show_entries", "stream=nb_read_frames,width,height", "-of", "csv=p=0", path.join(first.dir, first.name)], { encoding: "utf8" }).trim();
    assert.match(probed, /^\d+,\d+,1$/);

    // Off: the recorder is reconfigured (no new ingest) and keeps no more frames while segments go on arriving.
    await t.db.camera.update({ where: { id: cam.id }, data: { timelapseEnabled: false } });
    await waitFor("the recorder to take the setting", async () => recorder.camera.timelapseEnabled === false, 30_000);
    const kept = recorder.stats.timelapseFrames;
    const segments = recorder.stats.segments;
    await waitFor("three more segments", async () => recorder.stats.segments >= segments + 3, 60_000);
    assert.equal(recorder.stats.timelapseFrames, kept);
    assert.equal(pool!.running.get(cam.id)?.recorder, recorder, "the same recorder: no restart");
  });
});
