// Export jobs: a member asks for an export (one at a time), the scheduler worker prepares it (export-runner.ts) into
// $DATA_DIR/exports/<id>.zip, the member downloads it until it expires 24 h later, then the file and the row are
// removed (removeExpiredExports, a scheduler job). Rows are written here and by the runner only.
import fs from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import type { Viewer } from "../auth/viewer";
import { requireCameraAccess } from "../cameras/access";
import type { Db } from "../db";
import { AppError } from "../errors";
import { newId } from "../ids";
import { logger } from "../log";
import { flushPendingFiles, queueFileDeletions } from "../deletion/pending-files";
import { estimateExport, resolveScope, type ExportFilters } from "./export";
import { readDiskSpace } from "../recording/disk";
import { exportsDir, exportPathInDataDir } from "../data-dir";

const log = logger("exports");

/** How long a finished export (ready or failed) stays, ms. */
export const EXPORT_LIFETIME_MS = 24 * 60 * 60 * 1000;
/** A file in the exports folder that no job accounts for and is older than this is debris of a crash, ms. */
const STALE_FILE_MS = 60 * 60 * 1000;

export type ExportStatus = "queued" | "running" | "ready" | "failed";

/** The exports folder, and a job's file in it (ExportJob.file is relative to it). */
export const exportFileName = (id: string) => `${id}.zip`;

/** Request body of POST /api/account/exports. */
export const exportRequestSchema = z
  .object({
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    cameraIds: z.array(z.string().min(1).max(64)).max(500).optional(),
  })
  .strict();

export type ExportRequest = z.output<typeof exportRequestSchema>;

/** Filters as stored: instants normalized to UTC ISO, camera ids unique. */
export function normalizeFilters(req: ExportRequest): ExportFilters {
  const from = req.from ? new Date(req.from) : null;
  const to = req.to ? new Date(req.to) : null;
  if (from && to && to.getTime() <= from.getTime()) throw new AppError("invalid_date_range");
  return {
    ...(from ? { from: from.toISOString() } : {}),
    ...(to ? { to: to.toISOString() } : {}),
    ...(req.cameraIds ? { cameraIds: [...new Set(req.cameraIds)] } : {}),
  };
}

export function parseStoredFilters(json: string): ExportFilters {
  try {
    const v = JSON.parse(json) as ExportFilters;
    return {
      ...(typeof v.from === "string" ? { from: v.from } : {}),
      ...(typeof v.to === "string" ? { to: v.to } : {}),
      ...(Array.isArray(v.cameraIds) ? { cameraIds: v.cameraIds.filter((x) => typeof x === "string") } : {}),
    };
  } catch {
    return {};
  }
}

export type ExportJobView = {
  id: string;
  status: ExportStatus;
  filters: ExportFilters;
  bytesDone: number;
  bytesTotal: number;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
  expiresAt: string | null;
  /** Ready and not expired: the download link works. */
  downloadable: boolean;
};

type JobRow = { id: string; status: string; filters: string; bytesDone: number; bytesTotal: number; error: string | null; createdAt: Date; finishedAt: Date | null; expiresAt: Date | null };

function view(job: JobRow, now: Date): ExportJobView {
  return {
    id: job.id,
    status: job.status as ExportStatus,
    filters: parseStoredFilters(job.filters),
    bytesDone: job.bytesDone,
    bytesTotal: job.bytesTotal,
    error: job.error,
    createdAt: job.createdAt.toISOString(),
    finishedAt: job.finishedAt?.toISOString() ?? null,
    expiresAt: job.expiresAt?.toISOString() ?? null,
    downloadable: job.status === "ready" && !!job.expiresAt && job.expiresAt.getTime() > now.getTime(),
  };
}

/** ExportJob.error of an export that failed for want of free disk space (the panel shows it in the member's language). */
export const NO_SPACE_ERROR = "no_space";

/** The free-space rule of exports: an export never takes the disk below MEDIA_MIN_FREE_MB (the recorder's floor). */
export type ExportSpace = { dataDir: string; floorBytes: number };

/** Free bytes left after an export of `neededBytes` would be written, minus the floor (negative: not enough). */
export async function spareBytesForExport(space: ExportSpace, neededBytes: number): Promise<{ spareBytes: number; freeBytes: number }> {
  const disk = await readDiskSpace(space.dataDir);
  return { spareBytes: disk.freeBytes - neededBytes - space.floorBytes, freeBytes: disk.freeBytes };
}

/**
 * Queues an export of the viewer's data. Only one queued or running export per member (export_in_progress); camera ids
 * must be cameras the viewer may see (not_found / forbidden); with `space`, an export whose estimated size would take
 * the disk below the floor is refused at once (export_no_space), before anything is written.
 */
export async function createExportJob(db: Db, viewer: Pick<Viewer, "id" | "role">, req: ExportRequest, now: Date, space?: ExportSpace): Promise<ExportJobView> {
  const filters = normalizeFilters(req);
  for (const cameraId of filters.cameraIds ?? []) await requireCameraAccess(db, viewer, cameraId);
  if (space) {
    const scope = await resolveScope(db, viewer.id, filters);
    const { bytesTotal } = scope ? await estimateExport(db, scope) : { bytesTotal: 0 };
    const { spareBytes, freeBytes } = await spareBytesForExport(space, bytesTotal);
    if (spareBytes < 0) throw new AppError("export_no_space", { needed: bytesTotal, free: Math.max(0, freeBytes - space.floorBytes) });
  }
  // One process (the web server) writes queued rows, and Prisma runs its interactive transactions on the one SQLite
  // connection one after another: the check and the insert cannot interleave with another request's.
  const job = await db.$transaction(async (tx) => {
    const busy = await tx.exportJob.count({ where: { userId: viewer.id, status: { in: ["queued", "running"] } } });
    if (busy > 0) throw new AppError("export_in_progress");
    return tx.exportJob.create({ data: { id: newId(), userId: viewer.id, status: "queued", filters: JSON.stringify(filters), createdAt: now } });
  });
  return view(job, now);
}

/** The member's exports, newest first. */
export async function listExportJobs(db: Db, userId: string, now: Date): Promise<ExportJobView[]> {
  const rows = await db.exportJob.findMany({ where: { userId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: 50 });
  return rows.map((r) => view(r, now));
}

/** One of the member's exports (someone else's is not_found: ids reveal nothing). */
export async function getExportJob(db: Db, userId: string, id: string, now: Date): Promise<ExportJobView> {
  const job = await db.exportJob.findFirst({ where: { id, userId } });
  if (!job) throw new AppError("not_found");
  return view(job, now);
}

/** The absolute path of a ready export of the member: export_not_ready before, export_expired after its expiry. */
export async function requireDownloadableExport(db: Db, dataDir: string, userId: string, id: string, now: Date): Promise<{ file: string; createdAt: Date }> {
  const job = await db.exportJob.findFirst({ where: { id, userId } });
  if (!job) throw new AppError("not_found");
  if (job.status !== "ready" || !job.file) throw new AppError(job.status === "failed" ? "not_found" : "export_not_ready");
  if (!job.expiresAt || job.expiresAt.getTime() <= now.getTime()) throw new AppError("export_expired");
  return { file: path.join(exportsDir(dataDir), path.basename(job.file)), createdAt: job.createdAt };
}

/**
 * Deletes one of the member's exports: the row first, then its file (a running export notices its row is gone and
 * stops). A file left by a crash in between is removed by removeExpiredExports.
 */
export async function deleteExportJob(db: Db, dataDir: string, userId: string, id: string): Promise<void> {
  const job = await db.exportJob.findFirst({ where: { id, userId }, select: { file: true } });
  if (!job) throw new AppError("not_found");
  await db.exportJob.deleteMany({ where: { id, userId } });
  await unlinkQuietly(path.join(exportsDir(dataDir), exportFileName(id)));
}

/**
 * Removes exports past their expiry (ready and failed ones): rows and files in one transaction with the file deletions
 * queued (pending-files), then unlinked. Also removes files in the exports folder that no row points to (debris of a
 * crash or of a deleted account). Safe to run twice and concurrently with the runner.
 */
export async function removeExpiredExports(db: Db, dataDir: string, now: Date): Promise<{ deleted: number; orphans: number }> {
  const deleted = await db.$transaction(async (tx) => {
    const expired = await tx.exportJob.findMany({ where: { status: { in: ["ready", "failed"] }, expiresAt: { lte: now } }, select: { id: true, file: true } });
    if (!expired.length) return 0;
    await tx.exportJob.deleteMany({ where: { id: { in: expired.map((j) => j.id) } } });
    await queueFileDeletions(
      tx,
      expired.filter((j) => j.file).map((j) => exportPathInDataDir(path.basename(j.file!))),
      "export_expired",
    );
    return expired.length;
  });
  if (deleted) await flushPendingFiles(db, dataDir);

  let orphans = 0;
  let names: string[] = [];
  try {
    names = await fs.readdir(exportsDir(dataDir));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  if (names.length) {
    const rows = await db.exportJob.findMany({ select: { id: true, status: true } });
    const known = new Map(rows.map((r) => [r.id, r.status]));
    for (const name of names) {
      const m = /^(.+)\.zip(\.part)?$/.exec(name);
      const status = m ? known.get(m[1]) : undefined;
      // A finished .zip belongs to a ready job, a .part to a queued or running one.
      const kept = m && (m[2] ? status === "queued" || status === "running" : status === "ready");
      if (kept) continue;
      const full = path.join(exportsDir(dataDir), name);
      try {
        // Leave young files alone: the runner may be between renaming a file and recording it.
        if (now.getTime() - (await fs.stat(full)).mtimeMs < STALE_FILE_MS) continue;
      } catch {
        continue;
      }
      if (await unlinkQuietly(full)) orphans++;
    }
  }
  if (deleted || orphans) log.info("expired exports removed", { deleted, orphans });
  return { deleted, orphans };
}

async function unlinkQuietly(file: string): Promise<boolean> {
  try {
    await fs.unlink(file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") log.error("export file not deleted", { file: path.basename(file), error: String(err) });
    return false;
  }
}
