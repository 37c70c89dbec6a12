// POST /api/household/modes/active { mode } — switch the household mode from the app (admins and members: modes:switch).
// switchMode records the activity (mode.switch) itself.
import { z } from "zod";
import { listApiModes } from "@/lib/api/present";
import { db } from "@/lib/db";
import { route } from "@/lib/http/route";
import { switchMode } from "@/lib/modes/modes";

const body = z.object({ mode: z.string().trim().min(1).max(80) });

export const POST = route({ access: { permission: "modes:switch" }, body }, async ({ viewer, body }) => {
  const d = await db();
  await switchMode(d, body.mode, { via: "ui", actorId: viewer.id });
  return listApiModes(d, viewer);
});
