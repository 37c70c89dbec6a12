// GET /api/cameras/:id/ptz — where a camera that can pan, tilt and zoom points, whether it moves, its saved positions
// and its home settings (anyone who may see the camera; 409 no_ptz for a fixed camera). POST — one command: a
// continuous move (hold-to-move: until stop or timeoutMs), stop, a relative step or an absolute position (admins and
// members who see the camera; never viewers). Steering is logged once a minute per member and camera.
import { ptzCommandBody as body } from "@/lib/api/schemas";
import { db } from "@/lib/db";
import { route } from "@/lib/http/route";
import { getPtz, movePtz } from "@/lib/ptz/ptz";
import { getSecrets } from "@/lib/secrets";

type Params = { id: string };

export const GET = route<undefined, Params>({ access: { permission: "video:watch" } }, async ({ viewer, params }) => ({ ptz: await getPtz(await db(), viewer, params.id, getSecrets().credentialsKey) }));

export const POST = route<typeof body, Params>(
  {
    access: { permission: "ptz:control" },
    body,
    activity: ({ params, body }) => (body.action === "stop" ? null : { action: "ptz.move", cameraId: params.id, data: { action: body.action } }),
  },
  async ({ viewer, params, body }) => movePtz(await db(), viewer, params.id, body, getSecrets().credentialsKey),
);
