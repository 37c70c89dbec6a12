// GET /api/account/notifications — my notification preferences; PUT — replace them (cameras limited to those I see).
import { db } from "@/lib/db";
import { route } from "@/lib/http/route";
import { getNotificationPrefs, notificationPrefsSchema, saveNotificationPrefs } from "@/lib/notifications/prefs";

export const GET = route({ access: {} }, async ({ viewer }) => getNotificationPrefs(await db(), viewer.id));

export const PUT = route({ access: {}, body: notificationPrefsSchema }, async ({ viewer, body }) => saveNotificationPrefs(await db(), viewer, body));
