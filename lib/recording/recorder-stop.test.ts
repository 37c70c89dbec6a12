// No footage is lost when a recorder stops mid-event, with simulated cameras and real ffmpeg: seconds of motion in are
// seconds of clip out.
// - Motion settings changed mid-event apply to the running recorder: same ingest, no restart, one event whose clips
//   cover the whole motion.
// - A stream change mid-event (a new recorder): the old one closes its event with clips up to the moment it stopped
//   and a photo; the new one records the rest.
// - The worker killed with SIGKILL before the first clip was cut: the restart cuts the event's clips from the ring still
//   on disk, closes it, photographs it and says so in the diagnostics.
// Times are compared with what the recorder itself wrote (event start, the moment of the stop or kill), never with
// how long something took.
import assert from "node:assert/strict";
import crypto from "node:crypto";
import path from "node:path";
import { spawnSync, type ChildProcess } from "node:child_process";
import { after, before, describe, test } from "node:test";
import { createCamera } from "../cameras/cameras";
import { sealCredentials } from "../cameras/credentials";
import { mediaDir } from "../data-dir";
import { getSecrets } from "../secrets";
import { startSimulator, type Simulator } from "../simulator/simulator";
import { createTestDb, type TestDb } from "../testing/db";
import { startRecorderPool } from "./recorder-pool";
import { startRecorderWorker } from "../testing/recorder-worker";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitFor<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 90_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

/** Clips of an event: [start, end] in ms, in order, and whether they touch. */
function coverage(clips: { startedAt: Date; durationMs: number }[]) {
  const spans = clips.map((c) => [c.startedAt.getTime(), c.startedAt.getTime() + c.durationMs] as const);
  const touching = spans.every((s, i) => i === 0 || Math.abs(s[0] - spans[i - 1][1]) <= 100);
  return { from: spans[0]?.[0] ?? NaN, to: spans.at(-1)?.[1] ?? NaN, touching };
}

function decodes(file: string): boolean {
  return spawnSync("ffmpeg", ["-v", "error", "-i", file, "-f", "null", "-"], { encoding: "utf8" }).stderr.trim() === "";
}

const PRE_ROLL_MS = 3_000;
const POST_ROLL_MS = 3_000;
/** A clip starts and ends at segment (one GOP: 1 s) boundaries: it may reach this far beyond the wanted range, ms. */
const BOUNDARY_MS = 1_200;

describe("a recorder that stops mid-event loses nothing", { timeout: 240_000 }, () => {
  let sim: Simulator;
  let t: TestDb;
  const key = crypto.randomBytes(32);
  let pool: ReturnType<typeof startRecorderPool> | null = null;

  before(async () => {
    sim = await startSimulator({ cameras: 2, baseAddress: "127.0.0.220", rtspPort: 39554, onvifPort: 39000, discoveryPort: 47902, controlPort: null, withDiscovery: false });
    t = await createTestDb();
  });
  after(async () => {
    await pool?.stop();
    await sim?.close();
    await t?.cleanup();
  });

  const camera = async (i: number) => {
    const cam = await createCamera(t.db, { name: `Stop ${i}`, mainStreamUrl: sim.cameras[i].rtspUrl.main, subStreamUrl: sim.cameras[i].rtspUrl.sub, credentials: { username: sim.username, password: sim.password } }, key, null);
    await t.db.camera.update({ where: { id: cam.id }, data: { motionConfig: JSON.stringify({ preRollMs: PRE_ROLL_MS, postRollMs: POST_ROLL_MS, quietMs: 3_000 }) } });
    return cam.id;
  };

  test("settings changed mid-event apply without a restart; a stream change closes the event with its clips", async () => {
    const [settled, edited] = [await camera(0), await camera(1)];
    pool = startRecorderPool({ db: t.db, dataDir: t.dataDir, ffmpegPath: "ffmpeg", ffprobePath: "ffprobe", credentialsKey: key, minFreeBytes: 0, timeZone: "UTC" });
    const recorderOf = (id: string) => pool!.running.get(id)?.recorder ?? null;
    await waitFor("both rings to fill the pre-roll", async () => [settled, edited].every((id) => (recorderOf(id)?.ring.list().length ?? 0) >= 5));
    const first = { settled: recorderOf(settled)!, edited: recorderOf(edited)! };

    sim.setMotion(0, true);
    sim.setMotion(1, true);
    const [a0, b0] = await Promise.all([waitFor("event on 0", () => t.db.event.findFirst({ where: { cameraId: settled } })), waitFor("event on 1", () => t.db.event.findFirst({ where: { cameraId: edited } }))]);

    // Camera 0: sensitivity and zones change mid-event (the pool sees updatedAt move). Camera 1: its credentials are
    // sealed anew (what an admin saving the password does): the ingest must reconnect.
    await t.db.camera.update({ where: { id: settled }, data: { motionConfig: JSON.stringify({ preRollMs: PRE_ROLL_MS, postRollMs: POST_ROLL_MS, quietMs: 3_000, sensitivity: 70 }) } });
    await t.db.camera.update({ where: { id: edited }, data: { credentialsEnc: sealCredentials({ username: sim.username, password: sim.password }, key) } });
    await waitFor("the stream change to replace camera 1's recorder", async () => recorderOf(edited) !== null && recorderOf(edited) !== first.edited);
    // The stopped recorder closed its event when it stopped; the recorder's own "now" at that moment bounds it.
    const stoppedAt = Date.now();
    const closed = await waitFor("camera 1's first event to be closed with a photo", async () => {
      const e = await t.db.event.findUnique({ where: { id: b0.id }, include: { clips: { orderBy: { sequence: "asc" } }, photo: true } });
      return e?.endedAt && e.photo ? e : null;
    });
    const b = coverage(closed.clips);
    assert.ok(b.touching, "clips touch");
    assert.ok(Math.abs(b.from - (b0.startedAt.getTime() - PRE_ROLL_MS)) <= BOUNDARY_MS, `first clip starts ${b.from - b0.startedAt.getTime()} ms from the motion`);
    assert.ok(b.to >= closed.endedAt!.getTime() - BOUNDARY_MS && b.to <= stoppedAt + BOUNDARY_MS, `clips end at the stop: ${b.to - closed.endedAt!.getTime()} ms`);
    for (const c of closed.clips) assert.ok(decodes(path.join(mediaDir(t.dataDir), c.path)), c.path);

    await sleep(4_000);
    sim.setMotion(0, false);
    sim.setMotion(1, false);
    const motionEnd = Date.now();
    assert.equal(recorderOf(settled), first.settled, "camera 0 kept its recorder: the settings applied in place");
    assert.equal(first.settled.stats.ingestRestarts, 0, "and its ingest never restarted");

    const a = await waitFor("camera 0's event to end with its photo", async () => {
      const e = await t.db.event.findUnique({ where: { id: a0.id }, include: { clips: { orderBy: { sequence: "asc" } }, photo: true } });
      return e?.endedAt && e.photo ? e : null;
    });
    assert.equal(await t.db.event.count({ where: { cameraId: settled } }), 1, "one event through the settings change");
    const cov = coverage(a.clips);
    assert.ok(cov.touching);
    // Seconds of motion in, seconds of clip out: from the pre-roll before the first motion to the post-roll after the last.
    assert.ok(Math.abs(cov.from - (a0.startedAt.getTime() - PRE_ROLL_MS)) <= BOUNDARY_MS, `starts ${cov.from - a0.startedAt.getTime()} ms from the motion`);
    assert.ok(cov.to >= motionEnd + POST_ROLL_MS - 2 * BOUNDARY_MS, `ends ${cov.to - motionEnd} ms after the motion stopped`);
    // Camera 1's new recorder recorded the rest of the motion as a new event, which ended too.
    await waitFor("camera 1's second event to end", async () => (await t.db.event.count({ where: { cameraId: edited, endedAt: { not: null } } })) >= 2 || null);
    assert.equal(await t.db.event.count({ where: { endedAt: null } }), 0, "no event left open");
    await pool.stop();
    pool = null;
    assert.equal(await t.db.event.count({ where: { endedAt: null } }), 0, "none after the pool stopped either");
  });
});

describe("the worker killed with SIGKILL before the first clip: the restart saves the footage", { timeout: 180_000 }, () => {
  let sim: Simulator;
  let t: TestDb;
  let worker: ChildProcess | null = null;

  before(async () => {
    sim = await startSimulator({ cameras: 1, baseAddress: "127.0.0.230", rtspPort: 49554, onvifPort: 49000, discoveryPort: 48002, controlPort: null, withDiscovery: false });
    t = await createTestDb();
  });
  after(async () => {
    worker?.kill("SIGKILL");
    await sim?.close();
    await t?.cleanup();
  });
  const startWorker = () => startRecorderWorker(t.dataDir);
  const heartbeatSince = (since: number) => waitFor("the worker's heartbeat", async () => ((await t.db.workerHeartbeat.findUnique({ where: { name: "recorder" } }))?.startedAt.getTime() ?? 0) >= since - 1000 || null, 60_000);

  test("the open event gets its clips from the ring on disk, a photo and an end; nothing is left open", async () => {
    const cam = await createCamera(t.db, { name: "Crash early", mainStreamUrl: sim.cameras[0].rtspUrl.main, subStreamUrl: sim.cameras[0].rtspUrl.sub, credentials: { username: sim.username, password: sim.password } }, getSecrets().credentialsKey, null);
    await t.db.camera.update({ where: { id: cam.id }, data: { motionConfig: JSON.stringify({ preRollMs: PRE_ROLL_MS, postRollMs: POST_ROLL_MS }) } });
    const firstStart = Date.now();
    worker = startWorker();
    await heartbeatSince(firstStart);
    // Let the ring hold the pre-roll (the live folder has segments).
    await sleep(6_000);
    sim.setMotion(0, true);
    const event = await waitFor("the event row", () => t.db.event.findFirst({ where: { cameraId: cam.id } }));
    // Motion for a while, well within the first clip (20 s): nothing has been cut yet.
    await sleep(6_000);
    assert.equal(await t.db.clip.count(), 0, "no clip cut yet (the situation under test)");
    const killedAt = Date.now();
    worker.kill("SIGKILL");
    await new Promise((r) => worker!.once("exit", r));
    sim.setMotion(0, false);

    const restart = Date.now();
    worker = startWorker();
    await heartbeatSince(restart);
    worker.kill("SIGTERM");
    await new Promise((r) => worker!.once("exit", r));
    worker = null;

    const saved = await t.db.event.findUniqueOrThrow({ where: { id: event.id }, include: { clips: { orderBy: { sequence: "asc" } }, photo: true } });
    assert.notEqual(saved.endedAt, null, "closed");
    assert.ok(saved.photo, "photographed");
    const cov = coverage(saved.clips);
    assert.ok(cov.touching);
    assert.ok(Math.abs(cov.from - (event.startedAt.getTime() - PRE_ROLL_MS)) <= BOUNDARY_MS, `from the pre-roll: ${cov.from - event.startedAt.getTime()} ms`);
    // Up to the kill: the last segment completed before it (one GOP, plus the time ffmpeg takes to list it).
    assert.ok(cov.to <= killedAt + BOUNDARY_MS && cov.to >= killedAt - 2 * BOUNDARY_MS - 1_000, `to the kill: ${cov.to - killedAt} ms`);
    for (const c of saved.clips) assert.ok(decodes(path.join(mediaDir(t.dataDir), c.path)), c.path);
    const diag = await t.db.cameraDiagnostic.findMany({ where: { cameraId: cam.id, kind: "recovered" } });
    assert.equal(diag.length, 1, "the recovery is in the camera's diagnostics");
    assert.equal(JSON.parse(diag[0].data).event, event.id);
    assert.equal(await t.db.event.count({ where: { endedAt: null } }), 0, "no event left open");
  });
});
