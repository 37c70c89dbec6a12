// The retention rule, pure: which recordings to delete now and why (age, quota, free-space floor), and a forecast of
// what goes next and when. No I/O and no clock of its own: apply.ts loads the items and carries the plan out, tests
// call it table-style with fixed times. An item is a whole event (its clips, photo and thumbnail go together) or a
// whole timelapse (kind "timelapse": a day's frames and video, or a range's video; lib/timelapse).
//
// Policy, in this order, over events and timelapses together:
//   1. age    — an item is older than its camera's retention days (Camera.retentionDays; items of deleted cameras,
//               cameraId null, use DEFAULT_RETENTION_DAYS), counted from its end (endedAt, else startedAt; a
//               timelapse's end is the end of its span, toAt).
//   2. quota  — while the bytes of all items exceed Household.storageQuotaMb, the oldest items go (by startedAt).
//   3. floor  — while free disk space is below the target, the oldest items go. The recorder stops writing clips
//               below MEDIA_MIN_FREE_MB (the floor); retention aims higher, at targetFreeBytes(floor), so that space
//               is freed before the recorder has to stop.
// Never deleted automatically: protected events, events still being recorded, and timelapses still being captured
// or made (see isRecording).
import type { DiskSpace } from "../recording/disk";
import { DAY_MS } from "../time";

/** Days an event is kept when its camera was deleted (and the default of Camera.retentionDays). */
export const DEFAULT_RETENTION_DAYS = 30;
/** An event without an end that started less than this long ago is still being recorded, ms. */
export const OPEN_EVENT_GRACE_MS = 24 * 3_600_000;
/** An event that ended less than this long ago may still be getting its photo written: left alone, ms. */
export const SETTLE_MS = 2 * 60_000;
/** The most retention adds to the floor as a margin, bytes (1 GiB). */
export const MAX_FLOOR_MARGIN_BYTES = 1024 ** 3;

/**
 * Free space retention aims for, bytes: the recorder's floor plus a margin of half the floor, at most 1 GiB
 * (2 GiB floor → 3 GiB). The margin covers what the cameras write between two runs (every 10 minutes) so the recorder
 * never reaches its floor while old recordings could have made room. A floor of 0 (MEDIA_MIN_FREE_MB=0) turns the
 * floor rule off.
 */
export function targetFreeBytes(floorBytes: number): number {
  return floorBytes + Math.min(floorBytes / 2, MAX_FLOOR_MARGIN_BYTES);
}

/** What an item is: an event (its clips, photo, thumbnail) or a timelapse (its frames folder and video). */
export type RetentionItemKind = "event" | "timelapse";

export type RetentionItem = {
  /** Default "event". */
  kind?: RetentionItemKind;
  id: string;
  cameraId: string | null;
  startedAt: Date;
  endedAt: Date | null;
  isProtected: boolean;
  /** Clips + photo + thumbnail (an event), or video + frames (a timelapse), bytes. */
  bytes: number;
};

export type RetentionPolicy = {
  /** Days for events of deleted cameras (cameraId null) and of cameras missing from cameraDays. */
  defaultDays: number;
  /** Camera id → Camera.retentionDays. */
  cameraDays: Record<string, number>;
  /** Household.storageQuotaMb in bytes; null = no quota. */
  quotaBytes: number | null;
  /** Free space retention keeps, bytes (targetFreeBytes of the recorder's floor); 0 = no floor rule. */
  targetFreeBytes: number;
};

/** Disk state when planning; null = unknown (the floor rule is skipped). */
export type RetentionDisk = Pick<DiskSpace, "freeBytes" | "totalBytes"> | null;

/**
 * Totals over all events, when `items` holds only a part of them (apply.ts loads the oldest events, enough to cover
 * every rule; the newer ones only count by their bytes). Without it the totals are summed from the items.
 */
export type RetentionTotals = { usedBytes: number; protectedBytes: number };

export type DeleteReason = "age" | "quota" | "floor";
export type PlannedDeletion = { kind: RetentionItemKind; id: string; cameraId: string | null; startedAt: Date; bytes: number; reason: DeleteReason };
/**
 * protected_over_quota — protected events alone exceed the quota: the quota cannot be met.
 * quota_unreachable    — every event that may go is going and the quota is still exceeded (events being recorded).
 * floor_unreachable    — every event that may go is going and free space stays below the target.
 */
export type RetentionWarning = "protected_over_quota" | "quota_unreachable" | "floor_unreachable";

export type RetentionPlan = {
  /** In order: by age (oldest first), then for the quota, then for the floor (oldest first). */
  deletions: PlannedDeletion[];
  /** Bytes of all events before the plan, of the protected ones, and freed by the plan. */
  usedBytes: number;
  protectedBytes: number;
  freedBytes: number;
  warnings: RetentionWarning[];
};

/**
 * True while an item may still be written to: an event open and recent, or ended moments ago; a timelapse without an
 * end (apply.ts gives it none while it is captured, queued or encoded), whatever its age: a day's row is older than
 * the grace by the time it is queued, a range may cover weeks, and the runner always moves them on (ready, failed
 * or empty; one left "encoding" by a crash is queued again at its next start).
 */
export function isRecording(item: Pick<RetentionItem, "kind" | "startedAt" | "endedAt">, nowMs: number): boolean {
  if (item.endedAt === null) return item.kind === "timelapse" || nowMs - item.startedAt.getTime() < OPEN_EVENT_GRACE_MS;
  return nowMs - item.endedAt.getTime() < SETTLE_MS;
}

export function retentionDaysOf(cameraId: string | null, policy: RetentionPolicy): number {
  return (cameraId !== null ? policy.cameraDays[cameraId] : undefined) ?? policy.defaultDays;
}

/** When the item reaches its maximum age, ms since 1970. */
export function ageExpiryMs(item: RetentionItem, policy: RetentionPolicy): number {
  return (item.endedAt ?? item.startedAt).getTime() + retentionDaysOf(item.cameraId, policy) * DAY_MS;
}

/** The order retention takes items in: by startedAt, then id. */
export const oldestFirst = (a: RetentionItem, b: RetentionItem) => a.startedAt.getTime() - b.startedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

const toDeletion = (it: RetentionItem, reason: DeleteReason): PlannedDeletion => ({ kind: it.kind ?? "event", id: it.id, cameraId: it.cameraId, startedAt: it.startedAt, bytes: it.bytes, reason });

/** What to delete at `now`. Pure: same input, same plan. */
export function planRetention(items: RetentionItem[], policy: RetentionPolicy, now: Date, disk: RetentionDisk, totals?: RetentionTotals): RetentionPlan {
  const nowMs = now.getTime();
  let usedBytes = 0;
  let protectedBytes = 0;
  const candidates: RetentionItem[] = [];
  for (const it of items) {
    usedBytes += it.bytes;
    if (it.isProtected) protectedBytes += it.bytes;
    else if (!isRecording(it, nowMs)) candidates.push(it);
  }
  if (totals) ({ usedBytes, protectedBytes } = totals);
  candidates.sort(oldestFirst);

  const deletions: PlannedDeletion[] = [];
  const rest: RetentionItem[] = [];
  let freedBytes = 0;
  for (const it of candidates) {
    if (ageExpiryMs(it, policy) <= nowMs) {
      deletions.push(toDeletion(it, "age"));
      freedBytes += it.bytes;
    } else rest.push(it);
  }
  let next = 0;
  if (policy.quotaBytes !== null) {
    while (usedBytes - freedBytes > policy.quotaBytes && next < rest.length) {
      deletions.push(toDeletion(rest[next], "quota"));
      freedBytes += rest[next++].bytes;
    }
  }
  if (disk && policy.targetFreeBytes > 0) {
    while (disk.freeBytes + freedBytes < policy.targetFreeBytes && next < rest.length) {
      deletions.push(toDeletion(rest[next], "floor"));
      freedBytes += rest[next++].bytes;
    }
  }

  const warnings: RetentionWarning[] = [];
  if (policy.quotaBytes !== null) {
    if (protectedBytes > policy.quotaBytes) warnings.push("protected_over_quota");
    else if (usedBytes - freedBytes > policy.quotaBytes) warnings.push("quota_unreachable");
  }
  if (disk && policy.targetFreeBytes > 0 && disk.freeBytes + freedBytes < policy.targetFreeBytes) warnings.push("floor_unreachable");
  return { deletions, usedBytes, protectedBytes, freedBytes, warnings };
}

export type ForecastEntry = PlannedDeletion & { at: Date };

export type ForecastOptions = {
  /** Bytes the cameras add per day (measured); 0 = nothing new. */
  bytesPerDay: number;
  /** How many deletions to forecast. */
  limit: number;
  /** How far ahead to look, days. */
  horizonDays?: number;
  totals?: RetentionTotals;
};

/**
 * The next `limit` deletions and when they happen, assuming the cameras keep adding `bytesPerDay` and nothing else
 * changes: first what is due now (planRetention), then, walking forward in time, the next age expiry or — when the
 * quota or the floor target would be crossed first — the oldest remaining event. Events being recorded now are not
 * forecast. With `items` a part of all events (the oldest), the forecast ends when they run out.
 */
export function forecastRetention(items: RetentionItem[], policy: RetentionPolicy, now: Date, disk: RetentionDisk, opts: ForecastOptions): ForecastEntry[] {
  const plan = planRetention(items, policy, now, disk, opts.totals);
  const out: ForecastEntry[] = plan.deletions.slice(0, opts.limit).map((d) => ({ ...d, at: now }));
  const gone = new Set(plan.deletions.map((d) => d.id));
  const nowMs = now.getTime();
  const horizonMs = nowMs + (opts.horizonDays ?? 3650) * DAY_MS;
  const remaining = items.filter((it) => !gone.has(it.id) && !it.isProtected && !isRecording(it, nowMs));
  const byExpiry = remaining.map((it) => ({ it, at: ageExpiryMs(it, policy) })).sort((a, b) => a.at - b.at || oldestFirst(a.it, b.it));
  const byStart = [...remaining].sort(oldestFirst);
  const rate = Math.max(0, opts.bytesPerDay) / DAY_MS; // bytes per ms
  let t = nowMs;
  let used = plan.usedBytes - plan.freedBytes;
  let free = disk ? disk.freeBytes + plan.freedBytes : null;
  let ia = 0;
  let is = 0;
  const advance = (to: number) => {
    used += rate * (to - t);
    if (free !== null) free -= rate * (to - t);
    t = to;
  };
  const take = (it: RetentionItem, reason: DeleteReason) => {
    gone.add(it.id);
    used -= it.bytes;
    if (free !== null) free += it.bytes;
    out.push({ ...toDeletion(it, reason), at: new Date(t) });
  };
  while (out.length < opts.limit) {
    while (ia < byExpiry.length && gone.has(byExpiry[ia].it.id)) ia++;
    while (is < byStart.length && gone.has(byStart[is].id)) is++;
    const tQuota = policy.quotaBytes !== null && rate > 0 ? t + Math.max(0, policy.quotaBytes - used) / rate : Infinity;
    const tFloor = free !== null && policy.targetFreeBytes > 0 && rate > 0 ? t + Math.max(0, free - policy.targetFreeBytes) / rate : Infinity;
    const tPressure = Math.min(tQuota, tFloor);
    const nextAge = ia < byExpiry.length ? byExpiry[ia] : null;
    if (nextAge && nextAge.at <= tPressure) {
      if (nextAge.at > horizonMs) break;
      advance(Math.max(t, nextAge.at));
      take(nextAge.it, "age");
    } else {
      if (!Number.isFinite(tPressure) || tPressure > horizonMs || is >= byStart.length) break;
      advance(Math.ceil(tPressure));
      take(byStart[is], tQuota <= tFloor ? "quota" : "floor");
    }
  }
  return out;
}
