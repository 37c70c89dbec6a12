// The MQTT bridge (notifier worker): connects to the household's broker with a last will (<base>/status "offline"),
// publishes Home Assistant discovery and each camera's state, turns facts from the outbox (cursor "mqtt") into
// messages, and obeys commands on …/set topics. Reconnects with backoff 1 s → 60 s on the injected clock. While the
// broker is away facts are read and dropped (the cursor moves on); on every (re)connect the whole current state is
// published again from the database, so motion ON/OFF is right without replaying history. Publishing never waits:
// a bounded queue (retained topics coalesced, at most MAX_EVENT_QUEUE event messages) feeds the connection.
import fs from "node:fs/promises";
import mqtt, { type IClientOptions, type MqttClient } from "mqtt";
import type { Scheduler, TimerHandle } from "../clock";
import { setCameraArmed } from "../cameras/motion-settings";
import { updateCamera } from "../cameras/cameras";
import { mediaDir, resolveInside } from "../data-dir";
import type { Db } from "../db";
import { commitFacts, readFacts } from "../facts/read";
import type { FactService, StoredFact } from "../facts/types";
import { logger } from "../log";
import { listModes, getActiveMode, switchMode } from "../modes/modes";
import { parseMotionConfig } from "../motion/config";
import { setPrivacyMode } from "../privacy/privacy-mode";
import { getStorageSummary } from "../retention/storage";
import { discoveryFilter, discoveryMessages } from "./discovery";
import { loadMqttConnection, writeMqttStatus, type MqttConnection, type MqttState } from "./settings";
import { bridgeTopics, cameraTopics, eventMessage, MOTION_LABEL, OFFLINE, onOff, ONLINE, parseCommand, PTZ_STEPS, type EventMessage } from "./topics";
import { gotoPreset, movePtz } from "../ptz/ptz";

const log = logger("mqtt");

export type MqttBridgeDeps = {
  clock: Scheduler;
  credentialsKey: Buffer;
  dataDir: string;
  /** Outbox poll interval, ms. */
  pollMs?: number;
  /** Free-space floor for the storage figures, bytes. */
  floorBytes?: number;
  version?: string;
};

/** Reader name of the fact cursor. */
export const MQTT_READER = "mqtt";
export const RECONNECT_MIN_MS = 1_000;
export const RECONNECT_MAX_MS = 60_000;
/** Storage figures and discovery refresh, ms. */
export const SYNC_MS = 60_000;
/** Settings are re-read this often, ms (a change reconnects). */
export const SETTINGS_MS = 2_000;
/** Non-retained event messages waiting for the connection at most; older ones are dropped. */
export const MAX_EVENT_QUEUE = 200;
/** Messages handed to the client and not yet written. */
export const MAX_IN_FLIGHT = 50;
/** Shutdown waits this long for the broker to take the "offline" status, ms. */
export const STOP_WAIT_MS = 2_000;
/** "Test connection" gives up after this, ms. */
export const TEST_TIMEOUT_MS = 10_000;

export type MqttProblem = "unreachable" | "auth" | "tls" | "dropped" | "protocol";

/**
 * Which problem an error of the mqtt client or the socket is (status detail "<problem>: <message>"). `at` says where
 * the connection was: a reset before the broker's CONNACK is no dropped connection but a mismatch: over TLS the broker
 * (e.g. a plain port) broke off the handshake ("tls"); without TLS it would not speak MQTT (e.g. a TLS port, "protocol").
 */
export function classifyMqttError(err: unknown, at?: { tls: boolean; connected: boolean }): MqttProblem {
  const e = err as { code?: unknown; message?: string };
  const code = e?.code;
  if (code === 4 || code === 5 || code === 134 || code === 135 || /not authori[sz]ed|bad user ?name or password/i.test(e?.message ?? "")) return "auth";
  if (typeof code === "string") {
    if (code === "ECONNRESET" && at && !at.connected) return at.tls ? "tls" : "protocol";
    if (/^(ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|EAI_AGAIN|ECONNRESET)$/.test(code)) return code === "ECONNRESET" ? "dropped" : "unreachable";
    if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO|EPROTO|ERR_SSL/.test(code)) return "tls";
  }
  if (/certificate|ssl|tls|wrong version number/i.test(e?.message ?? "")) return "tls";
  if (/connack timeout|connect timeout/i.test(e?.message ?? "")) return "unreachable";
  return "protocol";
}

export function mqttClientOptions(c: MqttConnection, will: boolean): IClientOptions {
  return {
    host: c.host,
    port: c.port,
    protocol: c.tls ? "mqtts" : "mqtt",
    protocolVersion: 4,
    clientId: c.clientId || `nightjar-${process.pid}`,
    username: c.username ?? undefined,
    password: c.password ?? undefined,
    rejectUnauthorized: c.tls ? !c.tlsAllowSelfSigned : undefined,
    servername: c.tls && !/^[\d.:]+$/.test(c.host) ? c.host : undefined,
    reconnectPeriod: 0,
    connectTimeout: TEST_TIMEOUT_MS,
    keepalive: 30,
    clean: true,
    queueQoSZero: false,
    will: will ? { topic: bridgeTopics(c.baseTopic).status, payload: Buffer.from(OFFLINE), retain: true, qos: 1 } : undefined,
  };
}

/** Connects once with these settings and reports (Settings → MQTT, "Test connection"). Publishes nothing. */
export async function testMqttConnection(c: MqttConnection): Promise<{ ok: true } | { ok: false; problem: MqttProblem; detail: string }> {
  return new Promise((resolve) => {
    const client = mqtt.connect(mqttClientOptions({ ...c, clientId: `${c.clientId || "nightjar"}-test` }, false));
    const done = (r: { ok: true } | { ok: false; problem: MqttProblem; detail: string }) => {
      clearTimeout(timer);
      client.end(true);
      resolve(r);
    };
    const timer = setTimeout(() => done({ ok: false, problem: "unreachable", detail: "no answer" }), TEST_TIMEOUT_MS + 1000);
    client.once("connect", () => done({ ok: true }));
    client.once("error", (err) => done({ ok: false, problem: classifyMqttError(err, { tls: c.tls, connected: false }), detail: err.message }));
    client.once("close", () => done({ ok: false, problem: "unreachable", detail: "connection closed" }));
  });
}

type Outgoing = { topic: string; payload: string | Buffer; retain: boolean };

export function createMqttBridge(db: Db, deps: MqttBridgeDeps): FactService & { step(): Promise<void>; sync(): Promise<void>; counters(): Record<string, number> } {
  const { clock } = deps;
  const pollMs = deps.pollMs ?? 200;
  let running = false;
  let stopped = false;
  let conn: MqttConnection | null = null;
  let settingsStamp = "";
  let client: MqttClient | null = null;
  let generation = 0;
  let connected = false;
  let state: MqttState = "disabled";
  let detail: string | null = null;
  let backoffMs = RECONNECT_MIN_MS;
  let reconnectTimer: TimerHandle | null = null;
  const timers = new Set<TimerHandle>();
  const retained = new Map<string, Outgoing>();
  const events: Outgoing[] = [];
  let inFlight = 0;
  let lastSyncMs = -Infinity;
  let lastSettingsMs = -Infinity;
  let stepping: Promise<void> | null = null;
  const counters = { published: 0, dropped: 0, commands: 0, ignored: 0, facts: 0 };
  const published = new Set<string>(); // discovery topics we published in this connection
  let wantedDiscovery = new Set<string>();

  let statusChain: Promise<void> = Promise.resolve();
  /** Status writes in order (a "connecting" must never land after the "error" that followed it). */
  function setStatus(next: MqttState, text: string | null): Promise<void> {
    state = next;
    detail = text;
    const at = clock.now();
    statusChain = statusChain.then(() => writeMqttStatus(db, next, text, at).catch((err) => log.error("status not written", { error: String(err) })));
    return statusChain;
  }

  function enqueue(topic: string, payload: string | Buffer, retain: boolean) {
    if (retain) retained.set(topic, { topic, payload, retain });
    else {
      events.push({ topic, payload, retain });
      while (events.length > MAX_EVENT_QUEUE) {
        events.shift();
        counters.dropped++;
      }
    }
    drain();
  }

  function drain() {
    if (!client || !connected) return;
    const gen = generation;
    while (inFlight < MAX_IN_FLIGHT) {
      let m: Outgoing | undefined = events.shift();
      if (!m) {
        const first = retained.keys().next();
        if (first.done) break;
        m = retained.get(first.value)!;
        retained.delete(first.value);
      }
      inFlight++;
      client.publish(m.topic, m.payload, { qos: m.retain ? 1 : 0, retain: m.retain }, (err) => {
        if (gen !== generation) return;
        inFlight--;
        if (err) counters.dropped++;
        else counters.published++;
        drain();
      });
    }
  }

  function disconnect() {
    generation++;
    connected = false;
    inFlight = 0;
    if (reconnectTimer) clock.clearTimeout(reconnectTimer);
    reconnectTimer = null;
    const c = client;
    client = null;
    if (c) {
      c.removeAllListeners();
      c.on("error", () => undefined);
      c.end(true);
    }
  }

  function scheduleReconnect() {
    if (stopped || !conn?.enabled || reconnectTimer) return;
    const wait = backoffMs;
    backoffMs = Math.min(RECONNECT_MAX_MS, backoffMs * 2);
    reconnectTimer = clock.setTimeout(() => {
      reconnectTimer = null;
      connect();
    }, wait);
  }

  function connect() {
    if (stopped || !conn?.enabled) return;
    disconnect();
    const gen = generation;
    const settings = conn;
    void setStatus("connecting", null);
    const c = mqtt.connect(mqttClientOptions(settings, true));
    client = c;
    let problem: { kind: MqttProblem; message: string } | null = null;
    c.on("connect", () => {
      if (gen !== generation) return;
      connected = true;
      backoffMs = RECONNECT_MIN_MS;
      void setStatus("connected", null);
      log.info("connected", { host: settings.host, port: settings.port });
      const t = bridgeTopics(settings.baseTopic);
      c.subscribe([...t.commandFilters, discoveryFilter(settings.discoveryPrefix, settings.baseTopic)], { qos: 1 });
      published.clear();
      enqueue(t.status, ONLINE, true);
      void republishAll().catch((err) => log.error("republish failed", { error: String(err) }));
    });
    c.on("message", (topic, payload, packet) => {
      if (gen !== generation) return;
      void onMessage(settings, topic, payload, packet.retain).catch((err) => log.error("message failed", { topic, error: String(err) }));
    });
    c.on("error", (err) => {
      if (gen !== generation) return;
      problem = { kind: classifyMqttError(err, { tls: settings.tls, connected }), message: err.message };
    });
    c.on("close", () => {
      if (gen !== generation) return;
      const wasConnected = connected;
      connected = false;
      inFlight = 0;
      generation++;
      const p = problem ?? { kind: wasConnected ? "dropped" : "unreachable", message: wasConnected ? "the broker closed the connection" : "connection closed" };
      log.warn("disconnected", { problem: p.kind, error: p.message });
      void setStatus("error", `${p.kind}: ${p.message}`);
      client = null;
      c.removeAllListeners();
      c.on("error", () => undefined);
      c.end(true);
      scheduleReconnect();
    });
  }

  async function onMessage(settings: MqttConnection, topic: string, payload: Buffer, isRetained: boolean) {
    const prefix = settings.discoveryPrefix;
    if (topic.startsWith(`${prefix}/`) && topic.endsWith("/config")) {
      // A retained config of ours from an earlier run: clear it when the entity is gone (a deleted camera).
      if (isRetained && payload.length > 0 && wantedDiscovery.size > 0 && !wantedDiscovery.has(topic)) enqueue(topic, "", true);
      return;
    }
    const cmd = parseCommand(settings.baseTopic, topic, payload.toString("utf8"));
    if (!cmd) return;
    if (isRetained) {
      counters.ignored++;
      log.warn("retained command ignored", { topic });
      return;
    }
    if (cmd.kind === "invalid") {
      counters.ignored++;
      log.warn("malformed command ignored", { topic, reason: cmd.reason });
      return;
    }
    try {
      if (cmd.kind === "mode") {
        await switchMode(db, cmd.mode, { via: "mqtt", actorId: null, now: clock.now() });
        await publishMode();
        await publishCameras();
      } else {
        const camera = await db.camera.findUnique({ where: { id: cmd.cameraId }, select: { id: true } });
        if (!camera) {
          counters.ignored++;
          log.warn("command for an unknown camera ignored", { topic });
          return;
        }
        // The broker's users act for the household: privacy mode and PTZ as an admin would use them.
        const household = { id: "mqtt", role: "admin" } as const;
        if (cmd.kind === "ptzPreset") {
          const presets = await db.ptzPreset.findMany({ where: { cameraId: cmd.cameraId }, select: { id: true, name: true } });
          const preset = presets.find((p) => p.id === cmd.preset) ?? presets.find((p) => p.name.toLocaleLowerCase() === cmd.preset.toLocaleLowerCase());
          if (!preset) {
            counters.ignored++;
            log.warn("unknown saved position ignored", { topic });
            return;
          }
          await gotoPreset(db, household, cmd.cameraId, preset.id, deps.credentialsKey);
          enqueue(cameraTopics(settings.baseTopic, cmd.cameraId).ptzPreset, preset.name, true);
        } else if (cmd.kind === "ptzMove") await movePtz(db, household, cmd.cameraId, { action: "relative", ...PTZ_STEPS[cmd.step] }, deps.credentialsKey);
        else {
          if (cmd.switch === "armed") await setCameraArmed(db, cmd.cameraId, cmd.on, null);
          else if (cmd.switch === "recording") await updateCamera(db, cmd.cameraId, { recordingEnabled: cmd.on }, deps.credentialsKey, null);
          else await setPrivacyMode(db, household, cmd.cameraId, cmd.on);
          await publishCameras([cmd.cameraId]);
        }
      }
      counters.commands++;
      log.info("command applied", { topic });
    } catch (err) {
      counters.ignored++;
      log.warn("command refused", { topic, error: String((err as Error)?.message ?? err) });
    }
  }

  // ── State from the database ──────────────────────────────────────────────────────────────────────────────────────

  async function publishMode() {
    if (!conn) return;
    const mode = await getActiveMode(db);
    enqueue(bridgeTopics(conn.baseTopic).mode, mode.name, true);
  }

  async function publishCameras(ids?: string[]) {
    if (!conn) return;
    const base = conn.baseTopic;
    const cameras = await db.camera.findMany({ where: ids ? { id: { in: ids } } : {}, select: { id: true, motionConfig: true, recordingEnabled: true, privacyMode: true, isEnabled: true, status: { select: { state: true } } } });
    for (const cam of cameras) {
      const t = cameraTopics(base, cam.id);
      const open = await db.event.count({ where: { cameraId: cam.id, endedAt: null } });
      enqueue(t.availability, cam.isEnabled && cam.status?.state === "online" ? ONLINE : OFFLINE, true);
      enqueue(t.motion, onOff(open > 0), true);
      enqueue(t.count(MOTION_LABEL), String(open > 0 ? 1 : 0), true);
      enqueue(t.state("armed"), onOff(parseMotionConfig(cam.motionConfig).config.armed), true);
      enqueue(t.state("recording"), onOff(cam.recordingEnabled), true);
      enqueue(t.state("privacy"), onOff(cam.privacyMode), true);
    }
  }

  async function publishSnapshot(cameraId: string) {
    if (!conn) return;
    const ev = await db.event.findFirst({ where: { cameraId, photo: { isNot: null } }, orderBy: { startedAt: "desc" }, select: { photo: { select: { path: true } } } });
    if (!ev?.photo) return;
    const file = resolveInside(mediaDir(deps.dataDir), ev.photo.path);
    if (!file) return;
    const jpeg = await fs.readFile(file).catch(() => null);
    if (jpeg) enqueue(cameraTopics(conn.baseTopic, cameraId).snapshot, jpeg, true);
  }

  async function publishDiscovery() {
    if (!conn) return;
    const cameras = await db.camera.findMany({ select: { id: true, name: true, manufacturer: true, model: true, firmware: true, ptzProfileToken: true, ptzPresets: { select: { name: true }, orderBy: { name: "asc" } } }, orderBy: { createdAt: "asc" } });
    const modes = await listModes(db);
    const messages = discoveryMessages({
      base: conn.baseTopic,
      prefix: conn.discoveryPrefix,
      version: deps.version ?? "0",
      cameras: cameras.map(({ ptzProfileToken, ptzPresets, ...c }) => ({ ...c, labels: [MOTION_LABEL], ptzPresets: ptzProfileToken ? ptzPresets.map((p) => p.name) : null })),
      modeNames: modes.map((m) => m.name),
    });
    wantedDiscovery = new Set(messages.map((m) => m.topic));
    for (const m of messages) {
      const text = JSON.stringify(m.payload);
      if (published.has(`${m.topic}\n${text}`)) continue;
      for (const k of [...published]) if (k.startsWith(`${m.topic}\n`)) published.delete(k);
      published.add(`${m.topic}\n${text}`);
      enqueue(m.topic, text, true);
    }
  }

  async function publishStorage() {
    if (!conn) return;
    const s = await getStorageSummary(db, { dataDir: deps.dataDir, floorBytes: deps.floorBytes ?? 0, now: clock.now(), timeZone: "UTC" });
    const t = bridgeTopics(conn.baseTopic);
    enqueue(t.storage("used_bytes"), String(s.usedBytes), true);
    if (s.disk) {
      enqueue(t.storage("free_bytes"), String(s.disk.freeBytes), true);
      enqueue(t.storage("total_bytes"), String(s.disk.totalBytes), true);
    }
  }

  async function republishAll() {
    await publishDiscovery();
    await publishMode();
    await publishCameras();
    const cams = await db.camera.findMany({ select: { id: true } });
    for (const c of cams) await publishSnapshot(c.id);
    await publishStorage().catch((err) => log.warn("storage figures failed", { error: String(err) }));
    lastSyncMs = clock.now().getTime();
  }

  async function handleFact(f: StoredFact) {
    if (!conn || !connected) return;
    const base = conn.baseTopic;
    const d = f.data as Record<string, unknown>;
    const cameraId = f.cameraId ?? (typeof d.cameraId === "string" ? d.cameraId : null);
    const message = (type: EventMessage["type"], score: number | null, endedAt: string | null) =>
      cameraId && typeof d.eventId === "string" ? enqueue(cameraTopics(base, cameraId).event, eventMessage({ type, eventId: d.eventId, cameraId, startedAt: String(d.startedAt), endedAt, labels: [MOTION_LABEL, ...(Array.isArray(d.labels) ? d.labels.filter((l): l is string => typeof l === "string") : [])], score }), false) : undefined;
    switch (f.type) {
      case "event.started":
        message("new", null, null);
        if (cameraId) await publishCameras([cameraId]);
        break;
      case "event.updated":
        message("update", null, null);
        break;
      case "event.ended":
        message("end", typeof d.peakScore === "number" ? d.peakScore : null, typeof d.endedAt === "string" ? d.endedAt : null);
        if (cameraId) {
          await publishCameras([cameraId]);
          await publishSnapshot(cameraId);
        }
        break;
      case "camera.offline":
      case "camera.online":
      case "camera.changed":
      case "recording.stopped":
        if (cameraId) await publishCameras([cameraId]);
        if (f.type === "camera.changed") await publishDiscovery();
        break;
      case "mode.changed":
        await publishMode();
        await publishCameras();
        await publishDiscovery();
        break;
      case "storage.low":
        await publishStorage();
        break;
    }
  }

  async function refreshSettings() {
    lastSettingsMs = clock.now().getTime();
    const next = await loadMqttConnection(db, deps.credentialsKey);
    const stamp = JSON.stringify({ ...next, updatedAt: null });
    if (stamp === settingsStamp) return;
    settingsStamp = stamp;
    const wasEnabled = conn?.enabled && connected;
    if (wasEnabled && client && conn) {
      // Leaving cleanly: the will is not sent on a clean disconnect, so say "offline" ourselves.
      client.publish(bridgeTopics(conn.baseTopic).status, OFFLINE, { qos: 1, retain: true });
    }
    conn = next;
    retained.clear();
    events.length = 0;
    backoffMs = RECONNECT_MIN_MS;
    disconnect();
    if (next.enabled && next.host) connect();
    else await setStatus("disabled", null);
  }

  /** One round: settings (every SETTINGS_MS), the outbox, the 60 s sync. Never throws. */
  async function step() {
    if (stepping) return stepping;
    stepping = (async () => {
      try {
        const nowMs = clock.now().getTime();
        if (nowMs - lastSettingsMs >= SETTINGS_MS) await refreshSettings();
        const facts = await readFacts(db, MQTT_READER, 200);
        for (const f of facts) {
          counters.facts++;
          await handleFact(f).catch((err) => log.error("fact not published", { id: f.id, error: String(err) }));
        }
        if (facts.length) await commitFacts(db, MQTT_READER, facts[facts.length - 1].id);
        if (connected && nowMs - lastSyncMs >= SYNC_MS) {
          lastSyncMs = nowMs;
          await publishDiscovery();
          await publishStorage().catch((err) => log.warn("storage figures failed", { error: String(err) }));
        }
      } catch (err) {
        log.error("step failed", { error: String(err) });
      } finally {
        stepping = null;
      }
    })();
    return stepping;
  }

  function loop() {
    if (!running) return;
    const h = clock.setTimeout(() => {
      timers.delete(h);
      void step().finally(loop);
    }, pollMs);
    timers.add(h);
  }

  return {
    start() {
      if (running) return;
      running = true;
      void step().finally(loop);
    },
    async stop() {
      running = false;
      stopped = true;
      for (const h of timers) clock.clearTimeout(h);
      timers.clear();
      if (stepping) await stepping;
      if (client && connected && conn) {
        const c = client;
        // A broker that stops answering must not hold up shutdown: at most STOP_WAIT_MS, then the socket is dropped.
        const wait = (p: Promise<void>) => Promise.race([p, new Promise<void>((r) => setTimeout(r, STOP_WAIT_MS).unref())]);
        await wait(new Promise<void>((resolve) => c.publish(bridgeTopics(conn!.baseTopic).status, OFFLINE, { qos: 1, retain: true }, () => resolve())));
        await wait(new Promise<void>((resolve) => c.end(false, {}, () => resolve())));
      }
      disconnect();
    },
    status: () => ({ state, detail, queued: retained.size + events.length, inFlight, ...counters }),
    step,
    sync: republishAll,
    counters: () => ({ ...counters, queued: retained.size + events.length }),
  };
}
