// STUB (replaced by the MQTT work): the household's MQTT broker, Home Assistant discovery, commands.
import type { Db } from "../db";
import type { Scheduler } from "../clock";
import type { FactService } from "../facts/types";

export type MqttBridgeDeps = { clock: Scheduler; credentialsKey: Buffer; dataDir: string; pollMs?: number };

export function createMqttBridge(_db: Db, _deps: MqttBridgeDeps): FactService {
  return { start() {}, async stop() {}, status: () => ({ state: "stub" }) };
}
