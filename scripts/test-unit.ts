// Runs every *.test.ts under lib/, workers/ and scripts/ with Node's test runner (real SQLite, real files).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const files: string[] = [];
function walk(dir: string) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory() && e.name !== "generated" && e.name !== "node_modules") walk(p);
    else if (e.isFile() && e.name.endsWith(".test.ts")) files.push(path.relative(root, p));
  }
}
for (const dir of ["lib", "workers", "scripts", "app"]) if (fs.existsSync(path.join(root, dir))) walk(path.join(root, dir));
files.sort();
// Arguments: parts of file paths to run only those; `--concurrency N` for the light suites (default 2, one per core;
// `npm test` gives 1 while the e2e lane runs beside them).
const args = process.argv.slice(2);
const at = args.indexOf("--concurrency");
const concurrency = at >= 0 ? Number(args[at + 1]) : 2;
if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`--concurrency wants a whole number ≥ 1, got ${args[at + 1]}`);
const filter = at >= 0 ? args.filter((_, i) => i !== at && i !== at + 1) : args;
const unknown = filter.filter((a) => a.startsWith("-"));
if (unknown.length) throw new Error(`unknown option ${unknown.join(" ")} (options: --concurrency N; other arguments are parts of file paths)`);
const chosen = filter.length ? files.filter((f) => filter.some((x) => f.includes(x))) : files;
if (chosen.length === 0) throw new Error(`no test file's path contains ${filter.map((x) => JSON.stringify(x)).join(" or ")}`);
// Suites that run many ffmpeg processes at once run alone afterwards: side by side on 2 cores they starve each other.
const HEAVY = ["lib/recording/recorder.test.ts", "lib/recording/recorder-stop.test.ts", "lib/recording/resolution.test.ts", "lib/recording/codecs.test.ts", "lib/recording/webhooks.test.ts", "lib/recording/detection.test.ts", "lib/recording/ptz-pause.test.ts", "lib/recording/camera-events.test.ts", "lib/recording/timelapse-capture.test.ts"];
const light = chosen.filter((f) => !HEAVY.includes(f));
const heavy = chosen.filter((f) => HEAVY.includes(f));
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", LOG_LEVEL: process.env.LOG_LEVEL ?? "error" };
const run = (files: string[], concurrency: number) =>
  files.length === 0 ? 0 : (spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-reporter=spec", `--test-concurrency=${concurrency}`, "--test-timeout=300000", ...files], { cwd: root, stdio: "inherit", env }).status ?? 1);
// Both groups run even when the first fails, so one run reports every failure.
const lightStatus = run(light, concurrency);
const heavyStatus = run(heavy, 1);
process.exit(lightStatus || heavyStatus);
