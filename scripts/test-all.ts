// `npm test`: everything CI runs, in order, stopping at the first failure: system prerequisites, the detection model
// (fetched and converted once, then only checked; the detector's tests run on it), typecheck, lint, unit and
// integration tests, the production build, and the Playwright e2e suite (Debian chromium) against it.
// Ends with one summary line "N passed, N failed" counted from the test runners' own reports.
import { spawn } from "node:child_process";

type Step = { name: string; cmd: string; args: string[]; count?: (out: string) => { passed: number; failed: number } };

// Node's spec reporter (one summary per run of test:unit) ends with "ℹ pass N" / "ℹ fail N"; Playwright with "N passed" / "N failed".
const sum = (out: string, re: RegExp) => [...out.matchAll(re)].reduce((n, m) => n + Number(m[1]), 0);
const nodeCounts = (out: string) => ({ passed: sum(out, /ℹ pass (\d+)/g), failed: sum(out, /ℹ fail (\d+)/g) });
const playwrightCounts = (out: string) => ({ passed: Number(/^\s*(\d+) passed/m.exec(out)?.[1] ?? 0), failed: Number(/^\s*(\d+) failed/m.exec(out)?.[1] ?? 0) });

const steps: Step[] = [
  { name: "prerequisites", cmd: "bash", args: ["scripts/prerequisites.sh"] },
  { name: "detection model", cmd: "npm", args: ["run", "-s", "build:model"] },
  { name: "typecheck", cmd: "npm", args: ["run", "-s", "typecheck"] },
  { name: "lint", cmd: "npm", args: ["run", "-s", "lint"] },
  { name: "unit and integration tests", cmd: "npm", args: ["run", "-s", "test:unit"], count: nodeCounts },
  { name: "production build", cmd: "npm", args: ["run", "-s", "build"] },
  { name: "e2e tests", cmd: "npm", args: ["run", "-s", "test:e2e"], count: playwrightCounts },
];

function run(step: Step): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(step.cmd, step.args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", FORCE_COLOR: "0" } });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      process.stdout.write(d);
    });
    child.stderr.on("data", (d) => process.stderr.write(d));
    child.on("close", (code) => resolve({ code: code ?? 1, out }));
  });
}

const started = Date.now();
let passed = 0;
let failed = 0;
for (const step of steps) {
  const t0 = Date.now();
  process.stdout.write(`\n=== ${step.name} ===\n`);
  const { code, out } = await run(step);
  if (step.count) {
    const c = step.count(out);
    passed += c.passed;
    failed += c.failed;
  }
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  if (code !== 0) {
    process.stdout.write(`\n=== ${step.name} FAILED after ${secs} s ===\n${passed} passed, ${Math.max(failed, 1)} failed\n`);
    process.exit(code);
  }
  process.stdout.write(`=== ${step.name} passed in ${secs} s ===\n`);
}
process.stdout.write(`\nall checks passed in ${((Date.now() - started) / 1000).toFixed(0)} s\n${passed} passed, ${failed} failed\n`);
