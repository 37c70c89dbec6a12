"use client";
// A camera's live stream in a <video>: hls.js (its light build, in the live pages' own scripts: fetched with the page,
// not after hydration, which took ~0.3 s off start-up) where the browser has Media Source Extensions, the browser's own HLS (Safari, iOS) otherwise. Plays only while
// `isActive` (the caller turns it off when the video is out of view or the tab is hidden): then hls.js is destroyed and
// the video emptied, so no live video flows. Recovers by itself: network errors (503 = camera offline) retry with
// backoff, media errors are recovered once and then the player is rebuilt, a new ffmpeg run (camera reconnected)
// rebuilds it. A video format the browser cannot decode (H.265 in most browsers) says so instead of a black box.
import type { ErrorData, HlsConfig, LevelLoadedData } from "hls.js";
import Hls, { FetchLoader } from "hls.js/light";
import { useEffect, useRef, useState, type RefObject } from "react";
import { hardNavigate } from "@/app/_components/api";
import { useT } from "@/lib/i18n/client";
import { HLS_CONFIG } from "@/lib/live/player-config";
import { liveStreamUrl } from "@/lib/live/url";

export type PlayerStatus = "connecting" | "playing" | "offline" | "reconnecting" | "unsupported" | "no-player" | "privacy" | "unavailable";


/** Waits before rebuilding the player after a fatal error, ms: doubling from the first to the last. */
const RETRY_FIRST_MS = 1_000;
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
  isActive: boolean;
  /** The <video>, for callers that draw snapshots from it. */
  videoRef?: RefObject<HTMLVideoElement | null>;
  /** Live latency in ms (now − the wall-clock time of the frame on screen), or null when unknown; every second. */
  onLatency?: (ms: number | null) => void;
  className?: string;
};

export function LivePlayer({ cameraId, cameraName, stream, isActive, videoRef, onLatency, className = "" }: Props) {
  const t = useT();
  const ownRef = useRef<HTMLVideoElement | null>(null);
  const ref = videoRef ?? ownRef;
  const [status, setStatus] = useState<PlayerStatus>("connecting");
  const latencyRef = useRef(onLatency);
  useEffect(() => {
    latencyRef.current = onLatency;
  }, [onLatency]);

  useEffect(() => {
    const video = ref.current;
    // isActive assumes a visible tab while hydrating (visibility.ts); a page opened in a background tab re-renders
    // with isActive false right after, and must not start a stream before that.
    if (!video || !isActive || document.visibilityState !== "visible") return;
    const src = liveStreamUrl(cameraId, stream);
    let hls: Hls | null = null;
    /** The browser plays the HLS URL itself (no hls.js). */
    let isNative = false;
    let isStopped = false;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let retryMs = RETRY_FIRST_MS;
    let lastMediaErrorAt = 0;
    let runId: string | null = null;

    const teardown = () => {
      clearTimeout(retryTimer);
      hls?.destroy();
      hls = null;
      isNative = false;
      video.removeAttribute("src");
      video.load();
    };
    const rebuild = (next: PlayerStatus, delayMs = retryMs) => {
      teardown();
      setStatus(next);
      retryTimer = setTimeout(start, delayMs);
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

    const start = () => {
      if (isStopped) return;
      performance.clearMarks("nightjar:player-start");
      performance.mark("nightjar:player-start"); // start-up milestone for bench:live
      if (!Hls.isSupported()) {
        if (!video.canPlayType("application/vnd.apple.mpegurl")) return stop("no-player");
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

    const onPlaying = () => {
      retryMs = RETRY_FIRST_MS;
      setStatus("playing");
    };
    const onNativeError = () => {
      if (isNative) rebuild("reconnecting");
    };
    video.addEventListener("playing", onPlaying);
    video.addEventListener("error", onNativeError);
    const latencyTimer = setInterval(() => {
      catchUp(video, hls);
      latencyRef.current?.(measureLatency(video, hls));
    }, LATENCY_EVERY_MS);
    start();

    return () => {
      isStopped = true;
      clearInterval(latencyTimer);
      video.removeEventListener("playing", onPlaying);
      video.removeEventListener("error", onNativeError);
      teardown();
      setStatus("connecting");
      latencyRef.current?.(null);
    };
  }, [cameraId, stream, isActive, ref]);

  const message = !isActive
    ? null
    : {
        connecting: t("live.connecting"),
        playing: null,
        offline: t("live.offline"),
        reconnecting: t("live.reconnecting"),
        unsupported: t("live.unsupportedCodec"),
        "no-player": t("live.noPlayer"),
        privacy: t("live.privacyText"),
        unavailable: t("live.unavailable"),
      }[status];

  return (
    <div className={`relative overflow-hidden bg-black ${className}`} data-testid="live-player" data-state={isActive ? status : "paused"}>
      <video ref={ref} muted autoPlay playsInline className="h-full w-full object-contain" data-testid="live-video" aria-label={t("live.videoOf", { camera: cameraName })} />
      {message ? (
        <div role="status" className="absolute inset-0 flex items-center justify-center bg-black/60 p-4 text-center text-sm text-white">
          {message}
        </div>
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
