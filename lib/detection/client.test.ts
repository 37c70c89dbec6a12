// The detector client's supervision with real child processes standing in for workers/detector.ts (small scripts
// written to a temp folder that speak the same IPC protocol; the real worker with the real model is exercised by
// lib/recording/detection.test.ts): answers reach the frame's callback once; a worker that never gets ready is
// restarted; a worker that says "fatal" leaves the client down with its reason; nothing is taken while stopped.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { createDetectorClient, type DetectionResult, type DetectorClient } from "./client";
import { waitFor } from "../testing/wait";
import { FATAL_EXIT_CODE } from "./protocol";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "nightjar-client-"));
const script = (name: string, body: string) => {
  const file = path.join(tmp, `${name}.mjs`);
  fs.writeFileSync(file, body);
  return file;
};
const READY = `process.send({ type: "ready", model: { name: "fake", inputSize: 416, sha256: "0", threads: 1 }, loadMs: 1 });`;
/** Answers every frame with one person box the size of the frame; exits when the parent goes. */
const ECHO = script("echo", `${READY}
process.on("message", (m) => process.send({ type: "result", id: m.id, found: [{ x1: 0, y1: 0, x2: m.width, y2: m.height, label: "person", score: 0.9 }], inferMs: 1 }));
process.on("disconnect", () => process.exit(0));`);
const NEVER_READY = script("never-ready", `setInterval(() => {}, 1000); process.on("disconnect", () => process.exit(0));`);
const FATAL = script("fatal", `process.send({ type: "fatal", code: "model_missing", message: "no model here" }, () => process.exit(${FATAL_EXIT_CODE}));`);

const frame = (w = 4, h = 2) => ({ width: w, height: h, rgb: new Uint8Array(w * h * 3) });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const until = (what: string, fn: () => boolean) => waitFor(what, fn, 20_000, 20);

describe("detector client", () => {
  const clients: DetectorClient[] = [];
  const client = (entry: string, extra: { loadTimeoutMs?: number } = {}) => {
    const c = createDetectorClient({ entry, execArgv: [], ...extra });
    clients.push(c);
    return c;
  };
  after(async () => {
    await Promise.all(clients.map((c) => c.stop()));
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  test("a frame's answer reaches its callback once, with the capture time it was given", async () => {
    const c = client(ECHO);
    c.start();
    await until("ready", () => c.isAvailable());
    const got: DetectionResult[] = [];
    const capturedAt = Date.now();
    c.submit("cam", frame(8, 6), capturedAt, undefined, 0.5, (r) => got.push(r));
    await until("the answer", () => got.length === 1);
    await sleep(100);
    assert.equal(got.length, 1);
    assert.deepEqual([got[0].capturedAt, got[0].found[0].x2, got[0].found[0].y2, got[0].frame.width], [capturedAt, 8, 6, 8]);
    assert.equal(c.status().done, 1);
  });

  test("a frame older than MAX_FRAME_AGE_MS when its turn comes is dropped, not detected", async () => {
    const c = client(ECHO);
    c.start();
    await until("ready", () => c.isAvailable());
    c.submit("cam", frame(), Date.now() - 60_000, undefined, 0.5, () => assert.fail("a stale frame is not detected"));
    await sleep(200);
    assert.deepEqual([c.status().dropped, c.status().done], [1, 0]);
  });

  test("stopped: frames are dropped (counted), the worker is not started", async () => {
    const c = client(ECHO);
    c.submit("cam", frame(), Date.now(), undefined, 0.5, () => assert.fail("no answer while stopped"));
    await sleep(200);
    assert.deepEqual([c.state(), c.pid(), c.status().dropped], ["stopped", null, 1]);
  });

  test("a worker that never gets ready is killed after the load timeout and started again", async () => {
    const c = client(NEVER_READY, { loadTimeoutMs: 300 });
    c.start();
    const first = await (async () => {
      await until("a worker", () => c.pid() !== null);
      return c.pid();
    })();
    await until("a restart", () => c.status().restarts >= 1 && c.pid() !== null && c.pid() !== first);
    assert.notEqual(c.state(), "ready");
  });

  test("a worker that says fatal: down with its reason, no quick restart", async () => {
    const c = client(FATAL);
    c.start();
    await until("down", () => c.state() === "down");
    assert.match(c.status().detail ?? "", /model_missing: no model here/);
    await sleep(1500); // past the ordinary back-off's first step (1 s): the fatal one waits minutes
    assert.equal(c.pid(), null);
    assert.equal(c.status().restarts, 1);
  });
});
