// Video format facts from real files, H.264 and H.265: ffmpeg (libx264 / libx265, testsrc) encodes tiny streams in a
// temp folder; the H.264 SPS table covers the profile, chroma format, cropping and interlace branches (H.265's SPS has
// its own tests, lib/h265/sps.test.ts); fMP4 HLS runs made with -c copy (as the recorder's ingest does) give init
// segments and media segments with in-band parameter sets — including streams whose resolution changes mid-run, which
// is the case the recorder must catch — and plain MP4 files give both H.265 sample entries, hev1 and hvc1.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { parseSps } from "../h264/sps";
import { HEVC_NAL_SPS, hevcNalType } from "../h265/sps";
import {
  BlockReader,
  bufferSource,
  findPath,
  findSegmentSps,
  listBoxes,
  parseAvcC,
  parseHvcC,
  parseSpsFormat,
  parseSpsSize,
  readAvcConfig,
  readHevcConfig,
  readInitFormat,
  readSegmentSps,
  readVideoConfig,
  withFileSource,
  type NalFraming,
} from "./video-format";

let tmp: string;

/** The framing of ffmpeg's H.264 and H.265 tracks: 4-byte NAL unit lengths. */
const H264: NalFraming = { codec: "h264", lengthSize: 4 };
const HEVC: NalFraming = { codec: "hevc", lengthSize: 4 };

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
    assert.equal(init.codec, "h264");
    assert.equal(init.lengthSize, 4);
    assert.equal(init.bitDepth, 8);
    assert.ok(Buffer.from(init.sps).equals(spsA));
    assert.equal(size(init), "320x240");
  });

  test("a steady run: every segment starts with a keyframe carrying the init's SPS, found in one 4 KB read", () => {
    const files = segments(steady);
    assert.equal(files.length, 3);
    for (const f of files) {
      const reads = withFileSource(f, (src) => {
        const found = findSegmentSps(src, H264);
        assert.deepEqual(found?.keyframes, 1);
        assert.equal(found?.sps.length, 1);
        assert.ok(Buffer.from(found!.sps[0]).equals(spsA), path.basename(f));
        return src.reads;
      });
      assert.equal(reads, 1, `${path.basename(f)}: ${reads} reads`);
    }
  });

  test("a run across a resolution change: the segments after it carry the new SPS, the init still the old one", () => {
    const found = segments(changing).map((f) => readSegmentSps(f, H264)!.sps.map((s) => size(parseSps(s))).join(","));
    assert.deepEqual(found, ["320x240", "320x240", "320x240", "320x180", "320x180", "320x180"]);
    assert.equal(size(readInitFormat(path.join(changing, "init.mp4"))!), "320x240");
    assert.ok(Buffer.from(readSegmentSps(segments(changing)[3], H264)!.sps[0]).equals(spsB));
  });

  test("a change inside one segment: every keyframe is looked at", () => {
    const [first] = segments(changingInOneSegment);
    const found = readSegmentSps(first, H264)!;
    assert.equal(found.keyframes, 5);
    assert.deepEqual(found.sps.map((s) => size(parseSps(s))), ["320x240", "320x240", "320x240", "320x180", "320x180"]);
  });

  test("an encoder writing parameter sets only into avcC: keyframes without in-band SPS", () => {
    const dir = path.join(tmp, "global-header");
    fs.mkdirSync(dir);
    ffmpeg(["-f", "lavfi", "-i", "testsrc=size=160x120:rate=25", "-frames:v", "20", "-c:v", "libx264", "-preset", "ultrafast", "-g", "10", "-bf", "0", "-f", "hls", "-hls_segment_type", "fmp4", "-hls_time", "0.4", "-hls_fmp4_init_filename", "init.mp4", "-hls_segment_filename", path.join(dir, "seg-%d.m4s"), path.join(dir, "index.m3u8")]);
    assert.equal(size(readInitFormat(path.join(dir, "init.mp4"))!), "160x120");
    const found = segments(dir).map((f) => readSegmentSps(f, H264));
    assert.equal(found.length, 2);
    for (const f of found) assert.deepEqual(f, { keyframes: 1, sps: [] });
  });

  test("other codecs and other files: null, never a throw", () => {
    const mpeg4 = path.join(tmp, "mpeg4");
    fs.mkdirSync(mpeg4);
    ffmpeg(["-f", "lavfi", "-i", "testsrc=size=160x120:rate=25", "-frames:v", "10", "-c:v", "mpeg4", "-f", "hls", "-hls_segment_type", "fmp4", "-hls_fmp4_init_filename", "init.mp4", "-hls_segment_filename", path.join(mpeg4, "seg-%d.m4s"), path.join(mpeg4, "index.m3u8")]);
    assert.equal(readInitFormat(path.join(mpeg4, "init.mp4")), null, "MPEG-4 Part 2 init (mp4v)");
    assert.equal(readSegmentSps(path.join(changing, "init.mp4"), H264), null, "an init segment has no moof");
    assert.equal(withFileSource(segments(changing)[0], (src) => readAvcConfig(src)), null, "a media segment has no moov");
    assert.equal(withFileSource(path.join(changing, "init.mp4"), (src) => readHevcConfig(src)), null, "an H.264 init has no hvcC");
    assert.equal(findSegmentSps(bufferSource(Buffer.from("not an mp4 file at all")), H264), null);
    assert.deepEqual(listBoxes(bufferSource(Buffer.from([0, 0, 0, 200, 0x6d, 0x6f, 0x6f, 0x66])), 0, 8), [], "a box larger than the file");
  });
});

// ── H.265 ───────────────────────────────────────────────────────────────────────────────────────────────────────

/** x265 settings of the H.265 streams: a closed GOP of 10 frames (IDR keyframes), no B-frames, VPS/SPS/PPS in-band. */
const X265_PARAMS = "log-level=error:keyint=10:min-keyint=10:scenecut=0:bframes=0:open-gop=0:repeat-headers=1";

/** `frames` frames of testsrc at `size` as raw Annex-B H.265 (libx265), a keyframe every 10 frames with its headers. */
function encodeHevc(name: string, size: string, extra: string[] = [], frames = 30): string {
  const file = path.join(tmp, `${name}.hevc`);
  ffmpeg(["-f", "lavfi", "-i", `testsrc=size=${size}:rate=25`, "-frames:v", String(frames), "-c:v", "libx265", "-preset", "ultrafast", ...extra, "-x265-params", X265_PARAMS, "-f", "hevc", file]);
  return file;
}

/** The first SPS NAL unit (type 33) of an Annex-B H.265 file. */
function annexBHevcSps(file: string): Buffer {
  const data = fs.readFileSync(file);
  for (let i = 0; i + 4 < data.length; i++) {
    if (data[i] === 0 && data[i + 1] === 0 && data[i + 2] === 1 && hevcNalType(data[i + 3]) === HEVC_NAL_SPS) {
      let end = i + 3;
      while (end + 3 < data.length && !(data[end] === 0 && data[end + 1] === 0 && (data[end + 2] === 1 || (data[end + 2] === 0 && data[end + 3] === 1)))) end++;
      return data.subarray(i + 3, end);
    }
  }
  throw new Error(`${file}: no H.265 SPS`);
}

/** The type of the first sample entry of an MP4's first track ("hev1", "hvc1", "avc1", …). */
const sampleEntryType = (file: string) =>
  withFileSource(file, (src) => {
    const stsd = findPath(src, ["moov", "trak", "mdia", "minf", "stbl", "stsd"]);
    return stsd ? listBoxes(src, stsd.body + 8, stsd.end)[0]?.type : undefined;
  });

describe("H.265: init and media segments of an fMP4 HLS run (-c copy)", () => {
  let steady: string;
  let changing: string;
  let changingInOneSegment: string;
  let spsA: Buffer;
  let spsB: Buffer;
  before(() => {
    const a = encodeHevc("ha", "320x240");
    const b = encodeHevc("hb", "320x180");
    spsA = annexBHevcSps(a);
    spsB = annexBHevcSps(b);
    const ab = path.join(tmp, "hab.hevc");
    fs.writeFileSync(ab, Buffer.concat([fs.readFileSync(a), fs.readFileSync(b)]));
    steady = toHls("h-steady", ["-f", "hevc", "-framerate", "25", "-i", a]);
    // The camera switched from 320x240 to 320x180 at frame 30 (a keyframe): a -c copy run keeps going.
    changing = toHls("h-changing", ["-f", "hevc", "-framerate", "25", "-i", ab]);
    changingInOneSegment = toHls("h-changing-2s", ["-f", "hevc", "-framerate", "25", "-i", ab], 2);
  });

  test("the init segment: an hev1 entry whose hvcC holds the VPS, SPS and PPS; codec hevc, 4-byte lengths, the first stream's SPS", () => {
    const file = path.join(changing, "init.mp4");
    assert.equal(sampleEntryType(file), "hev1");
    const init = readInitFormat(file);
    assert.ok(init);
    assert.deepEqual({ codec: init.codec, lengthSize: init.lengthSize, bitDepth: init.bitDepth, size: size(init) }, { codec: "hevc", lengthSize: 4, bitDepth: 8, size: "320x240" });
    assert.ok(Buffer.from(init.sps).equals(spsA));
    const config = withFileSource(file, (src) => readHevcConfig(src))!;
    assert.deepEqual([config.vps.length, config.sps.length, config.pps.length], [1, 1, 1]);
    assert.equal(withFileSource(file, (src) => readAvcConfig(src)), null, "an H.265 init has no avcC");
  });

  test("a steady run: every segment starts with a keyframe carrying the init's SPS, found in one 4 KB read", () => {
    const files = segments(steady);
    assert.equal(files.length, 3);
    for (const f of files) {
      const reads = withFileSource(f, (src) => {
        const found = findSegmentSps(src, HEVC);
        assert.equal(found?.keyframes, 1);
        assert.equal(found?.sps.length, 1);
        assert.ok(Buffer.from(found!.sps[0]).equals(spsA), path.basename(f));
        return src.reads;
      });
      assert.equal(reads, 1, `${path.basename(f)}: ${reads} reads`);
    }
  });

  test("a run across a resolution change: the segments after it carry the new SPS, the init still the old one", () => {
    const found = segments(changing).map((f) => readSegmentSps(f, HEVC)!.sps.map((s) => size(parseSpsSize("hevc", s))).join(","));
    assert.deepEqual(found, ["320x240", "320x240", "320x240", "320x180", "320x180", "320x180"]);
    const init = readInitFormat(path.join(changing, "init.mp4"))!;
    assert.equal(size(init), "320x240");
    assert.ok(Buffer.from(readSegmentSps(segments(changing)[3], init)!.sps[0]).equals(spsB), "the InitFormat is the framing");
  });

  test("a change inside one segment: every keyframe is looked at", () => {
    const [first] = segments(changingInOneSegment);
    const found = readSegmentSps(first, HEVC)!;
    assert.equal(found.keyframes, 5);
    assert.deepEqual(found.sps.map((s) => size(parseSpsSize("hevc", s))), ["320x240", "320x240", "320x240", "320x180", "320x180"]);
  });

  test("the H.264 NAL rule on H.265 samples finds no SPS: the framing's codec matters", () => {
    const found = readSegmentSps(segments(steady)[0], H264)!;
    assert.deepEqual(found.sps, []);
  });

  test("libx265 straight into fMP4 HLS, 10-bit, repeat-headers: Main 10 in the init, the same SPS in-band", () => {
    const dir = path.join(tmp, "h-direct-10bit");
    fs.mkdirSync(dir);
    ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=256x144:rate=25", "-frames:v", "20", "-pix_fmt", "yuv420p10le", "-c:v", "libx265", "-preset", "ultrafast", "-x265-params", X265_PARAMS, "-f", "hls", "-hls_segment_type", "fmp4", "-hls_time", "0.4", "-hls_list_size", "0", "-hls_fmp4_init_filename", "init.mp4", "-hls_segment_filename", path.join(dir, "seg-%d.m4s"), path.join(dir, "index.m3u8")]);
    const init = readInitFormat(path.join(dir, "init.mp4"))!;
    assert.deepEqual({ codec: init.codec, bitDepth: init.bitDepth, size: size(init) }, { codec: "hevc", bitDepth: 10, size: "256x144" });
    const found = segments(dir).map((f) => readSegmentSps(f, init)!);
    assert.equal(found.length, 2);
    for (const f of found) {
      assert.equal(f.keyframes, 1);
      assert.equal(f.sps.length, 1);
      assert.deepEqual(parseSpsFormat("hevc", f.sps[0]), { width: 256, height: 144, bitDepth: 10 });
    }
  });

  test("an encoder writing parameter sets only into hvcC: keyframes without in-band SPS", () => {
    const dir = path.join(tmp, "h-global-header");
    fs.mkdirSync(dir);
    ffmpeg(["-f", "lavfi", "-i", "testsrc=size=160x120:rate=25", "-frames:v", "20", "-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=error:keyint=10:min-keyint=10:scenecut=0:bframes=0", "-f", "hls", "-hls_segment_type", "fmp4", "-hls_time", "0.4", "-hls_fmp4_init_filename", "init.mp4", "-hls_segment_filename", path.join(dir, "seg-%d.m4s"), path.join(dir, "index.m3u8")]);
    assert.equal(size(readInitFormat(path.join(dir, "init.mp4"))!), "160x120");
    const found = segments(dir).map((f) => readSegmentSps(f, HEVC));
    assert.equal(found.length, 2);
    for (const f of found) assert.deepEqual(f, { keyframes: 1, sps: [] });
  });

  for (const entry of ["hev1", "hvc1"])
    test(`a plain MP4 with an ${entry} sample entry`, () => {
      const file = path.join(tmp, `${entry}.mp4`);
      ffmpeg(["-f", "lavfi", "-i", "testsrc=size=200x120:rate=25", "-frames:v", "5", "-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=error", ...(entry === "hvc1" ? ["-tag:v", "hvc1"] : []), "-f", "mp4", file]);
      assert.equal(sampleEntryType(file), entry);
      const init = readInitFormat(file)!;
      assert.deepEqual({ codec: init.codec, lengthSize: init.lengthSize, bitDepth: init.bitDepth, size: size(init) }, { codec: "hevc", lengthSize: 4, bitDepth: 8, size: "200x120" });
      assert.deepEqual(withFileSource(file, (src) => readVideoConfig(src))?.codec, "hevc");
    });
});

describe("parseHvcC", () => {
  const vps = [0x40, 0x01, 0x0c];
  const sps = [0x42, 0x01, 0x01, 0x60];
  const pps = [0x44, 0x01, 0xc1];
  const sei = [0x4e, 0x01, 0x05];
  /** The 22 fixed bytes (ISO/IEC 14496-15 §8.3.3.1.2): version 1, Main, level 3.1, 4:2:0, 8-bit; byte 21 last. */
  const head = (byte21 = 0x0f) => [1, 0x01, 0x60, 0, 0, 0, 0x90, 0, 0, 0, 0, 0, 93, 0xf0, 0x00, 0xfc, 0xfd, 0xf8, 0xf8, 0, 0, byte21];
  /** One array: completeness bit + NAL unit type, u16 count, then u16 length + bytes per NAL unit. */
  const array = (type: number, nals: number[][]) => [0x80 | type, 0, nals.length, ...nals.flatMap((n) => [0, n.length, ...n])];
  const cases: [string, number[], { lengthSize: number; vps: number[][]; sps: number[][]; pps: number[][] } | RegExp][] = [
    ["VPS, SPS, PPS and an SEI array, 4-byte lengths: the SEI is skipped", [...head(), 4, ...array(32, [vps]), ...array(33, [sps]), ...array(34, [pps]), ...array(39, [sei])], { lengthSize: 4, vps: [vps], sps: [sps], pps: [pps] }],
    ["2-byte lengths (byte 21 low bits 01), SEI first, two SPS in one array", [...head(0x0d), 3, ...array(39, [sei]), ...array(33, [sps, [...sps, 0x80]]), ...array(34, [pps])], { lengthSize: 2, vps: [], sps: [sps, [...sps, 0x80]], pps: [pps] }],
    ["1-byte lengths, an empty array", [...head(0x0c), 2, ...array(32, []), ...array(33, [sps])], { lengthSize: 1, vps: [], sps: [sps], pps: [] }],
    ["no arrays", [...head(), 0], { lengthSize: 4, vps: [], sps: [], pps: [] }],
    ["a NAL unit running past the end", [...head(), 1, 0xa1, 0, 1, 0, 9, ...sps], /hvcC truncated/],
    ["an array header cut short", [...head(), 2, ...array(33, [sps]), 0xa2, 0], /hvcC truncated/],
    ["a length cut short", [...head(), 1, 0xa1, 0, 1, 0], /hvcC truncated/],
    ["wrong version", [0, ...head().slice(1), 0], /not an HEVCDecoderConfigurationRecord/],
    ["shorter than its fixed part", head(), /not an HEVCDecoderConfigurationRecord/],
    ["length size 3", [...head(0x0e), 0], /length size 3/],
  ];
  for (const [name, bytes, expect] of cases)
    test(name, () => {
      if (expect instanceof RegExp) return assert.throws(() => parseHvcC(Uint8Array.from(bytes)), expect);
      const r = parseHvcC(Uint8Array.from(bytes));
      const plain = (list: Uint8Array[]) => list.map((n) => [...n]);
      assert.deepEqual({ lengthSize: r.lengthSize, vps: plain(r.vps), sps: plain(r.sps), pps: plain(r.pps) }, expect);
    });
});

describe("parseSpsFormat and parseSpsSize: one call for either codec", () => {
  // Captured from ffmpeg 5.1: testsrc2 at 1280x720 (libx264 -preset veryfast; libx265 -preset ultrafast), 1 frame.
  const cases: [string, "h264" | "hevc", string, { width: number; height: number; bitDepth: number }][] = [
    ["H.264 High", "h264", "6764001facd9405005bb011000000300100000030320f1831960", { width: 1280, height: 720, bitDepth: 8 }],
    ["H.264 High 10 (yuv420p10le)", "h264", "676e001fa6cd9405005bb011000003000100000300320f183196", { width: 1280, height: 720, bitDepth: 10 }],
    ["H.265 Main, 1278x718 (a conformance window)", "hevc", "42010101600000030090000003000003005da00280802d1d56595952930bc05a020000030002000003003210", { width: 1278, height: 718, bitDepth: 8 }],
    ["H.265 Main 10, 1920x1080 (coded 1088)", "hevc", "420101022000000300900000030000030078a003c0801107cad965654a4c2f016808000003000800000300c840", { width: 1920, height: 1080, bitDepth: 10 }],
  ];
  for (const [name, codec, hex, expect] of cases)
    test(name, () => {
      const nal = Buffer.from(hex, "hex");
      assert.deepEqual(parseSpsFormat(codec, nal), expect);
      assert.deepEqual(parseSpsSize(codec, nal), { width: expect.width, height: expect.height });
    });

  test("an SPS of the other codec is refused, not misread", () => {
    assert.throws(() => parseSpsSize("hevc", Buffer.from(cases[0][2], "hex")), /not an H\.265 SPS/);
    assert.throws(() => parseSpsSize("h264", Buffer.from(cases[2][2], "hex")), /not an SPS/);
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
