// The fragment reader: tfhd/trun/trex defaulting as tables, then media segments written in every layout
// (fragment-writer.ts) read back to the same samples and bytes.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { box, ByteWriter, fullBox } from "./box-writer";
import { bufferSource, Mp4FormatError } from "./boxes";
import { type FragmentSample, type TrafSpec, writeFragment } from "./fragment-writer";
import { expandTrun, parseEditStart, parseTfdt, parseTfhd, parseTrex, parseTrun, readSegmentRuns, resolveDefaults, type SampleDefaults, type Trun } from "./fragments";

const payload = (version: number, flags: number, w: ByteWriter) => fullBox("x___", version, flags, w.toBuffer()).subarray(8);
const TREX: SampleDefaults = { sampleDescriptionIndex: 1, sampleDuration: 512, sampleSize: 100, sampleFlags: 0x0101_0000 };
const KEY = 0x0200_0000;
const NON_KEY = 0x0101_0000;

describe("box payloads", () => {
  test("trex", () => assert.deepEqual(parseTrex(payload(0, 0, new ByteWriter().u32(2).u32(1).u32(1024).u32(0).u32(0x0200_0000))), { trackId: 2, sampleDescriptionIndex: 1, sampleDuration: 1024, sampleSize: 0, sampleFlags: 0x0200_0000 }));

  const tfhds: [string, number, ByteWriter, Partial<ReturnType<typeof parseTfhd>>][] = [
    ["nothing but the track", 0, new ByteWriter().u32(1), { trackId: 1, baseDataOffset: null, sampleDuration: null, isDefaultBaseMoof: false }],
    ["ffmpeg's: base is moof, duration, size, flags", 0x020038, new ByteWriter().u32(1).u32(512).u32(17315).u32(NON_KEY), { sampleDuration: 512, sampleSize: 17315, sampleFlags: NON_KEY, isDefaultBaseMoof: true }],
    ["every field", 0x01003b, new ByteWriter().u32(3).u64(0x1_0000_0010).u32(2).u32(1).u32(2).u32(3), { trackId: 3, baseDataOffset: 0x1_0000_0010, sampleDescriptionIndex: 2, sampleDuration: 1, sampleSize: 2, sampleFlags: 3, isDurationEmpty: true }],
  ];
  for (const [name, flags, w, expected] of tfhds) test(`tfhd: ${name}`, () => assert.deepEqual({ ...parseTfhd(payload(0, flags, w)), ...expected }, parseTfhd(payload(0, flags, w))));
  test("tfhd cut short", () => assert.throws(() => parseTfhd(payload(0, 0x08, new ByteWriter().u32(1))), /tfhd: default_sample_duration at byte 8 needs 4 bytes/));

  test("tfdt version 0 and 1", () => {
    assert.equal(parseTfdt(payload(0, 0, new ByteWriter().u32(12800))), 12800);
    assert.equal(parseTfdt(payload(1, 0, new ByteWriter().u64(2 ** 40))), 2 ** 40);
  });

  test("trun with every field", () => {
    const t = parseTrun(payload(0, 0xf01, new ByteWriter().u32(2).i32(-8).u32(512).u32(10).u32(KEY).u32(1024).u32(512).u32(20).u32(NON_KEY).u32(0)));
    assert.deepEqual([t.sampleCount, t.dataOffset, t.firstSampleFlags], [2, -8, null]);
    assert.deepEqual([[...t.durations!], [...t.sizes!], [...t.flags!], [...t.compositionOffsets!]], [[512, 512], [10, 20], [KEY, NON_KEY], [1024, 0]]);
  });
  test("trun version 1: signed composition offsets", () => assert.deepEqual([...parseTrun(payload(1, 0x800, new ByteWriter().u32(2).i32(-512).i32(512))).compositionOffsets!], [-512, 512]));
  test("trun version 0: unsigned composition offsets", () => assert.deepEqual([...parseTrun(payload(0, 0x800, new ByteWriter().u32(1).u32(0xffff_fe00))).compositionOffsets!], [0xffff_fe00]));
  test("trun whose table does not fit", () => assert.throws(() => parseTrun(payload(0, 0x200, new ByteWriter().u32(1000).u32(1))), /1000 samples × 4 bytes do not fit in the 4 bytes left/));
});

describe("defaults", () => {
  const tfhd = (over: Partial<ReturnType<typeof parseTfhd>>) => ({ trackId: 1, baseDataOffset: null, sampleDescriptionIndex: null, sampleDuration: null, sampleSize: null, sampleFlags: null, isDurationEmpty: false, isDefaultBaseMoof: true, ...over });
  const cases: [string, ReturnType<typeof parseTfhd>, SampleDefaults][] = [
    ["all from trex", tfhd({}), TREX],
    ["tfhd overrides some", tfhd({ sampleDuration: 1024, sampleFlags: KEY }), { ...TREX, sampleDuration: 1024, sampleFlags: KEY }],
    ["tfhd zero is a value, not absent", tfhd({ sampleSize: 0, sampleDescriptionIndex: 2 }), { ...TREX, sampleSize: 0, sampleDescriptionIndex: 2 }],
  ];
  for (const [name, t, expected] of cases) test(`resolveDefaults: ${name}`, () => assert.deepEqual(resolveDefaults(t, TREX), expected));

  const trun = (over: Partial<Trun>): Trun => ({ sampleCount: 3, dataOffset: null, firstSampleFlags: null, durations: null, sizes: null, flags: null, compositionOffsets: null, ...over });
  const expand: [string, Trun, { durations: number[]; sizes: number[]; flags: number[]; cto: number[] | null }][] = [
    ["nothing per sample: the defaults", trun({}), { durations: [512, 512, 512], sizes: [100, 100, 100], flags: [NON_KEY, NON_KEY, NON_KEY], cto: null }],
    ["first-sample-flags: the keyframe", trun({ firstSampleFlags: KEY }), { durations: [512, 512, 512], sizes: [100, 100, 100], flags: [KEY, NON_KEY, NON_KEY], cto: null }],
    ["per-sample sizes and offsets", trun({ sizes: Uint32Array.of(5, 6, 7), compositionOffsets: Float64Array.of(1024, 0, 512) }), { durations: [512, 512, 512], sizes: [5, 6, 7], flags: [NON_KEY, NON_KEY, NON_KEY], cto: [1024, 0, 512] }],
    ["per-sample flags win over first-sample-flags", trun({ firstSampleFlags: KEY, flags: Uint32Array.of(NON_KEY, KEY, NON_KEY) }), { durations: [512, 512, 512], sizes: [100, 100, 100], flags: [NON_KEY, KEY, NON_KEY], cto: null }],
    ["per-sample durations", trun({ durations: Uint32Array.of(1, 2, 3) }), { durations: [1, 2, 3], sizes: [100, 100, 100], flags: [NON_KEY, NON_KEY, NON_KEY], cto: null }],
  ];
  for (const [name, t, expected] of expand) {
    test(`expandTrun: ${name}`, () => {
      const s = expandTrun(t, TREX);
      assert.deepEqual({ durations: [...s.durations], sizes: [...s.sizes], flags: [...s.flags], cto: s.compositionOffsets && [...s.compositionOffsets] }, expected);
    });
  }
  test("expandTrun of an empty run", () => assert.equal(expandTrun(trun({ sampleCount: 0, firstSampleFlags: KEY }), TREX).count, 0));
});

describe("parseEditStart", () => {
  const elst = (version: 0 | 1, entries: [number, number][]) => {
    const w = new ByteWriter().u32(entries.length);
    for (const [d, m] of entries) {
      w.uv(version, d);
      if (version) w.bytes(m < 0 ? Buffer.alloc(8, 0xff) : new ByteWriter().u64(m).toBuffer());
      else w.i32(m);
      w.u32(0x1_0000);
    }
    return payload(version, 0, w);
  };
  const cases: [string, Uint8Array, { emptyTicks: number; mediaTime: number }][] = [
    ["ffmpeg's B-frame video: empty 80 ms, then from 1024", elst(0, [[80, -1], [0, 1024]]), { emptyTicks: 80, mediaTime: 1024 }],
    ["one edit from 0", elst(0, [[0, 0]]), { emptyTicks: 0, mediaTime: 0 }],
    ["version 1", elst(1, [[40, -1], [0, 2048]]), { emptyTicks: 40, mediaTime: 2048 }],
    ["no entries", elst(0, []), { emptyTicks: 0, mediaTime: 0 }],
    ["only later entries ignored", elst(0, [[1000, 0], [500, 9000]]), { emptyTicks: 0, mediaTime: 0 }],
  ];
  for (const [name, p, expected] of cases) test(name, () => assert.deepEqual(parseEditStart(p), expected));
});

describe("readSegmentRuns", () => {
  const sample = (i: number, track: number, flags = i === 0 ? KEY : NON_KEY): FragmentSample => ({ duration: 512, flags, compositionOffset: 0, data: Buffer.alloc(10 + i, track * 16 + i) });
  const video = Array.from({ length: 5 }, (_, i) => sample(i, 1));
  const audio = Array.from({ length: 3 }, (_, i) => ({ ...sample(i, 2, KEY), duration: 1024 }));
  const trex = new Map([
    [1, { ...TREX, sampleSize: 0 }],
    [2, { sampleDescriptionIndex: 1, sampleDuration: 1024, sampleSize: 0, sampleFlags: KEY }],
  ]);
  const segment = (...moofs: TrafSpec[][]) => {
    const parts: Buffer[] = [box("styp", Buffer.from("msdh"))];
    let at = parts[0].length;
    moofs.forEach((trafs, i) => {
      parts.push(writeFragment(trafs, { sequence: i + 1, fileOffset: at }));
      at += parts[parts.length - 1].length;
    });
    return Buffer.concat(parts);
  };
  /** Every run's samples, and the bytes found where the run says they are. */
  const read = (seg: Buffer) =>
    readSegmentRuns(bufferSource(seg), trex).map((r) => ({ track: r.trackId, decodeTime: r.decodeTime, sizes: [...r.samples.sizes], durations: [...r.samples.durations], keys: [...r.samples.flags].map((f) => f === KEY), data: seg.subarray(r.dataOffset, r.dataOffset + r.dataBytes).toString("hex") }));
  const expected = (samples: FragmentSample[], track: number, decodeTime: number | null) => ({ track, decodeTime, sizes: samples.map((s) => s.data.length), durations: samples.map((s) => s.duration), keys: samples.map((s) => s.flags === KEY), data: Buffer.concat(samples.map((s) => s.data)).toString("hex") });

  const layouts: [string, TrafSpec[][], ReturnType<typeof expected>[]][] = [
    ["ffmpeg's layout: default-base-is-moof, tfhd defaults, first-sample-flags", [[{ trackId: 1, samples: video, decodeTime: 12800, defaults: { sampleDuration: 512, sampleFlags: NON_KEY }, fields: { duration: false, size: true, flags: false, compositionOffset: false }, hasFirstSampleFlags: true }]], [expected(video, 1, 12800)]],
    ["everything from trex, no tfdt", [[{ trackId: 1, samples: video.map((s) => ({ ...s, data: Buffer.alloc(100, 1) })), decodeTime: null, defaults: { sampleSize: 100 }, fields: { duration: false, size: false, flags: false, compositionOffset: false }, hasFirstSampleFlags: true }]], [expected(video.map((s) => ({ ...s, data: Buffer.alloc(100, 1) })), 1, null)]],
    ["base-data-offset, every field per sample, trun version 1", [[{ trackId: 1, samples: video, decodeTime: 0, base: "explicit", trunVersion: 1 }]], [expected(video, 1, 0)]],
    ["two runs, the second follows the first (no data_offset)", [[{ trackId: 1, samples: video, decodeTime: 512, runs: [2, 3], dataOffsets: "first" }]], [expected(video.slice(0, 2), 1, 512), expected(video.slice(2), 1, null)]],
    ["two tracks, implicit base: the second traf starts where the first one's data ends", [[{ trackId: 1, samples: video, decodeTime: 0, base: "implicit" }, { trackId: 2, samples: audio, decodeTime: 0, base: "implicit", dataOffsets: "none" }]], [expected(video, 1, 0), expected(audio, 2, 0)]],
    ["two moofs in one segment", [[{ trackId: 1, samples: video.slice(0, 3), decodeTime: 0 }], [{ trackId: 1, samples: video.slice(3), decodeTime: 1536, tfdtVersion: 0 }]], [expected(video.slice(0, 3), 1, 0), expected(video.slice(3), 1, 1536)]],
  ];
  for (const [name, moofs, runs] of layouts) test(name, () => assert.deepEqual(read(segment(...moofs)), runs));

  const one = segment([{ trackId: 1, samples: video, decodeTime: 0 }]);
  const errors: [string, Buffer, RegExp][] = [
    ["truncated in the mdat", one.subarray(0, one.length - 3), /box 'mdat' at \d+ is \d+ bytes but only \d+ remain \(truncated input\)/],
    ["truncated in the moof", one.subarray(0, 60), /box 'moof' at 12 is \d+ bytes but only 48 remain \(truncated input\)/],
    ["a track the init does not declare", segment([{ trackId: 7, samples: video, decodeTime: 0 }]), /track 7 is not in the init segment/],
    ["no moof", box("styp", Buffer.from("msdh")), /no moof: not an fMP4 media segment \(styp\)/],
    ["samples outside the mdat", segment([{ trackId: 1, samples: video, decodeTime: 0, base: "implicit", dataOffsets: "none" }]), /5 samples at 12\+60 are not inside an mdat \(184..244\)/],
  ];
  for (const [name, seg, message] of errors) test(`refuses: ${name}`, () => assert.throws(() => readSegmentRuns(bufferSource(seg), trex), (e) => e instanceof Mp4FormatError && message.test(e.message)));

  test("refuses encrypted samples", () => {
    const frag = writeFragment([{ trackId: 1, samples: video, decodeTime: 0 }], { sequence: 1 });
    // Put a senc box into the traf (sizes fixed up by hand: moof and traf grow by the same 16 bytes).
    const senc = fullBox("senc", 0, 0, Buffer.alloc(4));
    const moofSize = frag.readUInt32BE(0);
    const trafAt = 8 + 16; // after the moof header and mfhd
    const patched = Buffer.concat([frag.subarray(0, moofSize), senc, frag.subarray(moofSize)]);
    patched.writeUInt32BE(moofSize + senc.length, 0);
    patched.writeUInt32BE(patched.readUInt32BE(trafAt) + senc.length, trafAt);
    assert.throws(() => readSegmentRuns(bufferSource(patched), trex), /encrypted samples \('senc'\) are not supported/);
  });
});
