// Adding a camera: probe what the admin gave (an RTSP URL, or an ONVIF device) and turn tool-level failures
// (ffprobe, ONVIF, discovery) into AppErrors with a message the admin can act on.
import { AppError } from "../errors";
import { isBrowserPlayable, ProbeError, runProbe, type ProbeResult } from "../ffmpeg/probe";
import { identifyCamera, isOnvifError } from "../onvif/client";
import { DiscoveryError } from "../discovery/ranges";
import type { CameraCredentials } from "./credentials";
import { normalizeStreamUrl } from "./cameras";
import { redactUrls } from "../ffmpeg/redact";
import { withCredentials } from "./stream-url";

/** How long probing a stream may take when adding a camera, in ms (connection) + measuring. */
export const ADD_PROBE_TIMEOUT_MS = 8_000;
export const ADD_MEASURE_SECONDS = 2;

/** Any error from the camera tools → AppError; others pass through. */
export function cameraError(err: unknown): unknown {
  if (err instanceof ProbeError) return new AppError(`camera_${err.problem}` as "camera_unreachable", { detail: redactUrls(err.detail) });
  if (isOnvifError(err)) {
    const map = { unreachable: "camera_unreachable", timeout: "camera_timeout", auth_failed: "camera_auth_failed", not_onvif: "not_onvif", bad_response: "camera_bad_response", too_large: "camera_bad_response" } as const;
    return new AppError(map[err.code], { detail: redactUrls(err.message) });
  }
  if (err instanceof DiscoveryError) return new AppError(err.code, {}, { range: err.code });
  return err;
}

export type StreamReport = ProbeResult & { url: string; playableInBrowser: boolean; credentialsInUrl: boolean };

/** Probes a stream URL (credentials from the URL or given separately) and reports what the camera sends. */
export async function probeCameraStream(ffprobePath: string, input: { url: string; credentials: CameraCredentials | null }, field = "url"): Promise<StreamReport> {
  const { url, credentials: inUrl } = normalizeStreamUrl(input.url, field);
  const credentials = inUrl ?? input.credentials;
  try {
    const result = await runProbe(ffprobePath, withCredentials(url, credentials), { timeoutMs: ADD_PROBE_TIMEOUT_MS, measureSeconds: ADD_MEASURE_SECONDS });
    return { ...result, url, playableInBrowser: isBrowserPlayable(result.video.codec), credentialsInUrl: inUrl !== null };
  } catch (err) {
    throw cameraError(err);
  }
}

/** Reads an ONVIF camera's identity, profiles and stream URIs with the admin's credentials. */
export async function identifyOnvifCamera(xaddr: string, credentials: CameraCredentials) {
  try {
    return await identifyCamera({ xaddr, username: credentials.username, password: credentials.password, timeoutMs: ADD_PROBE_TIMEOUT_MS });
  } catch (err) {
    throw cameraError(err);
  }
}
