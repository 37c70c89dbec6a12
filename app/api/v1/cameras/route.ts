// GET /api/v1/cameras — the cameras I may see, with status, arming and privacy mode (lib/api/operations.ts listCameras).
import { listApiCameras } from "@/lib/api/present";
import { listCameras } from "@/lib/api/operations";
import { db } from "@/lib/db";
import { route } from "@/lib/http/route";

export const GET = route({ access: listCameras.access }, async ({ viewer }) => listApiCameras(await db(), viewer));
