// DELETE /api/household/invites/:id — withdraw an open invite (admins).
import { db } from "@/lib/db";
import { revokeInvite } from "@/lib/household/invites";
import { route } from "@/lib/http/route";

export const DELETE = route<undefined, { id: string }>({ access: { permission: "household:manage" } }, async ({ params }) => {
  await revokeInvite(await db(), params.id);
  return { ok: true };
});
