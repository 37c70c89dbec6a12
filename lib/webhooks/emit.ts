// emitWebhook: the one way a fact becomes webhook messages. It queues one WebhookDelivery row per enabled endpoint
// subscribed to the type (the scheduler's delivery loop sends them, lib/webhooks/deliver.ts). Callers are the recorder,
// the status monitor and retention: it must cost them next to nothing and never fail them — with no endpoints it is
// one small query, and every error is logged and swallowed.
import type { Db } from "../db";
import { logger } from "../log";
import { webhookBody, type WebhookData, type WebhookEventType } from "./events";
import { newMessageId } from "./sign";

const log = logger("webhooks");

export type EmitOptions = {
  /** The message's time (its payload timestamp and creation), default now. */
  now?: Date;
  /**
   * Skip endpoints that got a message of this type within this many ms (a state that persists, like low storage, is
   * told once per window, not on every check).
   */
  quietMs?: number;
};

/** Parses WebhookEndpoint.eventTypes (a JSON array of strings); anything else reads as no types. */
export function parseEventTypes(json: string): string[] {
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
}

/** Queues `type` with `data` for every enabled endpoint that subscribed to it. Returns how many; never throws. */
export async function emitWebhook<T extends WebhookEventType>(db: Db, type: T, data: WebhookData[T], options: EmitOptions = {}): Promise<number> {
  try {
    const endpoints = await db.webhookEndpoint.findMany({ where: { enabled: true }, select: { id: true, eventTypes: true } });
    let targets = endpoints.filter((e) => parseEventTypes(e.eventTypes).includes(type)).map((e) => e.id);
    if (!targets.length) return 0;
    const now = options.now ?? new Date();
    if (options.quietMs) {
      const recent = await db.webhookDelivery.findMany({
        where: { endpointId: { in: targets }, eventType: type, createdAt: { gt: new Date(now.getTime() - options.quietMs) } },
        select: { endpointId: true },
        distinct: ["endpointId"],
      });
      const told = new Set(recent.map((r) => r.endpointId));
      targets = targets.filter((id) => !told.has(id));
      if (!targets.length) return 0;
    }
    const payload = webhookBody(type, data, now);
    await db.webhookDelivery.createMany({ data: targets.map((endpointId) => ({ id: newMessageId(), endpointId, eventType: type, payload, status: "pending", nextAttemptAt: now, createdAt: now })) });
    return targets.length;
  } catch (err) {
    log.error("webhook not queued", { type, error: String((err as Error)?.message ?? err) });
    return 0;
  }
}
