// PATCH /api/v1/cameras/:id/zones/:zoneId { enabled?, sensitivity? } — one motion zone on or off, its sensitivity
// (lib/api/operations.ts updateMotionZone).
import { patchZone } from "@/lib/api/operations";
import { readParams } from "@/lib/api/request";
import { motionZoneResponseSchema, zoneParams } from "@/lib/api/schemas";
import { requireCameraAccess } from "@/lib/cameras/access";
import { updateMotionZone } from "@/lib/cameras/motion-settings";
import { db } from "@/lib/db";
import { route } from "@/lib/http/route";

type Params = { id: string; zoneId: string };

export const PATCH = route<typeof patchZone.body, Params>(
  {
    access: patchZone.access,
    body: patchZone.body,
    activity: ({ params, body }) => ({ action: "zone.changed", cameraId: params.id, targetId: params.zoneId, data: { fields: Object.keys(body) } }),
  },
  async ({ viewer, params, body }) => {
    const { id, zoneId } = readParams(params, zoneParams);
    const d = await db();
    await requireCameraAccess(d, viewer, id);
    return motionZoneResponseSchema.parse(await updateMotionZone(d, id, zoneId, body, viewer.id));
  },
);
