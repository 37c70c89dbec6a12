// GET /api/v1/events/:id — one event I may see (lib/api/operations.ts getEvent).
import { getEventOp } from "@/lib/api/operations";
import { eventSchema } from "@/lib/api/schemas";
import { db } from "@/lib/db";
import { getEventSummary } from "@/lib/events/events";
import { route } from "@/lib/http/route";

type Params = { id: string };

export const GET = route<undefined, Params>({ access: getEventOp.access }, async ({ viewer, params }) => eventSchema.parse(await getEventSummary(await db(), viewer, params.id)));
