// The two ffmpeg commands that make a timelapse video (lib/timelapse/encode.ts runs them), pure and table-tested:
//   decode — one per run of frames in one codec: the frames' Annex B bytes on stdin (an all-intra h264/hevc stream),
//            each frame scaled into the video's picture (aspect kept, padded), raw yuv420p frames on stdout, one out
//            per one in (no frame rate conversion).
//   encode — raw yuv420p frames on stdin at the timelapse's rate → H.264 (libx264) in an MP4 with its index in front.
// The decoders' outputs are fed one after another into the one encoder, so frames of a camera that changed codec or
// picture size during the day still make one video. runTimelapseEncode runs the pipeline.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import { once } from "node:events";
import { killOnExit, withParentDeathSignal } from "./children";
import { tailStderr } from "./stderr-tail";

export type TimelapseDecodeOptions = { codec: "h264" | "hevc"; width: number; height: number };

export function buildTimelapseDecodeArgs(o: TimelapseDecodeOptions): string[] {
  const { width: w, height: h } = o;
  return [
    "-hide_banner", "-nostdin", "-loglevel", "error",
    "-f", o.codec, "-i", "pipe:0",
    "-map", "0:v:0",
    "-vf", `scale=${w}:${h}:force_original_aspect_ratio=decrease,pad=${w}:${h}:(ow-iw)/2:(oh-ih)/2,setsar=1,format=yuv420p`,
    "-fps_mode", "passthrough",
    "-f", "rawvideo", "-pix_fmt", "yuv420p", "pipe:1",
  ];
}

export type TimelapseEncodeOptions = { width: number; height: number; fps: number; preset: string; crf: number; output: string };

/** The output format is given (-f mp4) because the caller writes to a temporary name without the .mp4 ending. */
export function buildTimelapseEncodeArgs(o: TimelapseEncodeOptions): string[] {
  return [
    "-hide_banner", "-loglevel", "error",
    "-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", `${o.width}x${o.height}`, "-framerate", String(o.fps), "-i", "pipe:0",
    "-c:v", "libx264", "-preset", o.preset, "-crf", String(o.crf), "-profile:v", "high", "-pix_fmt", "yuv420p",
    "-movflags", "+faststart", "-f", "mp4", o.output,
  ];
}

/** Bytes of one raw yuv420p frame (what a decoder writes per frame). */
export const yuv420pFrameBytes = (width: number, height: number) => (width * height * 3) / 2;

export class TimelapseEncodeError extends Error {
  override name = "TimelapseEncodeError";
}

export type TimelapseRun = { codec: "h264" | "hevc"; files: string[] };

export type RunTimelapseEncodeOptions = Omit<TimelapseEncodeOptions, "output"> & {
  /** Runs of frame files (absolute paths), in time order; each run one codec. */
  runs: TimelapseRun[];
  /** Where to write the MP4 (a temporary name: the caller renames it). */
  output: string;
  /** Niceness of the ffmpeg processes (0 = as the caller). */
  niceness: number;
  signal?: AbortSignal;
};

/** What an encode produced: frames in the video, and frame files no decoder could read (skipped). */
export type TimelapseEncodeResult = { frames: number; unreadableFiles: number };

function lower(child: ChildProcess, niceness: number): void {
  try {
    if (child.pid && niceness > 0) os.setPriority(child.pid, niceness);
  } catch {
    /* not permitted here: runs at normal priority */
  }
}

/**
 * Decodes each run's frames and encodes them into one MP4 (see the top of this file). Frames a decoder cannot read
 * are skipped (the decoder goes on with the next); resolves with the frames written, rejects when the encoder fails,
 * no frame could be decoded, or the signal aborts (every ffmpeg is killed then).
 */
export async function runTimelapseEncode(ffmpegPath: string, o: RunTimelapseEncodeOptions): Promise<TimelapseEncodeResult> {
  const frameBytes = yuv420pFrameBytes(o.width, o.height);
  const enc = withParentDeathSignal(ffmpegPath, buildTimelapseEncodeArgs(o));
  const encoder = killOnExit(spawn(enc.file, enc.args, { stdio: ["pipe", "ignore", "pipe"] }));
  lower(encoder, o.niceness);
  const encoderErr = tailStderr(encoder.stderr!, 2000);
  const encoderDone = new Promise<number | string>((resolve) => {
    encoder.on("error", (e) => resolve(e.message));
    encoder.on("close", (code, signal) => resolve(code ?? String(signal)));
  });
  encoder.stdin!.on("error", () => undefined); // a dead encoder is reported by its exit
  let current: ChildProcess | null = null;
  const onAbort = () => {
    current?.kill("SIGKILL");
    encoder.kill("SIGKILL");
  };
  o.signal?.addEventListener("abort", onAbort, { once: true });
  let decodedBytes = 0;
  let unreadableFiles = 0;
  try {
    for (const run of o.runs) {
      if (o.signal?.aborted) break;
      const dec = withParentDeathSignal(ffmpegPath, buildTimelapseDecodeArgs({ codec: run.codec, width: o.width, height: o.height }));
      const decoder = killOnExit(spawn(dec.file, dec.args, { stdio: ["pipe", "pipe", "pipe"] }));
      current = decoder;
      lower(decoder, o.niceness);
      const decoderErr = tailStderr(decoder.stderr!, 2000);
      decoder.stdout!.on("data", (d: Buffer) => (decodedBytes += d.length));
      decoder.stdout!.pipe(encoder.stdin!, { end: false });
      decoder.stdin!.on("error", () => undefined);
      const closed = new Promise<void>((resolve) => decoder.on("close", () => resolve()));
      const before = decodedBytes;
      let sent = 0;
      for (const file of run.files) {
        if (o.signal?.aborted) break;
        const data = await fs.readFile(file).catch(() => null);
        if (!data) {
          unreadableFiles++;
          continue;
        }
        sent++;
        if (!decoder.stdin!.write(data)) await Promise.race([once(decoder.stdin!, "drain"), closed]);
        if (decoder.exitCode !== null) break;
      }
      decoder.stdin!.end();
      await closed;
      decoder.stdout!.unpipe(encoder.stdin!);
      const decoded = Math.floor((decodedBytes - before) / frameBytes);
      if (decoded < sent) unreadableFiles += sent - decoded;
      if (decoded === 0 && sent) decoderErr.note("no frame of this run decoded");
    }
    encoder.stdin!.end();
    const exit = await encoderDone;
    if (o.signal?.aborted) throw new TimelapseEncodeError("aborted");
    const frames = Math.floor(decodedBytes / frameBytes);
    if (frames === 0) throw new TimelapseEncodeError("no frame could be decoded");
    if (exit !== 0) throw new TimelapseEncodeError(`ffmpeg exited ${exit}: ${encoderErr.lastLines(3)}`);
    return { frames, unreadableFiles };
  } catch (err) {
    current?.kill("SIGKILL");
    encoder.kill("SIGKILL");
    throw err instanceof TimelapseEncodeError ? err : new TimelapseEncodeError(String(err));
  } finally {
    o.signal?.removeEventListener("abort", onAbort);
  }
}
