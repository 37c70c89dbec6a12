// Removing the event cache (event-cache/<event>/<key>.mp4: an event's clips joined for playing, and <key>-h264.mp4 their
// H.264 copies joined, made on request by lib/events/event-cache.ts; no row). Like a clip's H.264 copy it is removed with its event: deleteEventRows lists each
// deleted event's cache folder as pending in the same transaction (recordings.ts), so a crash between rows and files
// leaves it listed, never forgotten. Besides that the cache is pruned (pruneEventCache): folders of events that no
// longer exist, all but the files of an event's newest clip set (its clips changed; the clips' join and their H.264
// copies' join of that set are kept side by side), files older than EVENT_CACHE_MAX_AGE_MS, the oldest beyond EVENT_CACHE_MAX_BYTES in all, and
// temporary files (`.tmp-<pid>-…`) of a process that is gone or of a join older than the longest join.
import fs from "node:fs";
import path from "node:path";
import { eventCacheKeyOf, eventCachePathInDataDir, eventCacheRoot, resolveInside } from "../data-dir";
import type { Db } from "../db";
import { logger } from "../log";
import { queueFileDeletions, unlinkPendingFiles, type PendingReason } from "./pending-files";

const log = logger("files");

/** A joined file is kept this long after it was made (a member who comes back later waits for one join again), ms. */
export const EVENT_CACHE_MAX_AGE_MS = 24 * 3600_000;
/** The cache's size at most: the oldest files go first beyond it, bytes (2 GiB: tens of long events). */
export const EVENT_CACHE_MAX_BYTES = 2 * 1024 ** 3;
/** A temporary file older than this belongs to a join that was killed (the longest join is 2 minutes), ms. */
export const EVENT_CACHE_TEMP_MAX_AGE_MS = 10 * 60_000;

/** `<name>.tmp-<pid>-<random>`: a file being written (renamed to its name when complete). */
export const CACHE_TEMP_PATTERN = /\.tmp-(\d+)-[a-z0-9]+$/;

/** The cache folders (relative to $DATA_DIR, ending in "/") of these events. */
export function eventCacheFolders(eventIds: readonly string[]): string[] {
  return eventIds.flatMap((id) => {
    const folder = eventCachePathInDataDir(id);
    return folder ? [folder] : [];
  });
}

/** Removes the cache of these events (listed as pending first, like every other deletion). */
export async function deleteEventCache(db: Db, dataDir: string, eventIds: readonly string[], reason: PendingReason): Promise<number> {
  const folders = eventCacheFolders(eventIds);
  if (!folders.length) return 0;
  await db.$transaction((tx) => queueFileDeletions(tx, folders, reason));
  return (await unlinkPendingFiles(db, dataDir, folders, { isMissingExpected: true })).removed;
}

type CacheFile = { eventId: string; file: string; relative: string; bytes: number; mtimeMs: number; isTemp: boolean; pid: number | null };

function listCache(dataDir: string): CacheFile[] {
  const root = eventCacheRoot(dataDir);
  const out: CacheFile[] = [];
  let events: string[];
  try {
    events = fs.readdirSync(root);
  } catch {
    return out;
  }
  for (const eventId of events) {
    const folder = eventCachePathInDataDir(eventId);
    if (!folder) continue; // not ours: never touched
    let names: string[] = [];
    try {
      names = fs.readdirSync(path.join(root, eventId));
    } catch {
      continue;
    }
    for (const name of names) {
      const file = resolveInside(root, `${eventId}/${name}`);
      if (!file) continue;
      try {
        const st = fs.statSync(file);
        if (!st.isFile()) continue;
        const temp = CACHE_TEMP_PATTERN.exec(name);
        out.push({ eventId, file, relative: `${folder}${name}`, bytes: st.size, mtimeMs: st.mtimeMs, isTemp: !!temp, pid: temp ? Number(temp[1]) : null });
      } catch {
        // gone meanwhile
      }
    }
  }
  return out;
}

/** What the cache holds now: its files (complete and being written) and their bytes. */
export function eventCacheUsage(dataDir: string): { files: number; bytes: number } {
  const files = listCache(dataDir);
  return { files: files.length, bytes: files.reduce((n, f) => n + f.bytes, 0) };
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

export type PruneOptions = { now?: number; maxAgeMs?: number; maxBytes?: number };

/**
 * Prunes the event cache (see the top of this file). `keep`: a file just made, never pruned by size in this pass.
 * Returns the files and bytes removed. Never throws (a failure stays pending for the next flush, or is logged).
 */
export async function pruneEventCache(db: Db, dataDir: string, options: PruneOptions & { keep?: string } = {}): Promise<{ files: number; bytes: number }> {
  const now = options.now ?? Date.now();
  const maxAge = options.maxAgeMs ?? EVENT_CACHE_MAX_AGE_MS;
  const maxBytes = options.maxBytes ?? EVENT_CACHE_MAX_BYTES;
  try {
    const files = listCache(dataDir);
    if (!files.length) return { files: 0, bytes: 0 };
    const ids = [...new Set(files.map((f) => f.eventId))];
    const existing = new Set<string>();
    for (let i = 0; i < ids.length; i += 500) {
      for (const e of await db.event.findMany({ where: { id: { in: ids.slice(i, i + 500) } }, select: { id: true } })) existing.add(e.id);
    }
    const gone = new Set<CacheFile>();
    for (const f of files) {
      if (!existing.has(f.eventId)) gone.add(f);
      else if (f.isTemp && (now - f.mtimeMs > EVENT_CACHE_TEMP_MAX_AGE_MS || (f.pid !== null && f.pid !== process.pid && !isProcessAlive(f.pid)))) gone.add(f);
      else if (!f.isTemp && now - f.mtimeMs > maxAge) gone.add(f);
    }
    // An event's folder keeps the files of its newest clip set only, both variants (the clips joined, their H.264
    // copies joined): the key of its newest complete file. An older key is of a clip set that changed.
    const newest = new Map<string, CacheFile>();
    for (const f of files) if (!f.isTemp && !gone.has(f) && (newest.get(f.eventId)?.mtimeMs ?? -1) < f.mtimeMs) newest.set(f.eventId, f);
    const keyOf = (f: CacheFile) => eventCacheKeyOf(path.basename(f.file));
    for (const f of files) if (!f.isTemp && !gone.has(f) && keyOf(newest.get(f.eventId)!) !== keyOf(f) && f.file !== options.keep) gone.add(f);
    // Beyond the size: the oldest complete files first (temporary ones are being written).
    let total = files.filter((f) => !gone.has(f)).reduce((n, f) => n + f.bytes, 0);
    for (const f of files.filter((x) => !gone.has(x) && !x.isTemp && x.file !== options.keep).sort((a, b) => a.mtimeMs - b.mtimeMs)) {
      if (total <= maxBytes) break;
      gone.add(f);
      total -= f.bytes;
    }
    if (!gone.size) return { files: 0, bytes: 0 };
    const list = [...gone];
    await db.$transaction((tx) => queueFileDeletions(tx, list.map((f) => f.relative), "untracked"));
    const r = await unlinkPendingFiles(db, dataDir, list.map((f) => f.relative), { isMissingExpected: true });
    // Folders left empty go too (an event's folder holds its current files only, one per variant).
    for (const id of new Set(list.map((f) => f.eventId))) {
      try {
        fs.rmdirSync(path.join(eventCacheRoot(dataDir), id));
      } catch {
        // not empty, or gone
      }
    }
    return { files: r.removed, bytes: list.reduce((n, f) => n + f.bytes, 0) };
  } catch (err) {
    log.error("event cache not pruned", { error: String(err) });
    return { files: 0, bytes: 0 };
  }
}
