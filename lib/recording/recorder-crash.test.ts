// SIGKILL mid-clip, then restart: the recorder worker process is killed while a clip is being written; after the
// restart there are no temp files, no rows without files, no files without rows, and every clip decodes.
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { createCamera } from "../cameras/cameras";
import { getSecrets } from "../secrets";
import { startSimulator, type Simulator } from "../simulator/simulator";
import { createTestDb, type TestDb } from "../testing/db";
import { listMediaFiles } from "./reconcile";
import { findOrphanIngests } from "./orphans";

const root = path.resolve(import.meta.dirname, "../..");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("recorder killed with SIGKILL mid-clip", { timeout: 180_000 }, () => {
  let sim: Simulator;
  let t: TestDb;
  let worker: ChildProcess | null = null;

  before(async () => {
    sim = await startSimulator({ cameras: 1, baseAddress: "127.0.0.210", rtspPort: 29554, onvifPort: 29000, discoveryPort: 47802, controlPort: null, withDiscovery: false });
    t = await createTestDb();
  });
  after(async () => {
    worker?.kill("SIGKILL");
    await sim?.close();
    await t?.cleanup();
  });

  const startWorker = () => spawn(process.execPath, ["--import", "tsx", path.join(root, "workers/recorder.ts")], { cwd: root, env: { ...process.env, DATA_DIR: t.dataDir, LOG_LEVEL: "error", MEDIA_MIN_FREE_MB: "0" }, stdio: "ignore" });
  const media = () => path.join(t.dataDir, "media");

  test("leaves a consistent disk and database after a restart", async () => {
    const cam = await createCamera(t.db, { name: "Crash", mainStreamUrl: sim.cameras[0].rtspUrl.main, subStreamUrl: sim.cameras[0].rtspUrl.sub, credentials: { username: sim.username, password: sim.password } }, getSecrets().credentialsKey, null);
    // Short clips, so that clips are cut every few seconds while motion goes on.
    await t.db.camera.update({ where: { id: cam.id }, data: { motionConfig: JSON.stringify({ maxClipMs: 3000, preRollMs: 2000 }) } });
    worker = startWorker();
    await sleep(6000);
    sim.setMotion(0, true);
    // Wait for a clip being written (its temp file), then kill the worker on the spot.
    const started = Date.now();
    let killedMidClip = false;
    while (Date.now() - started < 60_000) {
      const files = fs.existsSync(media()) ? listMediaFiles(media()) : [];
      const clips = await t.db.clip.count();
      if (clips >= 1 && files.some((f) => f.includes(".tmp-"))) {
        worker.kill("SIGKILL");
        killedMidClip = true;
        break;
      }
      await sleep(20);
    }
    assert.ok(killedMidClip, "caught a clip being written");
    await new Promise((r) => worker!.once("exit", r));
    sim.setMotion(0, false);
    const tempsAfterKill = listMediaFiles(media()).filter((f) => f.includes(".tmp-"));
    assert.ok(tempsAfterKill.length >= 1, "the kill left a temp file behind (the situation under test)");
    assert.ok(findOrphanIngests(path.join(t.dataDir, "live")).length >= 1, "the killed worker's ingest ffmpeg is still running");

    // Restart: reconcile, orphan clean-up; then stop it cleanly.
    worker = startWorker();
    const beforeRestart = Date.now();
    for (;;) {
      const beat = await t.db.workerHeartbeat.findUnique({ where: { name: "recorder" } });
      if (beat && beat.startedAt.getTime() >= beforeRestart - 1000) break;
      if (Date.now() - beforeRestart > 30_000) assert.fail("restarted worker did not report");
      await sleep(200);
    }
    worker.kill("SIGTERM");
    await new Promise((r) => worker!.once("exit", r));
    worker = null;

    const files = listMediaFiles(media());
    assert.deepEqual(files.filter((f) => f.includes(".tmp-")), [], "no temp files");
    const clips = await t.db.clip.findMany();
    const photos = await t.db.photo.findMany();
    const referenced = new Set([...clips.map((c) => c.path), ...photos.flatMap((p) => [p.path, p.thumbPath])]);
    assert.deepEqual(files.filter((f) => !referenced.has(f)), [], "no files without rows");
    for (const c of clips) {
      const f = path.join(media(), c.path);
      assert.ok(fs.existsSync(f), `row without file: ${c.path}`);
      assert.equal(spawnSync("ffmpeg", ["-v", "error", "-i", f, "-f", "null", "-"], { encoding: "utf8" }).stderr.trim(), "", `${c.path} decodes`);
    }
    assert.ok(clips.length >= 1);
    assert.equal(await t.db.event.count({ where: { endedAt: null } }), 0, "interrupted events are closed");
    assert.deepEqual(findOrphanIngests(path.join(t.dataDir, "live")), [], "no ffmpeg left behind");
    const check = await t.db.$queryRawUnsafe<{ integrity_check: string }[]>("PRAGMA integrity_check");
    assert.equal(check[0].integrity_check, "ok");
  });
});
