// H.264 for the camera simulator: Annex-B parsing into NAL units and access units, the few SPS facts an SDP needs,
// RTP packetization (RFC 6184: single NAL unit and FU-A, packetization-mode=1), RTCP sender reports (RFC 3550) and
// the SDP of one H.264 track. Pure functions; no I/O.
import { parseSps } from "../h264/sps";

/** NAL unit types we act on (H.264 table 7-1). */
export const NAL_TYPE = { SLICE: 1, IDR: 5, SEI: 6, SPS: 7, PPS: 8, AUD: 9, STAP_A: 24, FU_A: 28 } as const;

/** RTP clock rate of H.264 video (RFC 6184 §8.2.1), in Hz. */
export const RTP_CLOCK_HZ = 90_000;
/** Largest RTP payload we emit, in bytes: 1400 + 12 RTP + 8 UDP + 20 IP stays below a 1500-byte MTU. */
export const MAX_RTP_PAYLOAD_BYTES = 1400;
/** Dynamic RTP payload type used for the H.264 track. */
export const H264_PAYLOAD_TYPE = 96;

export type AccessUnit = {
  /** NAL units of one picture, without start codes; access unit delimiters are dropped. */
  nals: Buffer[];
  /** Contains an IDR slice: a decoder can start here. */
  isKey: boolean;
};

export const nalType = (nal: Uint8Array): number => nal[0] & 0x1f;
const isVcl = (type: number) => type >= 1 && type <= 5;

/** Index of the next start code (00 00 01, or the 00 00 00 01 form: the index of its first zero) at or after `from`. */
function findStartCode(data: Buffer, from: number): number {
  const i = data.indexOf(START_CODE, from);
  if (i < 0) return -1;
  return i > from && data[i - 1] === 0 ? i - 1 : i;
}
const START_CODE = Buffer.from([0, 0, 1]);
const startCodeLength = (data: Buffer, at: number) => (data[at + 2] === 1 ? 3 : 4);

/** Drops trailing zero bytes (trailing_zero_8bits, or the first byte of a 4-byte start code). A NAL never ends in 0x00. */
function trimNal(nal: Buffer): Buffer {
  let end = nal.length;
  while (end > 0 && nal[end - 1] === 0) end--;
  return nal.subarray(0, end);
}

/** Splits a complete Annex-B byte stream into NAL units (views into `data`, start codes removed). */
export function splitAnnexB(data: Buffer): Buffer[] {
  const nals: Buffer[] = [];
  let start = findStartCode(data, 0);
  while (start >= 0) {
    const header = start + startCodeLength(data, start);
    const next = findStartCode(data, header);
    const nal = trimNal(data.subarray(header, next < 0 ? data.length : next));
    if (nal.length) nals.push(nal);
    start = next;
  }
  return nals;
}

/**
 * Groups NAL units into access units incrementally (H.264 §7.4.1.2.3): a new picture starts with an AUD, SEI, SPS or
 * PPS after a slice, or with a slice whose first_mb_in_slice is 0. The last access unit is emitted by end() or when
 * the next one starts.
 */
export class AccessUnitAssembler {
  private current: Buffer[] = [];
  private hasVcl = false;
  constructor(private readonly onAccessUnit: (au: AccessUnit) => void) {}

  push(nal: Buffer): void {
    if (!nal.length) return;
    const type = nalType(nal);
    // ue(v) first_mb_in_slice == 0 is coded as a single 1 bit: the top bit of the byte after the NAL header.
    const isFirstSlice = isVcl(type) && nal.length > 1 && (nal[1] & 0x80) !== 0;
    const startsAu = type === NAL_TYPE.AUD || type === NAL_TYPE.SEI || type === NAL_TYPE.SPS || type === NAL_TYPE.PPS || (type >= 14 && type <= 18) || isFirstSlice;
    if (this.hasVcl && startsAu) this.end();
    if (type === NAL_TYPE.AUD) return;
    this.current.push(nal);
    if (isVcl(type)) this.hasVcl = true;
  }

  /** Emits the pending access unit (end of stream). NAL units before the first slice are kept for the next one. */
  end(): void {
    if (this.hasVcl) this.onAccessUnit({ nals: this.current, isKey: this.current.some((n) => nalType(n) === NAL_TYPE.IDR) });
    else return;
    this.current = [];
    this.hasVcl = false;
  }
}

/**
 * Incremental Annex-B reader for a byte stream that arrives in chunks (an ffmpeg pipe): feed() any chunk, receive
 * complete access units. Each NAL is copied once so the chunk buffers are not pinned.
 */
export class AnnexBReader {
  private pending: Buffer = Buffer.alloc(0);
  private scanFrom = 0;
  private readonly assembler: AccessUnitAssembler;
  constructor(onAccessUnit: (au: AccessUnit) => void) {
    this.assembler = new AccessUnitAssembler(onAccessUnit);
  }

  feed(chunk: Buffer): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    let start = findStartCode(this.pending, 0);
    if (start < 0) {
      this.scanFrom = Math.max(0, this.pending.length - 3);
      return;
    }
    for (;;) {
      const header = start + startCodeLength(this.pending, start);
      const next = findStartCode(this.pending, Math.max(header, this.scanFrom));
      if (next < 0) break; // the last NAL may be incomplete: keep it
      this.scanFrom = 0;
      const nal = trimNal(this.pending.subarray(header, next));
      if (nal.length) this.assembler.push(Buffer.from(nal));
      start = next;
    }
    this.pending = Buffer.from(this.pending.subarray(start));
    this.scanFrom = Math.max(0, this.pending.length - 3);
  }

  end(): void {
    const start = findStartCode(this.pending, 0);
    if (start >= 0) {
      const nal = trimNal(this.pending.subarray(start + startCodeLength(this.pending, start)));
      if (nal.length) this.assembler.push(Buffer.from(nal));
    }
    this.pending = Buffer.alloc(0);
    this.scanFrom = 0;
    this.assembler.end();
  }
}

/** Parses a whole Annex-B file into access units (views into `data`). */
export function parseAnnexB(data: Buffer): AccessUnit[] {
  const out: AccessUnit[] = [];
  const assembler = new AccessUnitAssembler((au) => out.push(au));
  for (const nal of splitAnnexB(data)) assembler.push(nal);
  assembler.end();
  return out;
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

/** RTP timestamp of frame `frameIndex` at `fps`, starting from `base` (90 kHz, wraps at 2^32). */
export function rtpTimestamp(base: number, frameIndex: number, fps: number): number {
  return (base + Math.round((frameIndex * RTP_CLOCK_HZ) / fps)) >>> 0;
}

/**
 * How the NAL units of an access unit map onto RTP payloads: runs of small NAL units (SPS, PPS, SEI) are aggregated
 * into one STAP-A packet, a NAL that fits alone is a single NAL unit packet, a larger one is split into FU-A
 * fragments. Aggregating the parameter sets matters: ffmpeg's RTSP demuxer loses the timestamp of the first frame
 * (pts N/A, so recordings start with a 1/90000 s frame) when SPS and PPS arrive as separate packets.
 */
type PayloadPlan = { kind: "single"; nal: Buffer } | { kind: "stap"; nals: Buffer[] } | { kind: "fu"; nal: Buffer };

export function planRtpPayloads(au: AccessUnit, maxPayload = MAX_RTP_PAYLOAD_BYTES): PayloadPlan[] {
  const plan: PayloadPlan[] = [];
  let run: Buffer[] = [];
  let runBytes = 1; // STAP-A header byte
  const flush = () => {
    if (run.length === 1) plan.push({ kind: "single", nal: run[0] });
    else if (run.length > 1) plan.push({ kind: "stap", nals: run });
    run = [];
    runBytes = 1;
  };
  for (const nal of au.nals) {
    if (nal.length > maxPayload) {
      flush();
      plan.push({ kind: "fu", nal });
      continue;
    }
    if (runBytes + 2 + nal.length > maxPayload) flush();
    if (runBytes + 2 + nal.length <= maxPayload) {
      run.push(nal);
      runBytes += 2 + nal.length;
    } else plan.push({ kind: "single", nal }); // fits alone but not with the STAP-A overhead
  }
  flush();
  return plan;
}

/** How many RTP packets packetizeAccessUnit() will produce (so sequence numbers can be assigned without building them). */
export function countRtpPackets(au: AccessUnit, maxPayload = MAX_RTP_PAYLOAD_BYTES): number {
  let n = 0;
  for (const p of planRtpPayloads(au, maxPayload)) n += p.kind === "fu" ? Math.ceil((p.nal.length - 1) / (maxPayload - 2)) : 1;
  return n;
}

export type RtpPacketizeOptions = { sequence: number; timestamp: number; ssrc: number; payloadType?: number; maxPayload?: number };

/**
 * RFC 6184 packetization of one access unit (see planRtpPayloads: STAP-A, single NAL unit and FU-A packets). All packets carry the access unit's timestamp; the marker bit is set on its last packet.
 * Sequence numbers start at `sequence` and wrap at 2^16.
 */
export function packetizeAccessUnit(au: AccessUnit, opts: RtpPacketizeOptions): Buffer[] {
  const maxPayload = opts.maxPayload ?? MAX_RTP_PAYLOAD_BYTES;
  const payloadType = opts.payloadType ?? H264_PAYLOAD_TYPE;
  let seq = opts.sequence & 0xffff;
  const packets: Buffer[] = [];
  const header = (isLast: boolean, payloadBytes: number) => {
    const b = Buffer.allocUnsafe(12 + payloadBytes);
    b[0] = 0x80; // V=2, no padding, no extension, no CSRC
    b[1] = (isLast ? 0x80 : 0) | payloadType;
    b.writeUInt16BE(seq, 2);
    b.writeUInt32BE(opts.timestamp >>> 0, 4);
    b.writeUInt32BE(opts.ssrc >>> 0, 8);
    seq = (seq + 1) & 0xffff;
    return b;
  };
  const plan = planRtpPayloads(au, maxPayload);
  plan.forEach((unit, i) => {
    const isLastUnit = i === plan.length - 1;
    if (unit.kind === "single") {
      const b = header(isLastUnit, unit.nal.length);
      unit.nal.copy(b, 12);
      packets.push(b);
      return;
    }
    if (unit.kind === "stap") {
      // STAP-A (RFC 6184 §5.7.1): F = OR of the F bits, NRI = the highest NRI, type 24; then 16-bit size + NAL each
      let f = 0;
      let nri = 0;
      let size = 1;
      for (const n of unit.nals) {
        f |= n[0] & 0x80;
        nri = Math.max(nri, n[0] & 0x60);
        size += 2 + n.length;
      }
      const b = header(isLastUnit, size);
      b[12] = f | nri | NAL_TYPE.STAP_A;
      let o = 13;
      for (const n of unit.nals) {
        b.writeUInt16BE(n.length, o);
        n.copy(b, o + 2);
        o += 2 + n.length;
      }
      packets.push(b);
      return;
    }
    const nal = unit.nal;
    const indicator = (nal[0] & 0xe0) | NAL_TYPE.FU_A; // F and NRI of the NAL, type 28
    const type = nal[0] & 0x1f;
    const chunk = maxPayload - 2;
    for (let off = 1; off < nal.length; off += chunk) {
      const end = Math.min(off + chunk, nal.length);
      const isLastFragment = end === nal.length;
      const b = header(isLastUnit && isLastFragment, 2 + end - off);
      b[12] = indicator;
      b[13] = (off === 1 ? 0x80 : 0) | (isLastFragment ? 0x40 : 0) | type; // S | E | R=0 | type
      nal.copy(b, 14, off, end);
      packets.push(b);
    }
  });
  return packets;
}

/** Frames RTP/RTCP packets for RTSP interleaved transport (RFC 2326 §10.12): '$', channel, 16-bit length, packet. */
export function interleave(packets: Buffer[], channel: number): Buffer {
  let total = 0;
  for (const p of packets) total += 4 + p.length;
  const out = Buffer.allocUnsafe(total);
  let o = 0;
  for (const p of packets) {
    out[o] = 0x24;
    out[o + 1] = channel;
    out.writeUInt16BE(p.length, o + 2);
    p.copy(out, o + 4);
    o += 4 + p.length;
  }
  return out;
}

/** Seconds between the NTP epoch (1900) and the Unix epoch (1970). */
const NTP_UNIX_OFFSET_S = 2_208_988_800;

export type SenderReport = {
  ssrc: number;
  /** Wall-clock time of the report, in ms since the Unix epoch (may carry a fraction). */
  wallMs: number;
  /** RTP timestamp corresponding to wallMs. */
  rtpTimestamp: number;
  packetCount: number;
  /** Payload bytes sent (RTP headers excluded). */
  octetCount: number;
  /** SDES CNAME; the SR is sent as a compound packet SR + SDES as RFC 3550 §6.1 asks. */
  cname?: string;
};

/** An RTCP compound packet: sender report (PT 200, no report blocks) followed by SDES with a CNAME (PT 202). */
export function buildSenderReport(sr: SenderReport): Buffer {
  const seconds = Math.floor(sr.wallMs / 1000);
  const fraction = Math.floor(((sr.wallMs - seconds * 1000) / 1000) * 2 ** 32);
  const report = Buffer.alloc(28);
  report[0] = 0x80; // V=2, RC=0
  report[1] = 200;
  report.writeUInt16BE(6, 2); // length in 32-bit words minus one
  report.writeUInt32BE(sr.ssrc >>> 0, 4);
  report.writeUInt32BE((seconds + NTP_UNIX_OFFSET_S) >>> 0, 8);
  report.writeUInt32BE(fraction >>> 0, 12);
  report.writeUInt32BE(sr.rtpTimestamp >>> 0, 16);
  report.writeUInt32BE(sr.packetCount >>> 0, 20);
  report.writeUInt32BE(sr.octetCount >>> 0, 24);
  const cname = Buffer.from((sr.cname ?? "nightjar-sim").slice(0, 255), "utf8");
  // header(4) + ssrc(4) + type(1) + len(1) + text + at least one terminating zero, padded to 32 bits
  const sdesLength = Math.ceil((4 + 4 + 2 + cname.length + 1) / 4) * 4;
  const sdes = Buffer.alloc(sdesLength);
  sdes[0] = 0x81; // V=2, SC=1
  sdes[1] = 202;
  sdes.writeUInt16BE(sdesLength / 4 - 1, 2);
  sdes.writeUInt32BE(sr.ssrc >>> 0, 4);
  sdes[8] = 1; // CNAME
  sdes[9] = cname.length;
  cname.copy(sdes, 10);
  return Buffer.concat([report, sdes]);
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
  const pt = o.payloadType ?? H264_PAYLOAD_TYPE;
  const { width, height } = parseSps(o.sps);
  return [
    "v=0",
    `o=- ${o.sessionId} 1 IN IP4 ${o.address}`,
    `s=${o.sessionName ?? "Nightjar simulated camera"}`,
    `c=IN IP4 ${o.address}`,
    "t=0 0",
    "a=control:*",
    "a=range:npt=0-",
    `m=video 0 RTP/AVP ${pt}`,
    `a=rtpmap:${pt} H264/${RTP_CLOCK_HZ}`,
    `a=fmtp:${pt} packetization-mode=1;profile-level-id=${profileLevelId(o.sps)};sprop-parameter-sets=${o.sps.toString("base64")},${o.pps.toString("base64")}`,
    `a=framerate:${o.fps}`,
    `a=x-dimensions:${width},${height}`,
    `a=control:${o.control ?? "trackID=0"}`,
    "",
  ].join("\r\n");
}
