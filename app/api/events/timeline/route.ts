// GET /api/events/timeline?day=YYYY-MM-DD&tz=&from=&to=&camera=…&protected=yes|no&label=… — one day of the timeline: a
// lane per camera I may see (or per chosen camera) and the events that started that day in my time zone (or `tz`), or in
// the part of it from `from` to `to` (ISO instants; what the timeline shows when zoomed in); a window too busy to list
// comes back as density (lib/events/events.ts listDayEvents).
import { z } from "zod";
import { db } from "@/lib/db";
import { listDayEvents } from "@/lib/events/events";
import { parseFilters, viewerTimeZone } from "@/lib/events/filters";
import { readFilterQuery } from "@/lib/events/query";
import { dayOf } from "@/lib/time";
import { timeZoneSchema } from "@/lib/household/identity";
import { route, validationError } from "@/lib/http/route";

const instant = z.iso.datetime({ offset: true }).transform((v) => new Date(v));
const query = z
  .object({ day: z.string().max(10).optional(), tz: timeZoneSchema.optional(), from: instant.optional(), to: instant.optional() })
  .refine((q) => (q.from === undefined) === (q.to === undefined), { message: "window_order", path: ["to"] })
  .refine((q) => !q.from || !q.to || q.from < q.to, { message: "window_order", path: ["to"] });

export const GET = route({ access: { permission: "video:watch" } }, async ({ viewer, req }) => {
  const params = new URL(req.url).searchParams;
  const parsed = query.safeParse({ day: params.get("day") || undefined, tz: params.get("tz") || undefined, from: params.get("from") || undefined, to: params.get("to") || undefined });
  if (!parsed.success) throw validationError(parsed.error);
  const timeZone = parsed.data.tz ?? viewerTimeZone(viewer);
  const filters = parseFilters({ ...readFilterQuery(params), from: "", to: "" }, timeZone); // a day has its own range
  return listDayEvents(await db(), viewer, { day: parsed.data.day ?? dayOf(Date.now(), timeZone), timeZone, cameraIds: filters.cameraIds, protected: filters.protected, labels: filters.labels, window: parsed.data.from && parsed.data.to ? { from: parsed.data.from, to: parsed.data.to } : undefined });
});
