// PUT /api/cameras/:id/ptz/settings — the camera's home position (a saved position) and after how many minutes
// without a command it goes back there (admins).
import { db } from "@/lib/db";
import { route } from "@/lib/http/route";
import { setPtzSettings } from "@/lib/ptz/ptz";
import { ptzSettingsSchema } from "@/lib/ptz/settings";

type Params = { id: string };

export const PUT = route<typeof ptzSettingsSchema, Params>(
  {
    access: { permission: "cameras:manage" },
    body: ptzSettingsSchema,
    activity: ({ params, body }) => ({ action: "ptz.settings_changed", cameraId: params.id, data: { homePresetId: body.homePresetId, returnAfterMinutes: body.returnAfterMinutes } }),
  },
  async ({ viewer, params, body }) => ({ settings: await setPtzSettings(await db(), viewer, params.id, body) }),
);
