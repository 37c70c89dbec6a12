// Codec-neutral RTP for the camera simulator: the RTP fixed header (RFC 3550 §5.1), packetization of NAL-unit video
// into single NAL unit, aggregation and fragmentation packets (the shape RFC 6184 and RFC 7798 share; each codec
// supplies its header bytes), RTSP interleaving (RFC 2326 §10.12), RTCP sender reports (RFC 3550 §6.4.1) and the SDP
// session around a camera's media sections (RFC 4566). Also the contract a video codec fulfils for the server.
// Pure functions; no I/O.
import type { AccessUnit } from "./annexb";

/** RTP clock rate of video (RFC 6184 §8.2.1, RFC 7798 §7.1), in Hz. */
export const VIDEO_CLOCK_HZ = 90_000;
/** Largest RTP payload we emit, in bytes: 1400 + 12 RTP + 8 UDP + 20 IP stays below a 1500-byte MTU. */
export const MAX_RTP_PAYLOAD_BYTES = 1400;
/** Bytes of the RTP fixed header without CSRCs or extensions. */
export const RTP_HEADER_BYTES = 12;

export type RtpHeader = { marker: boolean; payloadType: number; sequence: number; timestamp: number; ssrc: number };

/** A packet of RTP_HEADER_BYTES + `payloadBytes` bytes with the fixed header written (V=2, no padding, extension or CSRC). */
export function rtpPacket(h: RtpHeader, payloadBytes: number): Buffer {
  const b = Buffer.allocUnsafe(RTP_HEADER_BYTES + payloadBytes);
  b[0] = 0x80;
  b[1] = (h.marker ? 0x80 : 0) | (h.payloadType & 0x7f);
  b.writeUInt16BE(h.sequence & 0xffff, 2);
  b.writeUInt32BE(h.timestamp >>> 0, 4);
  b.writeUInt32BE(h.ssrc >>> 0, 8);
  return b;
}

/** RTP timestamp of video frame `frameIndex` at `fps`, starting from `base` (90 kHz, wraps at 2^32). */
export function rtpTimestamp(base: number, frameIndex: number, fps: number): number {
  return (base + Math.round((frameIndex * VIDEO_CLOCK_HZ) / fps)) >>> 0;
}

/** The header bytes a NAL-unit payload format (H.264 RFC 6184, H.265 RFC 7798) puts around NAL units. */
export type NalPayloadFormat = {
  /** Bytes of a NAL unit header (H.264: 1, H.265: 2); a fragment carries the NAL without it. */
  nalHeaderBytes: number;
  /** Bytes before the first size field of an aggregation packet (STAP-A: 1, AP: 2). */
  aggregationHeaderBytes: number;
  /** Bytes before each fragment's data (FU-A: indicator + header = 2; H.265 FU: payload header + FU header = 3). */
  fragmentHeaderBytes: number;
  /** Writes the aggregation packet's header for `nals` at out[at]. */
  writeAggregationHeader(out: Buffer, at: number, nals: readonly Buffer[]): void;
  /** Writes a fragment's header bytes at out[at] (start and end bits from isFirst/isLast). */
  writeFragmentHeader(out: Buffer, at: number, nal: Buffer, isFirst: boolean, isLast: boolean): void;
};

/**
 * How the NAL units of an access unit map onto RTP payloads: runs of small NAL units (parameter sets, SEI) are
 * aggregated into one packet, a NAL that fits alone is a single NAL unit packet, a larger one is split into
 * fragments. Aggregating the parameter sets matters: ffmpeg's RTSP demuxer loses the timestamp of the first frame
 * (pts N/A, so recordings start with a 1/90000 s frame) when they arrive as separate packets.
 */
export type PayloadPlan = { kind: "single"; nal: Buffer } | { kind: "aggregate"; nals: Buffer[] } | { kind: "fragmented"; nal: Buffer };

export function planNalPayloads(nals: readonly Buffer[], format: NalPayloadFormat, maxPayload = MAX_RTP_PAYLOAD_BYTES): PayloadPlan[] {
  const plan: PayloadPlan[] = [];
  let run: Buffer[] = [];
  let runBytes = format.aggregationHeaderBytes;
  const flush = () => {
    if (run.length === 1) plan.push({ kind: "single", nal: run[0] });
    else if (run.length > 1) plan.push({ kind: "aggregate", nals: run });
    run = [];
    runBytes = format.aggregationHeaderBytes;
  };
  for (const nal of nals) {
    if (nal.length > maxPayload) {
      flush();
      plan.push({ kind: "fragmented", nal });
      continue;
    }
    if (runBytes + 2 + nal.length > maxPayload) flush();
    if (runBytes + 2 + nal.length <= maxPayload) {
      run.push(nal);
      runBytes += 2 + nal.length;
    } else plan.push({ kind: "single", nal }); // fits alone but not with the aggregation overhead
  }
  flush();
  return plan;
}

/** Fragments of `nal` at `maxPayload`: its bytes after the NAL header, cut into pieces that fit beside the headers. */
const fragmentCount = (nal: Buffer, format: NalPayloadFormat, maxPayload: number) => Math.ceil((nal.length - format.nalHeaderBytes) / (maxPayload - format.fragmentHeaderBytes));

/** How many RTP packets packetizeNals() will produce (so sequence numbers can be assigned without building them). */
export function countNalPackets(nals: readonly Buffer[], format: NalPayloadFormat, maxPayload = MAX_RTP_PAYLOAD_BYTES): number {
  let n = 0;
  for (const p of planNalPayloads(nals, format, maxPayload)) n += p.kind === "fragmented" ? fragmentCount(p.nal, format, maxPayload) : 1;
  return n;
}

export type RtpPacketizeOptions = { sequence: number; timestamp: number; ssrc: number; payloadType?: number; maxPayload?: number };

/**
 * Packetizes the NAL units of one access unit (see planNalPayloads). All packets carry the access unit's timestamp;
 * the marker bit is set on its last packet. Sequence numbers start at `sequence` and wrap at 2^16.
 */
export function packetizeNals(nals: readonly Buffer[], format: NalPayloadFormat, opts: RtpPacketizeOptions & { payloadType: number }): Buffer[] {
  const maxPayload = opts.maxPayload ?? MAX_RTP_PAYLOAD_BYTES;
  let seq = opts.sequence & 0xffff;
  const packets: Buffer[] = [];
  const packet = (isLast: boolean, payloadBytes: number) => {
    const b = rtpPacket({ marker: isLast, payloadType: opts.payloadType, sequence: seq, timestamp: opts.timestamp, ssrc: opts.ssrc }, payloadBytes);
    seq = (seq + 1) & 0xffff;
    return b;
  };
  const plan = planNalPayloads(nals, format, maxPayload);
  plan.forEach((unit, i) => {
    const isLastUnit = i === plan.length - 1;
    if (unit.kind === "single") {
      const b = packet(isLastUnit, unit.nal.length);
      unit.nal.copy(b, RTP_HEADER_BYTES);
      packets.push(b);
    } else if (unit.kind === "aggregate") {
      // aggregation header, then per NAL unit a 16-bit size and the NAL unit (no DON fields: sprop-max-don-diff=0)
      let size = format.aggregationHeaderBytes;
      for (const n of unit.nals) size += 2 + n.length;
      const b = packet(isLastUnit, size);
      format.writeAggregationHeader(b, RTP_HEADER_BYTES, unit.nals);
      let o = RTP_HEADER_BYTES + format.aggregationHeaderBytes;
      for (const n of unit.nals) {
        b.writeUInt16BE(n.length, o);
        n.copy(b, o + 2);
        o += 2 + n.length;
      }
      packets.push(b);
    } else {
      const nal = unit.nal;
      const chunk = maxPayload - format.fragmentHeaderBytes;
      for (let off = format.nalHeaderBytes; off < nal.length; off += chunk) {
        const end = Math.min(off + chunk, nal.length);
        const isLastFragment = end === nal.length;
        const b = packet(isLastUnit && isLastFragment, format.fragmentHeaderBytes + end - off);
        format.writeFragmentHeader(b, RTP_HEADER_BYTES, nal, off === format.nalHeaderBytes, isLastFragment);
        nal.copy(b, RTP_HEADER_BYTES + format.fragmentHeaderBytes, off, end);
        packets.push(b);
      }
    }
  });
  return packets;
}

/** Frames RTP/RTCP packets for RTSP interleaved transport (RFC 2326 §10.12): '$', channel, 16-bit length, packet. */
export function interleave(packets: readonly Buffer[], channel: number): Buffer {
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

/**
 * How far, in ms, a track's media may run from where its sender clock puts it before the clock is anchored anew: the
 * replay pacer's own limit (replay.ts MAX_LAG_MS) — it rebases after a longer stall, and so does this clock.
 */
export const SENDER_CLOCK_SLACK_MS = 1000;

/**
 * The instant a track's sender reports pair with an RTP time (RFC 3550 §6.4.1: the NTP and RTP timestamps of one
 * instant). A camera takes both from its capture clock, so every report lies on one line. The simulator sends frames
 * from a timer that runs late on a busy machine; reports taken from the last frame's send time would each lie a
 * little off that line, and a receiver that re-bases its timestamps on every report (ffmpeg's RTSP demuxer) would
 * record frames 30–50 ms apart instead of 40 (a clip with a duplicate timestamp once). So the clock is anchored on a
 * frame (its media time and send time) and kept while frames go out within `slackMs` of where it puts them; a longer
 * stall or a burst anchors it anew. A camera's video and sound are given the same media times and send times, so their
 * clocks decide alike and stay on one line (lip sync). Media time: ms from the track's first frame.
 */
export class SenderClock {
  private anchor: { mediaMs: number; wallMs: number } | null = null;

  constructor(private readonly slackMs = SENDER_CLOCK_SLACK_MS) {}

  /** Media at `mediaMs` went out at `wallMs` (ms since the epoch). */
  sent(mediaMs: number, wallMs: number): void {
    if (this.anchor && Math.abs(wallMs - (this.anchor.wallMs + mediaMs - this.anchor.mediaMs)) <= this.slackMs) return;
    this.anchor = { mediaMs, wallMs };
  }

  /** Media time at `wallMs` on the clock's line, ms; 0 before the first frame. */
  mediaMsAt(wallMs: number): number {
    return this.anchor ? this.anchor.mediaMs + wallMs - this.anchor.wallMs : 0;
  }

  /** The RTP timestamp at `wallMs` of a track whose media time 0 is RTP time `base` at `clockRate` Hz (wraps at 2^32). */
  rtpTimeAt(wallMs: number, base: number, clockRate: number): number {
    return (base + Math.round((this.mediaMsAt(wallMs) * clockRate) / 1000)) >>> 0;
  }
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

export type SessionSdpOptions = {
  /** The server's address (o= and c= lines). */
  address: string;
  /** o= session id (digits). */
  sessionId: string;
  sessionName?: string;
  /** One list of lines per media section, from its m= line to its a=control. */
  media: readonly (readonly string[])[];
};

/** An SDP (RFC 4566) session description: the session lines (aggregate control *), then each media section. */
export function buildSessionSdp(o: SessionSdpOptions): string {
  return [
    "v=0",
    `o=- ${o.sessionId} 1 IN IP4 ${o.address}`,
    `s=${o.sessionName ?? "Nightjar simulated camera"}`,
    `c=IN IP4 ${o.address}`,
    "t=0 0",
    "a=control:*",
    "a=range:npt=0-",
    ...o.media.flat(),
    "",
  ].join("\r\n");
}

/** The parameter sets a decoder needs before a stream's first picture: SPS and PPS, and for H.265 the VPS too. */
export type ParameterSets = { vps?: Buffer; sps: Buffer; pps: Buffer };

export type VideoCodecName = "h264" | "h265";
export const VIDEO_CODEC_NAMES: readonly VideoCodecName[] = ["h264", "h265"];

/** What the RTSP server and the sources need of a video codec (h264.ts, h265.ts implement it). */
export type VideoCodec = {
  readonly name: VideoCodecName;
  /** The Annex-B file of a clip as access units. */
  parseAnnexB(data: Buffer): AccessUnit[];
  /** An incremental Annex-B reader (a live encoder's pipe). */
  createReader(onAccessUnit: (au: AccessUnit) => void): { feed(chunk: Buffer): void; end(): void };
  /** The complete parameter sets carried by `au`, or null when any is missing. */
  parameterSets(au: AccessUnit): ParameterSets | null;
  /** How many RTP packets packetize() makes of `au`. */
  countRtpPackets(au: AccessUnit, maxPayload?: number): number;
  /** The RTP packets of `au` (codec payload format; marker on the last). */
  packetize(au: AccessUnit, opts: RtpPacketizeOptions): Buffer[];
  /** The media section of the SDP from its m= line, without a=control. */
  sdpMedia(o: { parameterSets: ParameterSets; fps: number; payloadType?: number }): string[];
};

/** Whether two parameter sets are byte for byte the same. */
export function sameParameterSets(a: ParameterSets, b: ParameterSets): boolean {
  const eq = (x?: Buffer, y?: Buffer) => (x && y ? x.equals(y) : x === y);
  return eq(a.vps, b.vps) && a.sps.equals(b.sps) && a.pps.equals(b.pps);
}
