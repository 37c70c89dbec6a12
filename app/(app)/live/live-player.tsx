"use client";
// A camera's live stream in a <video>: WebRTC first (./webrtc.ts: WHEP, the camera's H.264 as it comes, ~0.1–0.2 s
// behind), and HLS when WebRTC cannot play — no RTCPeerConnection or no H.264 in it, the server refuses (H.265 camera
// 415, too many viewers 429, WebRTC off) or ICE/the first frame does not come within 3 s (a network without UDP).
// A WebRTC session that breaks (connection lost, frames frozen: a camera restart, a network change) starts over with
// WebRTC. A fall back for a reason that may pass (no connection in time, a network error, too many viewers) tries
// WebRTC again in the background (probeWebRtc) when the browser says the network changed and after 15 s, doubling to
// 5 min, and switches back once it connects. The player says which one plays (data-transport, and a label). HLS: hls.js (its light build, in the live pages' own scripts: fetched with the page,
// not after hydration, which took ~0.3 s off start-up) where the browser has Media Source Extensions, the browser's own HLS (Safari, iOS) otherwise. Plays only while
// `isActive` (the caller turns it off when the video is out of view or the tab is hidden): then hls.js is destroyed and
// the video emptied, so no live video flows. Recovers by itself: network errors (503 = camera offline) retry with
// backoff, media errors are recovered once and then the player is rebuilt, a new ffmpeg run (camera reconnected)
// rebuilds it. Before loading anything the player asks the server what the stream holds (info.json: the exact codec
// strings of its init segment) and the browser whether it decodes that (MediaSource.isTypeSupported, or canPlayType for
// the browser's own HLS): a camera whose main stream is H.265 plays it where the browser can (Safari; Chrome and Edge
// with hardware decoding), and elsewhere the large view plays the camera's H.264 sub stream and says so; with no stream
// the browser can decode, the player says that instead of showing a black box. Sound (only when the household turned
// "record sound" on) starts muted, with an Unmute button when the stream has a sound track (over WebRTC: when the
// server's answer carries audio — G.711 as the camera sends it, other sound as Opus).
import type { ErrorData, HlsConfig, LevelLoadedData } from "hls.js";
import Hls, { FetchLoader } from "hls.js/light";
import { useEffect, useRef, useState, type RefObject } from "react";
import { hardNavigate } from "@/app/_components/api";
import { useT } from "@/lib/i18n/client";
import { HLS_CONFIG } from "@/lib/live/player-config";
import { liveInfoUrl, liveStreamUrl, liveWhepUrl } from "@/lib/live/url";
import { browserHasWebRtc, playWebRtc, probeWebRtc, type WebRtcSession } from "./webrtc";

export type PlayerStatus = "connecting" | "playing" | "offline" | "reconnecting" | "unsupported" | "no-player" | "privacy" | "unavailable";

/** What the server says a stream holds (lib/live/live.ts LiveStreamInfo). */
type StreamInfo = {
  stream: "main" | "sub";
  hasSubStream: boolean;
  runId: string;
  mimeType: string;
  video: { codec: string; width: number | null; height: number | null } | null;
  audio: { codec: string } | null;
};

/** A codec note under the player's status: the stream shown instead of the main one, or the codec nothing here plays. */
type CodecNote = { kind: "fallback"; codec: string; width: number | null; height: number | null } | { kind: "unsupported"; codec: string };


/** Waits before rebuilding the player after a fatal error, ms: doubling from the first to the last. */
const RETRY_FIRST_MS = 1_000;
/** After a fall back to HLS that may pass, WebRTC is tried again after this long, doubling up to WEBRTC_RETRY_MAX_MS. */
const WEBRTC_RETRY_FIRST_MS = 15_000;
const WEBRTC_RETRY_MAX_MS = 300_000;
const RETRY_MAX_MS = 8_000;
/** A second media error within this long rebuilds the player instead of hls.recoverMediaError(), ms. */
const MEDIA_RECOVERY_WINDOW_MS = 5_000;
/** How often the latency is reported, ms. */
const LATENCY_EVERY_MS = 1_000;

const CODEC_ERRORS = new Set<string>(["manifestIncompatibleCodecsError", "bufferIncompatibleCodecsError", "bufferAddCodecError"]);

type Props = {
  cameraId: string;
  cameraName: string;
  stream: "main" | "sub";
  /** When this browser cannot decode the main stream (H.265), play the camera's sub stream instead and say so. */
  fallbackToSub?: boolean;
  isActive: boolean;
  /** The <video>, for callers that draw snapshots from it. */
  videoRef?: RefObject<HTMLVideoElement | null>;
  /** Live latency in ms (now − the wall-clock time of the frame on screen), or null when unknown; every second. */
  onLatency?: (ms: number | null) => void;
  className?: string;
};

export function LivePlayer({ cameraId, cameraName, stream, fallbackToSub = false, isActive, videoRef, onLatency, className = "" }: Props) {
  const t = useT();
  const ownRef = useRef<HTMLVideoElement | null>(null);
  const ref = videoRef ?? ownRef;
  const [status, setStatus] = useState<PlayerStatus>("connecting");
  const [codecNote, setCodecNote] = useState<CodecNote | null>(null);
  const [hasSound, setHasSound] = useState(false);
  const [isMuted, setIsMuted] = useState(true);
  const [transport, setTransport] = useState<"webrtc" | "hls" | null>(null);
  const latencyRef = useRef(onLatency);
  useEffect(() => {
    latencyRef.current = onLatency;
  }, [onLatency]);

  useEffect(() => {
    const video = ref.current;
    // isActive assumes a visible tab while hydrating (visibility.ts); a page opened in a background tab re-renders
    // with isActive false right after, and must not start a stream before that.
    if (!video || !isActive || document.visibilityState !== "visible") return;
    let hls: Hls | null = null;
    let rtc: WebRtcSession | null = null;
    /** WebRTC cannot play here (no browser support, refused, or it did not connect in time): HLS for this mount. */
    let isWebRtcOut = !browserHasWebRtc();
    /** The browser plays the HLS URL itself (no hls.js). */
    let isNative = false;
    let isStopped = false;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let retryMs = RETRY_FIRST_MS;
    let lastMediaErrorAt = 0;
    let runId: string | null = null;
    /** The info requests of the current attempt (aborted by a teardown; a later attempt ignores an earlier one's). */
    let infoAbort: AbortController | null = null;
    let attempt = 0;
    /** Trying WebRTC again after a fall back that may pass: the next try's timer and delay, the try under way. */
    let webRtcRetry: { timer?: ReturnType<typeof setTimeout>; ms: number; probe: AbortController | null; isOn: boolean } = { ms: WEBRTC_RETRY_FIRST_MS, probe: null, isOn: false };

    const teardown = () => {
      attempt++;
      infoAbort?.abort();
      infoAbort = null;
      clearTimeout(retryTimer);
      hls?.destroy();
      hls = null;
      rtc?.close();
      rtc = null;
      video.srcObject = null;
      isNative = false;
      video.removeAttribute("src");
      video.load();
    };
    const rebuild = (next: PlayerStatus, delayMs = retryMs) => {
      teardown();
      setStatus(next);
      retryTimer = setTimeout(() => void start(), delayMs);
      retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
    };
    const stop = (final: PlayerStatus) => {
      teardown();
      setStatus(final);
    };

    const onHlsError = (data: ErrorData) => {
      if (CODEC_ERRORS.has(data.details)) return stop("unsupported");
      if (!data.fatal || !hls) return;
      const code = data.response?.code;
      if (data.type === "networkError") {
        if (code === 401) return hardNavigate("/login");
        if (code === 409) return stop("privacy"); // privacy mode was turned on while watching
        // The playlist refused or gone: this camera cannot be watched (no access, removed). A media segment gone is
        // only a player that fell behind a moving window (or started on an old playlist): start over.
        const isPlaylist = data.details === "manifestLoadError" || data.details === "levelLoadError";
        if (isPlaylist && (code === 403 || code === 404)) return stop("unavailable");
        return rebuild(code === 503 ? "offline" : "reconnecting");
      }
      if (data.type === "mediaError" && Date.now() - lastMediaErrorAt > MEDIA_RECOVERY_WINDOW_MS) {
        lastMediaErrorAt = Date.now();
        hls.recoverMediaError();
        return;
      }
      rebuild("reconnecting");
    };

    // A new ffmpeg run (the camera reconnected) starts a new init segment and numbering: start over on it.
    const onLevelLoaded = (data: LevelLoadedData) => {
      const run = data.details.fragments[0]?.relurl?.split("/")[0] ?? null;
      if (run && runId && run !== runId) {
        runId = null;
        return rebuild("reconnecting", 0);
      }
      runId = run ?? runId;
    };

    /** The stream's description, or null after handling a refusal (the status says what happened). */
    const loadInfo = async (which: "main" | "sub", signal: AbortSignal): Promise<StreamInfo | null> => {
      let res: Response;
      try {
        res = await fetch(liveInfoUrl(cameraId, which), { credentials: "same-origin", signal });
      } catch {
        if (!signal.aborted) rebuild("reconnecting");
        return null;
      }
      if (res.ok) {
        const info = (await res.json().catch(() => null)) as StreamInfo | null;
        if (!info && !signal.aborted) rebuild("reconnecting");
        return info;
      }
      if (res.status === 401) hardNavigate("/login");
      else if (res.status === 409) stop("privacy");
      else if (res.status === 403 || res.status === 404) stop("unavailable");
      else rebuild(res.status === 503 ? "offline" : "reconnecting");
      return null;
    };

    /** Whether this browser decodes what the stream holds (the player it will use: MSE through hls.js, or its own HLS). */
    const canDecode = (info: StreamInfo, isMse: boolean): boolean => {
      if (isMse) {
        const ms = (window as unknown as { ManagedMediaSource?: typeof MediaSource }).ManagedMediaSource ?? window.MediaSource;
        return !!ms?.isTypeSupported(info.mimeType);
      }
      return video.canPlayType(info.mimeType) !== "";
    };

    const start = async () => {
      if (isStopped) return;
      const mine = ++attempt;
      performance.clearMarks("nightjar:player-start");
      performance.mark("nightjar:player-start"); // start-up milestone for bench:live
      if (!isWebRtcOut) {
        const abort = new AbortController();
        infoAbort = abort;
        const played = await playWebRtc(video, liveWhepUrl(cameraId, stream), abort.signal, () => rebuild("reconnecting", 0));
        if (mine !== attempt || isStopped) {
          if ("close" in played) played.close();
          return;
        }
        if ("close" in played) {
          rtc = played;
          retryMs = RETRY_FIRST_MS;
          setCodecNote(null);
          setHasSound(played.hasSound);
          setTransport("webrtc");
          setStatus("playing");
          return;
        }
        if (played.status === "aborted") return;
        if (played.status === 401) return hardNavigate("/login");
        if (played.status === 409) return stop("privacy");
        if (played.status === 503) return rebuild("offline");
        // Anything else (400, 403/404 — HLS answers those for itself —, 415 H.265, 429, timeout, network): HLS; for
        // the ones that may pass, WebRTC is tried again later.
        isWebRtcOut = true;
        if (played.status === "timeout" || played.status === "network" || played.status === 429) {
          webRtcRetry.isOn = true;
          retryWebRtcLater();
        }
      }
      setTransport("hls");
      const isMse = Hls.isSupported();
      if (!isMse && !video.canPlayType("application/vnd.apple.mpegurl")) return stop("no-player");
      const abort = new AbortController();
      infoAbort = abort;
      let info = await loadInfo(stream, abort.signal);
      if (!info || mine !== attempt) return;
      let note: CodecNote | null = null;
      if (!canDecode(info, isMse)) {
        const codec = codecName(info.video?.codec ?? info.mimeType);
        const hasFallback = fallbackToSub && stream === "main" && info.hasSubStream;
        const sub = hasFallback ? await loadInfo("sub", abort.signal) : null;
        if (mine !== attempt || (hasFallback && !sub)) return; // torn down, or the sub stream's refusal was handled
        if (!sub || !canDecode(sub, isMse)) {
          setCodecNote({ kind: "unsupported", codec });
          return stop("unsupported");
        }
        note = { kind: "fallback", codec, width: sub.video?.width ?? null, height: sub.video?.height ?? null };
        info = sub;
      }
      setCodecNote(note);
      setHasSound(info.audio !== null);
      const src = liveStreamUrl(cameraId, note ? "sub" : stream);
      if (!isMse) {
        isNative = true;
        video.src = src; // Safari and iOS play HLS themselves; errors come as the video's error event
        void video.play().catch(() => undefined);
        return;
      }
      // Playlists through fetch(): the large view's page preloads its first playlist (as="fetch"), which only a
      // fetch() takes over (an XHR would request it again).
      const player = new Hls(typeof fetch === "function" ? { ...HLS_CONFIG, pLoader: FetchLoader as unknown as HlsConfig["pLoader"] } : HLS_CONFIG);
      hls = player;
      player.on(Hls.Events.ERROR, (_e, data) => onHlsError(data));
      player.on(Hls.Events.LEVEL_LOADED, (_e, data) => onLevelLoaded(data));
      player.on(Hls.Events.MANIFEST_PARSED, () => void video.play().catch(() => undefined));
      player.loadSource(src);
      player.attachMedia(video);
    };

    /** Tries WebRTC in the background; once it connects, the player starts over with it (else it tries later again). */
    const retryWebRtc = async () => {
      clearTimeout(webRtcRetry.timer);
      if (isStopped || !webRtcRetry.isOn || webRtcRetry.probe) return;
      const probe = new AbortController();
      webRtcRetry.probe = probe;
      const ok = await probeWebRtc(liveWhepUrl(cameraId, stream), probe.signal);
      webRtcRetry.probe = null;
      if (isStopped || probe.signal.aborted) return;
      if (!ok) return retryWebRtcLater();
      webRtcRetry = { ms: WEBRTC_RETRY_FIRST_MS, probe: null, isOn: false };
      isWebRtcOut = false;
      rebuild("reconnecting", 0);
    };
    function retryWebRtcLater() {
      clearTimeout(webRtcRetry.timer);
      webRtcRetry.timer = setTimeout(() => void retryWebRtc(), webRtcRetry.ms);
      webRtcRetry.ms = Math.min(webRtcRetry.ms * 2, WEBRTC_RETRY_MAX_MS);
    }
    // The network changed (back online; Chromium also says when the connection type changes): try WebRTC now.
    const onNetworkChange = () => void retryWebRtc();
    const connection = (navigator as Navigator & { connection?: EventTarget }).connection;
    window.addEventListener("online", onNetworkChange);
    connection?.addEventListener?.("change", onNetworkChange);

    const onPlaying = () => {
      retryMs = RETRY_FIRST_MS;
      setStatus("playing");
    };
    const onNativeError = () => {
      if (isNative) rebuild("reconnecting");
    };
    const onVolumeChange = () => setIsMuted(video.muted);
    video.addEventListener("playing", onPlaying);
    video.addEventListener("error", onNativeError);
    video.addEventListener("volumechange", onVolumeChange);
    const latencyTimer = setInterval(() => {
      catchUp(video, hls);
      latencyRef.current?.(measureLatency(video, hls));
    }, LATENCY_EVERY_MS);
    void start();

    return () => {
      isStopped = true;
      clearTimeout(webRtcRetry.timer);
      webRtcRetry.probe?.abort();
      window.removeEventListener("online", onNetworkChange);
      connection?.removeEventListener?.("change", onNetworkChange);
      clearInterval(latencyTimer);
      video.removeEventListener("playing", onPlaying);
      video.removeEventListener("error", onNativeError);
      video.removeEventListener("volumechange", onVolumeChange);
      teardown();
      setStatus("connecting");
      setCodecNote(null);
      setHasSound(false);
      setTransport(null);
      latencyRef.current?.(null);
    };
  }, [cameraId, stream, fallbackToSub, isActive, ref]);

  const toggleSound = () => {
    const video = ref.current;
    if (!video) return;
    video.muted = !video.muted;
    setIsMuted(video.muted);
    if (!video.muted) void video.play().catch(() => undefined);
  };

  const message = !isActive
    ? null
    : {
        connecting: t("live.connecting"),
        playing: null,
        offline: t("live.offline"),
        reconnecting: t("live.reconnecting"),
        unsupported: codecNote?.kind === "unsupported" ? t("live.codecUnsupported", { codec: codecNote.codec }) : t("live.unsupportedCodec"),
        "no-player": t("live.noPlayer"),
        privacy: t("live.privacyText"),
        unavailable: t("live.unavailable"),
      }[status];

  return (
    <div className={`relative overflow-hidden bg-black ${className}`} data-testid="live-player" data-state={isActive ? status : "paused"} data-transport={transport ?? undefined}>
      <video ref={ref} muted autoPlay playsInline className="h-full w-full object-contain" data-testid="live-video" aria-label={t("live.videoOf", { camera: cameraName })} />
      {message ? (
        <div role="status" className="absolute inset-0 flex items-center justify-center bg-black/60 p-4 text-center text-sm text-white">
          {message}
        </div>
      ) : null}
      {isActive && codecNote?.kind === "fallback" ? (
        <p role="note" data-testid="live-codec-fallback" className="absolute inset-x-0 top-0 bg-black/70 px-3 py-1.5 text-xs text-white">
          {t("live.codecFallback", { codec: codecNote.codec, width: codecNote.width ?? "?", height: codecNote.height ?? "?" })}
        </p>
      ) : null}
      {isActive && transport && status === "playing" ? (
        <p data-testid="live-transport" className="absolute bottom-2 left-2 rounded bg-black/60 px-2 py-0.5 text-xs text-white">
          {transport === "webrtc" ? t("live.viaWebRtc") : t("live.viaHls")}
        </p>
      ) : null}
      {isActive && hasSound && status === "playing" ? (
        <button type="button" onClick={toggleSound} className="absolute bottom-2 right-2 rounded-md bg-black/70 px-3 py-1.5 text-xs font-medium text-white hover:bg-black/85 focus-visible:outline focus-visible:outline-2 focus-visible:outline-white" data-testid="live-sound">
          {isMuted ? t("live.unmute") : t("live.mute")}
        </button>
      ) : null}
    </div>
  );
}

/**
 * A player more than this far behind its target latency jumps to the live sync position, s. hls.js only speeds up
 * (maxLiveSyncPlaybackRate) within about one target duration of the target; further behind (after a stall, a
 * throttled tab, or a start on an older playlist) it would stay behind for good.
 */
const JUMP_BEHIND_S = 2.5;

function catchUp(video: HTMLVideoElement, hls: Hls | null): void {
  const target = hls?.targetLatency;
  const sync = hls?.liveSyncPosition;
  if (!hls || video.paused || target == null || sync == null || !(hls.latency - target > JUMP_BEHIND_S)) return;
  if (sync > video.currentTime) video.currentTime = sync;
}

/**
 * now − the wall-clock time of the frame on screen, ms. The served playlists carry program dates on the server's clock
 * (lib/live/playlist.ts), so this includes the camera-to-server, segmenting and buffering delay; null when unknown.
 */
function measureLatency(video: HTMLVideoElement, hls: Hls | null): number | null {
  if (video.paused || video.readyState < 2) return null;
  const playing = hls ? hls.playingDate : nativeProgramDate(video);
  if (playing) return Math.max(0, Date.now() - playing.getTime());
  return hls && hls.latency > 0 ? Math.round(hls.latency * 1000) : null;
}

/** Safari's native HLS: the program date of currentTime 0 (getStartDate) plus the position. */
function nativeProgramDate(video: HTMLVideoElement): Date | null {
  const start = (video as HTMLVideoElement & { getStartDate?: () => Date }).getStartDate?.();
  const ms = start?.getTime();
  return ms && Number.isFinite(ms) ? new Date(ms + video.currentTime * 1000) : null;
}

/** A codec string as people know it: "hvc1.1.6.L93.B0" → "H.265", "avc1.64001F" → "H.264". */
function codecName(codec: string): string {
  const entry = /codecs="([^".,]+)/.exec(codec)?.[1] ?? codec.split(".")[0];
  if (entry === "hvc1" || entry === "hev1") return "H.265";
  if (entry === "avc1" || entry === "avc3") return "H.264";
  return entry.toUpperCase();
}
