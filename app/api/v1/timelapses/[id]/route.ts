// GET /api/v1/timelapses/:id — one timelapse I may see; 404 for one of a camera I do not see (lib/api/operations.ts getTimelapse).
import { getTimelapseOp } from "@/lib/api/operations";
import { getApiTimelapse } from "@/lib/api/present";
import { readParams } from "@/lib/api/request";
import { timelapseParams } from "@/lib/api/schemas";
import { db } from "@/lib/db";
import { route } from "@/lib/http/route";

type Params = { id: string };

export const GET = route<undefined, Params>({ access: getTimelapseOp.access }, async ({ viewer, params }) => getApiTimelapse(await db(), viewer, readParams(params, timelapseParams).id));
