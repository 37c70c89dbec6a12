// Reading the box structure of MP4 files (ISO/IEC 14496-12 §4.2): box headers (32-bit sizes, 64-bit `largesize`,
// size 0 = "to the end of the enclosing space", `uuid` user types), children, paths and full-box version/flags, over
// random-access bytes (a buffer, or a file read through a one-block cache). Every read is bounds-checked: a box that
// runs past its parent or past the input is an Mp4FormatError naming the box and the offsets, never a silent stop.
// scanBoxes is the lenient form for callers that want whatever is readable (a clip check, a file being written).
import fs from "node:fs";

/** Malformed or truncated MP4 input. The message names the box and the byte offsets. */
export class Mp4FormatError extends Error {
  override name = "Mp4FormatError";
}

// ── Bytes ───────────────────────────────────────────────────────────────────────────────────────────────────────

/** Random access to an input's bytes. read() returns fewer bytes than asked only at the end of the input. */
export type ByteSource = { readonly size: number; read(offset: number, length: number): Uint8Array };

export function bufferSource(data: Uint8Array): ByteSource {
  return { size: data.length, read: (offset, length) => data.subarray(Math.max(0, offset), Math.max(0, Math.min(data.length, offset + length))) };
}

/** One underlying read of a BlockReader, in bytes: a media segment's styp + moof (≈ 0.5 KB per track) fit in it. */
export const BLOCK_BYTES = 4096;

/**
 * A ByteSource over `readAt(into, position) → bytes read` that keeps the last block read: small reads close together
 * (box headers, table fields) cost one underlying read per block. `reads` counts underlying reads.
 */
export class BlockReader implements ByteSource {
  reads = 0;
  private block = new Uint8Array(0);
  private blockAt = 0;

  constructor(
    readonly size: number,
    private readonly readAt: (into: Uint8Array, position: number) => number,
    private readonly blockBytes = BLOCK_BYTES,
  ) {}

  read(offset: number, length: number): Uint8Array {
    const end = Math.min(this.size, offset + length);
    if (offset < 0 || offset >= end) return new Uint8Array(0);
    if (offset < this.blockAt || end > this.blockAt + this.block.length) {
      const buf = new Uint8Array(Math.max(this.blockBytes, end - offset));
      this.reads++;
      let got = 0;
      // A positioned read may return less than asked before the end of the file: read on until the block is full.
      while (got < buf.length && offset + got < this.size) {
        const n = this.readAt(buf.subarray(got), offset + got);
        if (n <= 0) break;
        got += n;
      }
      this.block = buf.subarray(0, got);
      this.blockAt = offset;
    }
    return this.block.subarray(offset - this.blockAt, Math.min(end, this.blockAt + this.block.length) - this.blockAt);
  }
}

/** A BlockReader over an open file descriptor (sync positioned reads; the caller owns and closes the descriptor). */
export function fdSource(fd: number, size = fs.fstatSync(fd).size): BlockReader {
  return new BlockReader(size, (into, position) => fs.readSync(fd, into, 0, into.length, position));
}

/** Runs `fn` over a file through a BlockReader; the file is opened once and closed after. */
export function withFileSource<T>(file: string, fn: (src: BlockReader) => T): T {
  const fd = fs.openSync(file, "r");
  try {
    return fn(fdSource(fd));
  } finally {
    fs.closeSync(fd);
  }
}

/** Exactly `length` bytes at `offset`, or an Mp4FormatError saying what was being read. */
export function readExactly(src: ByteSource, offset: number, length: number, what: string): Uint8Array {
  const bytes = src.read(offset, length);
  if (bytes.length !== length) throw new Mp4FormatError(`${what}: needs ${length} bytes at ${offset}, the input ends at ${src.size}`);
  return bytes;
}

/**
 * Big-endian fields read one after another from a box payload, each bounds-checked against the payload's end:
 * `new FieldReader(payload, "tfhd").u32()`. Values above 2^53 (a 64-bit field) are refused rather than rounded.
 */
export class FieldReader {
  at = 0;
  constructor(
    readonly bytes: Uint8Array,
    readonly what: string,
  ) {}

  get remaining(): number {
    return this.bytes.length - this.at;
  }

  private take(n: number, field: string): number {
    if (this.at + n > this.bytes.length) throw new Mp4FormatError(`${this.what}: ${field} at byte ${this.at} needs ${n} bytes, the box has ${this.bytes.length}`);
    const at = this.at;
    this.at += n;
    return at;
  }

  u8(field = "field"): number {
    return this.bytes[this.take(1, field)];
  }
  u16(field = "field"): number {
    const at = this.take(2, field);
    return (this.bytes[at] << 8) | this.bytes[at + 1];
  }
  u24(field = "field"): number {
    const at = this.take(3, field);
    return (this.bytes[at] << 16) | (this.bytes[at + 1] << 8) | this.bytes[at + 2];
  }
  u32(field = "field"): number {
    const at = this.take(4, field);
    return ((this.bytes[at] << 24) | (this.bytes[at + 1] << 16) | (this.bytes[at + 2] << 8) | this.bytes[at + 3]) >>> 0;
  }
  i32(field = "field"): number {
    return this.u32(field) | 0;
  }
  u64(field = "field"): number {
    const hi = this.u32(field);
    const lo = this.u32(field);
    if (hi >= 0x20_0000) throw new Mp4FormatError(`${this.what}: ${field} does not fit in 53 bits`);
    return hi * 0x1_0000_0000 + lo;
  }
  /** A 64-bit field in version 1 boxes, 32-bit in version 0. */
  uv(version: number, field = "field"): number {
    return version === 1 ? this.u64(field) : this.u32(field);
  }
  skip(n: number, field = "field"): void {
    this.take(n, field);
  }
  slice(n: number, field = "field"): Uint8Array {
    const at = this.take(n, field);
    return this.bytes.subarray(at, at + n);
  }
}

// ── Boxes ───────────────────────────────────────────────────────────────────────────────────────────────────────

export type Box = {
  /** Four characters, e.g. "moov" (latin1, so any byte round-trips). */
  type: string;
  /** Offset of the box header in the input. */
  start: number;
  /** Offset of the box's payload (after size, type, any largesize and any uuid user type). */
  body: number;
  /** Offset just after the box. */
  end: number;
};

export const boxBytes = (box: Box) => box.end - box.start;
export const bodyBytes = (box: Box) => box.end - box.body;

/**
 * The box whose header starts at `at`, inside a space that ends at `limit` (the input's or the parent's end). Throws an
 * Mp4FormatError when the header is cut off, the size is smaller than the header, or the box runs past `limit`.
 */
export function readBox(src: ByteSource, at: number, limit: number = src.size): Box {
  if (at + 8 > limit) throw new Mp4FormatError(`box header at ${at}: needs 8 bytes, ${Math.max(0, limit - at)} left`);
  const head = src.read(at, 16);
  if (head.length < 8) throw new Mp4FormatError(`box header at ${at}: the input ends at ${src.size}`);
  const type = String.fromCharCode(head[4], head[5], head[6], head[7]);
  let size = ((head[0] << 24) | (head[1] << 16) | (head[2] << 8) | head[3]) >>> 0;
  let body = at + 8;
  if (size === 1) {
    if (at + 16 > limit || head.length < 16) throw new Mp4FormatError(`box '${type}' at ${at}: 64-bit size cut off`);
    const hi = ((head[8] << 24) | (head[9] << 16) | (head[10] << 8) | head[11]) >>> 0;
    const lo = ((head[12] << 24) | (head[13] << 16) | (head[14] << 8) | head[15]) >>> 0;
    if (hi >= 0x20_0000) throw new Mp4FormatError(`box '${type}' at ${at}: 64-bit size beyond 2^53`);
    size = hi * 0x1_0000_0000 + lo;
    body = at + 16;
  } else if (size === 0) {
    size = limit - at; // "the box extends to the end of the file" (or of its parent)
  }
  if (type === "uuid") body += 16; // extended type: 16 bytes of user type before the payload
  if (size < body - at) throw new Mp4FormatError(`box '${type}' at ${at}: size ${size} is smaller than its header (${body - at})`);
  if (at + size > limit) {
    throw new Mp4FormatError(`box '${type}' at ${at} is ${size} bytes but only ${limit - at} remain${limit === src.size ? " (truncated input)" : " in its parent"}`);
  }
  return { type, start: at, body, end: at + size };
}

/** The boxes between `from` and `to` (a file's top level or a box's payload), in order. Throws on a malformed one. */
export function listBoxes(src: ByteSource, from = 0, to: number = src.size): Box[] {
  const boxes: Box[] = [];
  for (let at = from; at < to; ) {
    const box = readBox(src, at, to);
    boxes.push(box);
    at = box.end;
  }
  return boxes;
}

/**
 * Lenient listBoxes: the boxes up to the first malformed one, and why it stopped (null when the space is exactly
 * covered). For checks of files that may be cut short; parsing for real uses listBoxes.
 */
export function scanBoxes(src: ByteSource, from = 0, to: number = src.size): { boxes: Box[]; error: Mp4FormatError | null } {
  const boxes: Box[] = [];
  for (let at = from; at < to; ) {
    try {
      const box = readBox(src, at, to);
      boxes.push(box);
      at = box.end;
    } catch (err) {
      if (err instanceof Mp4FormatError) return { boxes, error: err };
      throw err;
    }
  }
  return { boxes, error: null };
}

/** The children of a box; `skip` bytes of the payload come first (a full box's version/flags, a sample entry's fields). */
export function childBoxes(src: ByteSource, parent: Box, skip = 0): Box[] {
  if (parent.body + skip > parent.end) throw new Mp4FormatError(`box '${parent.type}' at ${parent.start}: payload shorter than ${skip} bytes`);
  return listBoxes(src, parent.body + skip, parent.end);
}

/** The first box along a path of types (e.g. ["moov", "trak"]) under `parent` (or the top level), or null. */
export function findPath(src: ByteSource, types: readonly string[], parent?: Box): Box | null {
  let box: Box | undefined = parent;
  for (const type of types) {
    box = listBoxes(src, box ? box.body : 0, box ? box.end : src.size).find((b) => b.type === type);
    if (!box) return null;
  }
  return box ?? null;
}

/** findPath, but a missing box is an Mp4FormatError. */
export function requirePath(src: ByteSource, types: readonly string[], parent?: Box): Box {
  const box = findPath(src, types, parent);
  if (!box) throw new Mp4FormatError(`no ${[parent?.type, ...types].filter(Boolean).join("/")}${parent ? ` (at ${parent.start})` : ""}`);
  return box;
}

/** A box's whole payload (small boxes only: the caller decides what is small). */
export function readBody(src: ByteSource, box: Box): Uint8Array {
  return readExactly(src, box.body, box.end - box.body, `box '${box.type}' at ${box.start}`);
}

/** A full box (§4.2): its payload as a FieldReader positioned after version (8 bits) and flags (24 bits). */
export function readFullBox(src: ByteSource, box: Box): { version: number; flags: number; fields: FieldReader } {
  const fields = new FieldReader(readBody(src, box), `${box.type} at ${box.start}`);
  const version = fields.u8("version");
  const flags = fields.u24("flags");
  return { version, flags, fields };
}
