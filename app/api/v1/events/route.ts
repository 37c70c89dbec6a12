// GET /api/v1/events?camera=&from=&to=&protected=&label=&tz=&before=&limit= — events I may see, newest first, in keyset
// pages with the Events page's filters (lib/events; lib/api/operations.ts listEvents).
import { listEventsOp } from "@/lib/api/operations";
import { readQuery } from "@/lib/api/request";
import { eventPageSchema, eventsQuery } from "@/lib/api/schemas";
import { db } from "@/lib/db";
import { listEvents } from "@/lib/events/events";
import { parseFilters, viewerTimeZone } from "@/lib/events/filters";
import { route } from "@/lib/http/route";

export const GET = route({ access: listEventsOp.access }, async ({ viewer, req }) => {
  const q = readQuery(req, eventsQuery);
  const filters = parseFilters({ camera: q.camera ?? [], from: q.from ?? "", to: q.to ?? "", protected: q.protected ?? "", label: q.label ?? [], day: "" }, q.tz ?? viewerTimeZone(viewer));
  return eventPageSchema.parse(await listEvents(await db(), viewer, { ...filters, before: q.before, limit: q.limit }));
});
