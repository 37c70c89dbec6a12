// Writing MP4 boxes (ISO/IEC 14496-12 §4.2): big-endian fields into a byte list, and the box headers around them.
// Index boxes only (moov and its children, kilobytes): sample data never passes through here.

/** Largest value of an unsigned 32-bit field. */
export const U32_MAX = 0xffff_ffff;

/** Big-endian fields appended one after another; `toBuffer()` joins them. */
export class ByteWriter {
  private readonly parts: Uint8Array[] = [];
  length = 0;

  private push(b: Uint8Array): this {
    this.parts.push(b);
    this.length += b.length;
    return this;
  }
  u8(v: number): this {
    return this.push(Uint8Array.of(v & 0xff));
  }
  u16(v: number): this {
    const b = Buffer.allocUnsafe(2);
    b.writeUInt16BE(v);
    return this.push(b);
  }
  u24(v: number): this {
    return this.push(Uint8Array.of((v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff));
  }
  u32(v: number): this {
    const b = Buffer.allocUnsafe(4);
    b.writeUInt32BE(requireRange(v, 0, U32_MAX, "u32"));
    return this.push(b);
  }
  i32(v: number): this {
    const b = Buffer.allocUnsafe(4);
    b.writeInt32BE(requireRange(v, -0x8000_0000, 0x7fff_ffff, "i32"));
    return this.push(b);
  }
  u64(v: number): this {
    const b = Buffer.allocUnsafe(8);
    b.writeBigUInt64BE(BigInt(requireRange(v, 0, Number.MAX_SAFE_INTEGER, "u64")));
    return this.push(b);
  }
  /** 64-bit in version 1 boxes, 32-bit in version 0. */
  uv(version: number, v: number): this {
    return version === 1 ? this.u64(v) : this.u32(v);
  }
  bytes(...b: Uint8Array[]): this {
    for (const x of b) this.push(x);
    return this;
  }
  toBuffer(): Buffer {
    return Buffer.concat(this.parts, this.length);
  }
}

function requireRange(v: number, min: number, max: number, what: string): number {
  if (!Number.isInteger(v) || v < min || v > max) throw new RangeError(`${what} field out of range: ${v}`);
  return v;
}

function fourcc(type: string): Buffer {
  const b = Buffer.from(type, "latin1");
  if (b.length !== 4) throw new RangeError(`box type must be 4 characters: ${JSON.stringify(type)}`);
  return b;
}

/** A box around its payload. Index boxes stay far below 4 GiB, so the 32-bit size form is enough (checked). */
export function box(type: string, ...payload: Uint8Array[]): Buffer {
  const bodyLength = payload.reduce((n, p) => n + p.length, 0);
  const head = Buffer.allocUnsafe(8);
  head.writeUInt32BE(requireRange(8 + bodyLength, 8, U32_MAX, `size of '${type}'`));
  fourcc(type).copy(head, 4);
  return Buffer.concat([head, ...payload], 8 + bodyLength);
}

/** A full box: version (8 bits) and flags (24 bits), then the payload. */
export function fullBox(type: string, version: number, flags: number, ...payload: Uint8Array[]): Buffer {
  return box(type, Uint8Array.of(version, (flags >>> 16) & 0xff, (flags >>> 8) & 0xff, flags & 0xff), ...payload);
}

/** The header of a box whose payload is written separately (mdat): 8 bytes, or 16 with a 64-bit size when needed. */
export function boxHeader(type: string, bodyLength: number): Buffer {
  if (8 + bodyLength <= U32_MAX) {
    const head = Buffer.allocUnsafe(8);
    head.writeUInt32BE(8 + bodyLength);
    fourcc(type).copy(head, 4);
    return head;
  }
  const head = Buffer.allocUnsafe(16);
  head.writeUInt32BE(1);
  fourcc(type).copy(head, 4);
  head.writeBigUInt64BE(BigInt(requireRange(16 + bodyLength, 16, Number.MAX_SAFE_INTEGER, `size of '${type}'`)), 8);
  return head;
}
