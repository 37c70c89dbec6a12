// `npm run bench:recorder -- --cameras N [--seconds S] [--baseline during|after|off] [--codec h264|h265]
// [--audio none|aac|pcmu|pcma] [--record-sound on|off] [--trigger nightjar|camera|both|compare]`: the recorder's cost
// and latency. --trigger: what starts events (MotionConfig.trigger); "compare" gives the first half of the cameras
// Nightjar's motion detection and the second half the camera's own ONVIF motion events, in the same run, and prints
// the motion cost per camera of each half. --codec: the simulated main
// streams' codec; --audio: the cameras' sound (recorded when --record-sound is on, the default when there is sound:
// AAC copied, G.711 converted to AAC); the baselines copy the video only, so a sound-on run shows what sound costs.
// Starts N simulated cameras (replay mode, in a child process so that its CPU is not counted as ours) and N
// CameraRecorders in this process (as the recorder worker runs them) on a temp DATA_DIR with a migrated database,
// waits until the pre-roll ring is full, then runs a fixed script of motion bursts (4–6 s of motion, ≥ 12 s quiet,
// staggered across cameras) for S seconds (default 60) while sampling /proc. In the same run, at the same time
// (default) or right after, N bare `ffmpeg -c copy -f null -` and N `ffmpeg -c copy` fragmented-MP4 files on disk pull
// the same main streams as baselines. Prints CPU per camera for ingest and motion detection, the baselines and the
// ratios, memory, lost segments, motion onset → event row and post-roll end → clip complete latencies, and a PASS/MISS
// line per target. Exit code 0 either way: a measurement, not a test.
import { fork, spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { CameraRecorder } from "../lib/recording/camera-recorder";
import type { Segment } from "../lib/recording/segments";
import { childProcesses, readArgv, readMachineCpu, readProcStat, readPssBytes } from "../lib/testing/proc-stats";

// ---------------------------------------------------------------------------------------------------------------
// Options and fixed parameters

const SIM = { baseAddress: "127.0.0.100", rtspPort: 39554, onvifPort: 39000, discoveryPort: 49802, withDiscovery: false, controlPort: null } as const;
/** Segments every ring must hold before the measurement starts (pre-roll 5 s at 1 s GOP, plus one). */
const WARM_SEGMENTS = 6;
/** After the rings are full: lets the motion background model and the segment clock shift settle, ms. */
const SETTLE_MS = 3_000;
/** Bursts end at least this long before the window closes, so their clips are cut inside it, ms. */
const TAIL_MS = 8_000;
/** How long to wait after the window for the last clips, ms. */
const DRAIN_MS = 30_000;
const SAMPLE_MS = 1_000;
const LOOP_RESOLUTION_MS = 10;
/** The simulator's keyframe interval (DEFAULT_CLIP_SPEC: 25 frames at 25 fps), ms. */
const GOP_MS = 1_000;
/** Targets from the issue. */
const TARGET = { ingestRatio: 1.3, cameras: 16, onsetP95Ms: 1_500, clipMs: 2_000, cpuPerEventMs: 250 };

type BaselineMode = "during" | "after" | "off";
type Trigger = "nightjar" | "camera" | "both" | "compare";
type Options = { cameras: number; seconds: number; baseline: BaselineMode; codec: "h264" | "h265"; audio: "none" | "aac" | "pcmu" | "pcma"; recordSound: boolean; trigger: Trigger };

function parseOptions(argv: string[]): Options {
  const get = (name: string): string | undefined => {
    const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
    if (i < 0) return undefined;
    return argv[i].includes("=") ? argv[i].slice(argv[i].indexOf("=") + 1) : argv[i + 1];
  };
  const cameras = Number(get("cameras") ?? 4);
  const seconds = Number(get("seconds") ?? 60);
  const baseline = (get("baseline") ?? "during") as BaselineMode;
  if (!Number.isInteger(cameras) || cameras < 1 || cameras > 64) throw new Error("--cameras must be 1..64");
  if (!Number.isFinite(seconds) || seconds < 20 || seconds > 3600) throw new Error("--seconds must be 20..3600");
  if (!["during", "after", "off"].includes(baseline)) throw new Error("--baseline must be during, after or off");
  const codec = (get("codec") ?? "h264") as Options["codec"];
  if (!["h264", "h265"].includes(codec)) throw new Error("--codec must be h264 or h265");
  const audio = (get("audio") ?? "none") as Options["audio"];
  if (!["none", "aac", "pcmu", "pcma"].includes(audio)) throw new Error("--audio must be none, aac, pcmu or pcma");
  const recordSound = (get("record-sound") ?? (audio === "none" ? "off" : "on")) === "on";
  const trigger = (get("trigger") ?? "nightjar") as Trigger;
  if (!["nightjar", "camera", "both", "compare"].includes(trigger)) throw new Error("--trigger must be nightjar, camera, both or compare");
  if (trigger === "compare" && cameras < 2) throw new Error("--trigger compare needs at least 2 cameras");
  return { cameras, seconds, baseline, codec, audio, recordSound, trigger };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------------------------
// The simulator, in a child process (same file, --sim-child), driven over the IPC channel

type ToSim = { type: "motion"; id: number; index: number; on: boolean } | { type: "close" };
type FromSim =
  | { type: "ready"; urls: { main: string; sub: string }[]; username: string; password: string; startupMs: number }
  | { type: "motionSet"; id: number; at: number }
  | { type: "motionShown"; index: number; on: boolean; at: number }
  | { type: "failed"; error: string };

async function runSimChild(cameras: number, codec: Options["codec"], audio: Options["audio"]): Promise<void> {
  const { startSimulator } = await import("../lib/simulator/simulator");
  const send = (m: FromSim) => process.send?.(m);
  let sim: Awaited<ReturnType<typeof startSimulator>>;
  try {
    sim = await startSimulator({ cameras, mode: "replay", codec, audio, ...SIM });
  } catch (err) {
    send({ type: "failed", error: String(err) });
    process.exit(1);
  }
  const close = async () => {
    await sim.close();
    process.exit(0);
  };
  process.on("disconnect", close);
  sim.onMotionShown((index, on, at) => send({ type: "motionShown", index, on, at }));
  process.on("message", (m: ToSim) => {
    if (m.type === "motion") {
      sim.setMotion(m.index, m.on);
      send({ type: "motionSet", id: m.id, at: Date.now() });
    } else if (m.type === "close") void close();
  });
  send({ type: "ready", urls: sim.cameras.map((c) => c.rtspUrl), username: sim.username, password: sim.password, startupMs: sim.startupMs });
}

type SimHandle = {
  child: ChildProcess;
  urls: { main: string; sub: string }[];
  username: string;
  password: string;
  startupMs: number;
  /** Resolves with the simulator's clock when it applied the change (shown from the next keyframe on). */
  setMotion(index: number, on: boolean): Promise<number>;
  /** When each camera's picture changed (the keyframe that starts it), in order. */
  shown: { index: number; on: boolean; at: number }[];
  close(): Promise<void>;
};

async function startSimChild(cameras: number, codec: Options["codec"], audio: Options["audio"]): Promise<SimHandle> {
  const child = fork(process.argv[1], ["--sim-child", String(cameras), codec, audio], { execArgv: process.execArgv, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const waiting = new Map<number, (at: number) => void>();
  let nextId = 1;
  const shown: SimHandle["shown"] = [];
  const ready = await new Promise<Extract<FromSim, { type: "ready" }>>((resolve, reject) => {
    child.on("message", (m: FromSim) => {
      if (m.type === "ready") resolve(m);
      else if (m.type === "failed") reject(new Error(`simulator: ${m.error}`));
      else if (m.type === "motionShown") shown.push({ index: m.index, on: m.on, at: m.at });
      else if (m.type === "motionSet") {
        waiting.get(m.id)?.(m.at);
        waiting.delete(m.id);
      }
    });
    child.once("exit", (code) => reject(new Error(`simulator exited (${code}) before it was ready`)));
  });
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  return {
    child,
    ...ready,
    shown,
    setMotion(index, on) {
      const id = nextId++;
      return new Promise((resolve) => {
        waiting.set(id, resolve);
        child.send({ type: "motion", id, index, on } satisfies ToSim);
      });
    },
    async close() {
      if (child.exitCode === null && child.connected) child.send({ type: "close" } satisfies ToSim);
      const killer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Bare ffmpeg baselines

type BaselineKind = "bareNull" | "bareMp4";
type Baseline = { kind: BaselineKind; child: ChildProcess; stderr: string; exitedEarly: boolean };

function startBaselines(urls: string[], dir: string): Baseline[] {
  fs.mkdirSync(dir, { recursive: true });
  // The video only (as the recorder's ingest without sound): a sound-on run's difference is what sound costs.
  const common = (url: string) => ["-hide_banner", "-nostdin", "-loglevel", "error", "-rtsp_transport", "tcp", "-i", url, "-map", "0:v:0", "-c", "copy"];
  const out: Baseline[] = [];
  urls.forEach((url, i) => {
    const runs: [BaselineKind, string[]][] = [
      ["bareNull", [...common(url), "-f", "null", "-"]],
      ["bareMp4", [...common(url), "-f", "mp4", "-movflags", "frag_keyframe+empty_moov", "-y", path.join(dir, `cam-${i}.mp4`)]],
    ];
    for (const [kind, args] of runs) {
      const child = spawn("ffmpeg", args, { stdio: ["ignore", "ignore", "pipe"] });
      const b: Baseline = { kind, child, stderr: "", exitedEarly: false };
      child.stderr?.on("data", (d) => (b.stderr = (b.stderr + d).slice(-500)));
      child.on("exit", () => (b.exitedEarly = !stoppingBaselines.has(b)));
      out.push(b);
    }
  });
  return out;
}

const stoppingBaselines = new Set<Baseline>();

async function stopBaselines(list: Baseline[]): Promise<void> {
  await Promise.all(
    list.map((b) => {
      stoppingBaselines.add(b);
      if (b.child.exitCode !== null || b.child.signalCode !== null) return Promise.resolve();
      return new Promise<void>((r) => {
        b.child.once("exit", () => r());
        b.child.kill("SIGTERM");
        setTimeout(() => b.child.kill("SIGKILL"), 5_000).unref();
      });
    }),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// /proc sampling of this process and its children

type ProcClass = "ingest" | "motion" | "bareNull" | "bareMp4" | "simulator" | "shortLived";
type Tracked = { cls: ProcClass; firstCpuMs: number; lastCpuMs: number; lastRss: number; pid: number; alive: boolean };
type MemSeries = { sum: number; n: number; peak: number };

class Sampler {
  private tracked = new Map<string, Tracked>();
  private timer: NodeJS.Timeout | null = null;
  private self0 = readProcStat("self")!;
  private self1 = this.self0;
  private machine0 = readMachineCpu();
  private machine1 = this.machine0;
  private t0 = performance.now();
  private t1 = this.t0;
  readonly mem = new Map<ProcClass | "node", MemSeries>();
  pss = new Map<ProcClass, number>();

  constructor(private readonly classify: (pid: number, argv: string[]) => ProcClass) {}

  start(): void {
    this.t0 = performance.now();
    this.self0 = readProcStat("self")!;
    this.machine0 = readMachineCpu();
    this.sample(true);
    this.timer = setInterval(() => this.sample(false), SAMPLE_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.sample(false);
    // PSS (shared library pages split among the processes that map them) of the long-lived children, at the end.
    for (const t of this.tracked.values()) {
      if (!t.alive || t.cls === "shortLived") continue;
      const pss = readPssBytes(t.pid);
      if (pss !== null) this.pss.set(t.cls, (this.pss.get(t.cls) ?? 0) + pss);
    }
    this.t1 = performance.now();
    this.self1 = readProcStat("self")!;
    this.machine1 = readMachineCpu();
  }

  private sample(initial: boolean): void {
    const rss = new Map<ProcClass | "node", number>();
    for (const t of this.tracked.values()) t.alive = false;
    for (const p of childProcesses(process.pid)) {
      const key = `${p.pid}:${p.startTicks}`;
      let t = this.tracked.get(key);
      if (!t) {
        const argv = readArgv(p.pid);
        if (!argv) continue;
        // A process that started inside the window counts from zero.
        t = { cls: this.classify(p.pid, argv), firstCpuMs: initial ? p.cpuMs : 0, lastCpuMs: p.cpuMs, lastRss: p.rssBytes, pid: p.pid, alive: true };
        this.tracked.set(key, t);
      }
      t.lastCpuMs = p.cpuMs;
      t.lastRss = p.rssBytes;
      t.alive = true;
      rss.set(t.cls, (rss.get(t.cls) ?? 0) + p.rssBytes);
    }
    rss.set("node", readProcStat("self")?.rssBytes ?? 0);
    for (const [cls, bytes] of rss) {
      const m = this.mem.get(cls) ?? { sum: 0, n: 0, peak: 0 };
      m.sum += bytes;
      m.n++;
      m.peak = Math.max(m.peak, bytes);
      this.mem.set(cls, m);
    }
  }

  get windowMs(): number {
    return this.t1 - this.t0;
  }

  /** CPU of a class over the window, ms (exited processes count up to their last sample). */
  cpuMs(cls: ProcClass): number {
    let sum = 0;
    for (const t of this.tracked.values()) if (t.cls === cls) sum += t.lastCpuMs - t.firstCpuMs;
    return sum;
  }

  count(cls: ProcClass): number {
    return [...this.tracked.values()].filter((t) => t.cls === cls).length;
  }

  get nodeCpuMs(): number {
    return this.self1.cpuMs - this.self0.cpuMs;
  }

  /** CPU of children that exited and were reaped inside the window (clip cuts, ffprobe, photos, restarted ffmpeg), ms. */
  get reapedChildrenCpuMs(): number {
    return this.self1.childrenCpuMs - this.self0.childrenCpuMs;
  }

  /** Whole machine: busy share of all cores (0–1) and the core count. */
  get machine(): { busy: number; cores: number; busyCoreMs: number } {
    const busy = this.machine1.busy - this.machine0.busy;
    const total = this.machine1.total - this.machine0.total;
    const cores = this.machine1.cores;
    return { busy: total > 0 ? busy / total : 0, cores, busyCoreMs: total > 0 ? (busy / total) * cores * this.windowMs : 0 };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The motion script

type Burst = {
  camera: number;
  onOffsetMs: number;
  offOffsetMs: number;
  /** When the simulator applied setMotion(true/false) (its clock; the picture changes at the next keyframe). */
  onAt?: number;
  offAt?: number;
  eventId?: string;
  eventRowAt?: number;
  clipAt?: number;
  /** The recorder's planned clip end: last motion + post-roll. */
  clipToMs?: number;
  clips: number;
};

/** Deterministic: camera i starts at 1 s + (i × 2.3 s mod 12 s), bursts of 4–6 s, quiet 12–13.5 s, until S − TAIL. */
function motionScript(cameras: number, seconds: number): Burst[] {
  const bursts: Burst[] = [];
  const endMs = seconds * 1000 - TAIL_MS;
  for (let i = 0; i < cameras; i++) {
    let t = 1_000 + ((i * 2_300) % 12_000);
    for (let k = 0; ; k++) {
      const length = 4_000 + ((i + k) % 3) * 1_000;
      if (t + length > endMs) break;
      bursts.push({ camera: i, onOffsetMs: t, offOffsetMs: t + length, clips: 0 });
      t += length + 12_000 + ((2 * i + k) % 4) * 500;
    }
  }
  return bursts;
}

// ---------------------------------------------------------------------------------------------------------------
// Statistics and formatting

function percentile(values: number[], p: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

const pct = (cpuMs: number, windowMs: number) => (100 * cpuMs) / windowMs;
const f1 = (n: number) => n.toFixed(1);
const f2 = (n: number) => n.toFixed(2);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const pad = (s: string, n: number) => s.padEnd(n);
const lpad = (s: string, n: number) => s.padStart(n);

function latencyRow(label: string, values: number[]): string {
  const p50 = percentile(values, 50);
  const p95 = percentile(values, 95);
  const max = values.length ? Math.max(...values) : null;
  const v = (x: number | null) => lpad(x === null ? "–" : String(Math.round(x)), 7);
  return `  ${pad(label, 62)}${lpad(String(values.length), 4)}${v(p50)}${v(p95)}${v(max)}`;
}

// ---------------------------------------------------------------------------------------------------------------
// The benchmark

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  process.env.LOG_LEVEL ??= "warn";
  const { createTestDb } = await import("../lib/testing/db");
  const { createCamera } = await import("../lib/cameras/cameras");
  const { CameraRecorder, MOTION_FPS } = await import("../lib/recording/camera-recorder");
  const { parseMotionConfig } = await import("../lib/motion/config");
  const { withCredentials } = await import("../lib/cameras/stream-url");

  const n = opts.cameras;
  const loadBefore = os.loadavg()[0];
  const startedAt = Date.now();
  console.error(`bench:recorder: starting ${n} simulated cameras and ${n} recorders…`);

  let sim: SimHandle | null = null;
  let db: Awaited<ReturnType<typeof createTestDb>> | null = null;
  const recorders: CameraRecorder[] = [];
  const clipTimings: NonNullable<Parameters<NonNullable<CameraRecorder["onClipWritten"]>>[4]>[] = [];
  let baselines: Baseline[] = [];
  let cleaning: Promise<void> | null = null;
  const cleanup = () => (cleaning ??= cleanupOnce());
  const cleanupOnce = async () => {
    await stopBaselines(baselines);
    await Promise.all(recorders.map((r) => r.stop()));
    await sim?.close();
    await db?.cleanup();
  };
  // Whatever happens: no ffmpeg or simulator outlives the benchmark.
  process.on("exit", () => {
    for (const c of childProcesses(process.pid)) {
      try {
        process.kill(c.pid, "SIGKILL");
      } catch {
        /* already gone */
      }
    }
  });
  for (const sig of ["SIGINT", "SIGTERM"] as const) process.on(sig, () => void cleanup().finally(() => process.exit(130)));

  try {
    sim = await startSimChild(n, opts.codec, opts.audio);
    db = await createTestDb();
    const key = crypto.randomBytes(32);
    const config = parseMotionConfig("{}").config;
    /** What starts camera i's events: --trigger, or for "compare" the first half Nightjar's detector, the rest the camera's. */
    const triggerOf = (i: number): "nightjar" | "camera" | "both" => (opts.trigger === "compare" ? (i < Math.floor(n / 2) ? "nightjar" : "camera") : opts.trigger);
    const cameraHost = (i: number) => SIM.baseAddress.replace(/\.(\d+)$/, (_, last: string) => `.${Number(last) + i}`);
    const bursts = motionScript(n, opts.seconds);
    const extraEvents = Array.from({ length: n }, () => 0);
    const eventToBurst = new Map<string, Burst>();
    const segLog: Segment[][] = Array.from({ length: n }, () => []);

    for (let i = 0; i < n; i++) {
      const cam = await createCamera(db.db, { name: `Bench ${i}`, mainStreamUrl: sim.urls[i].main, subStreamUrl: sim.urls[i].sub, credentials: { username: sim.username, password: sim.password } }, key, null);
      // The camera's own events come over ONVIF: the simulated camera i answers on its address, port SIM.onvifPort.
      const trigger = triggerOf(i);
      const onvifUrl = trigger === "nightjar" ? null : `http://${cameraHost(i)}:${SIM.onvifPort}/onvif/device_service`;
      await db.db.camera.update({ where: { id: cam.id }, data: { motionConfig: JSON.stringify({ trigger }), onvifUrl } });
      const row = await db.db.camera.update({ where: { id: cam.id }, data: { recordSound: opts.recordSound } });
      const audioCodec = { none: null, aac: "aac", pcmu: "pcm_mulaw", pcma: "pcm_alaw" }[opts.audio];
      const r = new CameraRecorder({ ...row, audioCodec }, { db: db.db, dataDir: db.dataDir, ffmpegPath: "ffmpeg", ffprobePath: "ffprobe", credentialsKey: key, minFreeBytes: 0, timeZone: "UTC" });
      r.onEventRow = (eventId, atMs) => {
        // The latest burst of this camera that had begun and has no event yet.
        const b = bursts.filter((x) => x.camera === i && x.onAt !== undefined && x.onAt <= atMs && !x.eventId).pop();
        if (!b) {
          extraEvents[i]++;
          return;
        }
        b.eventId = eventId;
        b.eventRowAt = atMs;
        eventToBurst.set(eventId, b);
      };
      r.onClipWritten = (eventId, _sequence, atMs, toMs, timings) => {
        if (timings) clipTimings.push(timings);
        const b = eventToBurst.get(eventId);
        if (!b) return;
        b.clips++;
        // The clip that ends the event is the one whose end is the post-roll's end.
        b.clipAt = atMs;
        b.clipToMs = toMs;
      };
      recorders.push(r);
    }
    const logSegments = () => {
      recorders.forEach((r, i) => {
        const log = segLog[i];
        for (const s of r.ring.list()) {
          const last = log[log.length - 1];
          if (last && (last.runId === s.runId ? s.seq <= last.seq : s.seenAtMs <= last.seenAtMs)) continue;
          log.push(s);
        }
      });
    };
    for (const r of recorders) r.start();
    const segTimer = setInterval(logSegments, 500);

    const baselineDir = path.join(db.dataDir, "baseline");
    if (opts.baseline === "during") baselines = startBaselines(sim.urls.map((u) => withCredentials(u.main, { username: sim!.username, password: sim!.password })), baselineDir);

    // Warm-up: every ring holds the pre-roll.
    const warmStarted = Date.now();
    while (recorders.some((r) => r.ring.list().length < WARM_SEGMENTS)) {
      if (Date.now() - warmStarted > 90_000) throw new Error(`rings not full after 90 s: ${recorders.map((r) => r.ring.list().length).join(",")}`);
      await sleep(250);
    }
    await sleep(SETTLE_MS);
    const warmMs = Date.now() - warmStarted;

    // The measurement window.
    const baselinePids = new Map(baselines.map((b) => [b.child.pid!, b.kind]));
    const classify = (pid: number, argv: string[]): ProcClass => {
      if (pid === sim!.child.pid) return "simulator";
      const kind = baselinePids.get(pid);
      if (kind) return kind;
      const has = (a: string, b: string) => argv.some((x, k) => x === a && argv[k + 1] === b);
      if (has("-f", "hls")) return "ingest";
      if (has("-f", "rawvideo")) return "motion";
      return "shortLived";
    };
    const statsBefore = recorders.map((r) => ({ ...r.stats }));
    const loop = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
    const lag = (ns: number) => f1(Math.max(0, ns / 1e6 - LOOP_RESOLUTION_MS));
    const sampler = new Sampler(classify);
    sampler.start();
    loop.enable();
    const t0 = Date.now();
    console.error(`bench:recorder: warm (${(warmMs / 1000).toFixed(1)} s); measuring for ${opts.seconds} s with ${bursts.length} motion bursts…`);
    const timers = bursts.flatMap((b) => [
      setTimeout(() => void sim!.setMotion(b.camera, true).then((at) => (b.onAt = at)), b.onOffsetMs),
      setTimeout(() => void sim!.setMotion(b.camera, false).then((at) => (b.offAt = at)), b.offOffsetMs),
    ]);
    await sleep(opts.seconds * 1000);
    sampler.stop();
    loop.disable();
    const t1 = Date.now();
    const statsAfter = recorders.map((r) => ({ ...r.stats }));
    for (const t of timers) clearTimeout(t);

    // Drain: the last events end and their clips are cut.
    const drainStarted = Date.now();
    while (bursts.some((b) => b.eventId && b.clipAt === undefined) && Date.now() - drainStarted < DRAIN_MS) await sleep(250);
    logSegments();
    clearInterval(segTimer);
    await stopBaselines(baselines);
    const baselineExits = baselines.filter((b) => b.exitedEarly).map((b) => `${b.kind} exited early: ${b.stderr.trim().split("\n").pop()}`);

    // Baselines after the recorders, when asked: the same streams, the recorders stopped.
    let afterSampler: Sampler | null = null;
    if (opts.baseline === "after") {
      await Promise.all(recorders.map((r) => r.stop()));
      baselines = startBaselines(sim.urls.map((u) => withCredentials(u.main, { username: sim!.username, password: sim!.password })), baselineDir);
      const pids = new Map(baselines.map((b) => [b.child.pid!, b.kind]));
      await sleep(5_000);
      afterSampler = new Sampler((pid) => (pid === sim!.child.pid ? "simulator" : (pids.get(pid) ?? "shortLived")));
      afterSampler.start();
      await sleep(Math.min(opts.seconds, 30) * 1000);
      afterSampler.stop();
      await stopBaselines(baselines);
      baselineExits.push(...baselines.filter((b) => b.exitedEarly).map((b) => `${b.kind} exited early: ${b.stderr.trim().split("\n").pop()}`));
    }

    await Promise.all(recorders.map((r) => r.stop()));
    const events = await db.db.event.findMany({ select: { id: true, startedAt: true, endedAt: true } });
    const clipRows = await db.db.clip.count();
    const photoRows = await db.db.photo.count();
    const clipProblems = await db.db.cameraDiagnostic.count({ where: { kind: "error" } }).catch(() => -1);
    const loadAfter = os.loadavg()[0];

    // ----- figures
    const w = sampler.windowMs;
    const ingestMs = sampler.cpuMs("ingest");
    const motionMs = sampler.cpuMs("motion");
    const nodeMs = sampler.nodeCpuMs - clipTimings.reduce((sum, t) => sum + (t.cpuMs ?? 0), 0);
    // Clips are remuxed in this process (lib/mp4): their CPU (an upper bound, from writeClip's timings) moves from the
    // Node row to the clip row; photos are short-lived ffmpeg children.
    const inProcessClipMs = clipTimings.reduce((sum, t) => sum + (t.cpuMs ?? 0), 0);
    const shortMs = sampler.reapedChildrenCpuMs + sampler.cpuMs("shortLived") + inProcessClipMs;
    const base = afterSampler ?? sampler;
    const bw = base.windowMs;
    const nullMs = base.cpuMs("bareNull");
    const mp4Ms = base.cpuMs("bareMp4");
    const simMs = sampler.cpuMs("simulator");
    const perCam = (cpuMs: number, windowMs: number) => pct(cpuMs, windowMs) / n;
    const hasBaseline = opts.baseline !== "off" && base.count("bareNull") > 0;
    const ratioNull = hasBaseline ? perCam(ingestMs, w) / perCam(nullMs, bw) : null;
    const ratioMp4 = hasBaseline ? perCam(ingestMs, w) / perCam(mp4Ms, bw) : null;
    const m = sampler.machine;
    const oursMs = ingestMs + motionMs + nodeMs + shortMs + simMs + sampler.cpuMs("bareNull") + sampler.cpuMs("bareMp4");

    const sumStat = (k: keyof CameraRecorder["stats"], from: "start" | "window") =>
      statsAfter.reduce((a, s, i) => a + s[k] - (from === "window" ? statsBefore[i][k] : 0), 0);
    const lostSinceStart = recorders.reduce((a, r) => a + r.stats.lostSegments, 0);
    const ingestRestarts = recorders.reduce((a, r) => a + r.stats.ingestRestarts, 0);
    const motionRestarts = recorders.reduce((a, r) => a + r.stats.motionRestarts, 0);
    // Continuity of every camera's segments over the whole run: consecutive numbers within a run and no hole in time.
    let seqGaps = 0;
    let timeGaps = 0;
    let runs = 0;
    const windowSegs: number[] = [];
    const windowMediaMs: number[] = [];
    segLog.forEach((log) => {
      const inWindow = log.filter((s) => s.seenAtMs >= t0 && s.seenAtMs < t1);
      windowSegs.push(inWindow.length);
      windowMediaMs.push(inWindow.reduce((a, s) => a + s.durationMs, 0));
      for (let k = 1; k < log.length; k++) {
        const [a, b] = [log[k - 1], log[k]];
        if (a.runId !== b.runId) {
          runs++;
          continue;
        }
        if (b.seq !== a.seq + 1) seqGaps++;
        if (b.startMs - a.endMs > 250) timeGaps++;
      }
    });
    const framesPerSecPerCam = sumStat("framesScored", "window") / n / ((t1 - t0) / 1000);

    // Latencies. The simulator shows a motion change from its next keyframe on and reports when it pushed that
    // keyframe (its clock, this machine): the picture's onset and end. (Estimating them from the recorder's segment
    // boundaries was off by a whole GOP when setMotion() landed within a few ms of a keyframe.)
    const shownAtOrAfter = (camera: number, t: number, on: boolean): number | null => sim!.shown.find((x) => x.index === camera && x.on === on && x.at >= t)?.at ?? null;
    const eventStartedAt = new Map(events.map((e) => [e.id, e.startedAt.getTime()]));
    const onsetToRow: number[] = [];
    const onsetToFirstFrame: number[] = [];
    const firstFrameToRow: number[] = [];
    const callToRow: number[] = [];
    const toToClip: number[] = [];
    const toToSegment: number[] = [];
    const segmentToClip: number[] = [];
    const pictureEndToClip: number[] = [];
    for (const b of bursts) {
      if (b.onAt === undefined || b.eventRowAt === undefined) continue;
      callToRow.push(b.eventRowAt - b.onAt);
      const onset = shownAtOrAfter(b.camera, b.onAt, true);
      if (onset !== null) {
        onsetToRow.push(b.eventRowAt - onset);
        const first = b.eventId ? eventStartedAt.get(b.eventId) : undefined;
        if (first !== undefined) {
          onsetToFirstFrame.push(first - onset);
          firstFrameToRow.push(b.eventRowAt - first);
        }
      }
      if (b.clipAt !== undefined && b.clipToMs !== undefined) {
        toToClip.push(b.clipAt - b.clipToMs);
        const covering = segLog[b.camera].find((s) => s.endMs >= b.clipToMs!);
        if (covering) {
          toToSegment.push(covering.seenAtMs - b.clipToMs);
          segmentToClip.push(b.clipAt - covering.seenAtMs);
        }
        if (b.offAt !== undefined) {
          const end = shownAtOrAfter(b.camera, b.offAt, false);
          if (end !== null) pictureEndToClip.push(b.clipAt - (end + config.postRollMs));
        }
      }
    }
    const bursted = bursts.filter((b) => b.onAt !== undefined).length;
    const withEvent = bursts.filter((b) => b.eventId).length;
    const withClip = bursts.filter((b) => b.clipAt !== undefined).length;
    const multiClip = bursts.filter((b) => b.clips > 1).length;
    const extra = extraEvents.reduce((a, b) => a + b, 0);

    // ----- output
    const out: string[] = [];
    const say = (s = "") => out.push(s);
    say(`bench:recorder — ${n} cameras (simulator replay: main 1080p25 ${opts.codec === "h265" ? "H.265" : "H.264"} 4 Mbit/s, GOP 1 s; sub 360p; sound ${opts.audio}${opts.audio === "none" ? "" : opts.recordSound ? ", recorded" : ", not recorded"}), ${f1(w / 1000)} s window, baselines ${opts.baseline === "after" ? `after the recorders (${f1(bw / 1000)} s)` : opts.baseline === "during" ? "during the window" : "off"}`);
    say(`machine: ${m.cores} cores; load average ${f2(loadBefore)} before, ${f2(loadAfter)} after; in the window the machine was ${f1(m.busy * 100)} % busy (of ${m.cores} cores), ${f1(pct(Math.max(0, m.busyCoreMs - oursMs), w))} % of a core outside this benchmark`);
    say(`motion config: defaults, trigger ${opts.trigger} (minMotionMs ${config.minMotionMs}, quietMs ${config.quietMs}, pre-roll ${config.preRollMs}, post-roll ${config.postRollMs} ms); motion frames ${MOTION_FPS}/s`);
    say();
    say(`CPU, % of one core${" ".repeat(44)}total  per camera  processes`);
    const cpuRow = (label: string, cpuMs: number, windowMs: number, procs: number | string) =>
      say(`  ${pad(label, 58)}${lpad(f1(pct(cpuMs, windowMs)), 7)}${lpad(f2(perCam(cpuMs, windowMs)), 12)}${lpad(String(procs), 11)}`);
    cpuRow("recorder ingest: ffmpeg -c copy → fMP4 HLS segments", ingestMs, w, sampler.count("ingest"));
    cpuRow("motion decode: ffmpeg sub → 64×36 grey, 5 fps", motionMs, w, sampler.count("motion"));
    if (opts.trigger !== "nightjar") {
      const decoding = Array.from({ length: n }, (_, i) => triggerOf(i)).filter((t) => t !== "camera").length;
      const onEvents = n - decoding;
      const cameraEvents = recorders.reduce((a, r) => a + r.stats.cameraEvents, 0);
      say(`  what starts events: ${decoding} camera(s) Nightjar's motion detection${opts.trigger === "both" ? " and the camera's events" : ""}, ${onEvents} the camera's own ONVIF events only (${cameraEvents} motion messages received)`);
      if (decoding > 0) say(`    motion decode per camera that decodes: ${f2(pct(motionMs, w) / decoding)} % of a core (${sampler.count("motion")} decoder processes)`);
      if (onEvents > 0) say(`    motion decode per camera on its own events: 0.00 % (no decoder); their subscription's pulls run in the Node process below, with the frame scoring of the others (not split)`);
    }
    cpuRow("Node process: scoring, event machine, DB, hooks, sampling", nodeMs, w, 1);
    const eventsInWindow = bursts.filter((b) => b.clipAt !== undefined && b.clipAt < t1).length;
    cpuRow(`clips: remux + check (in process) + photo${eventsInWindow ? ` (${f2(shortMs / 1000 / eventsInWindow)} s CPU per event)` : ""}`, shortMs, w, "–");
    if (eventsInWindow) say(`    per event: photo ffmpeg ${f2((shortMs - inProcessClipMs) / 1000 / eventsInWindow)} s, remux + check in process ${f2(inProcessClipMs / 1000 / eventsInWindow)} s (an upper bound: the process's CPU while each clip was written)`);
    cpuRow("recorder total (the four above)", ingestMs + motionMs + nodeMs + shortMs, w, "");
    if (hasBaseline) {
      cpuRow("bare ffmpeg -c copy -f null -", nullMs, bw, base.count("bareNull"));
      cpuRow("bare ffmpeg -c copy -f mp4 frag_keyframe (file on disk)", mp4Ms, bw, base.count("bareMp4"));
    }
    cpuRow("simulator, separate process (not Nightjar)", simMs, w, 1);
    if (ratioNull !== null && ratioMp4 !== null) say(`  ingest ÷ bare -f null = ${f2(ratioNull)}×    ingest ÷ bare -f mp4 file = ${f2(ratioMp4)}×`);
    say();
    say(`memory${" ".repeat(38)}RSS mean    RSS peak   PSS at end   per camera (PSS)`);
    const memRow = (label: string, cls: ProcClass | "node", s: Sampler) => {
      const series = s.mem.get(cls);
      if (!series) return;
      const pss = cls === "node" ? null : (s.pss.get(cls) ?? null);
      const per = pss !== null && cls !== "simulator" ? mb(pss / n) : "";
      say(`  ${pad(label, 40)}${lpad(mb(series.sum / series.n), 12)}${lpad(mb(series.peak), 12)}${lpad(pss === null ? "–" : mb(pss), 13)}${lpad(per, 19)}`);
    };
    memRow("Node process (recorders, DB)", "node", sampler);
    memRow("ingest ffmpeg, sum", "ingest", sampler);
    memRow("motion ffmpeg, sum", "motion", sampler);
    memRow("bare -f null ffmpeg, sum", "bareNull", base);
    memRow("bare -f mp4 ffmpeg, sum", "bareMp4", base);
    memRow("simulator (not Nightjar)", "simulator", sampler);
    say();
    say("recording");
    say(`  segments in the window: ${windowSegs.reduce((a, b) => a + b, 0)} (per camera ${Math.min(...windowSegs)}–${Math.max(...windowSegs)}, expected ≈ ${Math.round((t1 - t0) / GOP_MS)}; media ${f1(Math.min(...windowMediaMs) / 1000)}–${f1(Math.max(...windowMediaMs) / 1000)} s per camera)`);
    say(`  since start: lost segments ${lostSinceStart} (recorder.stats), sequence gaps ${seqGaps}, time holes > 250 ms ${timeGaps}, new runs ${runs}, ingest restarts ${ingestRestarts}, motion restarts ${motionRestarts}`);
    say(`  motion frames scored: ${f2(framesPerSecPerCam)} per second per camera (asked for ${MOTION_FPS}); Node event-loop lag (beyond a ${LOOP_RESOLUTION_MS} ms timer) p50 ${lag(loop.percentile(50))}, p99 ${lag(loop.percentile(99))}, max ${lag(loop.max)} ms`);
    say(`  bursts ${bursted} → events ${withEvent} (missed ${bursted - withEvent}, extra ${extra}); clips written for ${withClip} (more than one clip: ${multiClip}); rows: ${events.length} events, ${clipRows} clips, ${photoRows} photos; error diagnostics ${clipProblems}`);
    for (const line of baselineExits) say(`  ${line}`);
    say();
    say(`latency, ms${" ".repeat(55)}n    p50    p95    max`);
    say(latencyRow("motion onset in the picture → event row", onsetToRow));
    say(latencyRow("  onset → first motion frame scored (decode path)", onsetToFirstFrame));
    if (process.env.BENCH_DEBUG) say(`    all: ${onsetToFirstFrame.map((x) => Math.round(x)).join(" ")}`);
    say(latencyRow(`  first motion frame → event row (incl. minMotionMs ${config.minMotionMs})`, firstFrameToRow));
    say(latencyRow("setMotion() call → event row (incl. wait for keyframe ≤ 1 s)", callToRow));
    say(latencyRow("post-roll end (last motion + post-roll) → clip complete", toToClip));
    say(latencyRow("  post-roll end → segment covering it listed", toToSegment));
    say(latencyRow("  segment listed → clip cut, verified, row written", segmentToClip));
    for (const [key, label] of [["waitMs", "segment ready → cut starts (queue, free space)"], ["openMs", "opening the segments"], ["cutMs", "ffmpeg -c copy cut (faststart)"], ["verifyMs", "check of the result (in-process)"], ["syncMs", "fsync + rename"]] as const) {
      say(latencyRow(`    ${label}`, clipTimings.map((t) => t[key])));
    }
    say(latencyRow("picture's motion end + post-roll → clip complete", pictureEndToClip));
    say();
    say("targets");
    const verdict = (ok: boolean | null) => (ok === null ? "n/a " : ok ? "PASS" : "MISS");
    say(`  ${verdict(ratioNull === null ? null : ratioNull <= TARGET.ingestRatio)}  ingest ≤ ${TARGET.ingestRatio}× bare ffmpeg -c copy -f null: ${ratioNull === null ? "no baseline" : `${f2(ratioNull)}×`}` + (ratioMp4 === null ? "" : `   (against a -c copy fMP4 file on disk: ${f2(ratioMp4)}×, ${verdict(ratioMp4 <= TARGET.ingestRatio)})`));
    const noLoss = lostSinceStart === 0 && seqGaps === 0 && timeGaps === 0 && ingestRestarts === 0 && motionRestarts === 0;
    const allDetected = withEvent === bursted && withClip === withEvent && extra === 0;
    const recordedText = `${n} cameras, lost ${lostSinceStart}, sequence gaps ${seqGaps}, restarts ${ingestRestarts + motionRestarts}, ${withEvent}/${bursted} bursts → events, ${withClip} with clips, ${f2(framesPerSecPerCam)} motion frames/s per camera`;
    say(`  ${n >= TARGET.cameras ? verdict(noLoss && allDetected) : "n/a "}  ${TARGET.cameras} cameras recorded with motion detection and no lost segments: ${recordedText}${n < TARGET.cameras ? ` (run with --cameras ${TARGET.cameras}; at ${n}: ${noLoss && allDetected ? "clean" : "NOT clean"})` : ""}`);
    const p95 = percentile(onsetToRow, 95);
    const callP95 = percentile(callToRow, 95);
    say(`  ${verdict(p95 === null ? null : p95 <= TARGET.onsetP95Ms)}  onset → event row p95 ≤ ${f1(TARGET.onsetP95Ms / 1000)} s: ${p95 === null ? "no events" : `${f2(p95 / 1000)} s`} from the picture's onset (from the setMotion() call: ${callP95 === null ? "–" : `${f2(callP95 / 1000)} s`})`);
    const clipMax = toToClip.length ? Math.max(...toToClip) : null;
    const clipP95 = percentile(toToClip, 95);
    say(`  ${verdict(clipMax === null ? null : clipMax <= TARGET.clipMs)}  clip complete ≤ ${f1(TARGET.clipMs / 1000)} s after the post-roll ends: max ${clipMax === null ? "–" : `${f2(clipMax / 1000)} s`}, p95 ${clipP95 === null ? "–" : `${f2(clipP95 / 1000)} s`} (${toToClip.length} clips)`);
    const cpuPerEvent = eventsInWindow ? shortMs / eventsInWindow : null;
    say(`  ${verdict(cpuPerEvent === null ? null : cpuPerEvent <= TARGET.cpuPerEventMs)}  CPU per event (clip remux + check + photo) ≤ ${f2(TARGET.cpuPerEventMs / 1000)} s: ${cpuPerEvent === null ? "no events" : `${f2(cpuPerEvent / 1000)} s`}`);
    say(`(whole run ${f1((Date.now() - startedAt) / 1000)} s)`);
    console.log(out.join("\n"));
  } finally {
    await cleanup();
  }
}

if (process.argv[2] === "--sim-child") {
  await runSimChild(Number(process.argv[3]), process.argv[4] as Options["codec"], process.argv[5] as Options["audio"]);
} else {
  await main();
  process.exit(0);
}
