// One viewer's WebRTC peer (node-datachannel = libdatachannel: ICE, DTLS-SRTP and the UDP sockets in native threads).
// A send-only video track with the browser's chosen H.264 payload type and the ingest's SSRC; the ingest's RTP packets
// are sent as they are, except the payload type byte when the browser numbers H.264 otherwise. A new viewer first gets
// the GOP burst (squeezeGop) so it shows the current picture without waiting for the camera's next keyframe. With a
// sound choice, a send-only audio track in the same stream (msid) carries the ingest's sound the same way.
//
// Native pitfalls (lib/live/WEBRTC-SPIKE-REPORT.md): a send on a closed track throws, and a throw inside a native
// callback aborts the process: every send is guarded. On close every callback is replaced by a no-op, so the native
// objects no longer hold closures that reference the peer, its track and the ingest (the spike's RSS growth per
// connect/disconnect cycle).
import nodeDataChannel from "node-datachannel";
import { AUDIO_INGEST_PT } from "./audio";
import { AUDIO_SSRC, INGEST_PT, INGEST_SSRC, type RtpIngest } from "./rtp-ingest";
import { squeezeGop, withPayloadType } from "./rtp";
import { offerForLibrary, type AudioChoice, type VideoChoice } from "./sdp";

const { PeerConnection, Video, Audio, RtcpNackResponder } = nodeDataChannel;

/** Packets kept per viewer to answer NACKs from (≈ 0.3 s at 4 Mbit/s; memory ≈ 0.3 MB per viewer). */
const NACK_HISTORY_PACKETS = 256;
/** A peer not connected this long after its answer is given up (ICE that never connects), ms. */
export const CONNECT_TIMEOUT_MS = 10_000;

export type PeerNetwork = {
  /** The one local address ICE gathers a host candidate on; undefined: every address of the server (libjuice). */
  bindAddress?: string;
  /** One UDP port for every peer (ICE UDP mux), or undefined: an ephemeral port per peer. */
  udpPort?: number;
};

export type Peer = {
  answer: string;
  /** Frees everything: unsubscribes, closes track and connection, resets callbacks. Idempotent. */
  close(): void;
  state(): string;
};

let serial = 0;

export async function createPeer(offer: string, choice: VideoChoice, audioChoice: AudioChoice | null, ingest: RtpIngest, network: PeerNetwork, onClosed: () => void): Promise<Peer> {
  const pc = new PeerConnection(`viewer-${++serial}`, {
    // Host candidates only: no STUN or TURN server is ever contacted.
    iceServers: [],
    bindAddress: network.bindAddress,
    ...(network.udpPort ? { enableIceUdpMux: true, portRangeBegin: network.udpPort, portRangeEnd: network.udpPort } : {}),
  });
  const video = new Video(choice.mid, "SendOnly");
  video.addH264Codec(choice.pt, choice.fmtp);
  video.addSSRC(INGEST_SSRC, "nightjar", "nightjar", "video");
  const track = pc.addTrack(video);
  track.setMediaHandler(new RtcpNackResponder(NACK_HISTORY_PACKETS));
  let sound: ReturnType<typeof pc.addTrack> | null = null;
  if (audioChoice) {
    const audio = new Audio(audioChoice.mid, "SendOnly");
    if (audioChoice.codec === "OPUS") audio.addOpusCodec(audioChoice.pt, audioChoice.fmtp || undefined);
    else audio.addAudioCodec(audioChoice.pt, `${audioChoice.codec}/8000`);
    audio.addSSRC(AUDIO_SSRC, "nightjar", "nightjar", "audio");
    sound = pc.addTrack(audio);
  }
  const tracks = sound ? [track, sound] : [track];
  let state = "new";
  let unsubscribe: (() => void) | null = null;
  let connectTimer: NodeJS.Timeout | null = null;
  const noop = () => {};

  const close = () => {
    if (state === "closed") return;
    state = "closed";
    if (connectTimer) clearTimeout(connectTimer);
    unsubscribe?.();
    unsubscribe = null;
    pc.onStateChange(noop);
    pc.onGatheringStateChange(noop);
    for (const t of tracks) {
      t.onOpen(noop);
      t.onClosed(noop);
      t.onError(noop);
      try {
        t.close();
      } catch {
        // already closed by the remote side
      }
    }
    pc.close();
    onClosed();
  };

  const send = (pkt: Buffer) => {
    try {
      if (track.isOpen()) track.sendMessageBinary(choice.pt === INGEST_PT ? pkt : withPayloadType(pkt, choice.pt));
    } catch {
      // closed between the check and the send: the state callback frees the peer
    }
  };

  const audioPt = audioChoice?.pt ?? -1;
  const hear = (pkt: Buffer) => {
    try {
      if (sound?.isOpen()) sound.sendMessageBinary(audioPt === AUDIO_INGEST_PT[audioChoice!.codec] ? pkt : withPayloadType(pkt, audioPt));
    } catch {
      // as for send
    }
  };

  track.onOpen(() => {
    if (state === "closed" || unsubscribe) return;
    for (const pkt of squeezeGop(ingest.currentGop())) send(pkt);
    unsubscribe = ingest.subscribe(send, sound ? hear : null);
  });
  pc.onStateChange((s) => {
    if (state === "closed") return;
    state = s;
    if (s === "connected" && connectTimer) {
      clearTimeout(connectTimer);
      connectTimer = null;
    }
    if (s === "failed" || s === "closed" || s === "disconnected") close();
  });

  const gathered = new Promise<void>((resolve) => pc.onGatheringStateChange((s) => s === "complete" && resolve()));
  try {
    pc.setRemoteDescription(offerForLibrary(offer, choice, audioChoice), "offer");
    if (pc.gatheringState() !== "complete") await gathered;
  } catch (err) {
    close();
    throw err;
  }
  const answer = pc.localDescription()?.sdp;
  if (!answer) {
    close();
    throw new Error("no local description");
  }
  connectTimer = setTimeout(close, CONNECT_TIMEOUT_MS);
  connectTimer.unref();
  return { answer, close, state: () => state };
}
