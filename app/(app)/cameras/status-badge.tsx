"use client";
import { useFormat, useT } from "@/lib/i18n/client";

const STYLES = {
  online: "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300",
  offline: "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300",
  unknown: "bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300",
  disabled: "bg-zinc-100 text-zinc-500 dark:bg-zinc-800 dark:text-zinc-400",
} as const;

/** Online / offline / checking, with "since" when known. data-state lets tests wait for a state. */
export function StatusBadge({ state, since, isEnabled = true }: { state: "online" | "offline" | "unknown"; since?: string | null; isEnabled?: boolean }) {
  const t = useT();
  const format = useFormat();
  const shown = isEnabled ? state : "disabled";
  return (
    <span className="inline-flex flex-wrap items-center gap-2 text-sm">
      <span data-testid="camera-status" data-state={shown} className={`inline-flex items-center gap-1.5 rounded-full px-2.5 py-0.5 text-xs font-medium ${STYLES[shown]}`}>
        <span aria-hidden className={`h-1.5 w-1.5 rounded-full ${shown === "online" ? "bg-emerald-500" : shown === "offline" ? "bg-red-500" : "bg-zinc-400"}`} />
        {t(`cameras.${shown}`)}
      </span>
      {isEnabled && since && state !== "unknown" ? <span className="text-xs text-zinc-500">{t("cameras.sinceTime", { time: format.dateTime(since) })}</span> : null}
    </span>
  );
}
