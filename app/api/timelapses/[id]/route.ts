// GET /api/timelapses/:id — one timelapse I may see (404 for one of a camera I do not see). DELETE — delete it with its
// video (and a day's frames: a range can no longer be made from them); events:delete (admins and members).
import { db } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { route } from "@/lib/http/route";
import { deleteTimelapseFor, requireTimelapse, type TimelapseView } from "@/lib/timelapse/timelapses";

type Params = { id: string };

export const GET = route<undefined, Params>({ access: { permission: "video:watch" } }, async ({ viewer, params }) => {
  // The file's place under media/ is the server's business.
  const { path, ...timelapse } = await requireTimelapse(await db(), viewer, params.id);
  void path;
  return { timelapse };
});

export const DELETE = route<undefined, Params>(
  {
    access: { permission: "events:delete" },
    activity: ({ params, result }) => ({ action: "timelapse.delete", targetId: params.id, cameraId: (result as { timelapse: TimelapseView }).timelapse.cameraId }),
  },
  async ({ viewer, params }) => ({ timelapse: await deleteTimelapseFor(await db(), getEnv().dataDir, viewer, params.id) }),
);
