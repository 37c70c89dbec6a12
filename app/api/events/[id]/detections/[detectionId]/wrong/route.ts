// POST /api/events/:id/detections/:detectionId/wrong — mark a detection on an event as wrong; the camera's recorder
// suppresses the same detection (label, place) from then on. DELETE — take it back. Admins and members
// (detections:correct) on events they may see; sessions only (no token scope covers it).
import { db } from "@/lib/db";
import { markDetectionWrong, undoDetectionWrong, type DetectionMark } from "@/lib/events/detections";
import { route, type ActivitySpec } from "@/lib/http/route";

type Params = { id: string; detectionId: string };

/** Recorded only when the mark changed (marking twice is one record). */
const activity =
  (action: "detection.marked_wrong" | "detection.unmarked_wrong") =>
  ({ result }: { result: unknown }): ActivitySpec | null => {
    const mark = result as DetectionMark;
    return mark.changed ? { action, cameraId: mark.cameraId, targetId: mark.eventId, data: { detectionId: mark.detectionId, label: mark.label } } : null;
  };

export const POST = route<undefined, Params>({ access: { permission: "detections:correct" }, activity: activity("detection.marked_wrong") }, async ({ viewer, params }) =>
  markDetectionWrong(await db(), viewer, params.id, params.detectionId),
);

export const DELETE = route<undefined, Params>({ access: { permission: "detections:correct" }, activity: activity("detection.unmarked_wrong") }, async ({ viewer, params }) =>
  undoDetectionWrong(await db(), viewer, params.id, params.detectionId),
);
