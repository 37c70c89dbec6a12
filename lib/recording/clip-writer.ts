// Writing a clip: the planned fMP4 segments (the run's init segment and its media segments) are remuxed in this process
// into an MP4 with the index in front (lib/mp4/remux.ts: a byte-level copy of the samples, ~7 ms of CPU for 20 s of
// 1080p against ~110 ms for an ffmpeg -c copy started per clip; self-contained segments without an init, such as
// MPEG-TS, still go through ffmpeg) under a temporary name; the result is checked in-process (complete boxes, H.264 or H.265,
// moov before mdat, duration within one frame of the plan), fsynced and renamed into place. Any failure removes the temporary file, so a clip file that exists is
// a good clip. Also the clip file names and the clean-up of temporary files after a crash.
import { spawn } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import path from "node:path";
import { killOnExit } from "../ffmpeg/children";
import { redactUrls } from "../ffmpeg/redact";
import { bufferSource, findPath, listBoxes, withFileSource } from "./video-format";
import { mediaDayDir } from "../data-dir";
import { remuxFragmentedToMp4 } from "../mp4/remux";
import { Mp4FormatError } from "../mp4/boxes";

/** A clip cut must finish within this long (30 s of 1080p takes ≈ 0.2 s), in ms. */
export const CLIP_WRITE_TIMEOUT_MS = 15_000;
/** Used for the ±1 frame duration check when the index gives no frame duration, in ms (25 fps). */
const FALLBACK_FRAME_MS = 40;
/** A clip's index is a few KB per minute of video; anything beyond this is not one of our clips, bytes. */
const MAX_MOOV_BYTES = 64 * 1024 * 1024;

export type ClipProblem = "segment_missing" | "ffmpeg_failed" | "remux_failed" | "timeout" | "verify_failed";

export class ClipWriteError extends Error {
  constructor(
    readonly problem: ClipProblem,
    readonly detail: string,
  ) {
    super(`${problem}: ${detail}`);
  }
}

export type ClipSegment = { file: string; durationMs: number };

export type WriteClipOptions = {
  /** In order, from one ffmpeg run. */
  segments: readonly ClipSegment[];
  /** The run's fMP4 init segment (omit for self-contained segments such as MPEG-TS). */
  initSegment?: string;
  outFile: string;
  ffmpegPath?: string;
  timeoutMs?: number;
};

/**
 * Wall-clock time of each step of a clip write (ms): waiting for input files, the cut, the check, fsync + rename; and
 * this process's CPU from the start of the cut to the end of the check (ms; an upper bound: other work the process did
 * meanwhile counts too), for the benchmark's CPU per event. An ffmpeg cut's own CPU is its child's, not counted here.
 */
export type ClipWriteTimings = { openMs: number; cutMs: number; verifyMs: number; syncMs: number; cpuMs: number };
/** A written clip: its size, its video's codec and length, its sound's codec and length (null: no sound track), ms. */
export type WrittenClip = { bytes: number; durationMs: number; videoCodec: string; audioMs: number | null; audioCodec: string | null; timings?: ClipWriteTimings };

/** The ffmpeg argv of a clip cut: input on stdin (the segments back to back), copied into a faststart MP4. */
export function clipArgs(tempFile: string, inputFormat: "mp4" | null): string[] {
  return ["-hide_banner", "-nostdin", "-loglevel", "error", ...(inputFormat ? ["-f", inputFormat] : []), "-i", "pipe:0", "-map", "0", "-c", "copy", "-movflags", "+faststart", "-f", "mp4", "-y", tempFile];
}

export function tempFileFor(outFile: string, pid = process.pid): string {
  return `${outFile}.tmp-${pid}.mp4`;
}

/**
 * Writes one clip. The segment files are opened before ffmpeg starts: a segment that ffmpeg's ingest deletes while
 * the cut runs stays readable through its open descriptor, and one already gone fails fast (segment_missing).
 */
export async function writeClip(options: WriteClipOptions): Promise<WrittenClip> {
  if (!options.segments.length) throw new ClipWriteError("segment_missing", "no segments");
  const temp = tempFileFor(options.outFile);
  const t0 = performance.now();
  if (options.initSegment) return writeRemuxedClip({ ...options, initSegment: options.initSegment }, temp, t0);
  const inputs = options.segments.map((s) => s.file);
  const handles: fs.promises.FileHandle[] = [];
  try {
    for (const file of inputs) {
      try {
        handles.push(await fs.promises.open(file, "r"));
      } catch (err) {
        throw new ClipWriteError("segment_missing", `${path.basename(file)}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
      }
    }
    await fs.promises.mkdir(path.dirname(options.outFile), { recursive: true });
    const t1 = performance.now();
    const cpu0 = process.cpuUsage();
    await runCut(options.ffmpegPath ?? "ffmpeg", clipArgs(temp, null), handles, options.timeoutMs ?? CLIP_WRITE_TIMEOUT_MS);
    return await checkAndPlace(temp, options, t0, t1, performance.now(), cpu0);
  } catch (err) {
    await fs.promises.rm(temp, { force: true });
    throw err;
  } finally {
    await Promise.all(handles.map((h) => h.close().catch(() => undefined)));
  }
}

/** fMP4 segments with their init: remuxed in this process (see the file comment). */
async function writeRemuxedClip(options: WriteClipOptions & { initSegment: string }, temp: string, t0: number): Promise<WrittenClip> {
  try {
    await fs.promises.mkdir(path.dirname(options.outFile), { recursive: true });
    const t1 = performance.now();
    const cpu0 = process.cpuUsage();
    try {
      await remuxFragmentedToMp4({ init: options.initSegment, segments: options.segments.map((s) => s.file), outFile: temp, signal: AbortSignal.timeout(options.timeoutMs ?? CLIP_WRITE_TIMEOUT_MS) });
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (e?.code === "ENOENT") throw new ClipWriteError("segment_missing", `${path.basename(e.path ?? "")}: ENOENT`);
      if (e?.name === "TimeoutError" || e?.name === "AbortError") throw new ClipWriteError("timeout", `no result within ${options.timeoutMs ?? CLIP_WRITE_TIMEOUT_MS} ms`);
      if (err instanceof Mp4FormatError) throw new ClipWriteError("remux_failed", err.message);
      throw err;
    }
    return await checkAndPlace(temp, options, t0, t1, performance.now(), cpu0);
  } catch (err) {
    await fs.promises.rm(temp, { force: true });
    throw err;
  }
}

/** The written temp file checked (as long as planned, index in front), made durable and renamed into place. */
async function checkAndPlace(temp: string, options: WriteClipOptions, t0: number, t1: number, t2: number, cpu0: NodeJS.CpuUsage): Promise<WrittenClip> {
  const expectedMs = options.segments.reduce((sum, s) => sum + s.durationMs, 0);
  const verified = await verifyClip(temp, expectedMs);
  const t3 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  const fh = await fs.promises.open(temp, "r+");
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
  await fs.promises.rename(temp, options.outFile);
  await syncDir(path.dirname(options.outFile));
  return { ...verified, timings: { openMs: t1 - t0, cutMs: t2 - t1, verifyMs: t3 - t2, syncMs: performance.now() - t3, cpuMs: (cpu.user + cpu.system) / 1000 } };
}

function runCut(ffmpegPath: string, args: string[], inputs: fs.promises.FileHandle[], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = killOnExit(spawn(ffmpegPath, args, { stdio: ["pipe", "ignore", "pipe"] }));
    let stderr = "";
    let isTimedOut = false;
    child.stderr.on("data", (d: Buffer) => {
      if (stderr.length < 4000) stderr += d.toString();
    });
    const timer = setTimeout(() => {
      isTimedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    // ffmpeg may stop reading early on bad input: its exit code tells, so a broken pipe here is not the error.
    child.stdin.on("error", () => undefined);
    // The files one after another into stdin (one pipe: a pipeline per file would stack listeners on it).
    const stop = new AbortController();
    (async () => {
      for (const h of inputs) {
        for await (const chunk of h.createReadStream({ start: 0, autoClose: false, signal: stop.signal })) {
          if (!child.stdin.write(chunk)) await once(child.stdin, "drain", { signal: stop.signal });
        }
      }
      child.stdin.end();
    })().catch(() => child.stdin.destroy());
    child.on("error", (err) => {
      clearTimeout(timer);
      stop.abort();
      reject(new ClipWriteError("ffmpeg_failed", err.message));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      stop.abort();
      if (isTimedOut) reject(new ClipWriteError("timeout", `no result within ${timeoutMs} ms`));
      else if (code !== 0) reject(new ClipWriteError("ffmpeg_failed", redactUrls(stderr.trim().split("\n").slice(-3).join(" | ") || `exit ${code ?? signal}`)));
      else resolve();
    });
  });
}

/** The top-level MP4 boxes of a file, in order (reads only their headers). */
export async function readTopLevelBoxes(file: string): Promise<string[]> {
  return withFileSource(file, (src) => listBoxes(src, 0, src.size).map((b) => b.type));
}

/** One track of a clip as its index describes it: codec, length (tkhd, with its edits) and the average sample. */
export type TrackSummary = { codec: string | null; durationMs: number | null; frameMs: number | null };
/** What the clip check needs from an MP4's index: the movie's length and the first video and audio tracks. */
export type Mp4Summary = { durationMs: number | null; video: TrackSummary | null; audio: TrackSummary | null };

/** The video codecs a clip may hold: what the MP4 players of every household browser or app can be given. */
export const RECORDABLE_VIDEO_CODECS = ["h264", "hevc"] as const;

const SAMPLE_ENTRY_CODECS: Record<string, string> = { avc1: "h264", avc3: "h264", hvc1: "hevc", hev1: "hevc", mp4a: "aac" };

/** mvhd / mdhd: [timescale, duration] (version 0: 32-bit times, version 1: 64-bit). */
function timescaleAndDuration(buf: Buffer, body: number): [number, number] {
  return buf[body] === 1 ? [buf.readUInt32BE(body + 20), Number(buf.readBigUInt64BE(body + 24))] : [buf.readUInt32BE(body + 12), buf.readUInt32BE(body + 16)];
}

/** tkhd: the track's duration in the movie's timescale, edits included (version 0: 32-bit, version 1: 64-bit). */
function tkhdDuration(buf: Buffer, body: number): number {
  return buf[body] === 1 ? Number(buf.readBigUInt64BE(body + 28)) : buf.readUInt32BE(body + 20);
}

/**
 * Pure: reads the `moov` box's payload (`moov` = its bytes without the 8-byte header), walking it with the recorder's
 * MP4 box reader (lib/recording/video-format.ts). Movie length from mvhd; per track (the first video and the first audio
 * track): codec from the sample entry (stsd), length from tkhd in the movie's timescale, and the average sample from
 * the mdhd duration over the stts sample count.
 */
export function summarizeMoov(moov: Buffer): Mp4Summary {
  const summary: Mp4Summary = { durationMs: null, video: null, audio: null };
  const src = bufferSource(moov);
  try {
    const mvhd = findPath(src, ["mvhd"]);
    const [movieScale, movieDuration] = mvhd ? timescaleAndDuration(moov, mvhd.body) : [0, 0];
    if (movieScale > 0) summary.durationMs = (movieDuration * 1000) / movieScale;
    for (const trak of listBoxes(src, 0, moov.length)) {
      if (trak.type !== "trak") continue;
      const hdlr = findPath(src, ["mdia", "hdlr"], trak);
      const handler = hdlr ? moov.toString("latin1", hdlr.body + 8, hdlr.body + 12) : null;
      const kind = handler === "vide" ? "video" : handler === "soun" ? "audio" : null;
      if (!kind || summary[kind]) continue;
      const track: TrackSummary = { codec: null, durationMs: null, frameMs: null };
      summary[kind] = track;
      const tkhd = findPath(src, ["tkhd"], trak);
      const mdhd = findPath(src, ["mdia", "mdhd"], trak);
      const stsd = findPath(src, ["mdia", "minf", "stbl", "stsd"], trak);
      const stts = findPath(src, ["mdia", "minf", "stbl", "stts"], trak);
      if (tkhd && movieScale > 0) track.durationMs = (tkhdDuration(moov, tkhd.body) * 1000) / movieScale;
      if (stsd && moov.readUInt32BE(stsd.body + 4) > 0) {
        const fourcc = moov.toString("latin1", stsd.body + 12, stsd.body + 16);
        track.codec = SAMPLE_ENTRY_CODECS[fourcc] ?? fourcc;
      }
      if (mdhd && stts) {
        // The average sample: the track's media duration over its sample count (stts: entry count, then count/delta pairs).
        const [scale, duration] = timescaleAndDuration(moov, mdhd.body);
        const entries = moov.readUInt32BE(stts.body + 4);
        let samples = 0;
        for (let i = 0; i < entries; i++) samples += moov.readUInt32BE(stts.body + 8 + i * 8);
        if (scale > 0 && samples > 0 && duration > 0) track.frameMs = (duration * 1000) / scale / samples;
      }
    }
  } catch {
    /* a field past the end of a truncated box: what was read so far */
  }
  return summary;
}

export type ClipVerdict = { durationMs: number; videoCodec: string; audioMs: number | null; audioCodec: string | null } | { problem: string };

/**
 * Pure: the verdict on the index summary and the box order. The clip's length is its video track's (a sound track may
 * end up to one audio frame apart: it is reported, not judged, so sound never costs the video). Returns the video's
 * and the sound's length in ms, or the reason the clip is bad.
 */
export function judgeClip(summary: Mp4Summary, boxes: string[], expectedMs: number): ClipVerdict {
  const video = summary.video;
  if (video?.codec == null) return { problem: "no video stream" };
  if (!(RECORDABLE_VIDEO_CODECS as readonly string[]).includes(video.codec)) return { problem: `codec ${video.codec} cannot be recorded (H.264 or H.265 only)` };
  const moov = boxes.indexOf("moov");
  const mdat = boxes.indexOf("mdat");
  if (moov === -1 || mdat === -1 || moov > mdat) return { problem: `index not in front: ${boxes.join(",")}` };
  const durationMs = video.durationMs ?? summary.durationMs;
  if (durationMs === null || !Number.isFinite(durationMs)) return { problem: "no duration" };
  const frameMs = video.frameMs ?? FALLBACK_FRAME_MS;
  if (Math.abs(durationMs - expectedMs) > frameMs + 0.5) return { problem: `duration ${durationMs.toFixed(1)} ms, planned ${expectedMs.toFixed(1)} ms` };
  const round = (ms: number) => Math.round(ms * 1000) / 1000;
  const audio = summary.audio;
  return { durationMs: round(durationMs), videoCodec: video.codec, audioMs: audio?.durationMs != null ? round(audio.durationMs) : null, audioCodec: audio?.codec ?? null };
}

/**
 * Checks the written clip in this process (no ffprobe: its start-up was ~0.2 s of every clip's latency on a busy
 * machine): the top-level boxes end exactly at the file's end (nothing truncated), the index is in front, the video is
 * H.264 or H.265 and as long as planned within one frame.
 */
export async function verifyClip(file: string, expectedMs: number): Promise<WrittenClip> {
  return withFileSource(file, (src) => {
    const boxes = listBoxes(src, 0, src.size);
    const names = boxes.map((b) => b.type);
    // listBoxes stops at a box that runs past the end: the boxes must end exactly where the file does.
    if ((boxes.at(-1)?.end ?? 0) !== src.size) throw new ClipWriteError("verify_failed", `the boxes do not cover the file: ${boxes.map((b) => `${b.type}@${b.start}+${b.end - b.start}`).join(",")} of ${src.size}`);
    const moovBox = boxes.find((b) => b.type === "moov");
    if (!moovBox) throw new ClipWriteError("verify_failed", `no index (moov): ${names.join(",")}`);
    if (moovBox.end - moovBox.start > MAX_MOOV_BYTES) throw new ClipWriteError("verify_failed", `index of ${moovBox.end - moovBox.start} bytes`);
    const payload = src.read(moovBox.body, moovBox.end - moovBox.body);
    const verdict = judgeClip(summarizeMoov(Buffer.from(payload.buffer, payload.byteOffset, payload.length)), names, expectedMs);
    if ("problem" in verdict) throw new ClipWriteError("verify_failed", verdict.problem);
    return { bytes: src.size, ...verdict };
  });
}

/** Makes a rename durable (the directory entry); a no-op where directories cannot be fsynced. */
async function syncDir(dir: string): Promise<void> {
  let fh: fs.promises.FileHandle | null = null;
  try {
    fh = await fs.promises.open(dir, "r");
    await fh.sync();
  } catch {
    /* not supported on this platform or file system */
  } finally {
    await fh?.close();
  }
}

const SAFE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * `<dataDir>/media/<cameraId>/<yyyy>/<mm>/<dd>/<HHMMSS>-<eventId>-<seq>.mp4`, from the clip's start, in UTC: a local
 * time has an hour that happens twice in autumn and one that never happens in spring (names would collide or sort out
 * of order), the server's zone can change, and each member sees times in their own zone anyway (like the database).
 */
export function clipFilePath(input: { dataDir: string; cameraId: string; eventId: string; seq: number; startMs: number }): string {
  if (!SAFE_ID.test(input.cameraId)) throw new RangeError("cameraId must be 1-64 of [A-Za-z0-9_-]");
  if (!SAFE_ID.test(input.eventId)) throw new RangeError("eventId must be 1-64 of [A-Za-z0-9_-]");
  if (!Number.isInteger(input.seq) || input.seq < 0) throw new RangeError("seq must be an integer ≥ 0");
  if (!Number.isFinite(input.startMs)) throw new RangeError("startMs must be a time");
  const start = new Date(input.startMs);
  const hhmmss = start.toISOString().slice(11, 19).replaceAll(":", ""); // 2026-11-22T03:35:00.777Z → 033500
  return path.join(mediaDayDir(input.dataDir, input.cameraId, start), `${hhmmss}-${input.eventId}-${input.seq}.mp4`);
}
