// Camera codecs against the recorder with real ffmpeg and the simulator: an H.265 main stream (with AAC sound, "record
// sound" on: copied) gives an event whose clip is H.265 with the hvc1 sample entry, decodes completely and has a photo;
// a camera with G.711 μ-law sound and "record sound" on gives clips with an AAC track as long as the video (converted);
// the same camera with "record sound" off gives clips without any sound track. A camera whose footage the recorder cannot
// store (its run's init segment swapped for an MJPEG one, as a camera sending MJPEG would give) is never silent: the
// event is closed without a clip, the camera's recording problem says why, /api/health reports it.
// Heavy (a simulator, two ffmpeg per recorder, 1080p decodes): scripts/test-unit.ts runs it alone.
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { spawn } from "node:child_process";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { createCamera } from "../cameras/cameras";
import { startSimulator, type Simulator } from "../simulator/simulator";
import { waitFor } from "../testing/wait";
import { createTestDb, type TestDb } from "../testing/db";
import fs from "node:fs";
import os from "node:os";
import { recorderLiveDir } from "../data-dir";
import type { MediaEngine } from "../ffmpeg/engine";
import { readHealth } from "../health";
import { CameraRecorder } from "./camera-recorder";
import { readTopLevelBoxes } from "./clip-writer";

const key = crypto.randomBytes(32);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));


/** A command run to completion without blocking the event loop (the simulator lives in this process). */
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

type Stream = { codec_type: string; codec_name: string; codec_tag_string: string; width?: number; height?: number; duration: string; sample_rate?: string };
async function streamsOf(file: string): Promise<Stream[]> {
  const r = await run("ffprobe", ["-v", "error", "-show_entries", "stream=codec_type,codec_name,codec_tag_string,width,height,duration,sample_rate", "-of", "json", file]);
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as { streams: Stream[] }).streams;
}

describe("recorder with H.265 and sound", { timeout: 240_000 }, () => {
  let sim: Simulator;
  let t: TestDb;
  const recorders: CameraRecorder[] = [];

  before(async () => {
    sim = await startSimulator({ cameras: 4, codecs: ["h265", "h264", "h264", "h264"], audios: ["aac", "pcmu", "pcmu", "none"], baseAddress: "127.0.0.236", rtspPort: 39754, onvifPort: 39720, discoveryPort: 49932, withOnvif: false, withDiscovery: false, controlPort: null });
    t = await createTestDb();
  });
  after(async () => {
    await Promise.all(recorders.map((r) => r.stop()));
    await sim?.close();
    await t?.cleanup();
  });

  async function record(i: number, recordSound: boolean, audioCodec: string | null) {
    const cam = await createCamera(t.db, { name: `Codec ${i}`, mainStreamUrl: sim.cameras[i].rtspUrl.main, subStreamUrl: sim.cameras[i].rtspUrl.sub, credentials: { username: sim.username, password: sim.password } }, key, null);
    await t.db.camera.update({ where: { id: cam.id }, data: { recordSound, motionConfig: JSON.stringify({ preRollMs: 2000, postRollMs: 2000, quietMs: 2000 }) } });
    const row = await t.db.camera.findUniqueOrThrow({ where: { id: cam.id } });
    // What the pool passes: the sound codec the status checks found (null: not probed yet → converted to AAC).
    const recorder = new CameraRecorder({ ...row, audioCodec }, { db: t.db, dataDir: t.dataDir, ffmpegPath: "ffmpeg", ffprobePath: "ffprobe", credentialsKey: key, minFreeBytes: 0, timeZone: "UTC" });
    recorder.start();
    recorders.push(recorder);
    return { id: cam.id, recorder };
  }

  const endedEvent = (cameraId: string) =>
    waitFor("an ended event with its photo", async () => {
      const events = await t.db.event.findMany({ where: { cameraId }, include: { clips: { orderBy: { sequence: "asc" } }, photo: true } });
      return events.length && events.every((e) => e.endedAt && e.photo) ? events[0] : null;
    }, 90_000);

  test("H.265 clips are hvc1 and play; G.711 sound becomes an AAC track as long as the video; sound off records none", async () => {
    const [hevc, g711, silent] = await Promise.all([record(0, true, "aac"), record(1, true, "pcm_mulaw"), record(2, false, "pcm_mulaw")]);
    await waitFor("the pre-roll", async () => recorders.every((r) => r.ring.list().length >= 3), 30_000);
    for (const i of [0, 1, 2]) sim.setMotion(i, true);
    await sleep(4000);
    for (const i of [0, 1, 2]) sim.setMotion(i, false);
    const media = (p: string) => path.join(t.dataDir, "media", p);

    // H.265 with its AAC sound copied.
    const e0 = await endedEvent(hevc.id);
    assert.ok(e0.clips.length >= 1);
    for (const clip of e0.clips) {
      const file = media(clip.path);
      const streams = await streamsOf(file);
      const video = streams.find((s) => s.codec_type === "video")!;
      assert.deepEqual([video.codec_name, video.codec_tag_string, video.width, video.height], ["hevc", "hvc1", 1920, 1080], "H.265 as the camera sent it, with the sample entry Apple devices play");
      assert.deepEqual(streams.filter((s) => s.codec_type === "audio").map((s) => s.codec_name), ["aac"]);
      assert.equal((await run("ffmpeg", ["-v", "error", "-i", file, "-map", "0", "-f", "null", "-"])).stderr.trim(), "", `${clip.path} decodes completely`);
      const boxes = await readTopLevelBoxes(file);
      assert.ok(boxes.indexOf("moov") < boxes.indexOf("mdat"), `faststart: ${boxes.join(",")}`);
      assert.deepEqual([clip.videoCodec, clip.audioCodec], ["hevc", "aac"]);
    }
    assert.deepEqual([e0.photo!.width, e0.photo!.height, e0.photo!.thumbWidth], [1920, 1080, 320], "the photo is decoded from an H.265 frame");

    // G.711 μ-law converted to AAC: an AAC track whose length matches the video's.
    const e1 = await endedEvent(g711.id);
    for (const clip of e1.clips) {
      const streams = await streamsOf(media(clip.path));
      const video = streams.find((s) => s.codec_type === "video")!;
      const audio = streams.filter((s) => s.codec_type === "audio");
      assert.deepEqual(audio.map((s) => [s.codec_name, s.sample_rate]), [["aac", "8000"]], "converted to AAC at the camera's 8 kHz");
      const drift = Math.abs(Number(audio[0].duration) - Number(video.duration));
      assert.ok(drift <= 0.3, `sound ${audio[0].duration} s, video ${video.duration} s`);
      assert.equal(clip.audioCodec, "aac");
    }

    // Record sound off: the microphone is never read.
    const e2 = await endedEvent(silent.id);
    for (const clip of e2.clips) {
      assert.deepEqual((await streamsOf(media(clip.path))).map((s) => s.codec_type), ["video"]);
      assert.equal(clip.audioCodec, null);
    }
    for (const id of [hevc.id, g711.id, silent.id]) assert.equal((await t.db.cameraStatus.findUnique({ where: { cameraId: id } }))?.recordingProblem ?? null, null, "no recording problem");
  });

  test("footage the recorder cannot store: the event is closed without a clip, and the camera says why", async () => {
    const broken = await record(3, false, null);
    await waitFor("the pre-roll", async () => broken.recorder.ring.list().length >= 3, 30_000);
    // The run's init segment now declares MJPEG (mp4v): what the recorder would get from an MJPEG camera.
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "nightjar-mjpeg-"));
    const made = await run("ffmpeg", ["-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25", "-t", "1", "-c:v", "mjpeg", "-f", "hls", "-hls_segment_type", "fmp4", "-hls_time", "1", path.join(tmp, "index.m3u8")]);
    assert.equal(made.code, 0, made.stderr);
    const runs = fs.readdirSync(recorderLiveDir(t.dataDir, broken.id));
    for (const r of runs) fs.copyFileSync(path.join(tmp, "init.mp4"), path.join(recorderLiveDir(t.dataDir, broken.id), r, "init.mp4"));
    fs.rmSync(tmp, { recursive: true, force: true });

    sim.setMotion(3, true);
    await sleep(3000);
    sim.setMotion(3, false);
    const event = await waitFor("the event to end", async () => (await t.db.event.findFirst({ where: { cameraId: broken.id, endedAt: { not: null } }, include: { clips: true } })) ?? null, 90_000);
    assert.equal(event.clips.length, 0, "no clip that is not a good clip");
    const status = await waitFor("the recording problem", async () => (await t.db.cameraStatus.findUnique({ where: { cameraId: broken.id } }))?.recordingProblem ?? null, 30_000);
    assert.match(status, /codec mp4v cannot be recorded \(H\.264 or H\.265 only\)/);
    const diagnostics = (await t.db.cameraDiagnostic.findMany({ where: { cameraId: broken.id, kind: "error" } })).map((d) => JSON.parse(d.data) as Record<string, unknown>);
    assert.equal(diagnostics.filter((d) => d.problem === "recording_failed").length, 1, "logged once, not once per clip");
    const health = await readHealth(t.db, new Date(), { ok: true } as MediaEngine);
    assert.deepEqual(health.recording.failing.map((f) => f.cameraId), [broken.id]);
    assert.equal(health.ok, false);
    // Nothing half-written is left in the media folder.
    const leftovers: string[] = [];
    const walk = (dir: string) => {
      if (!fs.existsSync(dir)) return;
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) walk(path.join(dir, e.name));
        else leftovers.push(e.name);
      }
    };
    walk(path.join(t.dataDir, "media", broken.id));
    assert.deepEqual(leftovers.filter((f) => f.endsWith(".mp4") || f.includes(".tmp-")), []);
  });
});
