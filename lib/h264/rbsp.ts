// Reading the payload of a NAL unit bit by bit: emulation prevention removal (H.264 §7.4.1, H.265 §7.4.2) and the
// fixed-length and Exp-Golomb codes of the syntax tables (H.264 §7.2 and §9.1, H.265 §7.2 and §9.2; the two codecs
// define them identically). Shared by the H.264 SPS parser (lib/h264/sps.ts) and the H.265 one (lib/h265/sps.ts).
// Pure.

/** Removes emulation prevention bytes (00 00 03 → 00 00): the RBSP of a NAL unit's payload. */
export function unescapeRbsp(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length);
  let o = 0;
  let zeros = 0;
  for (const byte of data) {
    if (zeros >= 2 && byte === 3) {
      zeros = 0;
      continue;
    }
    out[o++] = byte;
    zeros = byte === 0 ? zeros + 1 : 0;
  }
  return out.subarray(0, o);
}

/** Longest Exp-Golomb prefix accepted, in zero bits: ue(v) values up to 2^32 − 2, which every syntax element fits. */
const MAX_EXP_GOLOMB_ZEROS = 31;

/** Reads an RBSP MSB first. Every read past the end throws "<what> truncated". */
export class BitReader {
  /** Bits read so far. */
  private pos = 0;
  constructor(
    private readonly data: Uint8Array,
    /** Names the structure in errors ("SPS truncated"). */
    private readonly what = "RBSP",
  ) {}

  /** u(n): n bits as an unsigned integer, n ≤ 53 (exact in a double). */
  u(n: number): number {
    let v = 0;
    for (let i = 0; i < n; i++) {
      const byte = this.data[this.pos >> 3];
      if (byte === undefined) throw new Error(`${this.what} truncated`);
      v = v * 2 + ((byte >> (7 - (this.pos & 7))) & 1);
      this.pos++;
    }
    return v;
  }

  /** Skips n bits (reserved fields, flags nobody reads); throws like u() when they run past the end. */
  skip(n: number): void {
    if (this.pos + n > this.data.length * 8) throw new Error(`${this.what} truncated`);
    this.pos += n;
  }

  /** ue(v): unsigned Exp-Golomb. */
  ue(): number {
    let zeros = 0;
    while (this.u(1) === 0) if (++zeros > MAX_EXP_GOLOMB_ZEROS) throw new Error("bad Exp-Golomb code");
    return 2 ** zeros - 1 + this.u(zeros);
  }

  /** se(v): signed Exp-Golomb (k → 0, 1, −1, 2, −2, …). */
  se(): number {
    const k = this.ue();
    return k % 2 ? (k + 1) / 2 : k === 0 ? 0 : -k / 2; // never −0
  }
}
