// GET /api/openapi.json — the OpenAPI 3.1 document of the public API /api/v1 (public, cacheable; lib/api/openapi.ts).
import { openApiResponse } from "@/lib/api/openapi";
import { getEnv } from "@/lib/env";
import { route } from "@/lib/http/route";

export const GET = route({ access: "public" }, async ({ req }) => openApiResponse(req, getEnv().publicUrl));
