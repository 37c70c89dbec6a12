// Settings → E-mail (admins): the household's SMTP server for notification e-mails, "Send test", and its status.
import { PageHeader } from "@/app/_components/page-header";
import { requirePageViewer } from "@/lib/auth/guard";
import { db } from "@/lib/db";
import { getT } from "@/lib/http/locale";
import { getSmtpSettings } from "@/lib/notifications/smtp";
import { SmtpForm } from "./smtp-form";

export async function generateMetadata() {
  return { title: (await getT())("notifications.smtp.title") };
}

export default async function EmailSettingsPage() {
  await requirePageViewer({ permission: "household:manage" });
  const [t, settings] = await Promise.all([getT(), getSmtpSettings(await db())]);
  return (
    <>
      <PageHeader title={t("notifications.smtp.title")} />
      <p className="mb-6 max-w-3xl text-sm text-zinc-600 dark:text-zinc-400">{t("notifications.smtp.intro")}</p>
      <SmtpForm
        initial={{ enabled: settings.enabled, hasPassword: settings.hasPassword, config: settings.config }}
        status={settings.status ? { state: settings.status.state, detail: settings.status.detail, lastOkAt: settings.status.lastOkAt?.toISOString() ?? null } : null}
      />
    </>
  );
}
