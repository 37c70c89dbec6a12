// diagnostics.json: the cameras' diagnostics log (online/offline, changes, measurements, errors).
import { dateTime, DRAFT, formatVersion, id } from "./common";

export const diagnosticsSchema = {
  $schema: DRAFT,
  title: "Nightjar export: diagnostics.json",
  description: "What happened to the cameras in this export, oldest first.",
  type: "object",
  additionalProperties: false,
  required: ["formatVersion", "diagnostics"],
  properties: {
    formatVersion,
    diagnostics: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["id", "cameraId", "at", "kind", "data"],
        properties: {
          id: { type: "integer", minimum: 1 },
          cameraId: id,
          at: dateTime,
          kind: { type: "string", description: "added, changed, online, offline, firmware_changed, measured, error, guard …" },
          data: { type: "object", description: "Details of the entry (credentials redacted)." },
        },
      },
    },
  },
} as const;
