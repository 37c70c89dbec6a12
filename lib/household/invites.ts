// One-time invite links: an admin creates one with a role (optionally bound to an e-mail); whoever opens it within
// INVITE_LIFETIME_MS creates their account with it, once. Only the token's hash is stored.
import { hashPassword, requireGoodPassword } from "./password";
import { systemClock, type Clock } from "../clock";
import { isUniqueViolation, type Db } from "../db";
import { AppError } from "../errors";
import { hashToken, newId, newToken } from "../ids";
import type { Role } from "./roles";

/** 7 days, in ms. */
export const INVITE_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

export type CreateInviteInput = { role: Role; email?: string | null };

/** Returns the invite and its token; the token is shown to the admin once and never stored. */
export async function createInvite(db: Db, createdById: string, input: CreateInviteInput, clock: Clock = systemClock) {
  const token = newToken();
  const now = clock.now();
  const invite = await db.invite.create({
    data: {
      id: newId(),
      tokenHash: hashToken(token),
      role: input.role,
      email: input.email || null,
      createdById,
      createdAt: now,
      expiresAt: new Date(now.getTime() + INVITE_LIFETIME_MS),
    },
    select: { id: true, role: true, email: true, createdAt: true, expiresAt: true },
  });
  return { invite, token };
}

/** Invites that can still be used. */
export function listPendingInvites(db: Db, clock: Clock = systemClock) {
  return db.invite.findMany({
    where: { usedAt: null, expiresAt: { gt: clock.now() } },
    select: { id: true, role: true, email: true, createdAt: true, expiresAt: true, createdBy: { select: { displayName: true, email: true } } },
    orderBy: { createdAt: "desc" },
  });
}

export async function revokeInvite(db: Db, id: string) {
  const res = await db.invite.deleteMany({ where: { id, usedAt: null } });
  if (res.count === 0) throw new AppError("not_found");
}

/** The invite behind a token if it can be used now, else null (unknown, used and expired look the same). */
export async function findUsableInvite(db: Db, token: string, clock: Clock = systemClock) {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  return db.invite.findFirst({
    where: { tokenHash: hashToken(token), usedAt: null, expiresAt: { gt: clock.now() } },
    select: { id: true, role: true, email: true, expiresAt: true },
  });
}

export type AcceptInviteInput = {
  token: string;
  email: string;
  password: string;
  displayName?: string | null;
  locale?: string | null;
  timeZone?: string | null;
};

/**
 * Creates the account and marks the invite used in one transaction: a second use, an expired link or a taken
 * e-mail changes nothing.
 */
export async function acceptInvite(db: Db, input: AcceptInviteInput, clock: Clock = systemClock) {
  const invite = await findUsableInvite(db, input.token, clock);
  if (!invite) throw new AppError("invite_invalid");
  if (invite.email && invite.email !== input.email) throw new AppError("validation", {}, { email: "invite_email_mismatch" });
  requireGoodPassword(input.password, input.email);
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.$transaction(async (tx) => {
      const now = clock.now();
      const claimed = await tx.invite.updateMany({ where: { id: invite.id, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
      if (claimed.count !== 1) throw new AppError("invite_invalid");
      return tx.user.create({
        data: {
          id: newId(),
          email: input.email,
          displayName: input.displayName || null,
          passwordHash,
          role: invite.role,
          locale: input.locale ?? null,
          timeZone: input.timeZone ?? null,
        },
      });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("email_taken", {}, { email: "email_taken" });
    throw err;
  }
}

/** Deletes invites that were used or expired (scheduler job). Returns how many. */
export async function purgeDeadInvites(db: Db, clock: Clock = systemClock): Promise<number> {
  const res = await db.invite.deleteMany({ where: { OR: [{ usedAt: { not: null } }, { expiresAt: { lte: clock.now() } }] } });
  return res.count;
}
