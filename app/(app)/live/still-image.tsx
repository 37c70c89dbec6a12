"use client";
// A camera still, refreshed every STILL_SECONDS while the tab is visible; the next one loads before it replaces this one.
import { useEffect, useState } from "react";

const STILL_SECONDS = 10;

export function StillImage({ cameraId, alt, offline, offlineText }: { cameraId: string; alt: string; offline: boolean; offlineText: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    if (offline) return;
    let cancelled = false;
    const load = () => {
      if (document.visibilityState !== "visible") return;
      const next = `/api/cameras/${cameraId}/snapshot?t=${Date.now()}`;
      const img = new Image();
      img.onload = () => !cancelled && setSrc(next);
      img.src = next;
    };
    load();
    const id = setInterval(load, STILL_SECONDS * 1000);
    return () => {
      cancelled = true;
      clearInterval(id);
    };
  }, [cameraId, offline]);
  if (offline) return <div className="flex aspect-video items-center justify-center bg-zinc-200 text-sm text-zinc-500 dark:bg-zinc-800">{offlineText}</div>;
  return src ? (
    // eslint-disable-next-line @next/next/no-img-element -- a private, access-checked JPEG from our own route
    <img src={src} alt={alt} className="aspect-video w-full bg-zinc-900 object-cover" data-testid="live-still" />
  ) : (
    <div className="aspect-video w-full animate-pulse bg-zinc-200 dark:bg-zinc-800" />
  );
}
