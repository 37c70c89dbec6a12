// The per-token rate limiter with an injected clock: burst, refill rate, Retry-After, keys apart, pruning.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { API_BURST, API_RATE_PER_SECOND, TokenBucketLimiter } from "./rate-limit";

describe("TokenBucketLimiter", () => {
  const t0 = 1_780_000_000_000;

  test("a burst of 60 passes, the 61st at the same instant is refused with Retry-After 1 s", () => {
    const l = new TokenBucketLimiter();
    assert.equal(API_BURST, 60);
    for (let i = 0; i < API_BURST; i++) assert.deepEqual(l.take("a", t0), { ok: true }, `request ${i + 1}`);
    assert.deepEqual(l.take("a", t0), { ok: false, retryAfterSeconds: 1 });
  });

  test("refills at 20 per second: after an empty bucket, one request per 50 ms", () => {
    const l = new TokenBucketLimiter();
    for (let i = 0; i < API_BURST; i++) l.take("a", t0);
    assert.equal(l.take("a", t0 + 49).ok, false);
    assert.equal(l.take("a", t0 + 50).ok, true, "one token after 1000/20 ms");
    assert.equal(l.take("a", t0 + 50).ok, false);
    // One second later, 20 more pass, the 21st does not.
    let passed = 0;
    for (let i = 0; i < 30; i++) if (l.take("a", t0 + 1050).ok) passed++;
    assert.equal(passed, API_RATE_PER_SECOND);
  });

  test("keys are limited apart", () => {
    const l = new TokenBucketLimiter(1, 2);
    assert.equal(l.take("a", t0).ok, true);
    assert.equal(l.take("a", t0).ok, true);
    assert.equal(l.take("a", t0).ok, false);
    assert.equal(l.take("b", t0).ok, true);
  });

  test("Retry-After is the whole seconds until one request fits", () => {
    const l = new TokenBucketLimiter(0.25, 1);
    assert.equal(l.take("a", t0).ok, true);
    assert.deepEqual(l.take("a", t0), { ok: false, retryAfterSeconds: 4 });
    assert.deepEqual(l.take("a", t0 + 2000), { ok: false, retryAfterSeconds: 2 });
    assert.equal(l.take("a", t0 + 4000).ok, true);
  });

  test("a clock that goes back does not add tokens", () => {
    const l = new TokenBucketLimiter(1, 1);
    assert.equal(l.take("a", t0).ok, true);
    assert.equal(l.take("a", t0 - 10_000).ok, false);
  });

  test("refilled buckets are pruned (they behave like new ones)", () => {
    const l = new TokenBucketLimiter(10, 5);
    l.take("a", t0);
    l.take("b", t0 + 400);
    l.prune(t0 + 450);
    assert.equal(l.size, 1, "a refilled after 100 ms, b not yet");
  });
});
