// Writing a clip: the planned segments are streamed into ffmpeg (-c copy) which writes an MP4 with the index in front
// (faststart) under a temporary name; the result is checked (H.264, moov before mdat, duration within one frame of
// the plan), fsynced and renamed into place. Any failure removes the temporary file, so a clip file that exists is
// a good clip. Also the clip file names and the clean-up of temporary files after a crash.
import { spawn } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import path from "node:path";
import { redactUrls } from "../cameras/stream-url";

/** A clip cut must finish within this long (30 s of 1080p takes ≈ 0.2 s), in ms. */
export const CLIP_WRITE_TIMEOUT_MS = 15_000;
/** Used for the ±1 frame duration check when ffprobe reports no frame rate, in ms (25 fps). */
const FALLBACK_FRAME_MS = 40;

export type ClipProblem = "segment_missing" | "ffmpeg_failed" | "timeout" | "verify_failed";

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
  ffprobePath?: string;
  timeoutMs?: number;
};

export type WrittenClip = { bytes: number; durationMs: number };

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
  const inputs = [...(options.initSegment ? [options.initSegment] : []), ...options.segments.map((s) => s.file)];
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
    await runCut(options.ffmpegPath ?? "ffmpeg", clipArgs(temp, options.initSegment ? "mp4" : null), handles, options.timeoutMs ?? CLIP_WRITE_TIMEOUT_MS);
    const expectedMs = options.segments.reduce((sum, s) => sum + s.durationMs, 0);
    const verified = await verifyClip(temp, expectedMs, options.ffprobePath ?? "ffprobe");
    const fh = await fs.promises.open(temp, "r+");
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fs.promises.rename(temp, options.outFile);
    await syncDir(path.dirname(options.outFile));
    return verified;
  } catch (err) {
    await fs.promises.rm(temp, { force: true });
    throw err;
  } finally {
    await Promise.all(handles.map((h) => h.close().catch(() => undefined)));
  }
}

function runCut(ffmpegPath: string, args: string[], inputs: fs.promises.FileHandle[], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpegPath, args, { stdio: ["pipe", "ignore", "pipe"] });
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

/** The first top-level MP4 boxes of a file, in order (reads only their headers). */
export async function readTopLevelBoxes(file: string, limit = 16): Promise<string[]> {
  const fh = await fs.promises.open(file, "r");
  try {
    const { size } = await fh.stat();
    const names: string[] = [];
    const head = Buffer.alloc(16);
    let at = 0;
    while (at + 8 <= size && names.length < limit) {
      await fh.read(head, 0, 16, at);
      let boxSize = head.readUInt32BE(0);
      names.push(head.toString("latin1", 4, 8));
      if (boxSize === 1) boxSize = Number(head.readBigUInt64BE(8));
      else if (boxSize === 0) boxSize = size - at;
      if (boxSize < 8) break;
      at += boxSize;
    }
    return names;
  } finally {
    await fh.close();
  }
}

type ProbeJson = { streams?: { codec_type?: string; codec_name?: string; avg_frame_rate?: string; r_frame_rate?: string }[]; format?: { duration?: string } };

/** Pure: the verdict on ffprobe's JSON and the box order. Returns the clip's duration in ms, or the reason it is bad. */
export function judgeClip(probe: ProbeJson, boxes: string[], expectedMs: number): { durationMs: number } | { problem: string } {
  const video = probe.streams?.find((s) => s.codec_type === "video");
  if (!video) return { problem: "no video stream" };
  if (video.codec_name !== "h264") return { problem: `codec ${video.codec_name ?? "unknown"}, expected h264` };
  const moov = boxes.indexOf("moov");
  const mdat = boxes.indexOf("mdat");
  if (moov === -1 || mdat === -1 || moov > mdat) return { problem: `index not in front: ${boxes.join(",")}` };
  const durationMs = Number(probe.format?.duration) * 1000;
  if (!Number.isFinite(durationMs)) return { problem: "no duration" };
  const [n, d] = (video.avg_frame_rate && video.avg_frame_rate !== "0/0" ? video.avg_frame_rate : (video.r_frame_rate ?? "")).split("/").map(Number);
  const frameMs = n > 0 && d > 0 ? (1000 * d) / n : FALLBACK_FRAME_MS;
  if (Math.abs(durationMs - expectedMs) > frameMs + 0.5) return { problem: `duration ${durationMs.toFixed(1)} ms, planned ${expectedMs.toFixed(1)} ms` };
  return { durationMs: Math.round(durationMs * 1000) / 1000 };
}

async function verifyClip(file: string, expectedMs: number, ffprobePath: string): Promise<WrittenClip> {
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(ffprobePath, ["-v", "error", "-show_entries", "stream=codec_type,codec_name,avg_frame_rate,r_frame_rate:format=duration", "-of", "json", file], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", (err) => reject(new ClipWriteError("verify_failed", err.message)));
    child.on("close", (code) => (code === 0 ? resolve(stdout) : reject(new ClipWriteError("verify_failed", stderr.trim() || `ffprobe exit ${code}`))));
  });
  let probe: ProbeJson;
  try {
    probe = JSON.parse(out) as ProbeJson;
  } catch {
    throw new ClipWriteError("verify_failed", "unreadable ffprobe output");
  }
  const verdict = judgeClip(probe, await readTopLevelBoxes(file), expectedMs);
  if ("problem" in verdict) throw new ClipWriteError("verify_failed", verdict.problem);
  const { size } = await fs.promises.stat(file);
  return { bytes: size, durationMs: verdict.durationMs };
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
  const iso = new Date(input.startMs).toISOString(); // 2026-11-22T03:35:00.777Z
  const [yyyy, mm, dd] = iso.slice(0, 10).split("-");
  const hhmmss = iso.slice(11, 19).replaceAll(":", "");
  return path.join(input.dataDir, "media", input.cameraId, yyyy, mm, dd, `${hhmmss}-${input.eventId}-${input.seq}.mp4`);
}
