// Reading the HLS media playlist ffmpeg's hls muxer rewrites after every completed segment (pure): the recorder tracks
// its segments from it, the live view serves a window of it. Nothing here reads a clock or the disk.

/** One entry of an HLS media playlist. */
export type PlaylistEntry = {
  /** Media sequence number: EXT-X-MEDIA-SEQUENCE + position. Consecutive within one ffmpeg run. */
  seq: number;
  /** File name as written in the playlist (relative to the playlist's folder). */
  name: string;
  /** EXTINF, in ms (µs precision). */
  durationMs: number;
  /** EXT-X-PROGRAM-DATE-TIME in ms since the epoch, or null when the playlist has none. */
  programDateMs: number | null;
};

export type Playlist = {
  mediaSequence: number;
  targetDurationS: number | null;
  /** EXT-X-MAP URI (the fMP4 init segment), or null for self-contained segments. */
  initName: string | null;
  /** EXT-X-ENDLIST: ffmpeg ended this run (it writes the last, possibly short, segment first). */
  isEnded: boolean;
  entries: PlaylistEntry[];
};

/** ffmpeg writes "2026-11-22T03:35:00.777+0000"; Date.parse wants "+00:00". */
export function parseProgramDate(text: string): number | null {
  const iso = text.trim().replace(/([+-]\d\d)(\d\d)$/, "$1:$2");
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? ms : null;
}

/** Parses an HLS media playlist as ffmpeg's hls muxer writes it. Unknown tags are ignored; malformed input throws. */
export function parsePlaylist(text: string): Playlist {
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  if (lines[0] !== "#EXTM3U") throw new Error("not an HLS playlist (no #EXTM3U)");
  const result: Playlist = { mediaSequence: 0, targetDurationS: null, initName: null, isEnded: false, entries: [] };
  let duration: number | null = null;
  let programDate: number | null = null;
  for (const line of lines.slice(1)) {
    if (!line) continue;
    if (line.startsWith("#EXT-X-MEDIA-SEQUENCE:")) result.mediaSequence = toInt(line.slice(22), line);
    else if (line.startsWith("#EXT-X-TARGETDURATION:")) result.targetDurationS = toInt(line.slice(22), line);
    else if (line.startsWith("#EXT-X-MAP:")) result.initName = /URI="([^"]+)"/.exec(line)?.[1] ?? null;
    else if (line === "#EXT-X-ENDLIST") result.isEnded = true;
    else if (line.startsWith("#EXTINF:")) {
      const value = Number(line.slice(8).split(",")[0]);
      if (!Number.isFinite(value) || value < 0) throw new Error(`bad EXTINF: ${line}`);
      duration = Math.round(value * 1e6) / 1e3;
    } else if (line.startsWith("#EXT-X-PROGRAM-DATE-TIME:")) programDate = parseProgramDate(line.slice(25));
    else if (!line.startsWith("#")) {
      if (duration === null) throw new Error(`segment without EXTINF: ${line}`);
      result.entries.push({ seq: result.mediaSequence + result.entries.length, name: line, durationMs: duration, programDateMs: programDate });
      duration = null;
      programDate = null;
    }
  }
  return result;
}

function toInt(text: string, line: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new Error(`bad number in ${line}`);
  return n;
}
