// The timelapse runner (in the scheduler worker): every POLL_MS it closes the days that are over (status capturing →
// queued, TIMELAPSE_DAY_SETTLE_MS after the day's end) and makes the oldest queued timelapse — a day, or a range a
// member asked for — one at a time: the frames in its span, read from the day folders (frames.ts), decoded and
// encoded into an H.264 MP4 (lib/ffmpeg/timelapse.ts) under a temp name, renamed, then the row says "ready" (or
// "empty" when there was no frame, "failed" with the reason). A row deleted meanwhile leaves no file: the video goes
// through lib/deletion like any stray media file. A runner killed mid-encode leaves its row "encoding": the next
// start queues it again and removes the temp files (its own).
import fs from "node:fs/promises";
import path from "node:path";
import type { Clock } from "../clock";
import { systemClock } from "../clock";
import { mediaDir, resolveInside, timelapseRelativeDir, timelapseVideoRelativePath } from "../data-dir";
import type { Db } from "../db";
import { deleteUntrackedMediaFiles } from "../deletion/recordings";
import { runTimelapseEncode, type TimelapseRun } from "../ffmpeg/timelapse";
import { logger } from "../log";
import { frameSize, parseFrameFileName, type FrameCodec } from "./frames";
import { TIMELAPSE_CRF, TIMELAPSE_DAY_SETTLE_MS, TIMELAPSE_FPS, TIMELAPSE_NICENESS, TIMELAPSE_PRESET, timelapseSize } from "./settings";

const log = logger("timelapse");

/** How often the runner looks for work, ms. */
export const TIMELAPSE_POLL_MS = 2_000;
/** Temp files of the runner's encodes (beside the video they become). */
const TEMP_RE = /\.tmp-[^/]*$/;

export type TimelapseRunnerOptions = { dataDir: string; ffmpegPath: string; clock?: Clock; pollMs?: number; niceness?: number };

type Row = { id: string; cameraId: string | null; kind: string; day: string | null; fromAt: Date; toAt: Date; framesDir: string | null };

/** A frame file of a timelapse's span: absolute path, capture time (ms) and codec. */
export type FrameFile = { file: string; atMs: number; codec: FrameCodec };

/** Days whose end (+ the settle time) has passed stop capturing and wait for their encode. Returns how many. */
export async function closeFinishedDays(db: Db, now: Date): Promise<number> {
  const r = await db.timelapse.updateMany({ where: { kind: "day", status: "capturing", toAt: { lte: new Date(now.getTime() - TIMELAPSE_DAY_SETTLE_MS) } }, data: { status: "queued" } });
  return r.count;
}

/** Rows a killed runner left "encoding" are queued again, and its temp files go. Returns how many rows. */
export async function recoverInterruptedTimelapses(db: Db, dataDir: string): Promise<number> {
  const stuck = await db.timelapse.findMany({ where: { status: "encoding" }, select: { id: true, cameraId: true, path: true } });
  for (const row of stuck) await db.timelapse.updateMany({ where: { id: row.id, status: "encoding" }, data: { status: "queued" } });
  const root = mediaDir(dataDir);
  const cameras = await fs.readdir(root).catch(() => [] as string[]);
  for (const camera of cameras) {
    const dir = resolveInside(root, timelapseRelativeDir(camera));
    const names = dir ? await fs.readdir(dir).catch(() => [] as string[]) : [];
    for (const name of names.filter((n) => TEMP_RE.test(n))) await fs.rm(path.join(dir!, name), { force: true });
  }
  if (stuck.length) log.warn("interrupted timelapses queued again", { count: stuck.length });
  return stuck.length;
}

/** The frame files of a timelapse's span, in time order: its own folder (a day), or those of the camera's days it covers (a range). */
export async function listSpanFrames(db: Db, dataDir: string, row: Row): Promise<FrameFile[]> {
  // A range whose camera was deleted meanwhile has no days to read (cameraId null would match every deleted camera's).
  const dirs =
    row.kind === "day"
      ? [row.framesDir]
      : row.cameraId === null
        ? []
        : (await db.timelapse.findMany({ where: { cameraId: row.cameraId, kind: "day", fromAt: { lt: row.toAt }, toAt: { gt: row.fromAt } }, select: { framesDir: true } })).map((d) => d.framesDir);
  const root = mediaDir(dataDir);
  const out: FrameFile[] = [];
  for (const rel of dirs) {
    const dir = rel ? resolveInside(root, rel) : null;
    if (!dir) continue;
    for (const name of await fs.readdir(dir).catch(() => [] as string[])) {
      const f = parseFrameFileName(name);
      if (f && f.atMs >= row.fromAt.getTime() && f.atMs < row.toAt.getTime()) out.push({ file: path.join(dir, name), ...f });
    }
  }
  return out.sort((a, b) => a.atMs - b.atMs);
}

/** Consecutive frames of one codec, each run decoded by its own ffmpeg. */
export function codecRuns(frames: FrameFile[]): TimelapseRun[] {
  const runs: TimelapseRun[] = [];
  for (const f of frames) {
    const last = runs[runs.length - 1];
    if (last && last.codec === f.codec) last.files.push(f.file);
    else runs.push({ codec: f.codec, files: [f.file] });
  }
  return runs;
}

/** The picture of the video: the size of the first frame whose SPS reads, scaled to fit (settings.ts); null if none reads. */
async function videoSize(frames: FrameFile[]): Promise<{ width: number; height: number } | null> {
  for (const f of frames.slice(0, 20)) {
    const data = await fs.readFile(f.file).catch(() => null);
    const size = data && frameSize(data, f.codec);
    if (size) return timelapseSize(size.width, size.height);
  }
  return null;
}

/** Makes one claimed timelapse (status "encoding"). Never throws: the outcome is written to its row. */
async function encodeTimelapse(db: Db, row: Row, o: TimelapseRunnerOptions, signal?: AbortSignal): Promise<void> {
  const clock = o.clock ?? systemClock;
  const started = Date.now();
  const finish = (data: Parameters<Db["timelapse"]["updateMany"]>[0]["data"]) =>
    db.timelapse.updateMany({ where: { id: row.id, status: "encoding" }, data: { ...data, finishedAt: clock.now() } });
  try {
    const frames = await listSpanFrames(db, o.dataDir, row);
    if (!frames.length) {
      await finish({ status: "empty", error: null });
      return;
    }
    const size = await videoSize(frames);
    if (!size) {
      await finish({ status: "failed", error: "no frame has a readable picture size" });
      return;
    }
    const relative = row.kind === "day" && row.framesDir ? timelapseVideoRelativePath({ framesDir: row.framesDir }) : timelapseVideoRelativePath({ cameraId: row.cameraId!, rangeId: row.id });
    const final = resolveInside(mediaDir(o.dataDir), relative);
    if (!final) throw new Error(`timelapse path outside media/: ${relative}`);
    await fs.mkdir(path.dirname(final), { recursive: true });
    const tmp = `${final}.tmp-${row.id}`;
    const result = await runTimelapseEncode(o.ffmpegPath, { runs: codecRuns(frames), ...size, fps: TIMELAPSE_FPS, preset: TIMELAPSE_PRESET, crf: TIMELAPSE_CRF, output: tmp, niceness: o.niceness ?? TIMELAPSE_NICENESS, signal });
    await fs.rename(tmp, final);
    const bytes = (await fs.stat(final)).size;
    const saved = await finish({
      status: "ready",
      path: relative,
      bytes,
      frameCount: result.frames,
      durationMs: Math.round((result.frames * 1000) / TIMELAPSE_FPS),
      ...size,
      error: null,
    });
    if (saved.count === 0) {
      // Deleted (or the camera with it) while it was being made: the file must not stay without its row.
      await deleteUntrackedMediaFiles(db, o.dataDir, [relative]);
      return;
    }
    log.info("timelapse ready", { id: row.id, kind: row.kind, day: row.day, frames: result.frames, unreadable: result.unreadableFiles, bytes, ms: Date.now() - started });
  } catch (err) {
    if (signal?.aborted) return; // left "encoding": queued again at the next start
    log.error("timelapse failed", { id: row.id, error: String(err) });
    await finish({ status: "failed", error: String(err instanceof Error ? err.message : err).slice(0, 500) }).catch(() => undefined);
  }
}

/** Makes the oldest queued timelapse, if any. Returns its id, or null when nothing was queued. */
export async function runNextTimelapse(db: Db, o: TimelapseRunnerOptions, signal?: AbortSignal): Promise<string | null> {
  const row = await db.timelapse.findFirst({ where: { status: "queued" }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], select: { id: true, cameraId: true, kind: true, day: true, fromAt: true, toAt: true, framesDir: true } });
  if (!row) return null;
  const claimed = await db.timelapse.updateMany({ where: { id: row.id, status: "queued" }, data: { status: "encoding" } });
  if (claimed.count === 1) await encodeTimelapse(db, row, o, signal);
  return row.id;
}

/** One step of the runner: close finished days, then make everything queued. Returns the ids made (tests, bench). */
export async function stepTimelapses(db: Db, o: TimelapseRunnerOptions, signal?: AbortSignal): Promise<string[]> {
  const clock = o.clock ?? systemClock;
  await closeFinishedDays(db, clock.now());
  const made: string[] = [];
  for (;;) {
    if (signal?.aborted) return made;
    const id = await runNextTimelapse(db, o, signal);
    if (!id) return made;
    made.push(id);
  }
}

/** Starts the runner loop; stop() aborts an encode in progress (its row is queued again at the next start). */
export function startTimelapseRunner(db: Db, o: TimelapseRunnerOptions): { stop(): Promise<void> } {
  const abort = new AbortController();
  // A wait that a stop ends early; its abort listener goes when the wait ends (one per poll would pile up).
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const onAbort = () => {
        clearTimeout(t);
        resolve();
      };
      const t = setTimeout(() => {
        abort.signal.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      abort.signal.addEventListener("abort", onAbort, { once: true });
    });
  const loop = (async () => {
    await recoverInterruptedTimelapses(db, o.dataDir).catch((err) => log.error("timelapse recovery failed", { error: String(err) }));
    while (!abort.signal.aborted) {
      await stepTimelapses(db, o, abort.signal).catch((err) => log.error("timelapse runner step failed", { error: String(err) }));
      await pause(o.pollMs ?? TIMELAPSE_POLL_MS);
    }
  })();
  return {
    async stop() {
      abort.abort();
      await loop;
    },
  };
}
