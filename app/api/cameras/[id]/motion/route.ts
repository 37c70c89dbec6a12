// GET /api/cameras/:id/motion — motion settings (admins). PUT — replace them (sensitivity, zones, schedule, clip times).
import { db } from "@/lib/db";
import { getMotionSettings, setMotionSettings } from "@/lib/cameras/motion-settings";
import { route } from "@/lib/http/route";
import { motionConfigSchema } from "@/lib/motion/config";

type Params = { id: string };

export const GET = route<undefined, Params>({ access: { permission: "cameras:manage" } }, async ({ params }) => getMotionSettings(await db(), params.id));

export const PUT = route<typeof motionConfigSchema, Params>({ access: { permission: "cameras:manage" }, body: motionConfigSchema }, async ({ params, body, viewer }) =>
  setMotionSettings(await db(), params.id, body, viewer.id),
);
