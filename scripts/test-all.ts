// `npm test`: everything CI runs, in order, stopping at the first failure: typecheck, lint, unit and integration
// tests, the production build, and the Playwright e2e suite (Debian chromium) against that build.
import { spawnSync } from "node:child_process";

const steps: [string, string[]][] = [
  ["typecheck", ["run", "-s", "typecheck"]],
  ["lint", ["run", "-s", "lint"]],
  ["unit and integration tests", ["run", "-s", "test:unit"]],
  ["production build", ["run", "-s", "build"]],
  ["e2e tests", ["run", "-s", "test:e2e"]],
];

const started = Date.now();
for (const [name, args] of steps) {
  const t0 = Date.now();
  process.stdout.write(`\n=== ${name} ===\n`);
  const res = spawnSync("npm", args, { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  if (res.status !== 0) {
    process.stdout.write(`\n=== ${name} FAILED after ${secs} s ===\n`);
    process.exit(res.status ?? 1);
  }
  process.stdout.write(`=== ${name} passed in ${secs} s ===\n`);
}
process.stdout.write(`\nall checks passed in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
