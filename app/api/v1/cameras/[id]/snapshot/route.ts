// GET /api/v1/cameras/:id/snapshot — a JPEG of the camera's picture now; with a token or a signed URL
// (lib/api/operations.ts getSnapshot). Refused like the app's: disabled 404, privacy mode 409.
import { getSnapshot } from "@/lib/api/operations";
import { takeSnapshot } from "@/lib/cameras/snapshot";
import { db } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { route } from "@/lib/http/route";
import { getSecrets } from "@/lib/secrets";

type Params = { id: string };

export const GET = route<undefined, Params>(
  { access: getSnapshot.access, activity: ({ params, req }) => (req.method === "HEAD" ? null : { action: "camera.snapshot", cameraId: params.id }) },
  async ({ viewer, params }) => {
    const { jpeg } = await takeSnapshot(await db(), viewer, params.id, { ffmpegPath: getEnv().FFMPEG_PATH, credentialsKey: getSecrets().credentialsKey });
    return new Response(new Uint8Array(jpeg), { headers: { "content-type": "image/jpeg", "cache-control": "no-store" } });
  },
);
