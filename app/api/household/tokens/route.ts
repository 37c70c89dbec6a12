// GET /api/household/tokens — every member's personal access tokens with their member (admins; never the token or
// its hash). Session only: tokens never manage tokens.
import { listHouseholdTokens } from "@/lib/auth/api-tokens";
import { db } from "@/lib/db";
import { route } from "@/lib/http/route";

export const GET = route({ access: { permission: "household:manage" } }, async () => ({ tokens: await listHouseholdTokens(await db(), new Date()) }));
