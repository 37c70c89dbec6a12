// Reading the Fact outbox in id order, one cursor per reader (FactCursor), so each reader sees every fact once even
// across restarts. A reader that has never read starts at the newest fact: a new reader does not replay history.
import type { Db } from "../db";
import { DAY_MS } from "../time";
import type { FactType, StoredFact } from "./types";

/** Facts after the reader's cursor, oldest first, at most `limit`. Creates the cursor at the newest fact on first use. */
export async function readFacts(db: Db, reader: string, limit = 200): Promise<StoredFact[]> {
  let cursor = await db.factCursor.findUnique({ where: { reader } });
  if (!cursor) {
    const newest = await db.fact.findFirst({ orderBy: { id: "desc" }, select: { id: true } });
    cursor = await db.factCursor.upsert({ where: { reader }, create: { reader, lastId: newest?.id ?? 0 }, update: {} });
  }
  const rows = await db.fact.findMany({ where: { id: { gt: cursor.lastId } }, orderBy: { id: "asc" }, take: limit });
  return rows.map((r) => ({ id: r.id, type: r.type as FactType, data: safeJson(r.data) as never, cameraId: r.cameraId, eventId: r.eventId, createdAt: r.createdAt }));
}

/** Moves the reader's cursor past `lastId` (call after the facts were handled). */
export async function commitFacts(db: Db, reader: string, lastId: number): Promise<void> {
  await db.factCursor.upsert({ where: { reader }, create: { reader, lastId }, update: { lastId } });
}

/** How long a fact stays in the outbox, ms (the daily trim-facts job; readers are far ahead of that). */
export const FACT_KEEP_MS = 2 * DAY_MS;

/** Deletes facts older than `maxAgeMs` (default FACT_KEEP_MS). Returns how many. */
export async function trimFacts(db: Db, now: Date, maxAgeMs = FACT_KEEP_MS): Promise<number> {
  const { count } = await db.fact.deleteMany({ where: { createdAt: { lt: new Date(now.getTime() - maxAgeMs) } } });
  return count;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}
