// Binary PPM (P6, 8 bits per channel) frames read from a byte stream, as ffmpeg's image2pipe writes them: each frame
// is "P6 <width> <height> 255" (whitespace separated, one whitespace byte before the pixels) followed by width×height×3
// bytes of RGB. Each frame carries its size, so a camera that changes resolution cannot misalign the stream. Pure.
import type { RgbFrame } from "./resize";

export type { RgbFrame };

/** Largest frame side accepted, pixels: anything bigger is not what the decoder was asked for (a corrupt stream). */
export const MAX_PPM_SIDE = 8192;
/** A header is at most this long: "P6\n8192 8192\n255\n" is 17 bytes; comments are not written by ffmpeg. */
const MAX_HEADER_BYTES = 64;

const isSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

/** The header at the start of `buf`: its size and length, null when incomplete; throws on anything but a P6 header. */
export function parsePpmHeader(buf: Uint8Array): { width: number; height: number; headerBytes: number } | null {
  if (buf.length < 2) return null;
  if (buf[0] !== 0x50 || buf[1] !== 0x36) throw new Error("not a binary PPM frame (expected P6)");
  const fields: number[] = [];
  let i = 2;
  while (fields.length < 3) {
    while (i < buf.length && isSpace(buf[i])) i++;
    if (i >= buf.length) return null;
    let value = 0;
    const start = i;
    while (i < buf.length && buf[i] >= 0x30 && buf[i] <= 0x39) {
      value = value * 10 + (buf[i] - 0x30);
      i++;
      if (i - start > 5) throw new Error("PPM header field too long");
    }
    if (i === start) throw new Error("PPM header: expected a number");
    if (i >= buf.length) return null; // the number may go on in the next chunk
    if (!isSpace(buf[i])) throw new Error("PPM header: expected whitespace after a number");
    fields.push(value);
    if (i > MAX_HEADER_BYTES) throw new Error("PPM header too long");
  }
  const [width, height, maxval] = fields;
  if (maxval !== 255) throw new Error(`PPM with maxval ${maxval}: only 8-bit frames are read`);
  if (width < 1 || height < 1 || width > MAX_PPM_SIDE || height > MAX_PPM_SIDE) throw new Error(`PPM frame of ${width}×${height} refused`);
  return { width, height, headerBytes: i + 1 };
}

/**
 * An incremental reader: push() stream chunks in, whole frames come out through onFrame (their pixels copied once, out
 * of the stream's chunks, into a buffer of the frame's size: chunks are kept in a list, never concatenated per chunk),
 * or are skipped without a copy while `isWanted()` says no.
 * After a malformed header it reads nothing more and reports the error once (the caller restarts the decoder; there is
 * no way to find the next frame boundary in raw pixels).
 */
export function createPpmReader(onFrame: (frame: RgbFrame) => void, onError: (err: Error) => void, isWanted: () => boolean = () => true) {
  /** Unread chunks in order, and their total length in bytes. */
  let chunks: Buffer[] = [];
  let buffered = 0;
  let failed = false;
  /** The first `n` buffered bytes as one buffer (a view when they lie in the first chunk); consumes nothing. */
  const peek = (n: number): Buffer => {
    if (chunks[0].length >= n) return chunks[0].subarray(0, n);
    const joined = Buffer.concat(chunks, buffered);
    chunks = [joined];
    return joined.subarray(0, n);
  };
  /** Drops the first `to` buffered bytes without copying them. */
  const drop = (to: number) => {
    let left = to;
    while (left > 0 && chunks[0].length <= left) left -= chunks.shift()!.length;
    if (left > 0) chunks[0] = chunks[0].subarray(left);
    buffered -= to;
  };
  /** Copies bytes [from, to) of the buffered stream into a new array and drops everything before `to`. */
  const take = (from: number, to: number): Uint8Array => {
    const out = new Uint8Array(to - from);
    let offset = 0; // stream position of chunks[0]
    let written = 0;
    while (chunks.length && offset + chunks[0].length <= to) {
      const c = chunks.shift()!;
      const a = Math.max(from - offset, 0);
      if (a < c.length) {
        out.set(c.subarray(a), written);
        written += c.length - a;
      }
      offset += c.length;
    }
    if (chunks.length && offset < to) {
      const c = chunks[0];
      const a = Math.max(from - offset, 0);
      out.set(c.subarray(a, to - offset), written);
      chunks[0] = c.subarray(to - offset);
    }
    buffered -= to;
    return out;
  };
  return {
    push(chunk: Buffer) {
      if (failed || chunk.length === 0) return;
      chunks.push(chunk);
      buffered += chunk.length;
      for (;;) {
        let header: ReturnType<typeof parsePpmHeader>;
        try {
          // A header is at most MAX_HEADER_BYTES + its last whitespace: look at that much (or all there is).
          header = parsePpmHeader(peek(Math.min(buffered, MAX_HEADER_BYTES + 2)));
        } catch (err) {
          failed = true;
          chunks = [];
          buffered = 0;
          onError(err instanceof Error ? err : new Error(String(err)));
          return;
        }
        if (!header) return;
        const total = header.headerBytes + header.width * header.height * 3;
        if (buffered < total) return;
        // A frame nobody wants now (no motion) is skipped without copying its pixels.
        if (isWanted()) onFrame({ width: header.width, height: header.height, rgb: take(header.headerBytes, total) });
        else drop(total);
        if (buffered === 0) return;
      }
    },
    /** Bytes waiting for the rest of their frame. */
    get buffered() {
      return buffered;
    },
  };
}
