"use client";
// The objects detected in an event: its photo (the best detection frame) with each detection's box drawn over it as
// SVG (label and score on the box), and the list of detections. Admins and members can mark one wrong and take that
// back (POST/DELETE /api/events/:id/detections/:detectionId/wrong); a wrong one is drawn dashed and struck through,
// and the camera's recorder suppresses the same detection (label, place) from then on. After a mark the event is read
// again: when every box of a label is wrong the event loses that label (lib/events/detections.ts), and the chips here
// and in the list (onChanged) say so.
import { useEffect, useState } from "react";
import { api, errorMessage } from "@/app/_components/api";
import { FormMessage } from "@/app/_components/fields";
import { groupOf } from "@/lib/detection/labels";
import type { EventDetail, EventDetection, EventSummary } from "@/lib/events/events";
import { useT } from "@/lib/i18n/client";
import { LabelChips, useLabelText } from "./labels";

/** Box colours by group (on a photo: bright, with a dark outline under the text). */
const COLOURS: Record<string, string> = { person: "#f59e0b", animal: "#22c55e", vehicle: "#38bdf8" };
const WRONG_COLOUR = "#d4d4d8";
/** The photo's size until it has loaded (the recorder's photos are 16:9 unless the camera is not). */
const DEFAULT_SIZE = { width: 1280, height: 720 };

export function EventDetections({ event, canCorrect, onChanged }: { event: EventSummary; canCorrect: boolean; onChanged: (e: EventSummary) => void }) {
  const t = useT();
  const text = useLabelText();
  const [detections, setDetections] = useState<EventDetection[] | null>(null);
  const [size, setSize] = useState(DEFAULT_SIZE);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [hasPhoto, setHasPhoto] = useState(event.hasPhoto);

  useEffect(() => {
    let isCurrent = true;
    void api<EventDetail>(`/api/events/${encodeURIComponent(event.id)}`).then((res) => {
      if (isCurrent && res.ok) setDetections(res.data.detections ?? []);
    });
    return () => {
      isCurrent = false;
    };
  }, [event.id]);

  if (event.labels.length === 0 && !detections?.length) return null;

  async function mark(d: EventDetection, isWrong: boolean) {
    setBusy(d.id);
    setError(null);
    const res = await api(`/api/events/${encodeURIComponent(event.id)}/detections/${encodeURIComponent(d.id)}/wrong`, { method: isWrong ? "POST" : "DELETE" });
    if (!res.ok) {
      setBusy(null);
      return setError(errorMessage(res.error, t("common.somethingWentWrong")));
    }
    setDetections((list) => (list ?? []).map((x) => (x.id === d.id ? { ...x, isWrong } : x)));
    // The event's labels may have changed with the mark: read it again (a failed read keeps what is shown).
    const fresh = await api<EventDetail>(`/api/events/${encodeURIComponent(event.id)}`);
    setBusy(null);
    if (fresh.ok) {
      setDetections(fresh.data.detections ?? []);
      onChanged({ ...event, labels: fresh.data.labels, objectCount: fresh.data.objectCount });
    }
  }

  const font = size.width / 48;
  return (
    <section aria-labelledby="detections-title" className="space-y-3 border-t border-zinc-200 pt-3 dark:border-zinc-800" data-testid="event-detections">
      <div className="flex flex-wrap items-center gap-3">
        <h3 id="detections-title" className="font-semibold">
          {t("detection.detections")}
        </h3>
        <LabelChips labels={event.labels} />
        {event.objectCount > 0 ? <span className="text-xs text-zinc-500 dark:text-zinc-400">{t("detection.objectCount", { n: event.objectCount })}</span> : null}
      </div>
      <div className="grid gap-4 md:grid-cols-[3fr_2fr]">
        {hasPhoto ? (
          <figure className="relative w-full overflow-hidden rounded-lg bg-black" style={{ aspectRatio: `${size.width} / ${size.height}` }}>
            {/* eslint-disable-next-line @next/next/no-img-element -- a private, access-checked JPEG from our own route */}
            <img
              src={`/api/events/${event.id}/photo`}
              alt=""
              className="absolute inset-0 h-full w-full"
              data-testid="detection-photo"
              onLoad={(e) => {
                const img = e.currentTarget;
                if (img.naturalWidth && img.naturalHeight) setSize({ width: img.naturalWidth, height: img.naturalHeight });
              }}
              onError={() => setHasPhoto(false)}
            />
            <svg viewBox={`0 0 ${size.width} ${size.height}`} preserveAspectRatio="none" className="absolute inset-0 h-full w-full" role="img" aria-label={t("detection.photoWithBoxes")} data-testid="detection-boxes">
              {(detections ?? []).map((d) => {
                const x = d.box.x1 * size.width;
                const y = d.box.y1 * size.height;
                const w = (d.box.x2 - d.box.x1) * size.width;
                const h = (d.box.y2 - d.box.y1) * size.height;
                const colour = d.isWrong ? WRONG_COLOUR : (COLOURS[groupOf(d.label) ?? ""] ?? COLOURS.person);
                const caption = d.isWrong ? `${text.withScore(d.label, d.score)} · ${t("detection.wrongTag")}` : text.withScore(d.label, d.score);
                // The caption sits above the box, or inside its top edge when the box touches the top of the picture.
                const captionY = y >= font * 1.5 ? y - font * 0.4 : y + font * 1.1;
                const captionWidth = caption.length * font * 0.6 + font * 0.6;
                // Kept inside the picture at its right edge.
                const captionX = Math.max(0, Math.min(x, size.width - captionWidth));
                return (
                  <g key={d.id} data-testid="detection-box" data-label={d.label} data-wrong={d.isWrong ? "true" : "false"}>
                    <rect x={x} y={y} width={w} height={h} fill="none" stroke="#000" strokeOpacity={0.5} strokeWidth={font * 0.3} />
                    <rect x={x} y={y} width={w} height={h} fill="none" stroke={colour} strokeWidth={font * 0.16} strokeDasharray={d.isWrong ? `${font * 0.6} ${font * 0.4}` : undefined} />
                    {d.isWrong ? <line x1={x} y1={y} x2={x + w} y2={y + h} stroke={colour} strokeWidth={font * 0.12} /> : null}
                    <rect x={captionX} y={captionY - font * 1.05} width={captionWidth} height={font * 1.4} rx={font * 0.2} fill="#000" fillOpacity={0.7} />
                    <text x={captionX + font * 0.3} y={captionY} fontSize={font} fontFamily="ui-sans-serif, system-ui, sans-serif" fill={colour} textDecoration={d.isWrong ? "line-through" : undefined}>
                      {caption}
                    </text>
                  </g>
                );
              })}
            </svg>
          </figure>
        ) : null}
        <div className="space-y-2">
          {detections === null ? (
            <p className="text-sm text-zinc-500">{t("events.loading")}</p>
          ) : detections.length === 0 ? (
            <p className="text-sm text-zinc-500 dark:text-zinc-400">{t("detection.noDetections")}</p>
          ) : (
            <ul aria-label={t("detection.detections")} className="space-y-2">
              {detections.map((d) => (
                <li key={d.id} className="rounded-lg border border-zinc-200 p-2 text-sm dark:border-zinc-800" data-testid="detection" data-wrong={d.isWrong ? "true" : "false"}>
                  <div className="flex flex-wrap items-center justify-between gap-2">
                    <span className={d.isWrong ? "text-zinc-500 line-through" : "font-medium"}>{text.withScore(d.label, d.score)}</span>
                    {canCorrect ? (
                      <button type="button" className="btn-secondary px-2 py-1 text-xs" disabled={busy === d.id} onClick={() => void mark(d, !d.isWrong)}>
                        {d.isWrong ? t("detection.undo") : t("detection.markWrong")}
                      </button>
                    ) : null}
                  </div>
                  {d.isWrong ? <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">{t("detection.markedWrong")}</p> : null}
                </li>
              ))}
            </ul>
          )}
          <FormMessage error={error} />
        </div>
      </div>
    </section>
  );
}
