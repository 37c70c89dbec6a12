// A still picture from a camera, now: one frame of the stream as JPEG (zone editor background, snapshot button).
// ffmpeg is run by lib/ffmpeg/snapshot.ts; here its failure becomes the camera error a person can act on.
import { AppError, type ErrorCode } from "../errors";
import { runSnapshot, SNAPSHOT_TIMEOUT_MS, SnapshotError, type SnapshotProblem } from "../ffmpeg/snapshot";

const ERROR_OF: Record<SnapshotProblem, ErrorCode> = {
  cannot_run: "camera_probe_failed",
  auth_failed: "camera_auth_failed",
  unreachable: "camera_unreachable",
  timeout: "camera_timeout",
};

export async function grabSnapshot(ffmpegPath: string, url: string, timeoutMs = SNAPSHOT_TIMEOUT_MS): Promise<Buffer> {
  try {
    return await runSnapshot(ffmpegPath, url, timeoutMs);
  } catch (err) {
    if (err instanceof SnapshotError) throw new AppError(ERROR_OF[err.problem], { detail: err.detail });
    throw err;
  }
}
