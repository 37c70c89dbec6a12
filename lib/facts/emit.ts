// emitFact: the one way a fact leaves the place that knows it. It writes one row to the Fact outbox (read by the
// notifier worker for notifications and MQTT) and, for the webhook types, queues the webhook messages
// (lib/webhooks/emit.ts). Callers are the recorder, the status monitor, retention and the web app: it must cost them
// next to nothing and never fail them — errors are logged and swallowed.
import type { Db } from "../db";
import { logger } from "../log";
import { emitWebhook, type EmitOptions } from "../webhooks/emit";
import { isWebhookFact, type FactData, type FactType } from "./types";

const log = logger("facts");

/** Writes the fact and queues its webhooks. `options.quietMs` applies to webhooks only (the outbox always gets the fact). Never throws. */
export async function emitFact<T extends FactType>(db: Db, type: T, data: FactData[T], options: EmitOptions = {}): Promise<void> {
  const now = options.now ?? new Date();
  const d = data as { cameraId?: unknown; eventId?: unknown };
  try {
    await db.fact.create({
      data: {
        type,
        data: JSON.stringify(data),
        cameraId: typeof d.cameraId === "string" ? d.cameraId : null,
        eventId: typeof d.eventId === "string" ? d.eventId : null,
        createdAt: now,
      },
    });
  } catch (err) {
    log.error("fact not written", { type, error: String((err as Error)?.message ?? err) });
  }
  if (isWebhookFact(type)) await emitWebhook(db, type, data as never, { ...options, now });
}
