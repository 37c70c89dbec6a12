// Health: detection's part as a table (pure judgeDetection), the model file's state (missing, other bytes, cached until
// the file changes), and readHealth against a real SQLite file — the detector is expected only while a recorded camera
// has detection on, and a detection problem is a warning that never makes `ok` false.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { MODEL, modelPath } from "./detection/model";
import type { MediaEngine } from "./ffmpeg/engine";
import { DETECTOR_WORKER, HEARTBEAT_STALE_MS, judgeDetection, modelState, readHealth, writeHeartbeat, type ModelState } from "./health";
import { createTestDb, type TestDb } from "./testing/db";

const NOW = new Date("2026-06-10T12:00:00Z");
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const MODEL_OK: ModelState = { state: "ok", bytes: MODEL.bytes, problem: null };
const MODEL_MISSING: ModelState = { state: "missing", bytes: null, problem: "model file missing: /x (npm run build:model makes it)" };
const info = (o: object) => JSON.stringify(o);
const workerInfo = { model: "NanoDet-m", threads: 1, problem: null, frames: 120, failed: 1, inferMs: { p50: 31.5, p95: 44 }, rssMb: 180 };
const clientInfo = (state: string, detail: string | null = null) => info({ cameras: {}, detector: { state, detail, model: null, queued: 2, dropped: 7, done: 120, failed: 1, restarts: 0, inferMs: null } });

describe("judgeDetection", () => {
  type Case = [name: string, input: Omit<Parameters<typeof judgeDetection>[0], "now">, expect: { ok: boolean; expected: boolean; problems: RegExp[] }];
  const cases: Case[] = [
    ["off, never ran: nothing expected, nothing wrong", { cameras: 0, model: MODEL_MISSING }, { ok: true, expected: false, problems: [] }],
    ["off, an old stale heartbeat and a missing model: no warning", { cameras: 0, model: MODEL_MISSING, detectorBeat: { beatAt: ago(86_400_000), info: info(workerInfo) } }, { ok: true, expected: false, problems: [] }],
    ["on, model ok, fresh beat, client ready", { cameras: 2, model: MODEL_OK, detectorBeat: { beatAt: ago(5_000), info: info(workerInfo) }, recorderBeat: { info: clientInfo("ready") } }, { ok: true, expected: true, problems: [] }],
    ["on, model missing, the worker said fatal", { cameras: 1, model: MODEL_MISSING, detectorBeat: { beatAt: ago(5_000), info: info({ ...workerInfo, problem: "model_missing: no file" }) } }, { ok: false, expected: true, problems: [/^model file missing/, /^detector: model_missing/] }],
    ["on, model corrupt", { cameras: 1, model: { state: "mismatch", bytes: 10, problem: "model file is not the pinned NanoDet-m" }, detectorBeat: { beatAt: ago(5_000), info: info(workerInfo) } }, { ok: false, expected: true, problems: [/not the pinned/] }],
    ["on, no heartbeat yet", { cameras: 1, model: MODEL_OK }, { ok: false, expected: true, problems: [/has not started/] }],
    ["on, heartbeat stale", { cameras: 1, model: MODEL_OK, detectorBeat: { beatAt: ago(HEARTBEAT_STALE_MS + 1_000), info: info(workerInfo) } }, { ok: false, expected: true, problems: [/silent for 31 s/] }],
    ["on, the recorder's client says down", { cameras: 1, model: MODEL_OK, detectorBeat: { beatAt: ago(1_000), info: info(workerInfo) }, recorderBeat: { info: clientInfo("down", "worker exited 3 times") } }, { ok: false, expected: true, problems: [/^detector down: worker exited 3 times; cameras record on motion alone/] }],
    ["on, heartbeat info not JSON: read as empty, no crash", { cameras: 1, model: MODEL_OK, detectorBeat: { beatAt: ago(1_000), info: "{not json" }, recorderBeat: { info: "[]" } }, { ok: true, expected: true, problems: [] }],
  ];
  for (const [name, input, expect] of cases) {
    test(name, () => {
      const d = judgeDetection({ ...input, now: NOW });
      assert.equal(d.ok, expect.ok);
      assert.equal(d.expected, expect.expected);
      assert.equal(d.problems.length, expect.problems.length, d.problems.join(" | "));
      expect.problems.forEach((re, i) => assert.match(d.problems[i], re));
      assert.equal(d.model.name, MODEL.name);
      assert.equal(d.model.licence, "Apache-2.0");
    });
  }

  test("reports the worker's figures and the recorder's queue", () => {
    const d = judgeDetection({ cameras: 1, model: MODEL_OK, detectorBeat: { beatAt: ago(4_000), info: info(workerInfo) }, recorderBeat: { info: clientInfo("ready") }, now: NOW });
    assert.deepEqual(d.worker, { ok: true, lastBeat: ago(4_000).toISOString(), ageSeconds: 4, problem: null, threads: 1, frames: 120, failed: 1, inferMs: { p50: 31.5, p95: 44 }, rssMb: 180 });
    assert.deepEqual(d.client, { state: "ready", detail: null, queued: 2, dropped: 7, failed: 1, restarts: 0 });
  });
});

describe("modelState", () => {
  let t: TestDb;
  before(async () => (t = await createTestDb()));
  after(() => t.cleanup());

  test("missing, then other bytes (re-read when the file changes), never throws", () => {
    const file = path.join(t.dataDir, "model.onnx");
    const missing = modelState(file);
    assert.equal(missing.state, "missing");
    assert.match(missing.problem ?? "", /npm run build:model/);
    fs.writeFileSync(file, "not a model");
    const corrupt = modelState(file);
    assert.deepEqual([corrupt.state, corrupt.bytes], ["mismatch", 11]);
    assert.match(corrupt.problem ?? "", /corrupt or replaced/);
    assert.equal(modelState(file), corrupt, "cached while size and time are the same");
    fs.writeFileSync(file, "not a model either");
    fs.utimesSync(file, new Date(), new Date(Date.now() + 5_000));
    assert.equal(modelState(file).bytes, 18);
    fs.mkdirSync(path.join(t.dataDir, "dir.onnx"));
    assert.equal(modelState(path.join(t.dataDir, "dir.onnx")).state, "unreadable");
  });

  test("the built model is ok", { skip: !fs.existsSync(modelPath(undefined)) && "no built model in .cache/models" }, () => {
    assert.deepEqual(modelState(modelPath(undefined)), { state: "ok", bytes: MODEL.bytes, problem: null });
  });
});

describe("readHealth: detection", () => {
  let t: TestDb;
  const engine = { ok: true } as MediaEngine;
  let missingModel = "";
  const cam = (id: string, extra: object) => t.db.camera.create({ data: { id, name: id, mainStreamUrl: `rtsp://192.0.2.1/${id}`, ...extra } });

  before(async () => {
    t = await createTestDb();
    missingModel = path.join(t.dataDir, "no-model.onnx");
    for (const name of ["scheduler", "recorder", "notifier"]) await writeHeartbeat(t.db, name, ago(60_000), {}, ago(1_000));
  });
  after(() => t.cleanup());

  test("no camera uses detection: nothing expected, no warning, though the model is missing", async () => {
    await cam("plain", {});
    const h = await readHealth(t.db, NOW, engine, { modelFile: missingModel });
    assert.equal(h.ok, true);
    assert.deepEqual(h.warnings, []);
    assert.equal(h.detection.cameras, 0);
    assert.equal(h.detection.expected, false);
    assert.equal(h.detection.model.state, "missing");
    assert.equal(h.workers[DETECTOR_WORKER], undefined, "the detector is not one of the always-expected workers");
  });

  test("only recorded cameras with detection on count; a missing model and a silent detector are warnings, not a failure", async () => {
    const on = JSON.stringify({ enabled: true });
    await cam("porch", { detectionConfig: on });
    await cam("yard", { detectionConfig: on });
    await cam("private", { detectionConfig: on, privacyMode: true });
    await cam("off", { detectionConfig: on, isEnabled: false });
    await cam("paused", { detectionConfig: on, recordingEnabled: false });
    await cam("broken", { detectionConfig: "{nope" });
    await writeHeartbeat(t.db, "recorder", ago(60_000), { cameras: {}, detector: { state: "down", detail: "model_missing", queued: 0, dropped: 0, done: 0, failed: 0, restarts: 2 } }, ago(1_000));
    await writeHeartbeat(t.db, DETECTOR_WORKER, ago(600_000), { ...workerInfo, problem: "model_missing: no model file" }, ago(300_000));
    const h = await readHealth(t.db, NOW, engine, { modelFile: missingModel });
    assert.equal(h.detection.cameras, 2);
    assert.equal(h.detection.expected, true);
    assert.equal(h.detection.ok, false);
    assert.equal(h.ok, true, "recording goes on with motion alone");
    assert.equal(h.detection.worker?.ok, false);
    assert.equal(h.detection.worker?.ageSeconds, 300);
    assert.equal(h.detection.client?.state, "down");
    assert.deepEqual(
      h.warnings.map((w) => w.replace(missingModel, "<file>")),
      [
        "detection: model file missing: <file> (npm run build:model makes it)",
        "detection: detector: model_missing: no model file",
        "detection: detector worker silent for 300 s",
        "detection: detector down: model_missing; cameras record on motion alone",
      ],
    );
  });

  test("the model present and the detector beating: no warning", async () => {
    const file = path.join(t.dataDir, "fake.onnx");
    fs.writeFileSync(file, "x");
    await writeHeartbeat(t.db, "recorder", ago(60_000), { cameras: {}, detector: { state: "ready", detail: null } }, ago(1_000));
    await writeHeartbeat(t.db, DETECTOR_WORKER, ago(60_000), workerInfo, ago(2_000));
    const wrong = await readHealth(t.db, NOW, engine, { modelFile: file });
    assert.deepEqual(wrong.detection.problems.map((p) => p.slice(0, 34)), ["model file is not the pinned NanoD"]);
    const real = modelPath(undefined);
    if (!fs.existsSync(real)) return; // the build makes it; without it the mismatch case above stands for the check
    const h = await readHealth(t.db, NOW, engine, { modelFile: real });
    assert.equal(h.detection.ok, true);
    assert.deepEqual(h.warnings, []);
    assert.equal(h.detection.worker?.inferMs?.p50, 31.5);
  });
});
