// GET /api/cameras — the cameras I may see, with status. POST — add a camera (admins): the main stream is probed
// first, so an unreachable camera or a wrong password is refused and nothing is saved.
import { z } from "zod";
import { probeCameraStream } from "@/lib/cameras/add";
import { createCamera, listCamerasFor } from "@/lib/cameras/cameras";
import { db } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { route } from "@/lib/http/route";
import { getSecrets } from "@/lib/secrets";
import { nameSchema } from "@/lib/household/identity";

const optionalText = (max: number) => z.string().trim().max(max).nullish().transform((v) => v || null);
const cameraBody = z.object({
  name: nameSchema,
  mainStreamUrl: z.string().max(2048),
  subStreamUrl: optionalText(2048),
  username: z.string().max(256).optional(),
  password: z.string().max(256).optional(),
  onvifUrl: z.url().max(2048).nullish(),
  /** What "identify" found (POST /api/cameras/onvif): the PTZ service and profile; kept only with onvifUrl on the same host. */
  ptz: z.object({ xaddr: z.url().max(2048), profileToken: z.string().min(1).max(64) }).nullish(),
  manufacturer: optionalText(120),
  model: optionalText(120),
  firmware: optionalText(120),
  serial: optionalText(120),
  retentionDays: z.number().int().min(1).max(3650).optional(),
});

export const GET = route({ access: { permission: "video:watch" } }, async ({ viewer }) => ({ cameras: await listCamerasFor(await db(), viewer) }));

export const POST = route(
  {
    access: { permission: "cameras:manage" },
    body: cameraBody,
    successStatus: 201,
    // The new camera's id, so the household's activity log can say which camera was added.
    activity: ({ result }) => ({ action: "camera.added", cameraId: (result as { camera: { id: string } }).camera.id }),
  },
  async ({ body, viewer }) => {
    const credentials = body.username || body.password ? { username: body.username ?? "", password: body.password ?? "" } : null;
    const report = await probeCameraStream(getEnv().FFPROBE_PATH, { url: body.mainStreamUrl, credentials }, "mainStreamUrl");
    const camera = await createCamera(await db(), { ...body, credentials }, getSecrets().credentialsKey, viewer.id);
    return { camera, probe: report };
  },
);
