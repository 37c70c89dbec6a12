// corrections.json: the detections you marked as wrong. Each is kept per camera on this server (never sent anywhere) to
// suppress the same label at the same place on that camera; it stays when its event expires.
import { box, dateTime, DRAFT, formatVersion, id, label, nullableId } from "./common";

export const correctionsSchema = {
  $schema: DRAFT,
  title: "Nightjar export: corrections.json",
  description: "The object detections you marked as wrong (\"this is not a cat\"), oldest first. Each makes that camera ignore the same label at the same place from then on.",
  type: "object",
  additionalProperties: false,
  required: ["formatVersion", "corrections"],
  properties: {
    formatVersion,
    corrections: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["id", "cameraId", "label", "box", "detectionId", "createdAt"],
        properties: {
          id,
          cameraId: { ...id, description: "The camera it applies to." },
          label: { ...label, description: "The label you said was wrong." },
          box,
          detectionId: { ...nullableId, description: "The detection you marked (events.json); null once its event was deleted." },
          createdAt: { ...dateTime, description: "When you marked it." },
        },
      },
    },
  },
} as const;
