// Per-token rate limiting of API requests (issue 14): an in-memory token bucket per key (a token's id, or a signed
// URL's member and camera) in the web process. Pure apart from the clock the caller passes, so tests are exact.

/** Requests per second a key may make in the long run. */
export const API_RATE_PER_SECOND = 20;
/** Requests a key may make at once after a quiet spell (the bucket's size). */
export const API_BURST = 60;
/** Buckets kept at most; full (idle) buckets are dropped first when this is reached. */
const MAX_KEYS = 10_000;

export type RateVerdict = { ok: true } | { ok: false; retryAfterSeconds: number };

export class TokenBucketLimiter {
  private readonly buckets = new Map<string, { tokens: number; atMs: number }>();

  constructor(
    private readonly ratePerSecond = API_RATE_PER_SECOND,
    private readonly burst = API_BURST,
  ) {}

  /** Takes one request from `key`'s bucket at `nowMs` (ms since epoch); refused with the whole seconds to wait. */
  take(key: string, nowMs: number): RateVerdict {
    const b = this.buckets.get(key);
    const elapsedMs = b ? Math.max(0, nowMs - b.atMs) : 0;
    const tokens = b ? Math.min(this.burst, b.tokens + (elapsedMs * this.ratePerSecond) / 1000) : this.burst;
    if (tokens < 1) {
      this.buckets.set(key, { tokens, atMs: nowMs });
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / this.ratePerSecond)) };
    }
    if (!b && this.buckets.size >= MAX_KEYS) this.prune(nowMs);
    this.buckets.set(key, { tokens: tokens - 1, atMs: nowMs });
    return { ok: true };
  }

  /** Drops buckets that have refilled completely (they behave exactly like a missing one). */
  prune(nowMs: number): void {
    for (const [k, b] of this.buckets) if (b.tokens + ((nowMs - b.atMs) * this.ratePerSecond) / 1000 >= this.burst) this.buckets.delete(k);
  }

  get size(): number {
    return this.buckets.size;
  }
}
