// The web process's one WebRTC hub (kept on globalThis: Next may load this module once per route bundle, and two hubs
// would each run an ingest per camera and split the limits).
import { db } from "../../db";
import { getEnv } from "../../env";
import { getSecrets } from "../../secrets";
import { requirePictureAllowed } from "../../cameras/snapshot";
import { ffmpegHasEncoder } from "../../ffmpeg/engine";
import { WebRtcHub } from "./hub";

const HUB = Symbol.for("nightjar.webRtcHub");

export function webRtcHub(): WebRtcHub {
  const g = globalThis as { [HUB]?: WebRtcHub };
  if (!g[HUB]) {
    const env = getEnv();
    g[HUB] = new WebRtcHub({
      ffmpegPath: env.FFMPEG_PATH,
      credentialsKey: getSecrets().credentialsKey,
      bindAddress: env.WEBRTC_BIND_ADDRESS,
      udpPort: env.WEBRTC_UDP_PORT,
      maxPeersPerCamera: env.WEBRTC_MAX_PEERS_PER_CAMERA,
      maxPeersPerMember: env.WEBRTC_MAX_PEERS_PER_MEMBER,
      canEncodeOpus: () => ffmpegHasEncoder(env.FFMPEG_PATH, "libopus"),
      isCameraLive: async (cameraId) => {
        const camera = await (await db()).camera.findUnique({ where: { id: cameraId }, select: { isEnabled: true, privacyMode: true } });
        if (!camera) return false;
        try {
          requirePictureAllowed(camera);
          return true;
        } catch {
          return false;
        }
      },
    });
  }
  return g[HUB];
}

/** The hub if one was started in this process (status and shutdown should not start one). */
export function existingWebRtcHub(): WebRtcHub | null {
  return (globalThis as { [HUB]?: WebRtcHub })[HUB] ?? null;
}
