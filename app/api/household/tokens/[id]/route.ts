// DELETE /api/household/tokens/:id — revoke any member's token (admins). Session only: tokens never manage tokens.
import { revokeApiToken } from "@/lib/auth/api-tokens";
import { db } from "@/lib/db";
import { route } from "@/lib/http/route";

export const DELETE = route<undefined, { id: string }>(
  { access: { permission: "household:manage" }, activity: ({ params, result }) => ({ action: "token.revoked", targetId: params.id, subjectId: (result as { memberId: string }).memberId }) },
  async ({ params }) => {
    const database = await db();
    const token = await revokeApiToken(database, params.id, null, new Date());
    return { token, memberId: token.memberId };
  },
);
