// `npm run bench:timelapse -- [--interval S] [--size WxH] [--codec h264|hevc] [--runs N]`: what a timelapse costs.
//   capture — the recorder's path for one frame (read the keyframe out of a real fMP4 segment, Annex B, write the file,
//             count it on the day's row in a real SQLite file), CPU of this process per frame (process.cpuUsage: its
//             threads, the file system's thread pool and SQLite included), as a share of one core at one frame every
//             S seconds (default 60) and at the shortest interval (10 s). Baseline in the same run: the same frame
//             taken the usual way, `ffmpeg -i init+segment -frames:v 1 frame.jpg` (a decode), CPU of that child.
//   encode  — a day of frames at that interval (86400 / S of them, cycling over ~20 distinct real keyframes of the
//             chosen size) made into the timelapse MP4 by the runner (CPU of its ffmpeg children: /proc cutime+cstime,
//             plus this process). Baseline in the same run: one bare `ffmpeg -f <codec> -i day.<codec> -c:v libx264`
//             over the same frames concatenated into one file, scaled to the same picture, with the same preset and quality.
// Each is measured --runs times (default 3) and printed as the range; PASS only when every run meets the target
// (issue #16: capturing < 1 % of a core per camera; encoding a day < 60 s of one core). A measurement, not a test.
import { execFileSync, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createCamera } from "../lib/cameras/cameras";
import { fakeClock } from "../lib/clock";
import { mediaDir } from "../lib/data-dir";
import { readFirstKeyframe } from "../lib/recording/video-format";
import { readProcStat } from "../lib/testing/proc-stats";
import { createTestDb } from "../lib/testing/db";
import { captureSimulatedDay, makeSegments } from "../lib/testing/timelapse-day";
import { keepTimelapseFrame } from "../lib/timelapse/capture";
import { keyframeToAnnexB } from "../lib/timelapse/frames";
import { stepTimelapses } from "../lib/timelapse/runner";
import { TIMELAPSE_CRF, TIMELAPSE_DAY_SETTLE_MS, TIMELAPSE_MIN_INTERVAL_S, TIMELAPSE_PRESET } from "../lib/timelapse/settings";
import { dayRange } from "../lib/time";

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const interval = Number(arg("interval", "60"));
const [width, height] = arg("size", "1920x1080").split("x").map(Number);
const codec = arg("codec", "h264") as "h264" | "hevc";
const runs = Number(arg("runs", "3"));
const CAPTURES = 200;
const TARGET = { captureShare: 0.01, encodeCpuS: 60 };

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const childrenMs = () => readProcStat("self")!.childrenCpuMs;
const range = (xs: number[], digits: number) => `${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)}`;

const work = fs.mkdtempSync(path.join(os.tmpdir(), "nightjar-bench-timelapse-"));
const t = await createTestDb();
try {
  console.log(`timelapse benchmark: ${codec} ${width}x${height}, one frame every ${interval} s (${Math.floor(86_400 / interval)} frames a day), ${runs} runs, ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(2)}`);
  const source = await makeSegments("ffmpeg", path.join(work, "segments"), { kind: "pattern", codec, width, height, seconds: 20 });
  const frameBytes = source.segments.map((s) => {
    const k = readFirstKeyframe(source.init, s)!;
    return keyframeToAnnexB(k.parameterSets, k.sample, k.lengthSize).length;
  });
  console.log(`source: ${source.segments.length} real keyframes of ${Math.round(Math.min(...frameBytes) / 1024)}–${Math.round(Math.max(...frameBytes) / 1024)} KiB`);
  const key = crypto.randomBytes(32);
  const zone = "UTC";
  const captureShares: number[] = [];
  const captureMsPerFrame: number[] = [];
  const decodeMsPerFrame: number[] = [];
  const encodeS: number[] = [];
  const bareS: number[] = [];
  for (let r = 0; r < runs; r++) {
    // Capture: the recorder's path, CAPTURES frames from real segments.
    const cam = await createCamera(t.db, { name: `Bench ${r}`, mainStreamUrl: "rtsp://127.0.0.1:1/main" }, key, null);
    const day = `2026-10-${String(r + 1).padStart(2, "0")}`;
    const start = dayRange(day, zone).from.getTime();
    const before = cpuMs();
    for (let i = 0; i < CAPTURES; i++) {
      const seg = source.segments[i % source.segments.length];
      const k = readFirstKeyframe(source.init, seg)!;
      await keepTimelapseFrame(t.db, t.dataDir, { cameraId: cam.id, cameraName: cam.name, atMs: start + i * interval * 1000, codec: k.codec, data: keyframeToAnnexB(k.parameterSets, k.sample, k.lengthSize), timeZone: zone });
    }
    const perFrame = (cpuMs() - before) / CAPTURES;
    captureMsPerFrame.push(perFrame);
    captureShares.push(perFrame / (TIMELAPSE_MIN_INTERVAL_S * 1000));
    // Baseline: the same frame decoded to a JPEG by ffmpeg (20 frames).
    const joined = path.join(work, "joined.mp4");
    const cBefore = childrenMs();
    for (let i = 0; i < 20; i++) {
      fs.writeFileSync(joined, Buffer.concat([fs.readFileSync(source.init), fs.readFileSync(source.segments[i % source.segments.length])]));
      spawnSync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", "-i", joined, "-frames:v", "1", path.join(work, "frame.jpg")]);
    }
    decodeMsPerFrame.push((childrenMs() - cBefore) / 20);

    // Encode: a whole day of frames (the captures above are in that day too, and are counted).
    await captureSimulatedDay(t.db, t.dataDir, source, { camera: cam, day, timeZone: zone, intervalSeconds: interval, fromMs: start + CAPTURES * interval * 1000 });
    const eBefore = childrenMs() + cpuMs();
    const made = await stepTimelapses(t.db, { dataDir: t.dataDir, ffmpegPath: "ffmpeg", clock: fakeClock(dayRange(day, zone).to.getTime() + TIMELAPSE_DAY_SETTLE_MS), niceness: 0 });
    encodeS.push((childrenMs() + cpuMs() - eBefore) / 1000);
    const row = await t.db.timelapse.findUniqueOrThrow({ where: { id: made[0] } });
    if (row.status !== "ready") throw new Error(`encode ${row.status}: ${row.error}`);
    // Baseline: the same frames in one file, one bare ffmpeg.
    const dir = path.join(mediaDir(t.dataDir), row.framesDir!);
    const all = path.join(work, `day.${codec}`);
    fs.writeFileSync(all, Buffer.concat(fs.readdirSync(dir).sort().map((n) => fs.readFileSync(path.join(dir, n)))));
    const bBefore = childrenMs();
    execFileSync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", "-f", codec, "-i", all, "-vf", `scale=${row.width}:${row.height}`, "-c:v", "libx264", "-preset", TIMELAPSE_PRESET, "-crf", String(TIMELAPSE_CRF), "-pix_fmt", "yuv420p", path.join(work, "bare.mp4")]);
    bareS.push((childrenMs() - bBefore) / 1000);
    console.log(`run ${r + 1}: capture ${perFrame.toFixed(2)} ms CPU/frame (ffmpeg decode baseline ${decodeMsPerFrame[r].toFixed(0)} ms); encode of ${row.frameCount} frames ${encodeS[r].toFixed(1)} s CPU (bare ffmpeg ${bareS[r].toFixed(1)} s), video ${(row.bytes / 1e6).toFixed(1)} MB, ${row.width}x${row.height}`);
  }
  const at = (ms: number, s: number) => (ms / (s * 1000)) * 100;
  console.log("");
  console.log(`capture: ${range(captureMsPerFrame, 2)} ms CPU per frame = ${range(captureMsPerFrame.map((m) => at(m, interval)), 4)} % of a core per camera at one frame every ${interval} s, ${range(captureMsPerFrame.map((m) => at(m, TIMELAPSE_MIN_INTERVAL_S)), 3)} % at every ${TIMELAPSE_MIN_INTERVAL_S} s; ${range(captureMsPerFrame.map((m) => (m * 86_400) / interval / 1000), 1)} s CPU per camera-day`);
  console.log(`          baseline, a decode per frame (ffmpeg → JPEG): ${range(decodeMsPerFrame, 0)} ms CPU per frame (${range(decodeMsPerFrame.map((d, i) => d / captureMsPerFrame[i]), 0)}× the copy)`);
  console.log(`encode:  ${range(encodeS, 1)} s CPU per camera-day; bare ffmpeg over the same frames ${range(bareS, 1)} s (ratio ${range(encodeS.map((e, i) => e / bareS[i]), 2)})`);
  const capturePass = captureShares.every((s) => s < TARGET.captureShare);
  const encodePass = encodeS.every((s) => s < TARGET.encodeCpuS);
  console.log(`${capturePass ? "PASS" : "MISS"} capture < 1 % of a core per camera, even at one frame every ${TIMELAPSE_MIN_INTERVAL_S} s (every run)`);
  console.log(`${encodePass ? "PASS" : "MISS"} encoding a day (${Math.floor(86_400 / interval)} frames) < ${TARGET.encodeCpuS} s of one core (every run)`);
} finally {
  await t.cleanup();
  fs.rmSync(work, { recursive: true, force: true });
}
