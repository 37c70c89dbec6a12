// NanoDet-m (416×416, COCO-80) around the model: the input tensor from an RGB frame and the decoding of its outputs.
// Pure (typed arrays in, arrays out); the runtime that runs the model is elsewhere. See SPIKE-REPORT.md for where the
// model comes from and how these constants were checked against the reference implementation.
//
// Input: float32 NCHW [1, 3, 416, 416], channels B, G, R, (pixel − mean) / std. The frame is letterboxed (geometry.ts)
// and padded with grey. Outputs, per stride s ∈ {8, 16, 32} (a grid of 416/s × 416/s points, row-major): class scores
// [points, 80], already sigmoid; box distributions [points, 4 × 11]: for left, top, right, bottom, 11 logits whose
// softmax expectation × s is the distance from the point's centre ((col + 0.5)·s, (row + 0.5)·s) to that side.
import type { Detection } from "./nms";

export const INPUT_SIZE = 416;
export const STRIDES = [8, 16, 32] as const;
export const CLASSES = 80;
/** Bins per side of the box distribution (reg_max + 1). */
export const BINS = 11;
/** Normalisation per channel in B, G, R order. */
export const MEAN_BGR = [103.53, 116.28, 123.675] as const;
export const STD_BGR = [57.375, 57.12, 58.395] as const;
/** Grey of the letterbox padding (0x72). */
export const PAD_GREY = 114;

/**
 * The model's input from an rgb24 picture of INPUT_SIZE×INPUT_SIZE (already letterboxed and padded, as ffmpeg's scale
 * and pad filters make it): NCHW, B, G, R, normalised. Throws on a buffer of another size.
 */
export function inputTensor(rgb: Uint8Array, size: number = INPUT_SIZE): Float32Array {
  const pixels = size * size;
  if (rgb.length !== pixels * 3) throw new RangeError(`a ${size}×${size} rgb24 frame is ${pixels * 3} bytes, not ${rgb.length}`);
  const out = new Float32Array(pixels * 3);
  for (let p = 0; p < pixels; p++) {
    const r = rgb[p * 3];
    const g = rgb[p * 3 + 1];
    const b = rgb[p * 3 + 2];
    out[p] = (b - MEAN_BGR[0]) / STD_BGR[0];
    out[pixels + p] = (g - MEAN_BGR[1]) / STD_BGR[1];
    out[2 * pixels + p] = (r - MEAN_BGR[2]) / STD_BGR[2];
  }
  return out;
}

/** The expectation of one side's distribution: softmax of BINS logits at `offset`, Σ k·p_k (in stride units). */
export function expectedDistance(logits: ArrayLike<number>, offset: number): number {
  let max = -Infinity;
  for (let k = 0; k < BINS; k++) max = Math.max(max, logits[offset + k]);
  let sum = 0;
  let weighted = 0;
  for (let k = 0; k < BINS; k++) {
    const e = Math.exp(logits[offset + k] - max);
    sum += e;
    weighted += k * e;
  }
  return weighted / sum;
}

export type StrideOutput = { stride: number; scores: ArrayLike<number>; boxes: ArrayLike<number> };

/**
 * Candidate detections of one frame in input pixels: per point, the best class if its score is above `threshold`
 * and `keepClass` wants it (before NMS). Throws when an output's length does not match its stride's grid.
 */
export function decode(outputs: readonly StrideOutput[], threshold: number, keepClass: (classId: number) => boolean = () => true, size: number = INPUT_SIZE): Detection[] {
  const found: Detection[] = [];
  for (const { stride, scores, boxes } of outputs) {
    const cols = Math.ceil(size / stride);
    const points = cols * Math.ceil(size / stride);
    if (scores.length !== points * CLASSES || boxes.length !== points * 4 * BINS) {
      throw new RangeError(`stride ${stride}: expected ${points}×${CLASSES} scores and ${points}×${4 * BINS} box values, got ${scores.length} and ${boxes.length}`);
    }
    for (let i = 0; i < points; i++) {
      let best = -1;
      let score = threshold;
      for (let c = 0; c < CLASSES; c++) {
        const v = scores[i * CLASSES + c];
        if (v > score && keepClass(c)) {
          score = v;
          best = c;
        }
      }
      if (best < 0) continue;
      const cx = ((i % cols) + 0.5) * stride;
      const cy = (Math.floor(i / cols) + 0.5) * stride;
      const at = i * 4 * BINS;
      const [l, t, r, b] = [0, 1, 2, 3].map((side) => expectedDistance(boxes, at + side * BINS) * stride);
      found.push({ x1: Math.max(0, cx - l), y1: Math.max(0, cy - t), x2: Math.min(size, cx + r), y2: Math.min(size, cy + b), classId: best, score });
    }
  }
  return found;
}

/** Pairs the model's six outputs by shape: scores [1, points, 80] with boxes [1, points, 44] of the same grid. */
export function pairOutputs(outputs: readonly { dims: readonly number[]; data: ArrayLike<number> }[], size: number = INPUT_SIZE): StrideOutput[] {
  return STRIDES.map((stride) => {
    const points = Math.ceil(size / stride) ** 2;
    const scores = outputs.find((o) => o.dims.at(-2) === points && o.dims.at(-1) === CLASSES);
    const boxes = outputs.find((o) => o.dims.at(-2) === points && o.dims.at(-1) === 4 * BINS);
    if (!scores || !boxes) throw new Error(`the model has no outputs for stride ${stride} (${points} points): not NanoDet-m ${size}`);
    return { stride, scores: scores.data, boxes: boxes.data };
  });
}
