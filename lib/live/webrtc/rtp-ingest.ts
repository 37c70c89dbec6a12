// One RTP ingest per (camera, stream) that someone watches over WebRTC: ffmpeg reads the camera's RTSP and sends its
// H.264 without re-encoding (-c copy) as RTP to a loopback UDP port this process owns; every packet goes to every
// viewer of that stream (fan-out in memory: one camera session for any number of viewers). It keeps the packets since
// the last keyframe (the GOP cache, for a new viewer's burst), the stream's profile-level-id from its SPS, and one
// sequence/timestamp continuity across ffmpeg restarts (each run starts at a random base). Supervised like the HLS
// ingest (superviseFfmpeg: restart with backoff, killed when silent for STALL_MS); stopped IDLE_MS after its last
// viewer left. Viewers get packets synchronously and must never block (a send into libdatachannel only queues).
// Sound (./audio.ts), when the stream's DESCRIBE announces it and the household records sound: a second RTP output of
// the same ffmpeg to the same port, told apart by payload type, copied (G.711, Opus) or converted to Opus; its own
// sequence/timestamp continuity; no GOP cache (a new viewer hears from its first packet on).
import dgram from "node:dgram";
import { superviseFfmpeg, STALL_MS, type FfmpegSupervisor } from "../../ffmpeg/supervise";
import { redactUrls } from "../../ffmpeg/redact";
import { logger } from "../../log";
import { AUDIO_CLOCK_RATE, AUDIO_INGEST_PT, audioCodecArgs, type WebRtcAudio } from "./audio";
import { RtpContinuity, rtpPayload, rtpPayloadType, rtpTimestamp, spsProfileLevelId, startsKeyframe } from "./rtp";

const log = logger("webrtc");

/** Payload type and SSRC ffmpeg sends with; viewers get the payload type their browser chose. */
export const INGEST_PT = 96;
export const INGEST_SSRC = 0x4e4a0001;
/** SSRC of the sound ffmpeg sends (its payload type: AUDIO_INGEST_PT). */
export const AUDIO_SSRC = 0x4e4a0002;
/** RTP packet size ffmpeg writes, bytes: room for SRTP's tag and IP/UDP headers under a 1280-byte MTU. */
export const RTP_PACKET_BYTES = 1200;
/** An ingest nobody watches stops after this long, ms (a page reload comes back within it). */
export const IDLE_MS = 10_000;
/** The GOP cache holds at most this many packets (≈ 2.4 MB; a longer GOP is not cached: viewers wait for an IDR). */
export const MAX_GOP_PACKETS = 2_000;

export type RtpViewer = (pkt: Buffer) => void;

/** The ffmpeg argv of an RTP ingest (pure). `dump_extra` puts SPS/PPS in front of every keyframe even when the
 * camera only announces them in its SDP (sprop-parameter-sets): without them a browser that joins late never decodes.
 * With `audio`, a second output sends the stream's first sound track (which the DESCRIBE showed is there) to the same
 * port with its own payload type and SSRC. */
export function buildRtpIngestArgs(input: { inputUrl: string; port: number; timeoutUs?: number; audio?: WebRtcAudio | null }): string[] {
  const target = `rtp://127.0.0.1:${input.port}?pkt_size=${RTP_PACKET_BYTES}`;
  const audio = input.audio
    ? ["-map", "0:a:0", "-vn", ...audioCodecArgs(input.audio), "-f", "rtp", "-payload_type", String(AUDIO_INGEST_PT[input.audio.codec]), "-ssrc", String(AUDIO_SSRC), target]
    : [];
  return [
    ...["-hide_banner", "-nostdin", "-loglevel", "error", "-rtsp_transport", "tcp", "-timeout", String(input.timeoutUs ?? 5_000_000)],
    ...["-fflags", "nobuffer", "-flags", "low_delay", "-i", input.inputUrl],
    ...["-map", "0:v:0", "-an", "-c:v", "copy", "-bsf:v", "dump_extra=freq=keyframe"],
    ...["-f", "rtp", "-payload_type", String(INGEST_PT), "-ssrc", String(INGEST_SSRC), target],
    ...audio,
  ];
}

/** ffmpeg's last words when the sound output, not the picture, failed: the stream has no sound after all (the
 * DESCRIBE announced one SETUP does not give), or this ffmpeg cannot encode Opus. */
export function isSoundFailure(detail: string): boolean {
  return /Stream map '0:a:0' matches no streams|Unknown encoder 'libopus'|Error (while opening|initializing output stream) .*#1:0/i.test(detail);
}

export class RtpIngest {
  /** 6 hex digits from the stream's SPS (e.g. "4d0028"), null until the first SPS came. */
  profileLevelId: string | null = null;
  /** Packets since the newest keyframe started (copies owned here; viewers must copy before changing them). */
  private gop: Buffer[] = [];
  private hasKeyframe = false;
  private lastKeyTs = -1;
  private readonly viewers = new Map<RtpViewer, RtpViewer | null>();
  private readonly continuity = new RtpContinuity();
  private audioContinuity: RtpContinuity | null = null;
  /** What the viewers hear, null: no sound (none in the stream, not recorded, or not convertible here). Known once start() resolved. */
  audio: WebRtcAudio | null = null;
  private socket: dgram.Socket | null = null;
  private supervisor: FfmpegSupervisor | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private firstPacket: Promise<void>;
  private resolveFirst!: () => void;
  /** The codec ffmpeg sends, from the SDP it prints on start ("H264", "H265"), null until known. */
  codec: string | null = null;
  /** Packets received, for the benchmark. */
  packets = 0;

  constructor(
    readonly key: string,
    private readonly url: string,
    private readonly opts: {
      ffmpegPath: string;
      onClosed: () => void;
      /** What sound the stream has and the viewers get (a DESCRIBE of the stream); asked once, before ffmpeg starts. */
      audio?: () => Promise<WebRtcAudio | null>;
    },
  ) {
    this.firstPacket = new Promise((r) => (this.resolveFirst = r));
  }

  async start(): Promise<void> {
    this.audio = (await this.opts.audio?.().catch(() => null)) ?? null;
    if (this.audio) this.audioContinuity = new RtpContinuity(AUDIO_CLOCK_RATE[this.audio.codec] / 50);
    const audioPt = this.audio ? AUDIO_INGEST_PT[this.audio.codec] : -1;
    const socket = dgram.createSocket("udp4");
    this.socket = socket;
    socket.on("message", (pkt) => (pkt.length >= 12 && rtpPayloadType(pkt) === audioPt ? this.onAudioPacket(pkt) : this.onPacket(pkt)));
    socket.on("error", (err) => log.warn("rtp socket error", { key: this.key, error: String(err) }));
    await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
    socket.setRecvBufferSize(4 * 1024 * 1024);
    const port = socket.address().port;
    this.supervisor = superviseFfmpeg({
      ffmpegPath: this.opts.ffmpegPath,
      argv: () => {
        this.continuity.restart();
        this.audioContinuity?.restart();
        return buildRtpIngestArgs({ inputUrl: this.url, port, audio: this.audio });
      },
      stdout: "pipe",
      onSpawn: (child) => {
        let sdp = "";
        child.stdout?.setEncoding("utf8");
        child.stdout?.on("data", (chunk: string) => {
          if (sdp.length > 8_192) return;
          sdp += chunk;
          const codec = new RegExp(`a=rtpmap:${INGEST_PT} ([A-Za-z0-9-]+)/`).exec(sdp)?.[1];
          if (!codec) return;
          this.codec = codec.toUpperCase();
          if (this.codec !== "H264") this.resolveFirst(); // no packets will pass: let a waiting offer learn why now
        });
      },
      stallMs: STALL_MS,
      progressName: "RTP packet",
      backoff: { initialMs: 1_000, maxMs: 10_000, resetAfterMs: 30_000 },
      killGraceMs: 2_000,
      onExit: (end) => {
        this.gop = [];
        this.hasKeyframe = false;
        if (!end.isStopping) log.warn("rtp ingest ended", { key: this.key, code: end.code, detail: redactUrls(end.detail) });
        if (this.audio && isSoundFailure(end.detail)) {
          // The picture must not depend on the sound: the next runs go without it.
          log.warn("sound over WebRTC dropped for this stream", { key: this.key, detail: redactUrls(end.detail) });
          this.audio = null;
          return "now";
        }
        return "backoff";
      },
    });
  }

  /** Resolves when the first packet arrived (or the codec turned out not to be H.264), or after `ms`; true if one did. */
  async waitForVideo(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((r) => (timer = setTimeout(() => r(false), ms)));
    const ok = await Promise.race([this.firstPacket.then(() => true as const), timeout]);
    clearTimeout(timer);
    return ok;
  }

  private onPacket(pkt: Buffer): void {
    // ffmpeg sends its RTCP sender reports to port+1; anything else that reaches this port is not ours.
    if (pkt.length < 12 || rtpPayloadType(pkt) !== INGEST_PT || (this.codec !== null && this.codec !== "H264")) return;
    const payload = rtpPayload(pkt);
    if (!payload) return;
    this.packets++;
    this.supervisor?.progress();
    this.continuity.apply(pkt);
    const profile = spsProfileLevelId(payload);
    if (profile) this.profileLevelId = profile;
    if (startsKeyframe(payload)) {
      const ts = rtpTimestamp(pkt);
      // SPS, PPS and the IDR's slices share one timestamp: the keyframe starts at the first of them.
      if (ts !== this.lastKeyTs) {
        this.lastKeyTs = ts;
        this.gop = [];
        this.hasKeyframe = true;
      }
    }
    if (this.hasKeyframe) {
      if (this.gop.length < MAX_GOP_PACKETS) this.gop.push(pkt);
      else this.hasKeyframe = false; // too long to cache: new viewers wait for the next keyframe
    }
    this.resolveFirst();
    for (const viewer of this.viewers.keys()) viewer(pkt);
  }

  private onAudioPacket(pkt: Buffer): void {
    if (!rtpPayload(pkt)) return;
    this.audioContinuity?.apply(pkt);
    for (const hear of this.viewers.values()) hear?.(pkt);
  }

  /** The packets since the newest keyframe, or none when no complete-from-keyframe GOP is cached. */
  currentGop(): readonly Buffer[] {
    return this.hasKeyframe ? this.gop : [];
  }

  /** Adds a viewer (its video packets, and its sound's when it has a sound track); the returned function removes it
   * (the ingest stops IDLE_MS after the last one left). */
  subscribe(viewer: RtpViewer, hear: RtpViewer | null = null): () => void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    this.viewers.set(viewer, hear);
    return () => {
      if (this.viewers.delete(viewer)) this.stopWhenIdle();
    };
  }

  /** Stops the ingest IDLE_MS from now unless a viewer comes (also right after start: an offer may fail). */
  stopWhenIdle(): void {
    if (this.viewers.size > 0 || this.closed || this.idleTimer) return;
    this.idleTimer = setTimeout(() => void this.close(), IDLE_MS);
    this.idleTimer.unref();
  }

  get viewerCount(): number {
    return this.viewers.size;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.viewers.clear();
    this.gop = [];
    this.opts.onClosed();
    await this.supervisor?.stop();
    this.socket?.close();
  }
}
