// GET /api/v1/modes — the household's modes and the one in force (lib/api/operations.ts listModes).
import { listModesOp } from "@/lib/api/operations";
import { listApiModes } from "@/lib/api/present";
import { db } from "@/lib/db";
import { route } from "@/lib/http/route";

export const GET = route({ access: listModesOp.access }, async ({ viewer }) => listApiModes(await db(), viewer));
