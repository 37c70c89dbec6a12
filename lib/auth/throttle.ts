// Sign-in throttling, per account and per client address. The rule is pure (nextThrottleState, retryAfterMs) and
// table-tested; the store keeps one LoginThrottle row per HMAC'd key.
import crypto from "node:crypto";
import type { Db } from "../db";
import { getSecrets } from "../secrets";

export type ThrottlePolicy = {
  /** Failures allowed within windowMs before the key is locked. */
  maxFailures: number;
  /** Length of the counting window, in ms, from the first failure. */
  windowMs: number;
  /** Lock after the maxFailures-th failure, in ms; doubles with each further failure. */
  baseLockMs: number;
  /** Longest lock, in ms. */
  maxLockMs: number;
};

const MINUTE = 60_000;
/** Per account: 5 wrong passwords in 15 minutes ⇒ 1 minute lock, then 2, 4, … up to 15 minutes. */
export const ACCOUNT_POLICY: ThrottlePolicy = { maxFailures: 5, windowMs: 15 * MINUTE, baseLockMs: MINUTE, maxLockMs: 15 * MINUTE };
/** Per address: 30 failures in 15 minutes (any accounts) ⇒ 5 minute lock, up to an hour. */
export const ADDRESS_POLICY: ThrottlePolicy = { maxFailures: 30, windowMs: 15 * MINUTE, baseLockMs: 5 * MINUTE, maxLockMs: 60 * MINUTE };

export type ThrottleState = { failures: number; windowStart: Date; lockedUntil: Date | null };

/** Milliseconds until the key may try again; 0 when it may try now. */
export function retryAfterMs(state: ThrottleState | null, now: Date): number {
  if (!state?.lockedUntil) return 0;
  return Math.max(0, state.lockedUntil.getTime() - now.getTime());
}

/**
 * The state after one more failure at `now`. The count goes on while the window since the first failure is open,
 * or within windowMs after a lock ended, so that failing again right after a lock doubles the next lock.
 */
export function nextThrottleState(state: ThrottleState | null, policy: ThrottlePolicy, now: Date): ThrottleState {
  const t = now.getTime();
  const inWindow = state !== null && t - state.windowStart.getTime() < policy.windowMs;
  const afterLock = state?.lockedUntil != null && t - state.lockedUntil.getTime() < policy.windowMs;
  if (!state || !(inWindow || afterLock)) {
    return { failures: 1, windowStart: now, lockedUntil: policy.maxFailures <= 1 ? new Date(t + policy.baseLockMs) : null };
  }
  const failures = state.failures + 1;
  if (failures < policy.maxFailures) return { failures, windowStart: state.windowStart, lockedUntil: null };
  const lockMs = Math.min(policy.baseLockMs * 2 ** (failures - policy.maxFailures), policy.maxLockMs);
  return { failures, windowStart: state.windowStart, lockedUntil: new Date(t + lockMs) };
}

/** Stable, non-reversible key: no e-mail or address is stored in the clear. */
export function throttleKey(kind: "account" | "address", value: string): string {
  return crypto.createHmac("sha256", getSecrets().sessionSecret).update(`${kind}:${value.trim().toLowerCase()}`).digest("hex");
}

export type ThrottleTarget = { key: string; policy: ThrottlePolicy };

export async function readRetryAfterMs(db: Db, targets: ThrottleTarget[], now: Date): Promise<number> {
  const rows = await db.loginThrottle.findMany({ where: { key: { in: targets.map((t) => t.key) } } });
  return Math.max(0, ...rows.map((r) => retryAfterMs(r, now)));
}

/** Records one failure on every target; returns the longest resulting lock (0 if none). */
export async function recordFailure(db: Db, targets: ThrottleTarget[], now: Date): Promise<number> {
  let longest = 0;
  for (const { key, policy } of targets) {
    const row = await db.loginThrottle.findUnique({ where: { key } });
    const next = nextThrottleState(row, policy, now);
    await db.loginThrottle.upsert({ where: { key }, create: { key, ...next }, update: next });
    longest = Math.max(longest, retryAfterMs(next, now));
  }
  return longest;
}

export async function clearThrottle(db: Db, key: string): Promise<void> {
  await db.loginThrottle.deleteMany({ where: { key } });
}

/** Removes rows that can no longer affect anything (scheduler job). */
export async function purgeStaleThrottles(db: Db, now: Date): Promise<number> {
  const horizon = new Date(now.getTime() - Math.max(ACCOUNT_POLICY.windowMs, ADDRESS_POLICY.windowMs, ADDRESS_POLICY.maxLockMs));
  const res = await db.loginThrottle.deleteMany({ where: { updatedAt: { lt: horizon }, OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }] } });
  return res.count;
}
