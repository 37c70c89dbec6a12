// The household's MQTT broker settings (IntegrationSettings row "mqtt"): config JSON without secrets, the password
// sealed with the credentials key (lib/secrets.ts) and never returned. TLS: off, on with the system's CAs, or on
// accepting a self-signed broker certificate (no verification: for a broker on the home network; says so in the UI).
import crypto from "node:crypto";
import { z } from "zod";
import type { Db } from "../db";
import { AppError } from "../errors";
import { openSecret, sealSecret } from "../secrets";
import { topicPrefixProblem } from "./topics";

export const MQTT_ID = "mqtt";
export const DEFAULT_BASE_TOPIC = "nightjar";
export const DEFAULT_DISCOVERY_PREFIX = "homeassistant";
export const DEFAULT_PORT = 1883;

export type MqttConfig = {
  host: string;
  port: number;
  tls: boolean;
  /** With tls: accept a certificate no trusted CA signed (self-signed broker certificate). */
  tlsAllowSelfSigned: boolean;
  username: string | null;
  baseTopic: string;
  discoveryPrefix: string;
  clientId: string;
};

/** What the bridge connects with: the config, enabled, and the opened password. */
export type MqttConnection = MqttConfig & { enabled: boolean; password: string | null; updatedAt: Date | null };

const prefix = z.string().trim().superRefine((v, ctx) => {
  const p = topicPrefixProblem(v);
  if (p) ctx.addIssue({ code: "custom", message: p });
});

export const mqttSettingsInput = z.object({
  enabled: z.boolean(),
  host: z.string().trim().max(253).regex(/^[A-Za-z0-9.\-:[\]]*$/, "invalid_host"),
  port: z.number().int().min(1).max(65535),
  tls: z.boolean(),
  tlsAllowSelfSigned: z.boolean().default(false),
  username: z.string().trim().max(200).nullable().optional(),
  /** undefined: keep; null or "": remove; text: replace. Write-only. */
  password: z.string().max(500).nullable().optional(),
  baseTopic: prefix.default(DEFAULT_BASE_TOPIC),
  discoveryPrefix: prefix.default(DEFAULT_DISCOVERY_PREFIX),
  clientId: z.string().trim().max(100).regex(/^[A-Za-z0-9_.\-]*$/, "invalid_client_id").optional(),
});
export type MqttSettingsInput = z.input<typeof mqttSettingsInput>;

function defaults(): MqttConfig {
  return { host: "", port: DEFAULT_PORT, tls: false, tlsAllowSelfSigned: false, username: null, baseTopic: DEFAULT_BASE_TOPIC, discoveryPrefix: DEFAULT_DISCOVERY_PREFIX, clientId: "" };
}

function parseConfig(text: string | null | undefined): MqttConfig {
  let raw: Record<string, unknown> = {};
  try {
    raw = JSON.parse(text || "{}");
  } catch {
    /* defaults */
  }
  return { ...defaults(), ...(raw as Partial<MqttConfig>) };
}

/** The settings as the admin page shows them: no password, only whether one is stored. */
export async function getMqttSettings(db: Db) {
  const row = await db.integrationSettings.findUnique({ where: { id: MQTT_ID } });
  return { enabled: row?.enabled ?? false, ...parseConfig(row?.config), hasPassword: !!row?.passwordEnc, updatedAt: row?.updatedAt.toISOString() ?? null };
}

export async function saveMqttSettings(db: Db, input: MqttSettingsInput, key: Buffer) {
  const parsed = mqttSettingsInput.safeParse(input);
  if (!parsed.success) throw new AppError("validation", {}, Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message])));
  const v = parsed.data;
  if (v.enabled && !v.host) throw new AppError("validation", {}, { host: "required" });
  const current = await db.integrationSettings.findUnique({ where: { id: MQTT_ID } });
  const old = parseConfig(current?.config);
  const config: MqttConfig = {
    host: v.host,
    port: v.port,
    tls: v.tls,
    tlsAllowSelfSigned: v.tls && v.tlsAllowSelfSigned,
    username: v.username || null,
    baseTopic: v.baseTopic,
    discoveryPrefix: v.discoveryPrefix,
    clientId: v.clientId || old.clientId || `nightjar-${crypto.randomBytes(4).toString("hex")}`,
  };
  const passwordEnc = v.password === undefined ? (current?.passwordEnc ?? null) : v.password ? sealSecret(v.password, key) : null;
  await db.integrationSettings.upsert({ where: { id: MQTT_ID }, create: { id: MQTT_ID, enabled: v.enabled, config: JSON.stringify(config), passwordEnc }, update: { enabled: v.enabled, config: JSON.stringify(config), passwordEnc } });
  return getMqttSettings(db);
}

/** For the bridge and "Test connection": the settings with the password opened. */
export async function loadMqttConnection(db: Db, key: Buffer): Promise<MqttConnection> {
  const row = await db.integrationSettings.findUnique({ where: { id: MQTT_ID } });
  let password: string | null = null;
  if (row?.passwordEnc) {
    try {
      password = openSecret(row.passwordEnc, key);
    } catch {
      password = null;
    }
  }
  return { enabled: row?.enabled ?? false, ...parseConfig(row?.config), password, updatedAt: row?.updatedAt ?? null };
}

export type MqttState = "disabled" | "connecting" | "connected" | "error";

export async function readMqttStatus(db: Db) {
  const s = await db.integrationStatus.findUnique({ where: { id: MQTT_ID } });
  return s ? { state: s.state as MqttState, detail: s.detail, since: s.since.toISOString(), lastOkAt: s.lastOkAt?.toISOString() ?? null } : { state: "disabled" as MqttState, detail: null, since: null, lastOkAt: null };
}

/** Writes the status; `since` moves only when the state changes. */
export async function writeMqttStatus(db: Db, state: MqttState, detail: string | null, now: Date): Promise<void> {
  const cur = await db.integrationStatus.findUnique({ where: { id: MQTT_ID } });
  if (cur && cur.state === state && cur.detail === detail) return;
  const data = { state, detail, since: cur && cur.state === state ? cur.since : now, ...(state === "connected" ? { lastOkAt: now } : {}) };
  await db.integrationStatus.upsert({ where: { id: MQTT_ID }, create: { id: MQTT_ID, ...data }, update: data });
}
