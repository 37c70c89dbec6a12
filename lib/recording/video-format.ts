// The few video facts the recorder reads from its own fMP4 files, without decoding anything, for H.264 and H.265
// alike: the SPS an init segment declares (moov/trak/mdia/minf/stbl/stsd, then avc1…avc4/avcC or hvc1/hev1/hvcC),
// the SPS a camera sends in-band at the keyframes of a media segment (moof/traf/trun → sample offsets in mdat; NAL
// units with a 4-byte — in general lengthSize-byte — big-endian length prefix), and the picture size an SPS
// describes (lib/h264/sps.ts, lib/h265/sps.ts). Parsing is pure over a ByteSource; the file wrappers at the bottom
// read through one small block cache, so a segment costs one read of BLOCK_BYTES in the usual case (its first
// keyframe's NAL units sit right after the moof).
import { NAL_SPS, parseSpsDetails } from "../h264/sps";
import { HEVC_NAL_HEADER_BYTES, HEVC_NAL_PPS, HEVC_NAL_SPS, HEVC_NAL_VPS, hevcLayerId, hevcNalType, parseHevcSps } from "../h265/sps";
import { findPath as findBoxPath, Mp4FormatError, scanBoxes, withFileSource, type Box, type ByteSource } from "../mp4/boxes";

/** The video codecs whose SPS the recorder reads. */
export type VideoCodec = "h264" | "hevc";

/** How a track's samples carry NAL units: the codec (its NAL header rule) and the bytes of each length prefix. */
export type NalFraming = { codec: VideoCodec; lengthSize: number };

/**
 * A codec's NAL unit header (H.264 §7.3.1: 1 byte, type in the low 5 bits; H.265 §7.3.1.2: 2 bytes, type in bits
 * 1–6 of the first): which types are slices (VCL) and which header is an SPS the recorder reads.
 */
type NalRule = {
  headerBytes: number;
  isVcl(header: Uint8Array): boolean;
  isSps(header: Uint8Array): boolean;
};

const NAL_RULES: Record<VideoCodec, NalRule> = {
  // H.264 table 7-1: 1–5 slices, 7 SPS.
  h264: { headerBytes: 1, isVcl: (h) => (h[0] & 0x1f) >= 1 && (h[0] & 0x1f) <= 5, isSps: (h) => (h[0] & 0x1f) === NAL_SPS },
  // H.265 table 7-1: 0–31 slices (reserved VCL types included), 33 SPS; only the base layer's (nuh_layer_id 0).
  hevc: { headerBytes: HEVC_NAL_HEADER_BYTES, isVcl: (h) => hevcNalType(h[0]) <= 31, isSps: (h) => hevcNalType(h[0]) === HEVC_NAL_SPS && hevcLayerId(h[0], h[1]) === 0 },
};

/** One read of a segment file (lib/mp4/boxes.ts's block): the styp, moof and the first keyframe's parameter sets fit in it. */
export { BLOCK_BYTES } from "../mp4/boxes";
/** Keyframes of one segment whose NAL units are looked at (a segment normally has one). */
const MAX_KEYFRAMES = 8;
/** NAL units walked per keyframe before giving up on finding its slice (AUD, SPS, PPS, SEI… come first). */
const MAX_NALS_BEFORE_SLICE = 16;
/** Larger than any real SPS (a few dozen bytes; scaling lists and VUI stay far below this), in bytes. */
const MAX_SPS_BYTES = 1024;
/** A moof larger than this is not one the recorder's ingest wrote (≈ 0.5 KB for a 1 s GOP), in bytes. */
const MAX_MOOF_BYTES = 256 * 1024;
/** An init segment larger than this is not read, in bytes (ffmpeg writes < 1 KB). */
const MAX_INIT_BYTES = 256 * 1024;

// ── SPS: lib/h264/sps.ts, lib/h265/sps.ts ──────────────────────────────────────────────────────────────────────

/** What the recorder compares between SPS: the output picture size in pixels, and the luma bit depth (8–16). */
export type SpsFormat = { width: number; height: number; bitDepth: number };

/** The size and bit depth an SPS NAL unit (with its NAL header) of `codec` declares. Throws if malformed. */
export function parseSpsFormat(codec: VideoCodec, sps: Uint8Array): SpsFormat {
  const info = codec === "hevc" ? parseHevcSps(sps) : parseSpsDetails(sps);
  return { width: info.width, height: info.height, bitDepth: info.bitDepthLuma };
}

/** The picture size in pixels an SPS NAL unit of `codec` declares, after cropping. Throws if malformed. */
export function parseSpsSize(codec: VideoCodec, sps: Uint8Array): { width: number; height: number } {
  const { width, height } = parseSpsFormat(codec, sps);
  return { width, height };
}

/** "1920x1080". */
export const sizeText = (s: { width: number; height: number }) => `${s.width}x${s.height}`;

// ── Reading bytes and boxes: lib/mp4/boxes.ts (the one MP4 box reader) ─────────────────────────────────────────

export { BlockReader, bufferSource, withFileSource, type Box, type ByteSource } from "../mp4/boxes";

function u32(src: ByteSource, at: number): number | null {
  const b = src.read(at, 4);
  return b.length === 4 ? ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0 : null;
}

function uN(b: Uint8Array, at: number, bytes: number): number {
  let v = 0;
  for (let i = 0; i < bytes; i++) v = v * 256 + b[at + i];
  return v;
}

/**
 * The boxes between `from` and `to`, up to the first malformed one: these files may be cut short (a segment being
 * written, a clip being checked), and what is readable is what counts here.
 */
export function listBoxes(src: ByteSource, from: number, to: number): Box[] {
  return scanBoxes(src, from, to).boxes;
}

/** lib/mp4's findPath, but an unreadable box is "not found" (null) rather than an error. */
export function findPath(src: ByteSource, types: string[], parent?: Box): Box | null {
  try {
    return findBoxPath(src, types, parent);
  } catch (err) {
    if (err instanceof Mp4FormatError) return null;
    throw err;
  }
}

// ── Init segment: avcC ──────────────────────────────────────────────────────────────────────────────────────────

export type AvcConfig = {
  /** Bytes of each NAL unit's length prefix in the samples (1, 2 or 4; ffmpeg writes 4). */
  lengthSize: number;
  sps: Uint8Array[];
  pps: Uint8Array[];
};

/** Parses an AVCDecoderConfigurationRecord (ISO/IEC 14496-15 §5.3.3.1), the payload of an avcC box. */
export function parseAvcC(data: Uint8Array): AvcConfig {
  if (data.length < 7 || data[0] !== 1) throw new Error("not an AVCDecoderConfigurationRecord");
  const lengthSize = (data[4] & 3) + 1;
  if (lengthSize === 3) throw new Error("bad NAL length size 3");
  const sets = (at: number, count: number, out: Uint8Array[]) => {
    for (let i = 0; i < count; i++) {
      if (at + 2 > data.length) throw new Error("avcC truncated");
      const len = uN(data, at, 2);
      if (at + 2 + len > data.length) throw new Error("avcC truncated");
      out.push(data.slice(at + 2, at + 2 + len));
      at += 2 + len;
    }
    return at;
  };
  const sps: Uint8Array[] = [];
  const pps: Uint8Array[] = [];
  let at = sets(6, data[5] & 0x1f, sps);
  if (at < data.length) at = sets(at + 1, data[at], pps);
  return { lengthSize, sps, pps };
}

export type HevcConfig = {
  /** Bytes of each NAL unit's length prefix in the samples (1, 2 or 4; ffmpeg writes 4). */
  lengthSize: number;
  vps: Uint8Array[];
  sps: Uint8Array[];
  pps: Uint8Array[];
};

/** Bytes of an HEVCDecoderConfigurationRecord before its arrays of NAL units (through numOfArrays). */
const HVCC_HEADER_BYTES = 23;

/**
 * Parses an HEVCDecoderConfigurationRecord (ISO/IEC 14496-15 §8.3.3.1), the payload of an hvcC box: the length size
 * from byte 21's low 2 bits, then numOfArrays (byte 22) arrays of one NAL unit type (low 6 bits of its first byte),
 * each a u16 count of u16-length-prefixed NAL units. VPS, SPS and PPS are kept; SEI and other types are skipped.
 */
export function parseHvcC(data: Uint8Array): HevcConfig {
  if (data.length < HVCC_HEADER_BYTES || data[0] !== 1) throw new Error("not an HEVCDecoderConfigurationRecord");
  const lengthSize = (data[21] & 3) + 1;
  if (lengthSize === 3) throw new Error("bad NAL length size 3");
  const config: HevcConfig = { lengthSize, vps: [], sps: [], pps: [] };
  const byType = new Map([
    [HEVC_NAL_VPS, config.vps],
    [HEVC_NAL_SPS, config.sps],
    [HEVC_NAL_PPS, config.pps],
  ]);
  let at = HVCC_HEADER_BYTES;
  for (let i = 0; i < data[22]; i++) {
    if (at + 3 > data.length) throw new Error("hvcC truncated");
    const out = byType.get(data[at] & 0x3f);
    const count = uN(data, at + 1, 2);
    at += 3;
    for (let j = 0; j < count; j++) {
      if (at + 2 > data.length) throw new Error("hvcC truncated");
      const len = uN(data, at, 2);
      if (at + 2 + len > data.length) throw new Error("hvcC truncated");
      out?.push(data.slice(at + 2, at + 2 + len));
      at += 2 + len;
    }
  }
  return config;
}

/**
 * Video sample entries (ISO/IEC 14496-15) and the box holding their decoder configuration: avc1/avc2 keep H.264
 * parameter sets in avcC, avc3/avc4 may also carry them in-band; hvc1 keeps H.265's in hvcC, hev1 may also carry
 * them in-band.
 */
const SAMPLE_ENTRIES = new Map<string, { codec: VideoCodec; configBox: string }>([
  ["avc1", { codec: "h264", configBox: "avcC" }],
  ["avc2", { codec: "h264", configBox: "avcC" }],
  ["avc3", { codec: "h264", configBox: "avcC" }],
  ["avc4", { codec: "h264", configBox: "avcC" }],
  ["hvc1", { codec: "hevc", configBox: "hvcC" }],
  ["hev1", { codec: "hevc", configBox: "hvcC" }],
]);
/** Bytes of a VisualSampleEntry before its child boxes (ISO/IEC 14496-12 §12.1.3), after the box header. */
const VISUAL_SAMPLE_ENTRY_BYTES = 78;

/**
 * The decoder configuration payload (avcC or hvcC) of the first sample entry of an init segment's tracks
 * (moov/trak/mdia/minf/stbl/stsd) whose codec is one of `codecs`, or null when there is none.
 */
function findDecoderConfig(src: ByteSource, codecs: readonly VideoCodec[]): { codec: VideoCodec; payload: Uint8Array } | null {
  const moov = findPath(src, ["moov"]);
  if (!moov) return null;
  for (const trak of listBoxes(src, moov.body, moov.end).filter((b) => b.type === "trak")) {
    const stsd = findPath(src, ["mdia", "minf", "stbl", "stsd"], trak);
    if (!stsd) continue;
    // stsd: version/flags (4), entry_count (4), then the sample entries
    for (const entry of listBoxes(src, stsd.body + 8, stsd.end)) {
      const kind = SAMPLE_ENTRIES.get(entry.type);
      if (!kind || !codecs.includes(kind.codec)) continue;
      const config = listBoxes(src, entry.body + VISUAL_SAMPLE_ENTRY_BYTES, entry.end).find((b) => b.type === kind.configBox);
      if (config) return { codec: kind.codec, payload: src.read(config.body, config.end - config.body) };
    }
  }
  return null;
}

/** The avcC of the first H.264 video track of an init segment, or null when there is none. Throws on a malformed avcC. */
export function readAvcConfig(src: ByteSource): AvcConfig | null {
  const found = findDecoderConfig(src, ["h264"]);
  return found && parseAvcC(found.payload);
}

/** The hvcC of the first H.265 video track of an init segment, or null when there is none. Throws on a malformed hvcC. */
export function readHevcConfig(src: ByteSource): HevcConfig | null {
  const found = findDecoderConfig(src, ["hevc"]);
  return found && parseHvcC(found.payload);
}

/** The codec, NAL length size and SPS NAL units (out of band) of an init segment's first H.264 or H.265 track. */
export type VideoConfig = NalFraming & { sps: Uint8Array[] };

/**
 * The decoder configuration of the first H.264 or H.265 video track of an init segment, or null when there is none
 * (another codec, or not an MP4). Throws on a malformed avcC or hvcC.
 */
export function readVideoConfig(src: ByteSource): VideoConfig | null {
  const found = findDecoderConfig(src, ["h264", "hevc"]);
  if (!found) return null;
  const { lengthSize, sps } = found.codec === "hevc" ? parseHvcC(found.payload) : parseAvcC(found.payload);
  return { codec: found.codec, lengthSize, sps };
}

// ── Media segment: keyframes and their in-band SPS ──────────────────────────────────────────────────────────────

/** sample_is_non_sync_sample in ISO BMFF sample flags (§8.8.3.1). */
const NON_SYNC = 0x0001_0000;

type Sample = { offset: number; size: number | null; isSync: boolean | null };

/**
 * The samples of one track fragment (tfhd + trun, ISO/IEC 14496-12 §8.8.7, §8.8.8): file offset, size and whether
 * it is a sync sample (keyframe); null where the fragment does not say (defaults living in the init's trex).
 */
function trafSamples(src: ByteSource, moof: Box, traf: Box): Sample[] {
  const boxes = listBoxes(src, traf.body, traf.end);
  const tfhd = boxes.find((b) => b.type === "tfhd");
  if (!tfhd) return [];
  const h = src.read(tfhd.body, Math.min(tfhd.end - tfhd.body, 40));
  const flags = uN(h, 1, 3);
  let at = 8; // version/flags, track_ID
  let base = moof.start; // default-base-is-moof (0x020000), and the rule for the first traf without a base offset
  if (flags & 0x01) {
    base = uN(h, at, 8);
    at += 8;
  }
  if (flags & 0x02) at += 4; // sample_description_index
  if (flags & 0x08) at += 4; // default_sample_duration
  let defaultSize: number | null = null;
  if (flags & 0x10) {
    defaultSize = uN(h, at, 4);
    at += 4;
  }
  const defaultFlags = flags & 0x20 ? uN(h, at, 4) : null;

  const samples: Sample[] = [];
  for (const trun of boxes.filter((b) => b.type === "trun")) {
    const head = src.read(trun.body, 16);
    if (head.length < 8) break;
    const tf = uN(head, 1, 3);
    const count = uN(head, 4, 4);
    let p = trun.body + 8;
    let offset = samples.length ? (samples[samples.length - 1].offset + (samples[samples.length - 1].size ?? NaN)) : base;
    if (tf & 0x01) {
      offset = base + (uN(src.read(p, 4), 0, 4) | 0); // data_offset is a signed 32-bit integer
      p += 4;
    }
    let firstFlags: number | null = null;
    if (tf & 0x04) {
      firstFlags = u32(src, p);
      p += 4;
    }
    const fields = [0x100, 0x200, 0x400, 0x800].filter((f) => tf & f).length;
    const perSample = fields * 4;
    const table = src.read(p, count * perSample);
    if (table.length < count * perSample || !Number.isFinite(offset)) break;
    for (let i = 0; i < count; i++) {
      let q = i * perSample + (tf & 0x100 ? 4 : 0);
      let size = defaultSize;
      if (tf & 0x200) {
        size = uN(table, q, 4);
        q += 4;
      }
      let sampleFlags = defaultFlags;
      if (tf & 0x400) sampleFlags = uN(table, q, 4);
      if (i === 0 && firstFlags !== null) sampleFlags = firstFlags;
      samples.push({ offset, size, isSync: sampleFlags === null ? null : (sampleFlags & NON_SYNC) === 0 });
      if (size === null) return samples; // later offsets unknown
      offset += size;
    }
  }
  return samples;
}

export type SegmentSps = {
  /** Keyframes whose NAL units were looked at. */
  keyframes: number;
  /** The SPS NAL units found in-band at those keyframes, in order (empty when the camera sends them only out of band). */
  sps: Uint8Array[];
};

/**
 * The in-band SPS at the keyframes of an fMP4 media segment (moof + mdat pairs), or null when it is not one. Only the
 * NAL units in front of each keyframe's first slice are visited, through their length prefixes: the slices
 * themselves are never read. A segment that states no sync flags is taken to start with a keyframe (ffmpeg's HLS
 * muxer cuts only at keyframes). NAL unit headers are read with `framing.codec`'s rule (NAL_RULES).
 */
export function findSegmentSps(src: ByteSource, framing: NalFraming): SegmentSps | null {
  const { lengthSize } = framing;
  if (![1, 2, 4].includes(lengthSize)) throw new RangeError("lengthSize must be 1, 2 or 4");
  const rule = NAL_RULES[framing.codec];
  if (!rule) throw new RangeError(`unknown codec ${String(framing.codec)}`);
  const prefixAndHeader = lengthSize + rule.headerBytes;
  const top = listBoxes(src, 0, src.size);
  const moofs = top.filter((b) => b.type === "moof");
  if (!moofs.length) return null;
  const result: SegmentSps = { keyframes: 0, sps: [] };
  for (const moof of moofs) {
    if (moof.end - moof.start > MAX_MOOF_BYTES) return null;
    const mdat = top.find((b) => b.type === "mdat" && b.start >= moof.end);
    if (!mdat) continue;
    for (const traf of listBoxes(src, moof.body, moof.end).filter((b) => b.type === "traf")) {
      const samples = trafSamples(src, moof, traf);
      samples.forEach((s, i) => {
        const isKey = s.isSync ?? i === 0;
        if (!isKey || result.keyframes >= MAX_KEYFRAMES) return;
        if (s.offset < mdat.body || s.offset >= mdat.end) return;
        result.keyframes++;
        const end = Math.min(mdat.end, s.size === null ? mdat.end : s.offset + s.size);
        let at = s.offset;
        for (let n = 0; n < MAX_NALS_BEFORE_SLICE && at + prefixAndHeader <= end; n++) {
          const head = src.read(at, prefixAndHeader);
          if (head.length < prefixAndHeader) break;
          const len = uN(head, 0, lengthSize);
          const header = head.subarray(lengthSize);
          if (len < rule.headerBytes || at + lengthSize + len > end) break;
          if (rule.isVcl(header)) break;
          if (rule.isSps(header) && len <= MAX_SPS_BYTES) result.sps.push(src.read(at + lengthSize, len).slice());
          at += lengthSize + len;
        }
      });
    }
  }
  return result;
}

// ── Files ───────────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * What an init segment declares: the codec and NAL length size its samples use, its first SPS (the base layer's,
 * with its NAL header) and that SPS's output size in pixels and luma bit depth.
 */
export type InitFormat = NalFraming & { sps: Uint8Array } & SpsFormat;

/**
 * The format an init segment declares (its first H.264 or H.265 track's first SPS), or null when it has no such
 * track or its avcC/hvcC lists no SPS (the parameter sets then travel only in-band). Throws if unreadable.
 */
export function readInitFormat(file: string): InitFormat | null {
  return withFileSource(file, (src) => {
    if (src.size > MAX_INIT_BYTES) throw new Error(`init segment of ${src.size} bytes`);
    const config = readVideoConfig(src);
    if (!config) return null;
    const rule = NAL_RULES[config.codec];
    const sps = config.sps.find((nal) => nal.length >= rule.headerBytes && rule.isSps(nal));
    if (!sps) return null;
    return { codec: config.codec, lengthSize: config.lengthSize, sps, ...parseSpsFormat(config.codec, sps) };
  });
}

/** findSegmentSps over a file, with the run's framing (its InitFormat will do). Throws if the file cannot be read. */
export function readSegmentSps(file: string, framing: NalFraming): SegmentSps | null {
  return withFileSource(file, (src) => findSegmentSps(src, framing));
}

// ── Media segment: the first keyframe, for the timelapse ───────────────────────────────────────────────────────

/** A keyframe larger than this is not one the recorder's ingest wrote (a 4K IDR is a few MB), in bytes. */
const MAX_KEYFRAME_BYTES = 32 * 1024 * 1024;

/**
 * The first keyframe of an fMP4 media segment as it is stored: its NAL units with their length prefixes, the framing
 * they use, and the parameter sets the init segment declares out of band (VPS for H.265, SPS, PPS), so that the frame
 * decodes on its own. Null when the init has no H.264/H.265 track or the segment no readable keyframe. Nothing is
 * decoded: the sample is copied as it is (what the timelapse keeps, lib/timelapse/frames.ts).
 */
export type StoredKeyframe = NalFraming & { parameterSets: Uint8Array[]; sample: Uint8Array };

export function findFirstKeyframe(init: ByteSource, segment: ByteSource): StoredKeyframe | null {
  const found = findDecoderConfig(init, ["h264", "hevc"]);
  if (!found) return null;
  const hevc = found.codec === "hevc" ? parseHvcC(found.payload) : null;
  const config = hevc ?? parseAvcC(found.payload);
  const parameterSets = [...(hevc?.vps ?? []), ...config.sps, ...config.pps];
  const top = listBoxes(segment, 0, segment.size);
  for (const moof of top.filter((b) => b.type === "moof")) {
    if (moof.end - moof.start > MAX_MOOF_BYTES) return null;
    const mdat = top.find((b) => b.type === "mdat" && b.start >= moof.end);
    if (!mdat) continue;
    for (const traf of listBoxes(segment, moof.body, moof.end).filter((b) => b.type === "traf")) {
      const samples = trafSamples(segment, moof, traf);
      const i = samples.findIndex((s, n) => s.isSync ?? n === 0);
      if (i < 0) continue;
      const s = samples[i];
      if (s.offset < mdat.body || s.offset >= mdat.end) continue;
      const end = Math.min(mdat.end, s.size === null ? mdat.end : s.offset + s.size);
      if (end - s.offset > MAX_KEYFRAME_BYTES) return null;
      const sample = segment.read(s.offset, end - s.offset).slice();
      return { codec: found.codec, lengthSize: config.lengthSize, parameterSets, sample };
    }
  }
  return null;
}

/** findFirstKeyframe over files (the run's init segment and a media segment). Throws if a file cannot be read. */
export function readFirstKeyframe(initFile: string, segmentFile: string): StoredKeyframe | null {
  return withFileSource(initFile, (init) => withFileSource(segmentFile, (segment) => findFirstKeyframe(init, segment)));
}
