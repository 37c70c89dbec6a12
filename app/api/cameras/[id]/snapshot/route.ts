// GET /api/cameras/:id/snapshot[?download=1] — a JPEG of the camera's picture right now (members with access).
import { requireCameraAccess } from "@/lib/cameras/access";
import { cameraCredentials } from "@/lib/cameras/cameras";
import { grabSnapshot } from "@/lib/cameras/snapshot";
import { withCredentials } from "@/lib/cameras/stream-url";
import { db } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { route } from "@/lib/http/route";
import { getSecrets } from "@/lib/secrets";

export const GET = route<undefined, { id: string }>({ access: { permission: "video:watch" } }, async ({ viewer, params, req }) => {
  const database = await db();
  await requireCameraAccess(database, viewer, params.id);
  const camera = await database.camera.findUniqueOrThrow({ where: { id: params.id } });
  const url = withCredentials(camera.mainStreamUrl, cameraCredentials(camera, getSecrets().credentialsKey));
  const jpeg = await grabSnapshot(getEnv().FFMPEG_PATH, url);
  const headers: Record<string, string> = { "content-type": "image/jpeg", "cache-control": "no-store" };
  if (new URL(req.url).searchParams.get("download") === "1") headers["content-disposition"] = `attachment; filename="${camera.name.replace(/[^\w.-]/g, "_")}-${new Date().toISOString().replace(/[:.]/g, "-")}.jpg"`;
  return new Response(new Uint8Array(jpeg), { headers });
});
