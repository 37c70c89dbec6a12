// GET /api/health — public: is the database reachable and are the workers beating? 200 when all is well, else 503.
import { db } from "@/lib/db";
import { readHealth } from "@/lib/health";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = route({ access: "public" }, async () => {
  const health = await readHealth(await db().catch(() => null), new Date());
  return Response.json(health, { status: health.ok ? 200 : 503, headers: { "cache-control": "no-store" } });
});
