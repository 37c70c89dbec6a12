// `npm test`: everything CI runs. First, in order and stopping at the first failure: system prerequisites, the
// detection model (fetched and converted once, then only checked; the detector's tests run on it), typecheck and lint.
// Then two lanes side by side: the unit and integration tests in one; the production build and the Playwright e2e
// suite (Debian chromium) against it in the other. The e2e suite keeps about one of the two cores busy (it waits on
// cameras, the recorder and the browser; CPU sampled every 10 s: 16–97 %, mostly 50–80 % of the machine), so the unit
// lane runs its suites one at a time there (not two, as alone): the two lanes then ask for about two cores, where two
// suites beside e2e had every test twice as slow and loopback UDP losing packets. The lanes share nothing (the unit
// tests use their own addresses, ports and temp folders; e2e owns 127.0.0.10–14, :3217 and :8998).
// The unit lane's heavy suites (many ffmpeg at once; scripts/test-unit.ts runs them one at a time after the rest) run
// beside e2e too. Each lane stops at its own first failure; the other runs to its end, so one run reports both; the
// summary lists every step, "not run" for those after a failure. Lines of the lanes are prefixed with their step
// ("unit │", "build │", "e2e │").
// Side by side only on a machine that nothing else keeps busy: the lanes already ask for both cores, and beside two
// busy processes (four cores' demand on two) the simulated cameras, which encode live, fell behind real time and tests
// of the recorder and the frame clock failed. So after the prelude `npm test` reads /proc/stat for BUSY_SAMPLE_MS; if
// other work kept BUSY_ELSEWHERE of the machine busy, the lanes run one after the other (the unit tests two suites at a
// time, as alone), as before the lanes existed. `-- --serial` or `-- --lanes` decides instead.
// Ends with the list of steps, a digest of every failed test (which, and the first lines of why: a log cut to its last
// lines still says what failed) and one line "N passed, N failed", all read from the runners' own reports
// (scripts/test-report.ts).
import { spawn } from "node:child_process";
import fs from "node:fs";
import { busyShare } from "./cpu-load";
import { digest, nodeCounts, nodeFailures, playwrightCounts, playwrightFailures, type Counts, type Failure } from "./test-report";

type Runner = { counts: (out: string) => Counts; failures: (out: string) => Failure[] };
type Step = { name: string; tag: string; cmd: string; args: string[]; runner?: Runner };
type Outcome = { step: Step; code: number; secs: number; passed: number; failed: number; failures: Failure[] };

const NODE: Runner = { counts: nodeCounts, failures: nodeFailures };
const PLAYWRIGHT: Runner = { counts: playwrightCounts, failures: playwrightFailures };

const forced = process.argv.includes("--serial") ? "serial" : process.argv.includes("--lanes") ? "lanes" : null;
/** How long the machine is watched before the lanes, ms, and the share of it others may keep busy for them to run side by side. */
const BUSY_SAMPLE_MS = 3_000;
const BUSY_ELSEWHERE = 0.35;
const npm = (name: string, tag: string, script: string, runner?: Runner, extra: string[] = []): Step => ({ name, tag, cmd: "npm", args: ["run", "-s", script, ...(extra.length ? ["--", ...extra] : [])], runner });
const prelude: Step[] = [
  { name: "prerequisites", tag: "", cmd: "bash", args: ["scripts/prerequisites.sh"] },
  npm("detection model", "", "build:model"),
  npm("typecheck", "", "typecheck"),
  npm("lint", "", "lint"),
];
const lanesFor = (serial: boolean): Step[][] => [
  [npm("unit and integration tests", "unit", "test:unit", NODE, ["--concurrency", serial ? "2" : "1"])],
  [npm("production build", "build", "build"), npm("e2e tests", "e2e", "test:e2e", PLAYWRIGHT)],
];
let lanes = lanesFor(forced === "serial");

/** The share of the machine busy over BUSY_SAMPLE_MS while none of our steps runs (others' work); null where unreadable. */
async function busyElsewhere(): Promise<number | null> {
  const read = () => {
    try {
      return fs.readFileSync("/proc/stat", "utf8");
    } catch {
      return "";
    }
  };
  const before = read();
  await new Promise((r) => setTimeout(r, BUSY_SAMPLE_MS));
  return busyShare(before, read());
}

/** Writes a child's output line by line, each line behind the tag (none for the prelude, which runs alone). */
function tagged(tag: string, to: NodeJS.WriteStream) {
  const prefix = tag ? `${tag.padEnd(5)} │ ` : "";
  let partial = "";
  return {
    write(chunk: string) {
      const lines = (partial + chunk).split("\n");
      partial = lines.pop()!;
      for (const line of lines) to.write(prefix + line + "\n");
    },
    end() {
      if (partial) to.write(prefix + partial + "\n");
      partial = "";
    },
  };
}

function run(step: Step): Promise<Outcome> {
  const t0 = Date.now();
  const say = tagged(step.tag, process.stdout);
  say.write(`=== ${step.name} ===\n`);
  return new Promise((resolve) => {
    const child = spawn(step.cmd, step.args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", FORCE_COLOR: "0" } });
    const out = tagged(step.tag, process.stdout);
    const err = tagged(step.tag, process.stderr);
    let text = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      text += d;
      out.write(d);
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => err.write(d));
    child.on("close", (code) => {
      out.end();
      err.end();
      const secs = (Date.now() - t0) / 1000;
      const counts = step.runner?.counts(text) ?? { passed: 0, failed: 0 };
      const failures = step.runner?.failures(text) ?? [];
      say.write(`=== ${step.name} ${code === 0 ? "passed" : "FAILED"} in ${secs.toFixed(1)} s ===\n`);
      say.end();
      resolve({ step, code: code ?? 1, secs, ...counts, failures });
    });
  });
}

/** The steps one after the other, stopping at the first that fails. */
async function runLane(steps: Step[]): Promise<Outcome[]> {
  const done: Outcome[] = [];
  for (const step of steps) {
    const o = await run(step);
    done.push(o);
    if (o.code !== 0) break;
  }
  return done;
}

function finish(outcomes: Outcome[], started: number): never {
  const passed = outcomes.reduce((n, o) => n + o.passed, 0);
  const failedSteps = outcomes.filter((o) => o.code !== 0);
  // A step that failed without a test failing (a crash, a build error) still counts as one failure.
  const failed = outcomes.reduce((n, o) => n + (o.code !== 0 ? Math.max(o.failed, 1) : o.failed), 0);
  const total = ((Date.now() - started) / 1000).toFixed(0);
  const lines = [...prelude, ...lanes.flat()].map((step) => {
    const o = outcomes.find((x) => x.step === step);
    return o ? `  ${o.code === 0 ? "passed " : "FAILED "} ${step.name} (${o.secs.toFixed(1)} s)` : `  not run ${step.name}`;
  });
  process.stdout.write(`\n${lines.join("\n")}\n`);
  const why = outcomes.flatMap((o) => digest(o.step.tag || o.step.name, o.failures));
  if (why.length) process.stdout.write(`\nwhat failed (the full output is above):\n${why.join("\n")}\n`);
  if (failedSteps.length) {
    process.stdout.write(`\n${failedSteps.map((o) => o.step.name).join(", ")} FAILED; ${total} s in all\n${passed} passed, ${failed} failed\n`);
    process.exit(failedSteps[0].code);
  }
  process.stdout.write(`\nall checks passed in ${total} s\n${passed} passed, ${failed} failed\n`);
  process.exit(0);
}

const started = Date.now();
const outcomes = await runLane(prelude);
if (outcomes.some((o) => o.code !== 0)) finish(outcomes, started);
const busy = forced ? null : await busyElsewhere();
const serial = forced ? forced === "serial" : busy !== null && busy >= BUSY_ELSEWHERE;
lanes = lanesFor(serial);
const reason = forced ? `--${forced}` : busy === null ? "CPU load unknown" : `other work kept ${Math.round(busy * 100)} % of the CPUs busy over ${BUSY_SAMPLE_MS / 1000} s`;
process.stdout.write(`\n${serial ? "one lane after the other" : "two lanes side by side"} (${reason})\n\n`);
if (serial) {
  for (const lane of lanes) outcomes.push(...(await runLane(lane)));
} else {
  for (const done of await Promise.all(lanes.map(runLane))) outcomes.push(...done);
}
finish(outcomes, started);
