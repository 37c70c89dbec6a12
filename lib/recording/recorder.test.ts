// The recorder against simulated cameras with real ffmpeg: motion for 6 s gives exactly one event with one clip of
// 6 s + pre + post (±1 s), H.264 in MP4 with the index first, and a photo; no motion gives no event; long motion gives
// consecutive clips of one event (60 s of motion, 20 s clips); an outage mid-event gives a clean clip and a reconnect;
// a full disk writes no clip.
// Then the worker process is killed with SIGKILL mid-clip and restarted: disk and database must agree.
// Both suites are in one file so that they run one after the other (each loads the machine with several ffmpeg).
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { spawnSync, type ChildProcess } from "node:child_process";
import { getSecrets } from "../secrets";
import { listMediaFiles } from "./reconcile";
import { findOrphanIngests } from "../ffmpeg/orphans";

import { createCamera } from "../cameras/cameras";
import { startSimulator, type Simulator } from "../simulator/simulator";
import { waitFor } from "../testing/wait";
import { createTestDb, type TestDb } from "../testing/db";
import { CameraRecorder } from "./camera-recorder";
import { readTopLevelBoxes } from "./clip-writer";
import { startRecorderWorker } from "../testing/recorder-worker";

const key = crypto.randomBytes(32);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));


function probe(file: string) {
  const r = spawnSync("ffprobe", ["-v", "error", "-show_entries", "stream=codec_name,width,height:format=format_name,duration", "-of", "json", file], { encoding: "utf8" });
  return JSON.parse(r.stdout) as { streams: { codec_name: string; width: number; height: number }[]; format: { format_name: string; duration: string } };
}

/** The long alarm of the issue's test list: 60 s of motion, ms. */
const LONG_MOTION_MS = 60_000;

describe("recorder with simulated cameras", { timeout: 240_000 }, () => {
  let sim: Simulator;
  let t: TestDb;
  const recorders: CameraRecorder[] = [];

  before(async () => {
    sim = await startSimulator({ cameras: 4, baseAddress: "127.0.0.190", rtspPort: 19554, onvifPort: 19000, discoveryPort: 47702, controlPort: null, withDiscovery: false });
    t = await createTestDb();
  });
  after(async () => {
    await Promise.all(recorders.map((r) => r.stop()));
    await sim?.close();
    await t?.cleanup();
  });

  async function record(i: number, motionConfig: object = {}, minFreeBytes = 0) {
    const cam = await createCamera(t.db, { name: `Sim ${i}`, mainStreamUrl: sim.cameras[i].rtspUrl.main, subStreamUrl: sim.cameras[i].rtspUrl.sub, credentials: { username: sim.username, password: sim.password } }, key, null);
    await t.db.camera.update({ where: { id: cam.id }, data: { motionConfig: JSON.stringify(motionConfig) } });
    const row = await t.db.camera.findUniqueOrThrow({ where: { id: cam.id } });
    const recorder = new CameraRecorder(row, { db: t.db, dataDir: t.dataDir, ffmpegPath: "ffmpeg", ffprobePath: "ffprobe", credentialsKey: key, minFreeBytes, timeZone: "UTC" });
    recorder.start();
    recorders.push(recorder);
    return { id: cam.id, recorder };
  }

  /** Every event of the camera has ended and has its photo (or, with `allowNoClips`, no clips and so no photo). */
  const ended = (cameraId: string, allowNoClips = false) => waitFor("the events to end with their photos", async () => {
    const events = await t.db.event.findMany({ where: { cameraId }, include: { clips: { orderBy: { sequence: "asc" } }, photo: true } });
    return events.length && events.every((e) => e.endedAt && (e.photo || (allowNoClips && e.clips.length === 0))) ? events : null;
  }, 90_000);

  test("6 s of motion: one clip of 16 s ± 1 s, H.264, index first, a photo; none without motion; 60 s: consecutive clips; outage; full disk", async () => {
    // Camera 3 records onto a "full" disk: its free-space floor is more than any disk has.
    const [one, long, outage, full] = await Promise.all([record(0), record(1), record(2), record(3, {}, Number.MAX_SAFE_INTEGER)]);
    // Let the pre-roll fill; nothing moves, so nothing is recorded.
    await waitFor("segments", async () => one.recorder.ring.list().length >= 6 && long.recorder.ring.list().length >= 6 && outage.recorder.ring.list().length >= 6, 20_000);
    await sleep(1500);
    assert.equal(await t.db.event.count(), 0, "no motion → no event");

    // Camera 0: 6 s of motion. Camera 1: 60 s with the default 20 s clips (checked last; the others are checked
    // while it still moves). Camera 2: motion with an outage in the middle.
    sim.setMotion(0, true);
    sim.setMotion(1, true);
    // (Its own promise: if an assertion below fails first, the simulator may be closed by then.)
    const longMotion = sleep(LONG_MOTION_MS)
      .then(() => sim.setMotion(1, false))
      .catch(() => undefined);
    sim.setMotion(2, true);
    sim.setMotion(3, true);
    await sleep(3000);
    await sim.setOutage(2, "refuse");
    await sleep(3000);
    sim.setMotion(0, false);
    sim.setMotion(3, false);
    await sim.setOutage(2, "off");
    await sleep(2000);
    sim.setMotion(2, false);

    const [event] = await ended(one.id);
    assert.equal(event.clips.length, 1);
    const clip = event.clips[0];
    assert.ok(Math.abs(clip.durationMs - 16_000) <= 1_000, `clip ${clip.durationMs} ms`);
    const file = path.join(t.dataDir, "media", clip.path);
    const info = probe(file);
    assert.equal(info.streams[0].codec_name, "h264");
    assert.deepEqual([info.streams[0].width, info.streams[0].height], [1920, 1080]);
    assert.match(info.format.format_name, /mp4/);
    const boxes = await readTopLevelBoxes(file);
    assert.ok(boxes.indexOf("moov") < boxes.indexOf("mdat"), `faststart: ${boxes.join(",")}`);
    assert.equal(spawnSync("ffmpeg", ["-v", "error", "-i", file, "-f", "null", "-"], { encoding: "utf8" }).stderr.trim(), "", "decodes cleanly");
    assert.ok(event.photo && fs.statSync(path.join(t.dataDir, "media", event.photo.path)).size > 10_000);
    assert.deepEqual([event.photo!.width, event.photo!.thumbWidth], [1920, 320]);
    assert.ok(event.peakScore > 0);
    assert.equal(await t.db.event.count({ where: { cameraId: one.id } }), 1, "exactly one event");

    // Outage mid-event: the ingest reconnects, and every clip written is clean.
    const outageEvents = await ended(outage.id, true);
    assert.ok(outage.recorder.stats.ingestRestarts >= 1, "the ingest restarted");
    // The status said offline as soon as the recorder knew (not after two more liveness checks), online again when
    // video came back, and the gap in the recording is in the diagnostics.
    const outageDiag = (await t.db.cameraDiagnostic.findMany({ where: { cameraId: outage.id }, orderBy: { id: "asc" } })).map((d) => ({ kind: d.kind, data: JSON.parse(d.data) }));
    const offlineAt = outageDiag.findIndex((d) => d.kind === "offline");
    assert.ok(offlineAt >= 0 && outageDiag.slice(offlineAt).some((d) => d.kind === "online"), JSON.stringify(outageDiag.map((d) => d.kind)));
    const gap = outageDiag.find((d) => d.data.problem === "recording_gap");
    assert.ok(gap && Date.parse(gap.data.to) > Date.parse(gap.data.from) && gap.data.seconds > 0, `gap: ${JSON.stringify(gap?.data)}`);
    assert.equal((await t.db.cameraStatus.findUniqueOrThrow({ where: { cameraId: outage.id } })).state, "online");
    for (const e of outageEvents) {
      for (const c of e.clips) {
        const f = path.join(t.dataDir, "media", c.path);
        assert.equal(spawnSync("ffmpeg", ["-v", "error", "-i", f, "-f", "null", "-"], { encoding: "utf8" }).stderr.trim(), "", `clip ${c.path} decodes cleanly`);
      }
    }
    // Below the free-space floor: the event is known, but no clip was written, and the diagnostics say why.
    await waitFor("the full-disk event to end", async () => (await t.db.event.count({ where: { cameraId: full.id, endedAt: { not: null } } })) > 0, 60_000);
    assert.equal(await t.db.clip.count({ where: { event: { cameraId: full.id } } }), 0);
    const diag = await t.db.cameraDiagnostic.findMany({ where: { cameraId: full.id, kind: "error" } });
    assert.ok(diag.some((d) => JSON.parse(d.data).problem === "disk_full"), "disk_full diagnostic");
    // Never silent: the camera's recording problem says so (its page and /api/health show it); no photo on a full disk.
    assert.match((await t.db.cameraStatus.findUniqueOrThrow({ where: { cameraId: full.id } })).recordingProblem ?? "", /^the disk is full: /);
    assert.equal(await t.db.photo.count({ where: { event: { cameraId: full.id } } }), 0);
    assert.equal((await t.db.cameraStatus.findUnique({ where: { cameraId: one.id } }))?.recordingProblem ?? null, null, "a camera whose clips are written has none");

    // 60 s of motion: consecutive clips of one event (5 s pre-roll + 60 s + 5 s post-roll at most 20 s each: 4),
    // numbered, touching, together as long as the event.
    await longMotion;
    const [longEvent] = await ended(long.id);
    assert.equal(await t.db.event.count({ where: { cameraId: long.id } }), 1, "one event");
    assert.ok(longEvent.clips.length >= 4, `${longEvent.clips.length} clips`);
    longEvent.clips.forEach((c, i) => assert.equal(c.sequence, i + 1));
    for (let i = 0; i < longEvent.clips.length; i++) {
      assert.ok(longEvent.clips[i].durationMs <= 20_000 + 1_100, `clip ${i + 1}: ${longEvent.clips[i].durationMs} ms`);
      if (i === 0) continue;
      const prevEnd = longEvent.clips[i - 1].startedAt.getTime() + longEvent.clips[i - 1].durationMs;
      assert.ok(Math.abs(longEvent.clips[i].startedAt.getTime() - prevEnd) <= 100, `clip ${i + 1} starts ${longEvent.clips[i].startedAt.getTime() - prevEnd} ms from the end of clip ${i}`);
    }
    const total = longEvent.clips.reduce((sum, c) => sum + c.durationMs, 0);
    assert.ok(Math.abs(total - (LONG_MOTION_MS + 10_000)) <= 2_000, `clips cover ${total} ms`);

    const leftovers = fs.readdirSync(path.join(t.dataDir, "media"), { recursive: true }).map(String).filter((f) => f.includes(".tmp-"));
    assert.deepEqual(leftovers, []);
  });
});


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

  const startWorker = () => startRecorderWorker(t.dataDir);
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
    // Its ffmpeg died with it (the kernel's parent-death signal): none is left pulling the camera or writing into live/.
    let orphaned = findOrphanIngests(path.join(t.dataDir, "live"));
    for (let i = 0; i < 100 && orphaned.length; i++) {
      await sleep(50);
      orphaned = findOrphanIngests(path.join(t.dataDir, "live"));
    }
    assert.deepEqual(orphaned, [], "the killed worker's ingest ffmpeg died with it");

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
    // ffmpeg children end on their own time after SIGTERM (a loaded machine takes a moment): allow 5 s.
    let left = findOrphanIngests(path.join(t.dataDir, "live"));
    for (let i = 0; i < 50 && left.length; i++) {
      await sleep(100);
      left = findOrphanIngests(path.join(t.dataDir, "live"));
    }
    const describe = (pid: number) => `${pid}: ${(() => { try { return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").slice(0, 200); } catch { return "gone"; } })()}`;
    assert.deepEqual(left.map(describe), [], "no ffmpeg left behind");
    const check = await t.db.$queryRawUnsafe<{ integrity_check: string }[]>("PRAGMA integrity_check");
    assert.equal(check[0].integrity_check, "ok");
  });
});
