// POST /api/cameras/:id/ptz/detect — ask an ONVIF camera again whether it can pan, tilt or zoom, and remember the answer
// (admins). 409 no_ptz for a camera added by its stream address.
import { db } from "@/lib/db";
import { route } from "@/lib/http/route";
import { detectPtz } from "@/lib/ptz/ptz";
import { getSecrets } from "@/lib/secrets";

export const POST = route<undefined, { id: string }>(
  { access: { permission: "cameras:manage" }, activity: ({ params }) => ({ action: "camera.changed", cameraId: params.id, data: { fields: ["ptz"] } }) },
  async ({ params }) => detectPtz(await db(), params.id, getSecrets().credentialsKey),
);
