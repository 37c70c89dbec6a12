// H.264 over RTP, table-tested: NAL types in single NAL / STAP-A / FU-A payloads, the SPS's profile-level-id (alone or
// aggregated, as ffmpeg sends it before each IDR), keyframe starts, payload-type rewrite, the GOP burst's squeezed
// timestamps and the continuity across ffmpeg restarts.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { h264NalTypes, RtpContinuity, rtpPayload, rtpSeq, rtpTimestamp, spsProfileLevelId, squeezeGop, startsKeyframe, withPayloadType } from "./rtp";

function rtp(opts: { seq?: number; ts?: number; pt?: number; marker?: boolean; payload: number[]; csrc?: number; ext?: number }): Buffer {
  const head = Buffer.alloc(12);
  head[0] = 0x80 | (opts.ext !== undefined ? 0x10 : 0) | (opts.csrc ?? 0);
  head[1] = (opts.marker ? 0x80 : 0) | (opts.pt ?? 96);
  head.writeUInt16BE(opts.seq ?? 1, 2);
  head.writeUInt32BE(opts.ts ?? 1000, 4);
  head.writeUInt32BE(0x4e4a0001, 8);
  const csrcs = Buffer.alloc(4 * (opts.csrc ?? 0));
  const ext = opts.ext !== undefined ? Buffer.concat([Buffer.from([0xbe, 0xde, 0, opts.ext]), Buffer.alloc(4 * opts.ext)]) : Buffer.alloc(0);
  return Buffer.concat([head, csrcs, ext, Buffer.from(opts.payload)]);
}

// An SPS of Main profile (77 = 0x4d), constraint flags 0x40, level 4.0 (40 = 0x28); a PPS; an IDR slice header.
const SPS = [0x67, 0x4d, 0x40, 0x28, 0x95, 0xa0];
const PPS = [0x68, 0xee, 0x3c, 0x80];
const stapA = (...nals: number[][]) => [0x78, ...nals.flatMap((n) => [n.length >> 8, n.length & 0xff, ...n])];

describe("H.264 RTP payloads", () => {
  const cases: [string, number[], number[], string | null, boolean][] = [
    // name, payload, NAL types, profile-level-id, starts a keyframe
    ["a single SPS", SPS, [7], "4d4028", true],
    ["STAP-A with SPS and PPS (ffmpeg's, before each IDR)", stapA(SPS, PPS), [7, 8], "4d4028", true],
    ["STAP-A with PPS then SPS", stapA(PPS, SPS), [8, 7], "4d4028", true],
    ["an IDR slice alone", [0x65, 0x88, 0x84], [5], null, true],
    ["FU-A start of an IDR", [0x7c, 0x85, 0x88], [5], null, true],
    ["FU-A middle of an IDR", [0x7c, 0x05, 0x88], [], null, false],
    ["FU-A start of a P slice", [0x7c, 0x81, 0x9a], [1], null, false],
    ["a P slice", [0x41, 0x9a], [1], null, false],
    ["a STAP-A whose size runs past the end", [0x78, 0x00, 0x09, 0x67, 0x4d], [], null, false],
    ["empty", [], [], null, false],
    ["a truncated SPS", [0x67, 0x4d], [7], null, true],
  ];
  for (const [name, payload, types, profile, key] of cases) {
    test(name, () => {
      const p = Uint8Array.from(payload);
      assert.deepEqual(h264NalTypes(p), types);
      assert.equal(spsProfileLevelId(p), profile);
      assert.equal(startsKeyframe(p), key);
    });
  }

  test("the payload starts after CSRCs and a header extension; malformed packets have none", () => {
    assert.deepEqual([...rtpPayload(rtp({ payload: SPS }))!], SPS);
    assert.deepEqual([...rtpPayload(rtp({ payload: SPS, csrc: 2 }))!], SPS);
    assert.deepEqual([...rtpPayload(rtp({ payload: SPS, ext: 1 }))!], SPS);
    assert.equal(rtpPayload(Buffer.alloc(8)), null);
    const v1 = rtp({ payload: SPS });
    v1[0] = 0x40;
    assert.equal(rtpPayload(v1), null, "RTP version 1");
  });

  test("payload type rewrite keeps the marker and copies", () => {
    const p = rtp({ payload: SPS, marker: true, pt: 96 });
    const out = withPayloadType(p, 102);
    assert.equal(out[1], 0x80 | 102);
    assert.equal(p[1], 0x80 | 96, "the shared packet is not changed");
  });
});

describe("GOP burst", () => {
  test("timestamps squeezed one tick apart per frame, ending at the newest frame's own; seq and the cache unchanged", () => {
    const gop = [rtp({ seq: 10, ts: 0, payload: stapA(SPS, PPS) }), rtp({ seq: 11, ts: 0, payload: [0x65] }), rtp({ seq: 12, ts: 3600, payload: [0x41] }), rtp({ seq: 13, ts: 7200, payload: [0x41] }), rtp({ seq: 14, ts: 7200, payload: [0x41] })];
    const out = squeezeGop(gop);
    assert.deepEqual(out.map(rtpTimestamp), [7198, 7198, 7199, 7200, 7200]);
    assert.deepEqual(out.map(rtpSeq), [10, 11, 12, 13, 14]);
    assert.equal(rtpTimestamp(gop[0]), 0, "the cache keeps its own packets");
    assert.deepEqual(squeezeGop([]), []);
  });
  test("across the 32-bit timestamp wrap", () => {
    const out = squeezeGop([rtp({ ts: 0xffffff00, payload: [0x65] }), rtp({ ts: 0x00000e00, payload: [0x41] })]);
    assert.deepEqual(out.map(rtpTimestamp), [0x00000dff, 0x00000e00]);
  });
});

describe("RtpContinuity", () => {
  test("a restarted ffmpeg's random base continues one packet and one frame after the last one sent", () => {
    const c = new RtpContinuity();
    const a = [rtp({ seq: 65534, ts: 100, payload: [0x41] }), rtp({ seq: 65535, ts: 3700, payload: [0x41] })];
    for (const p of a) c.apply(p);
    assert.deepEqual(a.map(rtpSeq), [65534, 65535], "the first run passes unchanged");
    c.restart();
    const b = [rtp({ seq: 500, ts: 9_000_000, payload: [0x65] }), rtp({ seq: 501, ts: 9_003_600, payload: [0x41] })];
    for (const p of b) c.apply(p);
    assert.deepEqual(b.map(rtpSeq), [0, 1]);
    assert.deepEqual(b.map(rtpTimestamp), [7300, 10_900]);
  });
});
