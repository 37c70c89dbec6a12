// GET /api/events/:id/clips/:sequence[?download=1] — one MP4 clip of an event, with range requests (seeking). With
// download=1 it is an attachment named "<camera> <YYYY-MM-DD HH-mm-ss>.mp4" in my time zone. A clip whose file is
// missing answers 404 and its rows are cleaned up (lib/events/media.ts).
import { db } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { clipDownloadName, contentDisposition } from "@/lib/events/download-name";
import { viewerTimeZone } from "@/lib/events/filters";
import { requireClipFile } from "@/lib/events/media";
import { requirePermission } from "@/lib/household/roles";
import { fileResponse } from "@/lib/http/file-response";
import { isDownloadRequest, isResumedDownload, servedCameras } from "@/lib/http/media-activity";
import { route } from "@/lib/http/route";

type Params = { id: string; sequence: string };

/** The camera of each served response, for the activity record. */
const served = servedCameras();

export const GET = route<undefined, Params>(
  {
    access: { permission: "video:watch" },
    activity: ({ req, params, result }) => {
      if (req.method === "HEAD") return null;
      const cameraId = served.of(result);
      if (isDownloadRequest(req)) {
        if (isResumedDownload(req)) return null;
        return { action: "clip.download", targetId: params.id, cameraId, data: { sequence: Number(params.sequence) } };
      }
      return { action: "clip.play", targetId: params.id, cameraId }; // many range requests per play: deduplicated in recordActivity
    },
  },
  async ({ viewer, params, req }) => {
    if (isDownloadRequest(req)) requirePermission(viewer.role, "events:download");
    const { event, clip, file } = await requireClipFile(await db(), getEnv().dataDir, viewer, params.id, params.sequence);
    const res = fileResponse(file, req, { contentType: "video/mp4" });
    if (isDownloadRequest(req)) res.headers.set("content-disposition", contentDisposition(clipDownloadName(event.cameraName, clip.startedAt, viewerTimeZone(viewer))));
    return served.note(res, event.cameraId);
  },
);
