// The facts the product tells the household about, and their data. The webhook types keep their webhook payloads
// (lib/webhooks/events.ts); the rest are told only inside the household (notifications, MQTT), not to webhooks.
import type { WebhookData, WebhookEventType } from "../webhooks/events";
import { isWebhookEventType } from "../webhooks/events";

export type FactData = Omit<WebhookData, "webhook.test"> & {
  /** The household mode changed (lib/modes). `via`: "ui" | "api" | "mqtt" | "schedule". */
  "mode.changed": { modeId: string; modeName: string; previousModeId: string | null; via: string; actorId: string | null };
  /** A camera's switches changed (armed, recording, privacy), by whoever: MQTT republishes its state. */
  "camera.changed": { cameraId: string; cameraName: string; armed?: boolean; recordingEnabled?: boolean; privacyMode?: boolean };
};
export type FactType = keyof FactData;

export const FACT_TYPES = [
  "event.started",
  "event.updated",
  "event.ended",
  "camera.offline",
  "camera.online",
  "storage.low",
  "recording.stopped",
  "mode.changed",
  "camera.changed",
] as const satisfies readonly FactType[];

/** A fact as read back from the outbox. `data` is parsed JSON of FactData[type]. */
export type StoredFact<T extends FactType = FactType> = { id: number; type: T; data: FactData[T]; cameraId: string | null; eventId: string | null; createdAt: Date };

export function isWebhookFact(type: FactType): type is WebhookEventType {
  return isWebhookEventType(type);
}

/** A reader of the outbox that runs in the notifier worker (notifications, MQTT): started once, stopped at shutdown. */
export type FactService = {
  start(): void;
  /** Resolves when in-flight work is done and connections are closed. */
  stop(): Promise<void>;
  /** A small JSON summary for the worker's heartbeat (state, counters). */
  status(): Record<string, unknown>;
};
