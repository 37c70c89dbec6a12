// A still picture from a camera, now: one frame of the stream as JPEG (zone editor background, snapshot button).
import { spawn } from "node:child_process";
import { AppError } from "../errors";
import { redactUrls } from "./stream-url";

/** Longest a snapshot may take, ms. */
export const SNAPSHOT_TIMEOUT_MS = 8_000;
/** Largest JPEG we accept from ffmpeg, bytes. */
const MAX_JPEG_BYTES = 5 * 1024 * 1024;

export function snapshotArgs(url: string, timeoutMs: number): string[] {
  return ["-hide_banner", "-nostdin", "-loglevel", "error", "-rtsp_transport", "tcp", "-timeout", String(timeoutMs * 1000), "-i", url, "-frames:v", "1", "-q:v", "4", "-f", "image2", "-c:v", "mjpeg", "pipe:1"];
}

export function grabSnapshot(ffmpegPath: string, url: string, timeoutMs = SNAPSHOT_TIMEOUT_MS): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpegPath, snapshotArgs(url, timeoutMs), { stdio: ["ignore", "pipe", "pipe"] });
    const chunks: Buffer[] = [];
    let size = 0;
    let err = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs + 2_000);
    child.stdout.on("data", (d: Buffer) => {
      size += d.length;
      if (size > MAX_JPEG_BYTES) child.kill("SIGKILL");
      else chunks.push(d);
    });
    child.stderr.on("data", (d) => (err = (err + d).slice(-1000)));
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(new AppError("camera_probe_failed", { detail: e.message }));
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      const jpeg = Buffer.concat(chunks);
      if (code === 0 && jpeg.length > 0 && jpeg[0] === 0xff && jpeg[1] === 0xd8) return resolve(jpeg);
      const detail = redactUrls(err.trim());
      reject(new AppError(/401/.test(detail) ? "camera_auth_failed" : /refused|unreachable/i.test(detail) ? "camera_unreachable" : "camera_timeout", { detail }));
    });
  });
}
