// GET /api/timelapses/:id/video[?download=1] — a ready timelapse's MP4, with range requests (seeking). With download=1
// (events:download) it is an attachment named "<camera> timelapse <day>.mp4" (a range: "<from>–<to>", my time zone).
// 404 while it is not made, when it failed, or for a camera I do not see.
import { db } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { contentDisposition, timelapseDownloadName } from "@/lib/events/download-name";
import { viewerTimeZone } from "@/lib/events/filters";
import { requirePermission } from "@/lib/household/roles";
import { fileResponse } from "@/lib/http/file-response";
import { isDownloadRequest, mediaActivity } from "@/lib/http/media-activity";
import { route } from "@/lib/http/route";
import { requireTimelapseFile } from "@/lib/timelapse/timelapses";

type Params = { id: string };

/** Plays and downloads; the camera of each served response, for the activity record. */
const media = mediaActivity<Params>("timelapse");

export const GET = route<undefined, Params>(
  {
    access: { permission: "video:watch" },
    activity: media.activity,
  },
  async ({ viewer, params, req }) => {
    if (isDownloadRequest(req)) requirePermission(viewer.role, "events:download");
    const { timelapse, file } = await requireTimelapseFile(await db(), getEnv().dataDir, viewer, params.id);
    const res = fileResponse(file, req, { contentType: "video/mp4" });
    if (isDownloadRequest(req)) {
      const name = timelapseDownloadName(timelapse.cameraName, { day: timelapse.day, from: new Date(timelapse.from), to: new Date(timelapse.to) }, viewerTimeZone(viewer));
      res.headers.set("content-disposition", contentDisposition(name));
    }
    return media.note(res, timelapse.cameraId);
  },
);
