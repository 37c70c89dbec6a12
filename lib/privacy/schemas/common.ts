// Building blocks of the export's JSON Schemas (draft 2020-12). Every object is closed (additionalProperties: false)
// unless documented otherwise, so a field that should never leave the server (a password hash, credentials) cannot
// slip into a file that still validates.
export const DRAFT = "https://json-schema.org/draft/2020-12/schema";

export const dateTime = { type: "string", format: "date-time", description: "An instant in UTC, ISO-8601 (e.g. 2026-05-01T12:00:00.000Z)." } as const;
export const nullableDateTime = { type: ["string", "null"], format: "date-time", description: "An instant in UTC, ISO-8601, or null." } as const;
export const id = { type: "string", minLength: 1, maxLength: 64, description: "An opaque identifier." } as const;
export const nullableId = { type: ["string", "null"], minLength: 1, maxLength: 64 } as const;
export const nullableString = { type: ["string", "null"] } as const;
export const formatVersion = { const: "1", description: "Version of the export format; changes when a file's layout changes." } as const;
/** A path inside the ZIP archive: relative, forward slashes. */
export const zipPath = { type: "string", pattern: "^(?!/)(?!.*(^|/)\\.\\.?(/|$))[^\\\\]+$" } as const;
export const sha256 = { type: "string", pattern: "^[0-9a-f]{64}$", description: "SHA-256 of the file's bytes, lower-case hex." } as const;
/** A fraction of the picture's width or height: 0 = left or top edge, 1 = right or bottom edge. */
const fraction = { type: "number", minimum: 0, maximum: 1 } as const;
/** A box on the picture in fractions of its size (origin top-left): x1 < x2, y1 < y2. */
export const box = {
  type: "object",
  additionalProperties: false,
  required: ["x1", "y1", "x2", "y2"],
  properties: { x1: fraction, y1: fraction, x2: fraction, y2: fraction },
  description: "A box on the picture in fractions of its width and height, origin top-left (x1, y1) to bottom-right (x2, y2).",
} as const;
/** An object detector's label: person, cat, dog, bird, horse, car, truck, bus, motorcycle, bicycle… */
export const label = { type: "string", minLength: 1, maxLength: 32, description: "What the object detector saw: person, cat, dog, bird, horse, car, truck, bus, motorcycle, bicycle…" } as const;
/** A detector's confidence, 0–1. */
export const score = { type: "number", minimum: 0, maximum: 1, description: "The detector's confidence, 0–1." } as const;
