// GET /api/account — my profile. PATCH — change display name, username, language, time zone.
import { z } from "zod";
import { getProfile, updateProfile } from "@/lib/account/profile";
import { db } from "@/lib/db";
import { displayNameSchema, localeSchema, timeZoneSchema, usernameSchema } from "@/lib/household/identity";
import { route } from "@/lib/http/route";

const emptyToNull = z.literal("").transform(() => null);
const body = z.object({
  displayName: displayNameSchema.nullable().or(emptyToNull).optional(),
  username: usernameSchema.nullable().or(emptyToNull).optional(),
  locale: localeSchema.nullable().or(emptyToNull).optional(),
  timeZone: timeZoneSchema.nullable().or(emptyToNull).optional(),
});

export const GET = route({ access: { allowPendingPasswordChange: true } }, async ({ viewer }) => getProfile(await db(), viewer.id));

export const PATCH = route({ access: {}, body }, async ({ viewer, body }) => updateProfile(await db(), viewer.id, body));
