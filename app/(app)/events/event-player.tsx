"use client";
// The player of one event: clip 1 plays at once (seekable: the clip route answers range requests), the next clips
// follow in order; each clip can be downloaded as MP4. Members and admins can protect the event or delete it.
import { useEffect, useRef, useState } from "react";
import { api, errorMessage } from "@/app/_components/api";
import { FormMessage } from "@/app/_components/fields";
import type { EventSummary } from "@/lib/events/events";
import { useT } from "@/lib/i18n/client";
import { useEventFormats } from "./formats";
import { ConfirmDialog, Modal } from "./modal";

export function EventPlayer({
  event,
  cameraLabel,
  canProtect,
  canDelete,
  onClose,
  onChanged,
  onDeleted,
  onClipMissing,
}: {
  event: EventSummary;
  cameraLabel: string;
  canProtect: boolean;
  canDelete: boolean;
  onClose: () => void;
  onChanged: (e: EventSummary) => void;
  onDeleted: (id: string) => void;
  /** A clip failed to load (its file may be gone, and the server cleaned up): reload the event. */
  onClipMissing: (id: string) => void;
}) {
  const t = useT();
  const format = useEventFormats();
  const video = useRef<HTMLVideoElement>(null);
  const [sequence, setSequence] = useState(event.clips[0]?.sequence ?? null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [confirmError, setConfirmError] = useState<string | null>(null);
  const when = format.dateTime(event.startedAt);
  // The clip being played disappeared (cleaned up after a missing file): go to the first one left.
  const current = event.clips.some((c) => c.sequence === sequence) ? sequence : (event.clips[0]?.sequence ?? null);

  useEffect(() => {
    const v = video.current;
    if (!v || current === null) return;
    // Autoplay with sound may be refused by the browser: then muted (the member can unmute).
    v.play().catch(() => {
      if (!video.current) return;
      video.current.muted = true;
      void video.current.play().catch(() => undefined);
    });
  }, [current]);

  async function setProtected(isProtected: boolean) {
    setBusy(true);
    setError(null);
    const res = await api<{ isProtected: boolean }>(`/api/events/${event.id}`, { method: "PATCH", body: { isProtected } });
    setBusy(false);
    if (!res.ok) return setError(errorMessage(res.error, t("common.somethingWentWrong")));
    onChanged({ ...event, isProtected: res.data.isProtected });
  }

  async function remove() {
    setBusy(true);
    setConfirmError(null);
    const res = await api(`/api/events/${event.id}`, { method: "DELETE" });
    setBusy(false);
    if (res.ok || res.status === 404) return onDeleted(event.id); // 404: someone (or expiry) was faster; it is gone
    setConfirmError(errorMessage(res.error, t("common.somethingWentWrong")));
  }

  return (
    <Modal labelledBy="player-title" onClose={onClose} wide>
      <div className="flex items-start justify-between gap-3">
        <h2 id="player-title" className="font-semibold">
          {cameraLabel} · {when}
        </h2>
        <button type="button" className="btn-secondary px-3 py-1" onClick={onClose}>
          {t("events.close")}
        </button>
      </div>
      {current !== null ? (
        <video
          key={current}
          ref={video}
          controls
          autoPlay
          playsInline
          preload="auto"
          className="aspect-video w-full rounded-lg bg-black"
          src={`/api/events/${event.id}/clips/${current}`}
          data-testid="event-video"
          onEnded={() => {
            const next = event.clips.find((c) => c.sequence > current);
            if (next) setSequence(next.sequence);
          }}
          onError={() => {
            setError(t("events.clipMissing"));
            onClipMissing(event.id);
          }}
        />
      ) : null}
      <FormMessage error={error} />
      <ul className="flex flex-wrap gap-x-4 gap-y-2 text-sm">
        {event.clips.map((c) => (
          <li key={c.sequence} className="flex items-center gap-2">
            {event.clips.length > 1 ? (
              <button type="button" className="btn-secondary px-2 py-1" aria-pressed={c.sequence === current} onClick={() => setSequence(c.sequence)}>
                {t("events.playClip", { n: c.sequence })}
              </button>
            ) : null}
            <a className="text-brand-600 hover:underline" href={`/api/events/${event.id}/clips/${c.sequence}?download=1`} download>
              {t("events.downloadClip", { n: c.sequence })}
            </a>
          </li>
        ))}
      </ul>
      {canProtect || canDelete ? (
        <div className="flex flex-wrap items-center gap-3 border-t border-zinc-200 pt-3 dark:border-zinc-800">
          {event.isProtected ? (
            <span className="rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-medium text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200" data-testid="protected-badge">
              {t("events.isProtected")}
            </span>
          ) : null}
          {canProtect ? (
            <button type="button" className="btn-secondary" disabled={busy} onClick={() => setProtected(!event.isProtected)}>
              {event.isProtected ? t("events.unprotect") : t("events.protect")}
            </button>
          ) : null}
          {canDelete ? (
            <button
              type="button"
              className="btn-danger"
              disabled={busy}
              onClick={() => {
                setConfirmError(null);
                setConfirming(true);
              }}
            >
              {t("events.deleteEvent")}
            </button>
          ) : null}
          <p className="w-full text-xs text-zinc-500 dark:text-zinc-400">{t("events.protectedNote")}</p>
        </div>
      ) : null}
      {confirming ? (
        <ConfirmDialog
          id="delete-event"
          title={t("events.deleteEventTitle")}
          confirmLabel={t("events.confirmDelete")}
          cancelLabel={t("events.cancel")}
          busy={busy}
          error={<FormMessage error={confirmError} />}
          onConfirm={remove}
          onCancel={() => setConfirming(false)}
        >
          <p>{t("events.deleteEventConfirm", { camera: cameraLabel, time: when })}</p>
        </ConfirmDialog>
      ) : null}
    </Modal>
  );
}
