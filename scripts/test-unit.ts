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
const filter = process.argv.slice(2);
const chosen = filter.length ? files.filter((f) => filter.some((x) => f.includes(x))) : files;
const res = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-reporter=spec", "--test-concurrency=2", "--test-timeout=300000", ...chosen], { cwd: root, stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", LOG_LEVEL: process.env.LOG_LEVEL ?? "error" } });
process.exit(res.status ?? 1);
