// POST /api/cameras/:id/ptz/presets {name} — save where the camera points now as a named position (admins and members
// who see the camera). Names are unique per camera, 1–64 characters.
import { z } from "zod";
import { db } from "@/lib/db";
import { route } from "@/lib/http/route";
import { savePreset } from "@/lib/ptz/ptz";
import { getSecrets } from "@/lib/secrets";

type Params = { id: string };
const body = z.object({ name: z.string().max(1000) });

export const POST = route<typeof body, Params>(
  {
    access: { permission: "ptz:control" },
    body,
    successStatus: 201,
    activity: ({ params, result }) => ({ action: "ptz.preset_saved", cameraId: params.id, targetId: (result as { preset: { id: string } }).preset.id }),
  },
  async ({ viewer, params, body }) => ({ preset: await savePreset(await db(), viewer, params.id, body.name, getSecrets().credentialsKey) }),
);
