// manifest.json: every other file of the archive with its size and SHA-256, and what the export covers.
import { dateTime, DRAFT, id, nullableDateTime, sha256, zipPath } from "./common";

export const manifestSchema = {
  $schema: DRAFT,
  title: "Nightjar export: manifest.json",
  description: "Lists every other file of the archive with its size and SHA-256, the format version and the filters used.",
  type: "object",
  additionalProperties: false,
  required: ["formatVersion", "createdAt", "generator", "accountId", "mediaIncluded", "filters", "files", "missing"],
  properties: {
    formatVersion: { const: "1" },
    createdAt: dateTime,
    generator: { const: "Nightjar" },
    accountId: id,
    mediaIncluded: { type: "boolean", description: "Whether events, clips, photos, timelapses, camera configuration and diagnostics are part of this export." },
    filters: {
      type: "object",
      additionalProperties: false,
      required: ["from", "to", "cameraIds"],
      properties: {
        from: { ...nullableDateTime, description: "Only records at or after this instant; null = from the beginning." },
        to: { ...nullableDateTime, description: "Only records before this instant; null = until the export was made." },
        cameraIds: { type: ["array", "null"], items: id, description: "Only these cameras; null = every camera in the export." },
      },
    },
    files: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["path", "bytes", "sha256"],
        properties: { path: zipPath, bytes: { type: "integer", minimum: 0 }, sha256, schema: { ...zipPath, description: "The JSON Schema this file validates against." } },
      },
    },
    missing: {
      type: "array",
      description: "Media files that disappeared (expired) while the export was prepared: referenced by events.json or timelapses.json with file null.",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["path", "reason"],
        properties: { path: zipPath, reason: { enum: ["not_found"] } },
      },
    },
  },
} as const;
