"use client";
// The Events page's state: the list (keyset pages), the timeline day, the player, and what changes them (protect,
// delete, bulk delete), so that list and timeline always agree. Order, phone first: the timeline, the bar with the
// tabs and the Filters disclosure (folded on a phone, open from 1024 px), the filters, the list. (Deleting a time range
// is on the camera's page.)
import Link from "@/app/_components/link";
import { useRouter } from "next/navigation";
import { useCallback, useRef, useState } from "react";
import { api, errorMessage } from "@/app/_components/api";
import { EmptyState } from "@/app/_components/page-header";
import type { EventPage, EventSummary, TimelineDay, TimelineEvent } from "@/lib/events/events";
import { filterQueryString, laneKey, type FilterQuery } from "@/lib/events/query";
import { countsWithout } from "@/lib/events/timeline";
import { useT } from "@/lib/i18n/client";
import { EventFilters, FiltersToggle, useFiltersOpen } from "./event-filters";
import { EventList } from "./event-list";
import { EventPlayer } from "./event-player";
import { ConfirmDialog } from "./modal";
import { isTyping, ShortcutsHelp, useKeys } from "./shortcuts";
import { Timeline } from "./timeline";

export type EventsViewProps = {
  query: FilterQuery;
  filterError: string | null;
  cameras: { id: string; name: string }[];
  initialPage: EventPage;
  initialTimeline: TimelineDay;
  /** Events this member has still to review (capped: REVIEW_COUNT_CAP), for the tab. */
  toReview: number;
  /** Today in the member's zone, when the page was rendered. */
  today: string;
  can: { protect: boolean; delete: boolean; correctDetections: boolean };
};

export function EventsView({ query, filterError, cameras, initialPage, initialTimeline, toReview, today, can }: EventsViewProps) {
  const t = useT();
  const router = useRouter();
  const reviewing = query.show !== "all";
  const [markingAll, setMarkingAll] = useState(false);
  const [markAllError, setMarkAllError] = useState<string | null>(null);
  const [page, setPage] = useState(initialPage);
  const [timeline, setTimeline] = useState(initialTimeline);
  const [timelineLoading, setTimelineLoading] = useState(false);
  const [open, setOpen] = useState<EventSummary | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const filters = useFiltersOpen(!!filterError);
  const filtered = query.camera.length > 0 || !!query.from || !!query.to || !!query.protected || query.label.length > 0;
  /** The list's filters as a query string (the timeline has its own day; dates do not apply to it). */
  const listQuery = filterQueryString({ camera: query.camera, from: query.from, to: query.to, protected: query.protected, label: query.label, show: reviewing ? "review" : "all" });
  /** The same filters in the other view (the tabs). */
  const viewHref = (show: "review" | "all") => `/events${filterQueryString({ ...query, day: "", show: show === "review" ? "" : "all" })}`;
  const cameraLabel = useCallback((e: { cameraId: string | null; cameraName: string }) => (e.cameraId ? e.cameraName : t("events.deletedCamera", { camera: e.cameraName })), [t]);

  const [helpOpen, setHelpOpen] = useState(false);
  // Page keys (the player has its own: play/pause, reviewed, protect, delete): j/k open the next/previous event of the
  // list (from the one open, else from the top), ? shows the shortcuts.
  useKeys((e) => {
    if (isTyping(e) || markingAll) return;
    if (e.key === "?") {
      e.preventDefault();
      setHelpOpen(true);
      return;
    }
    if (helpOpen || (e.key !== "j" && e.key !== "k")) return;
    openNeighbour(e.key === "j" ? 1 : -1);
  });
  /** Opens the next (1, as j does; also when a played event ended and the member wants the next) or previous event. */
  function openNeighbour(direction: 1 | -1) {
    const list = page.events;
    if (!list.length) return;
    const at = open ? list.findIndex((x) => x.id === open.id) : -1;
    const next = direction === 1 ? (at < 0 ? 0 : Math.min(at + 1, list.length - 1)) : at < 0 ? 0 : Math.max(at - 1, 0);
    if (list[next].id !== open?.id) setOpen(list[next]);
  }

  /** The latest timeline request: an answer to an older one (the member moved on) is dropped. */
  const timelineAsk = useRef(0);
  /** Loads a day of the timeline, or the part [from, to) (epoch ms) of it that a zoomed-in view of a busy day shows. */
  async function loadTimeline(day: string, part?: { from: number; to: number }) {
    const ask = ++timelineAsk.current;
    setTimelineLoading(true);
    const qs = filterQueryString({ camera: query.camera, protected: query.protected, label: query.label, day });
    const range = part ? `&from=${new Date(part.from).toISOString()}&to=${new Date(part.to).toISOString()}` : "";
    const res = await api<TimelineDay>(`/api/events/timeline${qs}${qs ? "&" : "?"}tz=${encodeURIComponent(timeline.timeZone)}${range}`);
    if (ask !== timelineAsk.current) return;
    setTimelineLoading(false);
    if (!res.ok) return;
    setTimeline(res.data);
    if (part) return;
    // Keep the day in the address bar, so a reload shows the same day (Next keeps its router in step).
    const url = new URL(window.location.href);
    url.searchParams.set("day", day);
    window.history.replaceState(null, "", url);
  }

  function removeEvents(ids: string[]) {
    const gone = new Set(ids);
    // A busy day's density loses them too (the list knows where and when they started).
    const counted = page.events.filter((e) => gone.has(e.id)).map((e) => ({ lane: laneKey(e), at: Date.parse(e.startedAt) }));
    setPage((p) => ({ ...p, events: p.events.filter((e) => !gone.has(e.id)) }));
    setTimeline((d) => ({
      ...d,
      events: d.events.filter((e) => !gone.has(e.id)),
      density: d.density && counted.length ? { ...d.density, ...countsWithout(d.density, { start: Date.parse(d.density.start), from: Date.parse(d.window.from), to: Date.parse(d.window.to) }, counted) } : d.density,
    }));
  }

  /** Events marked reviewed or not: in the queue they leave (or stay), in "all" their mark changes; the tab's count follows. */
  function markedReviewed(ids: string[], reviewed: boolean) {
    const changed = new Set(ids);
    if (reviewing && reviewed) removeFromList(ids);
    else setPage((p) => ({ ...p, events: p.events.map((e) => (changed.has(e.id) ? { ...e, reviewed } : e)) }));
    setOpen((o) => (o && changed.has(o.id) ? { ...o, reviewed } : o));
    router.refresh();
  }

  function removeFromList(ids: string[]) {
    const gone = new Set(ids);
    setPage((p) => ({ ...p, events: p.events.filter((e) => !gone.has(e.id)) }));
  }

  async function markAll() {
    setMarkAllError(null);
    const res = await api<{ upTo: string }>("/api/events/review/all", { method: "POST" });
    if (!res.ok) return setMarkAllError(errorMessage(res.error, t("common.somethingWentWrong")));
    setMarkingAll(false);
    setNotice(t("events.allReviewed"));
    if (reviewing) setPage({ events: [], nextBefore: null });
    else setPage((p) => ({ ...p, events: p.events.map((e) => (new Date(e.startedAt).getTime() <= new Date(res.data.upTo).getTime() ? { ...e, reviewed: true } : e)) }));
    router.refresh();
  }

  function replaceEvent(e: EventSummary) {
    setPage((p) => ({ ...p, events: p.events.map((x) => (x.id === e.id ? e : x)) }));
    setTimeline((d) => ({ ...d, events: d.events.map((x) => (x.id === e.id ? { ...x, isProtected: e.isProtected, labels: e.labels.map((l) => l.label) } : x)) }));
    setOpen((o) => (o && o.id === e.id ? e : o));
  }

  /** Fetches one event afresh: for a timeline marker, and after a clip failed to load (the server may have cleaned up). */
  async function refreshEvent(id: string, openIt: boolean) {
    const res = await api<EventSummary>(`/api/events/${encodeURIComponent(id)}`);
    if (res.ok) {
      replaceEvent(res.data);
      if (openIt) setOpen(res.data);
      return;
    }
    if (res.status === 404) {
      removeEvents([id]);
      setNotice(t("events.eventGone"));
    }
  }

  async function loadMore() {
    if (!page.nextBefore) return;
    const res = await api<EventPage>(`/api/events${listQuery}${listQuery ? "&" : "?"}before=${encodeURIComponent(page.nextBefore)}`);
    if (!res.ok) return;
    const have = new Set(page.events.map((e) => e.id));
    setPage({ events: [...page.events, ...res.data.events.filter((e) => !have.has(e.id))], nextBefore: res.data.nextBefore });
  }

  return (
    <div className="space-y-4 lg:space-y-6">
      <Timeline data={timeline} today={today} loading={timelineLoading} onDay={loadTimeline} onWindow={(day, from, to) => void loadTimeline(day, { from, to })} onOpen={(e: TimelineEvent) => void refreshEvent(e.id, true)} cameraLabel={cameraLabel} />
      <div className="flex flex-wrap items-center gap-2">
        <nav aria-label={t("events.showLabel")} className="mr-auto">
          <ul className="flex gap-1">
            <li>
              <Link href={viewHref("review")} aria-current={reviewing ? "page" : undefined} className={`flex min-h-11 items-center rounded-md px-3 py-1.5 text-sm font-medium lg:min-h-0 ${reviewing ? "bg-brand-50 text-brand-700 dark:bg-zinc-800 dark:text-white" : "text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"}`}>
                {t("events.showToReview")}
                <span className="ml-1.5 tabular-nums" data-testid="to-review-count">
                  {toReview >= 100 ? "99+" : toReview}
                </span>
              </Link>
            </li>
            <li>
              <Link href={viewHref("all")} aria-current={reviewing ? undefined : "page"} className={`flex min-h-11 items-center rounded-md px-3 py-1.5 text-sm font-medium lg:min-h-0 ${reviewing ? "text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800" : "bg-brand-50 text-brand-700 dark:bg-zinc-800 dark:text-white"}`}>
                {t("events.showAll")}
              </Link>
            </li>
          </ul>
        </nav>
        <div className="flex flex-wrap gap-2">
          <FiltersToggle query={query} state={filters} />
          <button type="button" className="btn-secondary px-3 py-1 text-sm max-sm:hidden" onClick={() => setHelpOpen(true)} aria-keyshortcuts="?">
            {t("events.shortcutsButton")}
          </button>
          <button type="button" className="btn-secondary px-3 py-1 text-sm" disabled={toReview === 0} onClick={() => setMarkingAll(true)}>
            {t("events.markAllReviewed")}
          </button>
        </div>
      </div>
      <EventFilters query={query} cameras={cameras} day={timeline.day} error={filterError} state={filters} />
      {helpOpen ? <ShortcutsHelp onClose={() => setHelpOpen(false)} /> : null}
      <p role="status" className="min-h-5 text-sm empty:absolute text-zinc-700 dark:text-zinc-300" data-testid="events-notice">
        {notice}
      </p>
      {page.events.length === 0 ? (
        filtered ? (
          <EmptyState title={t("events.noMatches")} />
        ) : reviewing ? (
          <div className="space-y-2">
            <EmptyState title={t("events.nothingToReview")} text={t("events.nothingToReviewHint")} />
            <Link href={viewHref("all")} className="text-sm text-brand-600 hover:underline">
              {t("events.showAllLink")}
            </Link>
          </div>
        ) : (
          <EmptyState title={t("events.empty")} text={t("events.emptyHint")} />
        )
      ) : (
        <EventList events={page.events} canDelete={can.delete} cameraLabel={cameraLabel} onOpen={setOpen} onDeleted={removeEvents} onReviewed={markedReviewed} onNotice={setNotice} />
      )}
      {markingAll ? (
        <ConfirmDialog
          id="mark-all-reviewed"
          title={t("events.markAllTitle")}
          confirmLabel={t("events.markAllConfirm")}
          cancelLabel={t("events.cancel")}
          error={markAllError ? <p role="alert" className="text-sm text-red-700 dark:text-red-400">{markAllError}</p> : undefined}
          onConfirm={markAll}
          onCancel={() => setMarkingAll(false)}
        >
          <p>{t("events.markAllText")}</p>
        </ConfirmDialog>
      ) : null}
      {page.nextBefore ? (
        <button type="button" className="btn-secondary" onClick={loadMore}>
          {t("events.loadMore")}
        </button>
      ) : null}
      {open ? (
        <EventPlayer
          key={open.id}
          event={open}
          cameraLabel={cameraLabel(open)}
          canProtect={can.protect}
          canDelete={can.delete}
          canCorrect={can.correctDetections}
          onClose={() => setOpen(null)}
          onChanged={replaceEvent}
          onReviewed={markedReviewed}
          onDeleted={(id) => {
            removeEvents([id]);
            setOpen(null);
            setNotice(t("events.eventDeleted"));
          }}
          onClipMissing={(id) => void refreshEvent(id, false)}
          onPlayNext={() => openNeighbour(1)}
        />
      ) : null}
    </div>
  );
}
