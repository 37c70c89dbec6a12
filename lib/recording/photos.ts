// The event photo: one JPEG of the frame with the most motion, taken from the finished clip, plus a thumbnail.
// Both are written under temporary names and renamed when complete (like clips).
import { spawn } from "node:child_process";
import fs from "node:fs";
import { killOnExit } from "../ffmpeg/children";
import { tailStderr } from "../ffmpeg/stderr-tail";

/** Width of the thumbnail in pixels (height follows the picture's aspect ratio, even). */
export const THUMB_WIDTH = 320;
/** JPEG quality for ffmpeg's mjpeg encoder: 2 (best) … 31; 4 keeps a 1080p photo around 150–300 KB. */
const JPEG_QUALITY = 4;

/** Width and height of a baseline or progressive JPEG, read from its SOF marker. */
export function jpegSize(buf: Buffer): { width: number; height: number } | null {
  if (buf.length < 4 || buf[0] !== 0xff || buf[1] !== 0xd8) return null;
  let i = 2;
  while (i + 9 < buf.length) {
    if (buf[i] !== 0xff) return null;
    const marker = buf[i + 1];
    const length = buf.readUInt16BE(i + 2);
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: buf.readUInt16BE(i + 5), width: buf.readUInt16BE(i + 7) };
    }
    i += 2 + length;
  }
  return null;
}

function run(ffmpegPath: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = killOnExit(spawn(ffmpegPath, args, { stdio: ["ignore", "ignore", "pipe"] }));
    const stderr = tailStderr(p.stderr);
    p.on("error", reject);
    p.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg exit ${code}: ${stderr.text.trim()}`))));
  });
}

export type PhotoFile = { bytes: number; width: number; height: number };

/**
 * argv for the photo and its thumbnail from one decoded frame (split into two outputs): the keyframe at or before
 * `offsetMs` (at most one GOP, 1–2 s, earlier). Only that frame is decoded (`-skip_frame nokey`, no accurate seek):
 * decoding the GOP up to the exact moment at 1080p was most of an event's CPU. The keyframe's time lies before the
 * seek point, so the frame rate logic must pass it through instead of dropping it (`-fps_mode passthrough`, ffmpeg 5.1).
 * One thread: for one frame, starting a decoder and filter thread per core costs more than it saves (-22 % CPU measured).
 * `exact`: the frame at `offsetMs` itself (accurate seek: the GOP is decoded up to it), for an event photo the detection
 * boxes are drawn on (they were found on that moment's frame; a keyframe up to a second earlier shows people elsewhere).
 */
export function photoPairArgs(clipFile: string, offsetMs: number, photoFile: string, thumbFile: string, opts: { exact?: boolean } = {}): string[] {
  return [
    "-v", "error", "-y",
    ...(opts.exact ? [] : ["-skip_frame", "nokey", "-noaccurate_seek"]), "-threads", "1",
    "-ss", (Math.max(0, offsetMs) / 1000).toFixed(3),
    "-i", clipFile,
    "-filter_complex_threads", "1",
    "-filter_complex", `[0:v]split=2[full][small];[small]scale=${THUMB_WIDTH}:-2[thumb]`,
    "-map", "[full]", "-frames:v", "1", "-fps_mode", "passthrough", "-q:v", String(JPEG_QUALITY), "-f", "image2", "-c:v", "mjpeg", photoFile,
    "-map", "[thumb]", "-frames:v", "1", "-fps_mode", "passthrough", "-q:v", String(JPEG_QUALITY), "-f", "image2", "-c:v", "mjpeg", thumbFile,
  ];
}

function readJpeg(file: string): PhotoFile {
  const buf = fs.readFileSync(file);
  const size = jpegSize(buf);
  if (!size) throw new Error("ffmpeg wrote no JPEG");
  return { bytes: buf.length, ...size };
}

/**
 * Writes the photo and its thumbnail from the frame at `offsetMs` into the clip, with one decode (a 1080p decode from
 * the previous keyframe is most of the cost). Temp names first, renamed when both are complete.
 */
export async function writeEventPhoto(ffmpegPath: string, clipFile: string, offsetMs: number, photoFile: string, thumbFile: string, opts: { exact?: boolean } = {}) {
  const tmpPhoto = `${photoFile}.tmp-${process.pid}.jpg`;
  const tmpThumb = `${thumbFile}.tmp-${process.pid}.jpg`;
  try {
    await run(ffmpegPath, photoPairArgs(clipFile, offsetMs, tmpPhoto, tmpThumb, opts));
    const photo = readJpeg(tmpPhoto);
    const thumb = readJpeg(tmpThumb);
    fs.renameSync(tmpPhoto, photoFile);
    fs.renameSync(tmpThumb, thumbFile);
    return { photo, thumb };
  } finally {
    fs.rmSync(tmpPhoto, { force: true });
    fs.rmSync(tmpThumb, { force: true });
  }
}
