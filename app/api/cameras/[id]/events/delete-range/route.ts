// POST /api/cameras/:id/events/delete-range { from, to, includeProtected? } — delete every event of one camera that
// started in [from, to) (admins: events:delete-range). from/to: ISO instants with a zone, or days in my time zone
// (`to` day included). Protected events are kept unless includeProtected. Answers { count, skippedProtected }.
// GET ?from=&to= — what that deletion would touch, for the confirmation: { events, protected } (same access, same bounds).
import { z } from "zod";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { getEnv } from "@/lib/env";
import { parseBound, viewerTimeZone } from "@/lib/events/filters";
import { countCameraEventsInRange, deleteCameraEventsInRange, type RangeDeleteResult } from "@/lib/events/manage";
import { route } from "@/lib/http/route";

type Params = { id: string };
const body = z.object({ from: z.string().trim().min(1).max(40), to: z.string().trim().min(1).max(40), includeProtected: z.boolean().optional() });

/** from/to as the form sends them (ISO instants, or days in my zone): the range, or a validation error naming the bad one. */
function readRange(input: { from: string; to: string }, timeZone: string): { from: Date; to: Date } {
  const from = parseBound(input.from, timeZone, "from");
  const to = parseBound(input.to, timeZone, "to");
  if (!from || !to) throw new AppError("validation", {}, { ...(from ? {} : { from: "invalid" }), ...(to ? {} : { to: "invalid" }) });
  return { from, to };
}

export const GET = route<undefined, Params>({ access: { permission: "events:delete-range" } }, async ({ viewer, params, req }) => {
  const q = new URL(req.url).searchParams;
  const { from, to } = readRange({ from: (q.get("from") ?? "").trim().slice(0, 40), to: (q.get("to") ?? "").trim().slice(0, 40) }, viewerTimeZone(viewer));
  return countCameraEventsInRange(await db(), viewer, params.id, { from, to });
});

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
    const { from, to } = readRange(body, viewerTimeZone(viewer));
    const result = await deleteCameraEventsInRange(await db(), getEnv().dataDir, viewer, params.id, { from, to, includeProtected: body.includeProtected });
    return { ...result, from: from.toISOString(), to: to.toISOString(), includeProtected: body.includeProtected ?? false };
  },
);
