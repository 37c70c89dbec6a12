// GET /api/notifications/stream — Server-Sent Events for the signed-in member (session only): an "unread" event with
// { unread, latest } at once and whenever the member's notifications change (polled every POLL_MS in this web
// process), a heartbeat comment every HEARTBEAT_MS; ends when the browser goes away.
import { db } from "@/lib/db";
import { route } from "@/lib/http/route";
import { notificationSignal } from "@/lib/notifications/centre";

/** How often the member's newest Notification.updatedAt and unread count are read, ms. */
const POLL_MS = 500;
/** A comment line this often keeps proxies from closing an idle stream, ms. */
const HEARTBEAT_MS = 15_000;

export const dynamic = "force-dynamic";

export const GET = route({ access: {} }, async ({ req, viewer }) => {
  const database = await db();
  const encoder = new TextEncoder();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let closed = false;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let last = "";
      let lastBeat = Date.now();
      const close = () => {
        if (closed) return;
        closed = true;
        if (timer) clearTimeout(timer);
        try {
          controller.close();
        } catch {
          /* already closed */
        }
      };
      req.signal.addEventListener("abort", close);
      const tick = async () => {
        if (closed) return;
        try {
          const signal = await notificationSignal(database, viewer.id);
          const text = JSON.stringify(signal);
          if (text !== last) {
            last = text;
            controller.enqueue(encoder.encode(`event: unread\ndata: ${text}\n\n`));
          } else if (Date.now() - lastBeat >= HEARTBEAT_MS) {
            lastBeat = Date.now();
            controller.enqueue(encoder.encode(`: heartbeat\n\n`));
          }
        } catch {
          return close();
        }
        if (!closed) timer = setTimeout(tick, POLL_MS);
      };
      controller.enqueue(encoder.encode(`retry: 2000\n\n`));
      void tick();
    },
    cancel() {
      closed = true;
      if (timer) clearTimeout(timer);
    },
  });
  return new Response(stream, { headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache, no-transform", "x-accel-buffering": "no" } });
});
