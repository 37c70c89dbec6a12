// A camera's diagnostics log: structured events (JSON), newest first, paged by id (keyset, no OFFSET).
import { isForeignKeyViolation, type Db } from "../db";
import { redactUrls } from "../ffmpeg/redact";

export type DiagnosticKind = "added" | "changed" | "online" | "offline" | "firmware_changed" | "measured" | "error" | "guard" | "recovered";

/**
 * Appends one entry to a camera's log; false when the camera was deleted meanwhile (a recorder finishing its last clip
 * after the camera was removed has no log to write to: the entry is dropped, not an error).
 */
export async function recordDiagnostic(db: Db, cameraId: string, kind: DiagnosticKind, data: Record<string, unknown> = {}, at: Date = new Date()): Promise<boolean> {
  try {
    // Redact any credentials that slipped into a URL or an error text.
    await db.cameraDiagnostic.create({ data: { cameraId, kind, at, data: redactUrls(JSON.stringify(data)) } });
    return true;
  } catch (err) {
    if (isForeignKeyViolation(err)) return false;
    throw err;
  }
}

/** Up to `limit` events older than event `before` (newest first). */
export async function listDiagnostics(db: Db, cameraId: string, opts: { before?: number; limit?: number } = {}) {
  const limit = Math.min(Math.max(opts.limit ?? 50, 1), 200);
  const rows = await db.cameraDiagnostic.findMany({
    where: { cameraId, ...(opts.before ? { id: { lt: opts.before } } : {}) },
    orderBy: { id: "desc" },
    take: limit + 1,
  });
  return {
    events: rows.slice(0, limit).map((r) => ({ id: r.id, at: r.at.toISOString(), kind: r.kind as DiagnosticKind, data: JSON.parse(r.data) as Record<string, unknown> })),
    nextBefore: rows.length > limit ? rows[limit - 1].id : null,
  };
}
