// After a crash (even SIGKILL mid-clip), the recorder makes disk and database agree again before it records:
// temp files are removed, clip/photo rows whose file is missing are removed, and media files that no row points to
// are removed (a timelapse's frames belong to its day's row through their folder; the timelapse runner's temp files
// are the scheduler's and left alone). The plan is pure (planReconcile); applyReconcile does the I/O. Safe to run any number of times.
import fs from "node:fs";
import path from "node:path";
import type { Db } from "../db";
import { mediaDir, playableCopyRelativePath } from "../data-dir";
import { deleteUntrackedMediaFiles, deleteEvents } from "../deletion/recordings";

/** Files the recorder writes first under a temporary name: never valid media. */
export const TEMP_FILE_PATTERN = /\.tmp-[^/]*$/;

export type ReconcilePlan = {
  deleteFiles: string[];
  deleteClipIds: string[];
  deletePhotoEventIds: string[];
};

export type MediaRows = {
  /** videoCodec: an H.265 clip may have an H.264 copy beside it (lib/data-dir.ts playableCopyRelativePath). */
  clips: { id: string; path: string; videoCodec?: string }[];
  photos: { eventId: string; path: string; thumbPath: string }[];
  /** Timelapses: a day's folder of frames (every file in it is the day's) and the video, relative to media/. */
  timelapses?: { framesDir: string | null; path: string | null }[];
};

/** A temp file of the timelapse runner (the scheduler's, beside the video it becomes): never the recorder's to remove. */
const RUNNER_TEMP_PATTERN = /^[^/]+\/timelapse\/[^/]+\.tmp-[^/]*$/;

/** `files`: every file under the media folder, relative to it, with "/" separators. */
export function planReconcile(files: string[], rows: MediaRows): ReconcilePlan {
  const onDisk = new Set(files.filter((f) => !TEMP_FILE_PATTERN.test(f)));
  const referenced = new Set<string>();
  const deleteClipIds: string[] = [];
  const deletePhotoEventIds: string[] = [];
  for (const c of rows.clips) {
    if (onDisk.has(c.path)) {
      referenced.add(c.path);
      // Its H.264 copy, made on request for browsers without H.265, belongs to it.
      const copy = playableCopyRelativePath({ path: c.path, videoCodec: c.videoCodec ?? "h264" });
      if (copy) referenced.add(copy);
    } else deleteClipIds.push(c.id);
  }
  for (const p of rows.photos) {
    if (onDisk.has(p.path) && onDisk.has(p.thumbPath)) {
      referenced.add(p.path);
      referenced.add(p.thumbPath);
    } else deletePhotoEventIds.push(p.eventId);
  }
  const frameDirs = (rows.timelapses ?? []).flatMap((t) => (t.framesDir ? [`${t.framesDir}/`] : []));
  for (const t of rows.timelapses ?? []) if (t.path && onDisk.has(t.path)) referenced.add(t.path);
  const isKeptFrame = (f: string) => !TEMP_FILE_PATTERN.test(f) && frameDirs.some((d) => f.startsWith(d));
  const deleteFiles = files.filter((f) => !RUNNER_TEMP_PATTERN.test(f) && (TEMP_FILE_PATTERN.test(f) || (!referenced.has(f) && !isKeptFrame(f))));
  return { deleteFiles: deleteFiles.sort(), deleteClipIds, deletePhotoEventIds };
}

export function listMediaFiles(mediaDir: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.push(path.relative(mediaDir, p).split(path.sep).join("/"));
    }
  };
  walk(mediaDir);
  return out;
}

/** Makes $DATA_DIR/media and the clip/photo rows agree. Returns the plan it carried out. */
export async function applyReconcile(db: Db, dataDir: string): Promise<ReconcilePlan> {
  const files = listMediaFiles(mediaDir(dataDir));
  const [clips, photos, timelapses] = await Promise.all([
    db.clip.findMany({ select: { id: true, path: true, videoCodec: true } }),
    db.photo.findMany({ select: { eventId: true, path: true, thumbPath: true } }),
    db.timelapse.findMany({ select: { framesDir: true, path: true } }),
  ]);
  const plan = planReconcile(files, { clips, photos, timelapses });
  if (plan.deleteClipIds.length) await db.clip.deleteMany({ where: { id: { in: plan.deleteClipIds } } });
  if (plan.deletePhotoEventIds.length) await db.photo.deleteMany({ where: { eventId: { in: plan.deletePhotoEventIds } } });
  await deleteUntrackedMediaFiles(db, dataDir, plan.deleteFiles);
  // Ended events left with neither clips nor photo carry nothing to show. (Open events are the salvage's: it cuts their
  // clips from the ring still on disk first, salvage.ts.)
  const empty = await db.event.findMany({ where: { clips: { none: {} }, photo: null, endedAt: { not: null } }, select: { id: true } });
  if (empty.length) await deleteEvents(db, dataDir, empty.map((e) => e.id), "untracked");
  return plan;
}
