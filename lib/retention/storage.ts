// What the Storage page shows: space used (in all and per camera, timelapses — videos and frames — on a line of their
// own), free disk space, the recording rate measured over the last 7 days, how many days until the quota or the disk is full, a forecast of what expires next and why, and
// two 30-day series (clips stored, events per camera) by calendar day in the viewer's time zone. Read-only.
//
// Every figure is an index range or a plain scan, never a GROUP BY over all rows (SQLite sorts for those: seconds at
// a million events): a camera's bytes are a range of the unique path indexes, because clip and photo paths start with
// the camera's id (Clip.path: <cameraId>/<yyyy>/…; photos lie beside their clip); a day's clips a range of
// Clip(startedAt); a camera's events on a day a range of Event(cameraId, startedAt). Timelapses are a row per camera-day
// (and per range asked for): summed per camera directly.
import type { Db } from "../db";
import { addDays, dayOf, dayStart } from "../time";
import { readDiskSpace, type DiskSpace } from "../recording/disk";
import { loadRetentionItemsPage, loadRetentionPolicy, loadRetentionTotals, loadTimelapseItems, readRetentionSettings, type RetentionSettings } from "./apply";
import { DAY_MS } from "../time";
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
  const cameras: Camera[] = await db.camera.findMany({ select: { id: true, name: true, retentionDays: true }, orderBy: [{ name: "asc" }, { createdAt: "asc" }] });

  // The rate: what the still-stored recordings of the last 7 days weigh, per day.
  const since = new Date(nowMs - RATE_WINDOW_DAYS * DAY_MS);
  const [rate] = await db.$queryRawUnsafe<{ clips: unknown; photos: unknown; timelapses: unknown; first: unknown; firstTimelapse: unknown }[]>(
    `SELECT (SELECT COALESCE(SUM(bytes), 0) FROM Clip WHERE startedAt >= ?) AS clips,
            (SELECT COALESCE(SUM(p.bytes + p.thumbBytes), 0) FROM Event e JOIN Photo p ON p.eventId = e.id WHERE e.startedAt >= ?) AS photos,
            (SELECT COALESCE(SUM(bytes + framesBytes), 0) FROM Timelapse WHERE fromAt >= ?) AS timelapses,
            (SELECT MIN(startedAt) FROM Clip) AS first,
            (SELECT MIN(fromAt) FROM Timelapse) AS firstTimelapse`,
    since,
    since,
    since,
  );
  const firsts = [rate.first, rate.firstTimelapse].filter((v) => v !== null && v !== undefined).map((v) => new Date(v as string).getTime());
  const firstMs = firsts.length ? Math.min(...firsts) : nowMs;
  const measuredDays = Math.min(RATE_WINDOW_DAYS, Math.max(1, (nowMs - firstMs) / DAY_MS));
  const bytesPerDay = (num(rate.clips) + num(rate.photos) + num(rate.timelapses)) / measuredDays;

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
    disk,
    floorBytes: opts.floorBytes,
    targetFreeBytes: policy.targetFreeBytes,
    isBelowFloor: disk !== null && disk.freeBytes < opts.floorBytes,
    bytesPerDay,
    measuredDays,
    daysUntilFull: first?.days ?? null,
    fullBy: first?.by ?? null,
    cameras: await cameraUsage(db, cameras, totals.usedBytes),
    next,
    warnings,
    ...(await dailySeries(db, cameras, opts)),
    settings,
  };
}

/** [from, to) of the paths under a camera's folder: "<id>/" up to "<id>0" ("0" follows "/"; ids are [A-Za-z0-9_-]). */
const pathRange = (cameraId: string) => [`${cameraId}/`, `${cameraId}0`];

/**
 * Events, bytes (events and timelapses) and oldest recording per camera; events and timelapses of deleted cameras
 * together (cameraId null). The oldest recording is the oldest event's start (timelapses are listed on their own).
 */
async function cameraUsage(db: Db, cameras: Camera[], usedBytes: number): Promise<CameraUsage[]> {
  const events = await db.$queryRawUnsafe<{ cameraId: string | null; n: unknown; oldest: unknown }[]>(`SELECT cameraId, COUNT(*) AS n, MIN(startedAt) AS oldest FROM Event GROUP BY cameraId`);
  const ev = new Map(events.map((r) => [r.cameraId ?? "", r]));
  const timelapses = await db.$queryRawUnsafe<{ cameraId: string | null; bytes: unknown }[]>(`SELECT cameraId, COALESCE(SUM(bytes + framesBytes), 0) AS bytes FROM Timelapse GROUP BY cameraId`);
  const tl = new Map(timelapses.map((r) => [r.cameraId ?? "", num(r.bytes)]));
  const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);
  const rows: CameraUsage[] = [];
  let counted = 0;
  for (const c of cameras) {
    const [r] = await db.$queryRawUnsafe<{ bytes: unknown }[]>(
      `SELECT (SELECT COALESCE(SUM(bytes), 0) FROM Clip WHERE path >= ? AND path < ?) + (SELECT COALESCE(SUM(bytes + thumbBytes), 0) FROM Photo WHERE path >= ? AND path < ?) AS bytes`,
      ...pathRange(c.id),
      ...pathRange(c.id),
    );
    const timelapseBytes = tl.get(c.id) ?? 0;
    counted += num(r.bytes) + timelapseBytes;
    rows.push({ cameraId: c.id, name: c.name, events: num(ev.get(c.id)?.n), bytes: num(r.bytes) + timelapseBytes, timelapseBytes, oldest: iso(ev.get(c.id)?.oldest), retentionDays: c.retentionDays });
  }
  // Everything not under a current camera's folder belongs to events of deleted cameras; their timelapses too.
  const orphan = ev.get("");
  const orphanTimelapses = tl.get("") ?? 0;
  if (orphan || usedBytes > counted) rows.push({ cameraId: null, name: null, events: num(orphan?.n), bytes: Math.max(0, usedBytes - counted), timelapseBytes: orphanTimelapses, oldest: iso(orphan?.oldest), retentionDays: null });
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
async function dailySeries(db: Db, cameras: Camera[], opts: StorageSummaryOptions): Promise<Pick<StorageSummary, "history" | "eventsPerDay">> {
  const zone = safeZone(opts.timeZone);
  const days = lastDays(opts.now.getTime(), HISTORY_DAYS, zone);
  const bounds = [...days, addDays(days[days.length - 1], 1)].map((d) => dayStart(d, zone)); // 23 or 25 h on DST days
  const values = days.map(() => "(?, ?, ?)").join(", ");
  const dayParams = days.flatMap((_, i) => [i, bounds[i], bounds[i + 1]]);
  const perDay = async (subquery: string, extra: unknown[]) => {
    const rows = await db.$queryRawUnsafe<{ i: unknown; v: unknown }[]>(`WITH d(i, a, b) AS (VALUES ${values}) SELECT d.i AS i, (${subquery}) AS v FROM d`, ...dayParams, ...extra);
    const out = days.map(() => 0);
    for (const r of rows) out[num(r.i)] = num(r.v);
    return out;
  };

  const [base] = await db.$queryRawUnsafe<{ bytes: unknown }[]>(`SELECT COALESCE(SUM(bytes), 0) AS bytes FROM Clip WHERE startedAt < ?`, bounds[0]);
  let total = num(base.bytes);
  const bytes = (await perDay(`SELECT COALESCE(SUM(bytes), 0) FROM Clip WHERE startedAt >= d.a AND startedAt < d.b`, [])).map((b) => (total += b));

  const series: StorageSummary["eventsPerDay"]["series"] = [];
  for (const c of [...cameras, null]) {
    const counts = await perDay(`SELECT COUNT(*) FROM Event WHERE ${c ? "cameraId = ?" : "cameraId IS NULL"} AND startedAt >= d.a AND startedAt < d.b`, c ? [c.id] : []);
    if (counts.some((n) => n > 0)) series.push({ cameraId: c?.id ?? null, name: c?.name ?? null, counts });
  }
  return { history: { days, bytes }, eventsPerDay: { days, series } };
}
