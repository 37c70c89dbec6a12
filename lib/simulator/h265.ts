// H.265 (HEVC) for the camera simulator: access unit rules for Annex-B streams (H.265 §7.4.2.4.4), RTP
// packetization per RFC 7798 (single NAL unit packets, aggregation packets for the parameter sets, fragmentation
// units for large NAL units; no DON fields, sprop-max-don-diff = 0) and the SDP of an H.265 track. The picture size is
// not read from the SPS here: the simulator knows it from the clip spec it encoded. Pure functions; no I/O.
import { AnnexBStreamReader, parseAccessUnits, type AccessUnit, type AccessUnitRules } from "./annexb";
import { countNalPackets, MAX_RTP_PAYLOAD_BYTES, packetizeNals, planNalPayloads, VIDEO_CLOCK_HZ, type NalPayloadFormat, type ParameterSets, type PayloadPlan, type RtpPacketizeOptions, type VideoCodec } from "./rtp";

/** NAL unit types we act on (H.265 table 7-1; 48 and 49 are RFC 7798's payload structures). */
export const HEVC_NAL_TYPE = { TRAIL_R: 1, IDR_W_RADL: 19, IDR_N_LP: 20, CRA: 21, VPS: 32, SPS: 33, PPS: 34, AUD: 35, PREFIX_SEI: 39, SUFFIX_SEI: 40, AP: 48, FU: 49 } as const;

/** Dynamic RTP payload type used for the H.265 track (the same number as H.264's: one video track per path). */
export const H265_PAYLOAD_TYPE = 96;

/** nal_unit_type: the six bits after forbidden_zero_bit of the 2-byte NAL unit header. */
export const hevcNalType = (nal: Uint8Array): number => (nal[0] >> 1) & 0x3f;
/** nuh_layer_id: the last bit of byte 0 and the top five of byte 1. */
const layerId = (nal: Uint8Array): number => ((nal[0] & 0x01) << 5) | (nal[1] >> 3);
/** nuh_temporal_id_plus1: the low three bits of byte 1. */
const temporalIdPlus1 = (nal: Uint8Array): number => nal[1] & 0x07;

/** Coded slice segments are types 0–31 (22–31 reserved VCL types). */
const isVclType = (type: number) => type <= 31;
/** IRAP pictures (BLA, IDR, CRA, and the reserved 22–23): a decoder can start here. */
const isIrapType = (type: number) => type >= 16 && type <= 23;

/**
 * H.265 §7.4.2.4.4: the first of these after a slice starts a new access unit: an AUD, VPS, SPS, PPS, prefix SEI, NAL
 * types 41–44 or 48–55, or a slice segment whose first_slice_segment_in_pic_flag (the first bit after the 2-byte
 * header) is 1. Suffix SEI, EOS/EOB and filler data stay with the picture they follow.
 */
export const HEVC_ACCESS_UNIT_RULES: AccessUnitRules = {
  isVcl: (nal) => nal.length >= 2 && isVclType(hevcNalType(nal)),
  startsAccessUnit: (nal) => {
    const type = hevcNalType(nal);
    if (isVclType(type)) return nal.length > 2 && (nal[2] & 0x80) !== 0;
    return (type >= HEVC_NAL_TYPE.VPS && type <= HEVC_NAL_TYPE.AUD) || type === HEVC_NAL_TYPE.PREFIX_SEI || (type >= 41 && type <= 44) || (type >= 48 && type <= 55);
  },
  isDropped: (nal) => hevcNalType(nal) === HEVC_NAL_TYPE.AUD,
  isKey: (nal) => isIrapType(hevcNalType(nal)),
};

/** Incremental H.265 Annex-B reader (see AnnexBStreamReader). */
export class HevcAnnexBReader extends AnnexBStreamReader {
  constructor(onAccessUnit: (au: AccessUnit) => void) {
    super(HEVC_ACCESS_UNIT_RULES, onAccessUnit);
  }
}

/** Parses a whole H.265 Annex-B file into access units (views into `data`). */
export function parseHevcAnnexB(data: Buffer): AccessUnit[] {
  return parseAccessUnits(data, HEVC_ACCESS_UNIT_RULES);
}

/** The VPS, SPS and PPS of one access unit (the last of each), or null when any is missing. */
export function hevcParameterSets(au: AccessUnit): Required<ParameterSets> | null {
  let vps: Buffer | undefined;
  let sps: Buffer | undefined;
  let pps: Buffer | undefined;
  for (const n of au.nals) {
    const type = hevcNalType(n);
    if (type === HEVC_NAL_TYPE.VPS) vps = n;
    else if (type === HEVC_NAL_TYPE.SPS) sps = n;
    else if (type === HEVC_NAL_TYPE.PPS) pps = n;
  }
  return vps && sps && pps ? { vps, sps, pps } : null;
}

/** The parameter sets of the first access unit that carries all three, or null. */
export function findHevcParameterSets(units: readonly AccessUnit[]): Required<ParameterSets> | null {
  for (const au of units) {
    const ps = hevcParameterSets(au);
    if (ps) return ps;
  }
  return null;
}

/** RFC 7798 headers around 2-byte NAL unit headers: AP (§4.4.2) and FU (§4.4.3). */
const HEVC_PAYLOAD_FORMAT: NalPayloadFormat = {
  nalHeaderBytes: 2,
  aggregationHeaderBytes: 2,
  fragmentHeaderBytes: 3,
  writeAggregationHeader(out, at, nals) {
    // PayloadHdr: F = OR of the F bits, Type = 48, LayerId and TID = the lowest of the aggregated NAL units
    let f = 0;
    let layer = 63;
    let tid = 7;
    for (const n of nals) {
      f |= n[0] & 0x80;
      layer = Math.min(layer, layerId(n));
      tid = Math.min(tid, temporalIdPlus1(n));
    }
    out[at] = f | (HEVC_NAL_TYPE.AP << 1) | (layer >> 5);
    out[at + 1] = ((layer & 0x1f) << 3) | tid;
  },
  writeFragmentHeader(out, at, nal, isFirst, isLast) {
    // PayloadHdr: the NAL's header with Type = 49 (F, LayerId and TID kept); FU header: S | E | FuType
    out[at] = (nal[0] & 0x81) | (HEVC_NAL_TYPE.FU << 1);
    out[at + 1] = nal[1];
    out[at + 2] = (isFirst ? 0x80 : 0) | (isLast ? 0x40 : 0) | hevcNalType(nal);
  },
};

/** How the NAL units of an access unit map onto RFC 7798 payloads (see planNalPayloads). */
export function planHevcPayloads(au: AccessUnit, maxPayload = MAX_RTP_PAYLOAD_BYTES): PayloadPlan[] {
  return planNalPayloads(au.nals, HEVC_PAYLOAD_FORMAT, maxPayload);
}

/** How many RTP packets packetizeHevcAccessUnit() will produce. */
export function countHevcRtpPackets(au: AccessUnit, maxPayload = MAX_RTP_PAYLOAD_BYTES): number {
  return countNalPackets(au.nals, HEVC_PAYLOAD_FORMAT, maxPayload);
}

/**
 * RFC 7798 packetization of one access unit: AP, single NAL unit and FU packets. All packets carry the access unit's
 * timestamp; the marker bit is set on its last packet. Sequence numbers start at `sequence` and wrap at 2^16.
 */
export function packetizeHevcAccessUnit(au: AccessUnit, opts: RtpPacketizeOptions): Buffer[] {
  return packetizeNals(au.nals, HEVC_PAYLOAD_FORMAT, { ...opts, payloadType: opts.payloadType ?? H265_PAYLOAD_TYPE });
}

/** The SDP media section of an H.265 track (RFC 7798 §7.1: sprop-vps/sps/pps in base64), without a=control. */
export function h265SdpMedia(o: { vps: Buffer; sps: Buffer; pps: Buffer; fps: number; payloadType?: number }): string[] {
  const pt = o.payloadType ?? H265_PAYLOAD_TYPE;
  return [
    `m=video 0 RTP/AVP ${pt}`,
    `a=rtpmap:${pt} H265/${VIDEO_CLOCK_HZ}`,
    `a=fmtp:${pt} sprop-vps=${o.vps.toString("base64")};sprop-sps=${o.sps.toString("base64")};sprop-pps=${o.pps.toString("base64")}`,
    `a=framerate:${o.fps}`,
  ];
}

/** H.265 as the RTSP server and the sources use it. */
export const H265: VideoCodec = {
  name: "h265",
  parseAnnexB: parseHevcAnnexB,
  createReader: (onAccessUnit) => new HevcAnnexBReader(onAccessUnit),
  parameterSets: hevcParameterSets,
  countRtpPackets: countHevcRtpPackets,
  packetize: packetizeHevcAccessUnit,
  sdpMedia({ parameterSets: { vps, sps, pps }, fps, payloadType }) {
    if (!vps) throw new Error("an H.265 track needs its VPS");
    return h265SdpMedia({ vps, sps, pps, fps, payloadType });
  },
};
