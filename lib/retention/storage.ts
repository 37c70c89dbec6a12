// What the Storage page shows: space used (in all and per camera, timelapses — videos and frames — on a line of their
// own), free disk space, the recording rate measured over the last 7 days, how many days until the quota or the disk is full, a forecast of what expires next and why, and
// two 30-day series (clips stored, events per camera) by calendar day in the viewer's time zone. Read-only.
//
// No figure reads every row: events and bytes come from the running totals (totals.ts: per camera, and per camera and
// hour, kept exact by triggers), ranges of time from their whole hours plus the raw rows of the partial hours at the
// ends; a camera's oldest event is the start of its Event(cameraId, startedAt) range; the forecast reads the oldest
// events only. Timelapses are a row per camera-day (and per range asked for): summed directly.
import type { Db } from "../db";
import { addDays, dayOf, dayStart } from "../time";
import { readDiskSpace, type DiskSpace } from "../recording/disk";
import { EVENT_CACHE_MAX_BYTES, eventCacheUsage } from "../deletion/event-cache";
import { loadRetentionItemsPage, loadRetentionPolicy, loadRetentionTotals, loadTimelapseItems, readRetentionSettings, type RetentionSettings } from "./apply";
import { DAY_MS } from "../time";
import { loadCameraTotals, sumsBetween, type CameraTotal } from "./totals";
import { forecastRetention, planRetention, type DeleteReason, type RetentionItem, type RetentionItemKind, type RetentionWarning } from "./plan";

/** The recording rate is measured over this many days (fewer on a younger installation, at least one), days. */
export const RATE_WINDOW_DAYS = 7;
/** Days shown in the charts. */
export const HISTORY_DAYS = 30;
/** Entries in the "next to expire" forecast. */
export const FORECAST_LIMIT = 10;

/** `bytes`: all of the camera's recordings (events and timelapses); `timelapseBytes`: the timelapses' part of it. */
export type CameraUsage = { cameraId: string | null; name: string | null; events: number; bytes: number; timelapseBytes: number; oldest: string | null; retentionDays: number | null };
/** What expires next: an event (`eventId` its id) or a timelapse (`eventId` null); `id` is the item's either way. */
export type ForecastRow = { kind: RetentionItemKind; id: string; eventId: string | null; cameraId: string | null; cameraName: string; startedAt: string; bytes: number; reason: DeleteReason; at: string };

export type StorageSummary = {
  now: string;
  /** All recordings: events (clips, photos, thumbnails) and timelapses. */
  usedBytes: number;
  protectedBytes: number;
  /** Timelapses in all (part of usedBytes): their videos and the frames kept for them, bytes. */
  timelapse: { bytes: number; videoBytes: number; framesBytes: number; count: number };
  quotaBytes: number | null;
  /**
   * The playback cache (event-cache/: events' clips joined for playing; not recordings, not in usedBytes or the
   * quota): what it holds, its cap, and that retention empties it first when free space runs low.
   */
  eventCache: { files: number; bytes: number; maxBytes: number };
  disk: DiskSpace | null;
  /** The recorder's floor (no clips below it) and the free space retention aims for, bytes. */
  floorBytes: number;
  targetFreeBytes: number;
  isBelowFloor: boolean;
  /** Bytes recorded per day (clips, photos and timelapses), measured over measuredDays. */
  bytesPerDay: number;
  measuredDays: number;
  /** Days until the quota or the disk (down to the floor) is full at that rate, whichever first; null = not filling. */
  daysUntilFull: number | null;
  fullBy: "quota" | "disk" | null;
  /** Cameras by name; events of deleted cameras last, together (cameraId and name null). */
  cameras: CameraUsage[];
  next: ForecastRow[];
  warnings: RetentionWarning[];
  /** Bytes of the clips still stored that were recorded up to the end of each day (what already expired is gone). */
  history: { days: string[]; bytes: number[] };
  eventsPerDay: { days: string[]; series: { cameraId: string | null; name: string | null; counts: number[] }[] };
  settings: RetentionSettings;
};

export type StorageSummaryOptions = {
  dataDir: string;
  floorBytes: number;
  now: Date;
  /** IANA zone the days of the charts are counted in. */
  timeZone: string;
  readDisk?: (dir: string) => Promise<DiskSpace>;
};

const num = (v: unknown) => Number(v ?? 0);
type Camera = { id: string; name: string; retentionDays: number };

export async function getStorageSummary(db: Db, opts: StorageSummaryOptions): Promise<StorageSummary> {
  const nowMs = opts.now.getTime();
  const settings = await readRetentionSettings(db);
  const policy = await loadRetentionPolicy(db, opts.floorBytes, settings);
  const disk = await (opts.readDisk ?? readDiskSpace)(opts.dataDir).catch(() => null);
  const totals = await loadRetentionTotals(db);
  const cameraTotals = await loadCameraTotals(db);
  const cameras: Camera[] = await db.camera.findMany({ select: { id: true, name: true, retentionDays: true }, orderBy: [{ name: "asc" }, { createdAt: "asc" }] });

  // The rate: what the still-stored recordings of the last 7 days weigh, per day.
  const since = new Date(nowMs - RATE_WINDOW_DAYS * DAY_MS);
  const [recent] = await sumsBetween(db, [since.getTime(), Infinity]);
  const [rate] = await db.$queryRawUnsafe<{ timelapses: unknown; first: unknown; firstTimelapse: unknown }[]>(
    `SELECT (SELECT COALESCE(SUM(bytes + framesBytes), 0) FROM Timelapse WHERE fromAt >= ?) AS timelapses,
            (SELECT MIN(startedAt) FROM Clip) AS first,
            (SELECT MIN(fromAt) FROM Timelapse) AS firstTimelapse`,
    since,
  );
  const firsts = [rate.first, rate.firstTimelapse].filter((v) => v !== null && v !== undefined).map((v) => new Date(v as string).getTime());
  const firstMs = firsts.length ? Math.min(...firsts) : nowMs;
  const measuredDays = Math.min(RATE_WINDOW_DAYS, Math.max(1, (nowMs - firstMs) / DAY_MS));
  const bytesPerDay = (recent.clipBytes + recent.photoBytes + num(rate.timelapses)) / measuredDays;

  const limits: { days: number; by: "quota" | "disk" }[] = [];
  if (bytesPerDay > 0 && policy.quotaBytes !== null) limits.push({ days: Math.max(0, policy.quotaBytes - totals.usedBytes) / bytesPerDay, by: "quota" });
  if (bytesPerDay > 0 && disk) limits.push({ days: Math.max(0, disk.freeBytes - opts.floorBytes) / bytesPerDay, by: "disk" });
  const first = limits.sort((a, b) => a.days - b.days)[0] ?? null;

  // The forecast needs only the oldest unprotected events of each camera (age) and overall (quota, floor), and the
  // timelapses (all: a row per camera-day).
  const seen = new Map<string, RetentionItem>();
  const add = (list: RetentionItem[]) => list.forEach((it) => seen.set(it.id, it));
  add(await loadTimelapseItems(db));
  add(await loadRetentionItemsPage(db, null, FORECAST_LIMIT * 5, { sql: "e.isProtected = 0", params: [] }));
  for (const c of cameras) add(await loadRetentionItemsPage(db, null, FORECAST_LIMIT * 2, { sql: "e.isProtected = 0 AND e.cameraId = ?", params: [c.id] }));
  add(await loadRetentionItemsPage(db, null, FORECAST_LIMIT * 2, { sql: "e.isProtected = 0 AND e.cameraId IS NULL", params: [] }));
  const entries = forecastRetention([...seen.values()], policy, opts.now, disk, { bytesPerDay, limit: FORECAST_LIMIT, totals });
  const idsOf = (kind: RetentionItemKind) => entries.filter((e) => e.kind === kind).map((e) => e.id);
  const names = new Map([
    ...(await db.event.findMany({ where: { id: { in: idsOf("event") } }, select: { id: true, cameraName: true } })),
    ...(await db.timelapse.findMany({ where: { id: { in: idsOf("timelapse") } }, select: { id: true, cameraName: true } })),
  ].map((e) => [e.id, e.cameraName]));
  const next = entries.map((e) => ({ kind: e.kind, id: e.id, eventId: e.kind === "event" ? e.id : null, cameraId: e.cameraId, cameraName: names.get(e.id) ?? "", startedAt: e.startedAt.toISOString(), bytes: e.bytes, reason: e.reason, at: e.at.toISOString() }));
  const [timelapse] = await db.$queryRawUnsafe<{ videos: unknown; frames: unknown; n: unknown }[]>(`SELECT COALESCE(SUM(bytes), 0) AS videos, COALESCE(SUM(framesBytes), 0) AS frames, COUNT(*) AS n FROM Timelapse`);

  // Warnings that depend only on totals (the forecast reads a part of the events).
  const warnings = planRetention([], policy, opts.now, null, totals).warnings.filter((w) => w === "protected_over_quota");
  return {
    now: opts.now.toISOString(),
    usedBytes: totals.usedBytes,
    protectedBytes: totals.protectedBytes,
    timelapse: { bytes: num(timelapse.videos) + num(timelapse.frames), videoBytes: num(timelapse.videos), framesBytes: num(timelapse.frames), count: num(timelapse.n) },
    quotaBytes: policy.quotaBytes,
    eventCache: { ...eventCacheUsage(opts.dataDir), maxBytes: EVENT_CACHE_MAX_BYTES },
    disk,
    floorBytes: opts.floorBytes,
    targetFreeBytes: policy.targetFreeBytes,
    isBelowFloor: disk !== null && disk.freeBytes < opts.floorBytes,
    bytesPerDay,
    measuredDays,
    daysUntilFull: first?.days ?? null,
    fullBy: first?.by ?? null,
    cameras: await cameraUsage(db, cameras, cameraTotals, totals.usedBytes),
    next,
    warnings,
    ...(await dailySeries(db, cameras, cameraTotals, opts)),
    settings,
  };
}

/**
 * Events, bytes (events and timelapses) and oldest recording per camera; events and timelapses of deleted cameras
 * together (cameraId null). The oldest recording is the oldest event's start (timelapses are listed on their own).
 */
async function cameraUsage(db: Db, cameras: Camera[], totals: CameraTotal[], usedBytes: number): Promise<CameraUsage[]> {
  const byKey = new Map(totals.map((t) => [t.cameraKey, t]));
  const oldest = await db.$queryRawUnsafe<{ id: string | null; oldest: unknown }[]>(
    `SELECT c.id AS id, (SELECT MIN(e.startedAt) FROM Event e WHERE e.cameraId = c.id) AS oldest FROM Camera c
     UNION ALL SELECT NULL, (SELECT MIN(e.startedAt) FROM Event e WHERE e.cameraId IS NULL)`,
  );
  const oldestOf = new Map(oldest.map((r) => [r.id ?? "", r.oldest ? new Date(r.oldest as string).toISOString() : null]));
  const timelapses = await db.$queryRawUnsafe<{ cameraId: string | null; bytes: unknown }[]>(`SELECT cameraId, COALESCE(SUM(bytes + framesBytes), 0) AS bytes FROM Timelapse GROUP BY cameraId`);
  const tl = new Map(timelapses.map((r) => [r.cameraId ?? "", num(r.bytes)]));
  const rows: CameraUsage[] = [];
  let counted = 0;
  for (const c of cameras) {
    const t = byKey.get(c.id);
    const timelapseBytes = tl.get(c.id) ?? 0;
    const bytes = (t?.clipBytes ?? 0) + (t?.photoBytes ?? 0) + timelapseBytes;
    counted += bytes;
    rows.push({ cameraId: c.id, name: c.name, events: t?.events ?? 0, bytes, timelapseBytes, oldest: oldestOf.get(c.id) ?? null, retentionDays: c.retentionDays });
  }
  // Everything not counted for a current camera belongs to events of deleted cameras; their timelapses too.
  const orphanEvents = byKey.get("")?.events ?? 0;
  const orphanTimelapses = tl.get("") ?? 0;
  if (orphanEvents > 0 || usedBytes > counted) rows.push({ cameraId: null, name: null, events: orphanEvents, bytes: Math.max(0, usedBytes - counted), timelapseBytes: orphanTimelapses, oldest: oldestOf.get("") ?? null, retentionDays: null });
  return rows;
}

/** The last `n` calendar days ending today in the zone, oldest first. */
export function lastDays(nowMs: number, n: number, timeZone: string): string[] {
  const today = dayOf(nowMs, timeZone);
  return Array.from({ length: n }, (_, i) => addDays(today, i - (n - 1)));
}

function safeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat("en", { timeZone });
    return timeZone;
  } catch {
    return "UTC";
  }
}

/** Clip bytes stored by the end of each of the last HISTORY_DAYS days, and events per day and camera. */
async function dailySeries(db: Db, cameras: Camera[], totals: CameraTotal[], opts: StorageSummaryOptions): Promise<Pick<StorageSummary, "history" | "eventsPerDay">> {
  const zone = safeZone(opts.timeZone);
  const days = lastDays(opts.now.getTime(), HISTORY_DAYS, zone);
  const bounds = [...days, addDays(days[days.length - 1], 1)].map((d) => dayStart(d, zone).getTime()); // 23 or 25 h on DST days
  // The days, then whatever started after the last one (a clock set back): the clips before the first day are the rest.
  const sums = await sumsBetween(db, [...bounds, Infinity]);
  let stored = totals.reduce((n, t) => n + t.clipBytes, 0) - sums.reduce((n, s) => n + s.clipBytes, 0);
  const bytes = days.map((_, i) => (stored += sums[i].clipBytes));

  const series: StorageSummary["eventsPerDay"]["series"] = [];
  for (const c of [...cameras, null]) {
    const counts = days.map((_, i) => sums[i].events.get(c?.id ?? "") ?? 0);
    if (counts.some((n) => n > 0)) series.push({ cameraId: c?.id ?? null, name: c?.name ?? null, counts });
  }
  return { history: { days, bytes }, eventsPerDay: { days, series } };
}
