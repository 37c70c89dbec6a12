// The browser side of live over WebRTC (WHEP): a receive-only peer without ICE servers (the server's host candidates
// come in its answer; the browser's own are not needed: the server learns a peer-reflexive one from its checks), the
// offer (video, and audio for the camera's sound: the server answers it only when the household records sound and the
// stream has some) POSTed as soon as it is set (no gathering wait), the answer applied, the tracks shown in the <video>. Resolves
// once a frame is on screen, or with why not: the HTTP status of a refusal (the player decides: HLS, sign-in, privacy…)
// or "timeout" when ICE or the first frame did not come within FIRST_FRAME_MS of the answer. The session is ended with
// a DELETE (keepalive, so it also goes out when the page is left).

/** After the answer, the first frame must be on screen within this long, else the player falls back to HLS, ms. */
export const FIRST_FRAME_MS = 3_000;
/** The offer's POST may wait this long (the server starts the camera's stream for the first viewer), ms. */
export const OFFER_TIMEOUT_MS = 7_000;
/** Frames that stop for this long on a connected peer (camera gone, network changed) end the session, ms. */
export const FROZEN_MS = 4_000;

export type WebRtcSession = { close(): void; /** The answer carries the camera's sound. */ hasSound: boolean };
export type WebRtcFailure = { status: number | "timeout" | "network" | "aborted" };

export function browserHasWebRtc(): boolean {
  return typeof window.RTCPeerConnection === "function" && typeof RTCRtpReceiver !== "undefined" && (RTCRtpReceiver.getCapabilities?.("video")?.codecs ?? []).some((c) => /h264/i.test(c.mimeType));
}

/**
 * An offer the large view's page made before its scripts loaded (earlyOfferScript): its peer connection and the POST's
 * response to come. Taken once, by the player for the same URL; otherwise ended by the script itself after
 * EARLY_OFFER_MAX_MS or when the page goes away.
 */
type EarlyOffer = { url: string; pc: RTCPeerConnection; at: number; response: Promise<Response> };
const EARLY_OFFER_KEY = "__nightjarEarlyWhep";
/** An early offer the player has not taken within this long is ended (DELETE), ms. */
export const EARLY_OFFER_MAX_MS = 10_000;

function takeEarlyOffer(whepUrl: string): EarlyOffer | null {
  const w = window as unknown as Record<string, EarlyOffer | undefined>;
  const early = w[EARLY_OFFER_KEY];
  if (!early || early.url !== whepUrl || early.pc.signalingState !== "have-local-offer") return null;
  delete w[EARLY_OFFER_KEY];
  return early;
}

/**
 * The inline script of the large view's page (it runs with the page's CSP nonce while the HTML streams in, before the
 * app's scripts have loaded and hydrated): where the player will try WebRTC (RTCPeerConnection with H.264), it makes the
 * same receive-only offer and POSTs it at once, so the server's answer — and, for the first viewer, the camera's
 * stream — are on their way during hydration. The player takes it over (takeEarlyOffer). ES5 on purpose: it is not
 * compiled. `whepUrl` is a same-origin path.
 */
export function earlyOfferScript(whepUrl: string): string {
  const args = [JSON.stringify(whepUrl), JSON.stringify(EARLY_OFFER_KEY), String(EARLY_OFFER_MAX_MS)].join(",");
  return `(function(u,k,max){try{
var R=window.RTCRtpReceiver,c=R&&R.getCapabilities&&R.getCapabilities("video");
if(typeof RTCPeerConnection!=="function"||!c||!c.codecs.some(function(x){return /h264/i.test(x.mimeType)}))return;
var pc=new RTCPeerConnection({iceServers:[]});
pc.addTransceiver("video",{direction:"recvonly"});pc.addTransceiver("audio",{direction:"recvonly"});
var e={url:u,pc:pc,at:performance.now()};
e.response=pc.createOffer().then(function(o){return pc.setLocalDescription(o)}).then(function(){performance.mark("nightjar:whep-offer");return fetch(u,{method:"POST",credentials:"same-origin",headers:{"content-type":"application/sdp"},body:pc.localDescription.sdp})});
e.response.catch(function(){});
window[k]=e;
var end=function(){if(window[k]!==e)return;delete window[k];pc.close();e.response.then(function(r){var l=r.status===201&&r.headers.get("location");if(l)fetch(new URL(l,r.url).pathname,{method:"DELETE",credentials:"same-origin",keepalive:true})}).catch(function(){})};
setTimeout(end,max);addEventListener("pagehide",end);
}catch(x){}})(${args});`;
}

/**
 * The WHEP exchange on `pc`: receive-only video and audio transceivers, the offer POSTed (it may wait OFFER_TIMEOUT_MS:
 * the server starts the camera's stream for its first viewer), the answer applied; with `early`, the page's own offer
 * and POST instead. `onResource` gets the session's URL (for the DELETE) as soon as it is known. Resolves with the
 * answer, or why not.
 */
async function negotiate(pc: RTCPeerConnection, whepUrl: string, signal: AbortSignal, onResource: (url: string) => void, early: EarlyOffer | null = null): Promise<{ answer: string } | WebRtcFailure> {
  let res: Response;
  if (early) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<"timeout">((r) => (timer = setTimeout(() => r("timeout"), Math.max(0, OFFER_TIMEOUT_MS - (performance.now() - early.at)))));
    const aborted = new Promise<"aborted">((r) => signal.addEventListener("abort", () => r("aborted")));
    const got = await Promise.race([early.response.catch(() => "network" as const), timeout, aborted]);
    clearTimeout(timer);
    if (typeof got === "string") {
      // A session the server may still make is ended once its answer comes.
      void early.response
        .then((r) => {
          const location = r.status === 201 ? r.headers.get("location") : null;
          if (location) endSession(new URL(location, r.url).pathname);
        })
        .catch(() => undefined);
      return { status: got };
    }
    res = got;
  } else {
    pc.addTransceiver("video", { direction: "recvonly" });
    pc.addTransceiver("audio", { direction: "recvonly" });
    await pc.setLocalDescription(await pc.createOffer());
    mark("nightjar:whep-offer");
    const timeout = AbortSignal.timeout(OFFER_TIMEOUT_MS);
    try {
      res = await fetch(whepUrl, { method: "POST", credentials: "same-origin", headers: { "content-type": "application/sdp" }, body: pc.localDescription!.sdp, signal: AbortSignal.any([signal, timeout]) });
    } catch {
      return { status: signal.aborted ? "aborted" : timeout.aborted ? "timeout" : "network" };
    }
  }
  if (res.status !== 201) return { status: res.status };
  const location = res.headers.get("location");
  if (location) onResource(new URL(location, res.url).pathname);
  const answer = await res.text();
  await pc.setRemoteDescription({ type: "answer", sdp: answer });
  mark("nightjar:whep-answer");
  return { answer };
}

/**
 * Ends a WHEP session on the server (DELETE on its resource path). keepalive: it still goes out when the page is
 * being left. Fire and forget: a session the server no longer has is already ended.
 */
function endSession(resource: string): void {
  void fetch(resource, { method: "DELETE", credentials: "same-origin", keepalive: true }).catch(() => undefined);
}

/** A start-up milestone for bench:live (the newest of each name counts). */
function mark(name: string): void {
  performance.clearMarks(name);
  performance.mark(name);
}

/**
 * Plays `whepUrl` in `video` over WebRTC. `onDrop` is called once if a playing session breaks (connection failed or
 * closed, frames frozen); the session is closed by then.
 */
export async function playWebRtc(video: HTMLVideoElement, whepUrl: string, signal: AbortSignal, onDrop: () => void): Promise<WebRtcSession | WebRtcFailure> {
  const early = takeEarlyOffer(whepUrl);
  const pc = early?.pc ?? new RTCPeerConnection({ iceServers: [] });
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
    if (resource) endSession(resource);
  };
  window.addEventListener("pagehide", close);
  signal.addEventListener("abort", close);
  const fail = (status: WebRtcFailure["status"]): WebRtcFailure => {
    close();
    return { status: signal.aborted ? "aborted" : status };
  };
  let hasSound = false;
  try {
    const stream = new MediaStream();
    pc.onconnectionstatechange = () => pc.connectionState === "connected" && mark("nightjar:webrtc-connected");
    pc.ontrack = (e) => {
      stream.addTrack(e.track);
      video.srcObject = stream;
      void video.play().catch(() => undefined);
    };
    const negotiated = await negotiate(pc, whepUrl, signal, (url) => (resource = url), early);
    if ("status" in negotiated) return fail(negotiated.status);
    if (closed) return fail("aborted");
    hasSound = /^m=audio [1-9]/m.test(negotiated.answer);
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
  return { close, hasSound };
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
    const negotiated = await negotiate(pc, whepUrl, signal, (url) => (resource = url));
    if ("status" in negotiated) return false;
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
    if (resource) endSession(resource);
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
