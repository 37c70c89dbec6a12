// `npm start`: prepares and runs Nightjar. Checks the configuration and the media engine (installs Debian's ffmpeg when
// it is missing and we are root, else stops with what to install: nothing is started or created without it), creates
// $DATA_DIR and its secrets, applies
// database migrations (prisma migrate deploy), builds the object detection model when it is not in place (a failure is
// a warning: detection stays off), builds the web app when the sources changed since the last build,
// then runs the web server and the workers as child processes. Ctrl-C / SIGTERM stops them all; if one of them
// dies, the others are stopped too and the exit code is passed on (so systemd restarts the whole set). One exception:
// a child exiting with RESTART_EXIT_CODE (the web process after a factory reset, lib/privacy/restart.ts) makes this
// supervisor stop the others and start the whole set again on the new, empty data folder and fresh keys.
// `npm run dev` does the same with the Next.js dev server and no build.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { getEnv } from "../lib/env";
import { getSecrets } from "../lib/secrets";
import { RESTART_EXIT_CODE } from "../lib/privacy/reset";
import { DEMO_SIMULATOR_ARGS } from "../lib/simulator/demo";
import { checkMediaEngine } from "../lib/ffmpeg/engine";
import { buildModel, buildWebApp, isBuildCurrent, isModelCurrent } from "./build";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dev = process.argv.includes("--dev");
// Demo mode: simulated cameras beside Nightjar, added to the household once it exists.
const demo = process.argv.includes("--demo") || process.env.NIGHTJAR_DEMO === "1";
const say = (msg: string) => process.stdout.write(`[nightjar] ${msg}\n`);

let env;
try {
  env = getEnv();
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(78); // EX_CONFIG
}
// The media engine first: without ffmpeg no camera can be added, recorded or watched. With the default paths a missing
// ffmpeg is installed like `npm test` does (Debian, as root); explicit FFMPEG_PATH/FFPROBE_PATH are never replaced.
const defaultEngine = !process.env.FFMPEG_PATH && !process.env.FFPROBE_PATH;
let engine = await checkMediaEngine(env.FFMPEG_PATH, env.FFPROBE_PATH);
if (!engine.ok && defaultEngine && (!engine.ffmpeg.version || !engine.ffprobe.version)) {
  say("the media engine (ffmpeg) is missing: installing it…");
  spawnSync("bash", [path.join(root, "scripts/prerequisites.sh"), "--media", ...(demo ? ["--demo"] : [])], { cwd: root, stdio: "inherit" });
  engine = await checkMediaEngine(env.FFMPEG_PATH, env.FFPROBE_PATH);
}
if (!engine.ok) {
  for (const p of engine.problems) process.stderr.write(`[nightjar] ${p}
`);
  say("the media engine is missing or unusable; nothing was started");
  process.exit(69); // EX_UNAVAILABLE
}
say(`media engine: ffmpeg ${engine.ffmpeg.version} (${engine.ffmpeg.path})`);

// The data folder holds password hashes, keys and video: only Nightjar's user may read it.
fs.mkdirSync(env.dataDir, { recursive: true, mode: 0o700 });
getSecrets();
const childEnv = {
  ...process.env,
  DATA_DIR: env.dataDir,
  DATABASE_URL: `file:${env.databasePath}`,
  NEXT_TELEMETRY_DISABLED: "1",
  CHECKPOINT_DISABLE: "1",
  // The demo's simulated cameras live on loopback addresses: let an address-range scan find them too.
  ...(demo ? { NIGHTJAR_DEMO: "1", DISCOVERY_ALLOW_LOOPBACK: "true" } : {}),
};

say(`data in ${env.dataDir}`);
const migrate = spawnSync(process.execPath, [path.join(root, "node_modules/prisma/build/index.js"), "migrate", "deploy"], { cwd: root, env: childEnv, stdio: ["ignore", "pipe", "inherit"], encoding: "utf8" });
if (migrate.status !== 0) {
  process.stdout.write(migrate.stdout ?? "");
  say("database migration failed; nothing was started");
  process.exit(migrate.status ?? 1);
}
for (const f of [env.databasePath, `${env.databasePath}-wal`, `${env.databasePath}-shm`]) if (fs.existsSync(f)) fs.chmodSync(f, 0o600);
say("database up to date");

// The detection model: built once (about a minute), then only checked. Without it Nightjar still runs; object detection
// stays unavailable until `npm run build:model` succeeds (it needs the npm registry once).
if (!isModelCurrent()) {
  say("building the object detection model (first start, about a minute)…");
  if (buildModel(childEnv) !== 0) say("warning: the object detection model could not be built (see above); starting without object detection");
}

if (!dev && (!isBuildCurrent() || process.env.NIGHTJAR_REBUILD === "1")) {
  say("building the web app (first start or changed sources, about a minute)…");
  if (buildWebApp(childEnv) !== 0) process.exit(1);
}

const processes: { name: string; args: string[] }[] = [
  { name: "web", args: ["--import", "tsx", path.join(root, "workers/web.ts"), ...(dev ? ["--dev"] : [])] },
  { name: "scheduler", args: ["--import", "tsx", path.join(root, "workers/scheduler.ts")] },
  { name: "recorder", args: ["--import", "tsx", path.join(root, "workers/recorder.ts")] },
  { name: "notifier", args: ["--import", "tsx", path.join(root, "workers/notifier.ts")] },
  ...(demo ? [{ name: "simulator", args: ["--import", "tsx", path.join(root, "workers/sim.ts"), ...DEMO_SIMULATOR_ARGS] }] : []),
];

/** How long children may take to stop after SIGTERM before SIGKILL, ms (below systemd's TimeoutStopSec=15 in README). */
const STOP_GRACE_MS = 10_000;
let children: ChildProcess[] = [];
let stopping = false;
/**
 * Stops every child (SIGTERM, then SIGKILL after STOP_GRACE_MS) and resolves when all have exited. The recorder uses
 * the time to close open events with their last clips (and what a SIGKILL cuts short is salvaged at the next start).
 */
function stopChildren(): Promise<void> {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGTERM");
  const deadline = setTimeout(() => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  }, STOP_GRACE_MS);
  return Promise.all(children.map((c) => (c.exitCode !== null || c.signalCode !== null ? null : new Promise((r) => c.once("exit", r))))).then(() => clearTimeout(deadline));
}
function stopAll(code: number) {
  if (stopping) return;
  stopping = true;
  void stopChildren().then(() => process.exit(code));
}

function startAll() {
  const set: ChildProcess[] = [];
  for (const p of processes) {
    const child = spawn(process.execPath, p.args, { cwd: root, env: childEnv, stdio: "inherit" });
    child.on("exit", (code, signal) => {
      if (stopping || children !== set) return;
      if (code === RESTART_EXIT_CODE) {
        say(`${p.name} asked for a restart (factory reset); restarting everything`);
        children = [];
        const old = set;
        const wait = Promise.all(old.map((c) => (c.exitCode !== null || c.signalCode !== null ? null : (c.kill("SIGTERM"), new Promise((r) => c.once("exit", r))))));
        void wait.then(() => {
          if (!stopping) startAll();
        });
        return;
      }
      say(`${p.name} exited (${signal ?? code}); stopping the others`);
      stopAll(code || 1);
    });
    set.push(child);
  }
  children = set;
}
startAll();
say(`open ${env.publicUrl}${demo ? " (demo: three simulated cameras appear once the owner account exists)" : ""}`);
process.on("SIGINT", () => stopAll(0));
process.on("SIGTERM", () => stopAll(0));
