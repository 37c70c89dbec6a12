// notifications.json: the member's notification settings, their notification centre, the delivery log of their
// notifications, and the browsers they turned push on in. Never a push subscription's keys (the browser's encryption
// key and auth secret): only where the browser's push service is and when it was added.
import { dateTime, DRAFT, formatVersion, id, nullableDateTime, nullableId, nullableString } from "./common";

export const notificationsSchema = {
  $schema: DRAFT,
  title: "Nightjar export: notifications.json",
  description: "Your notification settings (Account → Notifications), your notifications, how each was delivered, and your push devices.",
  type: "object",
  additionalProperties: false,
  required: ["formatVersion", "preferences", "notifications", "deliveries", "pushDevices"],
  properties: {
    formatVersion,
    preferences: {
      type: ["object", "null"],
      description: "Your settings as saved (cameras, labels, household modes, quiet hours, cool-down, channels); null = you never changed the defaults.",
    },
    notifications: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["id", "kind", "eventId", "cameraId", "data", "createdAt", "updatedAt", "readAt"],
        properties: {
          id,
          kind: { type: "string", description: "\"event\" (motion or an object on a camera), \"camera\" (offline/online), \"storage\", \"system\"." },
          eventId: nullableId,
          cameraId: nullableId,
          data: { type: "object", description: "What the notification centre shows (camera name, labels, times, state)." },
          createdAt: dateTime,
          updatedAt: { ...dateTime, description: "Later news of the same event updates the notification instead of adding one." },
          readAt: { ...nullableDateTime, description: "When you marked it read; null = unread." },
        },
      },
    },
    deliveries: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["id", "notificationId", "channel", "status", "detail", "at"],
        properties: {
          id,
          notificationId: nullableId,
          channel: { enum: ["in_app", "push", "email"] },
          status: { enum: ["sent", "failed", "skipped"] },
          detail: { ...nullableString, description: "Why it was skipped or failed (quiet hours, cool-down, the server's answer)." },
          at: dateTime,
        },
      },
    },
    pushDevices: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["id", "pushService", "label", "createdAt", "lastOkAt"],
        properties: {
          id,
          pushService: { type: "string", description: "The host of your browser maker's push service this browser gave (e.g. fcm.googleapis.com)." },
          label: { ...nullableString, description: "Which browser (from its User-Agent when you turned push on)." },
          createdAt: dateTime,
          lastOkAt: { ...nullableDateTime, description: "The last push the service accepted." },
        },
      },
    },
  },
} as const;
