// POST /api/household/smtp/test — sends a test e-mail to the admin's own address with the saved settings.
import { db } from "@/lib/db";
import { route } from "@/lib/http/route";
import { translator } from "@/lib/i18n/translate";
import { getSecrets } from "@/lib/secrets";
import { sendSmtpTest } from "@/lib/notifications/smtp";

export const POST = route({ access: { permission: "household:manage" } }, async ({ viewer, locale }) => {
  const t = translator(locale);
  const outcome = await sendSmtpTest(await db(), getSecrets().credentialsKey, viewer.email, { subject: t("notifications.email.testSubject"), body: t("notifications.email.testBody") });
  return outcome.ok ? { ok: true, to: viewer.email } : { ok: false, to: viewer.email, error: outcome.error };
});
