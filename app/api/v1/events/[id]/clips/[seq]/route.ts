// GET /api/v1/events/:id/clips/:seq — one clip of an event as an MP4 attachment, with range requests
// (lib/events/media.ts; lib/api/operations.ts downloadClip). A missing file answers 404 and its rows are cleaned up.
import { getClip } from "@/lib/api/operations";
import { readParams } from "@/lib/api/request";
import { clipParams } from "@/lib/api/schemas";
import { db } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { clipDownloadName, contentDisposition } from "@/lib/events/download-name";
import { viewerTimeZone } from "@/lib/events/filters";
import { requireClipFile } from "@/lib/events/media";
import { fileResponse } from "@/lib/http/file-response";
import { mediaActivity } from "@/lib/http/media-activity";
import { route } from "@/lib/http/route";

type Params = { id: string; seq: string };

/** Every request is a download (an attachment); the camera of each served response, for the activity record. */
const media = mediaActivity<Params>("clip", { attachmentOnly: true, downloadData: (p) => ({ sequence: Number(p.seq) }) });

export const GET = route<undefined, Params>(
  {
    access: getClip.access,
    activity: media.activity,
  },
  async ({ viewer, params, req }) => {
    const { id, seq } = readParams(params, clipParams);
    const { event, clip, file } = await requireClipFile(await db(), getEnv().dataDir, viewer, id, String(seq));
    const res = fileResponse(file, req, { contentType: "video/mp4" });
    res.headers.set("content-disposition", contentDisposition(clipDownloadName(event.cameraName, clip.startedAt, viewerTimeZone(viewer))));
    return media.note(res, event.cameraId);
  },
);
