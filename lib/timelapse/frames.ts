// A timelapse frame on disk: one keyframe of the camera's main stream, copied (never decoded) from a segment of the
// recorder's ring, as an Annex B elementary stream — start code + parameter sets (VPS/SPS/PPS) + the keyframe's NAL
// units — so each file decodes on its own and a day's files, concatenated in time order, are a valid all-intra
// stream for ffmpeg's raw h264/hevc demuxer. Named by capture time: <ms since 1970>.h264 or .h265. Pure.
import { NAL_SPS, parseSps } from "../h264/sps";
import { HEVC_NAL_SPS, hevcLayerId, hevcNalType, parseHevcSps } from "../h265/sps";

/** The codecs a frame can be in (the recorder's VideoCodec, "hevc" for H.265). */
export type FrameCodec = "h264" | "hevc";

const START_CODE = Uint8Array.of(0, 0, 0, 1);
const EXT: Record<FrameCodec, string> = { h264: "h264", hevc: "h265" };
const NAME_RE = /^(\d{1,15})\.(h264|h265)$/;

export type FrameName = { atMs: number; codec: FrameCodec };

export function frameFileName(atMs: number, codec: FrameCodec): string {
  return `${Math.round(atMs)}.${EXT[codec]}`;
}

/** A frame file's capture time and codec, or null for any other name (temp files, strays). */
export function parseFrameFileName(name: string): FrameName | null {
  const m = NAME_RE.exec(name);
  return m ? { atMs: Number(m[1]), codec: m[2] === "h265" ? "hevc" : "h264" } : null;
}

/**
 * The Annex B bytes of a keyframe: each parameter set, then each NAL unit of the sample (its `lengthSize`-byte
 * big-endian length prefixes replaced by start codes). Throws on a sample whose prefixes run past its end.
 */
export function keyframeToAnnexB(parameterSets: Uint8Array[], sample: Uint8Array, lengthSize: number): Uint8Array {
  if (![1, 2, 4].includes(lengthSize)) throw new RangeError("lengthSize must be 1, 2 or 4");
  const nals: Uint8Array[] = [...parameterSets];
  for (let at = 0; at < sample.length; ) {
    if (at + lengthSize > sample.length) throw new Error("keyframe: truncated NAL length");
    let len = 0;
    for (let i = 0; i < lengthSize; i++) len = len * 256 + sample[at + i];
    at += lengthSize;
    if (len === 0 || at + len > sample.length) throw new Error("keyframe: NAL unit runs past the sample");
    nals.push(sample.subarray(at, at + len));
    at += len;
  }
  const out = new Uint8Array(nals.reduce((n, u) => n + START_CODE.length + u.length, 0));
  let p = 0;
  for (const u of nals) {
    out.set(START_CODE, p);
    out.set(u, p + START_CODE.length);
    p += START_CODE.length + u.length;
  }
  return out;
}

/** The NAL units of an Annex B stream (3- or 4-byte start codes), without their start codes. */
export function splitAnnexB(data: Uint8Array): Uint8Array[] {
  const starts: { at: number; body: number }[] = [];
  for (let i = 0; i + 2 < data.length; i++) {
    if (data[i] === 0 && data[i + 1] === 0 && data[i + 2] === 1) {
      starts.push({ at: i > 0 && data[i - 1] === 0 ? i - 1 : i, body: i + 3 });
      i += 2;
    }
  }
  return starts.map((s, n) => data.subarray(s.body, n + 1 < starts.length ? starts[n + 1].at : data.length));
}

/** The picture size (pixels, after cropping) of a frame file's first SPS, or null when it has none or it is unreadable. */
export function frameSize(data: Uint8Array, codec: FrameCodec): { width: number; height: number } | null {
  for (const nal of splitAnnexB(data)) {
    try {
      if (codec === "h264" && nal.length > 1 && (nal[0] & 0x1f) === NAL_SPS) return pick(parseSps(nal));
      if (codec === "hevc" && nal.length > 2 && hevcNalType(nal[0]) === HEVC_NAL_SPS && hevcLayerId(nal[0], nal[1]) === 0) return pick(parseHevcSps(nal));
    } catch {
      return null;
    }
  }
  return null;
}

const pick = (s: { width: number; height: number }) => ({ width: s.width, height: s.height });
