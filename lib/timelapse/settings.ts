// Timelapse limits and defaults (issue #16 part 4). Pure. Units in the names: seconds, ms, pixels, frames per second.

/** Seconds between two frames of a camera's timelapse: allowed range and default (Camera.timelapseIntervalSeconds). */
export const TIMELAPSE_MIN_INTERVAL_S = 10;
export const TIMELAPSE_MAX_INTERVAL_S = 3_600;
export const TIMELAPSE_DEFAULT_INTERVAL_S = 60;
/** The intervals the camera form offers, seconds (the API takes any whole number in range). */
export const TIMELAPSE_INTERVAL_CHOICES_S = [10, 30, 60, 120, 300, 600, 1_800, 3_600] as const;

/** Frames per second of a timelapse video: a day at one frame a minute (1440 frames) plays in 48 s. */
export const TIMELAPSE_FPS = 30;
/**
 * The largest picture of a timelapse video, pixels: bigger cameras are scaled down (aspect kept). 720p keeps a day's
 * encode well under a minute of one core (a 1080p day measured 54 s, too close; npm run bench:timelapse).
 */
export const TIMELAPSE_MAX_WIDTH = 1280;
export const TIMELAPSE_MAX_HEIGHT = 720;
/** libx264 for the videos: "veryfast" at constant quality 26 (a timelapse is watched, not examined frame by frame). */
export const TIMELAPSE_PRESET = "veryfast";
export const TIMELAPSE_CRF = 26;
/** Niceness of the encode: the recorder's ingests and motion decoders come first. */
export const TIMELAPSE_NICENESS = 10;

/** A range a member asks for may span at most this many days (its frames are read from each day's folder). */
export const TIMELAPSE_MAX_RANGE_DAYS = 31;
/** A day is encoded once it has been over for this long (the recorder may still be writing its last frame), ms. */
export const TIMELAPSE_DAY_SETTLE_MS = 2 * 60_000;

export type TimelapseSettings = { enabled: boolean; intervalSeconds: number };

/** True for an interval the camera may use (a whole number of seconds in range). */
export function isTimelapseInterval(seconds: number): boolean {
  return Number.isInteger(seconds) && seconds >= TIMELAPSE_MIN_INTERVAL_S && seconds <= TIMELAPSE_MAX_INTERVAL_S;
}

/**
 * When the frame after one taken at `atMs` is due, ms since 1970: the next multiple of the interval (so frames sit on
 * a regular grid — :00, :01, … for one a minute — whatever moment the recorder started at).
 */
export function nextFrameDueMs(atMs: number, intervalSeconds: number): number {
  const step = intervalSeconds * 1000;
  return (Math.floor(atMs / step) + 1) * step;
}

/** The picture size of a timelapse of frames `width`×`height`: scaled down to fit 1280×720, even numbers (4:2:0). */
export function timelapseSize(width: number, height: number): { width: number; height: number } {
  const scale = Math.min(1, TIMELAPSE_MAX_WIDTH / width, TIMELAPSE_MAX_HEIGHT / height);
  const even = (n: number) => Math.max(2, Math.round((n * scale) / 2) * 2);
  return { width: even(width), height: even(height) };
}
