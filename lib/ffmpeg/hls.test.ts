// The HLS playlist reader against playlists as ffmpeg writes them.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parsePlaylist, parseProgramDate } from "./hls";
import { ffmpegPlaylist as playlist, PLAYLIST_T0 as T0 } from "../testing/playlists";


describe("parseProgramDate", () => {
  const cases: [string, number | null][] = [
    ["2026-11-22T03:36:11.779+0000", T0],
    ["2026-11-22T04:36:11.779+0100", T0],
    ["2026-11-22T03:36:11.779Z", T0],
    ["yesterday", null],
  ];
  for (const [text, ms] of cases) test(text, () => assert.equal(parseProgramDate(text), ms));
});

describe("parsePlaylist", () => {
  test("ffmpeg's fMP4 playlist", () => {
    const p = parsePlaylist(playlist(7, [["seg-7.m4s", "0.960000", "2026-11-22T03:36:11.779+0000"], ["seg-8.m4s", "1.000000", "2026-11-22T03:36:12.739+0000"]]));
    assert.deepEqual(p, {
      mediaSequence: 7,
      targetDurationS: 1,
      initName: "init.mp4",
      isEnded: false,
      entries: [
        { seq: 7, name: "seg-7.m4s", durationMs: 960, programDateMs: T0 },
        { seq: 8, name: "seg-8.m4s", durationMs: 1000, programDateMs: T0 + 960 },
      ],
    });
  });
  test("ENDLIST, CRLF, no PDT, µs durations", () => {
    const p = parsePlaylist("#EXTM3U\r\n#EXT-X-MEDIA-SEQUENCE:0\r\n#EXTINF:0.240011,\r\nseg-0.ts\r\n#EXT-X-ENDLIST\r\n");
    assert.equal(p.isEnded, true);
    assert.equal(p.initName, null);
    assert.deepEqual(p.entries, [{ seq: 0, name: "seg-0.ts", durationMs: 240.011, programDateMs: null }]);
  });
  const bad: [string, string][] = [
    ["no header", "#EXTINF:1,\nseg-0.m4s\n"],
    ["segment without EXTINF", "#EXTM3U\nseg-0.m4s\n"],
    ["negative EXTINF", "#EXTM3U\n#EXTINF:-1,\nseg-0.m4s\n"],
    ["bad media sequence", "#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:x\n"],
  ];
  for (const [name, text] of bad) test(`throws: ${name}`, () => assert.throws(() => parsePlaylist(text)));
});
