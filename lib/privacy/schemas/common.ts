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
