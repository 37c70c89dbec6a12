// POST /api/account/email — change my e-mail; needs my current password.
import { z } from "zod";
import { changeEmail } from "@/lib/account/profile";
import { db } from "@/lib/db";
import { emailSchema, passwordSchema } from "@/lib/household/identity";
import { route } from "@/lib/http/route";

const body = z.object({ email: emailSchema, currentPassword: passwordSchema });

export const POST = route({ access: {}, body, activity: { action: "account.email_changed" } }, async ({ viewer, body }) => changeEmail(await db(), viewer.id, body));
