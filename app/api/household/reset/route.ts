// POST /api/household/reset { password, confirmation } — the owner deletes the household: a factory reset
// (lib/privacy/reset.ts). The household's name must be typed as confirmation. Nightjar restarts on new keys.
import { z } from "zod";
import { db } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { passwordSchema } from "@/lib/household/identity";
import { route } from "@/lib/http/route";
import { resetHousehold } from "@/lib/privacy/reset";
import { scheduleRestart } from "@/lib/privacy/restart";

const body = z.object({ password: passwordSchema, confirmation: z.string().max(200) });

export const POST = route({ access: { permission: "household:manage" }, body }, async ({ viewer, body }) => {
  const result = await resetHousehold(await db(), getEnv().dataDir, viewer.id, body);
  if (result.restartRequired) scheduleRestart();
  return { ok: true, restarting: result.restartRequired };
});
