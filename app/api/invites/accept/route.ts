// POST /api/invites/accept — public: creates an account with a one-time invite token.
import { z } from "zod";
import { db } from "@/lib/db";
import { displayNameSchema, emailSchema, localeSchema, passwordSchema, timeZoneSchema } from "@/lib/household/identity";
import { acceptInvite } from "@/lib/household/invites";
import { route } from "@/lib/http/route";

const body = z.object({
  token: z.string().min(1).max(200),
  email: emailSchema,
  password: passwordSchema,
  displayName: displayNameSchema.nullish().or(z.literal("").transform(() => null)),
  locale: localeSchema.nullish().catch(null),
  timeZone: timeZoneSchema.nullish().catch(null),
});

export const POST = route({ access: "public", body }, async ({ body }) => {
  const user = await acceptInvite(await db(), body);
  return Response.json({ id: user.id, email: user.email, role: user.role }, { status: 201 });
});
