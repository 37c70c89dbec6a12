// The live view's URL contract and the names it may touch on disk, checked before any file is opened (pure).
//   /api/cameras/<camera>/live/<stream>/index.m3u8           the playlist (stream = main | sub)
//   /api/cameras/<camera>/live/<stream>/info.json            what the stream holds (codecs, size, sound), JSON
//   /api/cameras/<camera>/live/<stream>/<run>/<file>         init.mp4 or seg-<n>.m4s of one ffmpeg run
// Anything else (other names, "..", encoded slashes, extra segments) is not a live URL: 404 without a disk access.
import path from "node:path";
import { INIT_SEGMENT_NAME, PLAYLIST_NAME } from "../ffmpeg/ingest-args";

export const LIVE_STREAMS = ["main", "sub"] as const;
export type LiveStream = (typeof LIVE_STREAMS)[number];

export type LiveTarget = { kind: "playlist" } | { kind: "info" } | { kind: "media"; runId: string; file: string };

/** The stream description's name (lib/live/live.ts readLiveStreamInfo). */
export const STREAM_INFO_NAME = "info.json";

/** A run folder's name: the ms timestamp ffmpeg was started at (recorder and on-request ingest alike). */
const RUN_ID = /^\d{1,16}$/;
/** Segment names as the ingest writes them (SEGMENT_PATTERN "seg-%d.m4s"). */
const SEGMENT_FILE = /^seg-\d{1,9}\.m4s$/;

export function isLiveStream(value: string): value is LiveStream {
  return (LIVE_STREAMS as readonly string[]).includes(value);
}

export function isRunId(value: string): boolean {
  return RUN_ID.test(value);
}

export function isMediaFileName(value: string): boolean {
  return value === INIT_SEGMENT_NAME || SEGMENT_FILE.test(value);
}

/** The stream and what is asked for, or null when the URL is not part of the contract. */
export function parseLiveRequest(stream: string, rest: readonly string[]): { stream: LiveStream; target: LiveTarget } | null {
  if (!isLiveStream(stream)) return null;
  if (rest.length === 1 && rest[0] === PLAYLIST_NAME) return { stream, target: { kind: "playlist" } };
  if (rest.length === 1 && rest[0] === STREAM_INFO_NAME) return { stream, target: { kind: "info" } };
  if (rest.length === 2 && isRunId(rest[0]) && isMediaFileName(rest[1])) return { stream, target: { kind: "media", runId: rest[0], file: rest[1] } };
  return null;
}

/** <runsRoot>/<runId>/<file>, or null when the names are not valid or the result would leave runsRoot. */
export function mediaFilePath(runsRoot: string, runId: string, file: string): string | null {
  if (!isRunId(runId) || !isMediaFileName(file)) return null;
  const root = path.resolve(runsRoot);
  const resolved = path.resolve(root, runId, file);
  return resolved.startsWith(root + path.sep) ? resolved : null;
}

/** Served URIs are relative to the playlist URL: "<runId>/<file>". */
export function mediaUri(runId: string, file: string): string {
  return `${runId}/${file}`;
}

/** Content-Type: the init segment is an MP4; media segments get the IANA type of ISO BMFF segments (hls.js reads bytes, not types). */
export function mediaContentType(file: string): string {
  return file === INIT_SEGMENT_NAME ? "video/mp4" : "video/iso.segment";
}
