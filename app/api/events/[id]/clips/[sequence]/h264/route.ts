// The H.264 copy of an H.265 clip, for browsers that cannot decode H.265 (lib/events/playable-copy.ts):
//   POST /api/events/:id/clips/:sequence/h264 — make it (queued, one transcode at a time on the server) unless it
//        exists; answers its state at once ({ state: "queued" | "preparing" | "ready" | … }); the player then polls
//        …/playback for progress.
//   GET  /api/events/:id/clips/:sequence/h264 — the copy, with range requests; 404 until it is ready.
// Same access as the clip (video:watch and the camera's visibility). Downloads stay the original clip's route.
import { db } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { playableCopyQueue, requestPlayableCopy, requirePlayableCopyFile } from "@/lib/events/playable-copy";
import { fileResponse } from "@/lib/http/file-response";
import { route } from "@/lib/http/route";

type Params = { id: string; sequence: string };

/** The camera of each served response, for the activity record. */
const servedCamera = new WeakMap<Response, string | null>();

export const POST = route<undefined, Params>({ access: { permission: "video:watch" } }, async ({ viewer, params }) =>
  requestPlayableCopy(await db(), getEnv().dataDir, viewer, params.id, params.sequence, playableCopyQueue()),
);

export const GET = route<undefined, Params>(
  {
    access: { permission: "video:watch" },
    // Playing the copy is playing the clip (many range requests per play: deduplicated in recordActivity).
    activity: ({ req, params, result }) => (req.method === "HEAD" ? null : { action: "clip.play", targetId: params.id, cameraId: result instanceof Response ? (servedCamera.get(result) ?? null) : null }),
  },
  async ({ viewer, params, req }) => {
    const { event, file } = await requirePlayableCopyFile(await db(), getEnv().dataDir, viewer, params.id, params.sequence);
    const res = fileResponse(file, req, { contentType: "video/mp4" });
    servedCamera.set(res, event.cameraId);
    return res;
  },
);
