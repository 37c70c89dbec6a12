// GET /api/cameras/:id/snapshot[?download=1] — a JPEG of the camera's picture right now, for members who may see the
// camera; refused for a disabled camera (404) and a camera in privacy mode (409), like live view; logged like live view.
import { takeSnapshot } from "@/lib/cameras/snapshot";
import { db } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { route } from "@/lib/http/route";
import { getSecrets } from "@/lib/secrets";

export const GET = route<undefined, { id: string }>(
  { access: { permission: "video:watch" }, activity: ({ params }) => ({ action: "camera.snapshot", cameraId: params.id }) },
  async ({ viewer, params, req }) => {
    const { jpeg, cameraName } = await takeSnapshot(await db(), viewer, params.id, { ffmpegPath: getEnv().FFMPEG_PATH, credentialsKey: getSecrets().credentialsKey });
    const headers: Record<string, string> = { "content-type": "image/jpeg", "cache-control": "no-store" };
    if (new URL(req.url).searchParams.get("download") === "1") headers["content-disposition"] = `attachment; filename="${cameraName.replace(/[^\w.-]/g, "_")}-${new Date().toISOString().replace(/[:.]/g, "-")}.jpg"`;
    return new Response(new Uint8Array(jpeg), { headers });
  },
);
