// GET /api/events?camera=<id>&camera=…&from=&to=&protected=yes|no&label=<label or group>&label=…&tz=&before=<cursor>
// &limit=<n>&show=review|all — events I may see, newest first, in keyset pages (lib/events/query.ts describes the
// filters; days are read in my time zone or `tz`); show=review: only those I have not reviewed (default: all).
import { z } from "zod";
import { db } from "@/lib/db";
import { listEvents } from "@/lib/events/events";
import { parseFilters, viewerTimeZone } from "@/lib/events/filters";
import { readFilterQuery } from "@/lib/events/query";
import { timeZoneSchema } from "@/lib/household/identity";
import { route, validationError } from "@/lib/http/route";

const query = z.object({ before: z.string().max(100).optional(), limit: z.coerce.number().int().min(1).max(200).optional(), tz: timeZoneSchema.optional() });

export const GET = route({ access: { permission: "video:watch" } }, async ({ viewer, req }) => {
  const params = new URL(req.url).searchParams;
  const parsed = query.safeParse({ before: params.get("before") ?? undefined, limit: params.get("limit") ?? undefined, tz: params.get("tz") ?? undefined });
  if (!parsed.success) throw validationError(parsed.error);
  const q = readFilterQuery(params);
  const filters = parseFilters(q, parsed.data.tz ?? viewerTimeZone(viewer));
  return listEvents(await db(), viewer, { ...filters, before: parsed.data.before, limit: parsed.data.limit, toReview: q.show === "review" });
});
