// POST /api/account/sign-out-everywhere — ends all my sessions (this one too) on their next request.
import { signOutEverywhere } from "@/lib/account/profile";
import { db } from "@/lib/db";
import { route } from "@/lib/http/route";

export const POST = route({ access: { allowPendingPasswordChange: true }, activity: { action: "auth.sign_out_everywhere" } }, async ({ viewer }) => {
  await signOutEverywhere(await db(), viewer.id);
  return { ok: true };
});
