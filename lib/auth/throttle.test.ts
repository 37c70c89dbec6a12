import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { fakeClock } from "../clock";
import { isAppError } from "../errors";
import { createTestDb, type TestDb } from "../testing/db";
import { hashPassword, passwordVerifications } from "../household/password";
import { signInWithPassword } from "./sign-in";
import { ACCOUNT_POLICY, nextThrottleState, retryAfterMs, type ThrottleState } from "./throttle";

const MIN = 60_000;
const t0 = new Date("2026-03-01T12:00:00Z");
const at = (ms: number) => new Date(t0.getTime() + ms);

describe("nextThrottleState (account policy: 5 in 15 min ⇒ 1 min, doubling to 15 min)", () => {
  // Each row: failures at these offsets (ms from t0) → expected failures count and lock length after the last one.
  const cases: { name: string; offsets: number[]; failures: number; lockMs: number }[] = [
    { name: "one failure", offsets: [0], failures: 1, lockMs: 0 },
    { name: "four failures", offsets: [0, 1, 2, 3], failures: 4, lockMs: 0 },
    { name: "fifth failure locks 1 min", offsets: [0, 1, 2, 3, 4], failures: 5, lockMs: MIN },
    { name: "sixth doubles", offsets: [0, 1, 2, 3, 4, MIN + 5], failures: 6, lockMs: 2 * MIN },
    { name: "lock is capped at 15 min", offsets: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], failures: 11, lockMs: 15 * MIN },
    { name: "window expires: count restarts", offsets: [0, 1, 2, 3, 16 * MIN], failures: 1, lockMs: 0 },
  ];
  for (const c of cases) {
    test(c.name, () => {
      let state: ThrottleState | null = null;
      for (const o of c.offsets) state = nextThrottleState(state, ACCOUNT_POLICY, at(o));
      const last = at(c.offsets.at(-1)!);
      assert.equal(state!.failures, c.failures);
      assert.equal(retryAfterMs(state, last), c.lockMs);
    });
  }

  test("retryAfterMs counts down and reaches zero", () => {
    const state = { failures: 5, windowStart: t0, lockedUntil: at(MIN) };
    assert.equal(retryAfterMs(state, at(20_000)), 40_000);
    assert.equal(retryAfterMs(state, at(MIN)), 0);
    assert.equal(retryAfterMs(null, t0), 0);
  });
});

describe("signInWithPassword (real SQLite)", () => {
  let t: TestDb;
  before(async () => {
    t = await createTestDb();
    await t.db.user.create({ data: { id: "u1", email: "anna@example.com", username: "anna", passwordHash: await hashPassword("correct horse battery"), role: "admin" } });
    await t.db.user.create({ data: { id: "u2", email: "off@example.com", passwordHash: await hashPassword("correct horse battery"), role: "member", isDisabled: true } });
  });
  after(() => t.cleanup());

  const code = async (p: Promise<unknown>) => {
    try {
      await p;
      return "ok";
    } catch (err) {
      assert.ok(isAppError(err), String(err));
      return err.code;
    }
  };

  test("signs in by e-mail (any case) and by username", async () => {
    const clock = fakeClock(t0);
    assert.equal((await signInWithPassword(t.db, { login: " Anna@Example.com ", password: "correct horse battery", address: "10.0.0.1" }, clock)).id, "u1");
    assert.equal((await signInWithPassword(t.db, { login: "anna", password: "correct horse battery", address: "10.0.0.1" }, clock)).id, "u1");
  });

  test("unknown e-mail and wrong password get the same answer", async () => {
    const clock = fakeClock(t0);
    assert.equal(await code(signInWithPassword(t.db, { login: "nobody@example.com", password: "whatever12345", address: "10.0.0.2" }, clock)), "invalid_credentials");
    assert.equal(await code(signInWithPassword(t.db, { login: "anna@example.com", password: "wrong password!", address: "10.0.0.2" }, clock)), "invalid_credentials");
  });

  test("unknown e-mail costs a password verification, like a known one", async () => {
    // Counted, not timed: each path runs exactly one argon2 verification (argon2 is what takes the time), so the
    // answer's timing cannot tell whether the account exists; a wall-clock comparison would only measure the machine.
    const clock = fakeClock(t0);
    const verificationsFor = async (login: string) => {
      const before = passwordVerifications();
      assert.equal(await code(signInWithPassword(t.db, { login, password: "wrong password!", address: null }, clock)), "invalid_credentials");
      return passwordVerifications() - before;
    };
    assert.equal(await verificationsFor("nobody@example.com"), 1);
    assert.equal(await verificationsFor("anna"), 1);
    assert.equal(await verificationsFor("anna@example.com"), 1);
    await t.db.loginThrottle.deleteMany();
  });

  test("five wrong passwords lock the account with a retry time; the lock expires", async () => {
    await t.db.loginThrottle.deleteMany();
    const clock = fakeClock(t0);
    const attempt = (password: string, address = "10.0.0.3") => code(signInWithPassword(t.db, { login: "anna@example.com", password, address }, clock));
    for (let i = 0; i < 4; i++) assert.equal(await attempt("wrong password!"), "invalid_credentials");
    assert.equal(await attempt("wrong password!"), "throttled");
    // Locked: even the right password is refused, from any address, without being checked.
    assert.equal(await attempt("correct horse battery", "10.9.9.9"), "throttled");
    clock.advance(61_000);
    assert.equal(await attempt("correct horse battery"), "ok");
    // Success clears the account counter.
    assert.equal(await attempt("wrong password!"), "invalid_credentials");
  });

  test("the throttle error carries the seconds to wait", async () => {
    await t.db.loginThrottle.deleteMany();
    const clock = fakeClock(t0);
    for (let i = 0; i < 5; i++) await code(signInWithPassword(t.db, { login: "x@example.com", password: "nope nope nope", address: null }, clock));
    clock.advance(15_000);
    try {
      await signInWithPassword(t.db, { login: "x@example.com", password: "nope nope nope", address: null }, clock);
      assert.fail("expected throttled");
    } catch (err) {
      assert.ok(isAppError(err));
      assert.equal(err.code, "throttled");
      assert.equal(err.params.seconds, 45);
    }
  });

  test("many accounts from one address lock the address", async () => {
    await t.db.loginThrottle.deleteMany();
    const clock = fakeClock(t0);
    const results: string[] = [];
    for (let i = 0; i < 31; i++) results.push(await code(signInWithPassword(t.db, { login: `spray${i}@example.com`, password: "nope nope nope", address: "192.0.2.7" }, clock)));
    assert.equal(results.slice(0, 29).every((r) => r === "invalid_credentials"), true);
    assert.equal(results[29], "throttled");
    assert.equal(await code(signInWithPassword(t.db, { login: "anna", password: "correct horse battery", address: "192.0.2.7" }, clock)), "throttled");
    assert.equal(await code(signInWithPassword(t.db, { login: "anna", password: "correct horse battery", address: "192.0.2.8" }, clock)), "ok");
  });

  test("no e-mail or address is stored in the clear", async () => {
    const rows = await t.db.loginThrottle.findMany();
    assert.ok(rows.length > 0);
    for (const r of rows) assert.match(r.key, /^[0-9a-f]{64}$/);
  });

  test("a disabled account with the right password gets the answer of a wrong password, and counts as a failure", async () => {
    await t.db.loginThrottle.deleteMany();
    const clock = fakeClock(t0);
    assert.equal(await code(signInWithPassword(t.db, { login: "off@example.com", password: "wrong password!", address: null }, clock)), "invalid_credentials");
    assert.equal(await code(signInWithPassword(t.db, { login: "off@example.com", password: "correct horse battery", address: null }, clock)), "invalid_credentials");
    assert.equal((await t.db.loginThrottle.findMany()).reduce((n, r) => n + r.failures, 0), 2, "both attempts counted alike");
  });
});
