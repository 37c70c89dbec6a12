// H.264 for the camera simulator: access unit rules for Annex-B streams, the few SPS facts an SDP needs, RTP
// packetization (RFC 6184: single NAL unit, STAP-A and FU-A, packetization-mode=1) and the SDP of an H.264 track.
// The codec-neutral parts (Annex-B splitting, RTP header, interleaving, RTCP, SDP session) are annexb.ts and rtp.ts.
// Pure functions; no I/O.
import { parseSps } from "../h264/sps";
import { AnnexBStreamReader, parseAccessUnits, type AccessUnit, type AccessUnitRules } from "./annexb";
import { buildSessionSdp, countNalPackets, MAX_RTP_PAYLOAD_BYTES, packetizeNals, planNalPayloads, VIDEO_CLOCK_HZ, type NalPayloadFormat, type PayloadPlan, type RtpPacketizeOptions, type VideoCodec } from "./rtp";

/** NAL unit types we act on (H.264 table 7-1). */
export const NAL_TYPE = { SLICE: 1, IDR: 5, SEI: 6, SPS: 7, PPS: 8, AUD: 9, STAP_A: 24, FU_A: 28 } as const;

/** Dynamic RTP payload type used for the H.264 track. */
export const H264_PAYLOAD_TYPE = 96;

export const nalType = (nal: Uint8Array): number => nal[0] & 0x1f;
const isVclType = (type: number) => type >= 1 && type <= 5;

/**
 * H.264 §7.4.1.2.3: a new picture starts with an AUD, SEI, SPS, PPS or NAL types 14–18 after a slice, or with a slice
 * whose first_mb_in_slice is 0 (ue(v) 0 is a single 1 bit: the top bit of the byte after the NAL header).
 */
export const H264_ACCESS_UNIT_RULES: AccessUnitRules = {
  isVcl: (nal) => isVclType(nalType(nal)),
  startsAccessUnit: (nal) => {
    const type = nalType(nal);
    const isFirstSlice = isVclType(type) && nal.length > 1 && (nal[1] & 0x80) !== 0;
    return type === NAL_TYPE.AUD || type === NAL_TYPE.SEI || type === NAL_TYPE.SPS || type === NAL_TYPE.PPS || (type >= 14 && type <= 18) || isFirstSlice;
  },
  isDropped: (nal) => nalType(nal) === NAL_TYPE.AUD,
  isKey: (nal) => nalType(nal) === NAL_TYPE.IDR,
};

/** Incremental H.264 Annex-B reader (see AnnexBStreamReader). */
export class AnnexBReader extends AnnexBStreamReader {
  constructor(onAccessUnit: (au: AccessUnit) => void) {
    super(H264_ACCESS_UNIT_RULES, onAccessUnit);
  }
}

/** Parses a whole H.264 Annex-B file into access units (views into `data`). */
export function parseAnnexB(data: Buffer): AccessUnit[] {
  return parseAccessUnits(data, H264_ACCESS_UNIT_RULES);
}

/** The first SPS and PPS found, or null when either is missing. */
export function findParameterSets(units: AccessUnit[]): { sps: Buffer; pps: Buffer } | null {
  let sps: Buffer | undefined;
  let pps: Buffer | undefined;
  for (const au of units) {
    for (const nal of au.nals) {
      const type = nalType(nal);
      if (type === NAL_TYPE.SPS) sps ??= nal;
      else if (type === NAL_TYPE.PPS) pps ??= nal;
    }
    if (sps && pps) return { sps, pps };
  }
  return null;
}

/** The SDP profile-level-id: profile_idc, constraint flags and level_idc of the SPS as six hex digits. */
export function profileLevelId(sps: Buffer): string {
  if (sps.length < 4 || nalType(sps) !== NAL_TYPE.SPS) throw new Error("not an SPS NAL unit");
  return sps.subarray(1, 4).toString("hex");
}

export { parseSps, unescapeRbsp, type SpsInfo } from "../h264/sps";

/** RFC 6184 headers: STAP-A (§5.7.1) and FU-A (§5.8) around 1-byte NAL unit headers. */
const H264_PAYLOAD_FORMAT: NalPayloadFormat = {
  nalHeaderBytes: 1,
  aggregationHeaderBytes: 1,
  fragmentHeaderBytes: 2,
  writeAggregationHeader(out, at, nals) {
    // F = OR of the F bits, NRI = the highest NRI, type 24
    let f = 0;
    let nri = 0;
    for (const n of nals) {
      f |= n[0] & 0x80;
      nri = Math.max(nri, n[0] & 0x60);
    }
    out[at] = f | nri | NAL_TYPE.STAP_A;
  },
  writeFragmentHeader(out, at, nal, isFirst, isLast) {
    out[at] = (nal[0] & 0xe0) | NAL_TYPE.FU_A; // indicator: F and NRI of the NAL, type 28
    out[at + 1] = (isFirst ? 0x80 : 0) | (isLast ? 0x40 : 0) | (nal[0] & 0x1f); // S | E | R=0 | type
  },
};

/** How the NAL units of an access unit map onto RFC 6184 payloads (see planNalPayloads). */
export function planRtpPayloads(au: AccessUnit, maxPayload = MAX_RTP_PAYLOAD_BYTES): PayloadPlan[] {
  return planNalPayloads(au.nals, H264_PAYLOAD_FORMAT, maxPayload);
}

/** How many RTP packets packetizeAccessUnit() will produce (so sequence numbers can be assigned without building them). */
export function countRtpPackets(au: AccessUnit, maxPayload = MAX_RTP_PAYLOAD_BYTES): number {
  return countNalPackets(au.nals, H264_PAYLOAD_FORMAT, maxPayload);
}

/**
 * RFC 6184 packetization of one access unit: STAP-A, single NAL unit and FU-A packets. All packets carry the access
 * unit's timestamp; the marker bit is set on its last packet. Sequence numbers start at `sequence` and wrap at 2^16.
 */
export function packetizeAccessUnit(au: AccessUnit, opts: RtpPacketizeOptions): Buffer[] {
  return packetizeNals(au.nals, H264_PAYLOAD_FORMAT, { ...opts, payloadType: opts.payloadType ?? H264_PAYLOAD_TYPE });
}

/** The SDP media section of an H.264 track (packetization-mode=1, sprop-parameter-sets), without a=control. */
export function h264SdpMedia(o: { sps: Buffer; pps: Buffer; fps: number; payloadType?: number }): string[] {
  const pt = o.payloadType ?? H264_PAYLOAD_TYPE;
  const { width, height } = parseSps(o.sps);
  return [
    `m=video 0 RTP/AVP ${pt}`,
    `a=rtpmap:${pt} H264/${VIDEO_CLOCK_HZ}`,
    `a=fmtp:${pt} packetization-mode=1;profile-level-id=${profileLevelId(o.sps)};sprop-parameter-sets=${o.sps.toString("base64")},${o.pps.toString("base64")}`,
    `a=framerate:${o.fps}`,
    `a=x-dimensions:${width},${height}`,
  ];
}

export type SdpOptions = {
  /** The server's address (o= and c= lines). */
  address: string;
  /** o= session id (digits). */
  sessionId: string;
  sps: Buffer;
  pps: Buffer;
  fps: number;
  sessionName?: string;
  payloadType?: number;
  /** a=control of the track, relative to Content-Base. */
  control?: string;
};

/** SDP (RFC 4566) of a single H.264 track, packetization-mode=1, with in-band-equivalent sprop-parameter-sets. */
export function buildSdp(o: SdpOptions): string {
  return buildSessionSdp({ address: o.address, sessionId: o.sessionId, sessionName: o.sessionName, media: [[...h264SdpMedia(o), `a=control:${o.control ?? "trackID=0"}`]] });
}

/** H.264 as the RTSP server and the sources use it. */
export const H264: VideoCodec = {
  name: "h264",
  parseAnnexB,
  createReader: (onAccessUnit) => new AnnexBReader(onAccessUnit),
  parameterSets(au) {
    let sps: Buffer | undefined;
    let pps: Buffer | undefined;
    for (const n of au.nals) {
      if (nalType(n) === NAL_TYPE.SPS) sps = n;
      else if (nalType(n) === NAL_TYPE.PPS) pps = n;
    }
    return sps && pps ? { sps, pps } : null;
  },
  countRtpPackets,
  packetize: packetizeAccessUnit,
  sdpMedia: ({ parameterSets, fps, payloadType }) => h264SdpMedia({ sps: parameterSets.sps, pps: parameterSets.pps, fps, payloadType }),
};
