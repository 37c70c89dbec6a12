// The H.265 SPS parser on real libx265 output (ffmpeg 5.1, x265 3.5): SPS bytes captured once and kept as hex, each
// with the command that made it (`ffmpeg -f lavfi -i testsrc2=size=1920x1080:rate=25 -vf format=<pix>,crop=<w>:<h>:0:0
// -frames:v 1 -c:v libx265 -preset ultrafast -x265-params log-level=error[:extra] -f hevc out.hevc`, the first NAL unit
// of type 33); streams made at test time and compared with ffprobe; hand-built SPS for the branches libx265 does not
// take (sub-layer profiles, separate colour planes, left/top conformance offsets); and inputs that must be refused.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { HEVC_NAL_SPS, hevcLayerId, hevcNalType, parseHevcSps, type HevcSpsInfo } from "./sps";

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ""), "hex");

/** What a case expects, all fields of HevcSpsInfo but the ones every libx265 stream shares. */
type Expect = Omit<HevcSpsInfo, "generalProfileSpace" | "separateColourPlane">;

const REAL: { name: string; made: string; sps: string; expect: Expect }[] = [
  {
    name: "1920x1080 Main: coded as 1920x1088, an 8-row conformance window (bottom offset 4 × SubHeightC 2)",
    made: "crop=1920:1080, yuv420p",
    sps: "420101016000000300900000030000030078a003c0801107cb965654a4c2f0168080000003008000000c84",
    expect: { generalProfileIdc: 1, generalTierFlag: false, generalLevelIdc: 120, maxSubLayers: 1, chromaFormatIdc: 1, bitDepthLuma: 8, bitDepthChroma: 8, codedWidth: 1920, codedHeight: 1088, width: 1920, height: 1080 },
  },
  {
    name: "1280x720 Main: whole coding blocks, no conformance window",
    made: "crop=1280:720, yuv420p",
    sps: "42010101600000030090000003000003005da00280802d16595952930bc05a020000030002000003003210",
    expect: { generalProfileIdc: 1, generalTierFlag: false, generalLevelIdc: 93, maxSubLayers: 1, chromaFormatIdc: 1, bitDepthLuma: 8, bitDepthChroma: 8, codedWidth: 1280, codedHeight: 720, width: 1280, height: 720 },
  },
  {
    name: "1278x718 Main: 1280x720 less a window of 1 chroma sample (2 pixels) right and bottom",
    made: "crop=1278:718, yuv420p",
    sps: "42010101600000030090000003000003005da00280802d1d56595952930bc05a020000030002000003003210",
    expect: { generalProfileIdc: 1, generalTierFlag: false, generalLevelIdc: 93, maxSubLayers: 1, chromaFormatIdc: 1, bitDepthLuma: 8, bitDepthChroma: 8, codedWidth: 1280, codedHeight: 720, width: 1278, height: 718 },
  },
  {
    name: "1920x1080 Main 10 (yuv420p10le)",
    made: "crop=1920:1080, yuv420p10le",
    sps: "420101022000000300900000030000030078a003c0801107cad965654a4c2f016808000003000800000300c840",
    expect: { generalProfileIdc: 2, generalTierFlag: false, generalLevelIdc: 120, maxSubLayers: 1, chromaFormatIdc: 1, bitDepthLuma: 10, bitDepthChroma: 10, codedWidth: 1920, codedHeight: 1088, width: 1920, height: 1080 },
  },
  {
    name: "1278x719 Main 4:2:2 10 (RExt): SubHeightC 1, so a 1-row bottom window",
    made: "crop=1278:719, yuv422p10le",
    sps: "4201010408000003009d0800000300005db00280802d1d536595952930bc05a02000000300200000030321",
    expect: { generalProfileIdc: 4, generalTierFlag: false, generalLevelIdc: 93, maxSubLayers: 1, chromaFormatIdc: 2, bitDepthLuma: 10, bitDepthChroma: 10, codedWidth: 1280, codedHeight: 720, width: 1278, height: 719 },
  },
  {
    name: "1277x717 Main 4:4:4 (RExt): odd sizes, the window in luma samples",
    made: "crop=1277:717, yuv444p",
    sps: "4201010408000003009e0800000300005d9000501005a3924cb2b2a5261780b4040000030004000003006420",
    expect: { generalProfileIdc: 4, generalTierFlag: false, generalLevelIdc: 93, maxSubLayers: 1, chromaFormatIdc: 3, bitDepthLuma: 8, bitDepthChroma: 8, codedWidth: 1280, codedHeight: 720, width: 1277, height: 717 },
  },
  {
    name: "640x360 Main 4:4:4 12 (RExt)",
    made: "crop=640:360, yuv444p12le",
    sps: "420101040800000300980800000300003f9000a0402e3e24a52caca94985e02d010000030001000003001908",
    expect: { generalProfileIdc: 4, generalTierFlag: false, generalLevelIdc: 63, maxSubLayers: 1, chromaFormatIdc: 3, bitDepthLuma: 12, bitDepthChroma: 12, codedWidth: 640, codedHeight: 368, width: 640, height: 360 },
  },
  {
    name: "321x241 monochrome (RExt, chroma_format_idc 0)",
    made: "crop=321:241, gray",
    sps: "4201010408000003009fc800000300003cc02a20101c21086595952930bc05b02000000300200000030321",
    expect: { generalProfileIdc: 4, generalTierFlag: false, generalLevelIdc: 60, maxSubLayers: 1, chromaFormatIdc: 0, bitDepthLuma: 8, bitDepthChroma: 8, codedWidth: 336, codedHeight: 256, width: 321, height: 241 },
  },
  {
    name: "two temporal sub-layers (sps_max_sub_layers_minus1 1): sub-layer flags and reserved bits in profile_tier_level",
    made: "crop=1280:720, yuv420p, temporal-layers=1",
    sps: "42010201600000030090000003000003005d0000a00280802d1659594aca94985e02d0100000030010000003019080",
    expect: { generalProfileIdc: 1, generalTierFlag: false, generalLevelIdc: 93, maxSubLayers: 2, chromaFormatIdc: 1, bitDepthLuma: 8, bitDepthChroma: 8, codedWidth: 1280, codedHeight: 720, width: 1280, height: 720 },
  },
  {
    name: "High tier, level 4",
    made: "crop=1920:1080, yuv420p, level-idc=4:high-tier=1:vbv-maxrate=30000:vbv-bufsize=30000",
    sps: "420101216000000300900000030000030078a003c0801107cb965654a4c2f0168080000003008000000c84",
    expect: { generalProfileIdc: 1, generalTierFlag: true, generalLevelIdc: 120, maxSubLayers: 1, chromaFormatIdc: 1, bitDepthLuma: 8, bitDepthChroma: 8, codedWidth: 1920, codedHeight: 1088, width: 1920, height: 1080 },
  },
];

describe("parseHevcSps on captured libx265 SPS", () => {
  for (const c of REAL)
    test(c.name, () => {
      assert.deepEqual(parseHevcSps(hex(c.sps)), { generalProfileSpace: 0, separateColourPlane: false, ...c.expect });
    });

  test("the captured SPS carry emulation prevention bytes (00 00 03) that the parser removes", () => {
    for (const c of REAL) assert.match(c.sps, /000003/, c.name);
  });
});

// ── Streams made now, checked against ffprobe ───────────────────────────────────────────────────────────────────

let tmp: string;
before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "nightjar-h265-"));
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

/** The first SPS NAL unit (type 33) of an Annex-B H.265 file, with its NAL header, without the start code. */
function annexBHevcSps(file: string): Buffer {
  const data = fs.readFileSync(file);
  for (let i = 0; i + 4 < data.length; i++) {
    if (data[i] === 0 && data[i + 1] === 0 && data[i + 2] === 1 && hevcNalType(data[i + 3]) === HEVC_NAL_SPS) {
      let end = i + 3;
      while (end + 3 < data.length && !(data[end] === 0 && data[end + 1] === 0 && (data[end + 2] === 1 || (data[end + 2] === 0 && data[end + 3] === 1)))) end++;
      return data.subarray(i + 3, end);
    }
  }
  throw new Error(`${file}: no SPS`);
}

/** chroma_format_idc and bit depth of an ffmpeg pixel format name ("yuv422p10le" → 4:2:2, 10 bits). */
function pixFmtFacts(pixFmt: string): { chromaFormatIdc: number; bitDepth: number } {
  const chroma = pixFmt.startsWith("gray") ? 0 : pixFmt.startsWith("yuv420") ? 1 : pixFmt.startsWith("yuv422") ? 2 : pixFmt.startsWith("yuv444") ? 3 : -1;
  return { chromaFormatIdc: chroma, bitDepth: Number(/(\d+)(le|be)$/.exec(pixFmt)?.[1] ?? 8) };
}

describe("parseHevcSps against ffprobe on streams made now", () => {
  const cases: [size: string, pixFmt: string][] = [
    ["352x288", "yuv420p"],
    ["250x142", "yuv420p10le"],
    ["202x117", "yuv422p"],
    ["203x117", "yuv444p12le"],
  ];
  for (const [size, pixFmt] of cases)
    test(`${size} ${pixFmt}`, () => {
      const [w, h] = size.split("x");
      const file = path.join(tmp, `${size}-${pixFmt}.hevc`);
      // The format conversion comes before the crop, so odd sizes survive in 4:4:4 and 4:2:2's height.
      run("ffmpeg", ["-hide_banner", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=400x400:rate=25", "-vf", `format=${pixFmt},crop=${w}:${h}:0:0`, "-frames:v", "1", "-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=error", "-f", "hevc", file]);
      const probed = JSON.parse(run("ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height,pix_fmt", "-of", "json", file])).streams[0] as { width: number; height: number; pix_fmt: string };
      assert.equal(probed.pix_fmt, pixFmt, "ffmpeg kept the pixel format");
      const facts = pixFmtFacts(probed.pix_fmt);
      const info = parseHevcSps(annexBHevcSps(file));
      assert.deepEqual(
        { width: info.width, height: info.height, chromaFormatIdc: info.chromaFormatIdc, bitDepthLuma: info.bitDepthLuma, bitDepthChroma: info.bitDepthChroma },
        { width: probed.width, height: probed.height, chromaFormatIdc: facts.chromaFormatIdc, bitDepthLuma: facts.bitDepth, bitDepthChroma: facts.bitDepth },
      );
      assert.equal(`${info.width}x${info.height}`, size);
    });
});

// ── Hand-built SPS ──────────────────────────────────────────────────────────────────────────────────────────────

/** Writes bits MSB first; ue/se are Exp-Golomb codes (H.265 §9.2). */
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

type Built = {
  subLayersMinus1?: number;
  /** Per sub-layer: [profile present, level present]. */
  subLayerFlags?: [boolean, boolean][];
  tier?: number;
  profileIdc?: number;
  levelIdc?: number;
  chromaFormatIdc?: number;
  separateColourPlane?: number;
  width: number;
  height: number;
  window?: [left: number, right: number, top: number, bottom: number];
  bitDepthMinus8?: [luma: number, chroma: number];
};

/** An SPS NAL unit (header 0x42 0x01: type 33, layer 0, temporal id 1) up to the bit depths, then a stop bit. */
function buildSps(o: Built): Buffer {
  const subLayers = o.subLayersMinus1 ?? 0;
  const w = new BitWriter();
  w.u(4, 0).u(3, subLayers).u(1, 1); // vps id, sps_max_sub_layers_minus1, temporal_id_nesting
  // profile_tier_level: space 0, tier, profile, 32 compatibility flags (only the profile's), 4 source flags, 44 zero bits
  const profile = (p: number, tier: number) => w.u(2, 0).u(1, tier).u(5, p).u(32, 2 ** (31 - p)).u(4, 0b1001).u(22, 0).u(22, 0);
  profile(o.profileIdc ?? 1, o.tier ?? 0);
  w.u(8, o.levelIdc ?? 93);
  const flags = o.subLayerFlags ?? [];
  for (let i = 0; i < subLayers; i++) w.u(1, flags[i]?.[0] ? 1 : 0).u(1, flags[i]?.[1] ? 1 : 0);
  if (subLayers > 0) for (let i = subLayers; i < 8; i++) w.u(2, 0);
  for (let i = 0; i < subLayers; i++) {
    if (flags[i]?.[0]) profile(1, 0);
    if (flags[i]?.[1]) w.u(8, 60 + i);
  }
  w.ue(0); // sps_seq_parameter_set_id
  const chroma = o.chromaFormatIdc ?? 1;
  w.ue(chroma);
  if (chroma === 3) w.u(1, o.separateColourPlane ?? 0);
  w.ue(o.width).ue(o.height);
  if (o.window) w.u(1, 1).ue(o.window[0]).ue(o.window[1]).ue(o.window[2]).ue(o.window[3]);
  else w.u(1, 0);
  w.ue(o.bitDepthMinus8?.[0] ?? 0).ue(o.bitDepthMinus8?.[1] ?? 0);
  w.u(1, 1); // rbsp_stop_one_bit (the parser stops before the rest of the SPS)
  return Buffer.concat([Buffer.from([0x42, 0x01]), escapeRbsp(w.bytes())]);
}

describe("parseHevcSps on hand-built SPS", () => {
  const cases: { name: string; built: Built; expect: Partial<HevcSpsInfo> }[] = [
    {
      name: "six sub-layers with profile and level present: 88 + 8 bits each skipped",
      built: { subLayersMinus1: 6, subLayerFlags: [[true, true], [false, true], [true, false], [false, false], [true, true], [true, true]], width: 640, height: 480 },
      expect: { maxSubLayers: 7, generalProfileIdc: 1, generalLevelIdc: 93, width: 640, height: 480 },
    },
    {
      name: "4:4:4 as separate colour planes, 12/10-bit, a window on all four sides in luma samples",
      built: { profileIdc: 4, tier: 1, levelIdc: 153, chromaFormatIdc: 3, separateColourPlane: 1, width: 1920, height: 1088, window: [3, 5, 1, 2], bitDepthMinus8: [4, 2] },
      expect: { generalProfileIdc: 4, generalTierFlag: true, generalLevelIdc: 153, chromaFormatIdc: 3, separateColourPlane: true, bitDepthLuma: 12, bitDepthChroma: 10, width: 1912, height: 1085 },
    },
    {
      name: "4:2:2 window: 2 luma columns and 1 row per offset",
      built: { profileIdc: 4, chromaFormatIdc: 2, width: 64, height: 64, window: [1, 1, 1, 1] },
      expect: { chromaFormatIdc: 2, width: 60, height: 62 },
    },
    {
      name: "4:2:0 window on the left and top",
      built: { width: 1280, height: 736, window: [4, 0, 8, 0] },
      expect: { width: 1272, height: 720, codedWidth: 1280, codedHeight: 736 },
    },
  ];
  for (const c of cases)
    test(c.name, () => {
      const nal = buildSps(c.built);
      const info = parseHevcSps(nal);
      assert.deepEqual(Object.fromEntries(Object.keys(c.expect).map((k) => [k, info[k as keyof HevcSpsInfo]])), c.expect);
    });
});

describe("parseHevcSps refuses", () => {
  const captured1080 = hex(REAL[0].sps);
  const cases: [string, Uint8Array, RegExp][] = [
    ["no bytes", new Uint8Array(0), /not an H\.265 SPS NAL unit: no bytes/],
    ["a PPS (type 34)", hex("4401c172b46240"), /not an H\.265 SPS NAL unit: type 34, not 33/],
    ["a VPS (type 32)", hex("40010c01ffff016000000300900000030000030078959809"), /type 32/],
    ["an H.264 SPS (its first byte 0x67 reads as type 51)", hex("674d001e9a6602"), /type 51/],
    ["a lone first header byte", hex("42"), /H\.265 SPS truncated/],
    ["the header alone", hex("4201"), /H\.265 SPS truncated/],
    ["a real SPS cut inside profile_tier_level", captured1080.subarray(0, 10), /H\.265 SPS truncated/],
    ["a real SPS cut before the bit depths", captured1080.subarray(0, 19), /H\.265 SPS truncated/],
    ["an enhancement layer's SPS (nuh_layer_id 1)", Buffer.concat([hex("4209"), captured1080.subarray(2)]), /layer 1/],
    ["sps_max_sub_layers_minus1 7", Buffer.concat([hex("42010f"), captured1080.subarray(3)]), /sps_max_sub_layers_minus1 7/],
    ["chroma_format_idc 4", buildSps({ chromaFormatIdc: 4, width: 64, height: 64 }), /chroma_format_idc 4/],
    ["a 17-bit luma", buildSps({ width: 64, height: 64, bitDepthMinus8: [9, 0] }), /bit depth 17/],
    ["a window wider than the picture", buildSps({ width: 64, height: 64, window: [16, 16, 0, 0] }), /leaves no picture/],
    ["a zero width", buildSps({ width: 0, height: 64 }), /leaves no picture/],
  ];
  for (const [name, bytes, error] of cases) test(name, () => assert.throws(() => parseHevcSps(bytes), error));

  test("the header helpers read the type and the layer", () => {
    assert.deepEqual([hevcNalType(0x42), hevcLayerId(0x42, 0x01)], [33, 0]);
    assert.deepEqual([hevcNalType(0x40), hevcNalType(0x44), hevcNalType(0x26), hevcNalType(0x02)], [32, 34, 19, 1]);
    assert.deepEqual([hevcLayerId(0x42, 0x09), hevcLayerId(0x43, 0x01)], [1, 32]);
  });
});
