// Settings → MQTT (admins): the household's MQTT broker for Home Assistant, "Test connection", the live status and
// the topics Nightjar publishes.
import { PageHeader } from "@/app/_components/page-header";
import { requirePageViewer } from "@/lib/auth/guard";
import { db } from "@/lib/db";
import { getT } from "@/lib/http/locale";
import { getMqttSettings, readMqttStatus } from "@/lib/mqtt/settings";
import { MqttForm } from "./mqtt-form";

export async function generateMetadata() {
  return { title: (await getT())("mqtt.title") };
}

export default async function MqttSettingsPage() {
  // The same permission as GET/PUT /api/household/mqtt (admins).
  await requirePageViewer({ permission: "settings:manage" });
  const database = await db();
  const [t, settings, status] = await Promise.all([getT(), getMqttSettings(database), readMqttStatus(database)]);
  return (
    <>
      <PageHeader title={t("mqtt.title")} />
      <p className="mb-6 max-w-3xl text-sm text-zinc-600 dark:text-zinc-400">{t("mqtt.intro")}</p>
      <MqttForm initial={settings} status={status} />
    </>
  );
}
