// Running totals of the recordings (issue #18): StorageCameraTotal (per camera) and StorageQuarterTotal (per camera
// and quarter of an hour), kept exact by SQLite triggers on Event, Clip and Photo (prisma/migrations/…_storage_totals).
// The Storage page and retention read them instead of summing a million Clip and Photo rows. Sums over a time range
// use the whole quarters from StorageQuarterTotal and the raw rows for the part of a quarter at either end (the 7-day
// rate window starts at "now"; every zone's days start on a quarter), so every figure is exact.
import type { Db } from "../db";

/** Width of a StorageQuarterTotal bucket, ms (`quarter` counts them since 1970 UTC). */
export const QUARTER_MS = 900_000;

/** One camera's recordings: events, and bytes of clips and of photos with their thumbnails; `protectedBytes` the part of both in protected events. `cameraKey` "" = events of deleted cameras. */
export type CameraTotal = { cameraKey: string; events: number; clipBytes: number; photoBytes: number; protectedBytes: number };

/** What started in one time range: events per camera key (by the event's start), clip bytes (by the clip's start) and photo bytes (by the event's start). */
export type RangeSums = { events: Map<string, number>; clipBytes: number; photoBytes: number };

const num = (v: unknown) => Number(v ?? 0);

export async function loadCameraTotals(db: Db): Promise<CameraTotal[]> {
  const rows = await db.$queryRawUnsafe<Record<keyof CameraTotal, unknown>[]>(`SELECT "cameraKey", "events", "clipBytes", "photoBytes", "protectedBytes" FROM "StorageCameraTotal"`);
  return rows.map((r) => ({ cameraKey: String(r.cameraKey), events: num(r.events), clipBytes: num(r.clipBytes), photoBytes: num(r.photoBytes), protectedBytes: num(r.protectedBytes) }));
}

/**
 * [a, b) as whole quarters [from, to) (quarter-hours since 1970) and the ms ranges at either end that cover part of a
 * quarter only. `b` may be Infinity (no end). A range with no whole quarter in it is all edge.
 */
export function splitQuarters(a: number, b: number): { from: number; to: number; edges: [number, number][] } {
  const from = Math.ceil(a / QUARTER_MS);
  const to = b === Infinity ? Infinity : Math.floor(b / QUARTER_MS);
  if (to <= from) return { from, to: from, edges: b > a ? [[a, b]] : [] };
  const edges: [number, number][] = [];
  if (from * QUARTER_MS > a) edges.push([a, from * QUARTER_MS]);
  if (to !== Infinity && to * QUARTER_MS < b) edges.push([to * QUARTER_MS, b]);
  return { from, to, edges };
}

/** A VALUES list of (i, a, b) rows as a CTE named d, and its parameters. */
const rangesCte = (ranges: { i: number; a: unknown; b: unknown }[]) => ({
  sql: `WITH d(i, a, b) AS (VALUES ${ranges.map(() => "(?, ?, ?)").join(", ")})`,
  params: ranges.flatMap((r) => [r.i, r.a, r.b]),
});

/** "No end" as a quarter (any real one is far smaller). */
const NO_END = Number.MAX_SAFE_INTEGER;

/**
 * What started in each of the ranges [bounds[i], bounds[i + 1]) (ms, ascending; the last bound may be Infinity).
 * One statement over StorageQuarterTotal (summed per range and camera in SQL), plus one per kind for the partial
 * quarters at the ends (none when every bound is on a quarter).
 */
export async function sumsBetween(db: Db, bounds: number[]): Promise<RangeSums[]> {
  const out: RangeSums[] = bounds.slice(1).map(() => ({ events: new Map(), clipBytes: 0, photoBytes: 0 }));
  const parts = out.map((_, i) => splitQuarters(bounds[i], bounds[i + 1]));
  const add = (s: RangeSums, key: string, events: number, clipBytes: number, photoBytes: number) => {
    if (events) s.events.set(key, (s.events.get(key) ?? 0) + events);
    s.clipBytes += clipBytes;
    s.photoBytes += photoBytes;
  };
  const whole = parts.map((p, i) => ({ i, a: p.from, b: p.to === Infinity ? NO_END : p.to })).filter((r) => r.b > r.a);
  if (whole.length) {
    const d = rangesCte(whole);
    const rows = await db.$queryRawUnsafe<{ i: unknown; k: string; n: unknown; cb: unknown; pb: unknown }[]>(
      `${d.sql} SELECT d.i AS i, q."cameraKey" AS k, SUM(q."events") AS n, SUM(q."clipBytes") AS cb, SUM(q."photoBytes") AS pb
         FROM d JOIN "StorageQuarterTotal" q ON q."quarter" >= d.a AND q."quarter" < d.b GROUP BY d.i, q."cameraKey"`,
      ...d.params,
    );
    for (const r of rows) add(out[num(r.i)], r.k, num(r.n), num(r.cb), num(r.pb));
  }
  const edges = parts.flatMap((p, i) => p.edges.map(([a, b]) => ({ i, a: new Date(a), b: new Date(b) })));
  if (edges.length) {
    const d = rangesCte(edges);
    const events = await db.$queryRawUnsafe<{ i: unknown; k: string; n: unknown; pb: unknown }[]>(
      `${d.sql} SELECT d.i AS i, COALESCE(e.cameraId, '') AS k, COUNT(*) AS n,
              COALESCE(SUM((SELECT p.bytes + p.thumbBytes FROM Photo p WHERE p.eventId = e.id)), 0) AS pb
         FROM d JOIN Event e ON e.startedAt >= d.a AND e.startedAt < d.b GROUP BY d.i, k`,
      ...d.params,
    );
    for (const r of events) add(out[num(r.i)], r.k, num(r.n), 0, num(r.pb));
    const clips = await db.$queryRawUnsafe<{ i: unknown; v: unknown }[]>(`${d.sql} SELECT d.i AS i, (SELECT COALESCE(SUM(c.bytes), 0) FROM Clip c WHERE c.startedAt >= d.a AND c.startedAt < d.b) AS v FROM d`, ...d.params);
    for (const r of clips) add(out[num(r.i)], "", 0, num(r.v), 0);
  }
  return out;
}

/**
 * The totals counted afresh from every row (full scans: seconds at a million events). For tests, which compare it
 * with the running totals; the migration's backfill is the same query.
 */
export async function recountTotals(db: Db): Promise<{ cameras: CameraTotal[]; quarters: { quarter: number; cameraKey: string; events: number; clipBytes: number; photoBytes: number }[] }> {
  const quarterOf = (col: string) => `CAST(strftime('%s', ${col}) AS INTEGER) / 900`;
  const parts = (time: { event: string; clip: string }) => `
    SELECT ${time.event} AS h, COALESCE(e.cameraId, '') AS k, 1 AS n, 0 AS cb, 0 AS pb, 0 AS pr FROM Event e
    UNION ALL SELECT ${time.clip}, COALESCE(e.cameraId, ''), 0, c.bytes, 0, CASE WHEN e.isProtected THEN c.bytes ELSE 0 END FROM Clip c JOIN Event e ON e.id = c.eventId
    UNION ALL SELECT ${time.event}, COALESCE(e.cameraId, ''), 0, 0, p.bytes + p.thumbBytes, CASE WHEN e.isProtected THEN p.bytes + p.thumbBytes ELSE 0 END FROM Photo p JOIN Event e ON e.id = p.eventId`;
  const cams = await db.$queryRawUnsafe<Record<string, unknown>[]>(`SELECT k, SUM(n) AS n, SUM(cb) AS cb, SUM(pb) AS pb, SUM(pr) AS pr FROM (${parts({ event: "0", clip: "0" })}) GROUP BY k ORDER BY k`);
  const quarters = await db.$queryRawUnsafe<Record<string, unknown>[]>(
    `SELECT h, k, SUM(n) AS n, SUM(cb) AS cb, SUM(pb) AS pb FROM (${parts({ event: quarterOf("e.startedAt"), clip: quarterOf("c.startedAt") })}) GROUP BY h, k ORDER BY h, k`,
  );
  return {
    cameras: cams.map((r) => ({ cameraKey: String(r.k), events: num(r.n), clipBytes: num(r.cb), photoBytes: num(r.pb), protectedBytes: num(r.pr) })),
    quarters: quarters.map((r) => ({ quarter: num(r.h), cameraKey: String(r.k), events: num(r.n), clipBytes: num(r.cb), photoBytes: num(r.pb) })),
  };
}

/** The running totals as recountTotals returns them: rows that are all zero (their recordings are gone) left out. */
export async function loadRunningTotals(db: Db): Promise<Awaited<ReturnType<typeof recountTotals>>> {
  const cameras = (await loadCameraTotals(db)).filter((c) => c.events || c.clipBytes || c.photoBytes || c.protectedBytes).sort((a, b) => (a.cameraKey < b.cameraKey ? -1 : a.cameraKey > b.cameraKey ? 1 : 0));
  const quarters = await db.$queryRawUnsafe<Record<string, unknown>[]>(
    `SELECT "quarter", "cameraKey", "events", "clipBytes", "photoBytes" FROM "StorageQuarterTotal" WHERE "events" != 0 OR "clipBytes" != 0 OR "photoBytes" != 0 ORDER BY "quarter", "cameraKey"`,
  );
  return { cameras, quarters: quarters.map((r) => ({ quarter: num(r.quarter), cameraKey: String(r.cameraKey), events: num(r.events), clipBytes: num(r.clipBytes), photoBytes: num(r.photoBytes) })) };
}
