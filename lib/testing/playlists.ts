// HLS playlists as ffmpeg 5.1 writes them (captured in the recorder's spike), for the tests of the playlist reader
// (lib/ffmpeg/hls.ts) and the segment tracker (lib/recording/segments.ts); and the strict check of served playlists.
import HLS from "hls-parser";

/** A playlist with entries [name, extinf, program date time]. */
export function ffmpegPlaylist(mediaSeq: number, entries: [string, string, string][], ended = false): string {
  return [
    "#EXTM3U",
    "#EXT-X-VERSION:7",
    "#EXT-X-TARGETDURATION:1",
    `#EXT-X-MEDIA-SEQUENCE:${mediaSeq}`,
    "#EXT-X-INDEPENDENT-SEGMENTS",
    '#EXT-X-MAP:URI="init.mp4"',
    ...entries.flatMap(([name, inf, pdt]) => [`#EXTINF:${inf},`, `#EXT-X-PROGRAM-DATE-TIME:${pdt}`, name]),
    ...(ended ? ["#EXT-X-ENDLIST"] : []),
    "",
  ].join("\n");
}

/** The program date time of the captured playlist's first segment, ms. */
export const PLAYLIST_T0 = Date.parse("2026-11-22T03:36:11.779Z");

/**
 * Throws unless `text` is a valid media playlist to an independent parser in strict mode (hls-parser: RFC 8216bis,
 * including HOLD-BACK ≥ 3 × EXT-X-TARGETDURATION). For tests of every playlist the server serves.
 */
export function assertStrictHls(text: string): void {
  const before = HLS.getOptions();
  HLS.setOptions({ strictMode: true, silent: true });
  try {
    const parsed = HLS.parse(text);
    if (!parsed.isMasterPlaylist && parsed.segments.length === 0) throw new Error("a media playlist without segments");
  } finally {
    HLS.setOptions(before);
  }
}
