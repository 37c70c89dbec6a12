// Household members as the admins manage them: list, create with a temporary password, change role, disable,
// remove. Every change that could leave no enabled admin is refused (wouldLeaveNoAdmin) inside the transaction.
import { hashPassword, requireGoodPassword } from "./password";
import { isUniqueViolation, type Db } from "../db";
import { AppError } from "../errors";
import { newId } from "../ids";
import { type MemberChange, type Role, wouldLeaveNoAdmin } from "./roles";

/** What the household page shows of a member (never the password hash). */
export const memberSelect = {
  id: true,
  email: true,
  username: true,
  displayName: true,
  role: true,
  isOwner: true,
  isDisabled: true,
  mustChangePassword: true,
  createdAt: true,
} as const;

export function listMembers(db: Db) {
  return db.user.findMany({ select: memberSelect, orderBy: [{ createdAt: "asc" }] });
}

export type CreateMemberInput = { email: string; role: Role; displayName?: string | null; temporaryPassword: string };

/** An account with a temporary password that must be changed at first sign-in. */
export async function createMember(db: Db, input: CreateMemberInput) {
  requireGoodPassword(input.temporaryPassword, input.email, "temporaryPassword");
  const passwordHash = await hashPassword(input.temporaryPassword);
  try {
    return await db.user.create({
      data: { id: newId(), email: input.email, role: input.role, displayName: input.displayName || null, passwordHash, mustChangePassword: true },
      select: memberSelect,
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("email_taken", {}, { email: "email_taken" });
    throw err;
  }
}

async function applyGuarded(db: Db, change: MemberChange, write: (tx: Parameters<Parameters<Db["$transaction"]>[0]>[0]) => Promise<unknown>) {
  await db.$transaction(async (tx) => {
    const members = await tx.user.findMany({ select: { id: true, role: true, isDisabled: true } });
    if (!members.some((m) => m.id === change.id)) throw new AppError("not_found");
    if (wouldLeaveNoAdmin(members as { id: string; role: Role; isDisabled: boolean }[], change)) throw new AppError("last_admin");
    await write(tx);
  });
}

export type UpdateMemberInput = { role?: Role; isDisabled?: boolean };

/**
 * Changes a member's role or disables/enables them. Disabling ends their sessions at once (session version bump)
 * and revokes their API tokens.
 * An admin may not disable themselves (they would be locked out), but may step down while another admin remains.
 * Only the owner changes the owner's role or state: another admin can neither demote nor disable them.
 */
export async function updateMember(db: Db, actorId: string, memberId: string, input: UpdateMemberInput) {
  if (input.isDisabled === true && actorId === memberId) throw new AppError("cannot_change_self");
  if (actorId !== memberId && (input.role !== undefined || input.isDisabled !== undefined)) {
    const member = await db.user.findUnique({ where: { id: memberId }, select: { isOwner: true } });
    if (member?.isOwner) throw new AppError("owner_protected");
  }
  await applyGuarded(db, { id: memberId, ...input }, async (tx) => {
    await tx.user.update({
      where: { id: memberId },
      data: {
        ...(input.role ? { role: input.role } : {}),
        ...(input.isDisabled !== undefined ? { isDisabled: input.isDisabled } : {}),
        ...(input.isDisabled ? { sessionVersion: { increment: 1 } } : {}),
      },
    });
    // Disabling ends their personal access tokens for good (enabling again does not bring them back).
    if (input.isDisabled) await tx.apiToken.updateMany({ where: { userId: memberId, revokedAt: null }, data: { revokedAt: new Date() } });
  });
  return db.user.findUniqueOrThrow({ where: { id: memberId }, select: memberSelect });
}

/**
 * Removes a member and, through ON DELETE CASCADE, everything that is theirs. The owner is removed only by their own
 * account deletion (a factory reset), and nobody removes themselves here.
 */
export async function removeMember(db: Db, actorId: string, memberId: string) {
  if (actorId === memberId) throw new AppError("cannot_change_self");
  const member = await db.user.findUnique({ where: { id: memberId }, select: { isOwner: true } });
  if (!member) throw new AppError("not_found");
  if (member.isOwner) throw new AppError("owner_protected");
  await applyGuarded(db, { id: memberId, removed: true }, (tx) => tx.user.delete({ where: { id: memberId } }));
}

/** Enabled admins of the household, count (the last one can be neither demoted, disabled nor removed). */
export function countEnabledAdmins(db: Db): Promise<number> {
  return db.user.count({ where: { role: "admin", isDisabled: false } });
}
