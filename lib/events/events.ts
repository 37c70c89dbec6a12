// Reading events: the ones a member may see (the cameras granted to them; admins see all, including events of
// deleted cameras), newest first, paged by keyset (startedAt, id) — no OFFSET.
import path from "node:path";
import type { Viewer } from "../auth/viewer";
import type { Db } from "../db";
import { AppError } from "../errors";
import { can } from "../household/roles";

export const EVENTS_PAGE_SIZE = 50;

/** Cursor "<startedAt ms>.<id>" of the last event of a page. */
export function encodeCursor(e: { startedAt: Date; id: string }): string {
  return `${e.startedAt.getTime()}.${e.id}`;
}

export function decodeCursor(cursor: string | null | undefined): { startedAt: Date; id: string } | null {
  if (!cursor) return null;
  const m = /^(\d{1,15})\.([A-Za-z0-9_-]{1,64})$/.exec(cursor);
  if (!m) throw new AppError("validation", {}, { before: "invalid" });
  return { startedAt: new Date(Number(m[1])), id: m[2] };
}

function visibleWhere(viewer: Pick<Viewer, "id" | "role">) {
  return can(viewer.role, "cameras:manage") ? {} : { camera: { access: { some: { userId: viewer.id } } } };
}

export async function listEvents(db: Db, viewer: Pick<Viewer, "id" | "role">, opts: { cameraId?: string; before?: string | null; limit?: number } = {}) {
  const limit = Math.min(Math.max(opts.limit ?? EVENTS_PAGE_SIZE, 1), 200);
  const cursor = decodeCursor(opts.before);
  const rows = await db.event.findMany({
    where: {
      ...visibleWhere(viewer),
      ...(opts.cameraId ? { cameraId: opts.cameraId } : {}),
      ...(cursor ? { OR: [{ startedAt: { lt: cursor.startedAt } }, { startedAt: cursor.startedAt, id: { lt: cursor.id } }] } : {}),
    },
    orderBy: [{ startedAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    include: { clips: { select: { sequence: true, durationMs: true, bytes: true }, orderBy: { sequence: "asc" } }, photo: { select: { width: true, height: true } } },
  });
  const page = rows.slice(0, limit);
  return {
    events: page.map((e) => ({
      id: e.id,
      cameraId: e.cameraId,
      cameraName: e.cameraName,
      startedAt: e.startedAt.toISOString(),
      endedAt: e.endedAt?.toISOString() ?? null,
      peakScore: e.peakScore,
      zones: JSON.parse(e.zones) as string[],
      isProtected: e.isProtected,
      clips: e.clips,
      hasPhoto: e.photo !== null,
    })),
    nextBefore: rows.length > limit ? encodeCursor(page[page.length - 1]) : null,
  };
}

/** The event if the viewer may see it: not_found for unknown ids, forbidden for other members' cameras. */
export async function requireEventAccess(db: Db, viewer: Pick<Viewer, "id" | "role">, eventId: string) {
  const event = await db.event.findUnique({ where: { id: eventId }, include: { clips: { orderBy: { sequence: "asc" } }, photo: true } });
  if (!event) throw new AppError("not_found");
  if (can(viewer.role, "cameras:manage")) return event;
  const granted = event.cameraId ? (await db.cameraAccess.count({ where: { cameraId: event.cameraId, userId: viewer.id } })) > 0 : false;
  if (!granted) throw new AppError("forbidden");
  return event;
}

/** Absolute path of a media file from its stored relative path; refuses anything that would leave the folder. */
export function mediaFile(mediaDir: string, relative: string): string {
  const abs = path.resolve(mediaDir, relative);
  if (!abs.startsWith(path.resolve(mediaDir) + path.sep)) throw new AppError("not_found");
  return abs;
}
