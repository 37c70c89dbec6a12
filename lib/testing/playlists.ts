// HLS playlists as ffmpeg 5.1 writes them (captured in the recorder's spike), for the tests of the playlist reader
// (lib/ffmpeg/hls.ts) and the segment tracker (lib/recording/segments.ts).

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
