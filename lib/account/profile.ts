// A member's own account: profile fields, e-mail and password changes, sign out everywhere.
import { hashPassword, requireGoodPassword, verifyPassword } from "../household/password";
import { isUniqueViolation, type Db } from "../db";
import { AppError } from "../errors";

/** What a member sees of their own account. */
export const profileSelect = {
  id: true,
  email: true,
  username: true,
  displayName: true,
  role: true,
  isOwner: true,
  locale: true,
  timeZone: true,
  mustChangePassword: true,
  createdAt: true,
  passwordChangedAt: true,
} as const;

export function getProfile(db: Db, userId: string) {
  return db.user.findUniqueOrThrow({ where: { id: userId }, select: profileSelect });
}

export type ProfileInput = { displayName?: string | null; username?: string | null; locale?: string | null; timeZone?: string | null };

/** Updates the given fields; null clears an optional one. */
export async function updateProfile(db: Db, userId: string, input: ProfileInput) {
  try {
    return await db.user.update({ where: { id: userId }, data: input, select: profileSelect });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("username_taken", {}, { username: "username_taken" });
    throw err;
  }
}

async function requireCurrentPassword(db: Db, userId: string, currentPassword: string) {
  const user = await db.user.findUniqueOrThrow({ where: { id: userId } });
  if (!(await verifyPassword(user.passwordHash, currentPassword))) {
    throw new AppError("wrong_password", {}, { currentPassword: "wrong_password" });
  }
  return user;
}

export async function changeEmail(db: Db, userId: string, input: { email: string; currentPassword: string }) {
  await requireCurrentPassword(db, userId, input.currentPassword);
  try {
    return await db.user.update({ where: { id: userId }, data: { email: input.email }, select: profileSelect });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("email_taken", {}, { email: "email_taken" });
    throw err;
  }
}

/**
 * Sets a new password and ends every session of this account (the browser that changed it signs in again with the
 * new password at once). Also lifts the must-change flag of a temporary password.
 */
export async function changePassword(db: Db, userId: string, input: { currentPassword: string; newPassword: string }) {
  const user = await requireCurrentPassword(db, userId, input.currentPassword);
  requireGoodPassword(input.newPassword, user.email, "newPassword");
  if (await verifyPassword(user.passwordHash, input.newPassword)) {
    throw new AppError("password_reused", {}, { newPassword: "password_reused" });
  }
  await db.user.update({
    where: { id: userId },
    data: { passwordHash: await hashPassword(input.newPassword), mustChangePassword: false, passwordChangedAt: new Date(), sessionVersion: { increment: 1 } },
  });
  return { email: user.email };
}

/** Ends every session of this account, this one included, on their next request. */
export async function signOutEverywhere(db: Db, userId: string) {
  await db.user.update({ where: { id: userId }, data: { sessionVersion: { increment: 1 } } });
}
