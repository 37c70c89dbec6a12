// From a camera frame to the detector's square picture: crop a region out of an rgb24 frame and letterbox it (scaled by
// geometry.ts letterbox's factor, bilinear, placed at the top-left, the rest grey). Pure. Units: pixels; rgb24 is 3
// bytes a pixel (R, G, B), rows top to bottom with no gap between them.
import { letterbox, type Region } from "./geometry";
import { PAD_GREY } from "./nanodet";

export type RgbFrame = { rgb: Uint8Array; width: number; height: number };

const isWhole = (v: number) => Number.isInteger(v) && v >= 0;

/** Throws a RangeError that says what is wrong when `frame` is not a width×height rgb24 picture. */
export function checkFrame(frame: RgbFrame): void {
  const { width, height, rgb } = frame;
  if (!(isWhole(width) && isWhole(height) && width > 0 && height > 0)) throw new RangeError(`a frame needs a positive whole width and height, not ${width}×${height}`);
  if (rgb.length !== width * height * 3) throw new RangeError(`a ${width}×${height} rgb24 frame is ${width * height * 3} bytes, not ${rgb.length}`);
}

/** Throws a RangeError unless `region` is a non-empty rectangle of whole pixels inside `frame`. */
export function checkRegion(region: Region, frame: { width: number; height: number }): void {
  const { x, y, width, height } = region;
  if (!(isWhole(x) && isWhole(y) && isWhole(width) && isWhole(height) && width > 0 && height > 0 && x + width <= frame.width && y + height <= frame.height)) {
    throw new RangeError(`region ${width}×${height} at (${x}, ${y}) is not inside the ${frame.width}×${frame.height} frame`);
  }
}

/** Source sample positions of one axis: for each output pixel, the two source pixels and the weight of the second. */
function samples(outLength: number, srcLength: number): { lo: Int32Array; hi: Int32Array; frac: Float32Array } {
  const lo = new Int32Array(outLength);
  const hi = new Int32Array(outLength);
  const frac = new Float32Array(outLength);
  const ratio = srcLength / outLength;
  for (let o = 0; o < outLength; o++) {
    // Pixel centres line up (half-pixel): output pixel o covers source [o·ratio, (o+1)·ratio).
    const s = Math.min(srcLength - 1, Math.max(0, (o + 0.5) * ratio - 0.5));
    lo[o] = Math.floor(s);
    hi[o] = Math.min(srcLength - 1, lo[o] + 1);
    frac[o] = s - lo[o];
  }
  return { lo, hi, frac };
}

/**
 * `region` of `frame` letterboxed into a size×size rgb24 picture: scaled bilinearly by `scale` (geometry.ts letterbox:
 * the region fits, aspect kept) to width×height pixels at the top-left, the rest `pad` grey. A box found in the picture
 * maps back to the frame with geometry.ts toFrame(box, region, scale). Throws a RangeError for a frame buffer of the
 * wrong length or a region outside the frame.
 */
export function letterboxRgb(frame: RgbFrame, region: Region, size: number, pad: number = PAD_GREY): { rgb: Uint8Array; scale: number; width: number; height: number } {
  checkFrame(frame);
  checkRegion(region, frame);
  const { scale, width, height } = letterbox(region, size);
  const out = new Uint8Array(size * size * 3).fill(pad);
  const xs = samples(width, region.width);
  const ys = samples(height, region.height);
  const src = frame.rgb;
  const stride = frame.width * 3;
  for (let oy = 0; oy < height; oy++) {
    const row0 = (region.y + ys.lo[oy]) * stride;
    const row1 = (region.y + ys.hi[oy]) * stride;
    const fy = ys.frac[oy];
    let o = oy * size * 3;
    for (let ox = 0; ox < width; ox++) {
      const c0 = (region.x + xs.lo[ox]) * 3;
      const c1 = (region.x + xs.hi[ox]) * 3;
      const fx = xs.frac[ox];
      for (let ch = 0; ch < 3; ch++) {
        const top = src[row0 + c0 + ch] + (src[row0 + c1 + ch] - src[row0 + c0 + ch]) * fx;
        const bottom = src[row1 + c0 + ch] + (src[row1 + c1 + ch] - src[row1 + c0 + ch]) * fx;
        out[o++] = Math.round(top + (bottom - top) * fy);
      }
    }
  }
  return { rgb: out, scale, width, height };
}
