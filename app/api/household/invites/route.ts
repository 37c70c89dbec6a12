// GET /api/household/invites — open invites (admins). POST — create a one-time invite link.
import { z } from "zod";
import { db } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { emailSchema } from "@/lib/household/identity";
import { createInvite, listPendingInvites } from "@/lib/household/invites";
import { ROLES } from "@/lib/household/roles";
import { route } from "@/lib/http/route";

const body = z.object({ role: z.enum(ROLES), email: emailSchema.nullish().or(z.literal("").transform(() => null)) });

export const GET = route({ access: { permission: "household:manage" } }, async () => ({ invites: await listPendingInvites(await db()) }));

export const POST = route({ access: { permission: "household:manage" }, body, activity: ({ body }) => ({ action: "member.invited", data: { role: body.role, via: "link" } }) }, async ({ viewer, body, req }) => {
  const { invite, token } = await createInvite(await db(), viewer.id, body);
  // The link uses the address the admin is using, so it works on the LAN even when PUBLIC_URL is not set.
  const origin = req.headers.get("origin") ?? getEnv().publicUrl;
  return Response.json({ invite, url: `${origin}/invite/${token}` }, { status: 201 });
});
