// Boxes and the frames they are found in. Pure. Units: pixels of the frame named in each type; a box is
// [x1, y1, x2, y2) with x1 ≤ x2, y1 ≤ y2.
//
// The detector sees a square input (NanoDet-m: 416×416). A frame reaches it letterboxed: scaled by one factor so that
// it fits, placed at the top-left, padded right and bottom (so a box maps back by dividing by the factor; no offset).
// To keep small, distant objects, the detector may look at a crop around the motion instead of the whole frame: a
// square region (so no aspect is lost), at least the input size where the frame allows (never upscaled: small crops
// are padded), clamped inside the frame.

export type Box = { x1: number; y1: number; x2: number; y2: number };
export type Size = { width: number; height: number };
/** A region of the frame, in frame pixels (integers). */
export type Region = { x: number; y: number; width: number; height: number };

export const area = (b: Box) => Math.max(0, b.x2 - b.x1) * Math.max(0, b.y2 - b.y1);

/** Intersection over union of two boxes, 0…1 (0 when either is empty). */
export function iou(a: Box, b: Box): number {
  const inter = area({ x1: Math.max(a.x1, b.x1), y1: Math.max(a.y1, b.y1), x2: Math.min(a.x2, b.x2), y2: Math.min(a.y2, b.y2) });
  const union = area(a) + area(b) - inter;
  return union > 0 ? inter / union : 0;
}

/** How a region is letterboxed into a square input: the scale and the size of the scaled picture (top-left). */
export function letterbox(region: Size, input: number): { scale: number; width: number; height: number } {
  if (!(region.width > 0 && region.height > 0 && input > 0)) throw new RangeError(`letterbox of ${region.width}×${region.height} into ${input}`);
  const scale = Math.min(input / region.width, input / region.height);
  return { scale, width: Math.min(input, Math.round(region.width * scale)), height: Math.min(input, Math.round(region.height * scale)) };
}

/** A box in input pixels back into frame pixels: undo the scale, add the region's origin, clamp to the region. */
export function toFrame(box: Box, region: Region, scale: number): Box {
  const clampX = (v: number) => Math.min(region.x + region.width, Math.max(region.x, v));
  const clampY = (v: number) => Math.min(region.y + region.height, Math.max(region.y, v));
  return { x1: clampX(region.x + box.x1 / scale), y1: clampY(region.y + box.y1 / scale), x2: clampX(region.x + box.x2 / scale), y2: clampY(region.y + box.y2 / scale) };
}

/**
 * The square region to detect in around a motion box (frame pixels): the box grown by `margin` of its larger side on
 * every side, at least `minSide` (the model's input size: smaller would mean upscaling), at most the frame's shorter
 * side, centred on the motion and moved inside the frame. A motion box covering most of the frame gives the whole
 * frame (letterboxed) instead: a square would cut part of it off; so does a frame whose shorter side is no more than
 * `minSide` (cropping it would only upscale).
 */
export function regionAround(motion: Box, frame: Size, minSide: number, margin = 0.25): Region {
  const whole: Region = { x: 0, y: 0, width: frame.width, height: frame.height };
  const w = motion.x2 - motion.x1;
  const h = motion.y2 - motion.y1;
  const shorter = Math.min(frame.width, frame.height);
  const wanted = Math.max(w, h) * (1 + 2 * margin);
  // A frame that already fits the input at full resolution, a motion too big for a square, or no motion box: all of it.
  if (shorter <= minSide || wanted > shorter || w <= 0 || h <= 0) return whole;
  const side = Math.round(Math.min(shorter, Math.max(minSide, wanted)));
  const cx = (motion.x1 + motion.x2) / 2;
  const cy = (motion.y1 + motion.y2) / 2;
  const x = Math.round(Math.min(frame.width - side, Math.max(0, cx - side / 2)));
  const y = Math.round(Math.min(frame.height - side, Math.max(0, cy - side / 2)));
  return { x, y, width: side, height: side };
}
