// The review queue (issue #18): each member's own reviewed/unreviewed state per event. An event is reviewed by a
// member when it started at or before their mark (User.reviewedUpTo, "everything up to now"; null = none: a new member
// has every event they may see to review — members who existed when the queue arrived got "now" as their mark, so an
// upgrade does not flood them) or when they marked it (EventReview). Reviewing is not
// deleting and says nothing about anyone else's queue. The list filter is in events.ts (pageSql `unreviewedBy`).
import type { Viewer } from "../auth/viewer";
import { visibleCameraIds } from "../cameras/access";
import type { Db } from "../db";
import { AppError } from "../errors";
import type { Reviewer } from "./events";
/** Most events one request marks, count (as bulk delete). */
export const MAX_REVIEW_IDS = 500;

type Who = Pick<Viewer, "id" | "role">;

/** The count in the navigation stops here ("99+"): counting a member's whole backlog would cost a scan, count. */
export const REVIEW_COUNT_CAP = 100;

/** A member's mark: events that started at or before it count as reviewed. */
export async function reviewWatermark(db: Db, userId: string): Promise<Reviewer> {
  const u = await db.user.findUnique({ where: { id: userId }, select: { reviewedUpTo: true } });
  return { userId, upTo: u?.reviewedUpTo ?? new Date(0) };
}

/** Whether this member has reviewed this event. */
export async function isReviewedBy(db: Db, userId: string, event: { id: string; startedAt: Date }): Promise<boolean> {
  const { upTo } = await reviewWatermark(db, userId);
  if (event.startedAt.getTime() <= upTo.getTime()) return true;
  return (await db.eventReview.count({ where: { userId, eventId: event.id } })) > 0;
}

/**
 * Marks events reviewed (or not) for this member. Only events they may see; unknown ids are skipped. Unmarking an
 * event older than their mark cannot bring it back (the mark covers it): reviewed stays true for those, and the
 * answer says so per id.
 */
export async function setReviewed(db: Db, viewer: Who, eventIds: string[], reviewed: boolean): Promise<{ changed: number; reviewed: string[]; unreviewed: string[] }> {
  const ids = [...new Set(eventIds)];
  if (ids.length === 0 || ids.length > MAX_REVIEW_IDS) throw new AppError("validation", {}, { ids: ids.length ? "too_big" : "required" });
  const granted = await visibleCameraIds(db, viewer);
  const events = await db.event.findMany({ where: { id: { in: ids }, ...(granted === "all" ? {} : { cameraId: { in: granted } }) }, select: { id: true, startedAt: true } });
  const { upTo } = await reviewWatermark(db, viewer.id);
  let changed = 0;
  if (reviewed) {
    const fresh = events.filter((e) => e.startedAt.getTime() > upTo.getTime()).map((e) => e.id);
    const have = new Set((await db.eventReview.findMany({ where: { userId: viewer.id, eventId: { in: fresh } }, select: { eventId: true } })).map((r) => r.eventId));
    const add = fresh.filter((id) => !have.has(id));
    if (add.length) changed = (await db.eventReview.createMany({ data: add.map((eventId) => ({ userId: viewer.id, eventId })) })).count;
    return { changed, reviewed: events.map((e) => e.id), unreviewed: [] };
  }
  changed = (await db.eventReview.deleteMany({ where: { userId: viewer.id, eventId: { in: events.map((e) => e.id) } } })).count;
  const covered = events.filter((e) => e.startedAt.getTime() <= upTo.getTime()).map((e) => e.id);
  return { changed, reviewed: covered, unreviewed: events.map((e) => e.id).filter((id) => !covered.includes(id)) };
}

/** "Everything up to now": the member's mark moves to `now`; their single marks before it are no longer needed. */
export async function markAllReviewed(db: Db, viewer: Who, now: Date = new Date()): Promise<{ upTo: string }> {
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: viewer.id }, data: { reviewedUpTo: now } });
    await tx.eventReview.deleteMany({ where: { userId: viewer.id, event: { startedAt: { lte: now } } } });
  });
  return { upTo: now.toISOString() };
}

/**
 * How many events the member may see and has not reviewed, up to REVIEW_COUNT_CAP (the navigation shows "99+"
 * beyond). One statement: a range of Event(startedAt) — or per camera of Event(cameraId, startedAt) — after the
 * member's mark, each checked against EventReview's key, stopping at the cap.
 */
export async function countToReview(db: Db, viewer: Who): Promise<number> {
  const granted = await visibleCameraIds(db, viewer);
  if (granted !== "all" && granted.length === 0) return 0;
  const { upTo } = await reviewWatermark(db, viewer.id);
  const camera = granted === "all" ? "" : ` AND "cameraId" IN (${granted.map(() => "?").join(", ")})`;
  const rows = await db.$queryRawUnsafe<{ n: number | bigint }[]>(
    `SELECT COUNT(*) AS "n" FROM (SELECT 1 FROM "Event" WHERE "startedAt" > ?${camera}
       AND NOT EXISTS (SELECT 1 FROM "EventReview" AS "r" WHERE "r"."userId" = ? AND "r"."eventId" = "Event"."id") LIMIT ?)`,
    upTo,
    ...(granted === "all" ? [] : granted),
    viewer.id,
    REVIEW_COUNT_CAP,
  );
  return Number(rows[0]?.n ?? 0);
}
