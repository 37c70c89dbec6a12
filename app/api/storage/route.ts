// GET /api/storage — the Storage page's figures: space used (in all, per camera), free disk, rate, days until full,
// what expires next and why, and the 30-day series (admins).
import { db } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { route } from "@/lib/http/route";
import { serverTimeZone } from "@/lib/time";
import { MIB } from "@/lib/i18n/format";
import { getStorageSummary } from "@/lib/retention/storage";

export const GET = route({ access: { permission: "storage:view" } }, async ({ viewer }) => {
  const env = getEnv();
  return getStorageSummary(await db(), { dataDir: env.dataDir, floorBytes: env.MEDIA_MIN_FREE_MB * MIB, now: new Date(), timeZone: viewer.timeZone || serverTimeZone() });
});
