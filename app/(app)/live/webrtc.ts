// The browser side of live over WebRTC (WHEP): a receive-only peer without ICE servers (the server's host candidates
// come in its answer; the browser's own are not needed: the server learns a peer-reflexive one from its checks), the
// offer POSTed as soon as it is set (no gathering wait), the answer applied, the track shown in the <video>. Resolves
// once a frame is on screen, or with why not: the HTTP status of a refusal (the player decides: HLS, sign-in, privacy…)
// or "timeout" when ICE or the first frame did not come within FIRST_FRAME_MS of the answer. The session is ended with
// a DELETE (keepalive, so it also goes out when the page is left).

/** After the answer, the first frame must be on screen within this long, else the player falls back to HLS, ms. */
export const FIRST_FRAME_MS = 3_000;
/** The offer's POST may wait this long (the server starts the camera's stream for the first viewer), ms. */
export const OFFER_TIMEOUT_MS = 7_000;
/** Frames that stop for this long on a connected peer (camera gone, network changed) end the session, ms. */
export const FROZEN_MS = 4_000;

export type WebRtcSession = { close(): void };
export type WebRtcFailure = { status: number | "timeout" | "network" | "aborted" };

export function browserHasWebRtc(): boolean {
  return typeof window.RTCPeerConnection === "function" && typeof RTCRtpReceiver !== "undefined" && (RTCRtpReceiver.getCapabilities?.("video")?.codecs ?? []).some((c) => /h264/i.test(c.mimeType));
}

/**
 * Plays `whepUrl` in `video` over WebRTC. `onDrop` is called once if a playing session breaks (connection failed or
 * closed, frames frozen); the session is closed by then.
 */
export async function playWebRtc(video: HTMLVideoElement, whepUrl: string, signal: AbortSignal, onDrop: () => void): Promise<WebRtcSession | WebRtcFailure> {
  const pc = new RTCPeerConnection({ iceServers: [] });
  let resource: string | null = null;
  let closed = false;
  const timers: { frozen?: ReturnType<typeof setInterval> } = {};
  const close = () => {
    if (closed) return;
    closed = true;
    clearInterval(timers.frozen);
    window.removeEventListener("pagehide", close);
    pc.onconnectionstatechange = null;
    pc.ontrack = null;
    pc.close();
    if (video.srcObject) video.srcObject = null;
    if (resource) void fetch(resource, { method: "DELETE", credentials: "same-origin", keepalive: true }).catch(() => undefined);
  };
  window.addEventListener("pagehide", close);
  signal.addEventListener("abort", close);
  const fail = (status: WebRtcFailure["status"]): WebRtcFailure => {
    close();
    return { status: signal.aborted ? "aborted" : status };
  };
  try {
    pc.addTransceiver("video", { direction: "recvonly" });
    const stream = new MediaStream();
    pc.ontrack = (e) => {
      stream.addTrack(e.track);
      video.srcObject = stream;
      void video.play().catch(() => undefined);
    };
    await pc.setLocalDescription(await pc.createOffer());
    const timeout = AbortSignal.timeout(OFFER_TIMEOUT_MS);
    let res: Response;
    try {
      res = await fetch(whepUrl, { method: "POST", credentials: "same-origin", headers: { "content-type": "application/sdp" }, body: pc.localDescription!.sdp, signal: AbortSignal.any([signal, timeout]) });
    } catch {
      return fail(timeout.aborted ? "timeout" : "network");
    }
    if (res.status !== 201) return fail(res.status);
    const location = res.headers.get("location");
    resource = location ? new URL(location, res.url).pathname : null;
    await pc.setRemoteDescription({ type: "answer", sdp: await res.text() });
    if (closed) return fail("aborted");
    const hasFrame = await firstFrame(video, signal, FIRST_FRAME_MS);
    if (!hasFrame) return fail("timeout");
  } catch {
    return fail("network");
  }
  const drop = () => {
    if (closed) return;
    close();
    onDrop();
  };
  pc.onconnectionstatechange = () => {
    if (pc.connectionState === "failed" || pc.connectionState === "closed" || pc.connectionState === "disconnected") drop();
  };
  // Frozen frames: the connection may stay "connected" while the camera sends nothing.
  let lastTime = -1;
  let lastChangeAt = performance.now();
  timers.frozen = setInterval(() => {
    if (video.currentTime !== lastTime) {
      lastTime = video.currentTime;
      lastChangeAt = performance.now();
    } else if (!video.paused && performance.now() - lastChangeAt > FROZEN_MS) drop();
  }, 500);
  return { close };
}

/**
 * Whether WebRTC connects now, showing nothing: an offer to `whepUrl` and its answer, then ICE and DTLS must reach
 * "connected" within FIRST_FRAME_MS. The session is ended either way. For a player that fell back to HLS and tries
 * again (the network changed, or some time passed).
 */
export async function probeWebRtc(whepUrl: string, signal: AbortSignal): Promise<boolean> {
  const pc = new RTCPeerConnection({ iceServers: [] });
  let resource: string | null = null;
  try {
    pc.addTransceiver("video", { direction: "recvonly" });
    await pc.setLocalDescription(await pc.createOffer());
    const res = await fetch(whepUrl, { method: "POST", credentials: "same-origin", headers: { "content-type": "application/sdp" }, body: pc.localDescription!.sdp, signal: AbortSignal.any([signal, AbortSignal.timeout(OFFER_TIMEOUT_MS)]) });
    if (res.status !== 201) return false;
    const location = res.headers.get("location");
    resource = location ? new URL(location, res.url).pathname : null;
    await pc.setRemoteDescription({ type: "answer", sdp: await res.text() });
    return await new Promise<boolean>((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        pc.onconnectionstatechange = null;
        resolve(ok && !signal.aborted);
      };
      const timer = setTimeout(() => done(false), FIRST_FRAME_MS);
      signal.addEventListener("abort", () => done(false));
      pc.onconnectionstatechange = () => {
        if (pc.connectionState === "connected") done(true);
        else if (pc.connectionState === "failed" || pc.connectionState === "closed") done(false);
      };
    });
  } catch {
    return false;
  } finally {
    pc.close();
    if (resource) void fetch(resource, { method: "DELETE", credentials: "same-origin", keepalive: true }).catch(() => undefined);
  }
}

/** Resolves true once a frame is presented (requestVideoFrameCallback, else the first "playing"), false after `ms`. */
function firstFrame(video: HTMLVideoElement, signal: AbortSignal, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => done(false), ms);
    const onPlaying = () => done(true);
    const done = (ok: boolean) => {
      clearTimeout(timer);
      video.removeEventListener("playing", onPlaying);
      resolve(ok && !signal.aborted);
    };
    signal.addEventListener("abort", () => done(false));
    if (typeof video.requestVideoFrameCallback === "function") video.requestVideoFrameCallback(() => done(true));
    else (video as HTMLVideoElement).addEventListener("playing", onPlaying);
  });
}
