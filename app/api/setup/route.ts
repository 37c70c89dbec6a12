// POST /api/setup — public while no household exists: creates the owner. 409 already_set_up afterwards.
import { z } from "zod";
import { db } from "@/lib/db";
import { displayNameSchema, emailSchema, localeSchema, nameSchema, passwordSchema, timeZoneSchema } from "@/lib/household/identity";
import { setUpHousehold } from "@/lib/household/setup";
import { route } from "@/lib/http/route";

const body = z.object({
  householdName: nameSchema,
  displayName: displayNameSchema.nullish().or(z.literal("").transform(() => null)),
  email: emailSchema,
  password: passwordSchema,
  locale: localeSchema.nullish().catch(null),
  timeZone: timeZoneSchema.nullish().catch(null),
});

export const POST = route({ access: "public", body }, async ({ body }) => {
  const user = await setUpHousehold(await db(), body);
  return Response.json({ id: user.id, email: user.email }, { status: 201 });
});
