// `npm run bench:clip`: the CPU and wall time of cutting one event clip, in-process (lib/mp4 remuxFragmentedToMp4)
// against today's way (ffmpeg -c copy -movflags +faststart, the segments piped into its stdin by Node as
// lib/recording/clip-writer.ts does), measured in the same run, pairwise interleaved (the order alternates per pair).
//   1. Generates (once, cached) a 1080p H.264 fMP4 HLS run with the recorder's HLS options: testsrc2 1920x1080 25 fps,
//      libx264 ultrafast at 4 Mbit/s, a keyframe every BENCH_GOP_S (2) s, -hls_time half of that (so a segment is one
//      GOP, as segmentSecondsFor() makes it), BENCH_INPUT_S (40) s long.
//   2. For BENCH_CLIPS (20) clips of BENCH_CLIP_S (20) s (windows sliding one segment at a time over the run), times
//      each way. CPU of ours: process.cpuUsage() around the call (user + system of this process, all its threads, so
//      the libuv pool's reads and writes count). CPU of ffmpeg: the child's user + system as getrusage(RUSAGE_CHILDREN)
//      reports it (bash's `times` after ffmpeg exits, ms resolution), plus this process's cpuUsage while it pipes the
//      files in (the Node side of today's clip-writer). Neither side includes fsync/rename or the clip check.
//   3. Prints min/median/max per clip and the ratios of the medians; checks one clip of ours with ffprobe.
// Environment: BENCH_DIR (parent of the cache and temp folders; default the system temp folder), BENCH_CLIPS,
// BENCH_CLIP_S, BENCH_GOP_S, BENCH_INPUT_S.
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { remuxFragmentedToMp4 } from "../lib/mp4/remux";

const CLIPS = Number(process.env.BENCH_CLIPS ?? 20);
const CLIP_S = Number(process.env.BENCH_CLIP_S ?? 20);
const GOP_S = Number(process.env.BENCH_GOP_S ?? 2);
const INPUT_S = Number(process.env.BENCH_INPUT_S ?? 40);
const FPS = 25;
/** The hardening issue's budget for cutting, checking and photographing one event, CPU ms. */
const TARGET_CPU_MS = 250;
const baseDir = process.env.BENCH_DIR ?? os.tmpdir();

type Sample = { cpuMs: number; wallMs: number };
type Segment = { file: string; seconds: number };

function generateRun(): { init: string; segments: Segment[] } {
  const dir = path.join(baseDir, `nightjar-bench-clip-input-v1-${INPUT_S}s-gop${GOP_S}`);
  const playlist = path.join(dir, "index.m3u8");
  if (!fs.existsSync(playlist) || !fs.readFileSync(playlist, "utf8").includes("#EXT-X-ENDLIST")) {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    process.stdout.write(`generating ${INPUT_S} s of 1080p H.264 into ${dir} …\n`);
    const gop = String(GOP_S * FPS);
    const args = [
      ...["-hide_banner", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i", `testsrc2=size=1920x1080:rate=${FPS}`, "-t", String(INPUT_S)],
      ...["-c:v", "libx264", "-preset", "ultrafast", "-g", gop, "-keyint_min", gop, "-sc_threshold", "0", "-b:v", "4M", "-maxrate", "4M", "-bufsize", "8M", "-pix_fmt", "yuv420p"],
      ...["-f", "hls", "-hls_segment_type", "fmp4", "-hls_time", String(GOP_S / 2), "-hls_list_size", "0", "-hls_flags", "independent_segments+program_date_time+temp_file"],
      ...["-hls_fmp4_init_filename", "init.mp4", "-hls_segment_filename", path.join(dir, "seg-%d.m4s"), playlist],
    ];
    const r = spawnSync("ffmpeg", args, { stdio: ["ignore", "inherit", "inherit"] });
    if (r.status !== 0) throw new Error(`ffmpeg exited ${r.status}`);
  }
  const segments: Segment[] = [];
  let seconds = NaN;
  for (const line of fs.readFileSync(playlist, "utf8").split("\n")) {
    if (line.startsWith("#EXTINF:")) seconds = parseFloat(line.slice(8));
    else if (line.endsWith(".m4s")) segments.push({ file: path.join(dir, line.trim()), seconds });
  }
  return { init: path.join(dir, "init.mp4"), segments };
}

async function timeOurs(init: string, segments: string[], outFile: string): Promise<Sample> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await remuxFragmentedToMp4({ init, segments, outFile });
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { cpuMs: (cpu.user + cpu.system) / 1000, wallMs };
}

/** Today's clip-writer argv (lib/recording/clip-writer.ts clipArgs), spelled out so this stays a fixed baseline. */
const ffmpegArgs = (out: string) => ["-hide_banner", "-nostdin", "-loglevel", "error", "-f", "mp4", "-i", "pipe:0", "-map", "0", "-c", "copy", "-movflags", "+faststart", "-f", "mp4", "-y", out];

/** bash's `times`, second line: user and system time of the shell's waited-for children (getrusage RUSAGE_CHILDREN). */
function parseChildTimes(stderr: string): number {
  const m = /(\d+)m([\d.]+)s (\d+)m([\d.]+)s\s*$/.exec(stderr.trim());
  if (!m) throw new Error(`no times in: ${stderr.slice(-300)}`);
  return (Number(m[1]) * 60 + Number(m[2]) + Number(m[3]) * 60 + Number(m[4])) * 1000;
}

async function timeFfmpeg(files: string[], outFile: string): Promise<Sample & { nodeCpuMs: number; ffmpegCpuMs: number }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  // `exec` is not used: bash must outlive ffmpeg to report its rusage. ffmpeg inherits the stdin pipe.
  const child = spawn("bash", ["-c", 'ffmpeg "$@" || exit $?; times >&2', "bash", ...ffmpegArgs(outFile)], { stdio: ["pipe", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  child.stdin.on("error", () => undefined);
  const closed = once(child, "close");
  for (const file of files) {
    const fh = await fs.promises.open(file, "r");
    try {
      for await (const chunk of fh.createReadStream({ autoClose: false, start: 0 })) if (!child.stdin.write(chunk)) await once(child.stdin, "drain");
    } finally {
      await fh.close();
    }
  }
  child.stdin.end();
  const [code] = await closed;
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  if (code !== 0) throw new Error(`ffmpeg exited ${code}: ${stderr}`);
  const lines = stderr.trim().split("\n");
  const ffmpegCpuMs = parseChildTimes(lines[lines.length - 1]);
  const nodeCpuMs = (cpu.user + cpu.system) / 1000;
  return { cpuMs: ffmpegCpuMs + nodeCpuMs, wallMs, nodeCpuMs, ffmpegCpuMs };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const stats = (xs: number[]) => `${Math.min(...xs).toFixed(1).padStart(7)} ${median(xs).toFixed(1).padStart(7)} ${Math.max(...xs).toFixed(1).padStart(7)}`;

async function main() {
  const run = generateRun();
  const perClip = Math.max(1, Math.round(CLIP_S / (run.segments[0]?.seconds || GOP_S)));
  const windows = run.segments.length - perClip + 1;
  if (windows < 1) throw new Error(`the run has ${run.segments.length} segments, a clip needs ${perClip}`);
  const out = fs.mkdtempSync(path.join(baseDir, "nightjar-bench-clip-"));
  try {
    const ours: Sample[] = [];
    const theirs: (Sample & { nodeCpuMs: number; ffmpegCpuMs: number })[] = [];
    let bytes = 0;
    for (let i = -1; i < CLIPS; i++) {
      // i = −1 is a warm-up pair (module load, JIT, page cache), not counted.
      const w = ((i % windows) + windows) % windows;
      const segs = run.segments.slice(w, w + perClip).map((s) => s.file);
      const a = () => timeOurs(run.init, segs, path.join(out, `ours-${i}.mp4`));
      const b = () => timeFfmpeg([run.init, ...segs], path.join(out, `ffmpeg-${i}.mp4`));
      let o: Sample;
      let f: Awaited<ReturnType<typeof b>>;
      if (i % 2 === 0) {
        o = await a();
        f = await b();
      } else {
        f = await b();
        o = await a();
      }
      if (i < 0) {
        const p = spawnSync("ffprobe", ["-v", "error", "-count_packets", "-show_entries", "stream=codec_name,nb_read_packets:format=duration", "-of", "csv=p=0", path.join(out, `ours-${i}.mp4`)]).stdout.toString().trim().replace(/\n/g, " ");
        bytes = fs.statSync(path.join(out, `ours-${i}.mp4`)).size;
        process.stdout.write(`clip: ${perClip} segments of ${run.segments[0].seconds} s, ${(bytes / 1e6).toFixed(1)} MB; ffprobe of ours: ${p}\n`);
        continue;
      }
      ours.push(o);
      theirs.push(f);
      fs.rmSync(path.join(out, `ours-${i}.mp4`));
      fs.rmSync(path.join(out, `ffmpeg-${i}.mp4`));
    }
    process.stdout.write(`\n${CLIPS} clips of ${CLIP_S} s 1080p H.264, per clip (ms)          min  median     max\n`);
    process.stdout.write(`  ours (lib/mp4, in-process)          CPU  ${stats(ours.map((s) => s.cpuMs))}\n`);
    process.stdout.write(`                                      wall ${stats(ours.map((s) => s.wallMs))}\n`);
    process.stdout.write(`  ffmpeg -c copy +faststart, piped    CPU  ${stats(theirs.map((s) => s.cpuMs))}\n`);
    process.stdout.write(`      of which ffmpeg (child rusage)  CPU  ${stats(theirs.map((s) => s.ffmpegCpuMs))}\n`);
    process.stdout.write(`      of which Node piping            CPU  ${stats(theirs.map((s) => s.nodeCpuMs))}\n`);
    process.stdout.write(`                                      wall ${stats(theirs.map((s) => s.wallMs))}\n`);
    const cpuRatio = median(theirs.map((s) => s.cpuMs)) / median(ours.map((s) => s.cpuMs));
    const wallRatio = median(theirs.map((s) => s.wallMs)) / median(ours.map((s) => s.wallMs));
    process.stdout.write(`\nratio of medians, ffmpeg / ours: CPU ${cpuRatio.toFixed(1)}×, wall ${wallRatio.toFixed(1)}×\n`);
    process.stdout.write(`ours: median ${median(ours.map((s) => s.cpuMs)).toFixed(1)} ms CPU per clip against a budget of ${TARGET_CPU_MS} ms per event (cut + check + photo)\n`);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

await main();
