// PUT /api/v1/cameras/:id/armed { armed } — arm or disarm motion detection (MotionSettings.armed; lib/api/operations.ts).
import { putArmed } from "@/lib/api/operations";
import { armedSchema } from "@/lib/api/schemas";
import { requireCameraAccess } from "@/lib/cameras/access";
import { setCameraArmed } from "@/lib/cameras/motion-settings";
import { db } from "@/lib/db";
import { route } from "@/lib/http/route";

type Params = { id: string };

export const PUT = route<typeof putArmed.body, Params>(
  { access: putArmed.access, body: putArmed.body, activity: ({ params, body }) => ({ action: body.armed ? "camera.armed" : "camera.disarmed", cameraId: params.id }) },
  async ({ viewer, params, body }) => {
    const d = await db();
    await requireCameraAccess(d, viewer, params.id);
    const config = await setCameraArmed(d, params.id, body.armed, viewer.id);
    return armedSchema.parse({ cameraId: params.id, armed: config.armed });
  },
);
