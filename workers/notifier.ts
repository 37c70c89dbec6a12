// Process entry: the notifier worker. Reads the Fact outbox (lib/facts) and tells the household: notifications per
// member (in the app, by browser push, by e-mail; lib/notifications) and the household's MQTT broker with Home
// Assistant discovery and commands (lib/mqtt). A process of its own so that a slow push service, SMTP server or broker
// never slows recording or the web app. Writes its heartbeat every HEARTBEAT_MS.
import { systemClock } from "../lib/clock";
import { closeDb, db } from "../lib/db";
import { getEnv } from "../lib/env";
import { HEARTBEAT_MS, writeHeartbeat } from "../lib/health";
import { MIB } from "../lib/i18n/format";
import { logger } from "../lib/log";
import { getSecrets } from "../lib/secrets";
import { createMqttBridge } from "../lib/mqtt/bridge";
import { createNotificationService } from "../lib/notifications/service";
import pkg from "../package.json" with { type: "json" };

const log = logger("notifier");
const database = await db();
const startedAt = new Date();
const env = getEnv();
const deps = { clock: systemClock, credentialsKey: getSecrets().credentialsKey, dataDir: env.dataDir };
const notifications = createNotificationService(database, deps);
// The bridge's storage figures use the recorder's free-space floor; Home Assistant shows the version on the hub device.
const mqtt = createMqttBridge(database, { ...deps, floorBytes: env.MEDIA_MIN_FREE_MB * MIB, version: pkg.version });

async function beat() {
  try {
    await writeHeartbeat(database, "notifier", startedAt, { notifications: notifications.status(), mqtt: mqtt.status() });
  } catch (err) {
    log.error("heartbeat failed", { error: String(err) });
  }
}

await beat();
notifications.start();
mqtt.start();
const timer = setInterval(beat, HEARTBEAT_MS);
log.info("started");

async function stop(signal: string) {
  log.info("stopping", { signal });
  clearInterval(timer);
  await Promise.allSettled([notifications.stop(), mqtt.stop()]);
  await closeDb();
  process.exit(0);
}
process.on("SIGTERM", () => void stop("SIGTERM"));
process.on("SIGINT", () => void stop("SIGINT"));
