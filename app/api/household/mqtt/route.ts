// GET /api/household/mqtt — the MQTT broker settings (no password: only whether one is stored) and the bridge's
// status. PUT — change them (admins); the notifier worker reconnects within seconds.
import { db } from "@/lib/db";
import { route } from "@/lib/http/route";
import { getMqttSettings, mqttSettingsInput, readMqttStatus, saveMqttSettings } from "@/lib/mqtt/settings";
import { getSecrets } from "@/lib/secrets";

export const GET = route({ access: { permission: "settings:manage" } }, async () => {
  const database = await db();
  return { settings: await getMqttSettings(database), status: await readMqttStatus(database) };
});

export const PUT = route(
  { access: { permission: "settings:manage" }, body: mqttSettingsInput, activity: { action: "settings.changed", data: { fields: ["mqtt"] } } },
  async ({ body }) => {
    const database = await db();
    return { settings: await saveMqttSettings(database, body, getSecrets().credentialsKey), status: await readMqttStatus(database) };
  },
);
