// POST /api/v1/modes/active { mode } — switch the household mode (id, key or name; lib/api/operations.ts switchMode).
// switchMode records the activity itself (mode.switch, with the token), as it does for the schedule and MQTT.
import { switchModeOp } from "@/lib/api/operations";
import { listApiModes } from "@/lib/api/present";
import { db } from "@/lib/db";
import { route } from "@/lib/http/route";
import { switchMode } from "@/lib/modes/modes";

export const POST = route<typeof switchModeOp.body>({ access: switchModeOp.access, body: switchModeOp.body }, async ({ viewer, body }) => {
  const d = await db();
  await switchMode(d, body.mode, { via: viewer.token ? "api" : "ui", actorId: viewer.id, tokenId: viewer.token && !viewer.token.isSignedUrl ? viewer.token.id : undefined });
  return listApiModes(d, viewer);
});
