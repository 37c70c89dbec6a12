// GET /api/household/members — the household (admins). POST — create an account with a temporary password.
import { z } from "zod";
import { db } from "@/lib/db";
import { displayNameSchema, emailSchema, passwordSchema } from "@/lib/household/identity";
import { createMember, listMembers } from "@/lib/household/members";
import { ROLES } from "@/lib/household/roles";
import { route } from "@/lib/http/route";

const body = z.object({
  email: emailSchema,
  role: z.enum(ROLES),
  displayName: displayNameSchema.nullish().or(z.literal("").transform(() => null)),
  temporaryPassword: passwordSchema,
});

export const GET = route({ access: { permission: "household:manage" } }, async () => ({ members: await listMembers(await db()) }));

export const POST = route({ access: { permission: "household:manage" }, body, activity: ({ body }) => ({ action: "member.invited", data: { role: body.role, via: "account" } }) }, async ({ body }) => {
  const member = await createMember(await db(), body);
  return Response.json(member, { status: 201 });
});
