"use client";
// One camera large: the main stream while the tab is visible, fullscreen, a snapshot of the frame on screen (a JPEG
// made in the browser: no request to the camera), and the live latency.
import { useId, useRef, useState, useSyncExternalStore } from "react";
import { useFormat, useT } from "@/lib/i18n/client";
import { snapshotFileName } from "@/lib/live/snapshot-name";
import { LivePlayer } from "../live-player";
import { PrivacyNotice } from "../privacy-notice";
import { useDocumentVisible } from "../visibility";

/** JPEG quality of snapshots (0–1). */
const SNAPSHOT_QUALITY = 0.92;

function subscribeFullscreen(onChange: () => void) {
  document.addEventListener("fullscreenchange", onChange);
  return () => document.removeEventListener("fullscreenchange", onChange);
}

export function LiveView({ camera }: { camera: { id: string; name: string; privacyMode: boolean } }) {
  const t = useT();
  const format = useFormat();
  const latencyId = useId();
  const containerRef = useRef<HTMLDivElement>(null);
  const videoRef = useRef<HTMLVideoElement>(null);
  const isTabVisible = useDocumentVisible();
  const [latencyMs, setLatencyMs] = useState<number | null>(null);
  const isFullscreen = useSyncExternalStore(
    subscribeFullscreen,
    () => document.fullscreenElement !== null,
    () => false,
  );

  if (camera.privacyMode) return <PrivacyNotice className="aspect-video w-full rounded-xl" />;

  const toggleFullscreen = () => {
    if (document.fullscreenElement) return void document.exitFullscreen().catch(() => undefined);
    const container = containerRef.current;
    if (container?.requestFullscreen) return void container.requestFullscreen().catch(() => undefined);
    // iOS Safari lets only a video go fullscreen.
    (videoRef.current as (HTMLVideoElement & { webkitEnterFullscreen?: () => void }) | null)?.webkitEnterFullscreen?.();
  };

  const takeSnapshot = () => {
    const video = videoRef.current;
    if (!video || video.videoWidth === 0) return; // nothing on screen yet
    const canvas = document.createElement("canvas");
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    canvas.getContext("2d")?.drawImage(video, 0, 0, canvas.width, canvas.height);
    const name = snapshotFileName(camera.name, new Date(), format.timeZone || Intl.DateTimeFormat().resolvedOptions().timeZone);
    canvas.toBlob(
      (blob) => {
        if (!blob) return;
        const url = URL.createObjectURL(blob);
        const link = document.createElement("a");
        link.href = url;
        link.download = name;
        link.click();
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
      },
      "image/jpeg",
      SNAPSHOT_QUALITY,
    );
  };

  const seconds = latencyMs === null ? null : new Intl.NumberFormat(format.locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(latencyMs / 1000);
  return (
    <div className="space-y-3">
      <div ref={containerRef} className="overflow-hidden rounded-xl bg-black [&:fullscreen]:flex [&:fullscreen]:items-center [&:fullscreen]:rounded-none">
        <LivePlayer cameraId={camera.id} cameraName={camera.name} stream="main" fallbackToSub isActive={isTabVisible} videoRef={videoRef} onLatency={setLatencyMs} className="aspect-video w-full" />
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <button type="button" className="btn-secondary" onClick={toggleFullscreen}>
          {isFullscreen ? t("live.exitFullscreen") : t("live.fullscreen")}
        </button>
        <button type="button" className="btn-secondary" onClick={takeSnapshot}>
          {t("live.snapshot")}
        </button>
        <span className="ml-auto text-sm text-zinc-600 dark:text-zinc-400">
          <label htmlFor={latencyId}>{t("live.latency")}</label>{" "}
          <output id={latencyId} className="font-medium tabular-nums text-zinc-900 dark:text-zinc-100" data-testid="live-latency" data-latency-ms={latencyMs ?? undefined}>
            {seconds === null ? "—" : t("live.latencyValue", { seconds })}
          </output>
        </span>
      </div>
    </div>
  );
}
