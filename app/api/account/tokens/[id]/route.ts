// DELETE /api/account/tokens/:id — revoke one of my tokens (another member's: 404). Session only.
import { revokeApiToken } from "@/lib/auth/api-tokens";
import { db } from "@/lib/db";
import { route } from "@/lib/http/route";

export const DELETE = route<undefined, { id: string }>({ access: {}, activity: ({ params }) => ({ action: "token.revoked", targetId: params.id }) }, async ({ viewer, params }) => ({
  token: await revokeApiToken(await db(), params.id, viewer.id, new Date()),
}));
