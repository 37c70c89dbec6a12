// The layout of $DATA_DIR: the one place that names its files and folders, and the one path-containment rule
// (resolveInside). Everything else asks here for a path; `lib/data-dir.test.ts` fails when a folder or file name of
// the layout is spelled anywhere else. Pure (no env): callers pass the data folder (getEnv().dataDir in processes).
//
//   $DATA_DIR/
//     nightjar.db            SQLite database (+ -wal, -shm)
//     secrets/               session-secret, credentials-key, vapid-private-key (folder 0700, files 0600)
//     media/<camera>/<yyyy>/<mm>/<dd>/   clips and photos (UTC dates); rows store paths relative to media/;
//                            <clip>-h264.mp4 beside an H.265 clip: its H.264 copy, made on request (no row of its own)
//     media/<camera>/timelapse/<yyyy-mm-dd>/<ms>.h264|.h265   a day's timelapse frames (server-zone day)
//     media/<camera>/timelapse/<yyyy-mm-dd>.mp4, range-<id>.mp4  timelapse videos (rows store paths relative to media/)
//     live/<camera>/<run>/   the recorder's segment ring (pre-roll, live view of recorded main streams)
//     live-ondemand/<camera>/<stream>/<run>/   ingests the web process starts for viewers
//     exports/<job>.zip      data exports (24 h), <job>.zip.part while being written
//     event-cache/<event>/<key>.mp4   an event's clips joined for playing (made on request, no row; <key>: its clips;
//                            removed with the event by lib/deletion, pruned by age and size; .tmp-* while written),
//                            <key>-h264.mp4 its clips' H.264 copies joined (H.265 events, browsers without H.265)
//     .erase-pending         marker: an account deletion's database erase is not finished
//     demo-cameras-added     marker: `npm start -- --demo` added its simulated cameras once
import path from "node:path";

/** Names inside $DATA_DIR. Only this module joins them to a path. */
export const DATA_LAYOUT = {
  database: "nightjar.db",
  secrets: "secrets",
  media: "media",
  live: "live",
  liveOnDemand: "live-ondemand",
  exports: "exports",
  eraseMarker: ".erase-pending",
  demoMarker: "demo-cameras-added",
  timelapse: "timelapse",
  eventCache: "event-cache",
} as const;

/** Files in secrets/ (generated on first start unless given by the environment). */
export const SECRET_FILES = { sessionSecret: "session-secret", credentialsKey: "credentials-key", vapidPrivateKey: "vapid-private-key" } as const;
export type SecretName = keyof typeof SECRET_FILES;

/** Folders a factory reset empties (everything the household recorded or produced; the database is emptied apart). */
export const RESET_FOLDERS = [DATA_LAYOUT.media, DATA_LAYOUT.exports, DATA_LAYOUT.live, DATA_LAYOUT.liveOnDemand, DATA_LAYOUT.eventCache] as const;
/** Files a factory reset deletes (the demo mode's "cameras were added" marker). */
export const RESET_FILES = [DATA_LAYOUT.demoMarker] as const;

export const databaseFile = (dataDir: string) => path.join(dataDir, DATA_LAYOUT.database);
export const secretsDir = (dataDir: string) => path.join(dataDir, DATA_LAYOUT.secrets);
export const secretFile = (dataDir: string, name: SecretName) => path.join(secretsDir(dataDir), SECRET_FILES[name]);
/** A secret's path relative to $DATA_DIR, as the data statement names it. */
export const secretPathInDataDir = (name: SecretName) => `${DATA_LAYOUT.secrets}/${SECRET_FILES[name]}`;
export const mediaDir = (dataDir: string) => path.join(dataDir, DATA_LAYOUT.media);
export const exportsDir = (dataDir: string) => path.join(dataDir, DATA_LAYOUT.exports);
export const eraseMarkerFile = (dataDir: string) => path.join(dataDir, DATA_LAYOUT.eraseMarker);
export const demoMarkerFile = (dataDir: string) => path.join(dataDir, DATA_LAYOUT.demoMarker);

/** The recorder's live folder (all cameras), and one camera's: live/<camera>/<run>/… */
export const recorderLiveRoot = (dataDir: string) => path.join(dataDir, DATA_LAYOUT.live);
export const recorderLiveDir = (dataDir: string, cameraId: string) => path.join(recorderLiveRoot(dataDir), cameraId);

/** The web process's on-request live folder (all cameras), and one stream's: live-ondemand/<camera>/<stream>/<run>/… */
export const onRequestLiveRoot = (dataDir: string) => path.join(dataDir, DATA_LAYOUT.liveOnDemand);
export const onRequestCameraDir = (dataDir: string, cameraId: string) => path.join(onRequestLiveRoot(dataDir), cameraId);
export const onRequestStreamDir = (dataDir: string, cameraId: string, stream: string) => path.join(onRequestCameraDir(dataDir, cameraId), stream);

/** The folder of one camera's media for one UTC day: media/<camera>/<yyyy>/<mm>/<dd>. */
export function mediaDayDir(dataDir: string, cameraId: string, at: Date): string {
  const yyyy = String(at.getUTCFullYear());
  const mm = String(at.getUTCMonth() + 1).padStart(2, "0");
  const dd = String(at.getUTCDate()).padStart(2, "0");
  return path.join(mediaDir(dataDir), cameraId, yyyy, mm, dd);
}

/** A media file's path as stored in Clip/Photo rows: relative to media/, with forward slashes. */
export function mediaRelativePath(dataDir: string, file: string): string {
  return path.relative(mediaDir(dataDir), file).split(path.sep).join("/");
}

/** What an H.264 copy's name adds to its clip's name (without .mp4). */
export const PLAYABLE_COPY_SUFFIX = "-h264.mp4";

/**
 * Where the H.264 copy of a clip lives (relative to media/, like Clip.path): beside it, `<clip>-h264.mp4`. Only clips
 * whose video is not H.264 can have one (lib/events/playable-copy.ts makes it on request; lib/deletion deletes it with
 * its clip); null for the others.
 */
export function playableCopyRelativePath(clip: { path: string; videoCodec: string }): string | null {
  if (clip.videoCodec === "h264") return null;
  return `${clip.path.replace(/\.mp4$/i, "")}${PLAYABLE_COPY_SUFFIX}`;
}

/** A camera's timelapse folder, relative to media/: <camera>/timelapse (its videos, and a folder of frames per day). */
export const timelapseRelativeDir = (cameraId: string) => `${cameraId}/${DATA_LAYOUT.timelapse}`;

/** A day's timelapse frames, relative to media/ (Timelapse.framesDir): <camera>/timelapse/<yyyy-mm-dd>. */
export function timelapseFramesRelativeDir(cameraId: string, day: string): string {
  return `${timelapseRelativeDir(cameraId)}/${day}`;
}

/**
 * A timelapse video, relative to media/ (Timelapse.path): a day's beside its frames' folder (<day>.mp4; from the folder,
 * so a day whose camera was deleted keeps its place), a range's range-<id>.mp4 in its camera's folder.
 */
export function timelapseVideoRelativePath(of: { framesDir: string } | { cameraId: string; rangeId: string }): string {
  return "framesDir" in of ? `${of.framesDir}.mp4` : `${timelapseRelativeDir(of.cameraId)}/range-${of.rangeId}.mp4`;
}

/** A media row's path (relative to media/) as a path relative to $DATA_DIR (how PendingFileDeletion lists files). */
export const mediaPathInDataDir = (relative: string) => `${DATA_LAYOUT.media}/${relative}`;

/** The folder of every event's joined video (lib/events/event-cache.ts makes them, lib/deletion removes them). */
export const eventCacheRoot = (dataDir: string) => path.join(dataDir, DATA_LAYOUT.eventCache);

/**
 * One event's cache folder relative to $DATA_DIR, ending in "/" (how PendingFileDeletion lists a folder removed with
 * what is in it): event-cache/<event>/. Null for an id that is not a plain name (never a path out of the folder).
 */
export function eventCachePathInDataDir(eventId: string): string | null {
  return /^[A-Za-z0-9_-]{1,64}$/.test(eventId) ? `${DATA_LAYOUT.eventCache}/${eventId}/` : null;
}

/** What an event's cache file joins: its clips as recorded, or their H.264 copies (for browsers without H.265). */
export type EventCacheVariant = "original" | "h264";

/** An event's cache file name in its folder: `<key>.mp4` (the clips joined) or `<key>-h264.mp4` (their H.264 copies). */
export function eventCacheFileName(key: string, variant: EventCacheVariant): string {
  return variant === "h264" ? `${key}${PLAYABLE_COPY_SUFFIX}` : `${key}.mp4`;
}

/** The clip-set key a (complete) cache file's name was made for: both variants of one clip set share it. */
export function eventCacheKeyOf(name: string): string {
  return name.endsWith(PLAYABLE_COPY_SUFFIX) ? name.slice(0, -PLAYABLE_COPY_SUFFIX.length) : name.replace(/\.mp4$/, "");
}

/** An export file's path relative to $DATA_DIR (how PendingFileDeletion lists it). */
export const exportPathInDataDir = (fileName: string) => `${DATA_LAYOUT.exports}/${fileName}`;

/**
 * `relative` resolved inside `root`, or null when it would leave it (`..`, an absolute path, the root itself).
 * The one containment rule for every path that comes from a row, a request or a to-do list.
 */
export function resolveInside(root: string, relative: string): string | null {
  const base = path.resolve(root);
  const full = path.resolve(base, relative);
  return full.startsWith(base + path.sep) ? full : null;
}
