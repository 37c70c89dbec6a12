// The playlist the browser gets, written from the one ffmpeg keeps for a run (pure). ffmpeg's list is long for the
// recorder (a minute of pre-roll) and names files relative to the run folder; the served one is a short live window
// whose URIs point into the run ("<runId>/seg-N.m4s", relative to the playlist URL), never ends (no ENDLIST: a run
// that ended is followed by a new one), and carries program dates corrected to the server's clock.
//
// Program dates: ffmpeg's EXT-X-PROGRAM-DATE-TIME is its clock at muxer start plus media time, which runs ~1 s ahead
// of when the frames arrived (it probed the stream first; measured −958…−1042 ms here, see
// lib/recording/SPIKE-REPORT.md). ffmpeg rewrites the playlist within a few ms of the keyframe that completes a
// segment, so (playlist mtime − end of its last segment) is that offset; adding it makes Date.now() − playingDate in
// the player a true live latency.
import { parsePlaylist, type PlaylistEntry } from "../ffmpeg/hls";
import { mediaUri } from "./paths";

/**
 * Segments in the served window. RFC 8216bis §6.2.2: a live playlist without ENDLIST must last at least three target
 * durations, and the player starts HOLD-BACK (three target durations) behind the end: six 1 s segments leave it three
 * segments to pick its start from and ride out a late reload.
 */
export const LIVE_WINDOW_SEGMENTS = 6;
/**
 * How far behind the newest segment's end the player stays (EXT-X-SERVER-CONTROL HOLD-BACK, which hls.js uses as its
 * target latency), in target durations. RFC 8216bis §4.4.3.8 requires at least three; fewer made the playlist invalid
 * (a strict parser refuses it). HLS is the fallback now (WebRTC is the low-latency path, lib/live/webrtc): with 1 s
 * segments it plays ~3–4 s behind the camera, honestly. Only the blocking-reload playlist states it (see below).
 */
export const HOLD_BACK_TARGET_DURATIONS = 3;
/** A program-date correction larger than this means the mtime cannot be trusted (coarse clock, copied files), ms. */
export const MAX_PDT_SHIFT_MS = 10_000;

export type LivePlaylistInput = {
  /** ffmpeg's playlist text. */
  text: string;
  /** The run folder's name: served URIs are "<runId>/<name>". */
  runId: string;
  /** When ffmpeg wrote the playlist (its mtime), ms since the epoch; null = keep ffmpeg's program dates. */
  writtenAtMs: number | null;
  windowSize?: number;
  /**
   * Announce blocking playlist reload (EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES): the player then asks for the next
   * playlist at once with _HLS_msn=<next sequence>, and the server answers as soon as that segment is complete,
   * instead of the player polling once per target duration (which costs up to a second of latency).
   */
  canBlockReload?: boolean;
};

export type LivePlaylist = {
  text: string;
  /** Media sequence number of the newest segment listed. */
  lastSeq: number;
  /** ffmpeg ended this run (its last, possibly short segment is listed; no more will come). */
  isEnded: boolean;
};

/** The served playlist, or null when ffmpeg's has no segment yet or cannot be read. */
export function buildLivePlaylist(input: LivePlaylistInput): LivePlaylist | null {
  let parsed;
  try {
    parsed = parsePlaylist(input.text);
  } catch {
    return null;
  }
  if (parsed.entries.length === 0) return null;
  const windowSize = input.windowSize ?? LIVE_WINDOW_SEGMENTS;
  if (!Number.isInteger(windowSize) || windowSize < 1) throw new RangeError("windowSize must be a positive integer");
  const window = parsed.entries.slice(-windowSize);
  const last = parsed.entries[parsed.entries.length - 1];
  const shiftMs = programDateShift(last, input.writtenAtMs, parsed.isEnded);
  const version = /^#EXT-X-VERSION:(\d+)\s*$/m.exec(input.text)?.[1] ?? "7";
  // Every EXTINF rounded to the nearest second must fit the target duration (RFC 8216 §4.3.3.1).
  const target = Math.max(1, parsed.targetDurationS ?? 1, ...window.map((e) => Math.round(e.durationMs / 1000)));
  const lines = ["#EXTM3U", `#EXT-X-VERSION:${version}`, `#EXT-X-TARGETDURATION:${target}`, `#EXT-X-MEDIA-SEQUENCE:${window[0].seq}`];
  // A polling playlist carries no EXT-X-SERVER-CONTROL: players then keep three target durations back by default
  // (hls.js liveSyncDurationCount 3), the same as the HOLD-BACK we would state.
  if (input.canBlockReload) lines.push(`#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,HOLD-BACK=${(HOLD_BACK_TARGET_DURATIONS * target).toFixed(3)}`);
  if (/^#EXT-X-INDEPENDENT-SEGMENTS\s*$/m.test(input.text)) lines.push("#EXT-X-INDEPENDENT-SEGMENTS");
  if (parsed.initName) lines.push(`#EXT-X-MAP:URI="${mediaUri(input.runId, parsed.initName)}"`);
  for (const e of window) {
    lines.push(`#EXTINF:${(e.durationMs / 1000).toFixed(6)},`);
    if (e.programDateMs !== null) lines.push(`#EXT-X-PROGRAM-DATE-TIME:${new Date(Math.round(e.programDateMs + shiftMs)).toISOString()}`);
    lines.push(mediaUri(input.runId, e.name));
  }
  return { text: lines.join("\n") + "\n", lastSeq: last.seq, isEnded: parsed.isEnded };
}

/**
 * How much to add to ffmpeg's program dates, ms (0 when unknown). The last entry of a live playlist was completed
 * when the playlist was written; an ended run's last entry was cut by the stream's end instead, so it says nothing.
 */
export function programDateShift(last: PlaylistEntry, writtenAtMs: number | null, isEnded: boolean): number {
  if (writtenAtMs === null || isEnded || last.programDateMs === null) return 0;
  const shift = writtenAtMs - (last.programDateMs + last.durationMs);
  return Math.abs(shift) <= MAX_PDT_SHIFT_MS ? shift : 0;
}

/**
 * The served playlist with `query` appended to every URI it names (media lines, and URI="…" attributes such as
 * EXT-X-MAP's), for a playlist fetched through a signed URL: a player resolves the relative URIs against the
 * playlist's URL without its query, so without this its segments would come back 401.
 */
export function withQueryOnUris(text: string, query: string): string {
  const append = (uri: string) => `${uri}${uri.includes("?") ? "&" : "?"}${query}`;
  return text
    .split("\n")
    .map((line) => {
      if (line.trim() === "") return line;
      if (line.startsWith("#")) return line.replace(/URI="([^"]*)"/g, (_, uri: string) => `URI="${append(uri)}"`);
      return append(line);
    })
    .join("\n");
}
