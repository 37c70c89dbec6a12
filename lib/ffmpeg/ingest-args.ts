// ffmpeg command lines of the ingest and the motion decoder, built by pure functions and table-tested: the ingest (-c copy
// into rolling fMP4 HLS segments; the recorder's, which clips and the live view read, and the live view's on-request
// one) and the sub-stream grey-frame decoder for motion.
import path from "node:path";

/** Names inside a run folder (one ffmpeg run's output). The live view serves these same files. */
export const PLAYLIST_NAME = "index.m3u8";
export const INIT_SEGMENT_NAME = "init.mp4";
export const SEGMENT_PATTERN = "seg-%d.m4s";
/** ffmpeg's RTSP socket timeout when none is given: a stalled camera makes ffmpeg exit after this long, in µs. */
export const DEFAULT_TIMEOUT_US = 5_000_000;

export type IngestOptions = {
  /** rtsp:// or rtsps:// URL with credentials (never log this argv without redactUrls). */
  inputUrl: string;
  /** A folder of its own for this ffmpeg run: a restart gets a new one (new init segment, numbering from 0). */
  outputDir: string;
  /** -hls_time, in s: see segmentSecondsFor(). */
  segmentSeconds: number;
  /** Segments kept in the playlist (and on disk, when ffmpeg deletes older ones): see playlistSizeFor(). */
  listSize: number;
  /**
   * ffmpeg deletes segments that leave the playlist (default). false: the caller deletes them (the recorder, whose
   * ring length follows the motion settings, which change without restarting ffmpeg).
   */
  deleteSegments?: boolean;
  /** RTSP socket I/O timeout in µs: a camera that stops sending makes ffmpeg exit after this long. */
  timeoutUs?: number;
  /** The camera's sound: soundModeFor(); default "none" (video only, the audio track is never read). */
  sound?: SoundMode;
  ffmpegLogLevel?: "error" | "warning" | "info";
};

/**
 * What the ingest does with a camera's sound: "none" (not mapped: never read, never stored), "copy" (AAC, which MP4
 * and every browser take as it is) or "aac" (converted: G.711 μ-law/A-law, G.726, Opus… — audio only, a few % of a
 * core at most; see README "Camera codecs").
 */
export type SoundMode = "none" | "copy" | "aac";

/** Bit rate of sound converted to AAC, bit/s: ample for a camera microphone's 8–16 kHz mono. */
export const CONVERTED_SOUND_BPS = 32_000;

/**
 * The sound mode for a camera: none unless the household turned "record sound" on; AAC is copied; any other codec,
 * or one not probed yet, is converted (copying an unknown codec could make segments no browser plays). Pure.
 */
export function soundModeFor(recordSound: boolean, audioCodec: string | null | undefined): SoundMode {
  if (!recordSound) return "none";
  return audioCodec === "aac" ? "copy" : "aac";
}

/** The stream mapping and codecs of an ingest: the first video stream copied, and the first sound stream if wanted and present (`?`). */
function streamArgs(sound: SoundMode): string[] {
  if (sound === "none") return ["-map", "0:v:0", "-c", "copy"];
  const audio = sound === "copy" ? ["-c:a", "copy"] : ["-c:a", "aac", "-b:a", String(CONVERTED_SOUND_BPS)];
  return ["-map", "0:v:0", "-map", "0:a:0?", "-c:v", "copy", ...audio];
}

/** "0.5", "1", "1.25": -hls_time without float noise. */
function seconds(s: number): string {
  return String(Math.round(s * 1000) / 1000);
}

/** The start of every RTSP-reading argv: quiet, no stdin, RTSP over TCP with a socket I/O timeout (µs). */
function rtspInputOptions(timeoutUs: number, logLevel: string): string[] {
  return ["-hide_banner", "-nostdin", "-loglevel", logLevel, "-rtsp_transport", "tcp", "-timeout", String(timeoutUs)];
}

function requirePositive(name: string, n: number, isInteger = false) {
  if (!Number.isFinite(n) || n <= 0 || (isInteger && !Number.isInteger(n))) throw new RangeError(`${name} must be a positive ${isInteger ? "integer" : "number"}`);
}

/**
 * The ingest argv (without the ffmpeg path). The video is copied, never re-encoded (and the sound only where
 * options.sound says), into fMP4 segments that each start
 * at a keyframe (ffmpeg cuts only at keyframes), an init segment, and a playlist rewritten atomically (temp_file) after
 * every completed segment, with EXT-X-PROGRAM-DATE-TIME for the wall clock.
 */
export function buildIngestArgs(options: IngestOptions): string[] {
  requirePositive("segmentSeconds", options.segmentSeconds);
  requirePositive("listSize", options.listSize, true);
  const timeoutUs = options.timeoutUs ?? DEFAULT_TIMEOUT_US;
  requirePositive("timeoutUs", timeoutUs, true);
  return [
    ...rtspInputOptions(timeoutUs, options.ffmpegLogLevel ?? "error"),
    "-i",
    options.inputUrl,
    ...streamArgs(options.sound ?? "none"),
    "-f",
    "hls",
    "-hls_segment_type",
    "fmp4",
    "-hls_time",
    seconds(options.segmentSeconds),
    "-hls_list_size",
    String(options.listSize),
    "-hls_flags",
    options.deleteSegments === false ? "independent_segments+program_date_time+temp_file" : "independent_segments+program_date_time+delete_segments+temp_file",
    "-hls_fmp4_init_filename",
    INIT_SEGMENT_NAME,
    "-hls_segment_filename",
    path.join(options.outputDir, SEGMENT_PATTERN),
    path.join(options.outputDir, PLAYLIST_NAME),
  ];
}

/** Keyframe interval assumed until measured (cameras default to 1–2 s); segments are one GOP each, ms. */
export const ASSUMED_KEYFRAME_MS = 1_000;

/** Segments of at least this length: shorter ones cost file churn and playlist rewrites for no gain, in ms. */
export const MIN_SEGMENT_MS = 1000;

/**
 * -hls_time for a camera's keyframe interval. ffmpeg cuts at the first keyframe at or after n × hls_time from the
 * run's start (cumulative), so a value of exactly one GOP sometimes misses a keyframe that arrives a little early and
 * makes a two-GOP segment. Half a GOP below the wanted length cuts at every wanted keyframe despite jitter; GOPs shorter
 * than MIN_SEGMENT_MS are grouped (k GOPs per segment, best effort).
 */
export function segmentSecondsFor(keyframeIntervalMs: number): number {
  requirePositive("keyframeIntervalMs", keyframeIntervalMs);
  if (keyframeIntervalMs >= MIN_SEGMENT_MS) return Math.round(keyframeIntervalMs / 2) / 1000;
  const gops = Math.ceil(MIN_SEGMENT_MS / keyframeIntervalMs);
  return Math.round(gops * keyframeIntervalMs) / 1000;
}

export type MotionDecodeOptions = {
  /** The sub stream URL with credentials. */
  inputUrl: string;
  /** Frames per second handed to the motion detector. */
  fps: number;
  width: number;
  height: number;
  timeoutUs?: number;
  /**
   * Object detection's frames as a second output on fd 3: `fps` frames per second (1–5) of the sub stream in colour,
   * at its own size but at most `maxWidth` pixels wide (even sizes, aspect kept), as binary PPM images back to back
   * (each carries its size, so a camera that changes resolution cannot misalign the stream). None: no second output.
   */
  detection?: { fps: number; maxWidth: number };
};

/** Bytes of one grey frame on the decoder's stdout. */
export function motionFrameBytes(options: Pick<MotionDecodeOptions, "width" | "height">): number {
  return options.width * options.height;
}

/**
 * The motion decoder argv: decodes the sub stream on one thread (without the deblocking filter), keeps `fps` frames per second, shrinks them with an
 * area filter (averaging, so sensor noise cancels instead of aliasing) to width × height 8-bit grey, and writes raw
 * frames to stdout back to back (motionFrameBytes each).
 */
export function buildMotionDecodeArgs(options: MotionDecodeOptions): string[] {
  requirePositive("fps", options.fps);
  requirePositive("width", options.width, true);
  requirePositive("height", options.height, true);
  const timeoutUs = options.timeoutUs ?? DEFAULT_TIMEOUT_US;
  requirePositive("timeoutUs", timeoutUs, true);
  const motion = `fps=${options.fps},scale=${options.width}:${options.height}:flags=area,format=gray`;
  if (options.detection) {
    const { fps, maxWidth } = options.detection;
    requirePositive("detection fps", fps);
    requirePositive("detection maxWidth", maxWidth, true);
    return [
      ...rtspInputOptions(timeoutUs, "error"),
      "-threads",
      "1",
      // The detector needs the picture as the camera sent it: no skipped deblocking (blocky edges cost detections).
      "-i",
      options.inputUrl,
      "-an",
      "-filter_complex",
      `[0:v:0]split=2[m][d];[m]${motion}[motion];[d]fps=${fps},scale='min(iw,${maxWidth})':-2:flags=bilinear,format=rgb24[detect]`,
      "-map",
      "[motion]",
      "-f",
      "rawvideo",
      "pipe:1",
      "-map",
      "[detect]",
      "-c:v",
      "ppm",
      "-f",
      "image2pipe",
      "pipe:3",
    ];
  }
  return [
    ...rtspInputOptions(timeoutUs, "error"),
    "-threads",
    "1",
    // The picture is shrunk to 64×36 grey: skipping the deblocking filter and allowing the decoder's non-conforming
    // shortcuts changes nothing at that size and cuts decode CPU (less contention = shorter onset latency).
    "-skip_loop_filter",
    "all",
    "-flags2",
    "+fast",
    "-i",
    options.inputUrl,
    "-map",
    "0:v:0",
    "-an",
    "-vf",
    motion,
    "-f",
    "rawvideo",
    "pipe:1",
  ];
}
