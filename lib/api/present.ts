// What the v1 operations answer, built from the same lib/ functions the app's own routes use and passed through the
// documented response schema (lib/api/schemas.ts): a field the document does not list never leaves, and a missing
// one fails here instead of in a program.
import type { Viewer } from "../auth/viewer";
import { getCameraFor, listCamerasFor, type PublicCamera } from "../cameras/cameras";
import { visibleCameraIds } from "../cameras/access";
import { getMotionSettings } from "../cameras/motion-settings";
import type { Db } from "../db";
import type { MotionConfig } from "../motion/config";
import type { StorageSummary } from "../retention/storage";
import { getModeState } from "../modes/modes";
import { serverTimeZone } from "../time";
import { listTimelapses, requireTimelapse, type TimelapseStatus } from "../timelapse/timelapses";
import { cameraListSchema, cameraSchema, modeListSchema, storageSchema, timelapseListSchema, timelapseSchema } from "./schemas";

function apiCamera(c: PublicCamera, motion: Pick<MotionConfig, "armed" | "schedule">) {
  return {
    id: c.id,
    name: c.name,
    isEnabled: c.isEnabled,
    recordingEnabled: c.recordingEnabled,
    privacyMode: c.privacyMode,
    armed: motion.armed,
    hasSchedule: motion.schedule.length > 0,
    status: { state: c.status.state, since: c.status.since, lastSeenAt: c.status.lastSeenAt, recordingProblem: c.status.recordingProblem },
    video: { codec: c.status.videoCodec, width: c.status.width, height: c.status.height, fps: c.status.fps },
    retentionDays: c.retentionDays,
    createdAt: c.createdAt,
  };
}

/** The cameras the viewer may see (lib/cameras/access.ts decides, token limits included), with their arming. */
export async function listApiCameras(db: Db, viewer: Viewer) {
  const cameras = await listCamerasFor(db, viewer);
  const out = [];
  for (const c of cameras) out.push(apiCamera(c, await getMotionSettings(db, c.id)));
  return cameraListSchema.parse({ cameras: out });
}

/** One camera: not_found for an unknown id, forbidden for one the viewer may not see. */
export async function getApiCamera(db: Db, viewer: Viewer, cameraId: string) {
  const camera = await getCameraFor(db, viewer, cameraId);
  return cameraSchema.parse(apiCamera(camera, await getMotionSettings(db, cameraId)));
}

/** The storage status: the Storage page's figures without its charts and forecast. */
export function apiStorage(s: StorageSummary) {
  return storageSchema.parse({
    usedBytes: s.usedBytes,
    protectedBytes: s.protectedBytes,
    timelapse: s.timelapse,
    quotaBytes: s.quotaBytes,
    freeBytes: s.disk?.freeBytes ?? null,
    totalBytes: s.disk?.totalBytes ?? null,
    floorBytes: s.floorBytes,
    isBelowFloor: s.isBelowFloor,
    bytesPerDay: s.bytesPerDay,
    daysUntilFull: s.daysUntilFull,
    fullBy: s.fullBy,
    cameras: s.cameras,
    warnings: s.warnings,
  });
}

/** The household's modes and the one in force; per-camera settings only for the cameras the viewer may see. */
export async function listApiModes(db: Db, viewer: Viewer) {
  const [state, visible] = await Promise.all([getModeState(db), visibleCameraIds(db, viewer)]);
  const sees = (cameraId: string) => visible === "all" || visible.includes(cameraId);
  return modeListSchema.parse({
    modes: state.modes.map((m) => ({
      id: m.id,
      key: m.key,
      name: m.name,
      position: m.position,
      active: m.id === state.active.id,
      cameras: Object.fromEntries(Object.entries(m.cameras).filter(([id]) => sees(id))),
      schedule: m.schedule,
    })),
    activeModeId: state.active.id,
    changedAt: state.changedAt?.toISOString() ?? null,
    changedVia: state.changedVia,
    timeZone: serverTimeZone(),
  });
}

/**
 * The timelapses the viewer may see (lib/timelapse decides, token limits included), newest first; `camera` narrows to
 * one camera (none for a camera the viewer may not see), `status` to one status (of the newest TIMELAPSE_LIST_LIMIT).
 */
export async function listApiTimelapses(db: Db, viewer: Viewer, q: { camera?: string; status?: TimelapseStatus }) {
  const all = await listTimelapses(db, viewer, { cameraId: q.camera ?? null });
  return timelapseListSchema.parse({ timelapses: q.status ? all.filter((t) => t.status === q.status) : all });
}

/** One timelapse: not_found for an unknown id and for one of a camera the viewer may not see. */
export async function getApiTimelapse(db: Db, viewer: Viewer, id: string) {
  return timelapseSchema.parse(await requireTimelapse(db, viewer, id)); // the schema drops `path` (the server's business)
}
