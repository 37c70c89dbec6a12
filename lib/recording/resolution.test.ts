// A camera that changes its resolution mid-event (the simulator switches the main stream 1920x1080 → 1280x720 at a
// keyframe, SPS/PPS in-band, as a reconfigured camera does) against the recorder with real ffmpeg: every clip of the
// event is one resolution (checked frame by frame on a decode), the change is a diagnostic, the ingest restarted once
// without a failure being recorded, and a later motion burst records at the new size.
// Heavy (a simulator, two ffmpeg per recorder, 1080p decodes): scripts/test-unit.ts runs it alone.
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { spawn } from "node:child_process";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { createCamera } from "../cameras/cameras";
import { ensureAltClips } from "../simulator/clips";
import { startSimulator, type Simulator } from "../simulator/simulator";
import { waitFor } from "../testing/wait";
import { createTestDb, type TestDb } from "../testing/db";
import { CameraRecorder } from "./camera-recorder";
import { readTopLevelBoxes } from "./clip-writer";

const key = crypto.randomBytes(32);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));


/**
 * Runs a command to completion. Never spawnSync here: the simulator and the recorder live in this process, and a
 * blocked event loop would stall the camera (its clients time out) in the middle of the test.
 */
function run(cmd: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** The stream's declared size, and the size of every decoded frame. */
async function sizes(file: string, codec: string): Promise<{ stream: string; frames: string[] }> {
  const stream = await run("ffprobe", ["-v", "error", "-select_streams", "v", "-show_entries", "stream=codec_name,width,height", "-of", "json", file]);
  const s = (JSON.parse(stream.stdout) as { streams: { codec_name: string; width: number; height: number }[] }).streams[0];
  assert.equal(s.codec_name, codec);
  const decoded = await run("ffprobe", ["-v", "error", "-select_streams", "v", "-show_entries", "frame=width,height", "-of", "json", file]);
  assert.equal(decoded.code, 0, decoded.stderr);
  const frames = (JSON.parse(decoded.stdout) as { frames: { width: number; height: number }[] }).frames.map((f) => `${f.width}x${f.height}`);
  return { stream: `${s.width}x${s.height}`, frames };
}

for (const [codec, ffprobeName, port] of [["h264", "h264", 0], ["h265", "hevc", 1]] as const)
describe(`recorder with a ${codec === "h264" ? "H.264" : "H.265"} camera that changes resolution mid-event`, { timeout: 240_000 }, () => {
  let sim: Simulator;
  let t: TestDb;
  let recorder: CameraRecorder | null = null;

  before(async () => {
    // The 1280x720 clips are made (or found in the cache) up front, so the switch below happens when the test says.
    await ensureAltClips({ codec });
    sim = await startSimulator({ cameras: 1, codec, baseAddress: `127.0.0.${226 + port}`, rtspPort: 39654 + port, onvifPort: 39620 + port, discoveryPort: 49912 + port, withOnvif: false, withDiscovery: false, controlPort: null });
    t = await createTestDb();
  });
  after(async () => {
    await recorder?.stop();
    await sim?.close();
    await t?.cleanup();
  });

  test("each clip has one resolution, the change is recorded, the ingest restarts once, recording goes on at the new size", async (t2) => {
    const cam = await createCamera(t.db, { name: "Resizer", mainStreamUrl: sim.cameras[0].rtspUrl.main, subStreamUrl: sim.cameras[0].rtspUrl.sub, credentials: { username: sim.username, password: sim.password } }, key, null);
    await t.db.camera.update({ where: { id: cam.id }, data: { motionConfig: JSON.stringify({ preRollMs: 2000, postRollMs: 2000, quietMs: 2000 }) } });
    const row = await t.db.camera.findUniqueOrThrow({ where: { id: cam.id } });
    const rec = new CameraRecorder(row, { db: t.db, dataDir: t.dataDir, ffmpegPath: "ffmpeg", ffprobePath: "ffprobe", credentialsKey: key, minFreeBytes: 0, timeZone: "UTC" });
    recorder = rec;
    rec.start();
    await waitFor("the pre-roll", async () => rec.ring.list().length >= 4, 30_000);

    // Motion; 4 s in, the camera switches to 1280x720 and the motion goes on for 8 s more.
    sim.setMotion(0, true);
    await sleep(4000);
    await sim.setResolution(0, "alt");
    await sleep(8000);
    sim.setMotion(0, false);
    const media = (p: string) => path.join(t.dataDir, "media", p);
    const endedEvents = (n: number) =>
      waitFor(`${n} ended event(s) with photos`, async () => {
        const events = await t.db.event.findMany({ where: { cameraId: cam.id }, include: { clips: { orderBy: { sequence: "asc" } }, photo: true }, orderBy: { startedAt: "asc" } });
        return events.length >= n && events.every((e) => e.endedAt && e.photo) ? events : null;
      }, 90_000);
    const [event] = await endedEvents(1);

    assert.ok(event.clips.length >= 2, `${event.clips.length} clips`);
    assert.deepEqual(event.clips.map((c) => c.sequence), event.clips.map((_, i) => i + 1), "numbered 1, 2, … in time order");
    const clipSizes: string[] = [];
    for (const c of event.clips) {
      const file = media(c.path);
      const { stream, frames } = await sizes(file, ffprobeName);
      assert.ok(frames.length >= 20, `${c.path}: ${frames.length} frames`);
      assert.deepEqual([...new Set(frames)], [stream], `${c.path}: every frame is the size the clip declares`);
      assert.equal((await run("ffmpeg", ["-v", "error", "-i", file, "-f", "null", "-"])).stderr.trim(), "", `${c.path} decodes cleanly`);
      const boxes = await readTopLevelBoxes(file);
      assert.ok(boxes.indexOf("moov") < boxes.indexOf("mdat"), `faststart: ${boxes.join(",")}`);
      clipSizes.push(stream);
    }
    assert.equal(clipSizes[0], "1920x1080", "the event starts at the old size");
    assert.equal(clipSizes[clipSizes.length - 1], "1280x720", "the event's footage continues at the new size");
    for (let i = 1; i < event.clips.length; i++) {
      const prevEnd = event.clips[i - 1].startedAt.getTime() + event.clips[i - 1].durationMs;
      assert.ok(event.clips[i].startedAt.getTime() >= prevEnd - 100, `clip ${i + 1} does not overlap clip ${i}`);
    }
    const recorded = event.clips.reduce((sum, c) => sum + c.durationMs, 0);
    const gaps = event.clips.slice(1).map((c, i) => c.startedAt.getTime() - (event.clips[i].startedAt.getTime() + event.clips[i].durationMs));
    t2.diagnostic(`clips: ${event.clips.map((c, i) => `${clipSizes[i]} ${(c.durationMs / 1000).toFixed(1)} s`).join(", ")}; gaps between them: ${gaps.map((g) => `${g} ms`).join(", ")}`);
    assert.ok(recorded >= 12_000, `the clips hold ${recorded} ms of the ≈ 16 s event: only the restart's few seconds are missing`);

    const diagnostics = (await t.db.cameraDiagnostic.findMany({ where: { cameraId: cam.id, kind: "error" } })).map((d) => JSON.parse(d.data) as Record<string, unknown>);
    assert.deepEqual(diagnostics.filter((d) => d.problem === "resolution_changed"), [{ source: "recorder", problem: "resolution_changed", from: "1920x1080", to: "1280x720" }]);
    assert.deepEqual(diagnostics.filter((d) => d.problem === "ffmpeg_exited"), [], "the planned restart is not a failure");
    assert.equal(rec.stats.resolutionChanges, 1);
    assert.equal(rec.stats.ingestRestarts, 1, "the ingest restarted once");
    assert.ok(rec.stats.rejectedSegments >= 1);

    // Recording goes on: a later burst is an event at the new size.
    sim.setMotion(0, true);
    await sleep(3000);
    sim.setMotion(0, false);
    const events = await endedEvents(2);
    const later = events[events.length - 1];
    assert.notEqual(later.id, event.id);
    assert.ok(later.clips.length >= 1);
    for (const c of later.clips) assert.deepEqual([...new Set((await sizes(media(c.path), ffprobeName)).frames)], ["1280x720"], c.path);
    assert.equal(later.photo!.width, 1280);
    assert.equal(rec.stats.ingestRestarts, 1, "no further restart");
  });
});
