// PATCH /api/storage/settings — storage quota (MB, null = none) and how long diagnostics and activity are kept (admins).
import { db } from "@/lib/db";
import { route } from "@/lib/http/route";
import { storageSettingsSchema, updateStorageSettings } from "@/lib/retention/settings";

export const PATCH = route(
  { access: { permission: "settings:manage" }, body: storageSettingsSchema, activity: ({ body }) => ({ action: "settings.changed", data: { section: "storage", fields: Object.keys(body).sort() } }) },
  async ({ body }) => updateStorageSettings(await db(), body),
);
