// POST /api/account/push/test — send a test push to all my devices now; answers { sent, removed, failed } (devices
// whose push service answered 404/410 are removed). Session only.
import { db } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { route } from "@/lib/http/route";
import { translate } from "@/lib/i18n/translate";
import { deliverPushToMember, testPushPayload } from "@/lib/push/send";
import { getSecrets } from "@/lib/secrets";

export const POST = route({ access: {} }, async ({ viewer, locale }) => {
  const payload = testPushPayload({ title: translate(locale, "push.testTitle"), body: translate(locale, "push.testBody") }, new Date());
  return deliverPushToMember(await db(), viewer.id, payload, { credentialsKey: getSecrets().credentialsKey, dataDir: getEnv().dataDir });
});
