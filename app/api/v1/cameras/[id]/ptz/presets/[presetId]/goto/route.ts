// POST /api/v1/cameras/:id/ptz/presets/:presetId/goto — send a PTZ camera to a saved position (lib/api/operations.ts).
import { gotoPtzPresetOp } from "@/lib/api/operations";
import { ptzPresetSchema } from "@/lib/api/schemas";
import { db } from "@/lib/db";
import { route } from "@/lib/http/route";
import { gotoPreset } from "@/lib/ptz/ptz";
import { getSecrets } from "@/lib/secrets";

type Params = { id: string; presetId: string };

export const POST = route<undefined, Params>(
  { access: gotoPtzPresetOp.access, activity: ({ params }) => ({ action: "ptz.goto_preset", cameraId: params.id, targetId: params.presetId }) },
  async ({ viewer, params }) => ptzPresetSchema.parse(await gotoPreset(await db(), viewer, params.id, params.presetId, getSecrets().credentialsKey)),
);
