// The machine-readable clock of the simulator's live mode: a row of black and white blocks burned into every frame
// that encodes the frame's capture time (wall clock, ms modulo 2^28 ≈ 74.6 h), so that a browser (or a test) can read
// it from the decoded picture and compute glass-to-glass latency against its own clock on the same machine.
//
// Layout, in units of b = frame width / 60 (b = 32 px at 1920, 10.7 px on a 640 sub stream scaled from it):
//   a black bar from (0.5b, 0.5b) to (37.5b, 2.5b) (a quiet zone against the test pattern), and on it 36 blocks
//   b × b at column c (0–35): x = (1 + c)·b, y = b. Columns 0 and 35 are always white, 1 and 34 always black (the
//   reader's thresholds and a check that this is a clock row at all); columns 2–33 carry the 32-bit word
//   check(4 bits) · value(28 bits), most significant bit first, white = 1. value = capture time in ms mod 2^28;
//   check = XOR of the value's seven 4-bit nibbles (catches any single wrong block and most multiple ones).
// The reader averages the middle half of each block (away from ringing at the edges after H.264 compression) and
// refuses a frame whose sync blocks lack contrast, whose data blocks are not clearly black or white, or whose check
// does not match.

/** Layout unit: the frame width divided by this. */
export const FRAME_CLOCK_UNITS_PER_WIDTH = 60;
/** Blocks in the row: 2 sync + 32 data + 2 sync. */
export const FRAME_CLOCK_COLUMNS = 36;
/** Bits of the time value; the clock counts ms modulo 2^28 (74.6 hours) and wraps. */
export const FRAME_CLOCK_VALUE_BITS = 28;
export const FRAME_CLOCK_MODULUS = 2 ** FRAME_CLOCK_VALUE_BITS;
/** Rows (from the top of the frame) a reader needs: the clock row ends at 2.5 b. */
export const frameClockStripHeight = (width: number): number => Math.ceil((2.5 * width) / FRAME_CLOCK_UNITS_PER_WIDTH) + 1;

/** The 4-bit check of a 28-bit value: XOR of its seven nibbles. */
export function frameClockCheck(value: number): number {
  let x = 0;
  for (let k = 0; k < FRAME_CLOCK_VALUE_BITS; k += 4) x ^= Math.floor(value / 2 ** k) % 16;
  return x;
}

/** The 36 columns for a time in ms (true = white): the reference for the filter expressions and for tests. */
export function encodeFrameClock(ms: number): boolean[] {
  const value = ((Math.floor(ms) % FRAME_CLOCK_MODULUS) + FRAME_CLOCK_MODULUS) % FRAME_CLOCK_MODULUS;
  const check = frameClockCheck(value);
  const bits: boolean[] = [true, false];
  for (let i = 3; i >= 0; i--) bits.push(Math.floor(check / 2 ** i) % 2 === 1);
  for (let i = FRAME_CLOCK_VALUE_BITS - 1; i >= 0; i--) bits.push(Math.floor(value / 2 ** i) % 2 === 1);
  bits.push(false, true);
  return bits;
}

/** Pixel rectangle of a layout rectangle given in units of b, for a frame `width` wide (rounded to whole pixels). */
export function frameClockRect(width: number, u: { x: number; y: number; w: number; h: number }): { x: number; y: number; w: number; h: number } {
  const b = width / FRAME_CLOCK_UNITS_PER_WIDTH;
  const x = Math.round(u.x * b);
  const y = Math.round(u.y * b);
  return { x, y, w: Math.round((u.x + u.w) * b) - x, h: Math.round((u.y + u.h) * b) - y };
}

/**
 * The ffmpeg filter chain (comma-separated drawbox filters, for a frame `width` wide) that draws the clock row for the
 * time `msExpr` (an ffmpeg expression giving whole ms, evaluated per frame in each drawbox's `enable`; it must give
 * the same value in every drawbox of a frame, so derive it from the frame's pts, not from time(0)).
 */
export function buildFrameClockFilter(width: number, msExpr: string): string {
  const value = `mod(${msExpr},${FRAME_CLOCK_MODULUS})`;
  const bit = (k: number) => `mod(floor(${value}/${2 ** k}),2)`;
  // Check bit j = parity of value bits j, j+4, …, j+24 (the XOR of the nibbles, bit by bit).
  const checkBit = (j: number) => `mod(${Array.from({ length: FRAME_CLOCK_VALUE_BITS / 4 }, (_, i) => bit(j + 4 * i)).join("+")},2)`;
  const box = (r: { x: number; y: number; w: number; h: number }, color: string, enable?: string) =>
    `drawbox=x=${r.x}:y=${r.y}:w=${r.w}:h=${r.h}:color=${color}:t=fill${enable ? `:enable='${enable}'` : ""}`;
  const block = (c: number) => frameClockRect(width, { x: 1 + c, y: 1, w: 1, h: 1 });
  const filters = [box(frameClockRect(width, { x: 0.5, y: 0.5, w: FRAME_CLOCK_COLUMNS + 1, h: 2 }), "black"), box(block(0), "white"), box(block(FRAME_CLOCK_COLUMNS - 1), "white")];
  for (let i = 0; i < 4; i++) filters.push(box(block(2 + i), "white", checkBit(3 - i)));
  for (let i = 0; i < FRAME_CLOCK_VALUE_BITS; i++) filters.push(box(block(6 + i), "white", bit(FRAME_CLOCK_VALUE_BITS - 1 - i)));
  return filters.join(",");
}

/**
 * Reads the clock row from an RGBA frame (row-major, 4 bytes per pixel, `width` wide; only the top
 * frameClockStripHeight(width) rows are needed, so `height` may be that of a strip cut from the top of the frame).
 * Returns the capture time in ms modulo 2^28, or null when there is no readable clock row.
 *
 * Self-contained on purpose (no imports, no module constants, no inner functions): its source is serialized into
 * browser pages (`readFrameClock.toString()`), so the layout numbers are repeated here.
 */
export function readFrameClock(rgba: Uint8ClampedArray | Uint8Array, width: number, height: number): number | null {
  const b = width / 60;
  const y0 = Math.round(1.25 * b);
  const y1 = Math.max(y0 + 1, Math.round(1.75 * b));
  if (!(b >= 4) || !Number.isInteger(width) || height < y1 || rgba.length < width * y1 * 4) return null;
  const levels: number[] = [];
  for (let c = 0; c < 36; c++) {
    const x0 = Math.round((1.25 + c) * b);
    const x1 = Math.max(x0 + 1, Math.round((1.75 + c) * b));
    let sum = 0;
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        const i = (y * width + x) * 4;
        sum += rgba[i] + 2 * rgba[i + 1] + rgba[i + 2]; // ≈ luma × 4
      }
    }
    levels.push(sum / (4 * (y1 - y0) * (x1 - x0)));
  }
  const white = Math.min(levels[0], levels[35]);
  const black = Math.max(levels[1], levels[34]);
  if (white - black < 96) return null;
  const mid = (white + black) / 2;
  const margin = (white - black) / 4;
  let check = 0;
  let value = 0;
  for (let i = 0; i < 32; i++) {
    const level = levels[2 + i];
    if (Math.abs(level - mid) < margin) return null;
    const bit = level > mid ? 1 : 0;
    if (i < 4) check = check * 2 + bit;
    else value = value * 2 + bit;
  }
  let x = 0;
  for (let k = 0; k < 28; k += 4) x ^= Math.floor(value / 2 ** k) % 16;
  return x === check ? value : null;
}

/**
 * How old a frame clock reading is at `nowMs` (epoch ms), in ms: now − capture time, resolved across the 2^28 ms wrap
 * (valid for ages within ±37 h). Negative when the frame claims to come from the future. Self-contained (serialized
 * into pages like readFrameClock).
 */
export function frameClockAgeMs(code: number, nowMs: number): number {
  const m = 268435456;
  const d = (((Math.floor(nowMs) % m) - code) % m + m) % m;
  return d > m / 2 ? d - m : d;
}

/** The capture time (epoch ms) of a frame clock reading, taking the wrap nearest to `referenceMs`. */
export function frameClockEpochMs(code: number, referenceMs: number): number {
  return Math.floor(referenceMs) - frameClockAgeMs(code, referenceMs);
}
