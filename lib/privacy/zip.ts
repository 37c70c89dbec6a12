// A streaming ZIP writer (PKWARE APPNOTE 6.3): entries are written one after another straight to a Writable, with
// backpressure, so memory stays bounded whatever the archive size (only the central directory — ~100 bytes per
// entry — is kept until the end). Each entry is a local header with bit 3 set (CRC-32 and sizes follow the data in a
// data descriptor), its data STOREd (media: already compressed) or DEFLATEd (JSON, text), and its sha256 is computed
// on the way for the caller's manifest. ZIP64 extra fields and the ZIP64 end of central directory are written when a
// size or offset reaches 0xFFFFFFFF or there are more than 65535 entries (or always, with `forceZip64`, for tests).
// Names are UTF-8 (bit 11); times are DOS date/time in the server's local time zone (what unzip tools expect).
import crypto from "node:crypto";
import { once } from "node:events";
import fs from "node:fs";
import { pipeline } from "node:stream/promises";
import zlib from "node:zlib";

const SIG_LOCAL = 0x04034b50;
const SIG_DESCRIPTOR = 0x08074b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_EOCD = 0x06064b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;

const FLAG_DESCRIPTOR = 1 << 3;
const FLAG_UTF8 = 1 << 11;
const METHOD = { store: 0, deflate: 8 } as const;
/** 4.5: "version needed" 2.0 (deflate, data descriptor) and 4.5 (ZIP64). */
const VERSION_DEFAULT = 20;
const VERSION_ZIP64 = 45;
/** Made by: upper byte 3 = UNIX (so external attributes carry the mode), lower byte = 4.5. */
const VERSION_MADE_BY = (3 << 8) | VERSION_ZIP64;
/** Regular file, rw-r--r--, in the upper 16 bits of the external attributes (UNIX). */
const EXTERNAL_ATTRIBUTES = (0o100644 << 16) >>> 0;

/** Largest value of a 32-bit field; this value itself means "see the ZIP64 extra field". */
export const MAX_32 = 0xffffffff;
/** Largest entry count of the classic end record; this value itself means "see the ZIP64 end record". */
export const MAX_16 = 0xffff;

export type ZipMethod = keyof typeof METHOD;

export type ZipEntryOptions = {
  /** "store" for data that is already compressed (MP4, JPEG); "deflate" (default) for text. */
  method?: ZipMethod;
  /** Modification time recorded for the entry; default now. */
  mtime?: Date;
  /**
   * Uncompressed size in bytes when known in advance (files on disk). An entry of unknown size is written without a
   * ZIP64 local extra field and may not exceed 0xFFFFFFFE bytes (compressed or not); give the size for larger ones.
   */
  size?: number;
};

export type ZipEntryResult = {
  name: string;
  /** Uncompressed size, bytes. */
  bytes: number;
  /** Size stored in the archive, bytes. */
  compressedBytes: number;
  crc32: number;
  /** sha256 of the uncompressed data, hex. */
  sha256: string;
};

export type ZipWriterOptions = {
  /** Write every entry and the end record in ZIP64 form even when small (to test readers without 4 GiB files). */
  forceZip64?: boolean;
  /** Called with each chunk's uncompressed length as it is consumed (progress). */
  onData?: (bytes: number) => void;
};

type CentralEntry = {
  name: Buffer;
  method: number;
  zip64Local: boolean;
  time: number;
  date: number;
  crc: number;
  compressed: number;
  uncompressed: number;
  offset: number;
};

export type ZipSource = AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string> | Uint8Array | string;

export class ZipWriter {
  private readonly out: NodeJS.WritableStream;
  private readonly forceZip64: boolean;
  private readonly onData?: (bytes: number) => void;
  private readonly entries: CentralEntry[] = [];
  private readonly names = new Set<string>();
  private offset = 0;
  private busy = false;
  private finished = false;
  private failure: Error | null = null;

  constructor(out: NodeJS.WritableStream, options: ZipWriterOptions = {}) {
    this.out = out;
    this.forceZip64 = options.forceZip64 ?? false;
    this.onData = options.onData;
    out.on("error", (err: Error) => {
      this.failure ??= err;
    });
  }

  /** Bytes written to the output so far. */
  get bytesWritten(): number {
    return this.offset;
  }

  get entryCount(): number {
    return this.entries.length;
  }

  /** Adds one entry from a buffer, a string (UTF-8) or an (async) iterable of chunks, e.g. a Readable. */
  async add(name: string, source: ZipSource, options: ZipEntryOptions = {}): Promise<ZipEntryResult> {
    return this.entry(name, options, () => source);
  }

  /**
   * Adds a file from disk, read as a stream. The file is opened before anything is written, so a file that does not
   * exist (ENOENT) throws without touching the archive; once open, deleting it does not disturb the read.
   */
  async addFile(name: string, file: string, options: Omit<ZipEntryOptions, "size"> = {}): Promise<ZipEntryResult> {
    this.guard();
    checkName(name);
    const handle = await fs.promises.open(file, "r");
    let stream: fs.ReadStream | null = null;
    try {
      const stat = await handle.stat();
      // The stream owns the handle from here: it closes it at the end, on error, or when destroyed.
      stream = handle.createReadStream({ highWaterMark: 64 * 1024 });
      const source = stream;
      return await this.entry(name, { mtime: stat.mtime, ...options, size: stat.size }, () => source);
    } finally {
      if (!stream) await handle.close();
      else if (!stream.destroyed) stream.destroy();
    }
  }

  /** Writes the central directory and the end record. The caller ends the output stream afterwards. */
  async finish(): Promise<{ bytes: number; entries: number; zip64: boolean }> {
    this.guard();
    this.finished = true;
    const cdOffset = this.offset;
    for (const e of this.entries) await this.write(centralHeader(e, this.forceZip64));
    const cdSize = this.offset - cdOffset;
    const count = this.entries.length;
    const zip64 = this.forceZip64 || count >= MAX_16 || cdSize >= MAX_32 || cdOffset >= MAX_32;
    if (zip64) {
      const recordOffset = this.offset;
      const record = Buffer.alloc(56);
      record.writeUInt32LE(SIG_ZIP64_EOCD, 0);
      record.writeBigUInt64LE(44n, 4); // size of the rest of this record
      record.writeUInt16LE(VERSION_MADE_BY, 12);
      record.writeUInt16LE(VERSION_ZIP64, 14);
      record.writeUInt32LE(0, 16); // this disk
      record.writeUInt32LE(0, 20); // disk with the central directory
      record.writeBigUInt64LE(BigInt(count), 24);
      record.writeBigUInt64LE(BigInt(count), 32);
      record.writeBigUInt64LE(BigInt(cdSize), 40);
      record.writeBigUInt64LE(BigInt(cdOffset), 48);
      const locator = Buffer.alloc(20);
      locator.writeUInt32LE(SIG_ZIP64_LOCATOR, 0);
      locator.writeUInt32LE(0, 4); // disk with the ZIP64 end record
      locator.writeBigUInt64LE(BigInt(recordOffset), 8);
      locator.writeUInt32LE(1, 16); // disks in all
      await this.write(Buffer.concat([record, locator]));
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(SIG_EOCD, 0);
    end.writeUInt16LE(0, 4);
    end.writeUInt16LE(0, 6);
    const shortCount = zip64 ? MAX_16 : count;
    end.writeUInt16LE(shortCount, 8);
    end.writeUInt16LE(shortCount, 10);
    end.writeUInt32LE(zip64 ? MAX_32 : cdSize, 12);
    end.writeUInt32LE(zip64 ? MAX_32 : cdOffset, 16);
    end.writeUInt16LE(0, 20); // comment length
    await this.write(end);
    return { bytes: this.offset, entries: count, zip64 };
  }

  private guard() {
    if (this.failure) throw this.failure;
    if (this.finished) throw new Error("zip: already finished");
    if (this.busy) throw new Error("zip: entries must be added one at a time");
  }

  private async entry(name: string, options: ZipEntryOptions, open: () => ZipSource): Promise<ZipEntryResult> {
    this.guard();
    const nameBytes = Buffer.from(checkName(name), "utf8");
    if (this.names.has(name)) throw new Error(`zip: duplicate entry ${name}`);
    this.busy = true;
    try {
      const method = METHOD[options.method ?? "deflate"];
      const zip64Local = this.forceZip64 || (options.size !== undefined && options.size >= MAX_32);
      const { time, date } = dosDateTime(options.mtime ?? new Date());
      const offset = this.offset;
      await this.write(localHeader(nameBytes, method, time, date, zip64Local));
      try {
        const result = await this.body(name, method, zip64Local, open);
        this.entries.push({ name: nameBytes, method, zip64Local, time, date, crc: result.crc32, compressed: result.compressedBytes, uncompressed: result.bytes, offset });
        this.names.add(name);
        return result;
      } catch (err) {
        // The local header is out: the archive cannot be completed any more.
        this.failure ??= err as Error;
        throw err;
      }
    } finally {
      this.busy = false;
    }
  }

  /** Streams an entry's data (compressed or not) and its data descriptor. */
  private async body(name: string, method: number, zip64Local: boolean, open: () => ZipSource): Promise<ZipEntryResult> {
    let crc = 0;
    let uncompressed = 0;
    let compressed = 0;
    const hash = crypto.createHash("sha256");
    const onData = this.onData;
    const tap = async function* (chunks: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>) {
      for await (const chunk of chunks) {
        const buf = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
        if (buf.byteLength === 0) continue;
        crc = zlib.crc32(buf, crc);
        hash.update(buf);
        uncompressed += buf.byteLength;
        onData?.(buf.byteLength);
        yield buf;
      }
    };
    const sink = async (chunks: AsyncIterable<Uint8Array>) => {
      for await (const chunk of chunks) {
        compressed += chunk.byteLength;
        if (!zip64Local && compressed >= MAX_32) throw new Error(`zip: entry ${name} reached 4 GiB without a known size`);
        await this.write(chunk);
      }
    };
    const source = open();
    const iterable = typeof source === "string" || source instanceof Uint8Array ? [source] : source;
    if (method === METHOD.deflate) await pipeline(tap(iterable), zlib.createDeflateRaw({ level: 6 }), sink);
    else await sink(tap(iterable));
    if (!zip64Local && uncompressed >= MAX_32) throw new Error(`zip: entry ${name} reached 4 GiB without a known size`);

    const descriptor = Buffer.alloc(zip64Local ? 24 : 16);
    descriptor.writeUInt32LE(SIG_DESCRIPTOR, 0);
    descriptor.writeUInt32LE(crc, 4);
    if (zip64Local) {
      descriptor.writeBigUInt64LE(BigInt(compressed), 8);
      descriptor.writeBigUInt64LE(BigInt(uncompressed), 16);
    } else {
      descriptor.writeUInt32LE(compressed, 8);
      descriptor.writeUInt32LE(uncompressed, 12);
    }
    await this.write(descriptor);
    return { name, bytes: uncompressed, compressedBytes: compressed, crc32: crc, sha256: hash.digest("hex") };
  }

  /** Writes with backpressure: waits for "drain" when the stream's buffer is full. */
  private async write(chunk: Uint8Array): Promise<void> {
    if (this.failure) throw this.failure;
    this.offset += chunk.byteLength;
    if (!this.out.write(chunk)) {
      await once(this.out as unknown as NodeJS.EventEmitter, "drain");
      if (this.failure) throw this.failure;
    }
  }
}

/** Entry names: relative, forward slashes, no "." or ".." segments, at most 65535 bytes of UTF-8. */
function checkName(name: string): string {
  const bad =
    !name ||
    name.startsWith("/") ||
    name.includes("\\") ||
    name.includes("\0") ||
    name.split("/").some((s) => s === "" || s === "." || s === "..") ||
    Buffer.byteLength(name, "utf8") > MAX_16;
  if (bad) throw new Error(`zip: invalid entry name ${JSON.stringify(name)}`);
  return name;
}

/** DOS date and time (2-second resolution, 1980–2107) in the server's local time zone. */
export function dosDateTime(d: Date): { time: number; date: number } {
  const year = Math.min(Math.max(d.getFullYear(), 1980), 2107);
  const clamped = year !== d.getFullYear();
  if (clamped) return { time: 0, date: ((year - 1980) << 9) | (1 << 5) | 1 };
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | Math.floor(d.getSeconds() / 2),
    date: ((year - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

function localHeader(name: Buffer, method: number, time: number, date: number, zip64: boolean): Buffer {
  // With bit 3 the CRC and sizes are zero here (they follow the data); a ZIP64 entry has a ZIP64 extra field with
  // both sizes (zero, also in the descriptor) and 0xFFFFFFFF in the 32-bit fields, which tells streaming readers that
  // the data descriptor carries 8-byte sizes.
  const extra = zip64 ? zip64Extra([0, 0]) : Buffer.alloc(0);
  const h = Buffer.alloc(30);
  h.writeUInt32LE(SIG_LOCAL, 0);
  h.writeUInt16LE(zip64 ? VERSION_ZIP64 : VERSION_DEFAULT, 4);
  h.writeUInt16LE(FLAG_DESCRIPTOR | FLAG_UTF8, 6);
  h.writeUInt16LE(method, 8);
  h.writeUInt16LE(time, 10);
  h.writeUInt16LE(date, 12);
  h.writeUInt32LE(0, 14); // CRC-32: in the data descriptor
  h.writeUInt32LE(zip64 ? MAX_32 : 0, 18);
  h.writeUInt32LE(zip64 ? MAX_32 : 0, 22);
  h.writeUInt16LE(name.length, 26);
  h.writeUInt16LE(extra.length, 28);
  return Buffer.concat([h, name, extra]);
}

function centralHeader(e: CentralEntry, force: boolean): Buffer {
  // Each 32-bit field that does not fit (or all three, when forced) is 0xFFFFFFFF and its value goes into the ZIP64
  // extra field, in the fixed order: uncompressed size, compressed size, local header offset.
  const big = { uncompressed: force || e.uncompressed >= MAX_32, compressed: force || e.compressed >= MAX_32, offset: force || e.offset >= MAX_32 };
  const values = [big.uncompressed ? e.uncompressed : null, big.compressed ? e.compressed : null, big.offset ? e.offset : null].filter((v): v is number => v !== null);
  const extra = values.length ? zip64Extra(values) : Buffer.alloc(0);
  const zip64 = values.length > 0 || e.zip64Local;
  const h = Buffer.alloc(46);
  h.writeUInt32LE(SIG_CENTRAL, 0);
  h.writeUInt16LE(VERSION_MADE_BY, 4);
  h.writeUInt16LE(zip64 ? VERSION_ZIP64 : VERSION_DEFAULT, 6);
  h.writeUInt16LE(FLAG_DESCRIPTOR | FLAG_UTF8, 8);
  h.writeUInt16LE(e.method, 10);
  h.writeUInt16LE(e.time, 12);
  h.writeUInt16LE(e.date, 14);
  h.writeUInt32LE(e.crc, 16);
  h.writeUInt32LE(big.compressed ? MAX_32 : e.compressed, 20);
  h.writeUInt32LE(big.uncompressed ? MAX_32 : e.uncompressed, 24);
  h.writeUInt16LE(e.name.length, 28);
  h.writeUInt16LE(extra.length, 30);
  h.writeUInt16LE(0, 32); // comment length
  h.writeUInt16LE(0, 34); // disk number start
  h.writeUInt16LE(0, 36); // internal attributes
  h.writeUInt32LE(EXTERNAL_ATTRIBUTES, 38);
  h.writeUInt32LE(big.offset ? MAX_32 : e.offset, 42);
  return Buffer.concat([h, e.name, extra]);
}

/** ZIP64 extended information extra field (header id 0x0001) with the given 8-byte values. */
function zip64Extra(values: number[]): Buffer {
  const b = Buffer.alloc(4 + 8 * values.length);
  b.writeUInt16LE(0x0001, 0);
  b.writeUInt16LE(8 * values.length, 2);
  values.forEach((v, i) => b.writeBigUInt64LE(BigInt(v), 4 + 8 * i));
  return b;
}
