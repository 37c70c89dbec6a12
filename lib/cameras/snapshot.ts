// Pictures of a camera leave the server only through the rule here: a disabled camera shows nothing (404), a camera in
// privacy mode shows nothing (409), whoever may otherwise see it. Every way to obtain a picture — the snapshot, the
// live playlist and its segments (lib/live), anything an integration adds — calls requirePictureAllowed, and
// takeSnapshot is the snapshot's whole path (access, state, ffmpeg). ffmpeg is run by lib/ffmpeg/snapshot.ts; here its
// failure becomes the camera error a person can act on.
import { AppError, type ErrorCode } from "../errors";
import type { Db } from "../db";
import { runSnapshot, SNAPSHOT_TIMEOUT_MS, SnapshotError, type SnapshotProblem } from "../ffmpeg/snapshot";
import { requireCameraAccess, type CameraViewer } from "./access";
import { cameraCredentials } from "./cameras";
import { withCredentials } from "./stream-url";

/** The state that decides whether any picture of a camera may be shown now. */
export type PictureState = { isEnabled: boolean; privacyMode: boolean };

/** Throws not_found for a disabled camera and privacy_mode (409) for one in privacy mode. */
export function requirePictureAllowed(camera: PictureState): void {
  if (!camera.isEnabled) throw new AppError("not_found");
  if (camera.privacyMode) throw new AppError("privacy_mode");
}

/**
 * A JPEG of the camera's main stream now, for a viewer who may see it, when pictures are allowed. Returns the
 * camera's name for the download name.
 */
export async function takeSnapshot(db: Db, viewer: CameraViewer, cameraId: string, options: { ffmpegPath: string; credentialsKey: Buffer }): Promise<{ jpeg: Buffer; cameraName: string }> {
  await requireCameraAccess(db, viewer, cameraId);
  const camera = await db.camera.findUnique({ where: { id: cameraId } });
  if (!camera) throw new AppError("not_found");
  requirePictureAllowed(camera);
  const jpeg = await grabSnapshot(options.ffmpegPath, withCredentials(camera.mainStreamUrl, cameraCredentials(camera, options.credentialsKey)));
  return { jpeg, cameraName: camera.name };
}

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
