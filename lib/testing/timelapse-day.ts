// Test support: a simulated day of timelapse frames (with a fake clock). Real keyframes come from real fMP4 segments —
// written by ffmpeg from its test pattern, or copied (-c copy) from a simulated camera's RTSP stream — and go through
// the recorder's own path (readFirstKeyframe → keyframeToAnnexB → keepTimelapseFrame); only the capture times are
// made up: one frame every `intervalSeconds` through the day, cycling over the segments' keyframes. Used by the
// timelapse tests, the benchmark and e2e/timelapse.spec.ts (through scripts/timelapse-sim-day.ts).
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import type { Db } from "../db";
import { readFirstKeyframe } from "../recording/video-format";
import { keepTimelapseFrame } from "../timelapse/capture";
import { keyframeToAnnexB } from "../timelapse/frames";
import { dayRange } from "../time";
import { timelapseFramesRelativeDir } from "../data-dir";
import { newId } from "../ids";

/** While a simulated day is filled, its row's end is held here, so that the runner does not close a past day early. */
const HELD_OPEN_UNTIL = new Date("9999-12-31T00:00:00Z");

const run = promisify(execFile);

export type SegmentSource =
  | { kind: "pattern"; codec: "h264" | "hevc"; width: number; height: number; seconds: number }
  | { kind: "rtsp"; url: string; seconds: number };

/** fMP4 HLS segments of about 1 s each (a keyframe each) in `dir`: the init segment and the media segments, in order. */
export async function makeSegments(ffmpegPath: string, dir: string, source: SegmentSource): Promise<{ init: string; segments: string[] }> {
  fs.mkdirSync(dir, { recursive: true });
  const input =
    source.kind === "pattern"
      ? ["-f", "lavfi", "-i", `testsrc2=size=${source.width}x${source.height}:rate=10`, "-t", String(source.seconds), "-pix_fmt", "yuv420p",
         ...(source.codec === "hevc" ? ["-c:v", "libx265", "-x265-params", "log-level=error:keyint=10:min-keyint=10:scenecut=0", "-tag:v", "hvc1"] : ["-c:v", "libx264", "-g", "10", "-keyint_min", "10", "-sc_threshold", "0"])]
      : ["-rtsp_transport", "tcp", "-i", source.url, "-t", String(source.seconds), "-map", "0:v:0", "-c", "copy"];
  await run(ffmpegPath, ["-hide_banner", "-loglevel", "error", "-y", ...input, "-f", "hls", "-hls_segment_type", "fmp4", "-hls_time", "1", "-hls_list_size", "0",
    "-hls_fmp4_init_filename", "init.mp4", "-hls_segment_filename", path.join(dir, "seg%04d.m4s"), path.join(dir, "index.m3u8")], { timeout: 120_000 });
  const segments = fs.readdirSync(dir).filter((n) => n.endsWith(".m4s")).sort().map((n) => path.join(dir, n));
  return { init: path.join(dir, "init.mp4"), segments };
}

export type SimulatedDay = {
  camera: { id: string; name: string };
  day: string;
  timeZone: string;
  intervalSeconds: number;
  /** Only frames in [fromMs, toMs) of the day (default: the whole day). */
  fromMs?: number;
  toMs?: number;
};

/** Keeps one frame every intervalSeconds of the day through the recorder's path. Returns how many were kept. */
export async function captureSimulatedDay(db: Db, dataDir: string, source: { init: string; segments: string[] }, d: SimulatedDay): Promise<number> {
  const { from, to } = dayRange(d.day, d.timeZone);
  const frames = source.segments.map((s) => {
    const k = readFirstKeyframe(source.init, s);
    if (!k) throw new Error(`no keyframe in ${s}`);
    return { codec: k.codec, data: keyframeToAnnexB(k.parameterSets, k.sample, k.lengthSize) };
  });
  const start = Math.max(from.getTime(), d.fromMs ?? -Infinity);
  const end = Math.min(to.getTime(), d.toMs ?? Infinity);
  // A past day is over: the runner (every 2 s) would close it after its first frame and the rest would be dropped as
  // late. Its row is made (or found) first with its end held open, and gets its real end once every frame is in.
  const where = { cameraId_day: { cameraId: d.camera.id, day: d.day } };
  await db.timelapse.upsert({
    where,
    create: { id: newId(), cameraId: d.camera.id, cameraName: d.camera.name, kind: "day", day: d.day, fromAt: from, toAt: HELD_OPEN_UNTIL, status: "capturing", framesDir: timelapseFramesRelativeDir(d.camera.id, d.day) },
    update: { toAt: HELD_OPEN_UNTIL },
  });
  let kept = 0;
  try {
    for (let at = start, i = 0; at < end; at += d.intervalSeconds * 1000, i++) {
      const f = frames[i % frames.length];
      const r = await keepTimelapseFrame(db, dataDir, { cameraId: d.camera.id, cameraName: d.camera.name, atMs: at, codec: f.codec, data: f.data, timeZone: d.timeZone });
      if (r.kept) kept++;
    }
  } finally {
    await db.timelapse.update({ where, data: { toAt: to } });
  }
  return kept;
}
