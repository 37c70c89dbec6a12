"use client";
// The Live page's camera grid: 1, 4 or 9 cameras per screen (remembered in this browser), pages when there are more.
// Each tile plays the camera's sub stream while it is on screen and the tab is visible, and links to the large view.
import Link from "@/app/_components/link";
import { useRef, useState, useSyncExternalStore } from "react";
import { useT } from "@/lib/i18n/client";
import { StatusBadge } from "../cameras/status-badge";
import { LivePlayer } from "./live-player";
import { PrivacyNotice } from "./privacy-notice";
import { useDocumentVisible, useInView } from "./visibility";

export type GridCamera = { id: string; name: string; privacyMode: boolean; state: "online" | "offline" | "unknown" };

const LAYOUTS = [1, 4, 9] as const;
type Layout = (typeof LAYOUTS)[number];
const DEFAULT_LAYOUT: Layout = 4;
const LAYOUT_KEY = "nightjar.live.layout";
const LAYOUT_EVENT = "nightjar:live-layout";
const GRID_CLASS: Record<Layout, string> = { 1: "grid-cols-1", 4: "grid-cols-1 sm:grid-cols-2", 9: "grid-cols-2 lg:grid-cols-3" };

// The layout lives in localStorage (per browser, not per account); in memory where storage is refused.
let memoryLayout: Layout = DEFAULT_LAYOUT;
const isLayout = (n: number): n is Layout => (LAYOUTS as readonly number[]).includes(n);
function readLayout(): Layout {
  try {
    const n = Number(localStorage.getItem(LAYOUT_KEY));
    return isLayout(n) ? n : memoryLayout;
  } catch {
    return memoryLayout;
  }
}
function saveLayout(layout: Layout) {
  memoryLayout = layout;
  try {
    localStorage.setItem(LAYOUT_KEY, String(layout));
  } catch {
    /* private mode: kept for this page only */
  }
  window.dispatchEvent(new Event(LAYOUT_EVENT));
}
function subscribeLayout(onChange: () => void) {
  window.addEventListener("storage", onChange);
  window.addEventListener(LAYOUT_EVENT, onChange);
  return () => {
    window.removeEventListener("storage", onChange);
    window.removeEventListener(LAYOUT_EVENT, onChange);
  };
}

export function LiveGrid({ cameras }: { cameras: GridCamera[] }) {
  const t = useT();
  const layout = useSyncExternalStore(subscribeLayout, readLayout, () => DEFAULT_LAYOUT);
  const [wantedPage, setPage] = useState(0);
  const pages = Math.max(1, Math.ceil(cameras.length / layout));
  const page = Math.min(wantedPage, pages - 1);
  const shown = cameras.slice(page * layout, (page + 1) * layout);

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div role="group" aria-label={t("live.layout")} className="inline-flex overflow-hidden rounded-lg border border-zinc-300 dark:border-zinc-700">
          {LAYOUTS.map((n) => (
            <button
              key={n}
              type="button"
              aria-pressed={layout === n}
              aria-label={t("live.perScreen", { n })}
              title={t("live.perScreen", { n })}
              onClick={() => saveLayout(n)}
              className={`px-3 py-1.5 text-sm font-medium ${layout === n ? "bg-brand-600 text-white" : "bg-white text-zinc-700 hover:bg-zinc-50 dark:bg-zinc-800 dark:text-zinc-200 dark:hover:bg-zinc-700"}`}
            >
              {n}
            </button>
          ))}
        </div>
        {pages > 1 ? (
          <nav aria-label={t("live.pages")} className="flex items-center gap-2 text-sm">
            <button type="button" className="btn-secondary px-3 py-1.5" disabled={page === 0} onClick={() => setPage(page - 1)} aria-label={t("live.previous")}>
              ←
            </button>
            <span aria-live="polite">{t("live.page", { page: page + 1, pages })}</span>
            <button type="button" className="btn-secondary px-3 py-1.5" disabled={page >= pages - 1} onClick={() => setPage(page + 1)} aria-label={t("live.next")}>
              →
            </button>
          </nav>
        ) : null}
      </div>
      <ul className={`grid gap-4 ${GRID_CLASS[layout]}`} aria-label={t("live.title")}>
        {shown.map((c) => (
          <LiveTile key={c.id} camera={c} />
        ))}
      </ul>
    </div>
  );
}

function LiveTile({ camera }: { camera: GridCamera }) {
  const t = useT();
  const ref = useRef<HTMLLIElement>(null);
  const isInView = useInView(ref);
  const isTabVisible = useDocumentVisible();
  return (
    <li ref={ref} className="card overflow-hidden p-0" data-testid="live-tile" data-camera-id={camera.id}>
      {camera.privacyMode ? (
        <PrivacyNotice className="aspect-video w-full" />
      ) : (
        <LivePlayer cameraId={camera.id} cameraName={camera.name} stream="sub" isActive={isInView && isTabVisible} className="aspect-video w-full" />
      )}
      <div className="flex items-center justify-between gap-2 p-3">
        <Link href={`/live/${camera.id}`} className="truncate font-medium hover:underline" title={t("live.openLarge", { camera: camera.name })}>
          {camera.name}
        </Link>
        <StatusBadge state={camera.state} />
      </div>
    </li>
  );
}
