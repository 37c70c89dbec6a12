// GET /api/activity?scope=me|household&before=<id>&member=<userId>&limit=<n> — my activity (as actor or subject), or
// the household's for admins; newest first, keyset pages (nextBefore).
import { z } from "zod";
import { listActivity } from "@/lib/activity/list";
import { db } from "@/lib/db";
import { route, validationError } from "@/lib/http/route";

const query = z.object({
  scope: z.enum(["me", "household"]).default("me"),
  before: z.coerce.number().int().min(1).optional(),
  member: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});

export const GET = route({ access: {} }, async ({ viewer, req }) => {
  const parsed = query.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!parsed.success) throw validationError(parsed.error);
  const q = parsed.data;
  return listActivity(await db(), viewer, { scope: q.scope, before: q.before, memberId: q.member, limit: q.limit });
});
