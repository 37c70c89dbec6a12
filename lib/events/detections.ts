// A member marks a detection on an event as wrong ("this is not a cat"), or takes that back. Marking sets
// Detection.isWrong and keeps a DetectionCorrection (camera, label, box) that the camera's recorder uses from then on to
// suppress the same detection at the same place (lib/detection/suppress.ts); it stays on this server. Authorization by
// role is the route's (detections:correct); who sees the event's camera is checked here (requireEventAccess). When every
// box of a label on the event is marked wrong, the event loses that label (it no longer matches a filter for it, nor
// says it); taking a mark back gives it back. (An event still being recorded may write the label again until the
// recorder has reloaded its corrections, within seconds.)
import type { Viewer } from "../auth/viewer";
import { reloadCameraRecorder } from "../cameras/detection-settings";
import type { Db } from "../db";
import { AppError } from "../errors";
import { newId } from "../ids";
import { requireEventAccess } from "./events";

type Who = Pick<Viewer, "id" | "role">;

export type DetectionMark = {
  eventId: string;
  detectionId: string;
  /** The event's camera (null: deleted; then no correction is kept, there is no recorder to suppress anything). */
  cameraId: string | null;
  label: string;
  isWrong: boolean;
  /** false when the detection already was in that state (marking twice, or taking back what was not marked). */
  changed: boolean;
};

/** The detection if it belongs to the event the viewer may see: not_found for another event's or an unknown one. */
async function requireEventDetection(db: Db, viewer: Who, eventId: string, detectionId: string) {
  const event = await requireEventAccess(db, viewer, eventId);
  const detection = await db.detection.findFirst({ where: { id: detectionId, eventId } });
  if (!detection) throw new AppError("not_found");
  return { event, detection };
}

/**
 * Marks the detection wrong and keeps its correction; idempotent (a second mark changes nothing). The camera's running
 * recorder reads its corrections again within seconds (reloadCameraRecorder).
 */
export async function markDetectionWrong(db: Db, viewer: Who, eventId: string, detectionId: string): Promise<DetectionMark> {
  const { event, detection: d } = await requireEventDetection(db, viewer, eventId, detectionId);
  const changed = await db.$transaction(async (tx) => {
    const row = await tx.detection.findFirst({ where: { id: detectionId, eventId }, select: { isWrong: true, event: { select: { cameraId: true } } } });
    if (!row) throw new AppError("not_found"); // the event was deleted in between
    const cameraId = row.event.cameraId;
    const kept = cameraId !== null && (await tx.detectionCorrection.count({ where: { detectionId } })) > 0;
    if (row.isWrong && (cameraId === null || kept)) return false;
    if (!row.isWrong) await tx.detection.update({ where: { id: detectionId }, data: { isWrong: true } });
    if (cameraId !== null && !kept) {
      await tx.detectionCorrection.create({ data: { id: newId(), cameraId, label: d.label, x1: d.x1, y1: d.y1, x2: d.x2, y2: d.y2, detectionId, createdById: viewer.id } });
    }
    if ((await tx.detection.count({ where: { eventId, label: d.label, isWrong: false } })) === 0) await tx.eventLabel.deleteMany({ where: { eventId, label: d.label } });
    return true;
  });
  if (changed && event.cameraId) await reloadCameraRecorder(db, event.cameraId);
  return { eventId, detectionId, cameraId: event.cameraId, label: d.label, isWrong: true, changed };
}

/** Takes a mark back: the correction goes (whoever made it) and isWrong is false again; idempotent. */
export async function undoDetectionWrong(db: Db, viewer: Who, eventId: string, detectionId: string): Promise<DetectionMark> {
  const { event, detection: d } = await requireEventDetection(db, viewer, eventId, detectionId);
  const { changed, removed } = await db.$transaction(async (tx) => {
    const { count } = await tx.detectionCorrection.deleteMany({ where: { detectionId } });
    const { count: unmarked } = await tx.detection.updateMany({ where: { id: detectionId, eventId, isWrong: true }, data: { isWrong: false } });
    if (unmarked > 0) {
      // The label is the event's again (with at least this box's score).
      const label = await tx.eventLabel.findUnique({ where: { eventId_label: { eventId, label: d.label } } });
      if (!label) await tx.eventLabel.create({ data: { eventId, label: d.label, score: d.score, firstAt: d.at } });
    }
    return { changed: count + unmarked > 0, removed: count > 0 };
  });
  if (removed && event.cameraId) await reloadCameraRecorder(db, event.cameraId);
  return { eventId, detectionId, cameraId: event.cameraId, label: d.label, isWrong: false, changed };
}
