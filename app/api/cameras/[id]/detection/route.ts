// GET /api/cameras/:id/detection — object detection settings (admins) with the label catalogue, the defaults, the
// camera's detection zones and the detector's model. PUT — replace them (on/off, labels, scores, what to record, rate,
// zones that require labels); the recorder applies them without a restart.
import { db } from "@/lib/db";
import { getDetectionSettings, setDetectionSettings } from "@/lib/cameras/detection-settings";
import { detectionSettingsSchema } from "@/lib/detection/settings";
import { route } from "@/lib/http/route";

type Params = { id: string };

export const GET = route<undefined, Params>({ access: { permission: "cameras:manage" } }, async ({ params }) => getDetectionSettings(await db(), params.id));

export const PUT = route<typeof detectionSettingsSchema, Params>(
  {
    access: { permission: "cameras:manage" },
    body: detectionSettingsSchema,
    activity: ({ params, body }) => ({ action: "camera.detection_changed", cameraId: params.id, data: { enabled: body.enabled, record: body.record } }),
  },
  async ({ params, body, viewer }) => setDetectionSettings(await db(), params.id, body, viewer.id),
);
