// H.264 facts from real files: ffmpeg (libx264, testsrc) encodes tiny streams in a temp folder; the SPS table covers
// the profile, chroma format, cropping and interlace branches; fMP4 HLS runs made with -c copy (as the recorder's
// ingest does) give init segments and media segments with in-band parameter sets — including a stream whose
// resolution changes mid-run, which is the case the recorder must catch.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { BlockReader, bufferSource, findSegmentSps, listBoxes, parseAvcC, parseSps, readAvcConfig, readInitFormat, readSegmentSps, withFileSource } from "./h264";

let tmp: string;

function ffmpeg(args: string[]) {
  const r = spawnSync("ffmpeg", ["-hide_banner", "-v", "error", "-y", ...args], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`ffmpeg ${args.join(" ")}: ${r.stderr}`);
}

/** `frames` frames of testsrc at `size` as raw Annex-B H.264, a keyframe every 10 frames, SPS/PPS before every IDR. */
function encode(name: string, size: string, extra: string[] = [], frames = 30, x264Params = ""): string {
  const file = path.join(tmp, `${name}.h264`);
  ffmpeg(["-f", "lavfi", "-i", `testsrc=size=${size}:rate=25`, "-frames:v", String(frames), "-c:v", "libx264", "-preset", "veryfast", "-g", "10", "-bf", "0", ...extra, "-x264-params", `repeat-headers=1${x264Params}`, "-f", "h264", file]);
  return file;
}

/** An fMP4 HLS run of `input` with -c copy (the recorder's ingest output options); returns the folder. */
function toHls(name: string, input: string[], hlsTime = 0.4): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir);
  ffmpeg([...input, "-map", "0:v:0", "-c", "copy", "-f", "hls", "-hls_segment_type", "fmp4", "-hls_time", String(hlsTime), "-hls_list_size", "0", "-hls_fmp4_init_filename", "init.mp4", "-hls_segment_filename", path.join(dir, "seg-%d.m4s"), path.join(dir, "index.m3u8")]);
  return dir;
}

const segments = (dir: string) =>
  fs
    .readFileSync(path.join(dir, "index.m3u8"), "utf8")
    .split("\n")
    .filter((l) => l.endsWith(".m4s"))
    .map((l) => path.join(dir, l));

/** The first SPS NAL unit of an Annex-B file. */
function annexBSps(file: string): Buffer {
  const data = fs.readFileSync(file);
  for (let i = 0; i + 4 < data.length; i++) {
    if (data[i] === 0 && data[i + 1] === 0 && data[i + 2] === 1 && (data[i + 3] & 0x1f) === 7) {
      let end = i + 3;
      while (end + 3 < data.length && !(data[end] === 0 && data[end + 1] === 0 && (data[end + 2] === 1 || (data[end + 2] === 0 && data[end + 3] === 1)))) end++;
      return data.subarray(i + 3, end);
    }
  }
  throw new Error(`${file}: no SPS`);
}

const size = (s: { width: number; height: number }) => `${s.width}x${s.height}`;

/** Writes bits MSB first; ue/se are Exp-Golomb codes (H.264 §9.1). */
class BitWriter {
  private bits: number[] = [];
  u(n: number, v: number) {
    for (let i = n - 1; i >= 0; i--) this.bits.push(Math.floor(v / 2 ** i) % 2);
    return this;
  }
  ue(v: number) {
    const len = Math.floor(Math.log2(v + 1));
    return this.u(len, 0).u(len + 1, v + 1);
  }
  se(v: number) {
    return this.ue(v > 0 ? 2 * v - 1 : -2 * v);
  }
  bytes(): Buffer {
    while (this.bits.length % 8) this.bits.push(0);
    return Buffer.from(Array.from({ length: this.bits.length / 8 }, (_, i) => this.bits.slice(i * 8, i * 8 + 8).reduce((a, b) => a * 2 + b, 0)));
  }
}

/** Inserts emulation prevention bytes: 00 00 followed by 00–03 becomes 00 00 03 0x. */
function escapeRbsp(rbsp: Buffer): Buffer {
  const out: number[] = [];
  let zeros = 0;
  for (const b of rbsp) {
    if (zeros >= 2 && b <= 3) {
      out.push(3);
      zeros = 0;
    }
    out.push(b);
    zeros = b === 0 ? zeros + 1 : 0;
  }
  return Buffer.from(out);
}

before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "nightjar-h264-"));
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("parseSps on real encoder output", () => {
  const cases: { name: string; size: string; args: string[]; x264?: string; expect: { profileIdc: number; chromaFormatIdc: number; frameMbsOnly: boolean; width: number; height: number } }[] = [
    { name: "Main 4:2:0, whole macroblocks", size: "320x240", args: ["-pix_fmt", "yuv420p", "-profile:v", "main"], expect: { profileIdc: 77, chromaFormatIdc: 1, frameMbsOnly: true, width: 320, height: 240 } },
    { name: "High, 1080-style bottom crop (180 = 192 − 12)", size: "320x180", args: ["-pix_fmt", "yuv420p", "-profile:v", "high"], expect: { profileIdc: 100, chromaFormatIdc: 1, frameMbsOnly: true, width: 320, height: 180 } },
    { name: "High, interlaced: field macroblock pairs, crop in 4-row units", size: "320x180", args: ["-pix_fmt", "yuv420p", "-profile:v", "high", "-flags", "+ildct+ilme"], expect: { profileIdc: 100, chromaFormatIdc: 1, frameMbsOnly: false, width: 320, height: 180 } },
    { name: "High 4:2:2: chroma_format_idc 2, crop right and bottom", size: "200x120", args: ["-pix_fmt", "yuv422p", "-profile:v", "high422"], expect: { profileIdc: 122, chromaFormatIdc: 2, frameMbsOnly: true, width: 200, height: 120 } },
    { name: "High 4:4:4: chroma_format_idc 3, crop in luma units", size: "200x120", args: ["-pix_fmt", "yuv444p", "-profile:v", "high444"], expect: { profileIdc: 244, chromaFormatIdc: 3, frameMbsOnly: true, width: 200, height: 120 } },
  ];
  for (const c of cases)
    test(c.name, () => {
      const file = encode(c.name.replace(/\W+/g, "-"), c.size, c.args, 1, c.x264);
      const info = parseSps(annexBSps(file));
      assert.deepEqual({ profileIdc: info.profileIdc, chromaFormatIdc: info.chromaFormatIdc, frameMbsOnly: info.frameMbsOnly, width: info.width, height: info.height }, c.expect);
    });

  test("hand-built High SPS: scaling lists, POC type 1 with a cycle, emulation prevention, 1920x1080 crop", () => {
    // x264 puts its matrices into the PPS, so the SPS branches no encoder here takes are written bit by bit.
    const w = new BitWriter();
    w.u(8, 100).u(8, 0).u(8, 40).ue(0); // profile High, constraints, level 4.0, sps id
    w.ue(1).ue(0).ue(0).u(1, 0); // 4:2:0, 8-bit luma and chroma, no transform bypass
    w.u(1, 1); // seq_scaling_matrix_present_flag
    for (let i = 0; i < 8; i++) {
      w.u(1, i % 3 === 0 ? 1 : 0); // lists 0, 3, 6 present
      if (i % 3 !== 0) continue;
      for (let j = 0; j < (i < 6 ? 16 : 64); j++) {
        // scale 8 → 16, then flat; list 0 ends early: a delta to next = 0 means "the rest repeats", nothing more is sent
        w.se(j === 0 ? 8 : i === 0 && j === 5 ? -16 : 0);
        if (i === 0 && j === 5) break;
      }
    }
    w.ue(0).ue(1); // log2_max_frame_num_minus4, pic_order_cnt_type 1
    w.u(1, 0).se(-(2 ** 29)).se(3).ue(2).se(1).se(-1); // a 61-bit code: 30 zero bits, so 00 00 00 in the RBSP
    w.ue(4).u(1, 0); // max_num_ref_frames, gaps
    w.ue(119).ue(67).u(1, 1).u(1, 1); // 120 × 68 macroblocks, frame_mbs_only, direct_8x8
    w.u(1, 1).ue(0).ue(0).ue(0).ue(4); // crop bottom 4 × 2 rows: 1088 → 1080
    w.u(1, 0).u(1, 1); // no VUI, rbsp stop bit
    const rbsp = w.bytes();
    const nal = Buffer.concat([Buffer.from([0x67]), escapeRbsp(rbsp)]);
    assert.ok(nal.length > rbsp.length + 1, "the NAL unit has emulation prevention bytes");
    assert.deepEqual(parseSps(nal), { profileIdc: 100, levelIdc: 40, chromaFormatIdc: 1, frameMbsOnly: true, width: 1920, height: 1080 });
  });

  test("refuses what is not an SPS or is cut short", () => {
    assert.throws(() => parseSps(Uint8Array.from([0x68, 0xeb, 0xe3, 0xcb])), /not an SPS/);
    assert.throws(() => parseSps(Uint8Array.from([0x67, 0x4d, 0x00, 0x1e])), /truncated/);
    assert.throws(() => parseSps(Uint8Array.from([0x67])), /not an SPS/);
  });
});

describe("init and media segments of an fMP4 HLS run (-c copy)", () => {
  let steady: string;
  let changing: string;
  let changingInOneSegment: string;
  let spsA: Buffer;
  let spsB: Buffer;
  before(() => {
    const a = encode("a", "320x240", ["-pix_fmt", "yuv420p", "-profile:v", "main"]);
    const b = encode("b", "320x180", ["-pix_fmt", "yuv420p", "-profile:v", "high"]);
    spsA = annexBSps(a);
    spsB = annexBSps(b);
    const ab = path.join(tmp, "ab.h264");
    fs.writeFileSync(ab, Buffer.concat([fs.readFileSync(a), fs.readFileSync(b)]));
    steady = toHls("steady", ["-f", "h264", "-framerate", "25", "-i", a]);
    // The camera switched from 320x240 to 320x180 at frame 30 (a keyframe): a -c copy run keeps going.
    changing = toHls("changing", ["-f", "h264", "-framerate", "25", "-i", ab]);
    // With 2 s segments the switch lands inside a segment (frames 0–49, keyframes every 10).
    changingInOneSegment = toHls("changing-2s", ["-f", "h264", "-framerate", "25", "-i", ab], 2);
  });

  test("the init segment's avcC: 4-byte NAL lengths and the first stream's SPS", () => {
    const init = readInitFormat(path.join(changing, "init.mp4"));
    assert.ok(init);
    assert.equal(init.lengthSize, 4);
    assert.ok(Buffer.from(init.sps).equals(spsA));
    assert.equal(size(init), "320x240");
  });

  test("a steady run: every segment starts with a keyframe carrying the init's SPS, found in one 4 KB read", () => {
    const files = segments(steady);
    assert.equal(files.length, 3);
    for (const f of files) {
      const reads = withFileSource(f, (src) => {
        const found = findSegmentSps(src, 4);
        assert.deepEqual(found?.keyframes, 1);
        assert.equal(found?.sps.length, 1);
        assert.ok(Buffer.from(found!.sps[0]).equals(spsA), path.basename(f));
        return src.reads;
      });
      assert.equal(reads, 1, `${path.basename(f)}: ${reads} reads`);
    }
  });

  test("a run across a resolution change: the segments after it carry the new SPS, the init still the old one", () => {
    const found = segments(changing).map((f) => readSegmentSps(f, 4)!.sps.map((s) => size(parseSps(s))).join(","));
    assert.deepEqual(found, ["320x240", "320x240", "320x240", "320x180", "320x180", "320x180"]);
    assert.equal(size(readInitFormat(path.join(changing, "init.mp4"))!), "320x240");
    assert.ok(Buffer.from(readSegmentSps(segments(changing)[3], 4)!.sps[0]).equals(spsB));
  });

  test("a change inside one segment: every keyframe is looked at", () => {
    const [first] = segments(changingInOneSegment);
    const found = readSegmentSps(first, 4)!;
    assert.equal(found.keyframes, 5);
    assert.deepEqual(found.sps.map((s) => size(parseSps(s))), ["320x240", "320x240", "320x240", "320x180", "320x180"]);
  });

  test("an encoder writing parameter sets only into avcC: keyframes without in-band SPS", () => {
    const dir = path.join(tmp, "global-header");
    fs.mkdirSync(dir);
    ffmpeg(["-f", "lavfi", "-i", "testsrc=size=160x120:rate=25", "-frames:v", "20", "-c:v", "libx264", "-preset", "ultrafast", "-g", "10", "-bf", "0", "-f", "hls", "-hls_segment_type", "fmp4", "-hls_time", "0.4", "-hls_fmp4_init_filename", "init.mp4", "-hls_segment_filename", path.join(dir, "seg-%d.m4s"), path.join(dir, "index.m3u8")]);
    assert.equal(size(readInitFormat(path.join(dir, "init.mp4"))!), "160x120");
    const found = segments(dir).map((f) => readSegmentSps(f, 4));
    assert.equal(found.length, 2);
    for (const f of found) assert.deepEqual(f, { keyframes: 1, sps: [] });
  });

  test("other codecs and other files: null, never a throw", () => {
    const hevc = path.join(tmp, "hevc");
    fs.mkdirSync(hevc);
    ffmpeg(["-f", "lavfi", "-i", "testsrc=size=160x120:rate=25", "-frames:v", "10", "-c:v", "libx265", "-x265-params", "log-level=error", "-f", "hls", "-hls_segment_type", "fmp4", "-hls_fmp4_init_filename", "init.mp4", "-hls_segment_filename", path.join(hevc, "seg-%d.m4s"), path.join(hevc, "index.m3u8")]);
    assert.equal(readInitFormat(path.join(hevc, "init.mp4")), null, "H.265 init");
    assert.equal(readSegmentSps(path.join(changing, "init.mp4"), 4), null, "an init segment has no moof");
    assert.equal(withFileSource(segments(changing)[0], (src) => readAvcConfig(src)), null, "a media segment has no moov");
    assert.equal(findSegmentSps(bufferSource(Buffer.from("not an mp4 file at all")), 4), null);
    assert.deepEqual(listBoxes(bufferSource(Buffer.from([0, 0, 0, 200, 0x6d, 0x6f, 0x6f, 0x66])), 0, 8), [], "a box larger than the file");
  });
});

describe("parseAvcC", () => {
  const sps = [0x67, 0x4d, 0x00, 0x1e];
  const pps = [0x68, 0xeb];
  const record = [1, 0x4d, 0x00, 0x1e, 0xff, 0xe1, 0, sps.length, ...sps, 1, 0, pps.length, ...pps];
  const cases: [string, number[], { lengthSize: number; sps: number[][]; pps: number[][] } | RegExp][] = [
    ["one SPS, one PPS, 4-byte lengths", record, { lengthSize: 4, sps: [sps], pps: [pps] }],
    ["2-byte lengths", [1, 0x4d, 0, 0x1e, 0xfd, 0xe1, 0, 4, ...sps, 0], { lengthSize: 2, sps: [sps], pps: [] }],
    ["no PPS count at all", [1, 0x4d, 0, 0x1e, 0xff, 0xe1, 0, 4, ...sps], { lengthSize: 4, sps: [sps], pps: [] }],
    ["truncated SPS", [1, 0x4d, 0, 0x1e, 0xff, 0xe1, 0, 9, ...sps], /truncated/],
    ["wrong version", [0, 0x4d, 0, 0x1e, 0xff, 0xe1, 0, 4, ...sps], /not an AVCDecoderConfigurationRecord/],
    ["length size 3", [1, 0x4d, 0, 0x1e, 0xfe, 0xe1, 0, 4, ...sps], /length size 3/],
  ];
  for (const [name, bytes, expect] of cases)
    test(name, () => {
      if (expect instanceof RegExp) return assert.throws(() => parseAvcC(Uint8Array.from(bytes)), expect);
      const r = parseAvcC(Uint8Array.from(bytes));
      assert.deepEqual({ lengthSize: r.lengthSize, sps: r.sps.map((s) => [...s]), pps: r.pps.map((s) => [...s]) }, expect);
    });
});

describe("BlockReader", () => {
  test("serves nearby reads from one block and reads again only outside it", () => {
    const data = Uint8Array.from({ length: 10_000 }, (_, i) => i & 0xff);
    const r = new BlockReader(data.length, (into, pos) => {
      const part = data.subarray(pos, pos + into.length);
      into.set(part);
      return part.length;
    }, 1000);
    assert.deepEqual([...r.read(10, 3)], [10, 11, 12]);
    assert.deepEqual([...r.read(990, 10)], [...data.subarray(990, 1000)]);
    assert.equal(r.reads, 1);
    assert.deepEqual([...r.read(1005, 10)], [...data.subarray(1005, 1015)]);
    assert.equal(r.reads, 2, "across the block's end (the block began at offset 10)");
    assert.equal(r.read(9_995, 10).length, 5, "short at the end of the file");
    assert.equal(r.read(20_000, 4).length, 0);
    assert.equal(r.read(0, 3000).length, 3000, "a read larger than a block");
  });
});
