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
import { isDownloadRequest, mediaActivity } from "@/lib/http/media-activity";
import { route } from "@/lib/http/route";

type Params = { id: string; sequence: string };

/** Plays and downloads; the camera of each served response, for the activity record. */
const media = mediaActivity<Params>("clip", { downloadData: (p) => ({ sequence: Number(p.sequence) }) });

export const GET = route<undefined, Params>(
  {
    access: { permission: "video:watch" },
    activity: media.activity,
  },
  async ({ viewer, params, req }) => {
    if (isDownloadRequest(req)) requirePermission(viewer.role, "events:download");
    const { event, clip, file } = await requireClipFile(await db(), getEnv().dataDir, viewer, params.id, params.sequence);
    const res = fileResponse(file, req, { contentType: "video/mp4" });
    if (isDownloadRequest(req)) res.headers.set("content-disposition", contentDisposition(clipDownloadName(event.cameraName, clip.startedAt, viewerTimeZone(viewer))));
    return media.note(res, event.cameraId);
  },
);
