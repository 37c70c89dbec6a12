import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createPpmReader, parsePpmHeader, type RgbFrame } from "./ppm";

const ppm = (w: number, h: number, fill: number, header = `P6\n${w} ${h}\n255\n`) => Buffer.concat([Buffer.from(header, "latin1"), Buffer.alloc(w * h * 3, fill)]);

describe("parsePpmHeader", () => {
  const cases: [string, string, { width: number; height: number; headerBytes: number } | null | RegExp][] = [
    ["ffmpeg's layout", "P6\n640 360\n255\n", { width: 640, height: 360, headerBytes: 15 }],
    ["spaces and CRLF", "P6 2  3\r\n255 ", { width: 2, height: 3, headerBytes: 13 }],
    ["incomplete: magic only", "P6", null],
    ["incomplete: a number may go on", "P6\n64", null],
    ["incomplete: before maxval's whitespace", "P6\n64 36\n255", null],
    ["another format", "P5\n64 36\n255\n", /P6/],
    ["16-bit", "P6\n64 36\n65535\n", /maxval|too long/],
    ["zero width", "P6\n0 36\n255\n", /refused/],
    ["huge", "P6\n9000 36\n255\n", /refused/],
    ["garbage", "P6\nxx 36\n255\n", /expected a number/],
  ];
  for (const [name, text, want] of cases)
    test(name, () => {
      const buf = Buffer.from(text, "latin1");
      if (want instanceof RegExp) assert.throws(() => parsePpmHeader(buf), want);
      else assert.deepEqual(parsePpmHeader(buf), want);
    });
});

describe("createPpmReader", () => {
  test("frames split across chunks at every offset, and a size change mid-stream", () => {
    const stream = Buffer.concat([ppm(4, 2, 10), ppm(4, 2, 20), ppm(3, 5, 30)]);
    for (const step of [1, 7, 13, 40, stream.length]) {
      const frames: RgbFrame[] = [];
      const reader = createPpmReader((f) => frames.push(f), (err) => assert.fail(err));
      for (let i = 0; i < stream.length; i += step) reader.push(stream.subarray(i, i + step));
      assert.deepEqual(
        frames.map((f) => [f.width, f.height, f.rgb.length, f.rgb[0], f.rgb[f.rgb.length - 1]]),
        [
          [4, 2, 24, 10, 10],
          [4, 2, 24, 20, 20],
          [3, 5, 45, 30, 30],
        ],
        `chunks of ${step}`,
      );
      assert.equal(reader.buffered, 0);
    }
  });
  test("frames not wanted are skipped without a copy; the wanted ones around them are whole, at every chunking", () => {
    const stream = Buffer.concat([ppm(4, 2, 10), ppm(4, 2, 20), ppm(3, 5, 30), ppm(2, 2, 40)]);
    for (const step of [1, 5, 24, 41, stream.length]) {
      const frames: RgbFrame[] = [];
      let n = 0;
      // Wanted: the 1st and 3rd frames (isWanted is asked once per frame, when it is complete).
      const reader = createPpmReader((f) => frames.push(f), (err) => assert.fail(err), () => n++ % 2 === 0);
      for (let i = 0; i < stream.length; i += step) reader.push(stream.subarray(i, i + step));
      assert.deepEqual(frames.map((f) => [f.width, f.height, f.rgb[0], f.rgb[f.rgb.length - 1]]), [[4, 2, 10, 10], [3, 5, 30, 30]], `chunks of ${step}`);
      assert.equal(reader.buffered, 0);
    }
  });
  test("a malformed header is reported once and nothing more is read", () => {
    const errors: Error[] = [];
    const frames: RgbFrame[] = [];
    const reader = createPpmReader((f) => frames.push(f), (e) => errors.push(e));
    reader.push(Buffer.concat([ppm(2, 2, 1), Buffer.from("garbage"), ppm(2, 2, 2)]));
    reader.push(ppm(2, 2, 3));
    assert.equal(frames.length, 1);
    assert.equal(errors.length, 1);
    assert.match(errors[0].message, /P6/);
  });
  test("frames do not share memory with the stream's buffers", () => {
    const chunk = ppm(2, 1, 5);
    let got: RgbFrame | null = null;
    createPpmReader((f) => (got = f), assert.fail).push(chunk);
    chunk.fill(0);
    assert.equal(got!.rgb[0], 5);
  });
});
