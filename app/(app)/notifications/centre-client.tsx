"use client";
// The centre's list: unread items stand out, each links to its events; mark read, mark all read; reloads the first
// page whenever the live signal says something changed.
import { useEffect, useRef, useState } from "react";
import Link from "@/app/_components/link";
import { api } from "@/app/_components/api";
import { EmptyState } from "@/app/_components/page-header";
import type { CentreItem, CentrePage } from "@/lib/notifications/centre";
import { useFormat, useT } from "@/lib/i18n/client";
import { useNotificationSignal } from "./live";

function linkOf(item: CentreItem, timeZone: string | null): string {
  const d = item.data as { cameraId?: string | null; startedAt?: string };
  if (item.kind !== "event" || !d.startedAt) return "/events";
  const q = new URLSearchParams();
  if (item.cameraId) q.append("camera", item.cameraId);
  const day = new Intl.DateTimeFormat("en-CA", { timeZone: timeZone || undefined, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(d.startedAt));
  q.set("day", day);
  return `/events?${q.toString()}`;
}

export function CentreClient({ initial, timeZone }: { initial: CentrePage; timeZone: string | null }) {
  const t = useT();
  const fmt = useFormat();
  const [page, setPage] = useState(initial);
  const [notice, setNotice] = useState<string | null>(null);
  const signal = useNotificationSignal(initial.unread);
  const first = useRef(true);

  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    void api<CentrePage>("/api/notifications").then((res) => {
      if (!res.ok) return;
      setPage((p) => {
        const fresh = res.data.items;
        const oldest = fresh.at(-1)?.createdAt;
        const rest = oldest ? p.items.filter((i) => i.createdAt < oldest) : [];
        return { ...res.data, items: [...fresh, ...rest], nextBefore: rest.length ? p.nextBefore : res.data.nextBefore };
      });
    });
  }, [signal.latest, signal.unread]);

  async function markRead(ids: string[] | null) {
    const res = await api<{ unread: number }>("/api/notifications/read", { body: ids ? { ids } : {} });
    if (!res.ok) return;
    const now = new Date().toISOString();
    setPage((p) => ({ ...p, unread: res.data.unread, items: p.items.map((i) => (!ids || ids.includes(i.id) ? { ...i, readAt: i.readAt ?? now } : i)) }));
    if (!ids) setNotice(t("notifications.centre.allMarkedRead"));
  }

  async function loadMore() {
    if (!page.nextBefore) return;
    const res = await api<CentrePage>(`/api/notifications?before=${encodeURIComponent(page.nextBefore)}`);
    if (res.ok) setPage((p) => ({ ...res.data, items: [...p.items, ...res.data.items.filter((i) => !p.items.some((x) => x.id === i.id))] }));
  }

  function text(item: CentreItem): { title: string; body: string } {
    const d = item.data as Record<string, string | number | null | undefined>;
    const camera = String(d.cameraName ?? "");
    if (item.kind === "event") {
      const time = fmt.dateTime(String(d.startedAt));
      const body = [t("notifications.text.eventStarted", { camera, time }), d.state === "ended" && d.endedAt ? t("notifications.text.eventEnded", { time: fmt.dateTime(String(d.endedAt)) }) : t("notifications.text.eventRecording")].join(" ");
      return { title: t("notifications.text.eventTitle", { camera }), body };
    }
    const key = ({ camera_offline: "cameraOffline", camera_online: "cameraOnline", storage_low: "storageLow", recording_stopped: "recordingStopped", push_removed: "pushRemoved" } as const)[String(d.code) as "camera_offline"];
    return { title: "Nightjar", body: key ? t(`notifications.text.${key}`, { camera, count: Number(d.count ?? 0) }) : "" };
  }

  const unread = page.items.filter((i) => !i.readAt).length;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-3">
        <button type="button" className="btn-secondary" onClick={() => void markRead(null)} disabled={unread === 0 && signal.unread === 0}>
          {t("notifications.centre.markAllRead")}
        </button>
        <Link href="/account/notifications" className="text-sm underline">
          {t("notifications.centre.settings")}
        </Link>
        <p role="status" className="text-sm text-zinc-600 dark:text-zinc-400">
          {notice}
        </p>
      </div>
      {page.items.length === 0 ? (
        <EmptyState title={t("notifications.centre.empty")} text={t("notifications.centre.emptyHint")} />
      ) : (
        <ul className="space-y-2" aria-label={t("notifications.centre.title")}>
          {page.items.map((item) => {
            const { title, body } = text(item);
            const isUnread = !item.readAt;
            return (
              <li key={item.id} data-testid="notification" data-id={item.id} data-unread={isUnread ? "true" : "false"} className={`card flex flex-wrap items-start gap-3 ${isUnread ? "border-l-4 border-l-brand-600 bg-brand-50/40 dark:bg-zinc-800" : "opacity-80"}`}>
                <div className="min-w-0 flex-1">
                  <p className={isUnread ? "font-semibold" : ""}>
                    {isUnread ? <span className="sr-only">{t("notifications.centre.unread")}: </span> : null}
                    {title}
                  </p>
                  <p className="text-sm text-zinc-600 dark:text-zinc-400">{body}</p>
                  <p className="text-xs text-zinc-500">{fmt.dateTime(item.updatedAt)}</p>
                </div>
                <div className="flex items-center gap-2">
                  {item.kind === "event" ? (
                    <Link href={linkOf(item, timeZone)} className="btn-secondary" onClick={() => (isUnread ? void markRead([item.id]) : undefined)}>
                      {t("notifications.centre.openEvent")}
                    </Link>
                  ) : null}
                  {isUnread ? (
                    <button type="button" className="btn-secondary" onClick={() => void markRead([item.id])}>
                      {t("notifications.centre.markRead")}
                    </button>
                  ) : null}
                </div>
              </li>
            );
          })}
        </ul>
      )}
      {page.nextBefore ? (
        <button type="button" className="btn-secondary" onClick={() => void loadMore()}>
          {t("notifications.centre.loadMore")}
        </button>
      ) : null}
    </div>
  );
}
