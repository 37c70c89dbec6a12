// Where a camera's live stream comes from (pure). The recorder already copies the main stream of every camera it
// records into $DATA_DIR/live/<camera>/<run>/: the live view serves those files and starts nothing. Everything else (a
// sub stream, or the main stream of a camera that is not recorded) is ingested on request by the web process.
import type { LiveStream } from "./paths";

export type LiveCamera = { isEnabled: boolean; recordingEnabled: boolean; privacyMode: boolean; mainStreamUrl: string; subStreamUrl: string | null };

export type LiveSource =
  | { kind: "recorder" }
  /** `stream` is what is ingested: "main" when a sub stream was asked for but the camera has none. */
  | { kind: "on-request"; stream: LiveStream; url: string };

/** The recorder pool's rule (lib/recording/recorder-pool.ts): these cameras have a running main-stream ingest. */
export function isRecorded(camera: Pick<LiveCamera, "isEnabled" | "recordingEnabled" | "privacyMode">): boolean {
  return camera.isEnabled && camera.recordingEnabled && !camera.privacyMode;
}

/** The stream URL returned is without credentials. */
export function chooseLiveSource(camera: LiveCamera, stream: LiveStream): LiveSource {
  const wantsMain = stream === "main" || camera.subStreamUrl === null;
  if (wantsMain) return isRecorded(camera) ? { kind: "recorder" } : { kind: "on-request", stream: "main", url: camera.mainStreamUrl };
  return { kind: "on-request", stream: "sub", url: camera.subStreamUrl as string };
}
