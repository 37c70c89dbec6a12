"use client";
// The day timeline: one lane per camera, a marker per event at its start (as wide as it lasted), on a day in the
// member's time zone (23 or 25 hours on DST change days: positions come from the real instants). Each marker is a
// button named "<camera> at <time>" (": person, car" when objects were detected; such markers are ringed) that opens
// the event.
import type { TimelineDay, TimelineEvent } from "@/lib/events/events";
import { laneKey } from "@/lib/events/query";
import { addDays, isDay, zonedTimeToInstant } from "@/lib/time";
import { useT } from "@/lib/i18n/client";
import { useEventFormats } from "./formats";
import { useLabelText } from "./labels";

/** Hours between the tick marks of the time axis. */
const TICK_HOURS = 3;
/** Narrowest marker, % of the day (about 7 minutes): short events stay visible and clickable. */
const MIN_MARKER_PERCENT = 0.5;

export function Timeline({
  data,
  today,
  loading,
  onDay,
  onOpen,
  cameraLabel,
}: {
  data: TimelineDay;
  today: string;
  loading: boolean;
  onDay: (day: string) => void;
  onOpen: (e: TimelineEvent) => void;
  cameraLabel: (e: { cameraId: string | null; cameraName: string }) => string;
}) {
  const t = useT();
  const format = useEventFormats();
  const labelText = useLabelText();
  const from = Date.parse(data.from);
  const span = Date.parse(data.to) - from;
  const percent = (ms: number) => Math.min(100, Math.max(0, ((ms - from) / span) * 100));
  const [y, m, d] = data.day.split("-").map(Number);
  const ticks: { at: number; label: string }[] = [];
  for (let hour = 0; hour < 24; hour += TICK_HOURS) {
    const at = zonedTimeToInstant({ year: y, month: m, day: d, hour }, data.timeZone).getTime();
    ticks.push({ at, label: format.hour(at) });
  }
  const byLane = new Map<string, TimelineEvent[]>();
  for (const e of data.events) {
    const key = laneKey(e);
    byLane.set(key, [...(byLane.get(key) ?? []), e]);
  }

  return (
    <section className="card space-y-3" aria-labelledby="timeline-title" aria-busy={loading}>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 id="timeline-title" className="text-lg font-semibold">
          {t("events.timeline")}
        </h2>
        <div className="flex flex-wrap items-center gap-2">
          <button type="button" className="btn-secondary px-3 py-1" onClick={() => onDay(addDays(data.day, -1))}>
            <span aria-hidden>‹ </span>
            {t("events.previousDay")}
          </button>
          <label className="sr-only" htmlFor="timeline-day">
            {t("events.day")}
          </label>
          <input
            id="timeline-day"
            type="date"
            className="input w-auto py-1"
            value={data.day}
            max={today}
            onChange={(e) => {
              if (isDay(e.target.value)) onDay(e.target.value);
            }}
          />
          <button type="button" className="btn-secondary px-3 py-1" onClick={() => onDay(addDays(data.day, 1))}>
            {t("events.nextDay")}
            <span aria-hidden> ›</span>
          </button>
          {data.day !== today ? (
            <button type="button" className="btn-secondary px-3 py-1" onClick={() => onDay(today)}>
              {t("events.today")}
            </button>
          ) : null}
        </div>
      </div>
      <p className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="timeline-day">
        {format.day(from + span / 2)}
      </p>
      <div className="space-y-1">
        <div className="relative ml-32 h-5 text-xs text-zinc-500" aria-hidden>
          {ticks.map((tick) => (
            <span key={tick.at} className="absolute -translate-x-1/2 first:translate-x-0" style={{ left: `${percent(tick.at)}%` }}>
              {tick.label}
            </span>
          ))}
        </div>
        {data.lanes.map((lane) => {
          const events = byLane.get(lane.key) ?? [];
          const name = cameraLabel(lane);
          return (
            <div key={lane.key} className="flex items-center gap-2" data-testid="timeline-lane">
              <div className="w-30 shrink-0 truncate text-sm font-medium" title={name}>
                {name}
              </div>
              <ul aria-label={name} className="relative h-8 flex-1 rounded bg-zinc-100 dark:bg-zinc-800">
                {ticks.map((tick) => (
                  <li key={tick.at} aria-hidden className="absolute top-0 h-full border-l border-zinc-300 dark:border-zinc-700" style={{ left: `${percent(tick.at)}%` }} />
                ))}
                {events.map((e) => {
                  const start = Date.parse(e.startedAt);
                  const end = e.endedAt ? Date.parse(e.endedAt) : start;
                  const left = percent(start);
                  const width = Math.max(MIN_MARKER_PERCENT, percent(end) - left);
                  const marker = t("events.markerLabel", { camera: name, time: format.time(e.startedAt) });
                  const label = e.labels.length ? t("detection.markerObjects", { marker, labels: e.labels.map(labelText.name).join(", ") }) : marker;
                  return (
                    <li key={e.id} className="absolute top-1 bottom-1" style={{ left: `${Math.min(left, 100 - width)}%`, width: `${width}%` }}>
                      <button
                        type="button"
                        aria-label={label}
                        title={label}
                        data-testid="timeline-marker"
                        data-labels={e.labels.join(" ") || undefined}
                        className={`h-full w-full rounded-sm focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-brand-500 ${e.isProtected ? "bg-emerald-600 hover:bg-emerald-700" : "bg-brand-500 hover:bg-brand-700"} ${e.labels.length ? "ring-2 ring-amber-400 ring-inset" : ""}`}
                        onClick={() => onOpen(e)}
                      />
                    </li>
                  );
                })}
              </ul>
            </div>
          );
        })}
      </div>
      {data.events.length === 0 ? <p className="text-sm text-zinc-500 dark:text-zinc-400">{t("events.noEventsThatDay")}</p> : null}
      {data.isTruncated ? <p className="text-sm text-amber-700 dark:text-amber-400">{t("events.truncated", { n: data.events.length })}</p> : null}
    </section>
  );
}
