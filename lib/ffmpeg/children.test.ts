// Every ffmpeg dies with its process, whatever killed it: a worker killed with SIGKILL (no exit hook runs) takes its
// supervised ffmpeg with it (setpriv --pdeathsig), with real processes.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { withParentDeathSignal } from "./children";

const alive = (pid: number) => fs.existsSync(`/proc/${pid}`) && !/^State:\s+Z/m.test(fs.readFileSync(`/proc/${pid}/status`, "utf8"));

test("the command keeps ffmpeg's own command line (setpriv execs it in place)", () => {
  const c = withParentDeathSignal("ffmpeg", ["-i", "x"]);
  if (c.file.endsWith("setpriv")) assert.deepEqual(c.args, ["--pdeathsig", "KILL", "--", "ffmpeg", "-i", "x"]);
  else assert.deepEqual(c, { file: "ffmpeg", args: ["-i", "x"] });
});

test("a worker killed with SIGKILL takes its supervised ffmpeg with it", { skip: process.platform !== "linux" }, async () => {
  const supervise = path.join(import.meta.dirname, "supervise.ts");
  const script = `
    import { superviseFfmpeg } from ${JSON.stringify(supervise)};
    superviseFfmpeg({ ffmpegPath: "ffmpeg", backoff: { initialMs: 1000, maxMs: 1000, resetAfterMs: 1000 },
      argv: () => ["-nostdin", "-v", "error", "-re", "-f", "lavfi", "-i", "testsrc=size=64x36:rate=5", "-f", "null", "-"],
      onSpawn: (child) => console.log("FFMPEG", child.pid), onExit: () => "stop" });`;
  const worker = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  const pid = await new Promise<number>((resolve, reject) => {
    let out = "";
    worker.stdout!.on("data", (d) => {
      out += d;
      const m = /FFMPEG (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    worker.once("exit", () => reject(new Error(`worker exited first: ${out}`)));
  });
  // ffmpeg runs (its own command line, not a wrapper's) …
  for (let i = 0; i < 100 && !fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").startsWith("ffmpeg\0"); i++) await new Promise((r) => setTimeout(r, 20));
  assert.match(fs.readFileSync(`/proc/${pid}/cmdline`, "utf8"), /^ffmpeg\0/);
  assert.ok(alive(pid));
  // … until its worker is killed with a signal no handler sees.
  worker.kill("SIGKILL");
  await new Promise((r) => worker.once("exit", r));
  for (let i = 0; i < 250 && alive(pid); i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(alive(pid), false, "ffmpeg died with its worker");
});
