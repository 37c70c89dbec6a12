// POST /api/household/mqtt/test — connects once to the broker with the given settings (the stored password when none
// is given) and reports: { ok } or { ok: false, problem: unreachable | auth | tls | dropped | protocol, detail }.
import { db } from "@/lib/db";
import { route } from "@/lib/http/route";
import { testMqttConnection } from "@/lib/mqtt/bridge";
import { loadMqttConnection, mqttSettingsInput } from "@/lib/mqtt/settings";
import { getSecrets } from "@/lib/secrets";

export const POST = route({ access: { permission: "settings:manage" }, body: mqttSettingsInput }, async ({ body }) => {
  const stored = await loadMqttConnection(await db(), getSecrets().credentialsKey);
  return testMqttConnection({
    ...stored,
    ...body,
    enabled: true,
    username: body.username ?? null,
    password: body.password === undefined ? stored.password : body.password || null,
    clientId: body.clientId || stored.clientId,
  });
});
