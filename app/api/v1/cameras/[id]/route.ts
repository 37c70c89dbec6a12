// GET /api/v1/cameras/:id — one camera I may see (lib/api/operations.ts getCamera).
import { getCamera } from "@/lib/api/operations";
import { getApiCamera } from "@/lib/api/present";
import { db } from "@/lib/db";
import { route } from "@/lib/http/route";

type Params = { id: string };

export const GET = route<undefined, Params>({ access: getCamera.access }, async ({ viewer, params }) => getApiCamera(await db(), viewer, params.id));
