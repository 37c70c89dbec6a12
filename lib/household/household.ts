// The household row: its name, shown on invites and in the shell.
import type { Db } from "../db";

export async function getHouseholdName(db: Db): Promise<string | null> {
  return (await db.household.findUnique({ where: { id: 1 }, select: { name: true } }))?.name ?? null;
}

export async function renameHousehold(db: Db, name: string) {
  await db.household.update({ where: { id: 1 }, data: { name } });
}
