// GET /api/cameras/:id — one camera with status (members with access). PATCH — change it (admins).
// DELETE ?recordings=keep|delete — remove it (admins).
import { z } from "zod";
import { deleteCamera, getCameraFor, updateCamera } from "@/lib/cameras/cameras";
import { db } from "@/lib/db";
import { route } from "@/lib/http/route";
import { getEnv } from "@/lib/env";
import { existingLiveIngestManager } from "@/lib/live/live";
import { getSecrets } from "@/lib/secrets";
import { nameSchema } from "@/lib/household/identity";

type Params = { id: string };

const optionalText = (max: number) => z.string().trim().max(max).nullish().transform((v) => v || null);
const body = z.object({
  name: nameSchema.optional(),
  isEnabled: z.boolean().optional(),
  recordingEnabled: z.boolean().optional(),
  /** Keep the camera's sound in clips and play it live (off by default: conversations are legally sensitive). */
  recordSound: z.boolean().optional(),
  mainStreamUrl: z.string().max(2048).optional(),
  subStreamUrl: optionalText(2048).optional(),
  retentionDays: z.number().int().min(1).max(3650).optional(),
  /** Both given: replace the credentials; clearCredentials: remove them. */
  username: z.string().max(256).optional(),
  password: z.string().max(256).optional(),
  clearCredentials: z.boolean().optional(),
});

export const GET = route<undefined, Params>({ access: { permission: "video:watch" } }, async ({ viewer, params }) => getCameraFor(await db(), viewer, params.id));

// Activity: which fields changed (credentials as one name, never values).
const changedFields = (b: z.output<typeof body>) => [...new Set(Object.keys(b).map((k) => (k === "username" || k === "password" || k === "clearCredentials" ? "credentials" : k)))];

export const PATCH = route<typeof body, Params>({ access: { permission: "cameras:manage" }, body, activity: ({ params, body }) => ({ action: "camera.changed", cameraId: params.id, data: { fields: changedFields(body) } }) }, async ({ viewer, params, body }) => {
  const { username, password, clearCredentials, ...rest } = body;
  const credentials = clearCredentials ? null : username !== undefined || password !== undefined ? { username: username ?? "", password: password ?? "" } : undefined;
  return updateCamera(await db(), params.id, { ...rest, credentials }, getSecrets().credentialsKey, viewer.id);
});

export const DELETE = route<undefined, Params>(
  {
    access: { permission: "cameras:manage" },
    activity: ({ params, req }) => ({ action: "camera.deleted", cameraId: params.id, data: { recordings: new URL(req.url).searchParams.get("recordings") === "delete" ? "delete" : "keep" } }),
  },
  async ({ params, req }) => {
    const recordings = new URL(req.url).searchParams.get("recordings") === "delete" ? "delete" : "keep";
    await deleteCamera(await db(), params.id, recordings, getEnv().dataDir);
    // A viewer's on-request ingest stops pulling at once and its folders go (the recorder's ring goes with its recorder).
    existingLiveIngestManager()?.stopCamera(params.id, "camera deleted");
    return { ok: true };
  },
);
