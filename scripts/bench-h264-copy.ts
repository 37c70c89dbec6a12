// `npm run bench:h264-copy`: what the H.264 copy of an H.265 clip costs the server (lib/events/playable-copy.ts makes
// one when a browser cannot decode H.265): wall time and CPU time of transcoding one BENCH_CLIP_S (20) s 1080p clip,
// the way the server does it (runH264Copy: setpriv --pdeathsig, niceness 10, -progress on a pipe) against a bare ffmpeg
// run of the same argv (buildH264CopyArgs without -progress), measured in the same run, pairwise interleaved (the order
// alternates per pair), BENCH_RUNS (3) pairs.
//   1. Generates (once, cached) a clip as the recorder stores an H.265 camera's: testsrc2 1920x1080 25 fps with light
//      temporal noise (a camera sensor's grain; without it testsrc2 is unrealistically easy to encode), libx265
//      ultrafast at ~4 Mbit/s with a keyframe every 2 s, `hvc1`, AAC mono 16 kHz at 32 kbit/s, moov first.
//   2. Times each transcode: wall clock around the child; CPU = the change of this process's cutime + cstime in
//      /proc/self/stat (children that exited and were waited for: ffmpeg itself, as setpriv execs it in place).
//   3. Prints each run, min/median/max, the speed (clip seconds per wall second), the share of the machine's cores used
//      while it ran, and the copy's size against the original's; checks one copy with ffprobe.
// Environment: BENCH_DIR (parent of the cache and temp folders; default the system temp folder), BENCH_RUNS, BENCH_CLIP_S.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { buildH264CopyArgs, H264_COPY_CRF, H264_COPY_PRESET, runH264Copy } from "../lib/ffmpeg/h264-copy";
import { readProcStat } from "../lib/testing/proc-stats";

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const CLIP_S = Number(process.env.BENCH_CLIP_S ?? 20);
const baseDir = process.env.BENCH_DIR ?? os.tmpdir();

type Sample = { wallMs: number; cpuMs: number; bytes: number };

function generateClip(): string {
  const file = path.join(baseDir, `nightjar-bench-h264-copy-input-v1-${CLIP_S}s.mp4`);
  if (fs.existsSync(file)) return file;
  process.stdout.write(`generating a ${CLIP_S} s 1080p H.265 clip with sound into ${file} …\n`);
  const tmp = `${file}.tmp.mp4`;
  const r = spawnSync(
    "ffmpeg",
    [
      ...["-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=16000", "-t", String(CLIP_S)],
      ...["-map", "0:v", "-map", "1:a", "-vf", "noise=alls=4:allf=t", "-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=error:keyint=50:min-keyint=50:scenecut=0:bitrate=4000:vbv-maxrate=4000:vbv-bufsize=8000"],
      ...["-tag:v", "hvc1", "-c:a", "aac", "-ac", "1", "-b:a", "32k", "-movflags", "+faststart", tmp],
    ],
    { stdio: ["ignore", "inherit", "inherit"] },
  );
  if (r.status !== 0) throw new Error(`ffmpeg exited ${r.status}`);
  fs.renameSync(tmp, file);
  return file;
}

/** CPU of this process's waited-for children so far, ms. */
function childrenCpuMs(): number {
  const stat = readProcStat("self");
  if (!stat) throw new Error("/proc/self/stat unreadable (Linux only)");
  return stat.childrenCpuMs;
}

async function measure(run: () => Promise<void>, out: string): Promise<Sample> {
  const cpu0 = childrenCpuMs();
  const t0 = performance.now();
  await run();
  const wallMs = performance.now() - t0;
  const sample = { wallMs, cpuMs: childrenCpuMs() - cpu0, bytes: fs.statSync(out).size };
  fs.rmSync(out, { force: true });
  return sample;
}

/** The server's way: lib/ffmpeg/h264-copy.ts runH264Copy (what the copy queue runs). */
const server = (input: string, out: string) => measure(() => runH264Copy("ffmpeg", { input, output: out, timeoutMs: 30 * 60_000 }), out);

/** A bare ffmpeg with the same argv (no setpriv, no niceness, no -progress pipe). */
const bare = (input: string, out: string) =>
  measure(
    () =>
      new Promise<void>((resolve, reject) => {
        const child = spawn("ffmpeg", buildH264CopyArgs({ input, output: out }), { stdio: ["ignore", "ignore", "inherit"] });
        child.on("error", reject);
        child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg exited ${code}`))));
      }),
    out,
  );

function stats(xs: number[]): { min: number; median: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0], median: s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2, max: s[s.length - 1] };
}

const sec = (ms: number) => (ms / 1000).toFixed(1);

async function main() {
  const input = generateClip();
  const inputBytes = fs.statSync(input).size;
  const work = fs.mkdtempSync(path.join(baseDir, "nightjar-bench-h264-copy-"));
  const cores = os.cpus().length;
  process.stdout.write(
    `H.264 copy of a ${CLIP_S} s 1080p25 H.265 clip (${(inputBytes / 1e6).toFixed(1)} MB) — libx264 ${H264_COPY_PRESET}, CRF ${H264_COPY_CRF}, sound copied; ` +
      `${RUNS} pairs on ${cores} cores (load average ${os.loadavg()[0].toFixed(2)} at start)\n`,
  );
  const ours: Sample[] = [];
  const theirs: Sample[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      const order = i % 2 === 0 ? (["server", "bare"] as const) : (["bare", "server"] as const);
      for (const way of order) {
        const out = path.join(work, `${way}-${i}.mp4`);
        const s = way === "server" ? await server(input, out) : await bare(input, out);
        (way === "server" ? ours : theirs).push(s);
        process.stdout.write(`  run ${i + 1} ${way.padEnd(6)} wall ${sec(s.wallMs)} s  cpu ${sec(s.cpuMs)} s  ${(s.bytes / 1e6).toFixed(1)} MB\n`);
      }
    }
    // One copy checked: H.264 High, AAC, the clip's length.
    const check = path.join(work, "check.mp4");
    await runH264Copy("ffmpeg", { input, output: check, timeoutMs: 30 * 60_000 });
    const probe = spawnSync("ffprobe", ["-v", "error", "-show_entries", "stream=codec_name,profile:format=duration", "-of", "compact=p=0:nk=1", check], { encoding: "utf8" });
    process.stdout.write(`  check: ${probe.stdout.trim().split("\n").join(" · ")}\n`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  for (const [name, samples] of [
    ["server (runH264Copy)", ours],
    ["bare ffmpeg, same argv", theirs],
  ] as const) {
    const wall = stats(samples.map((s) => s.wallMs));
    const cpu = stats(samples.map((s) => s.cpuMs));
    const bytes = stats(samples.map((s) => s.bytes));
    process.stdout.write(
      `${name}: wall ${sec(wall.min)}–${sec(wall.max)} s (median ${sec(wall.median)} s, ${((CLIP_S * 1000) / wall.median).toFixed(1)}× real time); ` +
        `cpu ${sec(cpu.min)}–${sec(cpu.max)} s (median ${sec(cpu.median)} s, ${((cpu.median / wall.median / cores) * 100).toFixed(0)} % of ${cores} cores while it runs); ` +
        `copy ${(bytes.median / 1e6).toFixed(1)} MB = ${((bytes.median / inputBytes) * 100).toFixed(0)} % of the original\n`,
    );
  }
  const ratio = stats(ours.map((s) => s.wallMs)).median / stats(theirs.map((s) => s.wallMs)).median;
  process.stdout.write(`server / bare wall time (medians): ${ratio.toFixed(2)}\n`);
}

main().catch((err) => {
  process.stderr.write(`${err?.stack ?? err}\n`);
  process.exit(1);
});
