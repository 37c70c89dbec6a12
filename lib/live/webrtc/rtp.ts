// RTP and H.264 for the WebRTC live path (pure). The camera's H.264 arrives as RTP from ffmpeg's muxer (RFC 6184,
// packetization-mode 1: single NAL units, STAP-A aggregates, FU-A fragments) and leaves for every viewer unchanged
// except for the payload type byte (each browser numbers H.264 its own way) and, for a new viewer's GOP burst, the
// timestamps. Units: RTP timestamps are 90 kHz ticks, sequence numbers 16 bit.

/** NAL unit types (ITU-T H.264 table 7-1) and RTP payload structures (RFC 6184 §5.2). */
export const NAL = { IDR: 5, SPS: 7, PPS: 8, STAP_A: 24, FU_A: 28 } as const;

/** The RTP payload of a packet (after the fixed header, CSRCs and a header extension), or null if malformed. */
export function rtpPayload(pkt: Uint8Array): Uint8Array | null {
  if (pkt.length < 12 || pkt[0] >> 6 !== 2) return null;
  let off = 12 + (pkt[0] & 0x0f) * 4;
  if (pkt[0] & 0x10) {
    if (pkt.length < off + 4) return null;
    off += 4 + ((pkt[off + 2] << 8) | pkt[off + 3]) * 4;
  }
  let end = pkt.length;
  if (pkt[0] & 0x20) end -= pkt[pkt.length - 1]; // padding
  return off <= end ? pkt.subarray(off, end) : null;
}

export const rtpPayloadType = (pkt: Uint8Array): number => pkt[1] & 0x7f;
export const rtpSeq = (pkt: Uint8Array): number => (pkt[2] << 8) | pkt[3];
export const rtpTimestamp = (pkt: Uint8Array): number => ((pkt[4] << 24) | (pkt[5] << 16) | (pkt[6] << 8) | pkt[7]) >>> 0;

/**
 * The NAL unit types that start in this payload: one for a single NAL unit, each aggregated one for a STAP-A, the
 * fragmented one for the first fragment of an FU-A (none for the FU-A's later fragments).
 */
export function h264NalTypes(payload: Uint8Array): number[] {
  if (payload.length < 1) return [];
  const type = payload[0] & 0x1f;
  if (type >= 1 && type <= 23) return [type];
  if (type === NAL.STAP_A) {
    const out: number[] = [];
    for (let i = 1; i + 2 < payload.length; ) {
      const size = (payload[i] << 8) | payload[i + 1];
      if (size === 0 || i + 2 + size > payload.length) break;
      out.push(payload[i + 2] & 0x1f);
      i += 2 + size;
    }
    return out;
  }
  if (type === NAL.FU_A && payload.length > 1 && payload[1] & 0x80) return [payload[1] & 0x1f];
  return [];
}

/**
 * profile-level-id (6 hex digits: profile_idc, constraint flags, level_idc) from the SPS this payload carries, alone or
 * inside a STAP-A (ffmpeg aggregates SPS and PPS before each IDR); null when it carries none.
 */
export function spsProfileLevelId(payload: Uint8Array): string | null {
  const type = payload.length ? payload[0] & 0x1f : 0;
  let sps: Uint8Array | null = null;
  if (type === NAL.SPS) sps = payload;
  else if (type === NAL.STAP_A) {
    for (let i = 1; i + 2 < payload.length; ) {
      const size = (payload[i] << 8) | payload[i + 1];
      if (size === 0 || i + 2 + size > payload.length) break;
      if ((payload[i + 2] & 0x1f) === NAL.SPS) {
        sps = payload.subarray(i + 2, i + 2 + size);
        break;
      }
      i += 2 + size;
    }
  }
  if (!sps || sps.length < 4) return null;
  return Buffer.from(sps.subarray(1, 4)).toString("hex");
}

/** Does this packet start a keyframe (carries an SPS, or the start of an IDR slice)? */
export function startsKeyframe(payload: Uint8Array): boolean {
  const types = h264NalTypes(payload);
  return types.includes(NAL.SPS) || types.includes(NAL.IDR);
}

/** A copy of the packet with another payload type (the marker bit kept). */
export function withPayloadType(pkt: Uint8Array, pt: number): Buffer {
  const out = Buffer.from(pkt);
  out[1] = (out[1] & 0x80) | (pt & 0x7f);
  return out;
}

/**
 * The GOP burst for a new viewer (lib/live/WEBRTC-SPIKE-REPORT.md, pitfall 7): the cached packets since the last
 * keyframe with their timestamps squeezed one tick apart per frame, the last frame keeping its own timestamp, so the
 * browser decodes the whole GOP at once and shows the current picture; live packets then follow with the same
 * sequence numbers and clock. Packets are copied (the cache is shared by every viewer).
 */
export function squeezeGop(gop: readonly Uint8Array[]): Buffer[] {
  if (gop.length === 0) return [];
  const stamps: number[] = [];
  for (const p of gop) {
    const ts = rtpTimestamp(p);
    if (stamps[stamps.length - 1] !== ts) stamps.push(ts);
  }
  const last = stamps[stamps.length - 1];
  const index = new Map(stamps.map((ts, i) => [ts, i]));
  return gop.map((p) => {
    const out = Buffer.from(p);
    out.writeUInt32BE((last - (stamps.length - 1 - index.get(rtpTimestamp(p))!)) >>> 0, 4);
    return out;
  });
}

/**
 * Keeps one stream's sequence numbers and timestamps continuous across ffmpeg restarts (each run picks a random base):
 * the first packet of a new run continues one after the last one sent, one frame (3600 ticks at 25 fps) later.
 */
export class RtpContinuity {
  /** @param gapTicks the timestamp step put between two runs, in the stream's clock ticks (3600: 40 ms at 90 kHz). */
  constructor(private readonly gapTicks = 3600) {}

  private seqOffset = 0;
  private tsOffset = 0;
  private lastSeq: number | null = null;
  private lastTs: number | null = null;
  private newRun = true;

  /** The next packet starts a new ffmpeg run. */
  restart(): void {
    this.newRun = true;
  }

  /** Rewrites seq and timestamp in place. */
  apply(pkt: Buffer): void {
    const seq = rtpSeq(pkt);
    const ts = rtpTimestamp(pkt);
    if (this.newRun) {
      this.newRun = false;
      if (this.lastSeq !== null && this.lastTs !== null) {
        this.seqOffset = (this.lastSeq + 1 - seq) & 0xffff;
        this.tsOffset = (this.lastTs + this.gapTicks - ts) >>> 0;
      }
    }
    const outSeq = (seq + this.seqOffset) & 0xffff;
    const outTs = (ts + this.tsOffset) >>> 0;
    pkt.writeUInt16BE(outSeq, 2);
    pkt.writeUInt32BE(outTs, 4);
    this.lastSeq = outSeq;
    this.lastTs = outTs;
  }
}
