// A member's "this detection is wrong", kept on this server: a later detection of the same label on the same camera
// at the same place (IoU ≥ SUPPRESS_IOU with the marked box) is dropped. Pure.
import { iou, type Box } from "./geometry";

export const SUPPRESS_IOU = 0.5;
export type Correction = Box & { cameraId: string; label: string };

export function isSuppressed(cameraId: string, detection: Box & { label: string }, corrections: readonly Correction[]): boolean {
  return corrections.some((c) => c.cameraId === cameraId && c.label === detection.label && iou(c, detection) >= SUPPRESS_IOU);
}
