// Checks an e-mail (or username) and password, with throttling and equal timing for unknown accounts.
import { recordActivity } from "../activity/record";
import { systemClock, type Clock } from "../clock";
import type { Db } from "../db";
import { AppError } from "../errors";
import { normalizeEmail } from "../household/identity";
import { verifyAgainstNothing, verifyPassword } from "../household/password";
import { ACCOUNT_POLICY, ADDRESS_POLICY, clearThrottle, readRetryAfterMs, recordFailure, throttleKey } from "./throttle";

export type SignInInput = { login: string; password: string; address: string | null };

/**
 * The user on success; throws AppError invalid_credentials | throttled. A disabled account gets exactly the answer of
 * a wrong password (and counts as a failure): the sign-in form never tells whether an account exists or is disabled.
 */
export async function signInWithPassword(db: Db, input: SignInInput, clock: Clock = systemClock) {
  const login = normalizeEmail(input.login);
  const targets = [{ key: throttleKey("account", login), policy: ACCOUNT_POLICY }];
  if (input.address) targets.push({ key: throttleKey("address", input.address), policy: ADDRESS_POLICY });

  const waitMs = await readRetryAfterMs(db, targets, clock.now());
  if (waitMs > 0) throw new AppError("throttled", { seconds: Math.ceil(waitMs / 1000) });

  const user = await db.user.findFirst({ where: login.includes("@") ? { email: login } : { username: login } });
  // Unknown accounts cost the same argon2 verification as known ones and get the same answer.
  const ok = user ? await verifyPassword(user.passwordHash, input.password) : await verifyAgainstNothing(input.password);
  if (!user || !ok || user.isDisabled) {
    const lockMs = await recordFailure(db, targets, clock.now());
    if (lockMs > 0) throw new AppError("throttled", { seconds: Math.ceil(lockMs / 1000) });
    throw new AppError("invalid_credentials");
  }
  await clearThrottle(db, targets[0].key);
  await recordActivity(db, { action: "auth.sign_in", actorId: user.id }, clock.now().getTime());
  return user;
}
