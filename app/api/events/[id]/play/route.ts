// GET /api/events/:id/play — the whole event as one video to play inline, with range requests (seeking): its clips
// joined without re-encoding, made once and cached (lib/events/event-cache.ts; the first request waits for the join,
// seconds for minutes of video). A one-clip event is its clip. `?copy=h264`: the clips' H.264 copies joined instead
// (H.265 events in a browser without an H.265 decoder; 409 copies_not_ready until every copy is made). 409
// event_not_joinable when the formats differ (the player then plays the clips one by one); 404 when no clip is left;
// 400 for another `copy`. Same access as a clip (video:watch and the camera's visibility); recorded as playing the
// event's clips (many range requests per play: deduplicated).
import { db } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { requireEventVideo } from "@/lib/events/event-cache";
import { fileResponse } from "@/lib/http/file-response";
import { servedCameras } from "@/lib/http/media-activity";
import { route } from "@/lib/http/route";

type Params = { id: string };

/** The camera of each served response, for the activity record. */
const served = servedCameras();

export const GET = route<undefined, Params>(
  {
    access: { permission: "video:watch" },
    activity: ({ req, params, result }) => (req.method === "HEAD" ? null : { action: "clip.play", targetId: params.id, cameraId: served.of(result) }),
  },
  async ({ viewer, params, req }) => {
    const env = getEnv();
    const copy = new URL(req.url).searchParams.get("copy");
    if (copy !== null && copy !== "h264") throw new AppError("validation", {}, { copy: "invalid" });
    const video = await requireEventVideo(await db(), env.dataDir, env.FFMPEG_PATH, viewer, params.id, copy === "h264" ? "h264" : "original");
    return served.note(fileResponse(video.file, req, { contentType: "video/mp4" }), video.cameraId);
  },
);
