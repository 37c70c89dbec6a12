// GET /api/v1/cameras/:id/ptz — where a PTZ camera points and its saved positions. POST — one command (continuous move,
// stop, relative step, absolute position). Admins and members who see the camera, with the ptz:control scope
// (lib/api/operations.ts).
import { getPtzOp, movePtzOp } from "@/lib/api/operations";
import { ptzMovedSchema, ptzStateSchema } from "@/lib/api/schemas";
import { db } from "@/lib/db";
import { route } from "@/lib/http/route";
import { getPtz, movePtz } from "@/lib/ptz/ptz";
import { getSecrets } from "@/lib/secrets";

type Params = { id: string };

export const GET = route<undefined, Params>({ access: getPtzOp.access }, async ({ viewer, params }) => ptzStateSchema.parse(await getPtz(await db(), viewer, params.id, getSecrets().credentialsKey)));

export const POST = route<typeof movePtzOp.body, Params>(
  {
    access: movePtzOp.access,
    body: movePtzOp.body,
    activity: ({ params, body }) => (body.action === "stop" ? null : { action: "ptz.move", cameraId: params.id, data: { action: body.action } }),
  },
  async ({ viewer, params, body }) => ptzMovedSchema.parse(await movePtz(await db(), viewer, params.id, body, getSecrets().credentialsKey)),
);
