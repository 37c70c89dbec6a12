// Annex B byte streams (H.264 Annex B, the same framing in H.265 Annex B) for the camera simulator: splitting into NAL
// units, and grouping NAL units into access units by codec-specific rules (h264.ts, h265.ts), from a whole file or
// incrementally from a pipe. Pure; no I/O.

export type AccessUnit = {
  /** NAL units of one picture, without start codes; access unit delimiters are dropped. */
  nals: Buffer[];
  /** Contains an IDR (H.264) or IRAP (H.265) picture: a decoder can start here. */
  isKey: boolean;
};

/** How a codec groups NAL units into access units. */
export type AccessUnitRules = {
  /** A slice (coded picture data) NAL unit. */
  isVcl(nal: Buffer): boolean;
  /** Starts a new access unit when the pending one already holds a slice (AUD, parameter sets, prefix SEI, first slice). */
  startsAccessUnit(nal: Buffer): boolean;
  /** Dropped from the access unit (the access unit delimiter: packetizers and players do not need it). */
  isDropped(nal: Buffer): boolean;
  /** A slice of a picture a decoder can start at. */
  isKey(nal: Buffer): boolean;
};

const START_CODE = Buffer.from([0, 0, 1]);

/** Index of the next start code (00 00 01, or the 00 00 00 01 form: the index of its first zero) at or after `from`. */
function findStartCode(data: Buffer, from: number): number {
  const i = data.indexOf(START_CODE, from);
  if (i < 0) return -1;
  return i > from && data[i - 1] === 0 ? i - 1 : i;
}
const startCodeLength = (data: Buffer, at: number) => (data[at + 2] === 1 ? 3 : 4);

/** Drops trailing zero bytes (trailing_zero_8bits, or the first byte of a 4-byte start code). A NAL never ends in 0x00. */
function trimNal(nal: Buffer): Buffer {
  let end = nal.length;
  while (end > 0 && nal[end - 1] === 0) end--;
  return nal.subarray(0, end);
}

/** Splits a complete Annex-B byte stream into NAL units (views into `data`, start codes removed). */
export function splitAnnexB(data: Buffer): Buffer[] {
  const nals: Buffer[] = [];
  let start = findStartCode(data, 0);
  while (start >= 0) {
    const header = start + startCodeLength(data, start);
    const next = findStartCode(data, header);
    const nal = trimNal(data.subarray(header, next < 0 ? data.length : next));
    if (nal.length) nals.push(nal);
    start = next;
  }
  return nals;
}

/**
 * Groups NAL units into access units incrementally by `rules`. The last access unit is emitted by end() or when the
 * next one starts; NAL units before the first slice wait for it (they belong to the next picture).
 */
export class AccessUnitAssembler {
  private current: Buffer[] = [];
  private hasVcl = false;
  constructor(
    private readonly rules: AccessUnitRules,
    private readonly onAccessUnit: (au: AccessUnit) => void,
  ) {}

  push(nal: Buffer): void {
    if (!nal.length) return;
    if (this.hasVcl && this.rules.startsAccessUnit(nal)) this.end();
    if (this.rules.isDropped(nal)) return;
    this.current.push(nal);
    if (this.rules.isVcl(nal)) this.hasVcl = true;
  }

  /** Emits the pending access unit (end of stream). NAL units before the first slice are kept for the next one. */
  end(): void {
    if (!this.hasVcl) return;
    this.onAccessUnit({ nals: this.current, isKey: this.current.some((n) => this.rules.isVcl(n) && this.rules.isKey(n)) });
    this.current = [];
    this.hasVcl = false;
  }
}

/**
 * Incremental Annex-B reader for a byte stream that arrives in chunks (an ffmpeg pipe): feed() any chunk, receive
 * complete access units. Each NAL is copied once so the chunk buffers are not pinned.
 */
export class AnnexBStreamReader {
  private pending: Buffer = Buffer.alloc(0);
  private scanFrom = 0;
  private readonly assembler: AccessUnitAssembler;
  constructor(rules: AccessUnitRules, onAccessUnit: (au: AccessUnit) => void) {
    this.assembler = new AccessUnitAssembler(rules, onAccessUnit);
  }

  feed(chunk: Buffer): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    let start = findStartCode(this.pending, 0);
    if (start < 0) {
      this.scanFrom = Math.max(0, this.pending.length - 3);
      return;
    }
    for (;;) {
      const header = start + startCodeLength(this.pending, start);
      const next = findStartCode(this.pending, Math.max(header, this.scanFrom));
      if (next < 0) break; // the last NAL may be incomplete: keep it
      this.scanFrom = 0;
      const nal = trimNal(this.pending.subarray(header, next));
      if (nal.length) this.assembler.push(Buffer.from(nal));
      start = next;
    }
    this.pending = Buffer.from(this.pending.subarray(start));
    this.scanFrom = Math.max(0, this.pending.length - 3);
  }

  end(): void {
    const start = findStartCode(this.pending, 0);
    if (start >= 0) {
      const nal = trimNal(this.pending.subarray(start + startCodeLength(this.pending, start)));
      if (nal.length) this.assembler.push(Buffer.from(nal));
    }
    this.pending = Buffer.alloc(0);
    this.scanFrom = 0;
    this.assembler.end();
  }
}

/** Parses a whole Annex-B file into access units by `rules` (views into `data`). */
export function parseAccessUnits(data: Buffer, rules: AccessUnitRules): AccessUnit[] {
  const out: AccessUnit[] = [];
  const assembler = new AccessUnitAssembler(rules, (au) => out.push(au));
  for (const nal of splitAnnexB(data)) assembler.push(nal);
  assembler.end();
  return out;
}
