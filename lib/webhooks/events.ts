// What webhooks tell: the event types, the payload's shape ({ type, timestamp, data }) and the absolute media URLs of
// an event. Payloads hold ids and facts only: never credentials, stream URLs or e-mail addresses.
//
// Who emits what (each from the place that knows the fact):
//   event.started     lib/recording/camera-recorder.ts  the Event row was written (motion onset + minimum motion)
//   event.updated     lib/recording/camera-recorder.ts  a clip was added while the event goes on (a long alarm split
//                                                       at the longest clip length: change "clip_added"), or the
//                                                       object detector saw a new label (change "labels")
//   event.ended       lib/recording/camera-recorder.ts  the event closed: its clips and photo are written
//   camera.offline    lib/cameras/status-monitor.ts     the status rule's transition (two failed checks, or the
//   camera.online                                       recorder's stall); online also the first time a camera answers
//   storage.low       lib/retention/apply.ts            after a pass that could not make room: free space below the
//                                                       target, or the quota exceeded by recordings that may not go
//                                                       (at most once per STORAGE_LOW_QUIET_MS = 6 h per endpoint)
//   recording.stopped lib/cameras/status-monitor.ts     a new recording problem (disk floor reached, a clip that cannot
//                     lib/recording/camera-recorder.ts  be written) and the alarm guard engaging
//   webhook.test      lib/webhooks/endpoints.ts         "Send test" (to that endpoint only)

export const WEBHOOK_EVENT_TYPES = ["event.started", "event.updated", "event.ended", "camera.offline", "camera.online", "storage.low", "recording.stopped"] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** The type of a test delivery ("Send test"): sent to one endpoint whatever it subscribed to. */
export const TEST_EVENT_TYPE = "webhook.test";
export type DeliveryEventType = WebhookEventType | typeof TEST_EVENT_TYPE;

export function isWebhookEventType(value: unknown): value is WebhookEventType {
  return typeof value === "string" && (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);
}

/** A clip of an event as a webhook tells it. */
export type WebhookClip = { sequence: number; url: string; startedAt: string; durationMs: number };

/** The data of each type, by type: ids and facts. Times are ISO-8601 UTC, durations ms, sizes bytes. */
export type WebhookData = {
  "event.started": { eventId: string; cameraId: string; cameraName: string; startedAt: string };
  "event.updated":
    | { eventId: string; cameraId: string; cameraName: string; startedAt: string; change: "clip_added"; clips: WebhookClip[] }
    /** Object detection saw a label the event did not have: all its labels so far (person, cat, car…). */
    | { eventId: string; cameraId: string; cameraName: string; startedAt: string; change: "labels"; labels: string[] };
  "event.ended": {
    eventId: string;
    cameraId: string;
    cameraName: string;
    startedAt: string;
    endedAt: string;
    /** Highest motion score of the event, 0–1. */
    peakScore: number;
    zones: string[];
    /** What object detection saw (person, cat, car…); empty without detection. */
    labels: string[];
    clips: WebhookClip[];
    /** The event photo, or null when none could be taken. */
    photoUrl: string | null;
  };
  "camera.offline": { cameraId: string; cameraName: string; since: string; problem: string; lastSeenAt: string | null };
  "camera.online": { cameraId: string; cameraName: string; since: string; offlineForSeconds: number | null };
  "storage.low": {
    /**
     * "free_space": after a retention pass free disk space is still below the target retention keeps (what is left is
     * protected or being recorded; the recorder stops writing clips at the floor below it); "quota": recordings that
     * may not be deleted keep the total over the storage quota.
     */
    reason: "free_space" | "quota";
    freeBytes: number | null;
    targetFreeBytes: number;
    usedBytes: number;
    quotaBytes: number | null;
  };
  "recording.stopped": {
    cameraId: string;
    cameraName: string | null;
    /** disk_full: the free-space floor; alarm_guard: the permanent-alarm guard stops clips; recording_failed: a clip could not be written. */
    reason: "disk_full" | "alarm_guard" | "recording_failed";
    at: string;
    /** A short text for people (no addresses, no credentials). */
    detail: string | null;
  };
  "webhook.test": { endpointId: string; message: string };
};

export type WebhookPayload<T extends DeliveryEventType = DeliveryEventType> = { type: T; timestamp: string; data: WebhookData[T] };

/** The exact JSON body of a message (stored in WebhookDelivery.payload and sent as is). */
export function webhookBody<T extends DeliveryEventType>(type: T, data: WebhookData[T], at: Date): string {
  const payload: WebhookPayload<T> = { type, timestamp: at.toISOString(), data };
  return JSON.stringify(payload);
}

/** Absolute URLs of an event's media for programs (the /api/v1 routes accept a token with scope events:read). */
export function eventClipUrl(publicUrl: string, eventId: string, sequence: number): string {
  return `${publicUrl.replace(/\/$/, "")}/api/v1/events/${encodeURIComponent(eventId)}/clips/${sequence}`;
}

export function eventPhotoUrl(publicUrl: string, eventId: string): string {
  return `${publicUrl.replace(/\/$/, "")}/api/v1/events/${encodeURIComponent(eventId)}/photo`;
}
