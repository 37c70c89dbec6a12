"use client";
// Events newest first, with photo, camera, time and length; a click plays the clips. (Filters, timeline,
// protect and delete come with the events issue.)
import { useState } from "react";
import { api } from "@/app/_components/api";
import { useFormat, useT } from "@/lib/i18n/client";

type Event = { id: string; cameraId: string | null; cameraName: string; startedAt: string; endedAt: string | null; clips: { sequence: number; durationMs: number }[]; hasPhoto: boolean };
type Page = { events: Event[]; nextBefore: string | null };

export function EventList({ initial }: { initial: Page }) {
  const t = useT();
  const format = useFormat();
  const [events, setEvents] = useState(initial.events);
  const [next, setNext] = useState(initial.nextBefore);
  const [open, setOpen] = useState<Event | null>(null);

  const camera = (e: Event) => (e.cameraId ? e.cameraName : t("events.deletedCamera", { camera: e.cameraName }));
  const seconds = (e: Event) => Math.round(e.clips.reduce((s, c) => s + c.durationMs, 0) / 1000);

  return (
    <div className="space-y-4">
      <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3" aria-label={t("events.title")}>
        {events.map((e) => (
          <li key={e.id} className="card overflow-hidden p-0" data-testid="event">
            <button type="button" className="block w-full text-left" onClick={() => setOpen(e)} aria-label={t("events.photoOf", { camera: camera(e), time: format.dateTime(e.startedAt) })}>
              {e.hasPhoto ? (
                // eslint-disable-next-line @next/next/no-img-element -- a private, access-checked JPEG from our own route
                <img src={`/api/events/${e.id}/photo?size=thumb`} alt="" className="aspect-video w-full bg-zinc-200 object-cover dark:bg-zinc-800" data-testid="event-photo" />
              ) : (
                <div className="flex aspect-video w-full items-center justify-center bg-zinc-200 text-sm text-zinc-500 dark:bg-zinc-800">{t("events.noPhoto")}</div>
              )}
              <div className="space-y-1 p-4">
                <div className="font-medium">{camera(e)}</div>
                <div className="text-sm text-zinc-600 dark:text-zinc-400">
                  <time dateTime={e.startedAt}>{format.dateTime(e.startedAt)}</time> · {e.endedAt ? t("events.seconds", { seconds: seconds(e) }) : t("events.recording")}
                </div>
              </div>
            </button>
          </li>
        ))}
      </ul>
      {next ? (
        <button
          type="button"
          className="btn-secondary"
          onClick={async () => {
            const res = await api<Page>(`/api/events?before=${encodeURIComponent(next)}`);
            if (!res.ok) return;
            setEvents((list) => [...list, ...res.data.events]);
            setNext(res.data.nextBefore);
          }}
        >
          {t("events.loadMore")}
        </button>
      ) : null}
      {open ? (
        <div role="dialog" aria-modal="true" aria-label={camera(open)} className="fixed inset-0 z-50 flex items-center justify-center bg-black/70 p-4" onClick={() => setOpen(null)}>
          <div className="card w-full max-w-4xl space-y-3" onClick={(ev) => ev.stopPropagation()}>
            <div className="flex items-center justify-between">
              <h2 className="font-semibold">
                {camera(open)} · {format.dateTime(open.startedAt)}
              </h2>
              <button type="button" className="btn-secondary px-3 py-1" onClick={() => setOpen(null)}>
                {t("events.close")}
              </button>
            </div>
            {open.clips.map((c) => (
              <div key={c.sequence} className="space-y-1">
                <video controls autoPlay={c.sequence === 1} preload="metadata" className="w-full rounded-lg bg-black" src={`/api/events/${open.id}/clips/${c.sequence}`} data-testid="event-video" />
                <div className="flex justify-between text-sm">
                  <span>{t("events.clip", { n: c.sequence })}</span>
                  <a className="text-brand-600 hover:underline" href={`/api/events/${open.id}/clips/${c.sequence}?download=1`}>
                    {t("events.download")}
                  </a>
                </div>
              </div>
            ))}
          </div>
        </div>
      ) : null}
    </div>
  );
}
