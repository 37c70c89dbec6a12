// The notification centre of one member: the list (newest first, keyset pages), unread count, mark read, and the
// change signal the SSE stream polls (the member's newest Notification.updatedAt and unread count).
import type { Db } from "../db";

export const PAGE_SIZE = 30;

export type CentreItem = { id: string; kind: string; eventId: string | null; cameraId: string | null; data: Record<string, unknown>; createdAt: string; updatedAt: string; readAt: string | null };
export type CentrePage = { items: CentreItem[]; nextBefore: string | null; unread: number };

function parse(json: string): Record<string, unknown> {
  try {
    return JSON.parse(json) as Record<string, unknown>;
  } catch {
    return {};
  }
}

export async function listNotifications(db: Db, userId: string, before: Date | null = null): Promise<CentrePage> {
  const [rows, unread] = await Promise.all([
    db.notification.findMany({ where: { userId, ...(before ? { createdAt: { lt: before } } : {}) }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: PAGE_SIZE + 1 }),
    countUnread(db, userId),
  ]);
  const items = rows.slice(0, PAGE_SIZE).map((r) => ({ id: r.id, kind: r.kind, eventId: r.eventId, cameraId: r.cameraId, data: parse(r.data), createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString(), readAt: r.readAt?.toISOString() ?? null }));
  return { items, nextBefore: rows.length > PAGE_SIZE ? items[items.length - 1].createdAt : null, unread };
}

export function countUnread(db: Db, userId: string): Promise<number> {
  return db.notification.count({ where: { userId, readAt: null } });
}

/** Marks the given notifications (or all, ids null) of the member read. Returns the unread count after. */
export async function markNotificationsRead(db: Db, userId: string, ids: string[] | null, now = new Date()): Promise<{ unread: number }> {
  await db.notification.updateMany({ where: { userId, readAt: null, ...(ids ? { id: { in: ids } } : {}) }, data: { readAt: now } });
  return { unread: await countUnread(db, userId) };
}

/** What the stream compares between polls: changes when a row is added, updated or read. */
export async function notificationSignal(db: Db, userId: string): Promise<{ latest: string | null; unread: number }> {
  const [latest, unread] = await Promise.all([db.notification.findFirst({ where: { userId }, orderBy: { updatedAt: "desc" }, select: { updatedAt: true } }), countUnread(db, userId)]);
  return { latest: latest?.updatedAt.toISOString() ?? null, unread };
}

/** The member's delivery log, newest first. */
export async function listDeliveries(db: Db, userId: string, take = 100) {
  const rows = await db.notificationDelivery.findMany({ where: { userId }, orderBy: { at: "desc" }, take, select: { id: true, channel: true, status: true, detail: true, at: true, notificationId: true } });
  return rows.map((r) => ({ ...r, at: r.at.toISOString() }));
}
