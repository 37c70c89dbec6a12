// Sound for the camera simulator: AAC from an ADTS file (RFC 3640 mpeg4-generic, mode AAC-hbr: AU-headers section
// and raw AAC frames) or G.711 µ-law/A-law (RFC 3551 payload types 0 and 8, 20 ms per packet), replayed from the clip
// cache in a loop and sent as the second media section of a path. Audio time is counted from the same frame-counted
// media time as the video (camera.tick() once per video frame): audio sample s is at media time s / clockRate, video
// frame n at n / fps, so both start together and RTCP sender reports map both onto the same wall clock.
import { randomInt } from "node:crypto";
import fs from "node:fs";
import { rtpPacket, RTP_HEADER_BYTES, SenderClock } from "./rtp";
import { wallNowMs, type RtpFrame, type RtpTrack } from "./rtsp-server";

export type AudioCodecName = "aac" | "pcmu" | "pcma";
/** A camera's sound: none (default), AAC, or G.711 µ-law / A-law. */
export type AudioSetting = "none" | AudioCodecName;
export const AUDIO_SETTINGS: readonly AudioSetting[] = ["none", "aac", "pcmu", "pcma"];

/** Sampling rate of the AAC clips, in Hz (mono). */
export const AAC_SAMPLE_RATE = 16_000;
/** PCM samples per AAC frame (AAC-LC). */
export const AAC_SAMPLES_PER_FRAME = 1024;
/** Sampling rate of G.711 (RFC 3551 §4.5.14), in Hz (mono, one byte per sample). */
export const G711_SAMPLE_RATE = 8_000;
/** Samples (= bytes) per G.711 packet: 20 ms at 8 kHz. */
export const G711_SAMPLES_PER_PACKET = 160;
/** Dynamic RTP payload type of the AAC track; G.711 uses its static types. */
export const AAC_PAYLOAD_TYPE = 97;
export const PCMU_PAYLOAD_TYPE = 0;
export const PCMA_PAYLOAD_TYPE = 8;
/** Audio frames kept for players that start with the video's buffered GOP, in ms of media time. */
const AUDIO_BACKLOG_MS = 5000;

/** MPEG-4 sampling frequency table (ISO/IEC 14496-3 §1.6.3.4): index → Hz. */
const AAC_SAMPLE_RATES = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];

export type AdtsConfig = {
  /** MPEG-4 audio object type (2 = AAC-LC). */
  objectType: number;
  /** Index into the sampling frequency table. */
  frequencyIndex: number;
  sampleRate: number;
  channels: number;
};

/**
 * Splits an ADTS stream (ISO/IEC 14496-3 §1.A.2) into raw AAC frames (views into `data`, headers stripped) and the
 * configuration, which must be the same in every frame. Frames with more than one raw data block are refused.
 */
export function parseAdts(data: Buffer): { config: AdtsConfig; frames: Buffer[] } {
  const frames: Buffer[] = [];
  let config: AdtsConfig | null = null;
  for (let o = 0; o < data.length; ) {
    if (o + 7 > data.length || data[o] !== 0xff || (data[o + 1] & 0xf6) !== 0xf0) throw new Error(`ADTS: no sync word at byte ${o}`);
    const hasCrc = (data[o + 1] & 0x01) === 0;
    const headerBytes = hasCrc ? 9 : 7;
    const frameBytes = ((data[o + 3] & 0x03) << 11) | (data[o + 4] << 3) | (data[o + 5] >> 5);
    if ((data[o + 6] & 0x03) !== 0) throw new Error(`ADTS: frame at byte ${o} has several raw data blocks`);
    if (frameBytes < headerBytes || o + frameBytes > data.length) throw new Error(`ADTS: bad frame length at byte ${o}`);
    const frequencyIndex = (data[o + 2] >> 2) & 0x0f;
    const c: AdtsConfig = {
      objectType: (data[o + 2] >> 6) + 1,
      frequencyIndex,
      sampleRate: AAC_SAMPLE_RATES[frequencyIndex] ?? 0,
      channels: ((data[o + 2] & 0x01) << 2) | (data[o + 3] >> 6),
    };
    if (!c.sampleRate) throw new Error(`ADTS: unknown sampling frequency index ${frequencyIndex}`);
    if (config && (config.objectType !== c.objectType || config.frequencyIndex !== c.frequencyIndex || config.channels !== c.channels)) throw new Error(`ADTS: configuration changes at byte ${o}`);
    config ??= c;
    frames.push(data.subarray(o + headerBytes, o + frameBytes));
    o += frameBytes;
  }
  if (!config) throw new Error("ADTS: no frames");
  return { config, frames };
}

/** AudioSpecificConfig (ISO/IEC 14496-3 §1.6.2.1) of plain AAC: object type, frequency index, channels, GASpecificConfig 0. */
export function audioSpecificConfig(c: Pick<AdtsConfig, "objectType" | "frequencyIndex" | "channels">): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE((c.objectType << 11) | (c.frequencyIndex << 7) | (c.channels << 3));
  return b;
}

/** Largest AU an AAC-hbr AU header can describe (13-bit AU-size), in bytes. */
const MAX_AAC_HBR_AU_BYTES = 8191;

/**
 * The RFC 3640 AAC-hbr payload of one or more AAC frames (AUs): AU-headers-length in bits (16 per AU), then per AU a
 * 16-bit AU header (13-bit AU-size; 3-bit AU-Index 0 for the first, AU-Index-delta 0 for consecutive ones), then the
 * frames themselves.
 */
export function aacHbrPayload(aus: readonly Buffer[]): Buffer {
  let size = 2 + 2 * aus.length;
  for (const au of aus) {
    if (au.length > MAX_AAC_HBR_AU_BYTES) throw new Error(`AAC frame of ${au.length} bytes does not fit a 13-bit AU-size`);
    size += au.length;
  }
  const b = Buffer.alloc(size);
  b.writeUInt16BE(16 * aus.length, 0);
  let o = 2 + 2 * aus.length;
  aus.forEach((au, i) => {
    b.writeUInt16BE(au.length << 3, 2 + 2 * i);
    au.copy(b, o);
    o += au.length;
  });
  return b;
}

/** Cuts G.711 bytes (one per sample) into packets of `samplesPerPacket`; a shorter tail is dropped. */
export function splitG711(data: Buffer, samplesPerPacket = G711_SAMPLES_PER_PACKET): Buffer[] {
  const out: Buffer[] = [];
  for (let o = 0; o + samplesPerPacket <= data.length; o += samplesPerPacket) out.push(data.subarray(o, o + samplesPerPacket));
  return out;
}

/** A looped sound track: frames of `samplesPerFrame` samples at `clockRate` (the RTP clock equals the sample rate). */
export type AudioClip = {
  codec: AudioCodecName;
  /** RTP clock rate = sampling rate, in Hz. */
  clockRate: number;
  channels: number;
  /** Samples per frame (AAC: 1024 per AU; G.711: 160 per packet). */
  samplesPerFrame: number;
  /** AAC: raw AUs; G.711: packet payloads. Frame k of the stream is frames[k mod length]. */
  frames: Buffer[];
  /** AAC: the AudioSpecificConfig for the SDP. */
  config?: Buffer;
};

/** The RTP payload type of a clip's codec. */
export const audioPayloadType = (codec: AudioCodecName): number => (codec === "aac" ? AAC_PAYLOAD_TYPE : codec === "pcmu" ? PCMU_PAYLOAD_TYPE : PCMA_PAYLOAD_TYPE);

/** The SDP media section of an audio track, without a=control. */
export function audioSdpMedia(clip: Pick<AudioClip, "codec" | "clockRate" | "channels" | "config">): string[] {
  const pt = audioPayloadType(clip.codec);
  if (clip.codec === "aac") {
    if (!clip.config) throw new Error("an AAC track needs its AudioSpecificConfig");
    return [
      `m=audio 0 RTP/AVP ${pt}`,
      `a=rtpmap:${pt} MPEG4-GENERIC/${clip.clockRate}/${clip.channels}`,
      `a=fmtp:${pt} streamtype=5;profile-level-id=15;mode=AAC-hbr;config=${clip.config.toString("hex")};sizelength=13;indexlength=3;indexdeltalength=3`,
    ];
  }
  return [`m=audio 0 RTP/AVP ${pt}`, `a=rtpmap:${pt} ${clip.codec === "pcmu" ? "PCMU" : "PCMA"}/${clip.clockRate}`, `a=ptime:${(G711_SAMPLES_PER_PACKET * 1000) / clip.clockRate}`];
}

/**
 * The RTP packet of audio frame `index` of a stream: one AAC AU per packet (marker set: it holds a complete AU, RFC
 * 3640 §3.2.1), or one 20 ms G.711 packet (marker only on the stream's first packet: the start of a talkspurt).
 */
export function audioPacket(clip: AudioClip, index: number, h: { sequence: number; timestamp: number; ssrc: number }): Buffer {
  const frame = clip.frames[index % clip.frames.length];
  const payload = clip.codec === "aac" ? aacHbrPayload([frame]) : frame;
  const b = rtpPacket({ ...h, marker: clip.codec === "aac" || index === 0, payloadType: audioPayloadType(clip.codec) }, payload.length);
  payload.copy(b, RTP_HEADER_BYTES);
  return b;
}

/** How many AAC frames make a whole number of clip loops (`seconds` long each) at `sampleRate`: the audio clip's length. */
export function aacLoopFrames(seconds: number, sampleRate = AAC_SAMPLE_RATE): { frames: number; loops: number } {
  const samples = seconds * sampleRate;
  if (!Number.isInteger(samples) || samples <= 0) throw new Error(`clip length ${seconds} s is not a whole number of samples at ${sampleRate} Hz`);
  const gcd = (a: number, b: number): number => (b ? gcd(b, a % b) : a);
  const loops = AAC_SAMPLES_PER_FRAME / gcd(samples, AAC_SAMPLES_PER_FRAME);
  return { frames: (samples * loops) / AAC_SAMPLES_PER_FRAME, loops };
}

/**
 * Loads a cached audio clip. AAC: the ADTS file holds `loops` clip lengths (aacLoopFrames) plus the encoder's priming
 * frame, which is skipped, so frame k carries samples k × 1024 … of the source. G.711: raw bytes at 8 kHz.
 */
export function loadAudioClip(file: string, codec: AudioCodecName, seconds: number): AudioClip {
  const data = fs.readFileSync(file);
  if (codec === "aac") {
    const { config, frames } = parseAdts(data);
    const { frames: n } = aacLoopFrames(seconds, config.sampleRate);
    if (frames.length < n + 1) throw new Error(`${file}: ${frames.length} AAC frames, expected at least ${n + 1}`);
    return { codec, clockRate: config.sampleRate, channels: config.channels, samplesPerFrame: AAC_SAMPLES_PER_FRAME, frames: frames.slice(1, n + 1), config: audioSpecificConfig(config) };
  }
  const frames = splitG711(data);
  if (frames.length * G711_SAMPLES_PER_PACKET !== seconds * G711_SAMPLE_RATE) throw new Error(`${file}: ${data.length} bytes, expected ${seconds * G711_SAMPLE_RATE}`);
  return { codec, clockRate: G711_SAMPLE_RATE, channels: 1, samplesPerFrame: G711_SAMPLES_PER_PACKET, frames };
}

/**
 * Which audio frames are due at video frame `tick` (media time tick / fps): those that start at or before it and
 * were not due at tick − 1. Returns [first, end) frame indices. Pure; table-tested.
 */
export function audioFramesDue(tick: number, fps: number, clockRate: number, samplesPerFrame: number): { first: number; end: number; sample: number } {
  const at = (n: number) => Math.floor((n * clockRate) / fps);
  const sample = at(tick);
  const first = tick === 0 ? 0 : Math.floor(at(tick - 1) / samplesPerFrame) + 1;
  return { first, end: Math.floor(sample / samplesPerFrame) + 1, sample };
}

/**
 * The audio track of a camera: one per camera, served on both of its paths. tick() is called once per video frame
 * (replay: by the pacer right after the video frames; live: on each main-stream frame) and sends the frames that
 * start by then, stamped k × samplesPerFrame on the audio clock: continuous across clip loops and motion switches.
 */
export class AudioStream implements RtpTrack {
  readonly ssrc = randomInt(0, 2 ** 32 - 1) >>> 0;
  readonly clockRate: number;
  private seq = randomInt(0, 0xffff);
  private readonly tsBase = randomInt(0, 2 ** 32 - 1) >>> 0;
  private ticks = 0;
  private readonly clock = new SenderClock();
  private recent: RtpFrame[] = [];
  private readonly listeners = new Set<(f: RtpFrame) => void>();

  constructor(
    readonly name: string,
    readonly clip: AudioClip,
    readonly fps: number,
  ) {
    this.clockRate = clip.clockRate;
  }

  get codec(): AudioCodecName {
    return this.clip.codec;
  }

  /**
   * Video frame `ticks` has been sent (at `sentAt`, ms since the epoch: the video's instant, see SenderClock): sends the
   * audio frames due at its media time.
   */
  tick(sentAt = wallNowMs()): void {
    const { samplesPerFrame } = this.clip;
    const tick = this.ticks++;
    const due = audioFramesDue(tick, this.fps, this.clockRate, samplesPerFrame);
    this.clock.sent((tick * 1000) / this.fps, sentAt);
    for (let k = due.first; k < due.end; k++) {
      const rtpTime = (this.tsBase + k * samplesPerFrame) >>> 0;
      const packet = audioPacket(this.clip, k, { sequence: this.seq, timestamp: rtpTime, ssrc: this.ssrc });
      const frame: RtpFrame = { isKey: true, rtpTime, firstSeq: this.seq, packetCount: 1, payloadBytes: packet.length - RTP_HEADER_BYTES, mediaMs: (k * samplesPerFrame * 1000) / this.clockRate, packets: [packet] };
      this.seq = (this.seq + 1) & 0xffff;
      this.recent.push(frame);
      for (const listen of this.listeners) listen(frame);
    }
    const oldest = (due.sample * 1000) / this.clockRate - AUDIO_BACKLOG_MS;
    while (this.recent.length && this.recent[0].mediaMs < oldest) this.recent.shift();
  }

  ready(): Promise<boolean> {
    return Promise.resolve(true);
  }

  sdpMedia(): string[] {
    return audioSdpMedia(this.clip);
  }

  /** The kept frames from media time `sinceMediaMs` on (so a player's audio starts with its first video frame). */
  backlog(sinceMediaMs: number | null): readonly RtpFrame[] {
    if (sinceMediaMs === null) return [];
    return this.recent.filter((f) => f.mediaMs >= sinceMediaMs);
  }

  packetsOf(frame: RtpFrame): Buffer[] {
    return frame.packets ?? [];
  }

  rtpTimeAt(wallMs: number): number {
    return this.clock.rtpTimeAt(wallMs, this.tsBase, this.clockRate);
  }

  listen(fn: (f: RtpFrame) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}
