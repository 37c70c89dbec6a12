// GET /api/v1/storage — use, free space, quota, days until full (admins; lib/retention/storage.ts, lib/api/operations.ts getStorage).
import { getStorage } from "@/lib/api/operations";
import { apiStorage } from "@/lib/api/present";
import { db } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { route } from "@/lib/http/route";
import { MIB } from "@/lib/i18n/format";
import { getStorageSummary } from "@/lib/retention/storage";
import { serverTimeZone } from "@/lib/time";

export const GET = route({ access: getStorage.access }, async ({ viewer }) => {
  const env = getEnv();
  return apiStorage(await getStorageSummary(await db(), { dataDir: env.dataDir, floorBytes: env.MEDIA_MIN_FREE_MB * MIB, now: new Date(), timeZone: viewer.timeZone || serverTimeZone() }));
});
