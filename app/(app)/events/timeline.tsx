"use client";
// The day timeline: a window of one day in the member's zone (the whole day down to an hour), one lane per camera,
// each event a bar as long as it lasted, coloured by what was seen (legend), a thumbnail on hover (mouse) or press
// (touch), "now" on today, hour labels that never overlap. Mouse: drag or click to move, ctrl + wheel to zoom.
// Finger: drag, pinch, tap, press. Keyboard: the scrubber is focusable (arrows, Shift + arrows, +/−, Enter). Moving
// past midnight loads the previous or next day (onDay). The arithmetic is lib/events/timeline.ts. Each bar is a button
// named "<camera> at <time>" (": person, car" when objects were detected) that opens the event. A window too busy to
// list (more than detailLimit: 400 events, 2,000 in an hour) comes as density: each lane shaded by how many events
// started in each bucket, a click, tap or Enter zooms in there; once the view settles on a window the answer does not
// serve (answerServes), the page is asked for that window (onWindow), which may then list its events one by one.
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent as ReactPointerEvent } from "react";
import type { TimelineDay, TimelineEvent } from "@/lib/events/events";
import { laneKey } from "@/lib/events/query";
import {
  axisTicks,
  answerServes,
  barAt,
  BAR_KINDS,
  dayBounds,
  densityAt,
  densityCells,
  densityPeak,
  dragView,
  endDrag,
  HOUR_MS,
  hoursInDay,
  isWholeDay,
  labelStepMinutes,
  layoutBars,
  moveCursor,
  neighbourBucket,
  neighbourEvent,
  panView,
  placeLabels,
  scaleView,
  viewOfDay,
  zoomView,
  type Bar,
  type BarKind,
  type Density,
  type TimelineView,
} from "@/lib/events/timeline";
import { addDays, isDay } from "@/lib/time";
import { useT } from "@/lib/i18n/client";
import { useEventFormats } from "./formats";
import { useLabelText } from "./labels";

/** Lane height, px (bars share it in rows). */
const LANE_PX = 32;
/** Height of the axis row (h-5) and of a lane with its name above it (pt-1, a 16 px line, the lane), px. */
const AXIS_PX = 20;
const LANE_BLOCK_PX = 4 + 16 + LANE_PX;
/** A tap or click this close to a bar (px) counts as on it; Enter opens a bar this close to the cursor. */
const NEAR_PX = 8;
/** A pointer that moved this far (px) is a drag, not a tap. */
const DRAG_PX = 6;
/** A touch held this long on a bar (ms) keeps its preview instead of opening it. */
const LONG_PRESS_MS = 450;
/** Preview card width, px (thumbnail 160 × 90 inside). */
const PREVIEW_PX = 176;
/** Quiet time (ms) after the last move before a window the answer does not serve is asked for. */
const SETTLE_MS = 250;
/** Width assumed before the first measurement (server render), px: labels for a narrow phone. */
const FALLBACK_WIDTH_PX = 280;

const KIND_CLASS: Record<BarKind, string> = {
  person: "bg-amber-600",
  vehicle: "bg-sky-600",
  animal: "bg-emerald-600",
  motion: "bg-zinc-500 dark:bg-zinc-400",
};
const PROTECTED_CLASS = "ring-2 ring-inset ring-zinc-900 dark:ring-white";

type Item = TimelineEvent & { lane: string };
type Preview = { bar: Bar<Item>; laneIndex: number; sticky: boolean };
type Gesture =
  | { kind: "press"; pointerId: number; x0: number; view0: TimelineView; moved: boolean; overscroll: number; bar: Bar<Item> | null; timer: number | null }
  | { kind: "pinch"; view0: TimelineView; d0: number; anchor: number };

export function Timeline({
  data,
  today,
  loading,
  onDay,
  onWindow,
  onOpen,
  cameraLabel,
}: {
  data: TimelineDay;
  today: string;
  loading: boolean;
  onDay: (day: string) => void;
  /** Asks for the part [from, to) (epoch ms) of `day`: a busy day's view zoomed in. */
  onWindow: (day: string, from: number, to: number) => void;
  onOpen: (e: TimelineEvent) => void;
  cameraLabel: (e: { cameraId: string | null; cameraName: string }) => string;
}) {
  const t = useT();
  const format = useEventFormats();
  const labelText = useLabelText();
  const tz = data.timeZone;
  const id = useId();
  const hintId = `${id}-hint`;

  // The view: the day it shows (loaded by the page through onDay when it changes), the window and the cursor.
  const [view, setView] = useState<TimelineView>(() => viewOfDay(data.day, tz));
  const [shownDay, setShownDay] = useState(data.day);
  if (shownDay !== data.day) {
    // A day chosen outside (date field, a reload): show it whole, unless the view already went there itself.
    setShownDay(data.day);
    if (view.day !== data.day) setView(viewOfDay(data.day, tz));
  }
  const [now, setNow] = useState<number | null>(null);
  const [width, setWidth] = useState(0);
  const [labelPx, setLabelPx] = useState(60);
  const [focused, setFocused] = useState(false);
  const [cursorMoved, setCursorMoved] = useState(false);
  const [announce, setAnnounce] = useState("");
  const [preview, setPreview] = useState<Preview | null>(null);
  const [failedThumbs, setFailedThumbs] = useState<Set<string>>(() => new Set());
  const trackRef = useRef<HTMLDivElement>(null);
  const axisRef = useRef<HTMLDivElement>(null);
  const gesture = useRef<Gesture | null>(null);
  const pointers = useRef(new Map<number, number>()); // pointerId → clientX
  const suppressClick = useRef(false);

  const update = (next: TimelineView) => {
    setView(next);
    if (next.day !== view.day) {
      setShownDay(next.day);
      onDay(next.day);
    }
  };
  const goDay = (day: string) => {
    setView(viewOfDay(day, tz, day === today ? Date.now() : undefined));
    setShownDay(day);
    onDay(day);
  };

  // The clock for "now" (and the cursor of today's first view), every 30 s.
  useEffect(() => {
    const tick = () => setNow(Date.now());
    const first = window.setTimeout(tick, 0);
    const timer = window.setInterval(tick, 30_000);
    return () => {
      window.clearTimeout(first);
      window.clearInterval(timer);
    };
  }, []);

  // The track's width, and the widest hour label in the member's clock format and the axis' font.
  useEffect(() => {
    const el = trackRef.current;
    if (!el) return;
    const measure = () => setWidth(el.clientWidth);
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  useEffect(() => {
    const axis = axisRef.current;
    const ctx = axis ? document.createElement("canvas").getContext("2d") : null;
    if (!axis || !ctx) return;
    const style = getComputedStyle(axis);
    ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const base = Date.UTC(2026, 0, 1);
    let widest = 0;
    for (let h = 0; h < 24; h++) for (const m of [0, 45]) widest = Math.max(widest, ctx.measureText(format.hour(base + h * HOUR_MS + m * 60_000)).width);
    const timer = window.setTimeout(() => setLabelPx(Math.ceil(widest) + 2), 0);
    return () => window.clearTimeout(timer);
  }, [format]);

  // Ctrl + wheel (and a trackpad's pinch) zooms around the pointer; a sideways wheel moves. Not passive: it must
  // keep the browser from zooming the page.
  const wheelState = useRef({ view, width });
  useEffect(() => {
    wheelState.current = { view, width };
  });
  useEffect(() => {
    const el = trackRef.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      const { view: v, width: w } = wheelState.current;
      if (w <= 0) return;
      const x = e.clientX - el.getBoundingClientRect().left;
      if (e.ctrlKey) {
        e.preventDefault();
        setView((cur) => scaleView(cur, tz, Math.exp(-e.deltaY * 0.01), v.start + (x / w) * v.span));
      } else if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
        e.preventDefault();
        const px = e.shiftKey && !e.deltaX ? e.deltaY : e.deltaX;
        setView((cur) => dragView(cur, tz, (px / w) * cur.span).view);
      }
    };
    el.addEventListener("wheel", onWheel, { passive: false });
    return () => el.removeEventListener("wheel", onWheel);
  }, [tz]);

  // Today opens with the cursor at now (once the clock is known, if the member did not move it yet).
  const placedNow = useRef(false);
  useEffect(() => {
    if (now === null || placedNow.current) return;
    placedNow.current = true;
    if (view.day === today && !cursorMoved && isWholeDay(view, tz)) {
      const timer = window.setTimeout(() => setView((v) => viewOfDay(v.day, tz, Date.now())), 0);
      return () => window.clearTimeout(timer);
    }
  }, [now, view, today, cursorMoved, tz]);

  const w = width || FALLBACK_WIDTH_PX;
  const { from: dayFrom, to: dayTo } = dayBounds(view.day, tz);
  const xOf = (at: number) => ((at - view.start) / view.span) * w;
  const timeAt = (x: number) => view.start + (Math.min(Math.max(x, 0), w - 0.5) / w) * view.span;

  // A busy window's density, as lib/events/timeline.ts draws it (instants as epoch ms).
  const density = useMemo<Density | null>(() => (data.density ? { ...data.density, start: Date.parse(data.density.start) } : null), [data.density]);
  const shownDensity = view.day === data.day ? density : null;
  const busiest = shownDensity ? densityPeak(shownDensity, view.start, view.span) : 0;

  // Once the view rests on a window this answer does not serve (zoomed into a busy day, or out of a listed part of
  // it), ask for that window — unless this answer is the one for it (its buckets may still be coarser than the view's:
  // asking again would only bring the same).
  const serves = answerServes(data, view);
  const askWindow = useRef(onWindow);
  useEffect(() => {
    askWindow.current = onWindow;
  });
  useEffect(() => {
    if (serves || view.day !== data.day) return;
    const from = Math.floor(view.start / 1000) * 1000;
    const to = Math.ceil((view.start + view.span) / 1000) * 1000;
    if (Date.parse(data.window.from) === from && Date.parse(data.window.to) === to) return;
    const timer = window.setTimeout(() => askWindow.current(view.day, from, to), SETTLE_MS);
    return () => window.clearTimeout(timer);
  }, [serves, view.day, view.start, view.span, data.day, data.window.from, data.window.to]);

  const laneOrder = data.lanes.map((l) => l.key);
  const items = useMemo<Item[]>(() => data.events.map((e) => ({ ...e, lane: laneKey(e) })), [data.events]);
  const inView = view.day === data.day ? items : [];
  const bars = layoutBars(inView, view.start, view.span, w, now ?? 0);
  const step = labelStepMinutes(w, view.span, labelPx);
  const labels = width ? placeLabels(axisTicks(view.start, view.start + view.span, tz, step), view.start, view.span, w, labelPx) : [];
  const hours = axisTicks(view.start, view.start + view.span, tz, 60);
  const dayHours = hoursInDay(view.day, tz);
  const underCursor = barAt(bars, laneOrder, xOf(view.cursor), NEAR_PX);

  const nameOf = (e: TimelineEvent) => {
    const marker = t("events.markerLabel", { camera: cameraLabel(e), time: format.time(e.startedAt) });
    return e.labels.length ? t("detection.markerObjects", { marker, labels: e.labels.map(labelText.name).join(", ") }) : marker;
  };
  const say = (v: TimelineView) => {
    const busy = v.day === data.day && density ? densityAt(density, v.cursor) : null;
    if (busy && busy.count > 0) {
      setAnnounce(t("timeline.cursorBusy", { time: format.hour(v.cursor), n: busy.count, from: format.hour(busy.from), to: format.hour(busy.to) }));
      return;
    }
    const hit = barAt(v === view ? bars : layoutBars(v.day === data.day ? items : [], v.start, v.span, w, now ?? 0), laneOrder, ((v.cursor - v.start) / v.span) * w, NEAR_PX);
    setAnnounce(hit ? t("timeline.cursorOn", { time: format.hour(v.cursor), event: nameOf(hit.event) }) : t("timeline.cursorAt", { time: format.hour(v.cursor) }));
  };
  const moveTo = (next: TimelineView) => {
    setCursorMoved(true);
    update(next);
    say(next);
  };
  const open = (e: TimelineEvent) => {
    setPreview(null);
    onOpen(e);
  };

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const stepMs = view.span / 24;
    let next: TimelineView | null = null;
    if (e.key === "ArrowLeft" || e.key === "ArrowRight") {
      const dir = e.key === "ArrowLeft" ? -1 : 1;
      if (e.shiftKey) {
        const at = shownDensity ? neighbourBucket(shownDensity, view.cursor, dir) : neighbourEvent(inView, view.cursor, dir);
        next = at === null ? view : moveCursor(view, tz, at);
      } else next = moveCursor(view, tz, view.cursor + dir * stepMs);
    } else if (e.key === "Home") next = moveCursor(view, tz, dayFrom);
    else if (e.key === "End") next = moveCursor(view, tz, dayTo - 1);
    else if (e.key === "PageUp" || e.key === "PageDown") next = panView(view, tz, (e.key === "PageUp" ? -1 : 1) * view.span);
    else if (e.key === "+" || e.key === "=" || e.key === "Add") next = zoomView(view, tz, 1);
    else if (e.key === "-" || e.key === "_" || e.key === "Subtract") next = zoomView(view, tz, -1);
    else if (e.key === "Enter") {
      e.preventDefault();
      e.stopPropagation();
      if (underCursor) open(underCursor.event);
      else if (shownDensity && view.span > HOUR_MS) moveTo(zoomView(view, tz, 1));
      return;
    } else return;
    // The page's own keys (j/k/Space/r/p/Delete/?) are not among these; these stop here.
    e.preventDefault();
    e.stopPropagation();
    moveTo(next);
  }

  function onPointerDown(e: ReactPointerEvent<HTMLDivElement>) {
    if (e.pointerType === "mouse" && e.button !== 0) return;
    pointers.current.set(e.pointerId, e.clientX);
    const rect = e.currentTarget.getBoundingClientRect();
    if (pointers.current.size === 2) {
      // Pinch: zoom around the middle of the two fingers.
      const [a, b] = [...pointers.current.values()];
      clearPress();
      gesture.current = { kind: "pinch", view0: view, d0: Math.max(Math.abs(a - b), 1), anchor: timeAt((a + b) / 2 - rect.left) };
      return;
    }
    const x = e.clientX - rect.left;
    const barEl = (e.target as HTMLElement).closest<HTMLElement>("[data-event-id]");
    const bar = barEl ? (bars.get(barEl.dataset.lane ?? "")?.bars.find((b) => b.event.id === barEl.dataset.eventId) ?? null) : null;
    let timer: number | null = null;
    if (bar && e.pointerType !== "mouse") {
      // A finger on a bar shows its thumbnail at once; held, the preview stays and the release does not open it.
      setPreview({ bar, laneIndex: laneOrder.indexOf(bar.event.lane), sticky: false });
      timer = window.setTimeout(() => {
        suppressClick.current = true;
        setPreview((p) => (p ? { ...p, sticky: true } : p));
      }, LONG_PRESS_MS);
    } else if (e.pointerType !== "mouse") setPreview(null);
    suppressClick.current = false;
    gesture.current = { kind: "press", pointerId: e.pointerId, x0: x, view0: view, moved: false, overscroll: 0, bar, timer };
  }

  function clearPress() {
    const g = gesture.current;
    if (g?.kind === "press" && g.timer !== null) window.clearTimeout(g.timer);
  }

  function onPointerMove(e: ReactPointerEvent<HTMLDivElement>) {
    const g = gesture.current;
    const rect = e.currentTarget.getBoundingClientRect();
    if (pointers.current.has(e.pointerId)) pointers.current.set(e.pointerId, e.clientX);
    if (g?.kind === "pinch" && pointers.current.size >= 2) {
      const [a, b] = [...pointers.current.values()];
      setView(scaleView(g.view0, tz, Math.max(Math.abs(a - b), 1) / g.d0, g.anchor));
      return;
    }
    if (g?.kind !== "press" || g.pointerId !== e.pointerId) return;
    const dx = e.clientX - rect.left - g.x0;
    if (!g.moved && Math.abs(dx) < DRAG_PX) return;
    if (!g.moved) {
      g.moved = true;
      clearPress();
      setPreview(null);
      e.currentTarget.setPointerCapture(e.pointerId);
    }
    const dragged = dragView(g.view0, tz, (-dx / w) * g.view0.span);
    g.overscroll = dragged.overscroll;
    setView(dragged.view);
  }

  function onPointerUp(e: ReactPointerEvent<HTMLDivElement>) {
    pointers.current.delete(e.pointerId);
    const g = gesture.current;
    if (g?.kind === "pinch") {
      if (pointers.current.size === 0) gesture.current = null;
      suppressClick.current = true;
      return;
    }
    if (g?.kind !== "press" || g.pointerId !== e.pointerId) return;
    clearPress();
    gesture.current = null;
    if (g.moved) {
      suppressClick.current = true;
      const next = endDrag(view, tz, g.overscroll);
      if (next !== view) update(next);
      return;
    }
    if (!g.bar && e.type === "pointerup") {
      // A click or tap beside the bars puts the cursor there (and shows the event next to it, if any); on a busy
      // window's density it zooms in there.
      const x = e.clientX - e.currentTarget.getBoundingClientRect().left;
      const next = moveCursor(view, tz, timeAt(x));
      if (shownDensity && view.span > HOUR_MS && (e.target as HTMLElement).closest("[data-density-lane]")) {
        moveTo(zoomView(next, tz, 1, timeAt(x)));
        return;
      }
      setCursorMoved(true);
      setView(next);
      const near = barAt(bars, laneOrder, x, NEAR_PX);
      if (near && e.pointerType !== "mouse") setPreview({ bar: near, laneIndex: laneOrder.indexOf(near.event.lane), sticky: true });
    }
  }

  const previewBar = preview?.bar ?? (focused && underCursor ? underCursor : null);
  const previewLane = preview ? preview.laneIndex : underCursor ? laneOrder.indexOf(underCursor.event.lane) : 0;
  const zoomed = !isWholeDay(view, tz);
  const nowX = now !== null && now >= view.start && now < view.start + view.span ? xOf(now) : null;

  return (
    <section className="card space-y-3" aria-labelledby="timeline-title" aria-busy={loading}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="timeline-title" className="text-lg font-semibold">
          {t("events.timeline")}
        </h2>
        <div className="flex flex-wrap items-center gap-2">
          <button type="button" className="btn-secondary min-h-11 px-3 py-1" onClick={() => goDay(addDays(view.day, -1))}>
            <span aria-hidden>‹</span>
            <span className="sr-only sm:not-sr-only sm:ml-1">{t("events.previousDay")}</span>
          </button>
          <label className="sr-only" htmlFor="timeline-day">
            {t("events.day")}
          </label>
          <input
            id="timeline-day"
            type="date"
            className="input w-auto py-1"
            value={view.day}
            max={today}
            onChange={(e) => {
              if (isDay(e.target.value)) goDay(e.target.value);
            }}
          />
          <button type="button" className="btn-secondary min-h-11 px-3 py-1" onClick={() => goDay(addDays(view.day, 1))}>
            <span className="sr-only sm:not-sr-only sm:mr-1">{t("events.nextDay")}</span>
            <span aria-hidden>›</span>
          </button>
          {view.day !== today ? (
            <button type="button" className="btn-secondary min-h-11 px-3 py-1" onClick={() => goDay(today)}>
              {t("events.today")}
            </button>
          ) : null}
        </div>
      </div>
      <div className="text-sm text-zinc-600 dark:text-zinc-400">
        <p data-testid="timeline-day">{format.day((dayFrom + dayTo) / 2)}</p>
        {dayHours !== 24 ? (
          <p className="text-amber-800 dark:text-amber-300" data-testid="timeline-dst" data-hours={dayHours}>
            {dayHours < 24 ? t("timeline.shortDay") : t("timeline.longDay")}
          </p>
        ) : null}
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <button type="button" className="btn-secondary min-h-11 min-w-11 px-2 py-1 text-lg leading-none" aria-label={t("timeline.zoomOut")} aria-keyshortcuts="-" disabled={!zoomed} onClick={() => update(zoomView(view, tz, -1))}>
          <span aria-hidden>−</span>
        </button>
        <button type="button" className="btn-secondary min-h-11 min-w-11 px-2 py-1 text-lg leading-none" aria-label={t("timeline.zoomIn")} aria-keyshortcuts="+" disabled={view.span <= HOUR_MS} onClick={() => update(zoomView(view, tz, 1))}>
          <span aria-hidden>+</span>
        </button>
        <button type="button" className="btn-secondary min-h-11 min-w-11 px-2 py-1" aria-label={t("timeline.earlier")} aria-keyshortcuts="PageUp" onClick={() => update(panView(view, tz, -view.span / 2))}>
          <span aria-hidden>‹‹</span>
        </button>
        <button type="button" className="btn-secondary min-h-11 min-w-11 px-2 py-1" aria-label={t("timeline.later")} aria-keyshortcuts="PageDown" onClick={() => update(panView(view, tz, view.span / 2))}>
          <span aria-hidden>››</span>
        </button>
        {zoomed ? (
          <button type="button" className="btn-secondary min-h-11 px-3 py-1 text-sm" onClick={() => update(viewOfDay(view.day, tz))}>
            {t("timeline.wholeDay")}
          </button>
        ) : null}
        <p className="text-xs text-zinc-600 tabular-nums dark:text-zinc-400" data-testid="timeline-span" data-start={new Date(view.start).toISOString()} data-span-ms={view.span}>
          {zoomed ? t("timeline.showing", { from: format.hour(view.start), to: format.hour(view.start + view.span) }) : null}
        </p>
      </div>

      <div
        ref={trackRef}
        role="group"
        tabIndex={0}
        aria-label={t("timeline.scrubber")}
        aria-describedby={hintId}
        aria-activedescendant={focused && underCursor ? `${id}-${underCursor.event.id}` : undefined}
        data-testid="timeline-track"
        data-cursor={new Date(view.cursor).toISOString()}
        className="relative touch-pan-y select-none rounded focus-visible:outline-2 focus-visible:outline-offset-4 focus-visible:outline-brand-500"
        onKeyDown={onKeyDown}
        onFocus={() => setFocused(true)}
        onBlur={() => setFocused(false)}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
        onPointerLeave={(e) => {
          if (e.pointerType === "mouse") setPreview((p) => (p?.sticky ? p : null));
        }}
      >
        <div ref={axisRef} className="relative h-5 overflow-hidden text-xs text-zinc-600 dark:text-zinc-400" aria-hidden data-testid="timeline-axis">
          {labels.map((l) => (
            <span key={l.tick.at} className="absolute top-0 whitespace-nowrap tabular-nums" style={{ left: l.left }} data-testid="timeline-hour-label">
              {format.hour(l.tick.at)}
            </span>
          ))}
        </div>
        <div className="relative">
          {/* Hour lines behind the lanes: one per real hour (23 or 25 on DST days). */}
          <div className="pointer-events-none absolute inset-0" aria-hidden>
            {hours.map((h) => (
              <span key={h.at} data-testid="timeline-hour" data-hour={h.hour} className={`absolute top-0 bottom-0 border-l ${labels.some((l) => l.tick.at === h.at) ? "border-zinc-300 dark:border-zinc-600" : "border-zinc-200 dark:border-zinc-800"}`} style={{ left: xOf(h.at) }} />
            ))}
          </div>
          {data.lanes.map((lane) => {
            const name = cameraLabel(lane);
            const laneBars = bars.get(lane.key);
            const rows = laneBars?.rows ?? 1;
            const rowPx = (LANE_PX - 4) / rows;
            return (
              <div key={lane.key} className="relative pt-1" data-testid="timeline-lane">
                <div className="truncate text-xs leading-4 font-medium text-zinc-700 dark:text-zinc-300" title={name}>
                  {name}
                </div>
                {shownDensity ? (
                  <div aria-hidden data-density-lane className={`relative overflow-hidden ${view.span > HOUR_MS ? "cursor-zoom-in" : ""} rounded bg-zinc-100/80 dark:bg-zinc-800/80`} style={{ height: LANE_PX }} data-testid="timeline-density-lane" data-lane={lane.key}>
                    {densityCells(shownDensity, lane.key, view.start, view.span, w, busiest).map((c) => (
                      <span
                        key={c.index}
                        className="absolute top-0.5 bottom-0.5 rounded-sm bg-brand-600 dark:bg-brand-400"
                        style={{ left: c.left, width: c.width, opacity: 0.2 + 0.8 * c.shade }}
                        title={t("timeline.busyCell", { n: c.count, from: format.hour(c.at), to: format.hour(c.at + shownDensity.bucketMs) })}
                        data-testid="timeline-density"
                        data-count={c.count}
                        data-at={new Date(c.at).toISOString()}
                      />
                    ))}
                  </div>
                ) : (
                  <ul aria-label={name} className="relative rounded bg-zinc-100/80 dark:bg-zinc-800/80" style={{ height: LANE_PX }}>
                    {(laneBars?.bars ?? []).map((bar) => {
                      const e = bar.event;
                      const label = nameOf(e);
                      return (
                        <li key={e.id} className="absolute" style={{ left: bar.left, width: bar.width, top: 2 + bar.row * rowPx, height: rowPx - (rows > 1 ? 1 : 0) }}>
                          <button
                            type="button"
                            id={`${id}-${e.id}`}
                            tabIndex={-1}
                            aria-label={label}
                            data-testid="timeline-marker"
                            data-event-id={e.id}
                            data-lane={lane.key}
                            data-kind={bar.kind}
                            data-labels={e.labels.join(" ") || undefined}
                            className={`block h-full w-full rounded-sm hover:brightness-110 ${KIND_CLASS[bar.kind]} ${e.isProtected ? PROTECTED_CLASS : ""} ${underCursor?.event.id === e.id && focused ? "outline-2 outline-offset-1 outline-brand-500" : ""}`}
                            onPointerEnter={(pe) => {
                              if (pe.pointerType === "mouse" && !gesture.current) setPreview({ bar, laneIndex: laneOrder.indexOf(lane.key), sticky: false });
                            }}
                            onPointerLeave={(pe) => {
                              if (pe.pointerType === "mouse") setPreview(null);
                            }}
                            onContextMenu={(ce) => ce.preventDefault()}
                            onClick={() => {
                              if (suppressClick.current) {
                                suppressClick.current = false;
                                return;
                              }
                              open(e);
                            }}
                          />
                        </li>
                      );
                    })}
                  </ul>
                )}
              </div>
            );
          })}
          {nowX !== null ? (
            <div className="pointer-events-none absolute top-0 bottom-0 w-0.5 -translate-x-1/2 bg-red-600" style={{ left: nowX }} aria-hidden data-testid="timeline-now" title={t("timeline.now")}>
              <span className="absolute -top-1 left-1/2 h-2 w-2 -translate-x-1/2 rotate-45 bg-red-600" />
            </div>
          ) : null}
          {focused || cursorMoved ? (
            <div className="pointer-events-none absolute top-0 bottom-0 w-0.5 -translate-x-1/2 bg-brand-600 dark:bg-brand-400" style={{ left: xOf(view.cursor) }} aria-hidden data-testid="timeline-cursor" />
          ) : null}
        </div>
        {previewBar ? (
          <PreviewCard
            event={previewBar.event}
            camera={cameraLabel(previewBar.event)}
            left={Math.min(Math.max(previewBar.left + previewBar.width / 2 - PREVIEW_PX / 2, 0), Math.max(0, w - PREVIEW_PX))}
            top={AXIS_PX + previewLane * LANE_BLOCK_PX + 4 + 16 - 4}
            thumbFailed={failedThumbs.has(previewBar.event.id)}
            onThumbError={() => setFailedThumbs((s) => new Set(s).add(previewBar.event.id))}
          />
        ) : null}
      </div>
      <p id={hintId} className="hidden text-xs text-zinc-600 sm:block dark:text-zinc-400">
        {t("timeline.keysHint")}
      </p>
      <p className="sr-only" aria-live="polite" data-testid="timeline-announce">
        {announce}
      </p>
      <ul aria-label={t("timeline.legend")} className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-zinc-700 dark:text-zinc-300" data-testid="timeline-legend">
        {BAR_KINDS.map((k) => (
          <li key={k} className="flex items-center gap-1.5">
            <span aria-hidden className={`inline-block h-3 w-4 rounded-sm ${KIND_CLASS[k]}`} />
            {k === "motion" ? t("timeline.motion") : t(`detection.group.${k}`)}
          </li>
        ))}
        <li className="flex items-center gap-1.5">
          <span aria-hidden className={`inline-block h-3 w-4 rounded-sm bg-zinc-300 dark:bg-zinc-600 ${PROTECTED_CLASS}`} />
          {t("timeline.protected")}
        </li>
      </ul>
      {data.density ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="timeline-busy" data-total={data.density.total}>
          {t("timeline.busy", { n: data.density.total })}
        </p>
      ) : data.events.length === 0 && !loading && data.window.from === data.from && data.window.to === data.to ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">{t("events.noEventsThatDay")}</p>
      ) : null}
    </section>
  );
}

/** The card over the timeline for one event (above its lane, `top` is its bottom): thumbnail, camera, time, length, objects. */
function PreviewCard({ event, camera, left, top, thumbFailed, onThumbError }: { event: TimelineEvent; camera: string; left: number; top: number; thumbFailed: boolean; onThumbError: () => void }) {
  const t = useT();
  const format = useEventFormats();
  const labelText = useLabelText();
  const seconds = event.endedAt ? Math.round((Date.parse(event.endedAt) - Date.parse(event.startedAt)) / 1000) : null;
  return (
    <div className="pointer-events-none absolute z-20 -translate-y-full rounded-md border border-zinc-200 bg-white p-1.5 text-xs shadow-lg dark:border-zinc-700 dark:bg-zinc-900" style={{ left, top, width: PREVIEW_PX }} data-testid="timeline-preview" data-event-id={event.id}>
      {event.hasPhoto && !thumbFailed ? (
        // eslint-disable-next-line @next/next/no-img-element -- an authenticated API image, not a static asset
        <img src={`/api/events/${encodeURIComponent(event.id)}/photo?size=thumb`} alt={t("events.photoOf", { camera, time: format.time(event.startedAt) })} width={160} height={90} className="aspect-video w-full rounded-sm bg-zinc-200 object-cover dark:bg-zinc-800" onError={onThumbError} data-testid="timeline-thumb" />
      ) : (
        <div className="flex aspect-video w-full items-center justify-center rounded-sm bg-zinc-200 text-zinc-600 dark:bg-zinc-800 dark:text-zinc-400">{t("events.noPhoto")}</div>
      )}
      <p className="mt-1 truncate font-medium">{camera}</p>
      <p className="tabular-nums">
        {format.time(event.startedAt)} · {seconds === null ? t("events.recording") : t("events.seconds", { seconds })}
      </p>
      {event.labels.length ? <p className="truncate">{event.labels.map(labelText.name).join(", ")}</p> : null}
    </div>
  );
}
