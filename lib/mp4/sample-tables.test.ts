// Sample tables as tables: input values → entries, and the exact bytes of each box.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { buildChunkOffsets, buildCtts, buildStsc, buildStss, buildStsz, buildStts, needsCo64, runLengths, stscEntries, syncSampleNumbers, type Chunk } from "./sample-tables";

/** A box's bytes as [size, type, version/flags, ...u32 fields] for readable expectations. */
const words = (b: Buffer | null) => b && [b.readUInt32BE(0), b.toString("latin1", 4, 8), ...Array.from({ length: (b.length - 8) / 4 }, (_, i) => b.readUInt32BE(8 + 4 * i))];

describe("runLengths", () => {
  const cases: [string, number[], [number, number][]][] = [
    ["empty", [], []],
    ["constant frame rate", [512, 512, 512], [[3, 512]]],
    ["a longer last frame", [512, 512, 1024], [[2, 512], [1, 1024]]],
    ["alternating", [1, 2, 1], [[1, 1], [1, 2], [1, 1]]],
  ];
  for (const [name, input, expected] of cases) test(name, () => assert.deepEqual(runLengths(input), expected));
});

describe("stts, ctts, stss, stsz", () => {
  test("stts: run-length durations", () => assert.deepEqual(words(buildStts([512, 512, 512, 490])), [32, "stts", 0, 2, 3, 512, 1, 490]));
  test("stts of no samples", () => assert.deepEqual(words(buildStts([])), [16, "stts", 0, 0]));
  test("ctts: none when all offsets are 0", () => assert.equal(buildCtts([0, 0, 0]), null));
  test("ctts version 0 for B-frames (I P B B)", () => assert.deepEqual(words(buildCtts([1024, 2560, 1024, 0, 0])), [48, "ctts", 0, 4, 1, 1024, 1, 2560, 1, 1024, 2, 0]));
  test("ctts version 1 when an offset is negative", () => {
    const b = buildCtts([0, -512, -512])!;
    assert.deepEqual([b.readUInt8(8), b.readUInt32BE(12), b.readUInt32BE(16), b.readInt32BE(20), b.readUInt32BE(24), b.readInt32BE(28)], [1, 2, 1, 0, 2, -512]);
  });
  const sync: [string, boolean[], number[] | null][] = [
    ["all sync (audio, intra-only): no stss", [true, true, true], null],
    ["one keyframe per GOP", [true, false, false, true, false], [1, 4]],
    ["no sync sample at all", [false, false], []],
  ];
  for (const [name, input, expected] of sync) test(`stss: ${name}`, () => assert.deepEqual(syncSampleNumbers(input), expected));
  test("stss bytes", () => assert.deepEqual(words(buildStss([true, false, true])), [24, "stss", 0, 2, 1, 3]));
  test("stss: left out when every sample is sync", () => assert.equal(buildStss([true]), null));
  test("stsz: one size for all", () => assert.deepEqual(words(buildStsz([214, 214, 214])), [20, "stsz", 0, 214, 3]));
  test("stsz: a size per sample", () => assert.deepEqual(words(buildStsz([214, 300])), [28, "stsz", 0, 0, 2, 214, 300]));
  test("stsz: zero-size samples are listed, not a uniform 0 (which would mean per-sample)", () => assert.deepEqual(words(buildStsz([0, 0])), [28, "stsz", 0, 0, 2, 0, 0]));
});

describe("stsc", () => {
  const c = (samples: number, sampleDescriptionIndex = 1): Chunk => ({ samples, sampleDescriptionIndex });
  const cases: [string, Chunk[], [number, number, number][]][] = [
    ["one GOP per chunk, equal GOPs", [c(25), c(25), c(25)], [[1, 25, 1]]],
    ["a change, then back", [c(25), c(24), c(24), c(25)], [[1, 25, 1], [2, 24, 1], [4, 25, 1]]],
    ["a new sample description starts an entry", [c(25), c(25, 2)], [[1, 25, 1], [2, 25, 2]]],
    ["no chunks", [], []],
  ];
  for (const [name, chunks, expected] of cases) test(name, () => assert.deepEqual(stscEntries(chunks).map((e) => [e.firstChunk, e.samplesPerChunk, e.sampleDescriptionIndex]), expected));
  test("bytes", () => assert.deepEqual(words(buildStsc([c(25), c(24)])), [40, "stsc", 0, 2, 1, 25, 1, 2, 24, 1]));
});

describe("chunk offsets", () => {
  const cases: [string, number[], boolean][] = [
    ["small file", [48, 1000], false],
    ["exactly 4 GiB − 1", [0xffff_ffff], false],
    ["past 4 GiB", [100, 0x1_0000_0000], true],
  ];
  for (const [name, offsets, expected] of cases) test(`needsCo64: ${name}`, () => assert.equal(needsCo64(offsets), expected));
  test("stco", () => assert.deepEqual(words(buildChunkOffsets([48, 1000])), [24, "stco", 0, 2, 48, 1000]));
  test("co64 past 4 GiB", () => {
    const b = buildChunkOffsets([48, 0x1_0000_0010]);
    assert.equal(b.toString("latin1", 4, 8), "co64");
    assert.deepEqual([b.readUInt32BE(12), Number(b.readBigUInt64BE(16)), Number(b.readBigUInt64BE(24))], [2, 48, 0x1_0000_0010]);
  });
  test("co64 on request (sizing the index before the offsets are known)", () => assert.equal(buildChunkOffsets([0], true).toString("latin1", 4, 8), "co64"));
});
