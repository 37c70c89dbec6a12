// Pure parts table-tested; then a real clip: the simulator (127.0.0.184) → ingest ffmpeg → planClip → writeClip.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { startSimulator, type Simulator } from "../simulator/simulator";
import { planClip } from "./clip-plan";
import { clipArgs, clipFilePath, ClipWriteError, judgeClip, readTopLevelBoxes, summarizeMoov, tempFileFor, verifyClip, writeClip, type Mp4Summary } from "./clip-writer";
import { buildIngestArgs, segmentSecondsFor } from "../ffmpeg/ingest-args";
import { SegmentRing, SegmentTracker } from "./segments";

describe("clipArgs", () => {
  test("fMP4 input on stdin, faststart MP4 out", () =>
    assert.deepEqual(clipArgs("/m/a.mp4.tmp-7.mp4", "mp4"), ["-hide_banner", "-nostdin", "-loglevel", "error", "-f", "mp4", "-i", "pipe:0", "-map", "0", "-c", "copy", "-movflags", "+faststart", "-f", "mp4", "-y", "/m/a.mp4.tmp-7.mp4"]));
  test("self-contained segments: input format probed", () => assert.deepEqual(clipArgs("/t.mp4", null).slice(4, 6), ["-i", "pipe:0"]));
  test("temp name", () => assert.equal(tempFileFor("/m/a.mp4", 42), "/m/a.mp4.tmp-42.mp4"));
});

describe("clipFilePath", () => {
  const cases: [string, Parameters<typeof clipFilePath>[0], string][] = [
    ["UTC date and time of the start", { dataDir: "/srv/nj", cameraId: "cam1", eventId: "ev_42", seq: 1, startMs: Date.parse("2026-03-29T01:30:05.900Z") }, "/srv/nj/media/cam1/2026/03/29/013005-ev_42-1.mp4"],
    ["midnight UTC", { dataDir: "/d", cameraId: "c", eventId: "e", seq: 0, startMs: Date.parse("2026-12-31T23:59:59.999Z") }, "/d/media/c/2026/12/31/235959-e-0.mp4"],
  ];
  for (const [name, input, file] of cases) test(name, () => assert.equal(clipFilePath(input), file));
  const bad: [string, Partial<Parameters<typeof clipFilePath>[0]>][] = [
    ["camera id with a slash", { cameraId: "../x" }],
    ["empty event id", { eventId: "" }],
    ["negative seq", { seq: -1 }],
    ["no time", { startMs: NaN }],
  ];
  for (const [name, patch] of bad) test(`refuses ${name}`, () => assert.throws(() => clipFilePath({ dataDir: "/d", cameraId: "c", eventId: "e", seq: 1, startMs: 0, ...patch }), RangeError));
});

describe("judgeClip", () => {
  const summary = (codec: string | null = "h264", durationMs: number | null = 3000, frameMs: number | null = 40, audio: Mp4Summary["audio"] = null): Mp4Summary => ({
    durationMs: Math.max(durationMs ?? 0, audio?.durationMs ?? 0) || null,
    video: codec === null ? null : { codec, durationMs, frameMs },
    audio,
  });
  const GOOD = ["ftyp", "moov", "free", "mdat"];
  const cases: [string, Mp4Summary, string[], number, object][] = [
    ["good", summary(), GOOD, 3000, { durationMs: 3000, videoCodec: "h264", audioMs: null, audioCodec: null }],
    ["one frame short is fine", summary("h264", 2960), GOOD, 3000, { durationMs: 2960, videoCodec: "h264", audioMs: null, audioCodec: null }],
    ["H.265", summary("hevc"), GOOD, 3000, { durationMs: 3000, videoCodec: "hevc", audioMs: null, audioCodec: null }],
    ["sound longer than the video: the video's length is judged, the sound's reported", summary("h264", 3000, 40, { codec: "aac", durationMs: 3100, frameMs: 128 }), GOOD, 3000, { durationMs: 3000, videoCodec: "h264", audioMs: 3100, audioCodec: "aac" }],
    ["two frames short is not", summary("h264", 2920), GOOD, 3000, { problem: "duration 2920.0 ms, planned 3000.0 ms" }],
    ["moov at the end", summary(), ["ftyp", "free", "mdat", "moov"], 3000, { problem: "index not in front: ftyp,free,mdat,moov" }],
    ["MJPEG", summary("mjpeg"), GOOD, 3000, { problem: "codec mjpeg cannot be recorded (H.264 or H.265 only)" }],
    ["MPEG-4 part 2 (mp4v)", summary("mp4v"), GOOD, 3000, { problem: "codec mp4v cannot be recorded (H.264 or H.265 only)" }],
    ["no video", summary(null), GOOD, 3000, { problem: "no video stream" }],
    ["no duration", summary("h264", null), GOOD, 3000, { problem: "no duration" }],
    ["no frame duration: 40 ms tolerance", summary("h264", 3050, null), GOOD, 3000, { problem: "duration 3050.0 ms, planned 3000.0 ms" }],
  ];
  for (const [name, p, boxes, expected, verdict] of cases) test(name, () => assert.deepEqual(judgeClip(p, boxes, expected), verdict));
});

describe("writeClip with the simulator and real ffmpeg", () => {
  let sim: Simulator;
  let tmp: string;
  let runDir: string;
  const ring = new SegmentRing(30_000);
  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "nightjar-clip-test-"));
    sim = await startSimulator({ cameras: 1, baseAddress: "127.0.0.184", rtspPort: 38564, onvifPort: 38020, discoveryPort: 49722, withOnvif: false, withDiscovery: false, controlPort: null });
    // Record ~5 s of the main stream into segments, tracked like the recorder will.
    runDir = path.join(tmp, "live", "run-1");
    fs.mkdirSync(runDir, { recursive: true });
    // The input is built deterministically: the segments are placed on the wall clock once, from the finished playlist
    // (one shift for all), not from when each happened to be noticed on a busy machine.
    const listed = () => {
      try {
        return fs.readFileSync(path.join(runDir, "index.m3u8"), "utf8").split("\n").filter((l) => l.startsWith("seg-")).length;
      } catch {
        return 0;
      }
    };
    const url = sim.cameras[0].rtspUrl.main.replace("rtsp://", `rtsp://${sim.username}:${sim.password}@`);
    const child = spawn("ffmpeg", buildIngestArgs({ inputUrl: url, outputDir: runDir, segmentSeconds: segmentSecondsFor(1000), listSize: 20 }), { stdio: ["ignore", "ignore", "inherit"] });
    sim.setMotion(0, true);
    const t0 = Date.now();
    while (listed() < 6 && Date.now() - t0 < 60_000) await new Promise((r) => setTimeout(r, 50));
    child.kill("SIGINT");
    await new Promise((r) => child.on("close", r));
    const playlist = path.join(runDir, "index.m3u8");
    ring.push(...new SegmentTracker("run-1").update(fs.readFileSync(playlist, "utf8"), fs.statSync(playlist).mtimeMs));
  });
  after(async () => {
    await sim?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  test("3 s from the ring: faststart H.264 MP4, exact duration, decodes, no temp file left", async () => {
    const segs = ring.list();
    assert.ok(segs.length >= 5, `segments: ${segs.length}`);
    const plan = planClip(segs, segs[1].startMs + 100, segs[3].endMs - 100);
    assert.deepEqual(plan.segments.map((s) => s.seq), [segs[1].seq, segs[2].seq, segs[3].seq]);
    assert.equal(plan.isComplete, true);
    const outFile = clipFilePath({ dataDir: tmp, cameraId: "cam0", eventId: "ev1", seq: 1, startMs: plan.startMs! });
    const clip = await writeClip({ segments: plan.segments.map((s) => ({ file: path.join(runDir, s.name), durationMs: s.durationMs })), initSegment: path.join(runDir, "init.mp4"), outFile });
    assert.equal(clip.durationMs, plan.durationMs);
    assert.equal(clip.bytes, fs.statSync(outFile).size);
    const boxes = await readTopLevelBoxes(outFile);
    assert.ok(boxes.indexOf("moov") < boxes.indexOf("mdat"), boxes.join(","));
    const decode = spawnSync("ffmpeg", ["-v", "error", "-i", outFile, "-f", "null", "-"], { encoding: "utf8" });
    assert.equal(decode.status, 0);
    assert.equal(decode.stderr.trim(), "");
    const frames = spawnSync("ffprobe", ["-v", "error", "-select_streams", "v", "-count_packets", "-show_entries", "stream=nb_read_packets", "-of", "csv=p=0", outFile], { encoding: "utf8" });
    assert.equal(Number(frames.stdout.trim()), 75);
    assert.deepEqual(fs.readdirSync(path.dirname(outFile)), [path.basename(outFile)]);
    // The in-process check reads what ffprobe reads.
    const probe = JSON.parse(spawnSync("ffprobe", ["-v", "error", "-show_entries", "stream=codec_name,avg_frame_rate:format=duration", "-of", "json", outFile], { encoding: "utf8" }).stdout);
    const buf = fs.readFileSync(outFile);
    const at = buf.indexOf("moov");
    const summary = summarizeMoov(buf.subarray(at + 4, at - 4 + buf.readUInt32BE(at - 4)));
    assert.equal(summary.video?.codec, probe.streams[0].codec_name);
    assert.equal(summary.audio, null);
    assert.ok(Math.abs(summary.durationMs! - Number(probe.format.duration) * 1000) < 1, `${summary.durationMs} vs ${probe.format.duration}`);
    assert.ok(Math.abs(summary.video!.durationMs! - Number(probe.format.duration) * 1000) < 1, `${summary.video?.durationMs} vs ${probe.format.duration}`);
    const [n, d] = probe.streams[0].avg_frame_rate.split("/").map(Number);
    assert.ok(Math.abs(summary.video!.frameMs! - (1000 * d) / n) < 0.01, `${summary.video?.frameMs} vs ${probe.streams[0].avg_frame_rate}`);
    // A clip cut short (a crash mid-copy, a full disk) fails the check.
    const cut = path.join(tmp, "cut-short.mp4");
    fs.writeFileSync(cut, buf.subarray(0, buf.length - 1000));
    await assert.rejects(verifyClip(cut, plan.durationMs), (e: unknown) => e instanceof ClipWriteError && e.problem === "verify_failed" && /do not cover/.test(e.detail));
    assert.deepEqual(await verifyClip(outFile, plan.durationMs), { bytes: buf.length, durationMs: clip.durationMs, videoCodec: "h264", audioMs: null, audioCodec: null });
  });

  test("a segment that is gone: segment_missing, nothing written", async () => {
    const outFile = path.join(tmp, "media", "gone.mp4");
    await assert.rejects(
      writeClip({ segments: [{ file: path.join(runDir, "seg-999.m4s"), durationMs: 1000 }], initSegment: path.join(runDir, "init.mp4"), outFile }),
      (e: unknown) => e instanceof ClipWriteError && e.problem === "segment_missing",
    );
    assert.equal(fs.existsSync(outFile), false);
  });

  test("a result that does not match the plan: verify_failed, temp file removed, no clip", async () => {
    const segs = ring.list().slice(1, 3);
    const outFile = path.join(tmp, "media", "bad", "wrong.mp4");
    await assert.rejects(
      writeClip({ segments: segs.map((s) => ({ file: path.join(runDir, s.name), durationMs: s.durationMs + 500 })), initSegment: path.join(runDir, "init.mp4"), outFile }),
      (e: unknown) => e instanceof ClipWriteError && e.problem === "verify_failed",
    );
    assert.deepEqual(fs.readdirSync(path.dirname(outFile)), []);
  });

  test("garbage input: remux_failed, temp file removed", async () => {
    const junk = path.join(tmp, "junk.m4s");
    fs.writeFileSync(junk, Buffer.alloc(4096, 7));
    const outFile = path.join(tmp, "media", "junk", "junk.mp4");
    await assert.rejects(writeClip({ segments: [{ file: junk, durationMs: 1000 }], initSegment: junk, outFile }), (e: unknown) => e instanceof ClipWriteError && e.problem === "remux_failed");
    assert.deepEqual(fs.readdirSync(path.dirname(outFile)), []);
  });
});
