// Timelapses for the web app and the API: who sees which (the cameras a member sees, lib/cameras/access.ts; those of
// deleted cameras: admins), the list per camera and day, the video file, asking for a range, deleting, and the
// camera's timelapse settings. Encoding is the runner's (runner.ts); capture the recorder's (capture.ts).
import fs from "node:fs";
import { canSeeCamera, requireCameraAccess, visibleCameraIds } from "../cameras/access";
import type { CameraViewer } from "../cameras/access";
import { mediaDir, resolveInside } from "../data-dir";
import type { Db } from "../db";
import { deleteTimelapses } from "../deletion/timelapses";
import { AppError } from "../errors";
import { newId } from "../ids";
import { DAY_MS } from "../time";
import { isTimelapseInterval, TIMELAPSE_MAX_RANGE_DAYS, type TimelapseSettings } from "./settings";

export type TimelapseStatus = "capturing" | "queued" | "encoding" | "ready" | "failed" | "empty";

export type TimelapseView = {
  id: string;
  cameraId: string | null;
  cameraName: string;
  kind: "day" | "range";
  /** A day's date (YYYY-MM-DD, the server's zone); null for a range. */
  day: string | null;
  from: string;
  to: string;
  status: TimelapseStatus;
  /** Frames kept so far (a day) and in the video (once made). */
  framesCaptured: number;
  frameCount: number;
  /** The video's bytes, and the day's frames' bytes on disk. */
  bytes: number;
  framesBytes: number;
  durationMs: number;
  width: number | null;
  height: number | null;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
};

const SELECT = { id: true, cameraId: true, cameraName: true, kind: true, day: true, fromAt: true, toAt: true, status: true, framesCaptured: true, frameCount: true, bytes: true, framesBytes: true, durationMs: true, width: true, height: true, error: true, createdAt: true, finishedAt: true } as const;
type Row = { id: string; cameraId: string | null; cameraName: string; kind: string; day: string | null; fromAt: Date; toAt: Date; status: string; framesCaptured: number; frameCount: number; bytes: number; framesBytes: number; durationMs: number; width: number | null; height: number | null; error: string | null; createdAt: Date; finishedAt: Date | null };

export function presentTimelapse(r: Row): TimelapseView {
  return {
    id: r.id,
    cameraId: r.cameraId,
    cameraName: r.cameraName,
    kind: r.kind === "range" ? "range" : "day",
    day: r.day,
    from: r.fromAt.toISOString(),
    to: r.toAt.toISOString(),
    status: r.status as TimelapseStatus,
    framesCaptured: r.framesCaptured,
    frameCount: r.frameCount,
    bytes: r.bytes,
    framesBytes: r.framesBytes,
    durationMs: r.durationMs,
    width: r.width,
    height: r.height,
    error: r.error,
    createdAt: r.createdAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
  };
}

/** At most this many timelapses per list (a year of days of a camera fits), count. */
export const TIMELAPSE_LIST_LIMIT = 400;

/** The timelapses the viewer may see, newest first; `cameraId` narrows to one camera. */
export async function listTimelapses(db: Db, viewer: CameraViewer, filter: { cameraId?: string | null } = {}): Promise<TimelapseView[]> {
  const granted = await visibleCameraIds(db, viewer);
  if (filter.cameraId && !(await canSeeCamera(db, viewer, filter.cameraId))) return [];
  const where = {
    ...(granted === "all" ? {} : { cameraId: { in: granted } }),
    ...(filter.cameraId ? { cameraId: filter.cameraId } : {}),
  };
  const rows = await db.timelapse.findMany({ where, select: SELECT, orderBy: [{ fromAt: "desc" }, { createdAt: "desc" }, { id: "asc" }], take: TIMELAPSE_LIST_LIMIT });
  return rows.map(presentTimelapse);
}

/** One timelapse the viewer may see, or not_found (also for one they may not see: its existence is not told). */
export async function requireTimelapse(db: Db, viewer: CameraViewer, id: string): Promise<TimelapseView & { path: string | null }> {
  const row = await db.timelapse.findUnique({ where: { id }, select: { ...SELECT, path: true } });
  if (!row || !(await canSeeCamera(db, viewer, row.cameraId))) throw new AppError("not_found");
  return { ...presentTimelapse(row), path: row.path };
}

/** The video of a ready timelapse, or not_found (not made yet, failed, or its file is gone). */
export async function requireTimelapseFile(db: Db, dataDir: string, viewer: CameraViewer, id: string): Promise<{ timelapse: TimelapseView; file: string }> {
  const t = await requireTimelapse(db, viewer, id);
  const file = t.status === "ready" && t.path ? resolveInside(mediaDir(dataDir), t.path) : null;
  if (!file || !fs.existsSync(file)) throw new AppError("not_found");
  return { timelapse: t, file };
}

/**
 * Asks for a timelapse of a camera from `from` to `to` (made by the runner from the stored frames of those days).
 * invalid_timelapse_range: to not after from (to is cut at now); timelapse_range_too_large: longer than TIMELAPSE_MAX_RANGE_DAYS;
 * no_timelapse_frames: the camera has no frames in that span.
 */
export async function requestTimelapse(db: Db, viewer: CameraViewer, input: { cameraId: string; from: Date; to: Date }, now: Date = new Date()): Promise<TimelapseView> {
  await requireCameraAccess(db, viewer, input.cameraId);
  const to = new Date(Math.min(input.to.getTime(), now.getTime()));
  if (!(to.getTime() > input.from.getTime())) throw new AppError("invalid_timelapse_range");
  if (to.getTime() - input.from.getTime() > TIMELAPSE_MAX_RANGE_DAYS * DAY_MS) throw new AppError("timelapse_range_too_large");
  const days = await db.timelapse.count({ where: { cameraId: input.cameraId, kind: "day", framesCaptured: { gt: 0 }, fromAt: { lt: to }, toAt: { gt: input.from } } });
  if (days === 0) throw new AppError("no_timelapse_frames");
  const camera = await db.camera.findUniqueOrThrow({ where: { id: input.cameraId }, select: { name: true } });
  const row = await db.timelapse.create({
    data: { id: newId(), cameraId: input.cameraId, cameraName: camera.name, kind: "range", fromAt: input.from, toAt: to, status: "queued", requestedById: viewer.id },
    select: SELECT,
  });
  return presentTimelapse(row);
}

/** Deletes a timelapse the viewer may see (a day's frames with it: a range can no longer be made from them). */
export async function deleteTimelapseFor(db: Db, dataDir: string, viewer: CameraViewer, id: string): Promise<TimelapseView> {
  const t = await requireTimelapse(db, viewer, id);
  await deleteTimelapses(db, dataDir, [id], "event_delete");
  return t;
}

/** A camera's timelapse settings. */
export async function readTimelapseSettings(db: Db, cameraId: string): Promise<TimelapseSettings> {
  const c = await db.camera.findUnique({ where: { id: cameraId }, select: { timelapseEnabled: true, timelapseIntervalSeconds: true } });
  if (!c) throw new AppError("not_found");
  return { enabled: c.timelapseEnabled, intervalSeconds: c.timelapseIntervalSeconds };
}

/**
 * Changes a camera's timelapse settings (admins; the route checks). The camera's updatedAt changes with them, so the
 * recorder pool hands them to the running recorder (no new ingest). validation: an interval out of range.
 */
export async function updateTimelapseSettings(db: Db, cameraId: string, settings: TimelapseSettings): Promise<TimelapseSettings> {
  if (!isTimelapseInterval(settings.intervalSeconds)) throw new AppError("validation");
  const exists = await db.camera.count({ where: { id: cameraId } });
  if (!exists) throw new AppError("not_found");
  await db.camera.update({ where: { id: cameraId }, data: { timelapseEnabled: settings.enabled, timelapseIntervalSeconds: settings.intervalSeconds } });
  return settings;
}
