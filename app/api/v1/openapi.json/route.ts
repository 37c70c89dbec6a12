// GET /api/v1/openapi.json — the OpenAPI 3.1 document of /api/v1 (public; the same as /api/openapi.json).
import { openApiResponse } from "@/lib/api/openapi";
import { getOpenApi } from "@/lib/api/operations";
import { getEnv } from "@/lib/env";
import { route } from "@/lib/http/route";

export const GET = route({ access: getOpenApi.access }, async ({ req }) => openApiResponse(req, getEnv().publicUrl));
