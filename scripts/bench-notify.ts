// `npm run bench:notify`: telling the household, with real parts. A migrated SQLite in a temporary data folder, the
// real notifier worker (workers/notifier.ts, forked as scripts/start.ts runs it: createNotificationService and
// createMqttBridge on the system clock), a real Debian mosquitto on a free port with a subscriber (`mqtt` package), a
// real smtp-server taking the e-mails, and a local HTTP server playing the push service (as lib/push's tests do:
// endpoints on 127.0.0.1 stored with allowLoopbackHttp; the browser maker's real push service is not reached). Facts
// are written with lib/facts emitFact after the Event row, in the recorder's order (camera-recorder.ts openEvent /
// endEvent). Measures:
//   1. Onset → in-app, → push, → MQTT, → SMTP accepted over 30 motion bursts of one camera, p50/p95/max. Onset = the
//      recorder's event row written (emitFact follows it; its own time is printed). In-app twice: the row visible to
//      the SSE stream's query (notificationSignal, polled every 20 ms here), and an `unread` event received over a
//      real HTTP Server-Sent-Events connection from a replica of app/api/notifications/stream/route.ts (the same
//      query and poll interval, read from the route's source; the route itself needs Next's request scope and a
//      session, so it is not run). Target: in-app and push p95 ≤ 2 s.
//   2. 200 members (in-app + push, one push subscription each) told of one event: fact → all rows written and
//      fact → every push POSTed and logged, over several rounds. Target < 1 s, in every round.
//   3. 16 cameras in motion at once: a simulated recorder in its own process (16 cameras: a 512 KB segment file per
//      camera per second, and per event the real recorder's rows and facts — Event, event.started, event.updated,
//      Event end, Clip, Photo with its JPEG, event.ended — but no ffmpeg ingest or motion decoding) runs once without
//      the notifier (baseline) and once with it, in the same run. Prints the recorder's segment gaps and database write
//      times in both, how long facts waited for each reader of the outbox, drain time, throughput, and the notifier
//      process's event-loop lag. Targets: segments keep their 1 s cadence (longest gap ≤ 2 s), the recorder's database
//      writes p95 at most 100 ms slower than the baseline, and no fact waits more than 2 s for either reader.
// Not measured: the real recorder with simulated cameras (bench:recorder: 16 cameras need 32 ffmpeg processes and the
// simulator, more than this benchmark's budget), a browser's EventSource, a real push service.
// Environment: BENCH_DIR (parent of the temporary data folder; default the system temp folder), BENCH_KEEP=1 keeps it.
// Exit code 0 either way: a measurement, not a test.
import { fork, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { fileURLToPath, pathToFileURL } from "node:url";
import { SMTPServer } from "smtp-server";
import { databaseFile, mediaDir } from "../lib/data-dir";
import { openDb, type Db } from "../lib/db";
import { emitFact } from "../lib/facts/emit";
import { newId } from "../lib/ids";
import { hasMosquitto, startBroker, subscriber, type Broker } from "../lib/mqtt/broker.testing";
import { saveMqttSettings } from "../lib/mqtt/settings";
import { notificationSignal } from "../lib/notifications/centre";
import { saveSmtpSettings } from "../lib/notifications/smtp";
import { encryptPushMessage } from "../lib/push/encrypt";
import { PUSH_SENDS_AT_ONCE, pushPlaintext, pushTopic } from "../lib/push/send";
import { addPushSubscription } from "../lib/push/subscriptions";
import { loadVapidKeys, vapidAuthorization, vapidSubject } from "../lib/push/vapid";
import { getSecrets } from "../lib/secrets";
import { applyMigrations } from "../lib/testing/db";

const root = path.resolve(import.meta.dirname, "..");
const self = fileURLToPath(import.meta.url);
const BURSTS = 30;
const CROWD = 200;
const CROWD_ROUNDS = 5;
/** 16 cameras, each: event start, event.updated after UPDATE_AT_MS, end after END_AT_MS, next start after CYCLE_MS. */
const C_CAMERAS = 16;
const C_WINDOW_MS = 20_000;
const CYCLE_MS = 5_000;
const UPDATE_AT_MS = 1_500;
const END_AT_MS = 3_000;
/** The 16 onsets of a cycle fall within this, ms ("at once"). */
const ONSET_SPREAD_MS = 20;
/** A 1 s segment of a 4 Mbit/s camera, bytes. */
const SEGMENT_BYTES = 512 * 1024;
const PHOTO_BYTES = 60_000;
const THUMB_BYTES = 6_000;
const TARGET = { deliverP95Ms: 2_000, crowdMs: 1_000, segmentGapMs: 2_000, writeSlowdownMs: 100, factWaitMs: 2_000 };
const BASE_TOPIC = "nightjar";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sleepUntil = (at: number) => sleep(Math.max(0, at - Date.now()));
const pct = (xs: number[], p: number): number | null => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
};
const ms = (x: number | null) => (x === null ? "–" : `${Math.round(x)}`);
const verdict = (ok: boolean) => (ok ? "PASS" : "FAIL");
const pad = (s: string, n: number) => s.padEnd(n);
const lpad = (s: string, n: number) => s.padStart(n);
const max = (xs: number[]) => (xs.length ? Math.max(...xs) : null);

/** A JPEG-shaped buffer (SOI … EOI) of `bytes`: the bridge publishes it as the snapshot, nothing decodes it. */
function fakeJpeg(bytes: number): Buffer {
  const b = crypto.randomBytes(bytes);
  b[0] = 0xff;
  b[1] = 0xd8;
  b[bytes - 2] = 0xff;
  b[bytes - 1] = 0xd9;
  return b;
}

type Cam = { id: string; name: string };
type Timer = (kind: string, fn: () => Promise<unknown>) => Promise<void>;
const untimed: Timer = async (_kind, fn) => void (await fn());

/** The recorder's event start (camera-recorder.ts openEvent): the Event row, then event.started. */
async function startEvent(db: Db, cam: Cam, time: Timer = untimed) {
  const id = newId();
  const startedAt = new Date();
  await time("Event row (start)", () => db.event.create({ data: { id, cameraId: cam.id, cameraName: cam.name, startedAt } }));
  const rowAt = Date.now();
  await time("fact event.started", () => emitFact(db, "event.started", { eventId: id, cameraId: cam.id, cameraName: cam.name, startedAt: startedAt.toISOString() }));
  return { id, startedAt, rowAt, emitMs: Date.now() - rowAt };
}

/** The recorder's event end (endEvent + event-media.ts): Event closed, a Clip row, the photo files and row, event.ended. */
async function endEvent(db: Db, dataDir: string, cam: Cam, ev: { id: string; startedAt: Date }, jpeg: { photo: Buffer; thumb: Buffer }, time: Timer = untimed) {
  const endedAt = new Date();
  await time("Event row (end)", () => db.event.update({ where: { id: ev.id }, data: { endedAt, peakScore: 0.42, peakAt: ev.startedAt, zones: "[]" } }));
  await time("Clip row", () => db.clip.create({ data: { id: newId(), eventId: ev.id, sequence: 1, path: `${cam.id}/clips/${ev.id}.mp4`, bytes: 2_000_000, startedAt: ev.startedAt, durationMs: endedAt.getTime() - ev.startedAt.getTime() } }));
  const rel = { photo: `${cam.id}/photos/${ev.id}.jpg`, thumb: `${cam.id}/photos/${ev.id}-t.jpg` };
  await time("photo files + Photo row", async () => {
    fs.mkdirSync(path.join(mediaDir(dataDir), cam.id, "photos"), { recursive: true });
    await fs.promises.writeFile(path.join(mediaDir(dataDir), rel.photo), jpeg.photo);
    await fs.promises.writeFile(path.join(mediaDir(dataDir), rel.thumb), jpeg.thumb);
    await db.photo.create({ data: { eventId: ev.id, path: rel.photo, bytes: jpeg.photo.length, width: 1920, height: 1080, thumbPath: rel.thumb, thumbBytes: jpeg.thumb.length, thumbWidth: 320, thumbHeight: 180, takenAt: ev.startedAt } });
  });
  await time("fact event.ended", () =>
    emitFact(db, "event.ended", { eventId: ev.id, cameraId: cam.id, cameraName: cam.name, startedAt: ev.startedAt.toISOString(), endedAt: endedAt.toISOString(), peakScore: 0.42, zones: [], labels: [], clips: [], photoUrl: `http://localhost:3000/api/v1/events/${ev.id}/photo` }),
  );
}

const C_CAMS: Cam[] = Array.from({ length: C_CAMERAS }, (_, i) => ({ id: `cam${String(i + 1).padStart(2, "0")}`, name: `Camera ${i + 1}` }));

// ---------------------------------------------------------------------------------------------------------------
// Child process: the simulated recorder of part 3

type RecorderReport = {
  ops: Record<string, number[]>;
  segments: { camera: string; due: number; start: number; done: number }[];
  errors: string[];
  events: number;
  facts: number;
  firstFactAt: number;
  lastFactAt: number;
  lag: { p50: number; p99: number; max: number };
};

async function runRecorderChild(dataDir: string, startAt: number): Promise<void> {
  const db = await openDb(databaseFile(dataDir));
  const loop = monitorEventLoopDelay({ resolution: 10 });
  const report: RecorderReport = { ops: {}, segments: [], errors: [], events: 0, facts: 0, firstFactAt: 0, lastFactAt: 0, lag: { p50: 0, p99: 0, max: 0 } };
  const time: Timer = async (kind, fn) => {
    const s = performance.now();
    try {
      await fn();
    } catch (err) {
      report.errors.push(`${kind}: ${String((err as Error)?.message ?? err).slice(0, 200)}`);
    }
    (report.ops[kind] ??= []).push(performance.now() - s);
    if (kind.startsWith("fact ")) {
      report.facts++;
      report.lastFactAt = Date.now();
      report.firstFactAt ||= report.lastFactAt;
    }
  };
  const jpeg = { photo: fakeJpeg(PHOTO_BYTES), thumb: fakeJpeg(THUMB_BYTES) };
  const segment = Buffer.alloc(SEGMENT_BYTES, 1);
  const endAt = startAt + C_WINDOW_MS;
  await sleepUntil(startAt - 200);
  loop.enable();
  const segmentLoops = C_CAMS.map(async (cam, i) => {
    const dir = path.join(mediaDir(dataDir), cam.id, "segments");
    fs.mkdirSync(dir, { recursive: true });
    // Cameras' segment boundaries are spread over the second, as independent cameras' keyframes are.
    for (let k = 0; ; k++) {
      const due = startAt + Math.round((i * 1000) / C_CAMS.length) + k * 1000;
      if (due > endAt) break;
      await sleepUntil(due);
      const start = Date.now();
      try {
        const file = path.join(dir, `${k}.m4s`);
        await fs.promises.writeFile(`${file}.tmp`, segment);
        await fs.promises.rename(`${file}.tmp`, file);
        if (k >= 6) await fs.promises.rm(path.join(dir, `${k - 6}.m4s`), { force: true }); // a pre-roll ring of 6
      } catch (err) {
        report.errors.push(`segment: ${String(err)}`);
      }
      report.segments.push({ camera: cam.id, due, start, done: Date.now() });
    }
  });
  const eventLoops = C_CAMS.map(async (cam, i) => {
    for (let c = 0; ; c++) {
      const t0 = startAt + c * CYCLE_MS + Math.round((i * ONSET_SPREAD_MS) / C_CAMS.length);
      if (t0 + END_AT_MS > endAt) break;
      await sleepUntil(t0);
      const ev = await startEvent(db, cam, time);
      report.events++;
      await sleepUntil(t0 + UPDATE_AT_MS);
      await time("fact event.updated", () => emitFact(db, "event.updated", { eventId: ev.id, cameraId: cam.id, cameraName: cam.name, startedAt: ev.startedAt.toISOString(), change: "clip_added", clips: [] }));
      await sleepUntil(t0 + END_AT_MS);
      await endEvent(db, dataDir, cam, ev, jpeg, time);
    }
  });
  await Promise.all([...segmentLoops, ...eventLoops]);
  loop.disable();
  report.lag = { p50: loop.percentile(50) / 1e6, p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 };
  process.stdout.write(`${JSON.stringify(report)}\n`);
  await db.$disconnect();
}

async function runRecorder(dataDir: string): Promise<RecorderReport> {
  const startAt = Date.now() + 1_500;
  const child = fork(self, ["--recorder", dataDir, String(startAt)], { execArgv: ["--import", "tsx"], env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: "error" }, stdio: ["ignore", "pipe", "inherit", "ipc"] });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  const code = await new Promise<number | null>((r) => child.once("exit", (c) => r(c)));
  const line = out.trim().split("\n").pop() ?? "";
  if (code !== 0 || !line.startsWith("{")) throw new Error(`the simulated recorder failed (exit ${code}): ${out.slice(-500)}`);
  return JSON.parse(line) as RecorderReport;
}

// ---------------------------------------------------------------------------------------------------------------
// The notifier worker, forked with a preload that reports its event-loop lag over IPC

type Lag = { p50: number; p99: number; max: number };
type Notifier = { child: ChildProcess; lag(reset: boolean): Promise<Lag>; stop(): Promise<void> };

const LAG_PRELOAD = `import { monitorEventLoopDelay } from "node:perf_hooks";
const h = monitorEventLoopDelay({ resolution: 10 });
h.enable();
process.on("message", (m) => {
  if (!m || m.type !== "lag?") return;
  process.send({ type: "lag", p50: h.percentile(50) / 1e6, p99: h.percentile(99) / 1e6, max: h.max / 1e6 });
  if (m.reset) h.reset();
});
process.on("disconnect", () => process.kill(process.pid, "SIGTERM"));
`;

function startNotifier(dataDir: string): Notifier {
  const preload = path.join(dataDir, "bench-loop-lag.mjs");
  fs.writeFileSync(preload, LAG_PRELOAD);
  const child = fork(path.join(root, "workers/notifier.ts"), [], {
    cwd: root,
    execArgv: ["--import", "tsx", "--import", pathToFileURL(preload).href],
    env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: "error" },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  return {
    child,
    lag(reset) {
      return new Promise((resolve) => {
        const on = (m: { type?: string } & Lag) => {
          if (m?.type !== "lag") return;
          child.off("message", on);
          resolve({ p50: m.p50, p99: m.p99, max: m.max });
        };
        child.on("message", on);
        child.send({ type: "lag?", reset });
      });
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Receivers: push service stand-in, SMTP server, SSE stream replica and its client

type Arrival = { at: number; key: string };

function browserKeys() {
  const ecdh = crypto.createECDH("prime256v1");
  ecdh.generateKeys();
  return { p256dh: ecdh.getPublicKey().toString("base64url"), auth: crypto.randomBytes(16).toString("base64url") };
}

async function listen(server: http.Server | SMTPServer): Promise<number> {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return ((server instanceof SMTPServer ? server.server : server).address() as AddressInfo).port;
}

/** The stream's poll interval, read from the route so the replica cannot drift from it, ms. */
function streamPollMs(): number {
  const src = fs.readFileSync(path.join(root, "app/api/notifications/stream/route.ts"), "utf8");
  const m = /const POLL_MS = ([\d_]+);/.exec(src);
  if (!m) throw new Error("POLL_MS not found in app/api/notifications/stream/route.ts");
  return Number(m[1].replace(/_/g, ""));
}

/** app/api/notifications/stream/route.ts without Next: the same loop (notificationSignal, send on change, poll). */
function sseReplica(db: Db, pollMs: number): http.Server {
  return http.createServer((req, res) => {
    const userId = new URL(req.url ?? "/", "http://bench").searchParams.get("user") ?? "";
    res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache, no-transform", "x-accel-buffering": "no" });
    res.write("retry: 2000\n\n");
    let last = "";
    let closed = false;
    let timer: NodeJS.Timeout | null = null;
    req.on("close", () => {
      closed = true;
      if (timer) clearTimeout(timer);
    });
    const tick = async () => {
      if (closed) return;
      try {
        const text = JSON.stringify(await notificationSignal(db, userId));
        if (text !== last) {
          last = text;
          res.write(`event: unread\ndata: ${text}\n\n`);
        }
      } catch {
        res.end();
        return;
      }
      if (!closed) timer = setTimeout(tick, pollMs);
    };
    void tick();
  });
}

/** A real HTTP client of the stream: every `unread` event with its arrival time. */
async function sseClient(url: string) {
  const abort = new AbortController();
  const events: { at: number; unread: number; latest: string | null }[] = [];
  const res = await fetch(url, { signal: abort.signal });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buf = "";
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buf += decoder.decode(value, { stream: true });
        let i: number;
        while ((i = buf.indexOf("\n\n")) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const data = /^data: (.*)$/m.exec(block);
          if (/^event: unread$/m.test(block) && data) events.push({ at: Date.now(), ...(JSON.parse(data[1]) as { unread: number; latest: string | null }) });
        }
      }
    } catch {
      /* aborted */
    }
  })();
  return { events, close: () => abort.abort() };
}

/** Checks `cond` every `everyMs` until it holds or `limitMs` passed (a ceiling, not a measurement). */
async function until(cond: () => boolean | Promise<boolean>, limitMs: number, everyMs = 10): Promise<boolean> {
  const end = Date.now() + limitMs;
  while (Date.now() < end) {
    if (await cond()) return true;
    await sleep(everyMs);
  }
  return cond();
}

// ---------------------------------------------------------------------------------------------------------------
// Main

async function main() {
  const startedAt = Date.now();
  if (!hasMosquitto()) throw new Error("mosquitto is not installed (/usr/sbin/mosquitto; scripts/prerequisites.sh installs it)");
  const parent = process.env.BENCH_DIR ?? os.tmpdir();
  fs.mkdirSync(parent, { recursive: true });
  const dataDir = fs.mkdtempSync(path.join(parent, "nightjar-bench-notify-"));
  process.env.DATA_DIR = dataDir;
  /** Undone last first. */
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  const say = (s = "") => console.log(s);
  try {
    applyMigrations(databaseFile(dataDir));
    const db = await openDb(databaseFile(dataDir));
    cleanups.push(() => db.$disconnect());
    const key = getSecrets().credentialsKey; // creates the data folder's secrets; the notifier reads the same files
    const jpeg = { photo: fakeJpeg(PHOTO_BYTES), thumb: fakeJpeg(THUMB_BYTES) };

    // Receivers.
    const pushes: Arrival[] = [];
    const pushServer = http.createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        pushes.push({ at: Date.now(), key: String(req.headers.topic ?? "") });
        res.writeHead(201).end();
      });
    });
    const pushPort = await listen(pushServer);
    cleanups.push(() => {
      pushServer.closeAllConnections();
      return new Promise((r) => pushServer.close(r));
    });
    const mails: Arrival[] = [];
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS", "AUTH"],
      logger: false,
      onData(stream, session, cb) {
        stream.resume();
        stream.on("end", () => {
          mails.push({ at: Date.now(), key: session.envelope.rcptTo.map((r) => r.address).join(",") });
          cb();
        });
      },
    });
    const smtpPort = await listen(smtp);
    cleanups.push(() => new Promise<void>((r) => smtp.close(() => r())));
    const broker: Broker = await startBroker();
    cleanups.push(() => fs.rmSync(broker.dir, { recursive: true, force: true }));
    cleanups.push(() => broker.stop());
    const sub = await subscriber(broker.port, [`${BASE_TOPIC}/#`]);
    cleanups.push(() => sub.close());
    const mqttIn: { at: number; topic: string; payload: string }[] = [];
    sub.client.on("message", (topic, payload) => mqttIn.push({ at: Date.now(), topic, payload: topic.endsWith("/snapshot") ? "" : payload.toString("utf8") }));
    const pollMs = streamPollMs();
    const sse = sseReplica(db, pollMs);
    const ssePort = await listen(sse);
    cleanups.push(() => {
      sse.closeAllConnections();
      return new Promise((r) => sse.close(r));
    });

    // Household: an admin who wants everything at once (cool-down 0: every event), a member with in-app and push
    // (default cool-down 60 s), the cameras, SMTP and MQTT settings.
    await db.household.create({ data: { name: "Bench" } });
    const porch: Cam = { id: "porch", name: "Porch" };
    const crowdCam: Cam = { id: "garden", name: "Garden" };
    for (const c of [porch, crowdCam, ...C_CAMS]) await db.camera.create({ data: { id: c.id, name: c.name, mainStreamUrl: `rtsp://192.0.2.1/${c.id}` } });
    await db.user.create({ data: { id: "alice", email: "alice@bench.test", passwordHash: "x", role: "admin", timeZone: "Europe/Amsterdam", notificationPrefs: { create: { prefs: JSON.stringify({ channels: { inApp: true, push: true, email: true }, cooldownSeconds: 0 }) } } } });
    await db.user.create({ data: { id: "bob", email: "bob@bench.test", passwordHash: "x", role: "member", notificationPrefs: { create: { prefs: JSON.stringify({ channels: { inApp: true, push: true, email: false } }) } } } });
    await db.cameraAccess.createMany({ data: [porch, ...C_CAMS].map((c) => ({ cameraId: c.id, userId: "bob" })) });
    for (const u of ["alice", "bob"]) await addPushSubscription(db, u, { endpoint: `http://127.0.0.1:${pushPort}/push/${u}`, keys: browserKeys() }, { allowLoopbackHttp: true });
    await saveSmtpSettings(db, { enabled: true, host: "127.0.0.1", port: smtpPort, security: "none", user: "", from: "nightjar@bench.test" }, key);
    await saveMqttSettings(db, { enabled: true, host: "127.0.0.1", port: broker.port, tls: false, username: broker.user, password: broker.password, baseTopic: BASE_TOPIC, discoveryPrefix: "homeassistant" }, key);
    const stream = await sseClient(`http://127.0.0.1:${ssePort}/stream?user=alice`);
    cleanups.push(() => stream.close());

    say(`bench:notify — data folder ${dataDir}; mosquitto :${broker.port}, smtp-server :${smtpPort}, push receiver :${pushPort}, SSE replica :${ssePort} (poll ${pollMs} ms, from the route)`);
    say(`machine: ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(2)} at the start`);

    // ----- 3a. Baseline: the simulated recorder alone (no notifier process yet; its cursors start after these facts).
    const baseline = await runRecorder(dataDir);

    // ----- The notifier worker.
    const notifier = startNotifier(dataDir);
    cleanups.push(() => notifier.stop());
    const ready = await until(async () => (await db.factCursor.count({ where: { reader: { in: ["notifications", "mqtt"] } } })) === 2 && mqttIn.some((m) => m.topic === `${BASE_TOPIC}/status` && m.payload === "online"), 30_000, 50);
    if (!ready) throw new Error("the notifier worker did not start reading the outbox and connect to the broker within 30 s");
    await sleep(1_000); // the bridge's first republish
    await notifier.lag(true);

    // ----- 1. Onset → delivered, 30 bursts.
    type Burst = { emitMs: number; row?: number; sse?: number; push?: number; mqttEvent?: number; mqttMotion?: number; mail?: number };
    const bursts: Burst[] = [];
    for (let b = 0; b < BURSTS; b++) {
      const unreadBefore = stream.events.at(-1)?.unread ?? 0;
      const mailsBefore = mails.filter((m) => m.key === "alice@bench.test").length;
      const mqttFrom = mqttIn.length;
      const sseFrom = stream.events.length;
      const ev = await startEvent(db, porch);
      const burst: Burst = { emitMs: ev.emitMs };
      const topic = pushTopic(`event-${ev.id}`);
      const seen = () => {
        const p = pushes.find((x) => x.key === topic);
        if (p) burst.push ??= p.at - ev.rowAt;
        const s = stream.events.slice(sseFrom).find((e) => e.unread > unreadBefore);
        if (s) burst.sse ??= s.at - ev.rowAt;
        for (const m of mqttIn.slice(mqttFrom)) {
          if (m.topic === `${BASE_TOPIC}/${porch.id}/event` && m.payload.includes(ev.id) && m.payload.includes('"type":"new"')) burst.mqttEvent ??= m.at - ev.rowAt;
          if (m.topic === `${BASE_TOPIC}/${porch.id}/motion` && m.payload === "ON") burst.mqttMotion ??= m.at - ev.rowAt;
        }
        const mine = mails.filter((m) => m.key === "alice@bench.test");
        if (mine.length > mailsBefore) burst.mail ??= mine[mailsBefore].at - ev.rowAt;
        return burst.row !== undefined && burst.sse !== undefined && burst.push !== undefined && burst.mqttEvent !== undefined && burst.mqttMotion !== undefined && burst.mail !== undefined;
      };
      await until(async () => {
        if (burst.row === undefined && (await notificationSignal(db, "alice")).unread > unreadBefore) burst.row = Date.now() - ev.rowAt;
        return seen();
      }, 10_000, 20);
      bursts.push(burst);
      // The event goes on a little, ends (photo, event.ended), and the camera is quiet before the next burst; the
      // pauses vary so onsets fall at every phase of the notifier's and the stream's polls.
      await sleep(150 + ((b * 137) % 400));
      await endEvent(db, dataDir, porch, ev, jpeg);
      await until(() => mqttIn.slice(mqttFrom).some((m) => m.topic === `${BASE_TOPIC}/${porch.id}/event` && m.payload.includes(ev.id) && m.payload.includes('"type":"end"')), 10_000);
      await sleep(100 + ((b * 211) % 500));
    }
    const lagA = await notifier.lag(true);

    // ----- 3b. The simulated recorder with the notifier running; how long facts wait for each reader.
    const mailsBeforeC = mails.length;
    const pushesBeforeC = pushes.length;
    const mqttBeforeC = mqttIn.length;
    const waits = { notifications: [] as number[], mqtt: [] as number[] };
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const now = Date.now();
        for (const reader of ["notifications", "mqtt"] as const) {
          const cursor = await db.factCursor.findUnique({ where: { reader } });
          const oldest = await db.fact.findFirst({ where: { id: { gt: cursor?.lastId ?? 0 } }, orderBy: { id: "asc" }, select: { createdAt: true } });
          waits[reader].push(oldest ? Math.max(0, now - oldest.createdAt.getTime()) : 0);
        }
        await sleep(100);
      }
    })();
    await notifier.lag(true);
    const withNotifier = await runRecorder(dataDir);
    const maxFact = (await db.fact.findFirst({ orderBy: { id: "desc" }, select: { id: true } }))!.id;
    const caughtUp = await until(async () => (await db.factCursor.findMany({ where: { reader: { in: ["notifications", "mqtt"] } } })).every((c) => c.lastId >= maxFact), 60_000, 20);
    const caughtUpAt = Date.now();
    sampling = false;
    await sampler;
    const lagC = await notifier.lag(true);
    const expectedMailsC = withNotifier.events; // alice, cool-down 0: one e-mail per event
    await until(() => mails.length - mailsBeforeC >= expectedMailsC, 30_000, 20);
    const mailsDoneAt = Date.now();
    const mailsC = mails.length - mailsBeforeC;
    const factsC = await db.fact.findMany({ where: { cameraId: { in: C_CAMS.map((c) => c.id) }, type: "event.started", createdAt: { gte: new Date(withNotifier.firstFactAt - 5_000) } }, select: { eventId: true, createdAt: true } });
    const startedAtOf = new Map(factsC.map((f) => [f.eventId!, f.createdAt.getTime()]));
    const mqttLatC: number[] = [];
    for (const m of mqttIn.slice(mqttBeforeC)) {
      if (!m.topic.endsWith("/event") || !m.payload.includes('"type":"new"')) continue;
      const t = startedAtOf.get((JSON.parse(m.payload) as { eventId: string }).eventId);
      if (t !== undefined) mqttLatC.push(m.at - t);
    }
    const topicToStart = new Map([...startedAtOf].map(([id, t]) => [pushTopic(`event-${id}`), t]));
    const pushLatC: number[] = [];
    for (const p of pushes.slice(pushesBeforeC)) {
      const t = topicToStart.get(p.key);
      if (t !== undefined) pushLatC.push(p.at - t);
    }

    // ----- 2. 200 members.
    const setupStart = Date.now();
    const crowd = Array.from({ length: CROWD }, (_, i) => `m${String(i).padStart(3, "0")}`);
    await db.user.createMany({ data: crowd.map((id) => ({ id, email: `${id}@bench.test`, passwordHash: "x", role: "member" })) });
    await db.notificationPrefs.createMany({ data: crowd.map((userId) => ({ userId, prefs: JSON.stringify({ channels: { inApp: true, push: true, email: false }, cooldownSeconds: 0 }) })) });
    await db.cameraAccess.createMany({ data: crowd.map((userId) => ({ cameraId: crowdCam.id, userId })) });
    for (const u of crowd) await addPushSubscription(db, u, { endpoint: `http://127.0.0.1:${pushPort}/push/${u}`, keys: browserKeys() }, { allowLoopbackHttp: true });
    const crowdSetupS = (Date.now() - setupStart) / 1000;
    const told = CROWD + 1; // the 200 members and the admin (who sees every camera); bob does not see this camera
    await notifier.lag(true);
    const rounds: { rows: number | null; pushed: number | null; logged: number | null }[] = [];
    for (let r = 0; r < CROWD_ROUNDS; r++) {
      const ev = await startEvent(db, crowdCam);
      const topic = pushTopic(`event-${ev.id}`);
      const round = { rows: null as number | null, pushed: null as number | null, logged: null as number | null };
      await until(async () => {
        if (round.rows === null && (await db.notification.count({ where: { eventId: ev.id } })) >= told) round.rows = Date.now() - ev.rowAt;
        if (round.pushed === null) {
          const got = pushes.filter((p) => p.key === topic);
          if (got.length >= told) round.pushed = Math.max(...got.map((p) => p.at)) - ev.rowAt;
        }
        if (round.logged === null && (await db.notificationDelivery.count({ where: { channel: "push", status: { in: ["sent", "failed"] }, notification: { eventId: ev.id } } })) >= told) round.logged = Date.now() - ev.rowAt;
        return round.rows !== null && round.pushed !== null && round.logged !== null;
      }, 30_000, 10);
      rounds.push(round);
      await endEvent(db, dataDir, crowdCam, ev, jpeg);
      const last = (await db.fact.findFirst({ orderBy: { id: "desc" }, select: { id: true } }))!.id;
      await until(async () => (await db.factCursor.findMany({ where: { reader: { in: ["notifications", "mqtt"] } } })).every((c) => c.lastId >= last), 30_000, 20);
      await sleep(700);
    }
    const lagB = await notifier.lag(true);
    const pushFailures = await db.notificationDelivery.count({ where: { channel: "push", status: "failed" } });
    // What one push costs in CPU before it leaves (in this process, same code): the RFC 8291 encryption and the VAPID
    // JWT, both made per subscription by lib/push/send.ts.
    const plain = pushPlaintext({ title: "Garden", body: "Motion at Garden, 12:00", url: "/events?camera=garden&day=2026-12-06", tag: "event-x", eventId: "x", cameraId: "garden", label: "motion", at: new Date().toISOString() });
    const subKeys = browserKeys();
    const vapid = loadVapidKeys(dataDir);
    let cpu = performance.now();
    for (let i = 0; i < told; i++) encryptPushMessage(plain, subKeys);
    const encryptMs = (performance.now() - cpu) / told;
    cpu = performance.now();
    for (let i = 0; i < told; i++) vapidAuthorization(vapid, `http://127.0.0.1:${pushPort}/push/m${i}`, vapidSubject(), new Date());
    const jwtMs = (performance.now() - cpu) / told;

    // ----- Output.
    const row = (label: string, xs: number[], n: number, target: string) => say(`   ${pad(label, 76)}${lpad(`${xs.length}/${n}`, 6)}${lpad(ms(pct(xs, 50)), 7)}${lpad(ms(pct(xs, 95)), 7)}${lpad(ms(max(xs)), 7)}   ${target}`);
    const got = <K extends keyof Burst>(k: K) => bursts.map((b) => b[k]).filter((x): x is number => typeof x === "number");
    const lagText = (l: Lag) => `p50 ${l.p50.toFixed(1)}, p99 ${l.p99.toFixed(1)}, max ${l.max.toFixed(1)} ms (beyond a 10 ms timer)`;
    const range = (xs: number[]) => (xs.length ? `${ms(Math.min(...xs))}–${ms(Math.max(...xs))} ms` : "none");
    say();
    say(`1. onset → delivered: ${BURSTS} motion bursts of one camera, one at a time; onset = the recorder's Event row written (emitFact returned p50 ${ms(pct(got("emitMs"), 50))} / max ${ms(max(got("emitMs")))} ms later)`);
    say(`   latency from onset, ms${" ".repeat(57)}n    p50    p95    max`);
    const sseOk = got("sse").length === BURSTS && (pct(got("sse"), 95) ?? Infinity) <= TARGET.deliverP95Ms;
    const pushOk = got("push").length === BURSTS && (pct(got("push"), 95) ?? Infinity) <= TARGET.deliverP95Ms;
    row("in-app: row visible to the stream's query (notificationSignal, polled 20 ms)", got("row"), BURSTS, "(service side)");
    row(`in-app: SSE "unread" event received (stream replica, ${pollMs} ms poll)`, got("sse"), BURSTS, `p95 ≤ 2 s ${verdict(sseOk)}`);
    row("push: encrypted POST received by the local push receiver", got("push"), BURSTS, `p95 ≤ 2 s ${verdict(pushOk)}`);
    row(`MQTT: ${BASE_TOPIC}/porch/event {"type":"new"} at a subscriber`, got("mqttEvent"), BURSTS, "no target");
    row(`MQTT: ${BASE_TOPIC}/porch/motion ON at a subscriber`, got("mqttMotion"), BURSTS, "no target");
    row("e-mail: message accepted by smtp-server (end of DATA)", got("mail"), BURSTS, "no target");
    say(`   notifier worker event-loop lag during part 1: ${lagText(lagA)}`);

    say();
    const crowdRows = rounds.map((r) => r.rows).filter((x): x is number => x !== null);
    const crowdLogged = rounds.map((r) => r.logged).filter((x): x is number => x !== null);
    const crowdPushed = rounds.map((r) => r.pushed).filter((x): x is number => x !== null);
    const rowsOk = crowdRows.length === CROWD_ROUNDS && crowdRows.every((x) => x < TARGET.crowdMs);
    const loggedOk = crowdLogged.length === CROWD_ROUNDS && crowdLogged.every((x) => x < TARGET.crowdMs);
    say(`2. ${CROWD} members with in-app + push (one push subscription each; set up in ${crowdSetupS.toFixed(1)} s): one event tells ${told} (with the admin), ${CROWD_ROUNDS} rounds`);
    say(`   round   all ${told} rows written   all ${told} pushes received   all ${told} pushes logged   (ms from the Event row)`);
    rounds.forEach((r, i) => say(`   ${lpad(String(i + 1), 5)}${lpad(ms(r.rows), 23)}${lpad(ms(r.pushed), 29)}${lpad(ms(r.logged), 27)}`));
    say(`   rows ${range(crowdRows)}: < 1 s in every round ${verdict(rowsOk)}; pushes delivered and logged ${range(crowdLogged)}: < 1 s in every round ${verdict(loggedOk)} (push failures ${pushFailures})`);
    say(`   per push, CPU before sending (measured here, ${told}×): encryption ${encryptMs.toFixed(2)} ms + VAPID JWT ${jwtMs.toFixed(2)} ms; the service sends one batch per event after the rows, ${PUSH_SENDS_AT_ONCE} requests at a time (VAPID JWT once per push service origin)`);
    say(`   notifier worker event-loop lag during part 2: ${lagText(lagB)}`);

    say();
    say(`3. ${C_CAMERAS} cameras in motion at once, ${C_WINDOW_MS / 1000} s: a simulated recorder in its own process (segment files + the recorder's rows and facts; no ffmpeg, no motion decoding);`);
    say(`   every ${CYCLE_MS / 1000} s all ${C_CAMERAS} cameras start an event within ${ONSET_SPREAD_MS} ms, event.updated at +${UPDATE_AT_MS / 1000} s, ended (clip, photo) at +${END_AT_MS / 1000} s; notified: the admin (in-app, push, e-mail every event) and a member (in-app, push)`);
    const segStats = (r: RecorderReport) => {
      let gap = 0;
      for (const cam of C_CAMS) {
        const s = r.segments.filter((x) => x.camera === cam.id).sort((a, b) => a.due - b.due);
        for (let i = 1; i < s.length; i++) gap = Math.max(gap, s[i].done - s[i - 1].done);
      }
      return { n: r.segments.length, gap, late: Math.max(0, ...r.segments.map((x) => x.start - x.due)), write95: pct(r.segments.map((x) => x.done - x.start), 95) ?? 0 };
    };
    const sb = segStats(baseline);
    const sw = segStats(withNotifier);
    const allOps = (r: RecorderReport) => Object.values(r.ops).flat();
    const col = (label: string, b: string, w: string) => say(`   ${pad(label, 62)}${lpad(b, 24)}${lpad(w, 22)}`);
    col("recorder", "baseline (no notifier)", "with the notifier");
    col("events / facts written", `${baseline.events} / ${baseline.facts}`, `${withNotifier.events} / ${withNotifier.facts}`);
    col("segments written; longest gap between a camera's segments", `${sb.n}; ${ms(sb.gap)} ms`, `${sw.n}; ${ms(sw.gap)} ms`);
    col("segment start late (max); segment write p95", `${ms(sb.late)}; ${ms(sb.write95)} ms`, `${ms(sw.late)}; ${ms(sw.write95)} ms`);
    for (const kind of Object.keys(baseline.ops)) {
      const b = baseline.ops[kind];
      const w = withNotifier.ops[kind] ?? [];
      col(`DB: ${kind}, p50 / p95 / max ms`, `${ms(pct(b, 50))} / ${ms(pct(b, 95))} / ${ms(max(b))}`, `${ms(pct(w, 50))} / ${ms(pct(w, 95))} / ${ms(max(w))}`);
    }
    const b95 = pct(allOps(baseline), 95) ?? 0;
    const w95 = pct(allOps(withNotifier), 95) ?? 0;
    col("DB: all the recorder's writes, p95 / max ms", `${ms(b95)} / ${ms(max(allOps(baseline)))}`, `${ms(w95)} / ${ms(max(allOps(withNotifier)))}`);
    col("failed writes", String(baseline.errors.length), String(withNotifier.errors.length));
    col("recorder process event-loop lag p99 / max ms", `${baseline.lag.p99.toFixed(1)} / ${baseline.lag.max.toFixed(1)}`, `${withNotifier.lag.p99.toFixed(1)} / ${withNotifier.lag.max.toFixed(1)}`);
    for (const e of [...baseline.errors, ...withNotifier.errors].slice(0, 3)) say(`     error: ${e}`);
    const spanS = (caughtUpAt - withNotifier.firstFactAt) / 1000;
    say(`   notifier: ${withNotifier.facts} facts written over ${((withNotifier.lastFactAt - withNotifier.firstFactAt) / 1000).toFixed(1)} s; both readers caught up ${caughtUp ? `${ms(caughtUpAt - withNotifier.lastFactAt)} ms after the last fact` : "NOT within 60 s"} (${(withNotifier.facts / spanS).toFixed(1)} facts/s over the span)`);
    const maxWait = { notifications: Math.max(0, ...waits.notifications), mqtt: Math.max(0, ...waits.mqtt) };
    say(`   age of the oldest unread fact, sampled every ~100 ms: notifications p95 ${ms(pct(waits.notifications, 95))}, max ${ms(maxWait.notifications)} ms; mqtt p95 ${ms(pct(waits.mqtt, 95))}, max ${ms(maxWait.mqtt)} ms`);
    say(`   under this load, from emitFact(event.started): MQTT "new" p50 ${ms(pct(mqttLatC, 50))}, p95 ${ms(pct(mqttLatC, 95))}, max ${ms(max(mqttLatC))} ms (${mqttLatC.length}/${withNotifier.events}); push received p50 ${ms(pct(pushLatC, 50))}, p95 ${ms(pct(pushLatC, 95))}, max ${ms(max(pushLatC))} ms (${pushLatC.length} pushes)`);
    say(`   e-mails ${mailsC}/${expectedMailsC} accepted, the last ${ms(mailsDoneAt - withNotifier.lastFactAt)} ms after the last fact`);
    say(`   notifier worker event-loop lag during part 3: ${lagText(lagC)}`);
    const recOk = sw.gap <= TARGET.segmentGapMs && withNotifier.errors.length === 0 && w95 <= b95 + TARGET.writeSlowdownMs;
    const keepOk = caughtUp && maxWait.notifications <= TARGET.factWaitMs && maxWait.mqtt <= TARGET.factWaitMs;

    say();
    say("targets");
    say(`  ${verdict(sseOk)}  onset → in-app (SSE) p95 ≤ 2 s: ${ms(pct(got("sse"), 95))} ms (${got("sse").length}/${BURSTS} seen)`);
    say(`  ${verdict(pushOk)}  onset → push p95 ≤ 2 s: ${ms(pct(got("push"), 95))} ms (${got("push").length}/${BURSTS} seen; a local receiver, not a real push service)`);
    say(`  ${verdict(rowsOk && loggedOk)}  ${CROWD} members' subscriptions processed per event < 1 s, every round: rows ${range(crowdRows)}, pushes delivered and logged ${range(crowdLogged)} (received ${range(crowdPushed)})`);
    say(`  ${verdict(recOk)}  ${C_CAMERAS} cameras in motion at once do not delay recording (simulated recorder): longest segment gap ${ms(sw.gap)} ms ≤ ${TARGET.segmentGapMs}, DB write p95 ${ms(w95)} ms ≤ baseline ${ms(b95)} + ${TARGET.writeSlowdownMs}, failed writes ${withNotifier.errors.length}`);
    say(`  ${verdict(keepOk)}  the notifier keeps up with ${C_CAMERAS} cameras: no fact waits > ${TARGET.factWaitMs / 1000} s (notifications max ${ms(maxWait.notifications)} ms, mqtt max ${ms(maxWait.mqtt)} ms)`);
    say(`(whole run ${((Date.now() - startedAt) / 1000).toFixed(0)} s; load average ${os.loadavg()[0].toFixed(2)} at the end)`);
  } finally {
    for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => undefined);
    if (process.env.BENCH_KEEP !== "1") fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[2] === "--recorder") {
  await runRecorderChild(process.argv[3], Number(process.argv[4]));
  process.exit(0);
} else {
  await main();
  process.exit(0);
}
