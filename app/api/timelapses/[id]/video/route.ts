// GET /api/timelapses/:id/video[?download=1] — a ready timelapse's MP4, with range requests (seeking). With download=1
// (events:download) it is an attachment named "<camera> timelapse <day>.mp4" (a range: "<from>–<to>", my time zone).
// 404 while it is not made, when it failed, or for a camera I do not see.
import { db } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { contentDisposition, timelapseDownloadName } from "@/lib/events/download-name";
import { viewerTimeZone } from "@/lib/events/filters";
import { requirePermission } from "@/lib/household/roles";
import { fileResponse } from "@/lib/http/file-response";
import { route } from "@/lib/http/route";
import { requireTimelapseFile } from "@/lib/timelapse/timelapses";

type Params = { id: string };

/** The camera of each served response, for the activity record (route() hands the activity function the Response). */
const servedCamera = new WeakMap<Response, string | null>();

const isDownload = (req: Request) => new URL(req.url).searchParams.get("download") === "1";

export const GET = route<undefined, Params>(
  {
    access: { permission: "video:watch" },
    activity: ({ req, params, result }) => {
      if (req.method === "HEAD") return null;
      const cameraId = result instanceof Response ? (servedCamera.get(result) ?? null) : null;
      if (isDownload(req)) {
        // A download resumed with a Range request is the same download.
        const range = req.headers.get("range");
        if (range && !/^bytes=0-/.test(range.trim())) return null;
        return { action: "timelapse.download", targetId: params.id, cameraId };
      }
      return { action: "timelapse.play", targetId: params.id, cameraId }; // many range requests per play: deduplicated in recordActivity
    },
  },
  async ({ viewer, params, req }) => {
    if (isDownload(req)) requirePermission(viewer.role, "events:download");
    const { timelapse, file } = await requireTimelapseFile(await db(), getEnv().dataDir, viewer, params.id);
    const res = fileResponse(file, req, { contentType: "video/mp4" });
    if (isDownload(req)) {
      const name = timelapseDownloadName(timelapse.cameraName, { day: timelapse.day, from: new Date(timelapse.from), to: new Date(timelapse.to) }, viewerTimeZone(viewer));
      res.headers.set("content-disposition", contentDisposition(name));
    }
    servedCamera.set(res, timelapse.cameraId);
    return res;
  },
);
