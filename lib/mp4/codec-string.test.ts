// RFC 6381 codec strings on real ffmpeg output made at test time (libx264 Baseline/Main/High, libx265 Main and Main 10,
// AAC-LC; whole MP4s and an fMP4 init segment as the live ingest writes it), cross-checked against what ffprobe reports
// (profile and level, which ffprobe reads from the bitstream's parameter sets, not from our boxes), and on hand-made
// configuration records for the branches encoders do not take (profile space, High tier, constraint bytes, escape
// object types, other MPEG-4 object types), including ISO/IEC 14496-15 Annex E's own examples.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { box, fullBox } from "./box-writer";
import { bufferSource, Mp4FormatError } from "./boxes";
import { avcCodecString, hevcCodecString, mp4aCodecString, mp4MimeType, readFileTrackCodecs, readTrackCodecs } from "./codec-string";
import { initWithHvc1 } from "./sample-entries";

let dir = "";

const VIDEO_1080 = ["-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=25"];
const VIDEO_360 = ["-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25"];
const AUDIO = ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000"];
const X265 = ["-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=error"];

type Case = {
  name: string;
  args: string[];
  /** Our strings, per track. */
  codecs: string[];
  /** What ffprobe says of the same file: codec, profile, level (per stream). */
  probe: { codec: string; profile: string; level?: number }[];
  size?: [number, number];
};

const CASES: Case[] = [
  { name: "libx264 baseline (constrained: constraint_set1)", args: [...VIDEO_360, "-frames:v", "2", "-c:v", "libx264", "-profile:v", "baseline", "-pix_fmt", "yuv420p"], codecs: ["avc1.42C01E"], probe: [{ codec: "h264", profile: "Constrained Baseline", level: 30 }], size: [640, 360] },
  { name: "libx264 main, 1080p: level 4", args: [...VIDEO_1080, "-frames:v", "2", "-c:v", "libx264", "-preset", "veryfast", "-profile:v", "main", "-pix_fmt", "yuv420p"], codecs: ["avc1.4D4028"], probe: [{ codec: "h264", profile: "Main", level: 40 }], size: [1920, 1080] },
  { name: "libx264 high with AAC-LC", args: [...VIDEO_360, ...AUDIO, "-t", "1", "-map", "0:v", "-map", "1:a", "-c:v", "libx264", "-profile:v", "high", "-pix_fmt", "yuv420p", "-c:a", "aac"], codecs: ["avc1.64001E", "mp4a.40.2"], probe: [{ codec: "h264", profile: "High", level: 30 }, { codec: "aac", profile: "LC" }] },
  { name: "libx265 Main, 1080p, hvc1 (compatibility flags 1 and 2: reversed 6; progressive + frame only: 90)", args: [...VIDEO_1080, "-frames:v", "2", ...X265, "-pix_fmt", "yuv420p", "-tag:v", "hvc1"], codecs: ["hvc1.1.6.L120.90"], probe: [{ codec: "hevc", profile: "Main", level: 120 }], size: [1920, 1080] },
  { name: "libx265 Main 10, 1080p, ffmpeg's default hev1 (compatibility flag 2: reversed 4)", args: [...VIDEO_1080, "-frames:v", "2", ...X265, "-pix_fmt", "yuv420p10le"], codecs: ["hev1.2.4.L120.90"], probe: [{ codec: "hevc", profile: "Main 10", level: 120 }] },
  { name: "libx265 Main, 720p (level 3.1), with AAC", args: [...VIDEO_1080, ...AUDIO, "-t", "0.2", "-map", "0:v", "-map", "1:a", "-vf", "scale=1280:720", ...X265, "-pix_fmt", "yuv420p", "-tag:v", "hvc1", "-c:a", "aac"], codecs: ["hvc1.1.6.L93.90", "mp4a.40.2"], probe: [{ codec: "hevc", profile: "Main", level: 93 }, { codec: "aac", profile: "LC" }], size: [1280, 720] },
];

function ffmpeg(args: string[]) {
  const r = spawnSync("ffmpeg", ["-hide_banner", "-nostdin", "-loglevel", "error", "-y", ...args], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
}

function ffprobe(file: string): { codec_name: string; profile: string; level?: number }[] {
  const r = spawnSync("ffprobe", ["-v", "error", "-show_entries", "stream=codec_name,profile,level", "-of", "json", file], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return (JSON.parse(r.stdout) as { streams: { codec_name: string; profile: string; level?: number }[] }).streams;
}

/** What a codec string says about profile and level, decoded independently of the parser (for the ffprobe check). */
function decode(codec: string): { profileIdc: number; levelIdc: number } | { aot: number } {
  const p = codec.split(".");
  if (p[0] === "avc1") return { profileIdc: parseInt(p[1].slice(0, 2), 16), levelIdc: parseInt(p[1].slice(4, 6), 16) };
  if (p[0] === "hvc1" || p[0] === "hev1") return { profileIdc: Number(p[1].replace(/^[ABC]/, "")), levelIdc: Number(p[3].slice(1)) };
  return { aot: Number(p[2]) };
}
const H264_PROFILES: Record<string, number> = { "Constrained Baseline": 66, Baseline: 66, Main: 77, High: 100 };
const HEVC_PROFILES: Record<string, number> = { Main: 1, "Main 10": 2 };
const AAC_PROFILES: Record<string, number> = { LC: 2, HE: 5, "HE-AACv2": 29 };

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "nightjar-codecs-"));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("codec strings of real ffmpeg output, checked against ffprobe", () => {
  for (const [i, c] of CASES.entries()) {
    test(c.name, () => {
      const file = path.join(dir, `${i}.mp4`);
      ffmpeg([...c.args, "-f", "mp4", file]);
      const tracks = readFileTrackCodecs(file);
      assert.deepEqual(
        tracks.map((t) => t.codec),
        c.codecs,
      );
      if (c.size) assert.deepEqual([tracks[0].width, tracks[0].height], c.size);
      const probed = ffprobe(file);
      assert.deepEqual(
        probed.map((s) => ({ codec: s.codec_name, profile: s.profile, ...(s.codec_name === "aac" ? {} : { level: s.level }) })),
        c.probe,
      );
      // Our string and ffprobe agree on profile and level (and ffprobe reads them from the SPS, not from avcC/hvcC).
      for (const [n, s] of probed.entries()) {
        const d = decode(tracks[n].codec);
        if ("aot" in d) assert.equal(d.aot, AAC_PROFILES[s.profile], `${tracks[n].codec} vs ffprobe ${s.profile}`);
        else {
          assert.equal(d.profileIdc, (s.codec_name === "h264" ? H264_PROFILES : HEVC_PROFILES)[s.profile], `${tracks[n].codec} vs ffprobe ${s.profile}`);
          assert.equal(d.levelIdc, s.level, `${tracks[n].codec} vs ffprobe level ${s.level}`);
        }
      }
      assert.equal(mp4MimeType(tracks), `video/mp4; codecs="${c.codecs.join(",")}"`);
    });
  }

  test("an fMP4 init segment as the live ingest writes H.265 (hev1), and served through initWithHvc1 (hvc1)", () => {
    const run = path.join(dir, "hls");
    fs.mkdirSync(run);
    ffmpeg([...VIDEO_360, ...AUDIO, "-t", "1", "-map", "0:v", "-map", "1:a", ...X265, "-pix_fmt", "yuv420p", "-c:a", "aac", "-f", "hls", "-hls_segment_type", "fmp4", "-hls_time", "1", "-hls_fmp4_init_filename", "init.mp4", "-hls_segment_filename", path.join(run, "seg-%d.m4s"), path.join(run, "index.m3u8")]);
    const init = fs.readFileSync(path.join(run, "init.mp4"));
    assert.deepEqual(
      readTrackCodecs(bufferSource(init)).map((t) => [t.kind, t.codec]),
      [
        ["video", "hev1.1.6.L63.90"],
        ["audio", "mp4a.40.2"],
      ],
    );
    assert.deepEqual(
      readTrackCodecs(bufferSource(initWithHvc1(init))).map((t) => t.codec),
      ["hvc1.1.6.L63.90", "mp4a.40.2"],
    );
  });
});

// ── Hand-made records ──────────────────────────────────────────────────────────────────────────────────────────

/** An hvcC payload with the Annex E fields set (the rest zero: no parameter set arrays). */
function hvcc(f: { space: number; tier: 0 | 1; profile: number; compat: number; constraints: number[]; level: number }): Buffer {
  const b = Buffer.alloc(23);
  b[0] = 1;
  b[1] = (f.space << 6) | (f.tier << 5) | f.profile;
  b.writeUInt32BE(f.compat >>> 0, 2);
  Buffer.from(f.constraints).copy(b, 6);
  b[12] = f.level;
  return b;
}

describe("H.265 (ISO/IEC 14496-15 Annex E.3)", () => {
  const cases: [string, Parameters<typeof hvcc>[0], string][] = [
    ["Annex E example: Main, level 3.1, progressive non-packed", { space: 0, tier: 0, profile: 1, compat: 0x6000_0000, constraints: [0xb0, 0, 0, 0, 0, 0], level: 93 }, "hev1.1.6.L93.B0"],
    ["Annex E example: profile space 1, High tier, two constraint bytes", { space: 1, tier: 1, profile: 4, compat: 0x8200_0000, constraints: [0xb0, 0x23, 0, 0, 0, 0], level: 120 }, "hev1.A4.41.H120.B0.23"],
    ["profile spaces 2 and 3 are B and C", { space: 2, tier: 0, profile: 1, compat: 0x4000_0000, constraints: [0x90], level: 90 }, "hev1.B1.2.L90.90"],
    ["profile space 3", { space: 3, tier: 0, profile: 1, compat: 0x4000_0000, constraints: [0x90], level: 90 }, "hev1.C1.2.L90.90"],
    ["no constraint flags: the string ends at the level", { space: 0, tier: 0, profile: 2, compat: 0x2000_0000, constraints: [0, 0, 0, 0, 0, 0], level: 153 }, "hev1.2.4.L153"],
    ["a zero byte between non-zero ones stays", { space: 0, tier: 0, profile: 1, compat: 0x6000_0000, constraints: [0x90, 0, 0x01, 0, 0, 0], level: 93 }, "hev1.1.6.L93.90.00.01"],
    ["all compatibility flags", { space: 0, tier: 0, profile: 1, compat: 0xffff_ffff, constraints: [0x90], level: 93 }, "hev1.1.FFFFFFFF.L93.90"],
    ["no compatibility flags", { space: 0, tier: 0, profile: 1, compat: 0, constraints: [0x90], level: 93 }, "hev1.1.0.L93.90"],
  ];
  for (const [name, fields, expected] of cases) test(name, () => assert.equal(hevcCodecString("hev1", hvcc(fields)), expected));

  test("a truncated hvcC is a format error", () => assert.throws(() => hevcCodecString("hvc1", Buffer.from([1, 1, 0x60])), Mp4FormatError));
});

describe("H.264 (RFC 6381 §3.3)", () => {
  const cases: [number[], string][] = [
    [[1, 0x42, 0xe0, 0x1e], "avc1.42E01E"],
    [[1, 0x64, 0x00, 0x33], "avc1.640033"],
    [[1, 0x4d, 0x40, 0x0a], "avc1.4D400A"],
  ];
  for (const [record, expected] of cases) test(expected, () => assert.equal(avcCodecString("avc1", Buffer.from([...record, 0xff, 0xe1])), expected));
  test("avc3 keeps its entry name", () => assert.equal(avcCodecString("avc3", Buffer.from([1, 0x64, 0, 0x28])), "avc3.640028"));
  test("a truncated avcC is a format error", () => assert.throws(() => avcCodecString("avc1", Buffer.from([1, 0x64])), Mp4FormatError));
});

/** A descriptor with a 1-byte size, or the 4-byte form (0x80 0x80 0x80 n) some writers use. */
const descriptor = (tag: number, body: number[], longSize = false) => (longSize ? [tag, 0x80, 0x80, 0x80, body.length, ...body] : [tag, body.length, ...body]);
function esds(oti: number, asc: number[] | null, opts: { esFlags?: number; esExtra?: number[]; longSize?: boolean } = {}): Buffer {
  const dsi = asc ? descriptor(0x05, asc, opts.longSize) : [];
  const dcd = descriptor(0x04, [oti, 0x15, 0, 0, 0, 0, 0, 0xfa, 0, 0, 0, 0xfa, 0, ...dsi], opts.longSize);
  const sl = descriptor(0x06, [0x02]);
  const es = descriptor(0x03, [0, 1, opts.esFlags ?? 0, ...(opts.esExtra ?? []), ...dcd, ...sl], opts.longSize);
  return Buffer.from([0, 0, 0, 0, ...es]);
}

describe("AAC and other MPEG-4 audio (esds)", () => {
  const cases: [string, Buffer, string][] = [
    ["AAC-LC (object type 2)", esds(0x40, [0x11, 0x90]), "mp4a.40.2"],
    ["HE-AAC (object type 5)", esds(0x40, [0x2b, 0x92, 0x08, 0x00]), "mp4a.40.5"],
    ["escape: object type 31 + 6 bits (42, USAC)", esds(0x40, [0xf9, 0x40, 0x00]), "mp4a.40.42"],
    ["4-byte descriptor sizes", esds(0x40, [0x11, 0x90], { longSize: true }), "mp4a.40.2"],
    ["ES flags: dependsOn_ES_ID, URL and OCR_ES_Id skipped", esds(0x40, [0x11, 0x90], { esFlags: 0xe0, esExtra: [0, 2, 3, 0x61, 0x62, 0x63, 0, 4] }), "mp4a.40.2"],
    ["MP3 (objectTypeIndication 0x6B)", esds(0x6b, null), "mp4a.6B"],
    ["MPEG-4 audio without an AudioSpecificConfig", esds(0x40, null), "mp4a.40"],
  ];
  for (const [name, payload, expected] of cases) test(name, () => assert.equal(mp4aCodecString(payload), expected));
  test("an esds without an ES_Descriptor is a format error", () => assert.throws(() => mp4aCodecString(Buffer.from([0, 0, 0, 0, 0x04, 0])), Mp4FormatError));
});

describe("the moov walk", () => {
  test("no moov is a format error", () => assert.throws(() => readTrackCodecs(bufferSource(box("ftyp", Buffer.from("isom")))), Mp4FormatError));

  test("entries without a known configuration give their four characters; other tracks are 'other' and left out of the MIME type", () => {
    const trak = (id: number, handler: string, entry: Buffer) =>
      box(
        "trak",
        fullBox("tkhd", 0, 3, Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, id]), Buffer.alloc(68)),
        box("mdia", fullBox("hdlr", 0, 0, Buffer.alloc(4), Buffer.from(handler), Buffer.alloc(13)), box("minf", box("stbl", fullBox("stsd", 0, 0, Buffer.from([0, 0, 0, 1]), entry)))),
      );
    const visual = Buffer.alloc(78);
    visual.writeUInt16BE(320, 24);
    visual.writeUInt16BE(240, 26);
    const moov = box("moov", trak(1, "vide", box("vp09", visual)), trak(2, "soun", box("Opus", Buffer.alloc(28))), trak(3, "meta", box("mett", Buffer.alloc(8))));
    const tracks = readTrackCodecs(bufferSource(moov));
    assert.deepEqual(tracks, [
      { trackId: 1, kind: "video", sampleEntry: "vp09", codec: "vp09", width: 320, height: 240 },
      { trackId: 2, kind: "audio", sampleEntry: "Opus", codec: "Opus" },
      { trackId: 3, kind: "other", sampleEntry: "mett", codec: "mett" },
    ]);
    assert.equal(mp4MimeType(tracks), 'video/mp4; codecs="vp09,Opus"');
    assert.equal(mp4MimeType([]), "video/mp4");
  });
});
