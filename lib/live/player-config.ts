// The live player's hls.js settings: used by the player (app/(app)/live/live-player.tsx) and by bench:live's bare
// hls.js page, so the benchmark's baseline plays with exactly the same settings. Plain data, no browser imports.
import type { HlsConfig } from "hls.js";

/**
 * Plain HLS with 1 s segments (one GOP each) and a 6-segment window. How far behind the newest segment's end the
 * player stays comes from the server: HOLD-BACK = 3 target durations where it offers blocking playlist reload (the
 * large view of a recorded camera), and hls.js's default of 3 target durations where the player polls (no
 * EXT-X-SERVER-CONTROL; lib/live/playlist.ts). So no liveSyncDuration here (it would override HOLD-BACK).
 * lowLatencyMode enables blocking reload and maxLiveSyncPlaybackRate in hls.js 1.7; our playlists have no LL-HLS
 * parts (ffmpeg 5.1 writes none). Falling behind the hold-back is caught up by playing at up to 1.2×.
 */
export const HLS_CONFIG: Partial<HlsConfig> = {
  lowLatencyMode: true,
  // No liveMaxLatencyDuration either: hls.js refuses it without liveSyncDuration. A player far behind catches up at
  // maxLiveSyncPlaybackRate; a hidden tab stops its players anyway.
  maxLiveSyncPlaybackRate: 1.2,
  // Start-up: the first fragment loads while the MediaSource still opens, and fMP4 passes through to MSE on the main
  // thread (remuxing nothing: a transmux worker would only add its own start-up time).
  startFragPrefetch: true,
  enableWorker: false,
  initialLiveManifestSize: 1,
  maxBufferLength: 4,
  backBufferLength: 4,
  // The first playlist request may wait up to 4 s while the server starts the camera's stream.
  manifestLoadPolicy: { default: { maxTimeToFirstByteMs: 8_000, maxLoadTimeMs: 10_000, timeoutRetry: { maxNumRetry: 1, retryDelayMs: 0, maxRetryDelayMs: 0 }, errorRetry: { maxNumRetry: 0, retryDelayMs: 0, maxRetryDelayMs: 0 } } },
  playlistLoadPolicy: { default: { maxTimeToFirstByteMs: 8_000, maxLoadTimeMs: 10_000, timeoutRetry: { maxNumRetry: 1, retryDelayMs: 0, maxRetryDelayMs: 0 }, errorRetry: { maxNumRetry: 2, retryDelayMs: 500, maxRetryDelayMs: 2_000 } } },
  fragLoadPolicy: { default: { maxTimeToFirstByteMs: 5_000, maxLoadTimeMs: 10_000, timeoutRetry: { maxNumRetry: 2, retryDelayMs: 0, maxRetryDelayMs: 0 }, errorRetry: { maxNumRetry: 2, retryDelayMs: 500, maxRetryDelayMs: 2_000 } } },
};
