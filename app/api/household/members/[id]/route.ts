// PATCH /api/household/members/:id — change role, disable or enable (admins). DELETE — remove the member.
import { z } from "zod";
import { db } from "@/lib/db";
import { removeMember, updateMember } from "@/lib/household/members";
import { ROLES } from "@/lib/household/roles";
import { route } from "@/lib/http/route";

const body = z.object({ role: z.enum(ROLES).optional(), isDisabled: z.boolean().optional() }).refine((b) => b.role !== undefined || b.isDisabled !== undefined);

type Params = { id: string };

export const PATCH = route<typeof body, Params>({ access: { permission: "household:manage" }, body }, async ({ viewer, body, params }) =>
  updateMember(await db(), viewer.id, params.id, body),
);

export const DELETE = route<undefined, Params>({ access: { permission: "household:manage" } }, async ({ viewer, params }) => {
  await removeMember(await db(), viewer.id, params.id);
  return { ok: true };
});
