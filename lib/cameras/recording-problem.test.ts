// A camera whose clips cannot be written is never silent: reportRecordingProblem / reportRecordingWorks against a real
// SQLite file, and what /api/health (readHealth) and the camera's public view then say.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { readHealth } from "../health";
import type { MediaEngine } from "../ffmpeg/engine";
import { createTestDb, type TestDb } from "../testing/db";
import { publicCamera } from "./cameras";
import { reportRecordingProblem, reportRecordingWorks } from "./status-monitor";

let t: TestDb;
const engine = { ok: true } as MediaEngine;
const at = (s: number) => new Date(Date.UTC(2026, 11, 5, 8, 0, s));

before(async () => {
  t = await createTestDb();
  for (const id of ["cam-a", "cam-b"]) await t.db.camera.create({ data: { id, name: `Camera ${id}`, mainStreamUrl: `rtsp://127.0.0.1/${id}` } });
});
after(async () => t.cleanup());

const diagnostics = async (cameraId: string) => (await t.db.cameraDiagnostic.findMany({ where: { cameraId }, orderBy: { id: "asc" } })).map((d) => [d.kind, JSON.parse(d.data).problem, JSON.parse(d.data).detail ?? null]);

test("a problem is kept with its first time, logged once per new text, shown in health and cleared by the next clip", async () => {
  assert.equal(await reportRecordingProblem(t.db, "cam-a", "codec mjpeg cannot be recorded (H.264 or H.265 only)", at(1)), true);
  assert.equal(await reportRecordingProblem(t.db, "cam-a", "codec mjpeg cannot be recorded (H.264 or H.265 only)", at(21)), false, "the same problem again: not logged again");
  let status = await t.db.cameraStatus.findUniqueOrThrow({ where: { cameraId: "cam-a" } });
  assert.equal(status.recordingProblem, "codec mjpeg cannot be recorded (H.264 or H.265 only)");
  assert.equal(status.recordingProblemAt?.toISOString(), at(1).toISOString(), "since the first failure");

  await reportRecordingProblem(t.db, "cam-a", "remux_failed: seg-3.m4s: ends at 100", at(41));
  status = await t.db.cameraStatus.findUniqueOrThrow({ where: { cameraId: "cam-a" } });
  assert.equal(status.recordingProblemAt?.toISOString(), at(1).toISOString(), "another problem in the same run of failures keeps its start");

  const camera = await t.db.camera.findUniqueOrThrow({ where: { id: "cam-a" }, include: { status: true } });
  assert.equal(publicCamera(camera).status.recordingProblem, "remux_failed: seg-3.m4s: ends at 100");

  const health = await readHealth(t.db, at(50), engine);
  assert.equal(health.recording.ok, false);
  assert.equal(health.ok, false, "a camera that records nothing makes the installation unhealthy (503)");
  assert.deepEqual(health.recording.failing, [{ cameraId: "cam-a", problem: "recording fails: remux_failed: seg-3.m4s: ends at 100", since: at(1).toISOString() }]);
  assert.ok(!JSON.stringify(health).includes("Camera cam-a"), "the public health names no camera");

  await reportRecordingWorks(t.db, "cam-a", at(60));
  await reportRecordingWorks(t.db, "cam-a", at(61)); // nothing more to clear: not logged again
  status = await t.db.cameraStatus.findUniqueOrThrow({ where: { cameraId: "cam-a" } });
  assert.equal(status.recordingProblem, null);
  assert.equal(status.recordingProblemAt, null);
  assert.equal((await readHealth(t.db, at(62), engine)).recording.ok, true);
  assert.deepEqual(await diagnostics("cam-a"), [
    ["error", "recording_failed", "codec mjpeg cannot be recorded (H.264 or H.265 only)"],
    ["error", "recording_failed", "remux_failed: seg-3.m4s: ends at 100"],
    ["recovered", "recording_failed", null],
  ]);
});

test("a camera not recorded (privacy mode) is not reported by health; credentials in a problem text are redacted", async () => {
  await reportRecordingProblem(t.db, "cam-b", "ffmpeg_failed: rtsp://admin:secret@10.0.0.2/main: Connection refused", at(1));
  const status = await t.db.cameraStatus.findUniqueOrThrow({ where: { cameraId: "cam-b" } });
  assert.ok(!status.recordingProblem!.includes("secret"), status.recordingProblem!);
  assert.equal((await readHealth(t.db, at(2), engine)).recording.failing.length, 1);
  await t.db.camera.update({ where: { id: "cam-b" }, data: { privacyMode: true } });
  assert.equal((await readHealth(t.db, at(3), engine)).recording.failing.length, 0);
});

test("a camera deleted meanwhile: nothing written, no error", async () => {
  assert.equal(await reportRecordingProblem(t.db, "gone", "codec x", at(1)), false);
});
