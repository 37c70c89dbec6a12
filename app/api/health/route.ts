// GET /api/health — public: is the database reachable, are the workers beating, is the media engine usable (version,
// path)? 200 when all is well, else 503.
import { db } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { mediaEngineStatus } from "@/lib/ffmpeg/engine";
import { readHealth } from "@/lib/health";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = route({ access: "public" }, async () => {
  const env = getEnv();
  const health = await readHealth(await db().catch(() => null), new Date(), await mediaEngineStatus(env.FFMPEG_PATH, env.FFPROBE_PATH));
  return Response.json(health, { status: health.ok ? 200 : 503, headers: { "cache-control": "no-store" } });
});
