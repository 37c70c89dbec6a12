// A still picture from a camera stream: one frame as JPEG. The argv builder is pure; runSnapshot runs it with a time
// limit and a size cap and says why it failed (lib/cameras/snapshot.ts turns that into the camera error for the UI).
import { spawn } from "node:child_process";
import { killOnExit } from "./children";
import { redactUrls } from "./redact";
import { tailStderr } from "./stderr-tail";

/** Longest a snapshot may take, ms. */
export const SNAPSHOT_TIMEOUT_MS = 8_000;
/** Largest JPEG we accept from ffmpeg, bytes. */
const MAX_JPEG_BYTES = 5 * 1024 * 1024;

export type SnapshotProblem = "cannot_run" | "auth_failed" | "unreachable" | "timeout";

export class SnapshotError extends Error {
  constructor(
    readonly problem: SnapshotProblem,
    /** ffmpeg's last words (credentials redacted), or why it could not run. */
    readonly detail: string,
  ) {
    super(`${problem}: ${detail}`);
  }
}

export function snapshotArgs(url: string, timeoutMs: number): string[] {
  return ["-hide_banner", "-nostdin", "-loglevel", "error", "-rtsp_transport", "tcp", "-timeout", String(timeoutMs * 1000), "-i", url, "-frames:v", "1", "-q:v", "4", "-f", "image2", "-c:v", "mjpeg", "pipe:1"];
}

/** One JPEG frame of `url` (credentials included); throws SnapshotError. */
export function runSnapshot(ffmpegPath: string, url: string, timeoutMs = SNAPSHOT_TIMEOUT_MS): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = killOnExit(spawn(ffmpegPath, snapshotArgs(url, timeoutMs), { stdio: ["ignore", "pipe", "pipe"] }));
    const chunks: Buffer[] = [];
    let size = 0;
    const stderr = tailStderr(child.stderr, 1000);
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs + 2_000);
    child.stdout.on("data", (d: Buffer) => {
      size += d.length;
      if (size > MAX_JPEG_BYTES) child.kill("SIGKILL");
      else chunks.push(d);
    });
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(new SnapshotError("cannot_run", e.message));
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      const jpeg = Buffer.concat(chunks);
      if (code === 0 && jpeg.length > 0 && jpeg[0] === 0xff && jpeg[1] === 0xd8) return resolve(jpeg);
      const detail = redactUrls(stderr.text.trim());
      reject(new SnapshotError(/401/.test(detail) ? "auth_failed" : /refused|unreachable/i.test(detail) ? "unreachable" : "timeout", detail));
    });
  });
}
