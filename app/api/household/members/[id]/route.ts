// PATCH /api/household/members/:id — change role, disable or enable (admins). DELETE — remove the member: their
// account and everything only theirs is deleted at once (lib/privacy/delete.ts), their sessions end on their next request.
import { z } from "zod";
import { db } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { updateMember } from "@/lib/household/members";
import { ROLES } from "@/lib/household/roles";
import { route } from "@/lib/http/route";
import { removeMemberAccount } from "@/lib/privacy/delete";

const body = z.object({ role: z.enum(ROLES).optional(), isDisabled: z.boolean().optional() }).refine((b) => b.role !== undefined || b.isDisabled !== undefined);

type Params = { id: string };

export const PATCH = route<typeof body, Params>(
  { access: { permission: "household:manage" }, body, activity: ({ params, body }) => ({ action: "member.changed", subjectId: params.id, data: { ...body } }) },
  async ({ viewer, body, params }) => updateMember(await db(), viewer.id, params.id, body),
);

// The record names no one removed: an id of theirs would outlive the deletion.
export const DELETE = route<undefined, Params>({ access: { permission: "household:manage" }, activity: { action: "member.removed" } }, async ({ viewer, params }) => {
  await removeMemberAccount(await db(), getEnv().dataDir, viewer.id, params.id);
  return { ok: true };
});
