// Changing events: protect and unprotect, delete one, delete several, and delete a camera's events in a time range.
// Authorization by role is the route's (events:protect, events:delete, events:delete-range); per-camera access is
// checked here for every event touched. Every deletion goes through deleteEvents (rows and files consistently);
// an event that disappeared meanwhile (the retention job, another member) is reported, never half-deleted.
import type { Viewer } from "../auth/viewer";
import { requireCameraAccess, visibleCameraIds } from "../cameras/access";
import type { Db } from "../db";
import { AppError } from "../errors";
import { deleteEvents, DELETE_BATCH } from "../deletion/recordings";
import { checkDateRange, requireEventAccess } from "./events";

type Who = Pick<Viewer, "id" | "role">;

/** Most ids one bulk delete takes. */
export const MAX_BULK_IDS = 500;

export async function setEventProtected(db: Db, viewer: Who, eventId: string, isProtected: boolean): Promise<{ id: string; cameraId: string | null; isProtected: boolean }> {
  const event = await requireEventAccess(db, viewer, eventId);
  const { count } = await db.event.updateMany({ where: { id: eventId }, data: { isProtected } });
  if (count === 0) throw new AppError("not_found"); // deleted between the check and the update
  return { id: event.id, cameraId: event.cameraId, isProtected };
}

/** Deletes one event with its files. A protected event is refused (event_protected); one already gone is not_found. */
export async function deleteEvent(db: Db, dataDir: string, viewer: Who, eventId: string): Promise<{ id: string; cameraId: string | null }> {
  const event = await requireEventAccess(db, viewer, eventId);
  if (event.isProtected) throw new AppError("event_protected");
  // keepProtected re-checks protection inside the delete transaction: a protect that lands after our check wins.
  const result = await deleteEvents(db, dataDir, [eventId], "event_delete", { keepProtected: true });
  if (result.events === 0) {
    const now = await db.event.findUnique({ where: { id: eventId }, select: { isProtected: true } });
    throw new AppError(now?.isProtected ? "event_protected" : "not_found"); // protected meanwhile, or already gone
  }
  return { id: event.id, cameraId: event.cameraId };
}

export type BulkDeleteResult = {
  /** Events deleted by this request (all ids not listed below are gone afterwards). */
  deleted: number;
  /** Ids skipped because they are protected. */
  protected: string[];
  /** Ids that do not exist (any more): already deleted, or never existed. */
  missing: string[];
};

/**
 * Deletes several events. Every existing id must be visible to the viewer, else nothing is deleted (forbidden);
 * protected events are skipped and unknown ids reported as missing, neither stops the rest.
 */
export async function deleteEventsBulk(db: Db, dataDir: string, viewer: Who, eventIds: string[]): Promise<BulkDeleteResult> {
  const ids = [...new Set(eventIds)];
  if (ids.length > MAX_BULK_IDS) throw new AppError("validation", {}, { ids: "too_big" });
  const rows = await db.event.findMany({ where: { id: { in: ids } }, select: { id: true, cameraId: true, isProtected: true } });
  const visible = await visibleCameraIds(db, viewer);
  if (visible !== "all") {
    const granted = new Set(visible);
    if (rows.some((r) => r.cameraId === null || !granted.has(r.cameraId))) throw new AppError("forbidden");
  }
  const found = new Set(rows.map((r) => r.id));
  const missing = ids.filter((id) => !found.has(id));
  const isProtected = rows.filter((r) => r.isProtected).map((r) => r.id);
  const deletable = rows.filter((r) => !r.isProtected).map((r) => r.id);
  // `deleted` may be lower than the deletable ids when the retention job removed some in between: they are gone either way.
  const result = deletable.length ? await deleteEvents(db, dataDir, deletable, "event_delete", { keepProtected: true }) : { events: 0 };
  return { deleted: result.events, protected: isProtected, missing };
}

export type RangeDeleteResult = { count: number; skippedProtected: number };

/**
 * What deleting a camera's events that started in [from, to) would touch, before anyone confirms it: the events in
 * the range and how many of them are protected (kept unless the deletion includes them). Same checks as the deletion.
 */
export async function countCameraEventsInRange(db: Db, viewer: Who, cameraId: string, range: { from: Date; to: Date }): Promise<{ events: number; protected: number }> {
  checkDateRange(range.from, range.to);
  await requireCameraAccess(db, viewer, cameraId);
  const where = { cameraId, startedAt: { gte: range.from, lt: range.to } };
  const [events, isProtected] = await Promise.all([db.event.count({ where }), db.event.count({ where: { ...where, isProtected: true } })]);
  return { events, protected: isProtected };
}

/**
 * Deletes every event of one camera that started in [from, to) (admins: the route requires events:delete-range).
 * Protected events are kept unless includeProtected. Works in batches, so a range of years never loads every id.
 */
export async function deleteCameraEventsInRange(
  db: Db,
  dataDir: string,
  viewer: Who,
  cameraId: string,
  range: { from: Date; to: Date; includeProtected?: boolean },
): Promise<RangeDeleteResult> {
  checkDateRange(range.from, range.to);
  await requireCameraAccess(db, viewer, cameraId);
  const where = { cameraId, startedAt: { gte: range.from, lt: range.to }, ...(range.includeProtected ? {} : { isProtected: false }) };
  let count = 0;
  for (;;) {
    const batch = (await db.event.findMany({ where, select: { id: true }, orderBy: { startedAt: "asc" }, take: DELETE_BATCH })).map((r) => r.id);
    if (batch.length === 0) break;
    const result = await deleteEvents(db, dataDir, batch, "range_delete", { keepProtected: !range.includeProtected });
    count += result.events;
    if (batch.length < DELETE_BATCH) break;
  }
  const skippedProtected = range.includeProtected ? 0 : await db.event.count({ where: { cameraId, startedAt: { gte: range.from, lt: range.to }, isProtected: true } });
  return { count, skippedProtected };
}
