// Timelapse: the pure rules (frame names, Annex B, the frame grid, the picture size, codec runs, ffmpeg argv) in
// tables, then real keyframes from real fMP4 segments (ffmpeg's test pattern, H.264 and H.265) through the recorder's
// capture path into a real SQLite file, made into MP4s by the runner with real ffmpeg and checked with ffprobe.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { createCamera } from "../cameras/cameras";
import { fakeClock } from "../clock";
import { mediaDir } from "../data-dir";
import { buildTimelapseDecodeArgs, buildTimelapseEncodeArgs } from "../ffmpeg/timelapse";
import { createTestDb, type TestDb } from "../testing/db";
import { captureSimulatedDay, makeSegments } from "../testing/timelapse-day";
import { dayRange } from "../time";
import { frameFileName, frameSize, keyframeToAnnexB, parseFrameFileName, splitAnnexB } from "./frames";
import { codecRuns, recoverInterruptedTimelapses, startTimelapseRunner, stepTimelapses } from "./runner";
import { nextFrameDueMs, timelapseSize, TIMELAPSE_DAY_SETTLE_MS, TIMELAPSE_FPS } from "./settings";
import { deleteTimelapseFor, listTimelapses, requestTimelapse, requireTimelapseFile, updateTimelapseSettings } from "./timelapses";
import { keepTimelapseFrame } from "./capture";
import crypto from "node:crypto";

describe("timelapse rules", () => {
  test("frame file names round trip; other names are not frames", () => {
    assert.equal(frameFileName(1_765_000_000_123, "h264"), "1765000000123.h264");
    assert.equal(frameFileName(5, "hevc"), "5.h265");
    assert.deepEqual(parseFrameFileName("1765000000123.h264"), { atMs: 1_765_000_000_123, codec: "h264" });
    assert.deepEqual(parseFrameFileName("7.h265"), { atMs: 7, codec: "hevc" });
    for (const bad of [".tmp-7.h264", "7.mp4", "x.h264", "7.h264.tmp", "", "../7.h264"]) assert.equal(parseFrameFileName(bad), null, bad);
  });

  test("a keyframe becomes Annex B: parameter sets first, length prefixes replaced by start codes", () => {
    const sample = Uint8Array.of(0, 0, 0, 2, 0x65, 0xaa, 0, 0, 0, 1, 0x06);
    const out = keyframeToAnnexB([Uint8Array.of(0x67, 1), Uint8Array.of(0x68, 2)], sample, 4);
    assert.deepEqual([...out], [0, 0, 0, 1, 0x67, 1, 0, 0, 0, 1, 0x68, 2, 0, 0, 0, 1, 0x65, 0xaa, 0, 0, 0, 1, 0x06]);
    assert.deepEqual(splitAnnexB(out).map((n) => [...n]), [[0x67, 1], [0x68, 2], [0x65, 0xaa], [0x06]]);
    assert.deepEqual([...keyframeToAnnexB([], Uint8Array.of(0, 1, 0x41), 2)], [0, 0, 0, 1, 0x41]);
    assert.throws(() => keyframeToAnnexB([], Uint8Array.of(0, 0, 0, 9, 1), 4), /runs past/);
    assert.throws(() => keyframeToAnnexB([], Uint8Array.of(0, 0), 4), /truncated/);
    assert.throws(() => keyframeToAnnexB([], Uint8Array.of(0), 3), RangeError);
  });

  test("frames sit on the interval's grid, whenever the first one was taken", () => {
    const rows: [number, number, number][] = [
      // at (ms), interval (s), next due (ms)
      [0, 60, 60_000],
      [59_999, 60, 60_000],
      [60_000, 60, 120_000],
      [61_234, 60, 120_000],
      [3_599_000, 3600, 3_600_000],
      [1_765_000_012_345, 10, 1_765_000_020_000],
    ];
    for (const [at, s, due] of rows) assert.equal(nextFrameDueMs(at, s), due, `${at} every ${s} s`);
  });

  test("the video's picture fits 1280×720 with the aspect kept, in even numbers", () => {
    const rows: [number, number, number, number][] = [
      [640, 360, 640, 360],
      [1280, 720, 1280, 720],
      [1920, 1080, 1280, 720],
      [3840, 2160, 1280, 720],
      [2560, 1920, 960, 720],
      [2688, 1520, 1274, 720],
      [321, 241, 322, 242],
    ];
    for (const [w, h, ow, oh] of rows) assert.deepEqual(timelapseSize(w, h), { width: ow, height: oh }, `${w}x${h}`);
  });

  test("frames split into runs of one codec, in order", () => {
    const f = (file: string, codec: "h264" | "hevc") => ({ file, atMs: 0, codec });
    assert.deepEqual(codecRuns([f("a", "h264"), f("b", "h264"), f("c", "hevc"), f("d", "h264")]), [
      { codec: "h264", files: ["a", "b"] },
      { codec: "hevc", files: ["c"] },
      { codec: "h264", files: ["d"] },
    ]);
    assert.deepEqual(codecRuns([]), []);
  });

  test("ffmpeg argv: decoders scale and pad into the picture and pass every frame; the encoder writes H.264 MP4", () => {
    assert.deepEqual(buildTimelapseDecodeArgs({ codec: "hevc", width: 640, height: 360 }), [
      "-hide_banner", "-nostdin", "-loglevel", "error", "-f", "hevc", "-i", "pipe:0", "-map", "0:v:0",
      "-vf", "scale=640:360:force_original_aspect_ratio=decrease,pad=640:360:(ow-iw)/2:(oh-ih)/2,setsar=1,format=yuv420p",
      "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "yuv420p", "pipe:1",
    ]);
    assert.deepEqual(buildTimelapseEncodeArgs({ width: 640, height: 360, fps: 30, preset: "veryfast", crf: 26, output: "/x/y.tmp-1" }), [
      "-hide_banner", "-loglevel", "error", "-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", "640x360", "-framerate", "30", "-i", "pipe:0",
      "-c:v", "libx264", "-preset", "veryfast", "-crf", "26", "-profile:v", "high", "-pix_fmt", "yuv420p", "-movflags", "+faststart", "-f", "mp4", "/x/y.tmp-1",
    ]);
  });
});

type Probe = { streams: { codec_name: string; width: number; height: number; nb_read_frames?: string; avg_frame_rate: string }[]; format: { duration: string } };
function probe(file: string): Probe {
  return JSON.parse(execFileSync("ffprobe", ["-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries", "stream=codec_name,width,height,nb_read_frames,avg_frame_rate:format=duration", "-of", "json", file], { encoding: "utf8" })) as Probe;
}

describe("a simulated day becomes a video", { timeout: 300_000 }, () => {
  let t: TestDb;
  let work: string;
  let h264: { init: string; segments: string[] };
  let hevc: { init: string; segments: string[] };
  const key = crypto.randomBytes(32);
  const zone = "Europe/Amsterdam";
  const day = "2026-11-20";
  const admin = { id: "admin-1", role: "admin" as const };

  before(async () => {
    t = await createTestDb();
    await t.db.user.create({ data: { id: admin.id, email: "adm@x.test", passwordHash: "x", role: "admin" } });
    await t.db.user.create({ data: { id: "m", email: "mem@x.test", passwordHash: "x", role: "member" } });
    work = fs.mkdtempSync(path.join(os.tmpdir(), "nightjar-timelapse-"));
    h264 = await makeSegments("ffmpeg", path.join(work, "h264"), { kind: "pattern", codec: "h264", width: 640, height: 360, seconds: 4 });
    hevc = await makeSegments("ffmpeg", path.join(work, "hevc"), { kind: "pattern", codec: "hevc", width: 320, height: 240, seconds: 3 });
  });
  after(async () => {
    await t?.cleanup();
    fs.rmSync(work, { recursive: true, force: true });
  });

  const camera = async (name: string) => {
    const c = await createCamera(t.db, { name, mainStreamUrl: "rtsp://127.0.0.1:1/main" }, key, null);
    return { id: c.id, name };
  };

  test("keyframes are copied without decoding: each frame file decodes on its own, with its size in its SPS", async () => {
    const cam = await camera("Copy check");
    const kept = await captureSimulatedDay(t.db, t.dataDir, h264, { camera: cam, day, timeZone: zone, intervalSeconds: 3600, toMs: dayRange(day, zone).from.getTime() + 2 * 3_600_000 });
    assert.equal(kept, 2);
    const row = await t.db.timelapse.findFirstOrThrow({ where: { cameraId: cam.id } });
    const dir = path.join(mediaDir(t.dataDir), row.framesDir!);
    const names = fs.readdirSync(dir).sort();
    assert.deepEqual(names, [frameFileName(dayRange(day, zone).from.getTime(), "h264"), frameFileName(dayRange(day, zone).from.getTime() + 3_600_000, "h264")]);
    const data = fs.readFileSync(path.join(dir, names[0]));
    assert.deepEqual(frameSize(data, "h264"), { width: 640, height: 360 });
    assert.equal(row.framesBytes, names.reduce((n, f) => n + fs.statSync(path.join(dir, f)).size, 0));
    const one = execFileSync("ffprobe", ["-v", "error", "-f", "h264", "-count_frames", "-show_entries", "stream=nb_read_frames,width", "-of", "csv=p=0", path.join(dir, names[0])], { encoding: "utf8" }).trim();
    assert.equal(one, "640,1");
    assert.equal(row.status, "capturing");
    assert.equal(row.day, day);
  });

  test("once the day is over the runner makes an H.264 MP4 of every frame at 30 frames/s; a late frame is dropped", async () => {
    const cam = await camera("Garden");
    // Every 10 minutes: 144 frames; the camera switched to H.265 at a smaller size in the afternoon.
    const { from, to } = dayRange(day, zone);
    const noon = from.getTime() + 12 * 3_600_000;
    const morning = await captureSimulatedDay(t.db, t.dataDir, h264, { camera: cam, day, timeZone: zone, intervalSeconds: 600, toMs: noon });
    const afternoon = await captureSimulatedDay(t.db, t.dataDir, hevc, { camera: cam, day, timeZone: zone, intervalSeconds: 600, fromMs: noon });
    assert.equal(morning + afternoon, 144);
    const clock = fakeClock(to.getTime() + TIMELAPSE_DAY_SETTLE_MS - 1);
    assert.deepEqual(await stepTimelapses(t.db, { dataDir: t.dataDir, ffmpegPath: "ffmpeg", clock }), [], "not before the day has settled");
    clock.set(to.getTime() + TIMELAPSE_DAY_SETTLE_MS);
    const made = await stepTimelapses(t.db, { dataDir: t.dataDir, ffmpegPath: "ffmpeg", clock });
    const row = await t.db.timelapse.findFirstOrThrow({ where: { cameraId: cam.id, kind: "day" } });
    assert.ok(made.includes(row.id));
    assert.equal(row.status, "ready", row.error ?? "");
    assert.equal(row.frameCount, 144);
    assert.equal(row.durationMs, Math.round((144 * 1000) / TIMELAPSE_FPS));
    assert.deepEqual([row.width, row.height], [640, 360]);
    const { file } = await requireTimelapseFile(t.db, t.dataDir, admin, row.id);
    const p = probe(file);
    assert.equal(p.streams[0].codec_name, "h264");
    assert.deepEqual([p.streams[0].width, p.streams[0].height], [640, 360]);
    assert.equal(Number(p.streams[0].nb_read_frames), 144);
    assert.equal(p.streams[0].avg_frame_rate, "30/1");
    assert.equal(row.bytes, fs.statSync(file).size);
    // A frame of the day seen after it was closed is not kept (the video is made).
    const late = await keepTimelapseFrame(t.db, t.dataDir, { cameraId: cam.id, cameraName: cam.name, atMs: to.getTime() - 1, codec: "h264", data: Uint8Array.of(0, 0, 0, 1, 0x65), timeZone: zone });
    assert.equal(late.kept, false);
  });

  test("a range is made from the stored frames; unreadable frames are skipped; bad ranges are refused", async () => {
    const cam = await camera("Porch");
    const { from } = dayRange(day, zone);
    await captureSimulatedDay(t.db, t.dataDir, h264, { camera: cam, day, timeZone: zone, intervalSeconds: 300 });
    const row = await t.db.timelapse.findFirstOrThrow({ where: { cameraId: cam.id, kind: "day" } });
    // A damaged frame between 06:00 and 08:00.
    fs.writeFileSync(path.join(mediaDir(t.dataDir), row.framesDir!, frameFileName(from.getTime() + 7 * 3_600_000 + 1, "h264")), Buffer.from("not a frame"));
    const now = new Date(from.getTime() + 3 * 86_400_000);
    const asked = await requestTimelapse(t.db, admin, { cameraId: cam.id, from: new Date(from.getTime() + 6 * 3_600_000), to: new Date(from.getTime() + 8 * 3_600_000) }, now);
    assert.equal(asked.status, "queued");
    await stepTimelapses(t.db, { dataDir: t.dataDir, ffmpegPath: "ffmpeg", clock: fakeClock(now.getTime()) });
    const list = await listTimelapses(t.db, admin, { cameraId: cam.id });
    const range = list.find((x) => x.id === asked.id)!;
    assert.equal(range.status, "ready", range.error ?? "");
    assert.equal(range.frameCount, 24, "two hours every 5 minutes; the damaged file is skipped");
    assert.equal(Number(probe((await requireTimelapseFile(t.db, t.dataDir, admin, asked.id)).file).streams[0].nb_read_frames), 24);
    const code = (p: Promise<unknown>) => p.then(() => "ok", (e: { code?: string }) => e.code ?? String(e));
    assert.equal(await code(requestTimelapse(t.db, admin, { cameraId: cam.id, from: new Date(from.getTime() + 3_600_000), to: from }, now)), "invalid_timelapse_range");
    assert.equal(await code(requestTimelapse(t.db, admin, { cameraId: cam.id, from: new Date(from.getTime() - 40 * 86_400_000), to: from }, now)), "timelapse_range_too_large");
    assert.equal(await code(requestTimelapse(t.db, admin, { cameraId: cam.id, from: new Date(from.getTime() - 5 * 86_400_000), to: new Date(from.getTime() - 4 * 86_400_000) }, now)), "no_timelapse_frames");
    assert.equal(await code(requestTimelapse(t.db, { id: "m", role: "member" as const }, { cameraId: cam.id, from, to: now }, now)), "forbidden");
    // Deleting the day takes its frames and video with it.
    await stepTimelapses(t.db, { dataDir: t.dataDir, ffmpegPath: "ffmpeg", clock: fakeClock(now.getTime()) });
    const dayRow = await t.db.timelapse.findUniqueOrThrow({ where: { id: row.id } });
    assert.equal(dayRow.status, "ready");
    await deleteTimelapseFor(t.db, t.dataDir, admin, row.id);
    assert.equal(fs.existsSync(path.join(mediaDir(t.dataDir), row.framesDir!)), false);
    assert.equal(fs.existsSync(path.join(mediaDir(t.dataDir), dayRow.path!)), false);
    assert.equal(await t.db.pendingFileDeletion.count(), 0);
  });

  test("the runner's loop polls without piling up listeners, and stops", async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on("warning", onWarning);
    try {
      const runner = startTimelapseRunner(t.db, { dataDir: t.dataDir, ffmpegPath: "ffmpeg", pollMs: 1 });
      // Well over the 10 listeners Node warns about, counted by polls (the queue is empty: each step is two reads).
      let steps = 0;
      while (steps < 40) {
        await new Promise((r) => setTimeout(r, 5));
        steps++;
      }
      await runner.stop();
      await new Promise((r) => setImmediate(r));
      assert.deepEqual(warnings.filter((w) => w === "MaxListenersExceededWarning"), []);
    } finally {
      process.off("warning", onWarning);
    }
  });

  test("settings: an interval out of range is refused; a killed encode is queued again and its temp file removed", async () => {
    const cam = await camera("Shed");
    const code = (p: Promise<unknown>) => p.then(() => "ok", (e: { code?: string }) => e.code ?? String(e));
    assert.equal(await code(updateTimelapseSettings(t.db, cam.id, { enabled: true, intervalSeconds: 5 })), "validation");
    assert.equal(await code(updateTimelapseSettings(t.db, cam.id, { enabled: true, intervalSeconds: 30 })), "ok");
    assert.equal(await code(updateTimelapseSettings(t.db, "nope", { enabled: true, intervalSeconds: 30 })), "not_found");
    await captureSimulatedDay(t.db, t.dataDir, h264, { camera: cam, day, timeZone: zone, intervalSeconds: 3600 });
    const row = await t.db.timelapse.findFirstOrThrow({ where: { cameraId: cam.id } });
    await t.db.timelapse.update({ where: { id: row.id }, data: { status: "encoding" } });
    const tmp = path.join(mediaDir(t.dataDir), path.dirname(row.framesDir!), `${day}.mp4.tmp-${row.id}`);
    fs.writeFileSync(tmp, "half a video");
    assert.equal(await recoverInterruptedTimelapses(t.db, t.dataDir), 1);
    assert.equal(fs.existsSync(tmp), false);
    assert.equal((await t.db.timelapse.findUniqueOrThrow({ where: { id: row.id } })).status, "queued");
  });
});
