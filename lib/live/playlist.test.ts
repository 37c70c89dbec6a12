// The served playlist from ffmpeg's, table-tested: the newest window only, URIs into the run, media sequence of the
// window's first segment, target duration, program dates moved onto the server's clock, never an ENDLIST.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { assertStrictHls } from "../testing/playlists";
import { buildLivePlaylist, programDateShift, withQueryOnUris } from "./playlist";

/** A playlist as ffmpeg 5.1's hls muxer writes it (-hls_flags independent_segments+program_date_time …). */
function ffmpegPlaylist(opts: { first: number; count: number; durations?: number[]; pdt0?: number; ended?: boolean; target?: number; version?: number }): string {
  const lines = ["#EXTM3U", `#EXT-X-VERSION:${opts.version ?? 7}`, `#EXT-X-TARGETDURATION:${opts.target ?? 1}`, `#EXT-X-MEDIA-SEQUENCE:${opts.first}`, "#EXT-X-INDEPENDENT-SEGMENTS", '#EXT-X-MAP:URI="init.mp4"'];
  let pdt = opts.pdt0 ?? Date.parse("2026-11-22T05:29:29.303Z");
  for (let i = 0; i < opts.count; i++) {
    const d = opts.durations?.[i] ?? 1;
    lines.push(`#EXTINF:${d.toFixed(6)},`, `#EXT-X-PROGRAM-DATE-TIME:${new Date(pdt).toISOString().replace("Z", "+0000")}`, `seg-${opts.first + i}.m4s`);
    pdt += d * 1000;
  }
  if (opts.ended) lines.push("#EXT-X-ENDLIST");
  return lines.join("\n") + "\n";
}

const PDT0 = Date.parse("2026-11-22T05:29:29.303Z");

describe("buildLivePlaylist", () => {
  test("blocking reload and its hold-back are announced only when asked for (a polling player keeps 3 target durations back by default)", () => {
    const text = (canBlockReload: boolean) => buildLivePlaylist({ text: ffmpegPlaylist({ first: 0, count: 2 }), runId: "1", writtenAtMs: null, canBlockReload })!.text;
    assert.match(text(true), /^#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,HOLD-BACK=3\.000$/m);
    assert.doesNotMatch(text(false), /EXT-X-SERVER-CONTROL/);
    assertStrictHls(text(true));
    assertStrictHls(text(false));
  });

  test("HOLD-BACK is three target durations (RFC 8216bis §4.4.3.8), which a strict parser checks", () => {
    for (const d of [1, 2, 4]) {
      const out = buildLivePlaylist({ text: ffmpegPlaylist({ first: 0, count: 8, durations: Array(8).fill(d), target: d }), runId: "1", writtenAtMs: null, canBlockReload: true })!;
      assert.match(out.text, new RegExp(`^#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,HOLD-BACK=${3 * d}\\.000$`, "m"));
      assertStrictHls(out.text);
      assertStrictHls(withQueryOnUris(out.text, "exp=1&uid=u&sig=s"));
    }
    // The check can fail: the old 1.3 s hold-back against a 1 s target is refused.
    const old = buildLivePlaylist({ text: ffmpegPlaylist({ first: 0, count: 2 }), runId: "1", writtenAtMs: null, canBlockReload: true })!.text.replace("HOLD-BACK=3.000", "HOLD-BACK=1.300");
    assert.throws(() => assertStrictHls(old), /HOLD-BACK/);
  });

  test("the newest 6 of 8 segments, URIs into the run, sequence of the first served, program dates kept", () => {
    const out = buildLivePlaylist({ text: ffmpegPlaylist({ first: 3, count: 8 }), runId: "1763789369000", writtenAtMs: null });
    assert.deepEqual(out, {
      lastSeq: 10,
      isEnded: false,
      text: [
        "#EXTM3U",
        "#EXT-X-VERSION:7",
        "#EXT-X-TARGETDURATION:1",
        "#EXT-X-MEDIA-SEQUENCE:5",
        "#EXT-X-INDEPENDENT-SEGMENTS",
        '#EXT-X-MAP:URI="1763789369000/init.mp4"',
        "#EXTINF:1.000000,",
        "#EXT-X-PROGRAM-DATE-TIME:2026-11-22T05:29:31.303Z",
        "1763789369000/seg-5.m4s",
        "#EXTINF:1.000000,",
        "#EXT-X-PROGRAM-DATE-TIME:2026-11-22T05:29:32.303Z",
        "1763789369000/seg-6.m4s",
        "#EXTINF:1.000000,",
        "#EXT-X-PROGRAM-DATE-TIME:2026-11-22T05:29:33.303Z",
        "1763789369000/seg-7.m4s",
        "#EXTINF:1.000000,",
        "#EXT-X-PROGRAM-DATE-TIME:2026-11-22T05:29:34.303Z",
        "1763789369000/seg-8.m4s",
        "#EXTINF:1.000000,",
        "#EXT-X-PROGRAM-DATE-TIME:2026-11-22T05:29:35.303Z",
        "1763789369000/seg-9.m4s",
        "#EXTINF:1.000000,",
        "#EXT-X-PROGRAM-DATE-TIME:2026-11-22T05:29:36.303Z",
        "1763789369000/seg-10.m4s",
        "",
      ].join("\n"),
    });
  });

  const cases: { name: string; text: string; windowSize?: number; writtenAtMs?: number | null; expect: { seq: number; uris: string[]; target?: number; pdts?: string[]; version?: string; ended?: boolean } | null }[] = [
    { name: "no segment yet: nothing to serve", text: ffmpegPlaylist({ first: 0, count: 0 }), expect: null },
    { name: "not a playlist: nothing to serve", text: "<html>", expect: null },
    { name: "a segment line without EXTINF: nothing to serve", text: "#EXTM3U\n#EXT-X-TARGETDURATION:1\nseg-0.m4s\n", expect: null },
    { name: "fewer than the window: all of them", text: ffmpegPlaylist({ first: 0, count: 2, durations: [0.96, 1] }), expect: { seq: 0, uris: ["9/seg-0.m4s", "9/seg-1.m4s"] } },
    { name: "the recorder's long list: the newest window only", text: ffmpegPlaylist({ first: 100, count: 71 }), expect: { seq: 165, uris: ["9/seg-165.m4s", "9/seg-166.m4s", "9/seg-167.m4s", "9/seg-168.m4s", "9/seg-169.m4s", "9/seg-170.m4s"] } },
    { name: "window of 2", text: ffmpegPlaylist({ first: 10, count: 6 }), windowSize: 2, expect: { seq: 14, uris: ["9/seg-14.m4s", "9/seg-15.m4s"] } },
    { name: "2 s GOPs: target duration from the segments", text: ffmpegPlaylist({ first: 0, count: 3, durations: [2, 2.04, 2] }), expect: { seq: 0, uris: ["9/seg-0.m4s", "9/seg-1.m4s", "9/seg-2.m4s"], target: 2 } },
    { name: "a long segment raises the target above ffmpeg's", text: ffmpegPlaylist({ first: 0, count: 2, durations: [1, 3.4], target: 1 }), expect: { seq: 0, uris: ["9/seg-0.m4s", "9/seg-1.m4s"], target: 3 } },
    { name: "ffmpeg's version is kept", text: ffmpegPlaylist({ first: 0, count: 1, version: 6 }), expect: { seq: 0, uris: ["9/seg-0.m4s"], version: "6" } },
    {
      name: "ended run: ENDLIST is dropped and reported",
      text: ffmpegPlaylist({ first: 4, count: 3, durations: [1, 1, 0.04], ended: true }),
      writtenAtMs: PDT0 + 60_000,
      expect: { seq: 4, uris: ["9/seg-4.m4s", "9/seg-5.m4s", "9/seg-6.m4s"], ended: true, pdts: ["2026-11-22T05:29:29.303Z", "2026-11-22T05:29:30.303Z", "2026-11-22T05:29:31.303Z"] },
    },
    {
      name: "program dates move onto the server's clock: ffmpeg ran 1040 ms ahead",
      // The last segment ends at PDT0 + 3 s by ffmpeg's clock; the playlist was written 1040 ms before that.
      text: ffmpegPlaylist({ first: 0, count: 3 }),
      writtenAtMs: PDT0 + 3000 - 1040,
      expect: { seq: 0, uris: ["9/seg-0.m4s", "9/seg-1.m4s", "9/seg-2.m4s"], pdts: ["2026-11-22T05:29:28.263Z", "2026-11-22T05:29:29.263Z", "2026-11-22T05:29:30.263Z"] },
    },
    {
      name: "an implausible mtime (copied files, coarse clock) leaves ffmpeg's dates",
      text: ffmpegPlaylist({ first: 0, count: 1 }),
      writtenAtMs: PDT0 + 3_600_000,
      expect: { seq: 0, uris: ["9/seg-0.m4s"], pdts: ["2026-11-22T05:29:29.303Z"] },
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const out = buildLivePlaylist({ text: c.text, runId: "9", writtenAtMs: c.writtenAtMs ?? null, windowSize: c.windowSize });
      if (c.expect === null) return assert.equal(out, null);
      assert.ok(out);
      assertStrictHls(out.text);
      const lines = out.text.trimEnd().split("\n");
      assert.equal(lines[0], "#EXTM3U");
      assert.ok(!lines.includes("#EXT-X-ENDLIST"), "never an ENDLIST");
      assert.equal(out.isEnded, c.expect.ended ?? false);
      assert.equal(lines.find((l) => l.startsWith("#EXT-X-MEDIA-SEQUENCE:")), `#EXT-X-MEDIA-SEQUENCE:${c.expect.seq}`);
      assert.deepEqual(lines.filter((l) => !l.startsWith("#")), c.expect.uris);
      assert.equal(lines.find((l) => l.startsWith("#EXT-X-MAP:")), '#EXT-X-MAP:URI="9/init.mp4"');
      assert.equal(lines.find((l) => l.startsWith("#EXT-X-TARGETDURATION:")), `#EXT-X-TARGETDURATION:${c.expect.target ?? 1}`);
      assert.equal(lines.find((l) => l.startsWith("#EXT-X-VERSION:")), `#EXT-X-VERSION:${c.expect.version ?? "7"}`);
      assert.ok(lines.includes("#EXT-X-INDEPENDENT-SEGMENTS"));
      assert.equal(lines.filter((l) => l.startsWith("#EXTINF:")).length, c.expect.uris.length);
      if (c.expect.pdts) assert.deepEqual(lines.filter((l) => l.startsWith("#EXT-X-PROGRAM-DATE-TIME:")).map((l) => l.slice(25)), c.expect.pdts);
      // Every media line is preceded by its EXTINF (and program date).
      lines.forEach((l, i) => {
        if (!l.startsWith("#")) assert.match(lines[i - 2], /^#EXTINF:\d+\.\d{6},$/);
      });
    });
  }

  test("a window size below 1 is a programming error", () => {
    assert.throws(() => buildLivePlaylist({ text: ffmpegPlaylist({ first: 0, count: 1 }), runId: "9", writtenAtMs: null, windowSize: 0 }), RangeError);
  });
});

describe("programDateShift", () => {
  const last = { seq: 5, name: "seg-5.m4s", durationMs: 1000, programDateMs: 10_000 };
  const cases: [string, Parameters<typeof programDateShift>, number][] = [
    ["written 1040 ms before ffmpeg's end of the last segment", [last, 9_960, false], -1040],
    ["written exactly at the end", [last, 11_000, false], 0],
    ["written late (a slow disk): a positive shift", [last, 11_250, false], 250],
    ["no mtime", [last, null, false], 0],
    ["ended run: the last segment was cut by the stream's end", [last, 9_960, true], 0],
    ["no program date", [{ ...last, programDateMs: null }, 9_960, false], 0],
    ["more than 10 s: not trusted", [last, 30_000, false], 0],
  ];
  for (const [name, args, expected] of cases) test(name, () => assert.equal(programDateShift(...args), expected));
});

describe("withQueryOnUris: a playlist served through a signed URL names its media with the same signature", () => {
  const q = "exp=1796471100&uid=u1&sig=abc_-";
  const cases: [string, string, string][] = [
    ["init and segments", '#EXTM3U\n#EXT-X-MAP:URI="17/init.mp4"\n#EXTINF:1.000000,\n17/seg-3.m4s\n', `#EXTM3U\n#EXT-X-MAP:URI="17/init.mp4?${q}"\n#EXTINF:1.000000,\n17/seg-3.m4s?${q}\n`],
    ["a URI with a query gets &", "17/seg-3.m4s?x=1\n", `17/seg-3.m4s?x=1&${q}\n`],
    ["tags without URI and blank lines are kept", "#EXT-X-TARGETDURATION:1\n\n#EXT-X-PROGRAM-DATE-TIME:2026-11-22T05:29:29.303Z\n", "#EXT-X-TARGETDURATION:1\n\n#EXT-X-PROGRAM-DATE-TIME:2026-11-22T05:29:29.303Z\n"],
  ];
  for (const [name, input, expected] of cases) test(name, () => assert.equal(withQueryOnUris(input, q), expected));
  test("every URI of a served playlist carries the query", () => {
    const served = buildLivePlaylist({ text: ffmpegPlaylist({ first: 5, count: 6 }), runId: "1700000000000", writtenAtMs: null })!;
    const out = withQueryOnUris(served.text, q);
    const uris = [...out.matchAll(/^(?!#)(\S+)$/gm)].map((m) => m[1]).concat([...out.matchAll(/URI="([^"]+)"/g)].map((m) => m[1]));
    assert.equal(uris.length, 7);
    for (const uri of uris) assert.ok(uri.endsWith(`?${q}`), uri);
  });
});
