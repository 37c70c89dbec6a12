// GET /api/timelapses[?camera=<id>] — the timelapses I may see (the cameras I see), newest first: days the recorder
// captured and ranges members asked for, each with its status. POST { cameraId, from, to } — ask for a timelapse of a
// camera's stored frames from `from` to `to` (ISO instants with a zone; admins and members: timelapse:make); the
// scheduler makes it. 201 with the queued timelapse.
import { z } from "zod";
import { db } from "@/lib/db";
import { route } from "@/lib/http/route";
import { listTimelapses, requestTimelapse, type TimelapseView } from "@/lib/timelapse/timelapses";

const body = z.object({
  cameraId: z.string().trim().min(1).max(100),
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
});

export const GET = route({ access: { permission: "video:watch" } }, async ({ viewer, req }) => {
  const camera = new URL(req.url).searchParams.get("camera")?.trim() || null;
  return { timelapses: await listTimelapses(await db(), viewer, { cameraId: camera }) };
});

export const POST = route<typeof body>(
  {
    access: { permission: "timelapse:make" },
    body,
    successStatus: 201,
    activity: ({ result }) => {
      const t = (result as { timelapse: TimelapseView }).timelapse;
      return { action: "timelapse.request", targetId: t.id, cameraId: t.cameraId, data: { from: t.from, to: t.to } };
    },
  },
  async ({ viewer, body }) => ({ timelapse: await requestTimelapse(await db(), viewer, { cameraId: body.cameraId, from: new Date(body.from), to: new Date(body.to) }) }),
);
