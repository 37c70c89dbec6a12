// Pure: the sample table of a progressive MP4 track (ISO/IEC 14496-12 §8.6–8.7) from per-sample values: decode
// durations run-length coded (stts), composition offsets (ctts, only when some are not zero), sync samples (stss,
// left out when every sample is one), sizes (stsz, one value when all are equal), samples per chunk (stsc, run-length
// coded) and chunk offsets (stco, or co64 once an offset passes 4 GiB).
import { fullBox, U32_MAX } from "./box-writer";

/** [count, value] pairs of equal neighbours: [40, 40, 40, 80] → [[3, 40], [1, 80]]. */
export function runLengths(values: ArrayLike<number>): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < values.length; i++) {
    const last = out[out.length - 1];
    if (last && last[1] === values[i]) last[0]++;
    else out.push([1, values[i]]);
  }
  return out;
}

function table(rows: number, columns: number, fill: (b: Buffer, row: number, at: number) => void, header: number[] = []): Buffer {
  const b = Buffer.allocUnsafe(4 * header.length + 4 + rows * columns * 4);
  let at = 0;
  for (const h of header) at = b.writeUInt32BE(h, at);
  at = b.writeUInt32BE(rows, at);
  for (let r = 0; r < rows; r++, at += columns * 4) fill(b, r, at);
  return b;
}

/** stts (§8.6.1.2): decode durations, run-length coded. */
export function buildStts(durations: ArrayLike<number>): Buffer {
  const rows = runLengths(durations);
  return fullBox("stts", 0, 0, table(rows.length, 2, (b, r, at) => (b.writeUInt32BE(rows[r][0], at), b.writeUInt32BE(rows[r][1], at + 4))));
}

/**
 * ctts (§8.6.1.3): composition offsets, run-length coded; null when all are 0 (no box needed). Version 0 (unsigned)
 * when none is negative, else version 1 (signed).
 */
export function buildCtts(offsets: ArrayLike<number>): Buffer | null {
  let isAllZero = true;
  let hasNegative = false;
  for (let i = 0; i < offsets.length; i++) {
    if (offsets[i] !== 0) isAllZero = false;
    if (offsets[i] < 0) hasNegative = true;
  }
  if (isAllZero) return null;
  const rows = runLengths(offsets);
  const version = hasNegative ? 1 : 0;
  return fullBox("ctts", version, 0, table(rows.length, 2, (b, r, at) => (b.writeUInt32BE(rows[r][0], at), version ? b.writeInt32BE(rows[r][1], at + 4) : b.writeUInt32BE(rows[r][1], at + 4))));
}

/** The 1-based numbers of the sync samples, or null when every sample is one (then stss is left out, §8.6.2.1). */
export function syncSampleNumbers(isSync: ArrayLike<boolean>): number[] | null {
  const numbers: number[] = [];
  for (let i = 0; i < isSync.length; i++) if (isSync[i]) numbers.push(i + 1);
  return numbers.length === isSync.length ? null : numbers;
}

/** stss (§8.6.2): the sync samples; null when every sample is one. */
export function buildStss(isSync: ArrayLike<boolean>): Buffer | null {
  const numbers = syncSampleNumbers(isSync);
  return numbers && fullBox("stss", 0, 0, table(numbers.length, 1, (b, r, at) => b.writeUInt32BE(numbers[r], at)));
}

/** stsz (§8.7.3.2): one sample_size when all samples are that size (and not 0), else a size per sample. */
export function buildStsz(sizes: ArrayLike<number>): Buffer {
  const first = sizes.length ? sizes[0] : 0;
  let isUniform = first > 0;
  for (let i = 1; i < sizes.length && isUniform; i++) isUniform = sizes[i] === first;
  if (isUniform) {
    const b = Buffer.allocUnsafe(8);
    b.writeUInt32BE(first, 0);
    b.writeUInt32BE(sizes.length, 4);
    return fullBox("stsz", 0, 0, b);
  }
  return fullBox("stsz", 0, 0, table(sizes.length, 1, (b, r, at) => b.writeUInt32BE(sizes[r], at), [0]));
}

export type Chunk = { samples: number; sampleDescriptionIndex: number };
export type StscEntry = { firstChunk: number; samplesPerChunk: number; sampleDescriptionIndex: number };

/** stsc entries (§8.7.4): a new entry only where samples-per-chunk or the sample description changes. */
export function stscEntries(chunks: readonly Chunk[]): StscEntry[] {
  const out: StscEntry[] = [];
  chunks.forEach((c, i) => {
    const last = out[out.length - 1];
    if (!last || last.samplesPerChunk !== c.samples || last.sampleDescriptionIndex !== c.sampleDescriptionIndex) out.push({ firstChunk: i + 1, samplesPerChunk: c.samples, sampleDescriptionIndex: c.sampleDescriptionIndex });
  });
  return out;
}

export function buildStsc(chunks: readonly Chunk[]): Buffer {
  const rows = stscEntries(chunks);
  return fullBox("stsc", 0, 0, table(rows.length, 3, (b, r, at) => (b.writeUInt32BE(rows[r].firstChunk, at), b.writeUInt32BE(rows[r].samplesPerChunk, at + 4), b.writeUInt32BE(rows[r].sampleDescriptionIndex, at + 8))));
}

/** Whether chunk offsets need co64: some offset does not fit in 32 bits. */
export const needsCo64 = (offsets: ArrayLike<number>) => Array.prototype.some.call(offsets, (o: number) => o > U32_MAX) as boolean;

/** stco (32-bit) or co64 (64-bit) chunk offsets (§8.7.5), whichever `isLarge` says; needsCo64 decides. */
export function buildChunkOffsets(offsets: ArrayLike<number>, isLarge = needsCo64(offsets)): Buffer {
  if (!isLarge) return fullBox("stco", 0, 0, table(offsets.length, 1, (b, r, at) => b.writeUInt32BE(offsets[r], at)));
  return fullBox("co64", 0, 0, table(offsets.length, 2, (b, r, at) => b.writeBigUInt64BE(BigInt(offsets[r]), at)));
}
