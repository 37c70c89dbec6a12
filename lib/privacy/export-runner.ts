// The export runner (in the scheduler worker): polls for queued export jobs every POLL_MS and prepares them one at a
// time into $DATA_DIR/exports/<id>.zip.part, renamed to <id>.zip when complete. Progress (bytesDone/bytesTotal) is
// written at most every PROGRESS_MS. A job whose row disappears meanwhile (the member deleted it, or their account)
// stops at the next progress write. At start, jobs left "running" by a killed worker are queued again and their
// .part files removed; on stop, the job in progress is interrupted and queued again.
import { createWriteStream, type WriteStream } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { systemClock, type Clock } from "../clock";
import type { Db } from "../db";
import { logger } from "../log";
import { mediaDir } from "../data-dir";
import { estimateExport, resolveScope, writeExport } from "./export";
import { EXPORT_LIFETIME_MS, exportFileName, NO_SPACE_ERROR, parseStoredFilters, spareBytesForExport } from "./export-jobs";
import { exportsDir } from "../data-dir";

const log = logger("exports");

/** How often the runner looks for queued jobs, ms. */
export const POLL_MS = 1_000;
/** Least time between two progress writes of a job, ms (wall clock). */
export const PROGRESS_MS = 250;

export type ExportRunnerOptions = {
  dataDir: string;
  /** MEDIA_MIN_FREE_MB in bytes: an export that would take free space below it fails with "no_space" before writing. */
  floorBytes?: number;
  clock?: Clock;
  pollMs?: number;
  progressMs?: number;
  /** Called after each progress write (tests). */
  onProgress?: (jobId: string, bytesDone: number, bytesTotal: number) => void;
};

/** The disk has too little free space for this export (the job fails with error "no_space", shown localized). */
class NoSpace extends Error {
  constructor() {
    super(NO_SPACE_ERROR);
  }
}

/** Why a run stopped early: the job's row is gone, or the runner is stopping. */
class Interrupted extends Error {
  constructor(readonly reason: "gone" | "stopping") {
    super(`export interrupted: ${reason}`);
  }
}

/** Queues again the jobs a killed worker left "running" and removes their partial files. Returns how many. */
export async function recoverInterruptedExports(db: Db, dataDir: string): Promise<number> {
  const stuck = await db.exportJob.findMany({ where: { status: "running" }, select: { id: true } });
  for (const job of stuck) {
    await fs.rm(path.join(exportsDir(dataDir), `${exportFileName(job.id)}.part`), { force: true });
    await db.exportJob.updateMany({ where: { id: job.id, status: "running" }, data: { status: "queued", bytesDone: 0 } });
  }
  if (stuck.length) log.warn("interrupted exports queued again", { count: stuck.length });
  return stuck.length;
}

/** Runs the oldest queued job, if any, to its end (ready, failed or gone). Returns its id, or null when none was queued. */
export async function runNextExport(db: Db, options: ExportRunnerOptions, signal?: AbortSignal): Promise<string | null> {
  const job = await db.exportJob.findFirst({ where: { status: "queued" }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  if (!job) return null;
  const claimed = await db.exportJob.updateMany({ where: { id: job.id, status: "queued" }, data: { status: "running", bytesDone: 0 } });
  if (claimed.count === 0) return job.id; // deleted meanwhile
  await runExport(db, job, options, signal);
  return job.id;
}

async function runExport(db: Db, job: { id: string; userId: string; filters: string }, options: ExportRunnerOptions, signal?: AbortSignal): Promise<void> {
  const clock = options.clock ?? systemClock;
  const progressMs = options.progressMs ?? PROGRESS_MS;
  const dir = exportsDir(options.dataDir);
  const part = path.join(dir, `${exportFileName(job.id)}.part`);
  const final = path.join(dir, exportFileName(job.id));
  const started = Date.now();
  let out: WriteStream | null = null;
  try {
    const scope = await resolveScope(db, job.userId, parseStoredFilters(job.filters));
    if (!scope) throw new Interrupted("gone");
    let { bytesTotal } = await estimateExport(db, scope);
    if (options.floorBytes !== undefined && (await spareBytesForExport({ dataDir: options.dataDir, floorBytes: options.floorBytes }, bytesTotal)).spareBytes < 0) throw new NoSpace();
    let bytesDone = 0;
    let gone = false;
    let writing: Promise<void> | null = null;
    let lastWrite = 0;
    const writeProgress = () => {
      lastWrite = Date.now();
      // The estimate of the JSON part can be low: keep the total ahead of what is done until the export is ready.
      bytesTotal = Math.max(bytesTotal, Math.ceil(bytesDone * 1.02));
      const done = bytesDone;
      const total = bytesTotal;
      writing = db.exportJob
        .updateMany({ where: { id: job.id, status: "running" }, data: { bytesDone: done, bytesTotal: total } })
        .then((r) => {
          if (r.count === 0) gone = true;
          else options.onProgress?.(job.id, done, total);
        })
        .catch((err) => log.error("export progress not saved", { job: job.id, error: String(err) }))
        .finally(() => {
          writing = null;
        });
    };
    writeProgress();
    await writing;

    await fs.mkdir(dir, { recursive: true });
    out = createWriteStream(part, { mode: 0o600, highWaterMark: 256 * 1024 });
    const stream = out;
    const result = await writeExport(db, {
      scope,
      mediaDir: mediaDir(options.dataDir),
      out: stream,
      now: clock.now(),
      onData: (n) => {
        if (gone) throw new Interrupted("gone");
        if (signal?.aborted) throw new Interrupted("stopping");
        bytesDone += n;
        if (!writing && Date.now() - lastWrite >= progressMs) writeProgress();
      },
    });
    await new Promise<void>((resolve, reject) => stream.once("error", reject).once("close", () => resolve()).end());
    out = null;
    // On disk before the job says ready (a power cut must not leave a "ready" export truncated).
    const synced = await fs.open(part, "r+");
    await synced.sync();
    await synced.close();
    await writing;
    if (gone) throw new Interrupted("gone");
    await fs.rename(part, final);
    const done = clock.now();
    const saved = await db.exportJob.updateMany({
      where: { id: job.id, status: "running" },
      data: { status: "ready", file: exportFileName(job.id), bytesDone: result.bytes, bytesTotal: result.bytes, finishedAt: done, expiresAt: new Date(done.getTime() + EXPORT_LIFETIME_MS), error: null },
    });
    if (saved.count === 0) {
      await fs.rm(final, { force: true });
      return;
    }
    log.info("export ready", { job: job.id, bytes: result.bytes, files: result.files, missing: result.missing.length, ms: Date.now() - started });
  } catch (err) {
    // Close the file before removing it (a stream that failed on its own may have closed already).
    const open = out;
    if (open && !open.closed) await new Promise<void>((resolve) => open.once("close", () => resolve()).destroy());
    await fs.rm(part, { force: true }).catch((e) => log.warn("partial export not removed", { job: job.id, error: String(e) }));
    if (err instanceof Interrupted) {
      if (err.reason === "stopping") await db.exportJob.updateMany({ where: { id: job.id, status: "running" }, data: { status: "queued", bytesDone: 0 } });
      log.info("export interrupted", { job: job.id, reason: err.reason });
      return;
    }
    log.error("export failed", { job: job.id, error: String((err as Error)?.stack ?? err) });
    const at = clock.now();
    await db.exportJob.updateMany({
      where: { id: job.id, status: "running" },
      data: { status: "failed", error: err instanceof NoSpace || (err as NodeJS.ErrnoException)?.code === "ENOSPC" ? NO_SPACE_ERROR : String((err as Error)?.message ?? err).slice(0, 500), finishedAt: at, expiresAt: new Date(at.getTime() + EXPORT_LIFETIME_MS) },
    });
  }
}

/** Starts polling for queued jobs (after recovering interrupted ones). stop() interrupts the job in progress. */
export function startExportRunner(db: Db, options: ExportRunnerOptions): { stop: () => Promise<void> } {
  const pollMs = options.pollMs ?? POLL_MS;
  const abort = new AbortController();
  let timer: NodeJS.Timeout | null = null;
  const tick = async () => {
    try {
      while (!abort.signal.aborted && (await runNextExport(db, options, abort.signal))) {
        /* next job */
      }
    } catch (err) {
      log.error("export runner error", { error: String(err) });
    }
    if (!abort.signal.aborted) {
      timer = setTimeout(() => (current = tick()), pollMs);
      timer.unref();
    }
  };
  let current: Promise<void> = recoverInterruptedExports(db, options.dataDir)
    .catch((err) => log.error("export recovery failed", { error: String(err) }))
    .then(tick);
  return {
    stop: async () => {
      abort.abort();
      if (timer) clearTimeout(timer);
      await current;
    },
  };
}
