// GET /api/cameras/:id/access — who (besides admins) may see this camera. PUT { userIds } — set that list (admins).
import { z } from "zod";
import { listCameraAccess, setCameraAccess } from "@/lib/cameras/access";
import { db } from "@/lib/db";
import { route } from "@/lib/http/route";

type Params = { id: string };
const body = z.object({ userIds: z.array(z.string().max(64)).max(500) });

export const GET = route<undefined, Params>({ access: { permission: "cameras:manage" } }, async ({ params }) => ({ members: await listCameraAccess(await db(), params.id) }));

export const PUT = route<typeof body, Params>({ access: { permission: "cameras:manage" }, body }, async ({ params, body }) => {
  await setCameraAccess(await db(), params.id, body.userIds);
  return { members: await listCameraAccess(await db(), params.id) };
});
