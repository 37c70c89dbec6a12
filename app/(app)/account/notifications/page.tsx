// Account → Notifications: my preferences (cameras, labels, modes, quiet hours, cool-down, channels, e-mail photo,
// push thumbnail), push on my devices (lib/push) and my delivery log.
import { PageHeader } from "@/app/_components/page-header";
import { requirePageViewer } from "@/lib/auth/guard";
import { listVisibleCameras } from "@/lib/cameras/access";
import { db } from "@/lib/db";
import { getT } from "@/lib/http/locale";
import { listModes, localizeModeName } from "@/lib/modes/modes";
import { listDeliveries } from "@/lib/notifications/centre";
import { getNotificationPrefs, NOTIFICATION_LABELS } from "@/lib/notifications/prefs";
import { getSmtpSettings } from "@/lib/notifications/smtp";
import { serverTimeZone } from "@/lib/time";
import { PrefsForm } from "./prefs-form";
import { PushDevices } from "./push-devices";
import { LocalTime } from "@/app/_components/local-time";
import { ScrollArea } from "@/app/_components/scroll-area";

export async function generateMetadata() {
  return { title: (await getT())("notifications.prefs.title") };
}

export default async function AccountNotificationsPage() {
  const viewer = await requirePageViewer();
  const database = await db();
  const [t, prefs, cameras, modes, smtp, log] = await Promise.all([getT(), getNotificationPrefs(database, viewer.id), listVisibleCameras(database, viewer), listModes(database), getSmtpSettings(database), listDeliveries(database, viewer.id)]);
  const status = (s: string) => t(`notifications.log.statuses.${s as "sent"}`);
  const channel = (c: string) => t(`notifications.log.channels.${c as "push"}`);
  return (
    <>
      <PageHeader title={t("notifications.prefs.title")} />
      <p className="mb-6 max-w-3xl text-sm text-zinc-600 dark:text-zinc-400">{t("notifications.prefs.intro")}</p>
      <PrefsForm
        initial={prefs}
        cameras={cameras}
        modes={modes.map((m) => ({ id: m.id, name: localizeModeName(m, t).name }))}
        labels={[...NOTIFICATION_LABELS]}
        email={viewer.email}
        emailReady={smtp.enabled && !!smtp.config}
        timeZone={viewer.timeZone || serverTimeZone()}
      />
      <div className="my-8">
        <PushDevices />
      </div>
      <section className="card" aria-labelledby="log-heading">
        <h2 id="log-heading" className="mb-1 text-lg font-semibold">
          {t("notifications.log.title")}
        </h2>
        <p className="mb-4 text-sm text-zinc-600 dark:text-zinc-400">{t("notifications.log.intro")}</p>
        {log.length === 0 ? (
          <p className="text-sm text-zinc-500">{t("notifications.log.empty")}</p>
        ) : (
          <ScrollArea className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <thead className="text-xs uppercase text-zinc-500">
                <tr>
                  <th className="py-2 pr-4">{t("notifications.log.at")}</th>
                  <th className="py-2 pr-4">{t("notifications.log.channel")}</th>
                  <th className="py-2 pr-4">{t("notifications.log.status")}</th>
                  <th className="py-2">{t("notifications.log.detail")}</th>
                </tr>
              </thead>
              <tbody>
                {log.map((d) => (
                  <tr key={d.id} className="border-t border-zinc-100 dark:border-zinc-800">
                    <td className="py-2 pr-4">
                      <LocalTime value={d.at} />
                    </td>
                    <td className="py-2 pr-4">{channel(d.channel)}</td>
                    <td className="py-2 pr-4">{status(d.status)}</td>
                    <td className="py-2 text-zinc-600 dark:text-zinc-400">{d.detail}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollArea>
        )}
      </section>
    </>
  );
}
