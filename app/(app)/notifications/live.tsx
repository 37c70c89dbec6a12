"use client";
// One EventSource per tab on /api/notifications/stream, shared by the nav badge and the centre: each subscriber gets
// { unread, latest } whenever the member's notifications change.
import { useEffect, useState } from "react";

export type NotificationSignal = { unread: number; latest: string | null };
type Listener = (s: NotificationSignal) => void;

const listeners = new Set<Listener>();
let source: EventSource | null = null;
let lastSignal: NotificationSignal | null = null;

function subscribe(fn: Listener): () => void {
  listeners.add(fn);
  if (lastSignal) fn(lastSignal);
  if (!source) {
    source = new EventSource("/api/notifications/stream");
    source.addEventListener("unread", (e) => {
      lastSignal = JSON.parse((e as MessageEvent<string>).data) as NotificationSignal;
      for (const l of listeners) l(lastSignal);
    });
  }
  return () => {
    listeners.delete(fn);
    if (listeners.size === 0 && source) {
      source.close();
      source = null;
    }
  };
}

/** The live signal, starting from the server-rendered unread count. */
export function useNotificationSignal(initialUnread: number): NotificationSignal {
  const [signal, setSignal] = useState<NotificationSignal>({ unread: initialUnread, latest: null });
  useEffect(() => subscribe(setSignal), []);
  return signal;
}

/** The unread count beside the nav link; hidden at 0. */
export function UnreadBadge({ initial, label }: { initial: number; label: string }) {
  const { unread } = useNotificationSignal(initial);
  if (unread <= 0) return <span data-testid="unread-badge" data-count="0" hidden />;
  return (
    <span data-testid="unread-badge" data-count={unread} aria-label={label.replace("{count}", String(unread))} className="ml-1.5 inline-flex min-w-5 justify-center rounded-full bg-red-600 px-1.5 text-xs font-semibold text-white">
      {unread > 99 ? "99+" : unread}
    </span>
  );
}
