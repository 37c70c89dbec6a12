"use client";
// Events newest first, with photo (thumbnail), camera, time, length and the objects detected; a click plays them. Members and admins can
// tick events and delete them together (after a confirmation); viewers see no selection.
import { useHydrated } from "@/app/_components/hydrated";
import { useState } from "react";
import { api, errorMessage } from "@/app/_components/api";
import { FormMessage } from "@/app/_components/fields";
import type { EventSummary } from "@/lib/events/events";
import { useT } from "@/lib/i18n/client";
import { useEventFormats } from "./formats";
import { LabelChips } from "./labels";
import { ConfirmDialog } from "./modal";

type BulkResult = { deleted: number; protected: string[]; missing: string[] };

export function EventList({
  events,
  canDelete,
  cameraLabel,
  onOpen,
  onDeleted,
  onReviewed,
  onNotice,
}: {
  events: EventSummary[];
  canDelete: boolean;
  cameraLabel: (e: { cameraId: string | null; cameraName: string }) => string;
  onOpen: (e: EventSummary) => void;
  onDeleted: (ids: string[]) => void;
  /** Events marked reviewed (or not) for this member. */
  onReviewed: (ids: string[], reviewed: boolean) => void;
  onNotice: (text: string) => void;
}) {
  const t = useT();
  const hydrated = useHydrated();
  const format = useEventFormats();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  /** Thumbnails that failed to load (a missing file: the server cleaned up the photo row). */
  const [broken, setBroken] = useState<Set<string>>(new Set());
  const shown = new Set(events.map((e) => e.id));
  const chosen = [...selected].filter((id) => shown.has(id));
  const seconds = (e: EventSummary) => Math.round(e.clips.reduce((s, c) => s + c.durationMs, 0) / 1000);

  function toggle(id: string, on: boolean) {
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  }

  async function reviewChosen() {
    setError(null);
    const res = await api<{ reviewed: string[] }>("/api/events/review", { body: { ids: chosen, reviewed: true } });
    if (!res.ok) return onNotice(errorMessage(res.error, t("common.somethingWentWrong")));
    setSelected(new Set());
    onReviewed(res.data.reviewed, true);
    onNotice(t("events.markedReviewed", { n: res.data.reviewed.length }));
  }

  async function deleteChosen() {
    setBusy(true);
    setError(null);
    const res = await api<BulkResult>("/api/events/delete", { body: { ids: chosen } });
    setBusy(false);
    if (!res.ok) return setError(errorMessage(res.error, t("common.somethingWentWrong")));
    const kept = new Set(res.data.protected);
    onDeleted(chosen.filter((id) => !kept.has(id)));
    setSelected(new Set([...kept]));
    setConfirming(false);
    onNotice(
      [
        t("events.bulkDeleted", { n: res.data.deleted }),
        res.data.protected.length ? t("events.keptProtected", { n: res.data.protected.length }) : "",
        res.data.missing.length ? t("events.alreadyGone", { n: res.data.missing.length }) : "",
      ]
        .filter(Boolean)
        .join(" "),
    );
  }

  return (
    <div className="space-y-3">
      {canDelete ? (
        // Below 1024 px the bar shows once something is selected: the list starts higher on a phone.
        <div className={`flex flex-wrap items-center gap-3 ${chosen.length === 0 ? "max-lg:hidden" : ""}`} data-testid="selection-bar">
          <span className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="selected-count">
            {t("events.selectedCount", { n: chosen.length })}
          </span>
          <button
            type="button"
            className="btn-danger px-3 py-1"
            disabled={chosen.length === 0}
            onClick={() => {
              setError(null);
              setConfirming(true);
            }}
          >
            {t("events.deleteSelected")}
          </button>
          <button type="button" className="btn-secondary px-3 py-1" disabled={chosen.length === 0} onClick={() => void reviewChosen()}>
            {t("events.markSelectedReviewed")}
          </button>
        </div>
      ) : null}
      <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3" aria-label={t("events.title")}>
        {events.map((e) => {
          const camera = cameraLabel(e);
          const when = format.dateTime(e.startedAt);
          return (
            <li key={e.id} className="card relative overflow-hidden p-0" data-testid="event" data-event-id={e.id} data-reviewed={e.reviewed ? "yes" : "no"}>
              <button type="button" className="block w-full text-left" onClick={() => onOpen(e)} aria-label={t("events.photoOf", { camera, time: when })}>
                {e.hasPhoto && !broken.has(e.id) ? (
                  // eslint-disable-next-line @next/next/no-img-element -- a private, access-checked JPEG from our own route
                  <img
                    src={`/api/events/${e.id}/photo?size=thumb`}
                    alt=""
                    className="aspect-video w-full bg-zinc-200 object-cover dark:bg-zinc-800"
                    data-testid="event-photo"
                    onError={() => setBroken((b) => new Set(b).add(e.id))}
                  />
                ) : (
                  <div className="flex aspect-video w-full items-center justify-center bg-zinc-200 text-sm text-zinc-500 dark:bg-zinc-800">{t("events.noPhoto")}</div>
                )}
                <div className="space-y-1 p-4">
                  <div className="font-medium">{camera}</div>
                  <div className="text-sm text-zinc-600 dark:text-zinc-400">
                    <time dateTime={e.startedAt}>{when}</time> · {e.endedAt ? t("events.seconds", { seconds: seconds(e) }) : t("events.recording")}
                  </div>
                </div>
              </button>
              <LabelChips labels={e.labels} className="-mt-2 px-4 pb-4" />
              {!e.reviewed ? (
                <span className="absolute bottom-2 right-2 rounded-full bg-brand-600 px-2 py-0.5 text-xs font-medium text-white" data-testid="unreviewed-badge">
                  {t("events.unreviewedBadge")}
                </span>
              ) : null}
              {e.isProtected ? (
                <span className="absolute top-2 right-2 rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-medium text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200" data-testid="protected-badge">
                  {t("events.isProtected")}
                </span>
              ) : null}
              {canDelete ? (
                <label className="absolute top-2 left-2 flex items-center justify-center rounded bg-white/90 p-1.5 shadow max-lg:min-h-11 max-lg:min-w-11 dark:bg-zinc-900/90">
                  <input type="checkbox" className="h-4 w-4" disabled={!hydrated} checked={selected.has(e.id)} onChange={(ev) => toggle(e.id, ev.target.checked)} aria-label={t("events.select", { camera, time: when })} />
                </label>
              ) : null}
            </li>
          );
        })}
      </ul>
      {confirming ? (
        <ConfirmDialog
          id="delete-selected"
          title={t("events.deleteSelectedTitle", { n: chosen.length })}
          confirmLabel={t("events.confirmDelete")}
          cancelLabel={t("events.cancel")}
          busy={busy}
          error={<FormMessage error={error} />}
          onConfirm={deleteChosen}
          onCancel={() => setConfirming(false)}
        >
          <p>{t("events.deleteSelectedConfirm")}</p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
