// GET /api/v1/cameras/:id/motion — the motion/alarm settings; PUT — replace them (admins; lib/api/operations.ts).
import { getMotion, putMotion } from "@/lib/api/operations";
import { motionSettingsSchema } from "@/lib/api/schemas";
import { requireCameraAccess } from "@/lib/cameras/access";
import { getMotionSettings, setMotionSettings } from "@/lib/cameras/motion-settings";
import { db } from "@/lib/db";
import { route } from "@/lib/http/route";

type Params = { id: string };

export const GET = route<undefined, Params>({ access: getMotion.access }, async ({ viewer, params }) => {
  const d = await db();
  // A token limited to other cameras: 403 (lib/cameras/access.ts applies the limit).
  await requireCameraAccess(d, viewer, params.id);
  return motionSettingsSchema.parse(await getMotionSettings(d, params.id));
});

export const PUT = route<typeof putMotion.body, Params>(
  { access: putMotion.access, body: putMotion.body, activity: ({ params }) => ({ action: "camera.motion_changed", cameraId: params.id }) },
  async ({ viewer, params, body }) => {
    const d = await db();
    await requireCameraAccess(d, viewer, params.id);
    return motionSettingsSchema.parse(await setMotionSettings(d, params.id, body, viewer.id));
  },
);
