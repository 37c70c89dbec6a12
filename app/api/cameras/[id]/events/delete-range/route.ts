// POST /api/cameras/:id/events/delete-range { from, to, includeProtected? } — delete every event of one camera that
// started in [from, to) (admins: events:delete-range). from/to: ISO instants with a zone, or days in my time zone
// (`to` day included). Protected events are kept unless includeProtected. Answers { count, skippedProtected }.
import { z } from "zod";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { getEnv } from "@/lib/env";
import { parseBound, viewerTimeZone } from "@/lib/events/filters";
import { deleteCameraEventsInRange, type RangeDeleteResult } from "@/lib/events/manage";
import { route } from "@/lib/http/route";

type Params = { id: string };
const body = z.object({ from: z.string().trim().min(1).max(40), to: z.string().trim().min(1).max(40), includeProtected: z.boolean().optional() });

export const POST = route<typeof body, Params>(
  {
    access: { permission: "events:delete-range" },
    body,
    activity: ({ params, result }) => {
      const r = result as RangeDeleteResult & { from: string; to: string; includeProtected: boolean };
      return { action: "events.delete_range", cameraId: params.id, data: { from: r.from, to: r.to, count: r.count, includeProtected: r.includeProtected } };
    },
  },
  async ({ viewer, params, body }) => {
    const timeZone = viewerTimeZone(viewer);
    const from = parseBound(body.from, timeZone, "from");
    const to = parseBound(body.to, timeZone, "to");
    if (!from || !to) throw new AppError("validation", {}, { ...(from ? {} : { from: "invalid" }), ...(to ? {} : { to: "invalid" }) });
    const result = await deleteCameraEventsInRange(await db(), getEnv().dataDir, viewer, params.id, { from, to, includeProtected: body.includeProtected });
    return { ...result, from: from.toISOString(), to: to.toISOString(), includeProtected: body.includeProtected ?? false };
  },
);
