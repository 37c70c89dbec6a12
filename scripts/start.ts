// `npm start`: prepares and runs Nightjar. Checks the configuration, creates $DATA_DIR and its secrets, applies
// database migrations (prisma migrate deploy), builds the web app when the sources changed since the last build,
// then runs the web server and the workers as child processes. Ctrl-C / SIGTERM stops them all; if one of them
// dies, the others are stopped too and the exit code is passed on (so systemd restarts the whole set).
// `npm run dev` does the same with the Next.js dev server and no build.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { getEnv } from "../lib/env";
import { getSecrets } from "../lib/secrets";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dev = process.argv.includes("--dev");
const say = (msg: string) => process.stdout.write(`[nightjar] ${msg}\n`);

let env;
try {
  env = getEnv();
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(78); // EX_CONFIG
}
fs.mkdirSync(env.dataDir, { recursive: true });
getSecrets();
const childEnv = { ...process.env, DATA_DIR: env.dataDir, DATABASE_URL: `file:${env.databasePath}`, NEXT_TELEMETRY_DISABLED: "1", CHECKPOINT_DISABLE: "1" };

say(`data in ${env.dataDir}`);
const migrate = spawnSync(process.execPath, [path.join(root, "node_modules/prisma/build/index.js"), "migrate", "deploy"], { cwd: root, env: childEnv, stdio: ["ignore", "pipe", "inherit"], encoding: "utf8" });
if (migrate.status !== 0) {
  process.stdout.write(migrate.stdout ?? "");
  say("database migration failed; nothing was started");
  process.exit(migrate.status ?? 1);
}
say("database up to date");

/** Fingerprint of everything that goes into the web build: paths, sizes and modification times. */
function sourceFingerprint(): string {
  const hash = crypto.createHash("sha256");
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else {
        const st = fs.statSync(p);
        hash.update(`${path.relative(root, p)}:${st.size}:${st.mtimeMs}\n`);
      }
    }
  };
  for (const dir of ["app", "lib", "public"]) if (fs.existsSync(path.join(root, dir))) walk(path.join(root, dir));
  for (const file of ["next.config.ts", "package-lock.json", "postcss.config.mjs", "tsconfig.json"]) {
    const p = path.join(root, file);
    if (fs.existsSync(p)) hash.update(`${file}:${fs.statSync(p).size}:${fs.statSync(p).mtimeMs}\n`);
  }
  return hash.digest("hex");
}

if (!dev) {
  const stamp = path.join(root, ".next", "nightjar-source-fingerprint");
  const fingerprint = sourceFingerprint();
  const built = fs.existsSync(path.join(root, ".next", "BUILD_ID")) && fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8") === fingerprint;
  if (!built || process.env.NIGHTJAR_REBUILD === "1") {
    say("building the web app (first start or changed sources, about a minute)…");
    const build = spawnSync(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"], { cwd: root, env: childEnv, stdio: "inherit" });
    if (build.status !== 0) process.exit(build.status ?? 1);
    fs.writeFileSync(stamp, fingerprint);
  }
}

const processes: { name: string; args: string[] }[] = [
  { name: "web", args: ["--import", "tsx", path.join(root, "workers/web.ts"), ...(dev ? ["--dev"] : [])] },
  { name: "scheduler", args: ["--import", "tsx", path.join(root, "workers/scheduler.ts")] },
];

const children: ChildProcess[] = [];
let stopping = false;
function stopAll(code: number) {
  if (stopping) return;
  stopping = true;
  for (const c of children) if (c.exitCode === null) c.kill("SIGTERM");
  const deadline = setTimeout(() => {
    for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  }, 5_000);
  Promise.all(children.map((c) => (c.exitCode !== null ? null : new Promise((r) => c.once("exit", r))))).then(() => {
    clearTimeout(deadline);
    process.exit(code);
  });
}

for (const p of processes) {
  const child = spawn(process.execPath, p.args, { cwd: root, env: childEnv, stdio: "inherit" });
  child.on("exit", (code, signal) => {
    if (!stopping) {
      say(`${p.name} exited (${signal ?? code}); stopping the others`);
      stopAll(code || 1);
    }
  });
  children.push(child);
}
say(`open ${env.publicUrl}`);
process.on("SIGINT", () => stopAll(0));
process.on("SIGTERM", () => stopAll(0));
