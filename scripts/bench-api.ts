// `npm run bench:api [-- --events N]`: the public API's costs, end to end against the production build.
//
// On a temp DATA_DIR: a simulator in a child process (CAMERAS replay cameras), Nightjar (`scripts/start.ts`: web,
// scheduler, recorder) on a free port, the owner (POST /api/setup), a session, an API token (POST /api/account/tokens),
// the cameras with short quiet time and post-roll, and local webhook receivers (node:http in this process).
//   1. Token authentication next to a session cookie on the same route (benchTokenAuth, scripts/bench-api-auth.ts,
//      written with the tokens work), GET /api/v1/storage.
//   2. Motion onset → webhook delivered: a fixed script of motion bursts (staggered over the cameras) gives ≥ N events;
//      onset is when the simulator's picture changed (its keyframe), delivered is when event.started reached the
//      receiver (one machine, one clock). Also the recorder's clip complete latency: a clip's last frame → its Clip row
//      (the database file polled every CLIP_POLL_MS, read-only).
//   3. The same script again while two more endpoints hold 200 queued messages each, one answering after 2 s and one
//      failing (HTTP 500): the first endpoint's latency and the clip latency, printed next to run 2's.
// Prints figures and PASS/MISS per target. Exit code 0 when it measured (whatever the verdicts), 1 when it could not.
import { fork, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { Webhook } from "standardwebhooks";
import { databaseFile } from "../lib/data-dir";
import { benchTokenAuth } from "./bench-api-auth";
import { CookieJar, startNightjar, stopTree, type Server } from "./bench-live";

const CAMERAS = 4;
const SIM = { baseAddress: "127.0.0.160", rtspPort: 39954, onvifPort: 39920, discoveryPort: 49952, withDiscovery: false, controlPort: null } as const;
/** Motion settings of the bench cameras: short quiet time and post-roll so that events follow each other quickly, ms. */
const MOTION = { quietMs: 1_000, postRollMs: 1_000, preRollMs: 2_000 };
/** Each burst: motion for this long, ms. */
const BURST_MS = 2_500;
/** A camera's bursts start this far apart (alarm time stays well under the guard's 50 %), ms. */
const CAMERA_PERIOD_MS = 16_000;
/** Messages queued to each of the slow and the failing endpoint before run 3. */
const QUEUED = 200;
/** The slow endpoint answers after this long, ms. */
const SLOW_MS = 2_000;
const CLIP_POLL_MS = 100;
/** After the last burst: wait this long for its event's messages and clips, ms. */
const DRAIN_MS = 20_000;
const TARGET = { deliveredP95Ms: 1_500 };
const AUTH_REQUESTS = 200;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function parseOptions(argv: string[]): { events: number } {
  const i = argv.indexOf("--events");
  const events = i >= 0 ? Number(argv[i + 1]) : 24;
  if (!Number.isInteger(events) || events < 20 || events > 500) throw new Error("--events must be 20..500");
  return { events };
}

// ---------------------------------------------------------------------------------------------------------------
// The simulator, in a child process (this file with --sim-child)

type ToSim = { type: "motion"; index: number; on: boolean };
type FromSim =
  | { type: "ready"; urls: { main: string; sub: string }[]; username: string; password: string }
  | { type: "motionShown"; index: number; on: boolean; at: number }
  | { type: "failed"; error: string };

async function runSimChild(): Promise<void> {
  const { startSimulator } = await import("../lib/simulator/simulator");
  let sim: Awaited<ReturnType<typeof startSimulator>>;
  try {
    sim = await startSimulator({ cameras: CAMERAS, mode: "replay", ...SIM });
  } catch (err) {
    process.send?.({ type: "failed", error: String(err) } satisfies FromSim);
    process.exit(1);
  }
  const close = async () => {
    await sim.close();
    process.exit(0);
  };
  process.on("disconnect", () => void close());
  process.on("SIGTERM", () => void close());
  sim.onMotionShown((index, on, at) => process.send?.({ type: "motionShown", index, on, at } satisfies FromSim));
  process.on("message", (m: ToSim) => sim.setMotion(m.index, m.on));
  process.send?.({ type: "ready", urls: sim.cameras.map((c) => c.rtspUrl), username: sim.username, password: sim.password } satisfies FromSim);
}

type SimHandle = { child: ChildProcess; ready: Extract<FromSim, { type: "ready" }>; shown: { index: number; on: boolean; at: number }[]; setMotion(index: number, on: boolean): void };

async function startSimChild(): Promise<SimHandle> {
  const child = fork(fileURLToPath(import.meta.url), ["--sim-child"], { execArgv: process.execArgv, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const shown: SimHandle["shown"] = [];
  const ready = await new Promise<Extract<FromSim, { type: "ready" }>>((resolve, reject) => {
    child.on("message", (m: FromSim) => {
      if (m.type === "ready") resolve(m);
      else if (m.type === "failed") reject(new Error(`simulator: ${m.error}`));
      else if (m.type === "motionShown") shown.push({ index: m.index, on: m.on, at: m.at });
    });
    child.once("exit", (code) => reject(new Error(`simulator exited (${code}) before it was ready`)));
  });
  return { child, ready, shown, setMotion: (index, on) => child.send({ type: "motion", index, on } satisfies ToSim) };
}

// ---------------------------------------------------------------------------------------------------------------
// HTTP helpers against Nightjar

async function api(base: string, jar: CookieJar, p: string, init: { method?: string; json?: unknown } = {}): Promise<{ status: number; body: unknown; text: string }> {
  const res = await fetch(base + p, {
    method: init.method ?? (init.json === undefined ? "GET" : "POST"),
    headers: { cookie: jar.header, origin: base, ...(init.json === undefined ? {} : { "content-type": "application/json" }) },
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
    redirect: "manual",
    signal: AbortSignal.timeout(60_000),
  });
  jar.absorb(res);
  const text = await res.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body, text };
}

async function must<T>(what: string, r: Promise<{ status: number; body: unknown; text: string }>, status = 200): Promise<T> {
  const res = await r;
  if (res.status !== status) throw new Error(`${what}: ${res.status} ${res.text.slice(0, 300)}`);
  return res.body as T;
}

/** Signs in through next-auth's Credentials provider (what the login form does); the jar then holds the session. */
async function signIn(base: string, jar: CookieJar, login: string, password: string): Promise<void> {
  const csrf = await api(base, jar, "/api/auth/csrf");
  const csrfToken = (csrf.body as { csrfToken?: string } | null)?.csrfToken;
  if (!csrfToken) throw new Error(`no CSRF token from next-auth (${csrf.status})`);
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    headers: { cookie: jar.header, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrfToken, login, password, callbackUrl: `${base}/live`, json: "true" }),
    redirect: "manual",
  });
  jar.absorb(res);
  if (![...jar.cookies.keys()].some((k) => k.includes("session-token"))) throw new Error(`sign-in failed (${res.status})`);
}

// ---------------------------------------------------------------------------------------------------------------
// Webhook receivers in this process

type Arrival = { id: string; type: string; cameraId: string | null; at: number; verified: boolean };
type Receiver = { url: string; arrivals: Arrival[]; setSecret(s: string): void; close(): Promise<void> };

async function startReceiver(answer: (res: http.ServerResponse) => void): Promise<Receiver> {
  const arrivals: Arrival[] = [];
  let secret: string | null = null;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const at = Date.now();
      const body = Buffer.concat(chunks).toString("utf8");
      let verified = false;
      try {
        if (secret) new Webhook(secret).verify(body, req.headers as Record<string, string>);
        verified = !!secret;
      } catch {
        verified = false;
      }
      let payload: { type?: string; data?: { cameraId?: string } } = {};
      try {
        payload = JSON.parse(body);
      } catch {
        /* counted as unknown */
      }
      arrivals.push({ id: String(req.headers["webhook-id"] ?? ""), type: payload.type ?? "?", cameraId: payload.data?.cameraId ?? null, at, verified });
      answer(res);
    });
  });
  const sockets = new Set<import("node:net").Socket>();
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    arrivals,
    setSecret: (s) => (secret = s),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Statistics

function percentile(values: number[], p: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
const ms = (v: number | null) => (v === null ? "–" : String(Math.round(v)));
const row = (label: string, values: number[]) => `  ${label.padEnd(58)}${String(values.length).padStart(4)}${ms(percentile(values, 50)).padStart(8)}${ms(percentile(values, 95)).padStart(8)}${ms(values.length ? Math.max(...values) : null).padStart(8)}`;

// ---------------------------------------------------------------------------------------------------------------
// One run of the motion script

type RunResult = {
  deliveredMs: number[];
  /** The message's row written (emitWebhook in the recorder) → received: the queue's share of deliveredMs. */
  queuedMs: number[];
  clipMs: number[];
  events: number;
  unverified: number;
  missing: number;
};

/** Bursts staggered over the cameras until `events` bursts were made; measures onset → delivered and clip latency. */
async function runScript(sim: SimHandle, cameraIds: string[], good: Receiver, dbFile: string, events: number): Promise<RunResult> {
  const arrivalsBefore = good.arrivals.length;
  const clipsSeen = new Map<string, number>();
  const sqlite = new Database(dbFile, { readonly: true, fileMustExist: true });
  const clipMs: number[] = [];
  const clipsAtStart = new Set((sqlite.prepare("SELECT id FROM Clip").all() as { id: string }[]).map((r) => r.id));
  // The Clip rows: when each appeared (polled) against its last frame.
  const poll = setInterval(() => {
    const now = Date.now();
    for (const r of sqlite.prepare("SELECT id, startedAt, durationMs FROM Clip").all() as { id: string; startedAt: string | number; durationMs: number }[]) {
      if (clipsAtStart.has(r.id) || clipsSeen.has(r.id)) continue;
      clipsSeen.set(r.id, now);
      clipMs.push(now - (new Date(r.startedAt).getTime() + r.durationMs));
    }
  }, CLIP_POLL_MS);

  const bursts: { camera: number; onAt: number }[] = [];
  const timers: NodeJS.Timeout[] = [];
  const offsetMs = CAMERA_PERIOD_MS / cameraIds.length;
  for (let k = 0; k < events; k++) {
    const camera = k % cameraIds.length;
    const at = 500 + k * offsetMs;
    timers.push(
      setTimeout(() => {
        bursts.push({ camera, onAt: Date.now() });
        sim.setMotion(camera, true);
      }, at),
      setTimeout(() => sim.setMotion(camera, false), at + BURST_MS),
    );
  }
  const scriptMs = 500 + events * offsetMs + BURST_MS;
  await sleep(scriptMs + DRAIN_MS);
  for (const t of timers) clearTimeout(t);
  clearInterval(poll);

  // Each burst's onset: the simulator's first keyframe showing motion after the call; its message: the first
  // event.started of that camera that arrived after the onset (and before the camera's next onset).
  const arrivals = good.arrivals.slice(arrivalsBefore).filter((a) => a.type === "event.started");
  const created = sqlite.prepare("SELECT createdAt FROM WebhookDelivery WHERE id = ?");
  const queuedMs = arrivals.flatMap((a) => {
    const r = created.get(a.id) as { createdAt: string | number } | undefined;
    return r ? [a.at - new Date(r.createdAt).getTime()] : [];
  });
  sqlite.close();
  const deliveredMs: number[] = [];
  let missing = 0;
  bursts.forEach((b, i) => {
    const onset = sim.shown.find((s) => s.index === b.camera && s.on && s.at >= b.onAt - 50)?.at;
    const nextOnAt = bursts.slice(i + 1).find((x) => x.camera === b.camera)?.onAt ?? Infinity;
    const arrival = onset === undefined ? undefined : arrivals.find((a) => a.cameraId === cameraIds[b.camera] && a.at >= onset && a.at < nextOnAt);
    if (onset === undefined || !arrival) missing++;
    else deliveredMs.push(arrival.at - onset);
  });
  return { deliveredMs, queuedMs, clipMs, events: bursts.length, unverified: arrivals.filter((a) => !a.verified).length, missing };
}

// ---------------------------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const opts = parseOptions(process.argv.slice(2));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "nightjar-bench-api-"));
  const out: string[] = [];
  const say = (line: string) => {
    out.push(line);
    console.log(line);
  };
  let sim: SimHandle | null = null;
  let server: Server | null = null;
  const receivers: Receiver[] = [];
  const cleanup = async () => {
    for (const r of receivers) await r.close().catch(() => undefined);
    await stopTree(server?.child ?? null, 15_000);
    if (sim && sim.child.exitCode === null) sim.child.kill("SIGTERM");
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  process.on("SIGINT", () => void cleanup().finally(() => process.exit(130)));
  try {
    console.error("bench:api: starting the simulator and Nightjar (builds first if the sources changed)…");
    sim = await startSimChild();
    server = await startNightjar(dataDir);
    const base = server.base;
    const jar = new CookieJar();
    const email = "bench-owner@nightjar.test";
    const password = `bench-${crypto.randomBytes(9).toString("base64url")}`;
    await must("POST /api/setup", api(base, jar, "/api/setup", { json: { householdName: "Bench", displayName: "Bench Owner", email, password, locale: "en", timeZone: "UTC" } }), 201);
    await signIn(base, jar, email, password);

    // 1. Token authentication next to the session cookie.
    say("bench:api");
    say("");
    say("1. Token authentication overhead (same route, same run)");
    try {
      const created = await must<{ token: string }>("POST /api/account/tokens", api(base, jar, "/api/account/tokens", { json: { name: "bench", scopes: ["events:read"] } }), 201);
      const r = await benchTokenAuth({ baseUrl: base, cookie: jar.header, token: created.token, path: "/api/v1/storage", n: AUTH_REQUESTS });
      say(`  GET /api/v1/storage × ${AUTH_REQUESTS}: session cookie p50 ${r.session.p50.toFixed(1)} ms, p95 ${r.session.p95.toFixed(1)} ms; bearer token p50 ${r.token.p50.toFixed(1)} ms, p95 ${r.token.p95.toFixed(1)} ms`);
      say(`  token overhead: p50 ${(r.token.p50 - r.session.p50).toFixed(1)} ms, p95 ${(r.token.p95 - r.session.p95).toFixed(1)} ms`);
    } catch (err) {
      say(`  token auth: failed (${String((err as Error).message ?? err).split("\n")[0].slice(0, 160)})`);
    }

    // Cameras and the receiver.
    const cameraIds: string[] = [];
    for (const [i, cam] of sim.ready.urls.entries()) {
      const res = await must<{ camera: { id: string } }>(`POST /api/cameras (${i})`, api(base, jar, "/api/cameras", { json: { name: `Bench ${i + 1}`, mainStreamUrl: cam.main, subStreamUrl: cam.sub, username: sim.ready.username, password: sim.ready.password } }), 201);
      cameraIds.push(res.camera.id);
      await must("PUT motion", api(base, jar, `/api/cameras/${encodeURIComponent(res.camera.id)}/motion`, { method: "PUT", json: MOTION }));
    }
    const good = await startReceiver((res) => res.end("ok"));
    receivers.push(good);
    const addEndpoint = async (r: Receiver, description: string) => {
      const body = await must<{ endpoint: { id: string }; secret: string }>("POST /api/v1/webhooks", api(base, jar, "/api/v1/webhooks", { json: { url: r.url, description, eventTypes: ["event.started", "event.ended"] } }), 201);
      r.setSecret(body.secret);
      return body.endpoint.id;
    };
    await addEndpoint(good, "bench: fast receiver");
    // The recorders pick the cameras up and fill their pre-roll.
    await sleep(12_000);
    const dbFile = databaseFile(dataDir);

    say("");
    say(`2. Motion onset → webhook delivered (${CAMERAS} cameras, ${opts.events} bursts)`);
    say(`  ${"".padEnd(58)}${"n".padStart(4)}${"p50".padStart(8)}${"p95".padStart(8)}${"max".padStart(8)}   (ms)`);
    const quiet = await runScript(sim, cameraIds, good, dbFile, opts.events);
    say(row("onset in the picture → event.started at the receiver", quiet.deliveredMs));
    say(row("  of which: message queued by the recorder → received", quiet.queuedMs));
    say(row("clip's last frame → Clip row written (recorder)", quiet.clipMs));
    say(`  events without a delivery: ${quiet.missing}; deliveries failing signature check: ${quiet.unverified}`);

    // 3. The same with a slow and a failing endpoint holding 200 queued messages each.
    const slow = await startReceiver((res) => setTimeout(() => res.end("late"), SLOW_MS));
    const failing = await startReceiver((res) => {
      res.statusCode = 500;
      res.end("no");
    });
    receivers.push(slow, failing);
    const slowId = await addEndpoint(slow, "bench: slow receiver");
    const failingId = await addEndpoint(failing, "bench: failing receiver");
    const queueStarted = Date.now();
    for (const id of [slowId, failingId]) for (let i = 0; i < QUEUED; i++) await must("POST test", api(base, jar, `/api/v1/webhooks/${id}/test`, { method: "POST" }), 202);
    console.error(`bench:api: ${2 * QUEUED} messages queued in ${((Date.now() - queueStarted) / 1000).toFixed(1)} s`);
    say("");
    say(`3. The same while a slow (${SLOW_MS / 1000} s) and a failing (HTTP 500) endpoint each have ${QUEUED} messages queued`);
    const loaded = await runScript(sim, cameraIds, good, dbFile, opts.events);
    say(row("onset → event.started at the fast receiver (loaded)", loaded.deliveredMs));
    say(row("  (run 2, no other endpoints)", quiet.deliveredMs));
    say(row("  message queued → received at the fast receiver (loaded)", loaded.queuedMs));
    say(row("  (run 2, no other endpoints)", quiet.queuedMs));
    say(row("clip's last frame → Clip row written (loaded)", loaded.clipMs));
    say(row("  (run 2, no other endpoints)", quiet.clipMs));
    say(`  events without a delivery: ${loaded.missing}; failing signature check: ${loaded.unverified}`);
    say(`  meanwhile: the slow endpoint received ${slow.arrivals.length} requests, the failing one ${failing.arrivals.length}`);

    say("");
    const p95 = percentile(quiet.deliveredMs, 95);
    const p95Loaded = percentile(loaded.deliveredMs, 95);
    const verdict = (ok: boolean | null) => (ok === null ? "N/A " : ok ? "PASS" : "MISS");
    say(`  ${verdict(p95 === null ? null : p95 <= TARGET.deliveredP95Ms)}  motion onset → delivered p95 ≤ ${TARGET.deliveredP95Ms / 1000} s: ${ms(p95)} ms (≥ 20 events: ${quiet.deliveredMs.length})`);
    say(`  ${verdict(p95Loaded === null ? null : p95Loaded <= TARGET.deliveredP95Ms)}  the same with 2 × ${QUEUED} messages queued to a slow and a failing endpoint: ${ms(p95Loaded)} ms`);
    const clip = percentile(quiet.clipMs, 95);
    const clipLoaded = percentile(loaded.clipMs, 95);
    say(`  clip complete p95 ${ms(clip)} ms without, ${ms(clipLoaded)} ms with the queued messages`);
    say(`  machine: ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(2)}`);
    return 0;
  } catch (err) {
    console.error(`bench:api failed: ${err instanceof Error ? err.message : String(err)}`);
    if (server) console.error(server.output().slice(-2000));
    return 1;
  } finally {
    await cleanup();
  }
}

const isEntry = !!process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isEntry && process.argv[2] === "--sim-child") await runSimChild();
else if (isEntry) process.exit(await main());
