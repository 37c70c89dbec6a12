// First-run setup: while no household exists, the only thing Nightjar does is create its owner.
import { hashPassword, requireGoodPassword } from "./password";
import { isUniqueViolation, type Db } from "../db";
import { AppError } from "../errors";
import { newId } from "../ids";

let knownSetUp = false;

/** True once the household exists. Cached per process once true (it only becomes false by a factory reset). */
export async function isSetUp(db: Db): Promise<boolean> {
  if (knownSetUp) return true;
  knownSetUp = (await db.household.count()) > 0;
  return knownSetUp;
}

/** Called by a factory reset in this process. */
export function forgetSetUpState(): void {
  knownSetUp = false;
}

export type SetupInput = {
  householdName: string;
  email: string;
  password: string;
  displayName?: string | null;
  locale?: string | null;
  timeZone?: string | null;
};

/**
 * Creates the household and its owner (role admin) in one transaction. Two racing submissions both hash their
 * password, then race to insert Household id=1: exactly one wins, the other gets `already_set_up`.
 */
export async function setUpHousehold(db: Db, input: SetupInput) {
  if (await isSetUp(db)) throw new AppError("already_set_up");
  requireGoodPassword(input.password, input.email);
  const passwordHash = await hashPassword(input.password);
  const id = newId();
  try {
    const [, user] = await db.$transaction([
      db.household.create({ data: { id: 1, name: input.householdName } }),
      db.user.create({
        data: {
          id,
          email: input.email,
          displayName: input.displayName || null,
          passwordHash,
          role: "admin",
          isOwner: true,
          locale: input.locale ?? null,
          timeZone: input.timeZone ?? null,
        },
      }),
    ]);
    knownSetUp = true;
    return user;
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("already_set_up");
    throw err;
  }
}
