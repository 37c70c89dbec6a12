// Non-maximum suppression: of boxes of one class that overlap by more than an IoU threshold, only the highest scoring
// is kept. Greedy, per class, by descending score (ties: the earlier one). Pure.
import { iou, type Box } from "./geometry";

export type Detection = Box & { classId: number; score: number };

/** NMS IoU threshold of NanoDet's reference post-processing. */
export const NMS_IOU = 0.5;

export function nonMaxSuppression<T extends Detection>(detections: readonly T[], iouThreshold: number = NMS_IOU): T[] {
  const sorted = detections.map((d, i) => ({ d, i })).sort((a, b) => b.d.score - a.d.score || a.i - b.i);
  const kept: T[] = [];
  for (const { d } of sorted) {
    if (kept.some((k) => k.classId === d.classId && iou(k, d) > iouThreshold)) continue;
    kept.push(d);
  }
  return kept;
}
