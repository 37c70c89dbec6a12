// Reading events: the ones a member may see (the cameras granted to them; admins see all, including events of
// deleted cameras), newest first, filtered by camera, time, protection and object label, paged by keyset
// (startedAt, id) — no OFFSET; a day of events for the timeline; the access check for one event; one event with its
// detections (the event page); media paths.
//
// A page is one SQL statement (measured on 1,000,000 events; plans checked in events.test.ts). One camera, or an
// admin's "everything", is one index range scan (Event(cameraId, startedAt) or Event(startedAt)) that stops after
// `limit` rows. Several cameras are one UNION ALL of such per-camera scans: `cameraId IN (…) ORDER BY startedAt`
// would read and sort every event of those cameras (~200 ms at 1M). The keyset is written
// `startedAt <= c AND (startedAt < c OR id < i)` so the index range starts at the cursor; the equivalent
// `startedAt < c OR (startedAt = c AND id < i)` makes SQLite read from the newest row down (~450 ms on a deep page).
// "Protected only" has no index of its own in the schema yet: it is read through the camera/time indexes and costs
// as many rows as it must skip (see hasProtectedIndex). A label filter is the same: an EXISTS on EventLabel's key
// (eventId, label) per event read in time order, so a rare label costs the events it skips, never a sort.
import type { Viewer } from "../auth/viewer";
import type { Db } from "../db";
import { AppError } from "../errors";
import { laneKey } from "./query";
import { DAY_MS, dayRange, isDay } from "../time";
import { resolveInside } from "../data-dir";
import { CAMERA_ORDER, canSeeCamera, listVisibleCameras, visibleCameraIds } from "../cameras/access";
import { isReviewedBy, reviewWatermark } from "./review";
import { densityBucketMs, detailLimit } from "./timeline";

export const EVENTS_PAGE_SIZE = 50;
/** Largest page, events. */
export const MAX_PAGE_SIZE = 200;
/** How far back (ms) the timeline looks for an event of the day before that runs past midnight into the day. */
const CARRY_OVER_MS = DAY_MS;
/** Most cameras one query may name (filters and bulk requests). */
export const MAX_FILTER_CAMERAS = 100;
/** Above this many cameras a page is one ordered scan instead of a UNION ALL (SQLite allows 500 compound terms). */
const MAX_UNION_BRANCHES = 200;

type Who = Pick<Viewer, "id" | "role">;

export type EventFilters = {
  /** Only these cameras (each must be visible to the viewer). */
  cameraIds?: string[];
  /** startedAt >= from. */
  from?: Date;
  /** startedAt < to (exclusive). */
  to?: Date;
  /** true: protected only; false: unprotected only; undefined: both. */
  protected?: boolean;
  /** Only events with any of these object labels (lib/detection/labels.ts names; groups already expanded). */
  labels?: string[];
  /** Only events this member has not reviewed (the review queue, review.ts): after their mark, and not marked one by one. */
  unreviewedBy?: Reviewer;
};
/** A member and their "reviewed up to" mark (review.ts reviewWatermark). */
export type Reviewer = { userId: string; upTo: Date };
export type ListEventsOptions = Omit<EventFilters, "unreviewedBy"> & { before?: string | null; limit?: number; /** Only what the viewer has not reviewed. */ toReview?: boolean };

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


/**
 * Which cameras a query covers: "all" (an admin without a camera filter; includes events of deleted cameras) or a
 * list of camera ids. A non-admin naming a camera not granted to them (or unknown) is refused with forbidden.
 */
export async function cameraScope(db: Db, viewer: Who, cameraIds?: string[]): Promise<"all" | string[]> {
  const wanted = cameraIds?.length ? [...new Set(cameraIds)] : null;
  if (wanted && wanted.length > MAX_FILTER_CAMERAS) throw new AppError("validation", {}, { camera: "too_big" });
  const granted = await visibleCameraIds(db, viewer);
  if (granted === "all") return wanted ?? "all";
  if (!wanted) return granted;
  const set = new Set(granted);
  if (wanted.some((id) => !set.has(id))) throw new AppError("forbidden");
  return wanted;
}

/** Refuses unusable dates (validation) and ranges whose end is not after their start (invalid_date_range). */
export function checkDateRange(from?: Date, to?: Date): void {
  if (from && Number.isNaN(from.getTime())) throw new AppError("validation", {}, { from: "invalid" });
  if (to && Number.isNaN(to.getTime())) throw new AppError("validation", {}, { to: "invalid" });
  if (from && to && to.getTime() <= from.getTime()) throw new AppError("invalid_date_range");
}

type Cursor = { startedAt: Date; id: string };
/** "all" cameras; one camera (null = events of deleted cameras); or many, as one ordered scan (`anyOf`). */
type Branch = "all" | { cameraId: string | null } | { anyOf: string[] };

/**
 * The SQL of one page of event ids (newest first). Exported for the query-plan test. `branches`: "all", or one
 * branch per camera (null = events of deleted cameras). Dates are bound as Date (the adapter's stored text format).
 */
export function pageSql(branches: Branch[], filters: Omit<EventFilters, "cameraIds">, cursor: Cursor | null, take: number): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const branchSql = (b: Branch) => {
    const where: string[] = [];
    if (b !== "all" && "anyOf" in b) {
      // `+` keeps SQLite on Event(startedAt) (in order, stops after `take` rows) instead of reading and sorting every
      // event of these cameras through Event(cameraId, startedAt).
      where.push(`+"cameraId" IN (${b.anyOf.map(() => "?").join(", ")})`);
      params.push(...b.anyOf);
    } else if (b !== "all") {
      if (b.cameraId === null) where.push(`"cameraId" IS NULL`);
      else {
        where.push(`"cameraId" = ?`);
        params.push(b.cameraId);
      }
    }
    if (filters.protected !== undefined) {
      where.push(`"isProtected" = ?`);
      params.push(filters.protected ? 1 : 0);
    }
    if (filters.labels) {
      // An empty list matches nothing (IN () is valid SQLite and false).
      where.push(`EXISTS (SELECT 1 FROM "EventLabel" AS "l" WHERE "l"."eventId" = "Event"."id" AND "l"."label" IN (${filters.labels.map(() => "?").join(", ")}))`);
      params.push(...filters.labels);
    }
    if (filters.unreviewedBy) {
      // After the member's mark (a range of the same index), and no mark of their own: EventReview's key.
      where.push(`"startedAt" > ?`, `NOT EXISTS (SELECT 1 FROM "EventReview" AS "r" WHERE "r"."userId" = ? AND "r"."eventId" = "Event"."id")`);
      params.push(filters.unreviewedBy.upTo, filters.unreviewedBy.userId);
    }
    if (filters.from) {
      where.push(`"startedAt" >= ?`);
      params.push(filters.from);
    }
    // One upper bound: the cursor when it is inside the range (it then implies `< to`), else `to`.
    if (cursor && (!filters.to || cursor.startedAt.getTime() < filters.to.getTime())) {
      where.push(`"startedAt" <= ?`, `("startedAt" < ? OR "id" < ?)`);
      params.push(cursor.startedAt, cursor.startedAt, cursor.id);
    } else if (filters.to) {
      where.push(`"startedAt" < ?`);
      params.push(filters.to);
    }
    params.push(take);
    return `SELECT "id", "startedAt" FROM "Event"${where.length ? ` WHERE ${where.join(" AND ")}` : ""} ORDER BY "startedAt" DESC, "id" DESC LIMIT ?`;
  };
  if (branches.length === 1) return { sql: branchSql(branches[0]), params };
  const union = branches.map((b) => `SELECT "id", "startedAt" FROM (${branchSql(b)})`).join(" UNION ALL ");
  params.push(take);
  return { sql: `${union} ORDER BY "startedAt" DESC, "id" DESC LIMIT ?`, params };
}

type EventRow = {
  id: string;
  cameraId: string | null;
  cameraName: string;
  startedAt: Date;
  endedAt: Date | null;
  peakScore: number;
  zones: string;
  isProtected: boolean;
  clips: { sequence: number; durationMs: number; bytes: number; videoCodec: string }[];
  hasPhoto: boolean;
  labels: EventLabelScore[];
  objectCount: number;
  reviewed: boolean;
};

/** An object label seen during an event and its best score (0–1). */
export type EventLabelScore = { label: string; score: number };

export type EventSummary = {
  id: string;
  cameraId: string | null;
  cameraName: string;
  startedAt: string;
  endedAt: string | null;
  peakScore: number;
  zones: string[];
  isProtected: boolean;
  clips: { sequence: number; durationMs: number; bytes: number; videoCodec: string }[];
  hasPhoto: boolean;
  /** The object labels seen (object detection), best score first; empty without detection. */
  labels: EventLabelScore[];
  /** Most objects of interest seen at once (0 without detection). */
  objectCount: number;
  /** The asking member has reviewed it (the review queue: marked, or up to their "everything up to now"). */
  reviewed: boolean;
};

/** Best score first; equal scores by name (stable across pages). */
function byScore(labels: EventLabelScore[]): EventLabelScore[] {
  return [...labels].sort((a, b) => b.score - a.score || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
}

function toSummary(e: EventRow): EventSummary {
  let zones: string[] = [];
  try {
    zones = JSON.parse(e.zones) as string[];
  } catch {
    /* a malformed zones column shows as "whole picture" */
  }
  return {
    id: e.id,
    cameraId: e.cameraId,
    cameraName: e.cameraName,
    startedAt: e.startedAt.toISOString(),
    endedAt: e.endedAt?.toISOString() ?? null,
    peakScore: e.peakScore,
    zones,
    isProtected: e.isProtected,
    clips: e.clips,
    hasPhoto: e.hasPhoto,
    labels: byScore(e.labels),
    objectCount: e.objectCount,
    reviewed: e.reviewed,
  };
}

export type EventPage = { events: EventSummary[]; nextBefore: string | null };

/**
 * The whole page in one statement: the page's ids (pageSql) joined with their event rows, clips (as JSON,
 * by sequence, through Clip(eventId, sequence)), labels (as JSON through EventLabel's key; sorted in fromRaw, a few
 * per event) and whether a photo exists.
 */
export function withDetails(page: { sql: string; params: unknown[] }, reviewer: Reviewer): { sql: string; params: unknown[] } {
  return {
    sql: `WITH "page" AS (${page.sql})
SELECT "e"."id", "e"."cameraId", "e"."cameraName", "e"."startedAt", "e"."endedAt", "e"."peakScore", "e"."zones", "e"."isProtected", "e"."objectCount",
  ("e"."startedAt" <= ? OR EXISTS (SELECT 1 FROM "EventReview" AS "r" WHERE "r"."userId" = ? AND "r"."eventId" = "e"."id")) AS "reviewed",
  (SELECT json_group_array(json_object('sequence', "c"."sequence", 'durationMs', "c"."durationMs", 'bytes', "c"."bytes", 'videoCodec', "c"."videoCodec"))
     FROM (SELECT "sequence", "durationMs", "bytes", "videoCodec" FROM "Clip" WHERE "Clip"."eventId" = "e"."id" ORDER BY "sequence") AS "c") AS "clipsJson",
  (SELECT json_group_array(json_object('label', "l"."label", 'score', "l"."score")) FROM "EventLabel" AS "l" WHERE "l"."eventId" = "e"."id") AS "labelsJson",
  EXISTS (SELECT 1 FROM "Photo" WHERE "Photo"."eventId" = "e"."id") AS "hasPhoto"
FROM "page" JOIN "Event" AS "e" ON "e"."id" = "page"."id"
ORDER BY "page"."startedAt" DESC, "page"."id" DESC`,
    params: [...page.params, reviewer.upTo, reviewer.userId],
  };
}

type RawPageRow = {
  id: string;
  cameraId: string | null;
  cameraName: string;
  startedAt: Date | string;
  endedAt: Date | string | null;
  peakScore: number;
  zones: string;
  isProtected: boolean | number | bigint;
  objectCount: number | bigint;
  clipsJson: string;
  labelsJson: string;
  hasPhoto: boolean | number | bigint;
  reviewed: boolean | number | bigint;
};

function fromRaw(r: RawPageRow): EventRow {
  return {
    id: r.id,
    cameraId: r.cameraId,
    cameraName: r.cameraName,
    startedAt: new Date(r.startedAt),
    endedAt: r.endedAt === null ? null : new Date(r.endedAt),
    peakScore: Number(r.peakScore),
    zones: r.zones,
    isProtected: Boolean(Number(r.isProtected)),
    clips: JSON.parse(r.clipsJson) as EventRow["clips"],
    hasPhoto: Boolean(Number(r.hasPhoto)),
    labels: JSON.parse(r.labelsJson) as EventLabelScore[],
    objectCount: Number(r.objectCount),
    reviewed: Boolean(Number(r.reviewed)),
  };
}

/** The camera branches of a page query for a scope (see the module comment for why). */
async function pageQuery(db: Db, scope: "all" | string[], filters: Omit<EventFilters, "cameraIds">, cursor: Cursor | null, take: number) {
  if (scope === "all" && filters.protected === true && (await hasProtectedIndex(db))) {
    // Protected events are rare: per-camera branches let Event(cameraId, isProtected, startedAt) answer each at once.
    const cameras = await db.camera.findMany({ select: { id: true } });
    if (cameras.length + 1 <= MAX_UNION_BRANCHES) return pageSql([...cameras.map((c) => ({ cameraId: c.id })), { cameraId: null }], filters, cursor, take);
  }
  if (scope === "all") return pageSql(["all"], filters, cursor, take);
  if (scope.length <= MAX_UNION_BRANCHES) return pageSql(scope.map((cameraId) => ({ cameraId })), filters, cursor, take);
  return pageSql([{ anyOf: scope }], filters, cursor, take);
}

const protectedIndexKnown = new WeakMap<Db, boolean>();

/**
 * Whether the database has an index on Event(cameraId, isProtected, startedAt). Without it, "all cameras, protected
 * only" is fastest as one scan of Event(startedAt) that stops after a page of protected events; with it, as
 * per-camera branches. Read once per client.
 */
async function hasProtectedIndex(db: Db): Promise<boolean> {
  const known = protectedIndexKnown.get(db);
  if (known !== undefined) return known;
  const rows = await db.$queryRawUnsafe<{ cols: string }[]>(
    `SELECT (SELECT group_concat("name", ',') FROM (SELECT "name" FROM pragma_index_info("il"."name") ORDER BY "seqno")) AS "cols" FROM pragma_index_list('Event') AS "il"`,
  );
  const found = rows.some((r) => r.cols === "cameraId,isProtected,startedAt");
  protectedIndexKnown.set(db, found);
  return found;
}

/** One page of the events the viewer may see, newest first; `nextBefore` continues after its last event. One SQL statement. */
export async function listEvents(db: Db, viewer: Who, opts: ListEventsOptions = {}): Promise<EventPage> {
  const limit = Math.min(Math.max(Math.trunc(opts.limit ?? EVENTS_PAGE_SIZE), 1), MAX_PAGE_SIZE);
  const cursor = decodeCursor(opts.before);
  checkDateRange(opts.from, opts.to);
  const scope = await cameraScope(db, viewer, opts.cameraIds);
  if (scope !== "all" && scope.length === 0) return { events: [], nextBefore: null };
  const reviewer = await reviewWatermark(db, viewer.id);
  const filters = { from: opts.from, to: opts.to, protected: opts.protected, labels: opts.labels, ...(opts.toReview ? { unreviewedBy: reviewer } : {}) };
  const query = withDetails(await pageQuery(db, scope, filters, cursor, limit + 1), reviewer);
  const rows = (await db.$queryRawUnsafe<RawPageRow[]>(query.sql, ...query.params)).map(fromRaw);
  const page = rows.slice(0, limit);
  return {
    events: page.map(toSummary),
    nextBefore: rows.length > limit ? encodeCursor(page[page.length - 1]) : null,
  };
}

export type TimelineLane = { key: string; cameraId: string | null; cameraName: string; isDeleted: boolean };
/** What a timeline marker needs; the player loads the rest (GET /api/events/:id) when a marker is opened. */
export type TimelineEvent = {
  id: string;
  cameraId: string | null;
  cameraName: string;
  startedAt: string;
  endedAt: string | null;
  isProtected: boolean;
  /** The object labels seen, best score first. */
  labels: string[];
  /** True when the event has a photo: its thumbnail is GET /api/events/:id/photo?size=thumb (the timeline's preview). */
  hasPhoto: boolean;
};
/** Density of a window too busy to list: counts by start per lane (keyed by TimelineLane.key) and bucket. */
export type TimelineDensity = { start: string; bucketMs: number; counts: Record<string, number[]>; total: number };
/**
 * One answer for the timeline: the day's bounds (from, to) and lanes, and for `window` (the whole day unless a part
 * was asked for) either its events one by one (at most detailLimit; density null) or, when it holds more, no
 * events and its density.
 */
export type TimelineDay = { day: string; timeZone: string; from: string; to: string; window: { from: string; to: string }; lanes: TimelineLane[]; events: TimelineEvent[]; density: TimelineDensity | null };

type DayRowRaw = { id: string; cameraId: string | null; cameraName: string; startedAt: Date; endedAt: Date | null; isProtected: boolean; labels: string; hasPhoto: bigint | number };
type DayFilter = { scope: "all" | string[]; protected?: boolean; labels?: string[] };

/** The WHERE of a day's events: start in [from, to), with `endsAfter` still going then, and the filters. */
function dayWhere(filter: DayFilter, range: { from: Date; to: Date; endsAfter?: Date }): { where: string; params: unknown[] } {
  const where = [`e."startedAt" >= ?`, `e."startedAt" < ?`];
  const params: unknown[] = [range.from, range.to];
  if (range.endsAfter) {
    where.push(`(e."endedAt" IS NULL OR e."endedAt" > ?)`);
    params.push(range.endsAfter);
  }
  if (filter.scope !== "all") {
    where.push(`e."cameraId" IN (${filter.scope.map(() => "?").join(", ")})`);
    params.push(...filter.scope);
  }
  if (filter.protected !== undefined) {
    where.push(`e."isProtected" = ?`);
    params.push(filter.protected ? 1 : 0);
  }
  if (filter.labels) {
    // An empty list matches nothing (IN () is valid SQLite and false).
    where.push(`EXISTS (SELECT 1 FROM "EventLabel" AS "f" WHERE "f"."eventId" = e."id" AND "f"."label" IN (${filter.labels.map(() => "?").join(", ")}))`);
    params.push(...filter.labels);
  }
  return { where: where.join(" AND "), params };
}

/**
 * Events that start in [from, to) (and, with `endsAfter`, are still going then: unfinished or ended later), oldest
 * first, at most `limit`, as the timeline shows them: labels by score (highest first, then by name).
 */
async function readDayRows(db: Db, filter: DayFilter, range: { from: Date; to: Date; endsAfter?: Date }, limit: number): Promise<TimelineEvent[]> {
  const { where, params } = dayWhere(filter, range);
  const rows = await db.$queryRawUnsafe<DayRowRaw[]>(
    `SELECT e."id", e."cameraId", e."cameraName", e."startedAt", e."endedAt", e."isProtected",
            (SELECT json_group_array("l"."label" ORDER BY "l"."score" DESC, "l"."label") FROM "EventLabel" AS "l" WHERE "l"."eventId" = e."id") AS "labels",
            EXISTS (SELECT 1 FROM "Photo" AS "p" WHERE "p"."eventId" = e."id") AS "hasPhoto"
       FROM "Event" AS e WHERE ${where} ORDER BY e."startedAt", e."id" LIMIT ?`,
    ...params,
    limit,
  );
  return rows.map((r) => ({
    id: r.id,
    cameraId: r.cameraId,
    cameraName: r.cameraName,
    startedAt: new Date(r.startedAt).toISOString(),
    endedAt: r.endedAt === null ? null : new Date(r.endedAt).toISOString(),
    isProtected: Boolean(r.isProtected),
    labels: JSON.parse(r.labels) as string[],
    hasPhoto: Number(r.hasPhoto) === 1,
  }));
}

/** How many events the range holds, counted up to `cap` (an index range scan that stops there; nothing else is read). */
async function countDayRows(db: Db, filter: DayFilter, range: { from: Date; to: Date }, cap: number): Promise<number> {
  const { where, params } = dayWhere(filter, range);
  const rows = await db.$queryRawUnsafe<{ n: bigint | number }[]>(`SELECT COUNT(*) AS "n" FROM (SELECT 1 FROM "Event" AS e WHERE ${where} LIMIT ?)`, ...params, cap);
  return Number(rows[0]?.n ?? 0);
}

/** Events in [from, to) counted per camera (and name, for deleted cameras) and bucket of `bucketMs` from `origin` (ms, ≤ from). */
async function readDensity(db: Db, filter: DayFilter, range: { from: Date; to: Date }, origin: number, bucketMs: number): Promise<{ cameraId: string | null; cameraName: string; bucket: number; count: number }[]> {
  const { where, params } = dayWhere(filter, range);
  // startedAt is stored as ISO text: strftime('%s') is whole seconds since 1970 (UTC); `origin` is a whole second. The
  // driver binds JS numbers as REAL: cast, so that the division is an integer's (the bucket index, rounded down).
  const rows = await db.$queryRawUnsafe<{ cameraId: string | null; cameraName: string; b: bigint | number; n: bigint | number }[]>(
    `SELECT e."cameraId" AS "cameraId", CASE WHEN e."cameraId" IS NULL THEN e."cameraName" ELSE '' END AS "cameraName",
            MAX(0, (CAST(strftime('%s', e."startedAt") AS INTEGER) * 1000 - CAST(? AS INTEGER)) / CAST(? AS INTEGER)) AS "b", COUNT(*) AS "n"
       FROM "Event" AS e WHERE ${where} GROUP BY 1, 2, 3`,
    origin,
    bucketMs,
    ...params,
  );
  return rows.map((r) => ({ cameraId: r.cameraId, cameraName: r.cameraName, bucket: Number(r.b), count: Number(r.n) }));
}

/**
 * The timeline of one calendar day in a time zone, or of a window of it (`window`, clamped to the day; its start
 * rounded down to a whole second): one lane per camera in scope (cameras without events that day included; deleted
 * cameras when they have events in the window), and the window's events by start time, oldest first — or, when the
 * window holds more than detailLimit (400; 2,000 in an hour), its density (counts per lane per densityBucketMs of the
 * window's length).
 */
export async function listDayEvents(
  db: Db,
  viewer: Who,
  opts: { day: string; timeZone: string; cameraIds?: string[]; protected?: boolean; labels?: string[]; window?: { from: Date; to: Date } },
): Promise<TimelineDay> {
  if (!isDay(opts.day)) throw new AppError("validation", {}, { day: "invalid" });
  const { from: dayFrom, to: dayTo } = dayRange(opts.day, opts.timeZone);
  const from = new Date(Math.floor(Math.max(dayFrom.getTime(), opts.window?.from.getTime() ?? -Infinity) / 1000) * 1000);
  const to = new Date(Math.min(dayTo.getTime(), opts.window?.to.getTime() ?? Infinity));
  if (!(from < to)) throw new AppError("validation", {}, { window: "window_outside_day" });
  const scope = await cameraScope(db, viewer, opts.cameraIds);
  const cameras = scope === "all" ? await listVisibleCameras(db, viewer) : await db.camera.findMany({ where: { id: { in: scope } }, select: { id: true, name: true }, orderBy: CAMERA_ORDER });
  const filter: DayFilter = { scope, protected: opts.protected, labels: opts.labels };
  const none = scope !== "all" && scope.length === 0;
  // A window is a short range of Event(startedAt) or, per camera, of Event(cameraId, startedAt): no paging needed.
  // Events that started before it (up to CARRY_OVER_MS back) and run into it come first. One raw statement per range,
  // labels and photo read per row through their indexes; at most detailLimit + 1 rows are read. A busier window is
  // counted instead (one GROUP BY over the same index range): a day of 35,000 events is ~150 numbers per lane, not
  // 35,000 markers (the Events page's first render carries it).
  // A busy window is known from a count that stops at detailLimit + 1, before any row (with its labels and photo) is read.
  const limit = detailLimit(to.getTime() - from.getTime());
  const isBusy = !none && (await countDayRows(db, filter, { from, to }, limit + 1)) > limit;
  const rows = none || isBusy ? [] : [...(await readDayRows(db, filter, { from: new Date(from.getTime() - CARRY_OVER_MS), to: from, endsAfter: from }, limit + 1)), ...(await readDayRows(db, filter, { from, to }, limit + 1))];
  let density: TimelineDensity | null = null;
  let deleted = rows.filter((r) => r.cameraId === null).map((r) => r.cameraName);
  if (isBusy || rows.length > limit) {
    // Buckets on the clock of the day (10:00, 10:05, …): the first may begin before the window (it counts from `from`).
    const bucketMs = densityBucketMs(to.getTime() - from.getTime());
    const origin = dayFrom.getTime() + Math.floor((from.getTime() - dayFrom.getTime()) / bucketMs) * bucketMs;
    const length = Math.ceil((to.getTime() - origin) / bucketMs);
    const counted = await readDensity(db, filter, { from, to }, origin, bucketMs);
    const counts: Record<string, number[]> = {};
    let total = 0;
    for (const r of counted) {
      const key = laneKey(r);
      const lane = (counts[key] ??= new Array<number>(length).fill(0));
      lane[Math.min(r.bucket, length - 1)] += r.count;
      total += r.count;
    }
    for (const c of cameras) counts[c.id] ??= new Array<number>(length).fill(0);
    density = { start: new Date(origin).toISOString(), bucketMs, counts, total };
    deleted = counted.filter((r) => r.cameraId === null).map((r) => r.cameraName);
  }
  const lanes: TimelineLane[] = cameras.map((c) => ({ key: c.id, cameraId: c.id, cameraName: c.name, isDeleted: false }));
  for (const name of [...new Set(deleted)].sort()) lanes.push({ key: laneKey({ cameraId: null, cameraName: name }), cameraId: null, cameraName: name, isDeleted: true });
  return {
    day: opts.day,
    timeZone: opts.timeZone,
    from: dayFrom.toISOString(),
    to: dayTo.toISOString(),
    window: { from: from.toISOString(), to: to.toISOString() },
    lanes,
    events: density ? [] : rows,
    density,
  };
}

/** The event if the viewer may see it: not_found for unknown ids, forbidden for other members' cameras. */
export async function requireEventAccess(db: Db, viewer: Who, eventId: string) {
  const event = await db.event.findUnique({ where: { id: eventId }, include: { clips: { orderBy: { sequence: "asc" } }, photo: true } });
  if (!event) throw new AppError("not_found");
  if (!(await canSeeCamera(db, viewer, event.cameraId))) throw new AppError("forbidden");
  return event;
}

/** One event as the list shows it (after an access check). */
export async function getEventSummary(db: Db, viewer: Who, eventId: string): Promise<EventSummary> {
  const e = await requireEventAccess(db, viewer, eventId);
  const labels = await db.eventLabel.findMany({ where: { eventId }, select: { label: true, score: true } });
  const reviewed = await isReviewedBy(db, viewer.id, e);
  return toSummary({ ...e, clips: e.clips.map((c) => ({ sequence: c.sequence, durationMs: c.durationMs, bytes: c.bytes, videoCodec: c.videoCodec })), hasPhoto: e.photo !== null, labels, reviewed });
}

/** An object on the event's photo: box in fractions of the frame (0–1, origin top-left); isWrong once a member marked it. */
export type EventDetection = { id: string; label: string; score: number; at: string; box: { x1: number; y1: number; x2: number; y2: number }; isWrong: boolean };
/** The event page's answer (GET /api/events/:id): the summary and the detections on its photo, best score first. */
export type EventDetail = EventSummary & { detections: EventDetection[] };

/** One event with its detections (after an access check). */
export async function getEventDetail(db: Db, viewer: Who, eventId: string): Promise<EventDetail> {
  const summary = await getEventSummary(db, viewer, eventId);
  const rows = await db.detection.findMany({ where: { eventId }, orderBy: [{ score: "desc" }, { id: "asc" }] });
  return {
    ...summary,
    detections: rows.map((d) => ({ id: d.id, label: d.label, score: d.score, at: d.at.toISOString(), box: { x1: d.x1, y1: d.y1, x2: d.x2, y2: d.y2 }, isWrong: d.isWrong })),
  };
}

/** Absolute path of a media file from its stored relative path; refuses anything that would leave the folder. */
export function mediaFile(mediaDir: string, relative: string): string {
  const abs = resolveInside(mediaDir, relative);
  if (!abs) throw new AppError("not_found");
  return abs;
}
