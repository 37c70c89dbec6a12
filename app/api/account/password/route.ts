// POST /api/account/password — change my password (also the forced change after a temporary password).
// Ends every session of mine; the browser signs in again with the new password.
import { z } from "zod";
import { changePassword } from "@/lib/account/profile";
import { db } from "@/lib/db";
import { passwordSchema } from "@/lib/household/identity";
import { route } from "@/lib/http/route";

const body = z.object({ currentPassword: passwordSchema, newPassword: passwordSchema });

export const POST = route({ access: { allowPendingPasswordChange: true }, body, activity: { action: "account.password_changed" } }, async ({ viewer, body }) => {
  // The e-mail lets the browser sign in again at once with the new password.
  return changePassword(await db(), viewer.id, body);
});
