// POST /api/v1/cameras/:id/signed-url { path?, stream?, ttlSeconds? } — a short-lived URL of this camera's live
// playlist or snapshot for players that cannot send headers (lib/auth/signed-url.ts; lib/api/operations.ts).
import { postSignedUrl } from "@/lib/api/operations";
import { signedUrlSchema } from "@/lib/api/schemas";
import { requireCameraAccess } from "@/lib/cameras/access";
import { createSignedUrl } from "@/lib/auth/signed-url";
import { db } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { route } from "@/lib/http/route";

type Params = { id: string };

export const POST = route<typeof postSignedUrl.body, Params>({ access: postSignedUrl.access, body: postSignedUrl.body }, async ({ viewer, params, body }) => {
  await requireCameraAccess(await db(), viewer, params.id);
  const base = `/api/v1/cameras/${encodeURIComponent(params.id)}/`;
  const path = body.path === "snapshot" ? `${base}snapshot` : `${base}live/${body.stream}/index.m3u8`;
  const signed = createSignedUrl({ viewer, cameraId: params.id, path, ttlSeconds: body.ttlSeconds });
  return signedUrlSchema.parse({ url: new URL(signed.url, getEnv().publicUrl).toString(), expiresAt: signed.expiresAt.toISOString() });
});
