// PATCH /api/cameras/:id/ptz/presets/:presetId {name} — rename a saved position (the camera does not move).
// DELETE — delete it, in the camera too (admins and members who see the camera).
import { z } from "zod";
import { db } from "@/lib/db";
import { route } from "@/lib/http/route";
import { deletePreset, renamePreset } from "@/lib/ptz/ptz";
import { getSecrets } from "@/lib/secrets";

type Params = { id: string; presetId: string };
const body = z.object({ name: z.string().max(1000) });

export const PATCH = route<typeof body, Params>(
  { access: { permission: "ptz:control" }, body, activity: ({ params }) => ({ action: "ptz.preset_renamed", cameraId: params.id, targetId: params.presetId }) },
  async ({ viewer, params, body }) => ({ preset: await renamePreset(await db(), viewer, params.id, params.presetId, body.name) }),
);

export const DELETE = route<undefined, Params>(
  { access: { permission: "ptz:control" }, activity: ({ params }) => ({ action: "ptz.preset_deleted", cameraId: params.id, targetId: params.presetId }) },
  async ({ viewer, params }) => ({ preset: await deletePreset(await db(), viewer, params.id, params.presetId, getSecrets().credentialsKey) }),
);
