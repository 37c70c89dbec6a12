// Carrying out retention: finish what a killed run left (pending files), below the free-space target empty the
// playback cache first (event-cache/: made again on request, recordings are not), load the policy and the events the rules can
// reach with every timelapse (a row per camera-day and per range asked for: few), plan (plan.ts, pure), delete in
// short batches (pending-files.ts; timelapses through lib/deletion/timelapses.ts), then trim old diagnostics and
// activity.
// Run every 10 minutes by the scheduler worker (lib/scheduler/jobs.ts) and on demand from the Storage page.
//
// Safe to kill at any point: rows and their files go through PendingFileDeletion, and the next run starts by flushing
// it. Safe to run twice at once (the job in the scheduler and "Run expiry now" in the web process): there is no lock;
// instead every step is idempotent — deletes are by id and skip ids already gone, each batch re-checks isProtected
// under the write lock, unlinking a file that is already gone counts as done, and both runs plan from the same rule
// over the same oldest-first order, so they pick the same events rather than twice as many. The one figure read
// outside the database, free disk space, is read again before every floor batch, so a run stops deleting for the
// floor as soon as the other run's deletions made room. Within one process, runRetention shares a run in progress.
import type { Clock } from "../clock";
import { systemClock } from "../clock";
import type { Db } from "../db";
import { getEnv } from "../env";
import { logger } from "../log";
import { readDiskSpace, type DiskSpace } from "../recording/disk";
import { flushPendingFiles } from "../deletion/pending-files";
import { pruneEventCache } from "../deletion/event-cache";
import { DELETE_BATCH, deleteEvents, type DeleteEventsResult } from "../deletion/recordings";
import { deleteTimelapses, type DeleteTimelapsesResult } from "../deletion/timelapses";
import { DAY_MS } from "../time";
import {
  DEFAULT_RETENTION_DAYS,
  isRecording,
  oldestFirst,
  planRetention,
  targetFreeBytes,
  type DeleteReason,
  type PlannedDeletion,
  type RetentionDisk,
  type RetentionItem,
  type RetentionPlan,
  type RetentionPolicy,
  type RetentionTotals,
  type RetentionWarning,
} from "./plan";
import { MIB } from "../i18n/format";
import { emitFact } from "../facts/emit";

const log = logger("retention");

/** Days diagnostics and activity are kept when the household row does not exist yet (schema defaults). */
export const DEFAULT_RECORDS_DAYS = 90;
/** Events read per query while loading, count. */
const LOAD_PAGE = 5_000;
/** Diagnostic and activity rows deleted per statement, count. */
const RECORDS_BATCH = 5_000;
/** A storage.low webhook is repeated at most this often per endpoint while the shortage lasts, ms (6 h). */
export const STORAGE_LOW_QUIET_MS = 6 * 60 * 60_000;

export type RetentionSettings = { storageQuotaMb: number | null; diagnosticsRetentionDays: number; activityRetentionDays: number };

export async function readRetentionSettings(db: Db): Promise<RetentionSettings> {
  const h = await db.household.findUnique({ where: { id: 1 }, select: { storageQuotaMb: true, diagnosticsRetentionDays: true, activityRetentionDays: true } });
  return h ?? { storageQuotaMb: null, diagnosticsRetentionDays: DEFAULT_RECORDS_DAYS, activityRetentionDays: DEFAULT_RECORDS_DAYS };
}

/** The policy from the household settings, every camera's retention days and the recorder's floor (bytes). */
export async function loadRetentionPolicy(db: Db, floorBytes: number, settings?: RetentionSettings): Promise<RetentionPolicy> {
  const s = settings ?? (await readRetentionSettings(db));
  const cameras = await db.camera.findMany({ select: { id: true, retentionDays: true } });
  return {
    defaultDays: DEFAULT_RETENTION_DAYS,
    cameraDays: Object.fromEntries(cameras.map((c) => [c.id, c.retentionDays])),
    quotaBytes: s.storageQuotaMb === null ? null : s.storageQuotaMb * MIB,
    targetFreeBytes: targetFreeBytes(floorBytes),
  };
}

/**
 * Bytes of all clips, photos and thumbnails and of all timelapses (videos and frames), and of those of protected
 * events: the running totals per camera (totals.ts, exact: kept by triggers) and a sum over Timelapse (a row per
 * camera-day). A few rows read, whatever the number of events.
 */
export async function loadRetentionTotals(db: Db): Promise<RetentionTotals> {
  const [row] = await db.$queryRawUnsafe<{ used: unknown; protected: unknown }[]>(`
    SELECT (SELECT COALESCE(SUM("clipBytes" + "photoBytes"), 0) FROM "StorageCameraTotal")
         + (SELECT COALESCE(SUM(bytes + framesBytes), 0) FROM Timelapse) AS used,
           (SELECT COALESCE(SUM("protectedBytes"), 0) FROM "StorageCameraTotal") AS protected`);
  return { usedBytes: Number(row.used), protectedBytes: Number(row.protected) };
}

type ItemRow = { id: string; cameraId: string | null; startedAt: Date | string; endedAt: Date | string | null; isProtected: unknown; bytes: unknown };

/**
 * One page of events, oldest first (startedAt, id), after the keyset (exclusive), with their bytes; `filter` is an
 * extra SQL condition on Event e with its parameters.
 */
export async function loadRetentionItemsPage(
  db: Db,
  after: { startedAt: Date; id: string } | null,
  limit: number,
  filter: { sql: string; params: unknown[] } = { sql: "1", params: [] },
): Promise<RetentionItem[]> {
  // Written so that the Event(startedAt) range starts at the cursor (the form "a > c OR (a = c AND id > i)" makes
  // SQLite walk the index from its start on every page).
  const keyset = after ? `(e.startedAt >= ? AND (e.startedAt > ? OR e.id > ?))` : "1";
  const rows = await db.$queryRawUnsafe<ItemRow[]>(
    `SELECT e.id AS id, e.cameraId AS cameraId, e.startedAt AS startedAt, e.endedAt AS endedAt, e.isProtected AS isProtected,
            COALESCE((SELECT SUM(c.bytes) FROM Clip c WHERE c.eventId = e.id), 0)
          + COALESCE((SELECT p.bytes + p.thumbBytes FROM Photo p WHERE p.eventId = e.id), 0) AS bytes
       FROM Event e WHERE ${keyset} AND (${filter.sql}) ORDER BY e.startedAt, e.id LIMIT ?`,
    ...(after ? [after.startedAt, after.startedAt, after.id] : []),
    ...filter.params,
    limit,
  );
  return rows.map(toItem);
}

export function toItem(r: ItemRow): RetentionItem {
  return {
    id: r.id,
    cameraId: r.cameraId,
    startedAt: new Date(r.startedAt),
    endedAt: r.endedAt === null ? null : new Date(r.endedAt),
    isProtected: r.isProtected === true || Number(r.isProtected) === 1,
    bytes: Number(r.bytes),
  };
}

/** Timelapse statuses whose row may still change: its frames are being captured, or its video is waiting or being made. */
const TIMELAPSE_OPEN_STATUSES = new Set(["capturing", "queued", "encoding"]);

/**
 * Every timelapse as a retention item (kind "timelapse"): its span's start, its end (toAt) once finished — none while
 * it is captured or made, so that it is never deleted then (isRecording) — and its bytes (video + frames).
 */
export async function loadTimelapseItems(db: Db): Promise<RetentionItem[]> {
  const rows = await db.timelapse.findMany({ select: { id: true, cameraId: true, fromAt: true, toAt: true, status: true, bytes: true, framesBytes: true }, orderBy: [{ fromAt: "asc" }, { id: "asc" }] });
  return rows.map((r) => ({
    kind: "timelapse" as const,
    id: r.id,
    cameraId: r.cameraId,
    startedAt: r.fromAt,
    endedAt: TIMELAPSE_OPEN_STATUSES.has(r.status) ? null : r.toAt,
    isProtected: false,
    bytes: r.bytes + r.framesBytes,
  }));
}

/**
 * The oldest events, enough for every rule to be decided exactly, with every timelapse: all events that could be past
 * their age (started before now minus the shortest retention), and at least as many deletable bytes as the quota and
 * floor need among the items (events and timelapses) up to the last event loaded — so that the oldest-first walk
 * never reaches past it, where unloaded events would come first. Newer events count only through `totals`. Keeps a
 * sweep over a million events to the few that matter.
 */
export async function loadRetentionItems(db: Db, policy: RetentionPolicy, now: Date, disk: RetentionDisk, totals: RetentionTotals): Promise<RetentionItem[]> {
  const minDays = Math.min(policy.defaultDays, ...Object.values(policy.cameraDays));
  const ageCutoffMs = now.getTime() - minDays * DAY_MS;
  const quotaNeed = policy.quotaBytes === null ? 0 : totals.usedBytes - policy.quotaBytes;
  const floorNeed = disk && policy.targetFreeBytes > 0 ? policy.targetFreeBytes - disk.freeBytes : 0;
  const need = Math.max(0, quotaNeed, floorNeed);
  const isDeletable = (it: RetentionItem) => !it.isProtected && !isRecording(it, now.getTime());
  const timelapses = await loadTimelapseItems(db);
  const items: RetentionItem[] = [];
  let deletable = 0;
  for (;;) {
    const last = items.length ? items[items.length - 1] : null;
    const page = await loadRetentionItemsPage(db, last, LOAD_PAGE);
    for (const it of page) if (isDeletable(it)) deletable += it.bytes;
    items.push(...page);
    if (page.length < LOAD_PAGE) return [...items, ...timelapses];
    const end = page[page.length - 1];
    const before = timelapses.reduce((n, it) => n + (isDeletable(it) && oldestFirst(it, end) < 0 ? it.bytes : 0), 0);
    if (end.startedAt.getTime() > ageCutoffMs && deletable + before >= need) return [...items, ...timelapses];
  }
}

export type RetentionResult = {
  at: string;
  /** Items (events and timelapses) the plan chose, by reason. */
  planned: Record<DeleteReason, number>;
  /** What was deleted (events, clips, timelapses, files, bytes), by reason (events and timelapses) and in all. */
  deleted: DeleteEventsResult & { timelapses: number; byReason: Record<DeleteReason, number> };
  /** Pending files of an earlier run finished first. */
  flushed: { removed: number; missing: number; failed: number };
  /** The playback cache emptied because free space was below the target (before any recording was planned). */
  eventCache: { files: number; bytes: number };
  diagnostics: number;
  activity: number;
  warnings: RetentionWarning[];
  /** Bytes of all recordings (events and timelapses) before the run, and of the protected events. */
  usedBytes: number;
  protectedBytes: number;
};

export type ApplyRetentionOptions = {
  dataDir: string;
  /** The recorder's free-space floor (MEDIA_MIN_FREE_MB), bytes. */
  floorBytes: number;
  clock?: Clock;
  /** How free space is read (tests stand in for a full disk here); default statfs of dataDir. */
  readDisk?: (dir: string) => Promise<DiskSpace>;
  /** Events per delete transaction and pause between them (tests slow a run down to kill it half-way). */
  batchSize?: number;
  pauseMs?: number;
  /** Called with the plan before anything is deleted (tests, benchmark). */
  onPlan?: (plan: RetentionPlan) => void;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One retention pass. Idempotent and safe to interrupt; see the top of this file. */
export async function applyRetention(db: Db, opts: ApplyRetentionOptions): Promise<RetentionResult> {
  const clock = opts.clock ?? systemClock;
  const readDisk = opts.readDisk ?? readDiskSpace;
  const flushed = await flushPendingFiles(db, opts.dataDir);
  const now = clock.now();
  const settings = await readRetentionSettings(db);
  const policy = await loadRetentionPolicy(db, opts.floorBytes, settings);
  let disk = policy.targetFreeBytes > 0 ? await readDisk(opts.dataDir).catch(() => null) : null;
  // Below the target the playback cache goes first (every complete file; one being written stays): it is made again
  // when an event is played, a recording is gone for good. Then free space is read again for the plan.
  let eventCache = { files: 0, bytes: 0 };
  if (disk && disk.freeBytes < policy.targetFreeBytes) {
    eventCache = await pruneEventCache(db, opts.dataDir, { now: now.getTime(), maxBytes: 0 });
    if (eventCache.files > 0) disk = await readDisk(opts.dataDir).catch(() => disk);
  }
  const totals = await loadRetentionTotals(db);
  const items = await loadRetentionItems(db, policy, now, disk, totals);
  const plan = planRetention(items, policy, now, disk, totals);
  opts.onPlan?.(plan);

  const planned: Record<DeleteReason, number> = { age: 0, quota: 0, floor: 0 };
  for (const d of plan.deletions) planned[d.reason]++;
  const deleted: RetentionResult["deleted"] = { events: 0, clips: 0, timelapses: 0, files: 0, missingFiles: 0, failedFiles: 0, bytes: 0, byReason: { age: 0, quota: 0, floor: 0 } };
  const add = (reason: DeleteReason, r: DeleteEventsResult) => {
    for (const k of ["events", "clips", "files", "missingFiles", "failedFiles", "bytes"] as const) deleted[k] += r[k];
    deleted.byReason[reason] += r.events;
  };
  const addTimelapses = (reason: DeleteReason, r: DeleteTimelapsesResult) => {
    for (const k of ["timelapses", "files", "missingFiles", "failedFiles", "bytes"] as const) deleted[k] += r[k];
    deleted.byReason[reason] += r.timelapses;
  };
  const batch = { keepProtected: true, batchSize: opts.batchSize, pauseMs: opts.pauseMs };
  /** Deletes these planned items: events in batches, timelapses (a few rows, each one folder and a file) at once. */
  const remove = async (reason: DeleteReason, list: PlannedDeletion[]) => {
    const eventIds = list.filter((d) => d.kind === "event").map((d) => d.id);
    const timelapseIds = list.filter((d) => d.kind === "timelapse").map((d) => d.id);
    if (eventIds.length) add(reason, await deleteEvents(db, opts.dataDir, eventIds, "retention", batch));
    if (timelapseIds.length) addTimelapses(reason, await deleteTimelapses(db, opts.dataDir, timelapseIds, "retention"));
  };
  for (const reason of ["age", "quota"] as const) await remove(reason, plan.deletions.filter((d) => d.reason === reason));
  const floor = plan.deletions.filter((d) => d.reason === "floor");
  const size = opts.batchSize ?? DELETE_BATCH;
  for (let i = 0; i < floor.length; i += size) {
    // Free space is measured again before each batch (the age and quota deletions are on disk by now, and another
    // run or the user may have made room meanwhile): stop as soon as the target is reached.
    const space = await readDisk(opts.dataDir).catch(() => null);
    if (space && space.freeBytes >= policy.targetFreeBytes) break;
    await remove("floor", floor.slice(i, i + size));
  }

  const diagnostics = await purgeOlder(db, "diagnostics", new Date(now.getTime() - settings.diagnosticsRetentionDays * DAY_MS), opts.pauseMs);
  const activity = await purgeOlder(db, "activity", new Date(now.getTime() - settings.activityRetentionDays * DAY_MS), opts.pauseMs);

  for (const w of plan.warnings) {
    log.warn(WARNING_TEXT[w], { usedBytes: plan.usedBytes, protectedBytes: plan.protectedBytes, quotaBytes: policy.quotaBytes, freeBytes: disk?.freeBytes, targetFreeBytes: policy.targetFreeBytes });
  }
  await emitStorageLow(db, { plan, policy, deletedBytes: deleted.bytes, readFree: () => readDisk(opts.dataDir).then((d) => d.freeBytes).catch(() => null), now });
  return { at: now.toISOString(), planned, deleted, flushed, eventCache, diagnostics, activity, warnings: plan.warnings, usedBytes: plan.usedBytes, protectedBytes: plan.protectedBytes };
}

/**
 * storage.low after a pass, when retention could not make room: free space is still below the target it keeps
 * (reason free_space: what is left is protected or being recorded, and the recorder's floor is near), or recordings
 * that may not be deleted keep the total over the quota (reason quota). Told once per STORAGE_LOW_QUIET_MS.
 */
async function emitStorageLow(
  db: Db,
  input: { plan: RetentionPlan; policy: RetentionPolicy; deletedBytes: number; readFree: () => Promise<number | null>; now: Date },
): Promise<void> {
  const { plan, policy } = input;
  const usedBytes = Math.max(0, plan.usedBytes - input.deletedBytes);
  const freeBytes = policy.targetFreeBytes > 0 ? await input.readFree() : null;
  const reason =
    freeBytes !== null && freeBytes < policy.targetFreeBytes
      ? ("free_space" as const)
      : plan.warnings.includes("quota_unreachable") || plan.warnings.includes("protected_over_quota")
        ? ("quota" as const)
        : null;
  if (!reason) return;
  await emitFact(db, "storage.low", { reason, freeBytes, targetFreeBytes: policy.targetFreeBytes, usedBytes, quotaBytes: policy.quotaBytes }, { now: input.now, quietMs: STORAGE_LOW_QUIET_MS });
}

const WARNING_TEXT: Record<RetentionWarning, string> = {
  protected_over_quota: "protected events alone exceed the storage quota",
  quota_unreachable: "the storage quota cannot be met: the rest is being recorded",
  floor_unreachable: "free disk space stays below the target although every unprotected recording is gone",
};

/** Deletes diagnostics or activity rows older than `cutoff`, a batch at a time. Returns the count. */
async function purgeOlder(db: Db, what: "diagnostics" | "activity", cutoff: Date, pauseMs = 10): Promise<number> {
  let total = 0;
  for (;;) {
    const ids =
      what === "diagnostics"
        ? (await db.cameraDiagnostic.findMany({ where: { at: { lt: cutoff } }, select: { id: true }, take: RECORDS_BATCH })).map((r) => r.id)
        : (await db.activity.findMany({ where: { at: { lt: cutoff } }, select: { id: true }, take: RECORDS_BATCH })).map((r) => r.id);
    if (!ids.length) return total;
    const { count } = what === "diagnostics" ? await db.cameraDiagnostic.deleteMany({ where: { id: { in: ids } } }) : await db.activity.deleteMany({ where: { id: { in: ids } } });
    total += count;
    if (ids.length < RECORDS_BATCH) return total;
    await sleep(pauseMs);
  }
}

let inFlight: Promise<RetentionResult> | null = null;

/** applyRetention with this process's configuration; a call while a run is in progress shares that run. */
export function runRetention(db: Db, clock: Clock = systemClock): Promise<RetentionResult> {
  if (!inFlight) {
    const env = getEnv();
    inFlight = applyRetention(db, { dataDir: env.dataDir, floorBytes: env.MEDIA_MIN_FREE_MB * MIB, clock }).finally(() => {
      inFlight = null;
    });
  }
  return inFlight;
}

/** The scheduler job: one pass, summarized for the heartbeat (warnings as 1 = present). */
export async function runRetentionJob(db: Db, clock: Clock): Promise<Record<string, number>> {
  const r = await runRetention(db, clock);
  const summary: Record<string, number> = {
    events: r.deleted.events,
    clips: r.deleted.clips,
    timelapses: r.deleted.timelapses,
    bytes: r.deleted.bytes,
    age: r.deleted.byReason.age,
    quota: r.deleted.byReason.quota,
    floor: r.deleted.byReason.floor,
    pendingFinished: r.flushed.removed + r.flushed.missing,
    diagnostics: r.diagnostics,
    activity: r.activity,
  };
  for (const w of r.warnings) summary[w] = 1;
  return summary;
}
