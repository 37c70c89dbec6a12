// GET /api/account — my profile. PATCH — change display name, username, language, time zone.
// DELETE { password, confirmation? } — delete my account at once (lib/privacy/delete.ts); for the owner this is the
// factory reset of the household and also needs the household's name typed as `confirmation`.
import { z } from "zod";
import { getProfile, updateProfile } from "@/lib/account/profile";
import { db } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { displayNameSchema, localeSchema, passwordSchema, timeZoneSchema, usernameSchema } from "@/lib/household/identity";
import { route } from "@/lib/http/route";
import { deleteOwnAccount } from "@/lib/privacy/delete";
import { resetHousehold } from "@/lib/privacy/reset";
import { scheduleRestart } from "@/lib/privacy/restart";

const emptyToNull = z.literal("").transform(() => null);
const body = z.object({
  displayName: displayNameSchema.nullable().or(emptyToNull).optional(),
  username: usernameSchema.nullable().or(emptyToNull).optional(),
  locale: localeSchema.nullable().or(emptyToNull).optional(),
  timeZone: timeZoneSchema.nullable().or(emptyToNull).optional(),
});
const deleteBody = z.object({ password: passwordSchema, confirmation: z.string().max(200).optional() });

export const GET = route({ access: { allowPendingPasswordChange: true } }, async ({ viewer }) => getProfile(await db(), viewer.id));

export const PATCH = route(
  // Which fields changed, never their values.
  { access: {}, body, activity: ({ body }) => ({ action: "account.profile_changed", data: { fields: Object.keys(body ?? {}) } }) },
  async ({ viewer, body }) => updateProfile(await db(), viewer.id, body),
);

// No activity option: the account is gone afterwards; lib records "account.deleted" without any id of theirs.
export const DELETE = route({ access: { allowPendingPasswordChange: true }, body: deleteBody }, async ({ viewer, body }) => {
  const database = await db();
  const dataDir = getEnv().dataDir;
  if (viewer.isOwner) {
    const result = await resetHousehold(database, dataDir, viewer.id, { password: body.password, confirmation: body.confirmation ?? "" });
    if (result.restartRequired) scheduleRestart();
    return { ok: true, reset: true, restarting: result.restartRequired };
  }
  await deleteOwnAccount(database, dataDir, viewer.id, body.password);
  return { ok: true, reset: false, restarting: false };
});
