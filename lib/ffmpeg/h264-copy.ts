// An H.264 copy of a recorded clip for browsers that cannot decode its video (H.265 in Firefox, and in Chrome/Edge
// without a hardware decoder): the video re-encoded with libx264, the sound copied as it is (AAC), the index in front
// (+faststart) so that it plays while it loads. This is real work for the server's CPU (README "Camera codecs", figures
// from `npm run bench:h264-copy`), so it runs only when a member asks to play such a clip, one at a time
// (lib/events/playable-copy.ts), at a lower priority than the recorder. The argv builder and the progress parser are
// pure (table-tested); runH264Copy runs it.
import { spawn } from "node:child_process";
import os from "node:os";
import { killOnExit, withParentDeathSignal } from "./children";
import { tailStderr } from "./stderr-tail";

/**
 * libx264's preset. "veryfast" (with the H.265 decode) costs ~14 CPU seconds for a 20 s 1080p25 clip (npm run
 * bench:h264-copy: ~8 s of wall time on an idle 2-core machine, ~17–22 s on a busy one) and writes about the size of
 * the H.265 original; "ultrafast" and "superfast" write ~3× the bytes (ultrafast for half the CPU, superfast for about
 * the same CPU).
 */
export const H264_COPY_PRESET = "veryfast";
/** Constant quality: 23 is libx264's default, visually close to a camera's own encoding. */
export const H264_COPY_CRF = 23;
/** Niceness of the transcode: the recorder's ingests and motion decoders (niceness 0) come first. */
export const H264_COPY_NICENESS = 10;

export type H264CopyOptions = {
  /** The clip (a progressive MP4). */
  input: string;
  /** Where to write the copy (a temporary name: the caller renames it when ffmpeg succeeded). */
  output: string;
  preset?: string;
  crf?: number;
  /** Write `key=value` progress lines to stdout (ffmpeg -progress pipe:1), for the progress readout. */
  progress?: boolean;
};

/**
 * The ffmpeg argv (without the ffmpeg path): the first video stream re-encoded to H.264 High, 8-bit 4:2:0 (Main 10
 * sources too: browsers play no High 10), the first sound stream copied if there is one, MP4 with moov first. The
 * output format is given (-f mp4) because the temporary name has no .mp4 ending.
 */
export function buildH264CopyArgs(options: H264CopyOptions): string[] {
  return [
    "-hide_banner",
    "-nostdin",
    "-loglevel",
    "error",
    ...(options.progress ? ["-nostats", "-progress", "pipe:1"] : []),
    "-i",
    options.input,
    "-map",
    "0:v:0",
    "-map",
    "0:a:0?",
    "-c:v",
    "libx264",
    "-preset",
    options.preset ?? H264_COPY_PRESET,
    "-crf",
    String(options.crf ?? H264_COPY_CRF),
    "-pix_fmt",
    "yuv420p",
    "-profile:v",
    "high",
    "-c:a",
    "copy",
    "-movflags",
    "+faststart",
    "-f",
    "mp4",
    options.output,
  ];
}

/**
 * The position reached, in ms, from a chunk of `-progress` output ("out_time_us=…" lines; "out_time_ms" is µs too in
 * ffmpeg 5.1), the last one in the chunk; null when the chunk has none (or only "N/A").
 */
export function parseProgressMs(chunk: string): number | null {
  let found: number | null = null;
  for (const m of chunk.matchAll(/^out_time_(?:us|ms)=(\d+)\s*$/gm)) found = Math.floor(Number(m[1]) / 1000);
  return found;
}

export class H264CopyError extends Error {
  override name = "H264CopyError";
}

/**
 * Runs the transcode to `output`; resolves when ffmpeg exited 0, rejects with ffmpeg's last words otherwise (or when it
 * runs longer than `timeoutMs`, or the signal aborts it: then it is killed). `onProgress` gets the position in ms.
 */
export function runH264Copy(ffmpegPath: string, options: Omit<H264CopyOptions, "progress"> & { timeoutMs: number; onProgress?: (ms: number) => void; signal?: AbortSignal }): Promise<void> {
  return new Promise((resolve, reject) => {
    const cmd = withParentDeathSignal(ffmpegPath, buildH264CopyArgs({ ...options, progress: true }));
    const child = killOnExit(spawn(cmd.file, cmd.args, { stdio: ["ignore", "pipe", "pipe"] }));
    try {
      if (child.pid) os.setPriority(child.pid, H264_COPY_NICENESS);
    } catch {
      /* not permitted here: runs at normal priority */
    }
    const stderr = tailStderr(child.stderr, 2000);
    let lastChunk = "";
    child.stdout.on("data", (d: Buffer) => {
      const text = lastChunk + d.toString("utf8");
      const cut = text.lastIndexOf("\n");
      lastChunk = text.slice(cut + 1);
      const ms = parseProgressMs(text.slice(0, cut + 1));
      if (ms !== null) options.onProgress?.(ms);
    });
    const kill = (why: string) => {
      stderr.note(why);
      child.kill("SIGKILL");
    };
    const timer = setTimeout(() => kill(`killed after ${options.timeoutMs} ms`), options.timeoutMs);
    const onAbort = () => kill("aborted");
    options.signal?.addEventListener("abort", onAbort, { once: true });
    const done = () => {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
    };
    child.on("error", (e) => {
      done();
      reject(new H264CopyError(`ffmpeg could not run: ${e.message}`));
    });
    child.on("close", (code, signal) => {
      done();
      if (code === 0) resolve();
      else reject(new H264CopyError(`ffmpeg exited ${code ?? signal}: ${stderr.lastLines(3)}`));
    });
  });
}
