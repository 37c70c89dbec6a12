// GET /api/v1/timelapses/:id/video — a ready timelapse's MP4 as an attachment named after the camera and the day or span,
// with range requests (lib/timelapse/timelapses.ts; lib/api/operations.ts downloadTimelapse). 404 while it is not made,
// when it failed, or for a camera I do not see.
import { getTimelapseVideo } from "@/lib/api/operations";
import { readParams } from "@/lib/api/request";
import { timelapseParams } from "@/lib/api/schemas";
import { db } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { contentDisposition, timelapseDownloadName } from "@/lib/events/download-name";
import { viewerTimeZone } from "@/lib/events/filters";
import { fileResponse } from "@/lib/http/file-response";
import { mediaActivity } from "@/lib/http/media-activity";
import { route } from "@/lib/http/route";
import { requireTimelapseFile } from "@/lib/timelapse/timelapses";

type Params = { id: string };

/** Every request is a download (an attachment); the camera of each served response, for the activity record. */
const media = mediaActivity<Params>("timelapse", { attachmentOnly: true });

export const GET = route<undefined, Params>(
  {
    access: getTimelapseVideo.access,
    activity: media.activity,
  },
  async ({ viewer, params, req }) => {
    const { id } = readParams(params, timelapseParams);
    const { timelapse, file } = await requireTimelapseFile(await db(), getEnv().dataDir, viewer, id);
    const res = fileResponse(file, req, { contentType: "video/mp4" });
    const name = timelapseDownloadName(timelapse.cameraName, { day: timelapse.day, from: new Date(timelapse.from), to: new Date(timelapse.to) }, viewerTimeZone(viewer));
    res.headers.set("content-disposition", contentDisposition(name));
    return media.note(res, timelapse.cameraId);
  },
);
