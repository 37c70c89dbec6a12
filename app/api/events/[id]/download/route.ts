// GET /api/events/:id/download — the whole event as one MP4 attachment: its clips joined without re-encoding
// (lib/events/event-file.ts), named "<camera> <YYYY-MM-DD HH-mm-ss> event.mp4" in my time zone. 409
// event_not_joinable when the clips' formats differ (their per-clip downloads stay); 404 when no clip is left.
// ?check=1 answers { joinable } instead (the player asks before it offers the download).
import fs from "node:fs";
import { Readable } from "node:stream";
import { db } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { contentDisposition, eventDownloadName } from "@/lib/events/download-name";
import { isEventJoinable, openEventFile } from "@/lib/events/event-file";
import { viewerTimeZone } from "@/lib/events/filters";
import { servedCameras } from "@/lib/http/media-activity";
import { route } from "@/lib/http/route";

type Params = { id: string };

const isCheck = (req: Request) => new URL(req.url).searchParams.get("check") === "1";

/** The camera of each served response, for the activity record. */
const served = servedCameras();

export const GET = route<undefined, Params>(
  {
    access: { permission: "events:download" },
    activity: ({ req, params, result }) => (req.method === "HEAD" || isCheck(req) ? null : { action: "event.download", targetId: params.id, cameraId: served.of(result) }),
  },
  async ({ viewer, params, req }) => {
    const env = getEnv();
    if (isCheck(req)) return { joinable: await isEventJoinable(await db(), env.dataDir, viewer, params.id) };
    const file = await openEventFile(await db(), env.dataDir, env.FFMPEG_PATH, viewer, params.id);
    const body = Readable.toWeb(fs.createReadStream("", { fd: file.fd, autoClose: true })) as ReadableStream;
    const res = new Response(body, {
      headers: {
        "content-type": "video/mp4",
        "content-length": String(file.size),
        "content-disposition": contentDisposition(eventDownloadName(file.cameraName, file.startedAt, viewerTimeZone(viewer))),
        "cache-control": "private, no-store",
        "x-content-type-options": "nosniff",
      },
    });
    return served.note(res, file.cameraId);
  },
);
