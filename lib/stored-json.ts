// Settings stored as a JSON object in a text column (Camera.motionConfig, detection settings): reading one without
// throwing. The one owner of "empty means {}", "not JSON" and "not an object" for such columns.

/** The stored object, or the problem that makes the caller fall back to its defaults. Empty or null reads as {}. */
export function readStoredObject(json: string | null | undefined): { raw: Record<string, unknown> } | { problem: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(json == null || json.trim() === "" ? "{}" : json);
  } catch {
    return { problem: "not valid JSON; using defaults" };
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return { problem: "not a JSON object; using defaults" };
  return { raw: raw as Record<string, unknown> };
}
