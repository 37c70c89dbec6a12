// GET /api/v1/timelapses?camera=&status= — the timelapses I may see, newest first (lib/timelapse/timelapses.ts;
// lib/api/operations.ts listTimelapses).
import { listTimelapsesOp } from "@/lib/api/operations";
import { listApiTimelapses } from "@/lib/api/present";
import { readQuery } from "@/lib/api/request";
import { timelapsesQuery } from "@/lib/api/schemas";
import { db } from "@/lib/db";
import { route } from "@/lib/http/route";

export const GET = route({ access: listTimelapsesOp.access }, async ({ viewer, req }) => listApiTimelapses(await db(), viewer, readQuery(req, timelapsesQuery)));
