// Live over WebRTC in the web process (WHEP, RFC 9725): the viewers' peers and the RTP ingests that feed them. One
// ingest per (camera, stream) however many watch; each viewer a peer of its own (lib/live/webrtc/peer.ts). The hub owns
// every peer: it creates one per accepted offer, counts them against the limits, and forgets it when it closes (DELETE,
// the browser hung up, ICE failed or never connected). Access is the caller's (the route: session, camera access via
// getLiveCameraFor); the picture rule (disabled, privacy mode) is checked here like for HLS.
import crypto from "node:crypto";
import type { Viewer } from "../../auth/viewer";
import { cameraCredentials } from "../../cameras/cameras";
import { checkRtsp } from "../../cameras/rtsp-check";
import { withCredentials } from "../../cameras/stream-url";
import { AppError } from "../../errors";
import { logger } from "../../log";
import { requireLiveCamera, type LiveCameraRow } from "../live";
import type { LiveStream } from "../paths";
import { createPeer, type Peer, type PeerNetwork } from "./peer";
import { RtpIngest } from "./rtp-ingest";
import { describedAudio, webRtcAudioFor, type WebRtcAudio } from "./audio";
import { chooseAudio, chooseVideo, offerLines } from "./sdp";

const log = logger("webrtc");

/** Longest an offer waits for a starting ingest's first packet, ms (as a playlist request waits for its first segment). */
export const VIDEO_WAIT_MS = 4_000;

export type HubOptions = PeerNetwork & {
  ffmpegPath: string;
  credentialsKey: Buffer;
  maxPeersPerCamera: number;
  maxPeersPerMember: number;
  /**
   * Is the camera still shown live (exists, enabled, not in privacy mode)? Asked every RECHECK_MS for each camera with
   * viewers: a peer has no further requests to refuse, so privacy mode must end it from here.
   */
  isCameraLive?: (cameraId: string) => Promise<boolean>;
  /** Whether this ffmpeg can convert sound to Opus (has libopus); asked once, when a stream with sound to convert starts. */
  canEncodeOpus?: () => Promise<boolean>;
  /**
   * Longest an offer waits for a starting ingest's first packet, ms; VIDEO_WAIT_MS unless given. Tests of what
   * happens after the start give more, so that an ingest slow to start on a starved machine is not their failure.
   */
  videoWaitMs?: number;
};

/** Longest the DESCRIBE that tells a stream's sound may take before the ingest starts without sound, ms. */
export const DESCRIBE_TIMEOUT_MS = 2_000;

/** How often cameras with WebRTC viewers are checked against the picture rule, ms. */
export const RECHECK_MS = 2_000;

type Session = { id: string; cameraId: string; stream: LiveStream; memberId: string; peer: Peer };

export type WhepAnswer = { sessionId: string; answer: string };

/** Codecs of a main stream (CameraStatus.videoCodec, ffprobe's names) that WebRTC in browsers cannot carry. */
const NOT_WEBRTC = /^(hevc|h265|mjpeg)$/i;

export class WebRtcHub {
  private readonly sessions = new Map<string, Session>();
  private readonly ingests = new Map<string, RtpIngest>();

  private recheckTimer: NodeJS.Timeout | null = null;

  constructor(private readonly opts: HubOptions) {
    if (opts.isCameraLive) {
      this.recheckTimer = setInterval(() => void this.recheck(), RECHECK_MS);
      this.recheckTimer.unref();
    }
  }

  private async recheck(): Promise<void> {
    const cameras = new Set([...this.sessions.values()].map((s) => s.cameraId));
    for (const cameraId of cameras) {
      try {
        if (!(await this.opts.isCameraLive!(cameraId))) this.closeCamera(cameraId);
      } catch (err) {
        log.warn("camera recheck failed", { cameraId, error: String(err) });
      }
    }
  }

  /**
   * Answers a viewer's offer for a camera's stream: 201's body and resource id. Refuses (before any ffmpeg starts)
   * malformed offers (400), a camera the picture rule refuses (404/409), more than the limits (429), and streams that
   * are not H.264 (415); 503 live_unavailable when the camera sends nothing within VIDEO_WAIT_MS (or the hub's videoWaitMs).
   */
  async answer(camera: LiveCameraRow & { videoCodec?: string | null }, stream: LiveStream, viewer: Pick<Viewer, "id">, offer: string): Promise<WhepAnswer> {
    offerLines(offer);
    requireLiveCamera(camera, null);
    const wantsMain = stream === "main" || camera.subStreamUrl === null;
    const source: LiveStream = wantsMain ? "main" : "sub";
    if (source === "main" && camera.videoCodec && NOT_WEBRTC.test(camera.videoCodec)) throw new AppError("webrtc_codec_unsupported", { codec: camera.videoCodec.toUpperCase() });
    chooseVideo(offer, null); // the offer's own problems first (400), before any camera is asked
    const list = [...this.sessions.values()];
    const perCamera = list.filter((s) => s.cameraId === camera.id).length;
    if (perCamera >= this.opts.maxPeersPerCamera) throw new AppError("webrtc_limit", { limit: this.opts.maxPeersPerCamera });
    const perMember = list.filter((s) => s.memberId === viewer.id).length;
    if (perMember >= this.opts.maxPeersPerMember) throw new AppError("webrtc_limit", { limit: this.opts.maxPeersPerMember });

    const ingest = await this.ingestFor(camera, source);
    const hasVideo = await ingest.waitForVideo(this.opts.videoWaitMs ?? VIDEO_WAIT_MS);
    if (ingest.codec && ingest.codec !== "H264") {
      ingest.stopWhenIdle();
      throw new AppError("webrtc_codec_unsupported", { codec: ingest.codec });
    }
    if (!hasVideo) {
      ingest.stopWhenIdle();
      throw new AppError("live_unavailable");
    }
    const choice = chooseVideo(offer, ingest.profileLevelId);
    // The ingest knows its sound once started (the first packet came after that).
    const audioChoice = ingest.audio ? chooseAudio(offer, ingest.audio.codec) : null;
    const id = crypto.randomBytes(16).toString("base64url");
    let peer: Peer;
    try {
      peer = await createPeer(offer, choice, audioChoice, ingest, this.opts, () => this.sessions.delete(id));
    } catch (err) {
      ingest.stopWhenIdle();
      log.info("offer refused by the WebRTC library", { error: String(err) });
      throw new AppError("webrtc_offer_invalid", { reason: "rejected" });
    }
    this.sessions.set(id, { id, cameraId: camera.id, stream: source, memberId: viewer.id, peer });
    return { sessionId: id, answer: peer.answer };
  }

  /** Ends a viewer's session (WHEP DELETE): only its own member may (404 otherwise, as for an unknown one). */
  close(sessionId: string, viewer: Pick<Viewer, "id">, cameraId: string): void {
    const s = this.sessions.get(sessionId);
    if (!s || s.memberId !== viewer.id || s.cameraId !== cameraId) throw new AppError("not_found");
    s.peer.close();
  }

  /** Ends every session of a camera (privacy mode, disabled, deleted). */
  closeCamera(cameraId: string): void {
    for (const s of [...this.sessions.values()]) if (s.cameraId === cameraId) s.peer.close();
  }

  stats(): { peers: number; ingests: number; perCamera: Record<string, number> } {
    const perCamera: Record<string, number> = {};
    for (const s of this.sessions.values()) perCamera[s.cameraId] = (perCamera[s.cameraId] ?? 0) + 1;
    return { peers: this.sessions.size, ingests: this.ingests.size, perCamera };
  }

  async closeAll(): Promise<void> {
    if (this.recheckTimer) clearInterval(this.recheckTimer);
    for (const s of [...this.sessions.values()]) s.peer.close();
    await Promise.all([...this.ingests.values()].map((i) => i.close()));
  }

  private async ingestFor(camera: LiveCameraRow, stream: LiveStream): Promise<RtpIngest> {
    // Turning "record sound" on or off gives new viewers a new ingest; the old one stops when its viewers left.
    const key = `${camera.id}/${stream}${camera.recordSound ? "/sound" : ""}`;
    const existing = this.ingests.get(key);
    if (existing) return existing;
    const raw = stream === "main" ? camera.mainStreamUrl : (camera.subStreamUrl as string);
    const credentials = cameraCredentials(camera, this.opts.credentialsKey);
    const url = withCredentials(raw, credentials);
    // Sound only when the household records it (as for HLS and clips); which sound, from this stream's own DESCRIBE
    // (a sub stream may have none, or another codec than the main stream that the status probe measured).
    const audio = camera.recordSound ? () => this.soundOf(raw, credentials) : undefined;
    const ingest = new RtpIngest(key, url, { ffmpegPath: this.opts.ffmpegPath, audio, onClosed: () => this.ingests.get(key) === ingest && this.ingests.delete(key) });
    this.ingests.set(key, ingest);
    await ingest.start();
    ingest.stopWhenIdle();
    return ingest;
  }

  /** The sound a stream's viewers get, from its DESCRIBE; null when it has none or the DESCRIBE fails (ffmpeg then says why). */
  private async soundOf(url: string, credentials: { username: string; password: string } | null): Promise<WebRtcAudio | null> {
    const described = await checkRtsp(url, { timeoutMs: DESCRIBE_TIMEOUT_MS, describe: true, credentials });
    if (!described.ok || !described.sdp) return null;
    const audio = describedAudio(described.sdp);
    const copies = webRtcAudioFor(audio, false);
    if (copies || !audio) return copies;
    const canConvert = (await this.opts.canEncodeOpus?.()) ?? false;
    if (!canConvert) log.info("sound not sent over WebRTC: this ffmpeg has no Opus encoder (libopus)", { encoding: audio.encoding });
    return webRtcAudioFor(audio, canConvert);
  }
}
