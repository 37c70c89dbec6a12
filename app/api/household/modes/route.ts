// GET /api/household/modes — the household's modes and the one in force (any member; per-camera settings only for
// the cameras they see). POST { name } — add a mode (admins; every camera armed and notifying, no schedule).
import { listApiModes } from "@/lib/api/present";
import { db } from "@/lib/db";
import { route } from "@/lib/http/route";
import { createMode, createModeInput } from "@/lib/modes/modes";

export const GET = route({ access: { permission: "video:watch" } }, async ({ viewer }) => listApiModes(await db(), viewer));

export const POST = route(
  { access: { permission: "settings:manage" }, body: createModeInput, successStatus: 201, activity: ({ result }) => ({ action: "mode.created", targetId: (result as { mode: { id: string } }).mode.id }) },
  async ({ body }) => ({ mode: await createMode(await db(), body) }),
);
