// The box reader against hand-made bytes: header forms, bounds, nesting, the lenient scan, the field reader and the
// block cache.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import { box, boxHeader, fullBox } from "./box-writer";
import { BlockReader, bufferSource, childBoxes, FieldReader, findPath, listBoxes, Mp4FormatError, readBox, readFullBox, requirePath, scanBoxes, withFileSource } from "./boxes";

const bytes = (...parts: (number[] | Uint8Array)[]) => Buffer.concat(parts.map((p) => Buffer.from(p)));
const latin = (s: string) => [...Buffer.from(s, "latin1")];

describe("readBox", () => {
  const cases: [string, Buffer, { type: string; start: number; body: number; end: number }][] = [
    ["32-bit size", bytes([0, 0, 0, 12], latin("free"), [1, 2, 3, 4]), { type: "free", start: 0, body: 8, end: 12 }],
    ["64-bit largesize", bytes([0, 0, 0, 1], latin("mdat"), [0, 0, 0, 0, 0, 0, 0, 20], [9, 9, 9, 9]), { type: "mdat", start: 0, body: 16, end: 20 }],
    ["size 0 runs to the end", bytes([0, 0, 0, 0], latin("mdat"), [7, 7, 7]), { type: "mdat", start: 0, body: 8, end: 11 }],
    ["uuid: 16 bytes of user type before the payload", bytes([0, 0, 0, 26], latin("uuid"), new Uint8Array(16), [1, 2]), { type: "uuid", start: 0, body: 24, end: 26 }],
    ["empty box", bytes([0, 0, 0, 8], latin("skip")), { type: "skip", start: 0, body: 8, end: 8 }],
  ];
  for (const [name, input, expected] of cases) test(name, () => assert.deepEqual(readBox(bufferSource(input), 0), expected));

  const bad: [string, Buffer, RegExp][] = [
    ["header cut off", bytes([0, 0, 0, 12], latin("fr")), /box header at 0: needs 8 bytes, 6 left/],
    ["body cut off", bytes([0, 0, 0, 100], latin("mdat"), [1, 2, 3]), /box 'mdat' at 0 is 100 bytes but only 11 remain \(truncated input\)/],
    ["size smaller than the header", bytes([0, 0, 0, 4], latin("free")), /size 4 is smaller than its header/],
    ["largesize cut off", bytes([0, 0, 0, 1], latin("mdat"), [0, 0, 0]), /64-bit size cut off/],
    ["largesize smaller than its header", bytes([0, 0, 0, 1], latin("mdat"), [0, 0, 0, 0, 0, 0, 0, 8]), /smaller than its header \(16\)/],
    ["largesize beyond 2^53", bytes([0, 0, 0, 1], latin("mdat"), [0xff, 0, 0, 0, 0, 0, 0, 0]), /beyond 2\^53/],
  ];
  for (const [name, input, message] of bad) test(`refuses: ${name}`, () => assert.throws(() => readBox(bufferSource(input), 0), (e) => e instanceof Mp4FormatError && message.test(e.message)));

  test("a child that runs past its parent", () => {
    const input = bytes([0, 0, 0, 16], latin("moov"), [0, 0, 0, 20], latin("trak"), [0, 0, 0, 16], latin("free"), new Uint8Array(8));
    const moov = readBox(bufferSource(input), 0);
    assert.throws(() => childBoxes(bufferSource(input), moov), /box 'trak' at 8 is 20 bytes but only 8 remain in its parent/);
  });
});

describe("listBoxes, scanBoxes, paths", () => {
  const stsd = fullBox("stsd", 0, 0, Buffer.from([0, 0, 0, 1]), box("avc1", new Uint8Array(4)));
  const file = Buffer.concat([box("ftyp", Buffer.from("isom")), box("moov", box("mvhd", new Uint8Array(4)), box("trak", box("mdia", box("minf", box("stbl", stsd))))), boxHeader("mdat", 5), Buffer.alloc(5)]);
  const src = bufferSource(file);

  test("top level", () => assert.deepEqual(listBoxes(src).map((b) => b.type), ["ftyp", "moov", "mdat"]));
  test("a path", () => assert.equal(findPath(src, ["moov", "trak", "mdia", "minf", "stbl", "stsd"])?.type, "stsd"));
  test("a path that is not there", () => assert.equal(findPath(src, ["moov", "mvex"]), null));
  test("requirePath names what is missing", () => assert.throws(() => requirePath(src, ["mvex"], readBox(src, 12)), /no moov\/mvex \(at 12\)/));
  test("children after a full box's version/flags and entry count", () => {
    const box = findPath(src, ["moov", "trak", "mdia", "minf", "stbl", "stsd"])!;
    assert.deepEqual(childBoxes(src, box, 8).map((b) => b.type), ["avc1"]);
  });
  test("full box version and flags", () => {
    const b = fullBox("tfhd", 1, 0x020038, Buffer.from([0, 0, 0, 7]));
    const { version, flags, fields } = readFullBox(bufferSource(b), readBox(bufferSource(b), 0));
    assert.deepEqual([version, flags, fields.u32()], [1, 0x020038, 7]);
  });
  test("listBoxes throws on a truncated file, scanBoxes keeps what is readable", () => {
    const cut = bufferSource(file.subarray(0, file.length - 2));
    assert.throws(() => listBoxes(cut), /box 'mdat' at \d+ is 13 bytes but only 11 remain \(truncated input\)/);
    const { boxes, error } = scanBoxes(cut);
    assert.deepEqual(boxes.map((b) => b.type), ["ftyp", "moov"]);
    assert.match(error!.message, /mdat/);
  });
  test("scanBoxes of a whole file: no error", () => assert.equal(scanBoxes(src).error, null));
});

describe("FieldReader", () => {
  test("big-endian fields in order", () => {
    const f = new FieldReader(Buffer.from([1, 0, 2, 0, 0, 3, 0xff, 0xff, 0xff, 0xfe, 0, 0, 0, 1, 0, 0, 0, 0]), "x");
    assert.deepEqual([f.u8(), f.u16(), f.u24(), f.i32(), f.u64()], [1, 2, 3, -2, 0x1_0000_0000]);
  });
  test("a field past the end names the box and the field", () => assert.throws(() => new FieldReader(Buffer.from([0, 0]), "trun at 40").u32("sample_count"), /trun at 40: sample_count at byte 0 needs 4 bytes, the box has 2/));
  test("64-bit values beyond 2^53 are refused", () => assert.throws(() => new FieldReader(Buffer.alloc(8, 0xff), "tfdt").u64("baseMediaDecodeTime"), /does not fit in 53 bits/));
});

describe("BlockReader", () => {
  test("small reads near each other cost one underlying read", () => {
    const data = Buffer.from(Array.from({ length: 10_000 }, (_, i) => i & 0xff));
    const reader = new BlockReader(data.length, (into, position) => data.copy(into, 0, position, position + into.length));
    assert.deepEqual([...reader.read(10, 4)], [10, 11, 12, 13]);
    assert.deepEqual([...reader.read(100, 2)], [100, 101]);
    assert.equal(reader.reads, 1);
    assert.equal(reader.read(9_998, 10).length, 2); // short only at the end
    assert.equal(reader.reads, 2);
  });
  test("short positioned reads are continued", () => {
    const data = Buffer.alloc(5000, 7);
    const reader = new BlockReader(data.length, (into, position) => data.copy(into, 0, position, position + Math.min(100, into.length)));
    assert.equal(reader.read(0, 300).length, 300);
  });
  test("over a file", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "nightjar-mp4-boxes-")), "a.mp4");
    fs.writeFileSync(file, Buffer.concat([box("ftyp", Buffer.from("isom")), box("free")]));
    try {
      assert.deepEqual(withFileSource(file, (src) => listBoxes(src).map((b) => b.type)), ["ftyp", "free"]);
    } finally {
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
  });
});
