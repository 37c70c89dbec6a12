// GET /api/events/timeline?day=YYYY-MM-DD&tz=&camera=…&protected=yes|no&label=… — one day of events for the timeline: a lane
// per camera I may see (or per chosen camera) and the events that started that day in my time zone (or `tz`).
import { z } from "zod";
import { db } from "@/lib/db";
import { listDayEvents } from "@/lib/events/events";
import { parseFilters, viewerTimeZone } from "@/lib/events/filters";
import { readFilterQuery } from "@/lib/events/query";
import { dayOf } from "@/lib/time";
import { timeZoneSchema } from "@/lib/household/identity";
import { route, validationError } from "@/lib/http/route";

const query = z.object({ day: z.string().max(10).optional(), tz: timeZoneSchema.optional() });

export const GET = route({ access: { permission: "video:watch" } }, async ({ viewer, req }) => {
  const params = new URL(req.url).searchParams;
  const parsed = query.safeParse({ day: params.get("day") || undefined, tz: params.get("tz") || undefined });
  if (!parsed.success) throw validationError(parsed.error);
  const timeZone = parsed.data.tz ?? viewerTimeZone(viewer);
  const filters = parseFilters({ ...readFilterQuery(params), from: "", to: "" }, timeZone); // a day has its own range
  return listDayEvents(await db(), viewer, { day: parsed.data.day ?? dayOf(Date.now(), timeZone), timeZone, cameraIds: filters.cameraIds, protected: filters.protected, labels: filters.labels });
});
