// POST /api/cameras/:id/ptz/presets/:presetId/goto — send the camera to a saved position (admins and members who see it).
import { db } from "@/lib/db";
import { route } from "@/lib/http/route";
import { gotoPreset } from "@/lib/ptz/ptz";
import { getSecrets } from "@/lib/secrets";

type Params = { id: string; presetId: string };

export const POST = route<undefined, Params>(
  { access: { permission: "ptz:control" }, activity: ({ params }) => ({ action: "ptz.goto_preset", cameraId: params.id, targetId: params.presetId }) },
  async ({ viewer, params }) => ({ preset: await gotoPreset(await db(), viewer, params.id, params.presetId, getSecrets().credentialsKey) }),
);
