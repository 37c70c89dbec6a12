// planProgressiveMp4 on synthetic input (no sample data is ever read, so a "file" can be larger than memory): the
// exact sample tables of a small clip, decode-time gaps between fragments, tracks without samples, and co64 with a
// 64-bit mdat once the offsets pass 4 GiB.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { box, ByteWriter, fullBox } from "./box-writer";
import { type Box, type ByteSource, bufferSource, childBoxes, findPath, Mp4FormatError, readBox } from "./boxes";
import { type FragmentSample, writeFragment } from "./fragment-writer";
import { readInitSegment } from "./fragments";
import { planProgressiveMp4 } from "./progressive";

const KEY = 0x0200_0000;
const NON_KEY = 0x0101_0000;

/** A minimal fragmented init: per track tkhd, mdhd, hdlr, an empty stbl with one sample entry, and a trex. */
function syntheticInit(tracks: { id: number; handler: "vide" | "soun"; timescale: number; entry: string }[]): Buffer {
  const matrix = new ByteWriter().u32(0x1_0000).u32(0).u32(0).u32(0).u32(0x1_0000).u32(0).u32(0).u32(0).u32(0x4000_0000).toBuffer();
  const mvhd = fullBox("mvhd", 0, 0, new ByteWriter().u32(0).u32(0).u32(1000).u32(0).u32(0x1_0000).u16(0x100).bytes(Buffer.alloc(10), matrix, Buffer.alloc(24)).u32(tracks.length + 1).toBuffer());
  const traks = tracks.map((t) => {
    const tkhd = fullBox("tkhd", 0, 3, new ByteWriter().u32(0).u32(0).u32(t.id).u32(0).u32(0).bytes(Buffer.alloc(8)).u16(0).u16(0).u16(t.handler === "soun" ? 0x100 : 0).u16(0).bytes(matrix).u32(640 << 16).u32(360 << 16).toBuffer());
    const mdhd = fullBox("mdhd", 0, 0, new ByteWriter().u32(0).u32(0).u32(t.timescale).u32(0).u16(0x55c4).u16(0).toBuffer());
    const hdlr = fullBox("hdlr", 0, 0, new ByteWriter().u32(0).bytes(Buffer.from(t.handler, "latin1"), Buffer.alloc(12), Buffer.from("Handler\0")).toBuffer());
    const header = t.handler === "vide" ? fullBox("vmhd", 0, 1, Buffer.alloc(8)) : fullBox("smhd", 0, 0, Buffer.alloc(4));
    const dinf = box("dinf", fullBox("dref", 0, 0, new ByteWriter().u32(1).toBuffer(), fullBox("url ", 0, 1)));
    const empty = (type: string, extra = 0) => fullBox(type, 0, 0, Buffer.alloc(4 + extra));
    const stbl = box("stbl", fullBox("stsd", 0, 0, new ByteWriter().u32(1).toBuffer(), box(t.entry, Buffer.alloc(78))), empty("stts"), empty("stsc"), empty("stsz", 4), empty("stco"));
    return box("trak", tkhd, box("mdia", mdhd, hdlr, box("minf", header, dinf, stbl)));
  });
  const mvex = box("mvex", ...tracks.map((t) => fullBox("trex", 0, 0, new ByteWriter().u32(t.id).u32(1).u32(0).u32(0).u32(0).toBuffer())));
  return Buffer.concat([box("ftyp", Buffer.from("iso5\0\0\0\x01iso5", "latin1")), box("moov", mvhd, ...traks, mvex)]);
}

const plan = (init: Buffer, segments: ByteSource[]) => planProgressiveMp4(bufferSource(init), readInitSegment(bufferSource(init)), segments);

/** The header's moov, and a reader of the table boxes of track `i`. */
function tables(header: Buffer, i: number) {
  const src = bufferSource(header);
  const moov = readBox(src, readBox(src, 0).end, header.length);
  const trak = childBoxes(src, moov).filter((b) => b.type === "trak")[i];
  const stbl = findPath(src, ["mdia", "minf", "stbl"], trak)!;
  const u32s = (b: Box | undefined) => b && Array.from({ length: (b.end - b.body) / 4 }, (_, k) => header.readUInt32BE(b.body + 4 * k));
  const child = (type: string) => childBoxes(src, stbl).find((b) => b.type === type);
  return { src, moov, trak, types: childBoxes(src, stbl).map((b) => b.type), u32s: (type: string) => u32s(child(type)), child };
}

const sample = (size: number, flags = NON_KEY, duration = 512, compositionOffset = 0): FragmentSample => ({ duration, flags, compositionOffset, data: Buffer.alloc(size, size) });

describe("planProgressiveMp4", () => {
  const init = syntheticInit([
    { id: 1, handler: "vide", timescale: 12800, entry: "avc1" },
    { id: 2, handler: "soun", timescale: 48000, entry: "mp4a" },
  ]);

  test("the sample tables of two fragments of one video track", () => {
    // I P B, one frame of reorder delay: decoded at 0, 512, 1024; shown at 512, 1536, 1024.
    const gop = (t: number) => writeFragment([{ trackId: 1, decodeTime: t, samples: [sample(100, KEY, 512, 512), sample(40, NON_KEY, 512, 1024), sample(30, NON_KEY, 512, 0)] }], { sequence: 1 });
    const p = plan(init, [bufferSource(gop(12800)), bufferSource(gop(12800 + 1536))]);
    const t = tables(p.header, 0);
    assert.deepEqual(t.types, ["stsd", "stts", "stss", "ctts", "stsc", "stsz", "stco"]);
    assert.deepEqual(t.u32s("stts"), [0, 1, 6, 512]);
    assert.deepEqual(t.u32s("stss"), [0, 2, 1, 4]);
    assert.deepEqual(t.u32s("ctts"), [0, 6, 1, 512, 1, 1024, 1, 0, 1, 512, 1, 1024, 1, 0]);
    assert.deepEqual(t.u32s("stsc"), [0, 1, 1, 3, 1]);
    assert.deepEqual(t.u32s("stsz"), [0, 0, 6, 100, 40, 30, 100, 40, 30]);
    assert.deepEqual(t.u32s("stco"), [0, 2, p.header.length, p.header.length + 170]);
    assert.deepEqual(p.copies.map((c) => [c.segment, c.bytes]), [[0, 170], [1, 170]]);
    assert.equal(p.bytes, p.header.length + 340);
    // The reorder delay (512 ticks) as the edit's media time, 6 frames = 240 ms; the audio track has no samples and is left out.
    assert.deepEqual(p.tracks.map((x) => [x.trackId, x.samples, x.syncSamples, x.mediaDuration]), [[1, 6, 2, 3072]]);
    const elst = findPath(t.src, ["edts", "elst"], t.trak)!;
    assert.deepEqual([p.header.readUInt32BE(elst.body + 4), p.header.readUInt32BE(elst.body + 8), p.header.readInt32BE(elst.body + 12)], [1, 240, 512]);
    assert.equal(childBoxes(t.src, t.moov).filter((b) => b.type === "trak").length, 1);
    assert.equal(childBoxes(t.src, t.moov).some((b) => b.type === "mvex"), false);
  });

  test("a gap between fragments lengthens the sample before it; all-sync audio has no stss", () => {
    const a = (t: number) => writeFragment([{ trackId: 2, decodeTime: t, samples: [sample(10, KEY, 1024), sample(10, KEY, 1024)] }], { sequence: 1 });
    const p = plan(init, [bufferSource(a(0)), bufferSource(a(2048 + 100))]);
    const t = tables(p.header, 0);
    assert.deepEqual(t.u32s("stts"), [0, 3, 1, 1024, 1, 1124, 2, 1024]);
    assert.equal(t.child("stss"), undefined);
    assert.equal(t.child("ctts"), undefined);
    assert.deepEqual(t.u32s("stsz"), [0, 10, 4]);
    assert.equal(p.tracks[0].handler, "soun");
  });

  test("a fragment that starts before the previous one ends: refused", () => {
    const a = (t: number) => writeFragment([{ trackId: 2, decodeTime: t, samples: [sample(10, KEY, 1024), sample(10, KEY, 1024)] }], { sequence: 1 });
    assert.throws(() => plan(init, [bufferSource(a(0)), bufferSource(a(500))]), /segment 1: track 2 starts at decode time 500, the previous fragment ends at 2048/);
  });

  test("no samples at all: refused", () => {
    assert.throws(() => plan(init, [bufferSource(writeFragment([{ trackId: 1, decodeTime: 0, samples: [] }], { sequence: 1 }))]), (e) => e instanceof Mp4FormatError && /no samples in 1 segment/.test(e.message));
  });

  test("past 4 GiB: co64 and a 64-bit mdat (sample data never read)", () => {
    const SAMPLE_BYTES = 3_000_000_000;
    /** A segment with one sample of 3 GB: the real moof and mdat header, zeros after (never asked for). */
    const huge = (decodeTime: number): ByteSource => {
      const trun = (offset: number) => fullBox("trun", 0, 0x000205, new ByteWriter().u32(1).i32(offset).u32(KEY).u32(SAMPLE_BYTES).toBuffer());
      const moof = (offset: number) => box("moof", fullBox("mfhd", 0, 0, new ByteWriter().u32(1).toBuffer()), box("traf", fullBox("tfhd", 0, 0x020008, new ByteWriter().u32(1).u32(512).toBuffer()), fullBox("tfdt", 1, 0, new ByteWriter().u64(decodeTime).toBuffer()), trun(offset)));
      const size = moof(0).length;
      const head = Buffer.concat([moof(size + 16), new ByteWriter().u32(1).bytes(Buffer.from("mdat")).u64(16 + SAMPLE_BYTES).toBuffer()]);
      const total = head.length + SAMPLE_BYTES;
      return { size: total, read: (offset, length) => (offset < head.length ? head.subarray(offset, Math.min(head.length, offset + length)) : Buffer.alloc(Math.max(0, Math.min(length, total - offset)))) };
    };
    const p = plan(init, [huge(0), huge(512), huge(1024)]); // the third chunk starts at 6 GB
    const t = tables(p.header, 0);
    assert.equal(t.child("stco"), undefined);
    const co64 = t.child("co64")!;
    const offsets = [0, 1, 2].map((k) => Number(p.header.readBigUInt64BE(co64.body + 8 + 8 * k)));
    assert.deepEqual(offsets, [0, 1, 2].map((k) => p.header.length + k * SAMPLE_BYTES));
    assert.deepEqual([p.header.readUInt32BE(p.header.length - 16), p.header.toString("latin1", p.header.length - 12, p.header.length - 8), Number(p.header.readBigUInt64BE(p.header.length - 8))], [1, "mdat", 16 + 3 * SAMPLE_BYTES]);
    assert.equal(p.bytes, p.header.length + 3 * SAMPLE_BYTES);
  });
});
