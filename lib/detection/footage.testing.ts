// Real footage for the detector's tests and the model build's parity check: frames of the sample videos of Debian's
// opencv-doc package (vtest.avi: pedestrians, a parked van and car, 768×576; tree.avi: a tree in the wind, no objects,
// 320×240), decoded by ffmpeg to rgb24. Read from the package, never copied into the repository (see SPIKE-REPORT.md).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import type { RgbFrame } from "./resize";

const EXAMPLES = "/usr/share/doc/opencv-doc/examples/data";
export const VTEST_AVI = `${EXAMPLES}/vtest.avi`;
export const TREE_AVI = `${EXAMPLES}/tree.avi`;

/** Whether the footage and ffmpeg are here (the build's parity check uses a real frame only then). */
export function hasFootage(ffmpeg = process.env.FFMPEG_PATH || "ffmpeg"): boolean {
  return fs.existsSync(VTEST_AVI) && fs.existsSync(TREE_AVI) && spawnSync(ffmpeg, ["-version"], { stdio: "ignore" }).status === 0;
}

/** Throws an error that says what to install when a video is missing. */
export function requireFootage(file: string): void {
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: the detection tests run on real footage from Debian's opencv-doc package (sudo apt-get install opencv-doc)`);
}

/** The frames numbered `indices` (0-based, in any order; returned in ascending order) of `file` as rgb24. */
export function readFrames(file: string, indices: readonly number[], ffmpeg = process.env.FFMPEG_PATH || "ffmpeg"): RgbFrame[] {
  requireFootage(file);
  const ffprobe = ffmpeg.replace(/ffmpeg$/, "ffprobe");
  const probe = spawnSync(ffprobe, ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height", "-of", "csv=p=0", file], { encoding: "utf8" });
  if (probe.status !== 0) throw new Error(`${ffprobe} could not read ${file} (${probe.error?.message ?? probe.stderr.trim()}): install ffmpeg`);
  const [width, height] = probe.stdout.trim().split(",").map(Number);
  const sorted = [...new Set(indices)].sort((a, b) => a - b);
  const select = sorted.map((i) => `eq(n\\,${i})`).join("+");
  const frameBytes = width * height * 3;
  const run = spawnSync(ffmpeg, ["-hide_banner", "-nostdin", "-loglevel", "error", "-i", file, "-vf", `select=${select}`, "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"], { maxBuffer: frameBytes * sorted.length + 1024 });
  if (run.status !== 0) throw new Error(`ffmpeg could not decode ${file}: ${run.error?.message ?? run.stderr.toString().trim()}`);
  if (run.stdout.length !== frameBytes * sorted.length) throw new Error(`ffmpeg gave ${run.stdout.length} bytes for ${sorted.length} frames of ${width}×${height} from ${file}`);
  return sorted.map((_, k) => ({ rgb: new Uint8Array(run.stdout.buffer, run.stdout.byteOffset + k * frameBytes, frameBytes), width, height }));
}
