// Cameras against a real SQLite database: credentials never stored in the clear, per-camera access, diagnostics
// paging, and the status monitor flipping a camera offline and back when its RTSP server goes away.
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { fakeClock, systemClock } from "../clock";
import { isAppError } from "../errors";
import { errorCode } from "../testing/errors";
import { answerLikeACamera, startRtspPeer, type RtspPeer } from "../testing/rtsp-peer";
import { createTestDb, type TestDb } from "../testing/db";
import { canSeeCamera, listCameraAccess, requireCameraAccess, setCameraAccess } from "./access";
import { cameraCredentials, createCamera, deleteCamera, listCamerasFor, updateCamera } from "./cameras";
import { listDiagnostics, recordDiagnostic } from "./diagnostics";
import { activeAlarmGuard, getMotionSettings, setMotionSettings } from "./motion-settings";
import { checkCamera, reportStreamOutage, startStatusMonitor } from "./status-monitor";

const key = crypto.randomBytes(32);

describe("cameras in the database", () => {
  let t: TestDb;
  before(async () => {
    t = await createTestDb();
    for (const [id, role] of [["admin", "admin"], ["m1", "member"], ["v1", "viewer"]] as const) {
      await t.db.user.create({ data: { id, email: `${id}@example.com`, passwordHash: "x", role } });
    }
  });
  after(() => t.cleanup());

  test("credentials from the URL are split off, sealed, and never stored in the clear", async () => {
    const cam = await createCamera(t.db, { name: "Porch", mainStreamUrl: "rtsp://admin:Sup3r-S3cret@192.0.2.10:554/main" }, key, "admin");
    assert.equal(cam.mainStreamUrl, "rtsp://192.0.2.10/main");
    assert.equal(cam.hasCredentials, true);
    assert.equal("credentialsEnc" in cam, false);
    const row = await t.db.camera.findUniqueOrThrow({ where: { id: cam.id } });
    assert.deepEqual(cameraCredentials(row, key), { username: "admin", password: "Sup3r-S3cret" });
    await t.db.$queryRawUnsafe("PRAGMA wal_checkpoint(TRUNCATE)");
    const bytes = fs.readFileSync(t.file);
    assert.equal(bytes.includes(Buffer.from("Sup3r-S3cret")), false, "password not in the database file");
    const diag = await listDiagnostics(t.db, cam.id);
    assert.equal(diag.events[0].kind, "added");
    assert.equal(JSON.stringify(diag).includes("Sup3r"), false);
  });

  test("record sound: off unless the new camera asks for it", async () => {
    assert.equal((await createCamera(t.db, { name: "Quiet", mainStreamUrl: "rtsp://192.0.2.11/main" }, key, "admin")).recordSound, false);
    assert.equal((await createCamera(t.db, { name: "Loud", mainStreamUrl: "rtsp://192.0.2.12/main", recordSound: true }, key, "admin")).recordSound, true);
  });

  test("update: keep, replace or clear credentials; bad URL refused with a field", async () => {
    const cam = await createCamera(t.db, { name: "Yard", mainStreamUrl: "rtsp://192.0.2.11/main", credentials: { username: "u", password: "p" } }, key, "admin");
    await updateCamera(t.db, cam.id, { name: "Back yard" }, key, "admin");
    let row = await t.db.camera.findUniqueOrThrow({ where: { id: cam.id } });
    assert.deepEqual(cameraCredentials(row, key), { username: "u", password: "p" });
    await updateCamera(t.db, cam.id, { credentials: { username: "u2", password: "p2" } }, key, "admin");
    row = await t.db.camera.findUniqueOrThrow({ where: { id: cam.id } });
    assert.deepEqual(cameraCredentials(row, key), { username: "u2", password: "p2" });
    await updateCamera(t.db, cam.id, { credentials: null }, key, "admin");
    row = await t.db.camera.findUniqueOrThrow({ where: { id: cam.id } });
    assert.equal(row.credentialsEnc, null);
    try {
      await updateCamera(t.db, cam.id, { mainStreamUrl: "http://nope" }, key, "admin");
      assert.fail("expected an error");
    } catch (err) {
      assert.ok(isAppError(err));
      assert.equal(err.code, "invalid_stream_url");
      assert.deepEqual(err.fields, { mainStreamUrl: "unsupported_scheme" });
    }
    assert.equal((await t.db.camera.findUniqueOrThrow({ where: { id: cam.id } })).mainStreamUrl, "rtsp://192.0.2.11/main", "nothing half-saved");
    const kinds = (await listDiagnostics(t.db, cam.id)).events.map((e) => e.kind);
    assert.deepEqual(kinds, ["changed", "changed", "changed", "added"]);
  });

  test("per-camera access: admins see all, others what they are granted", async () => {
    const a = await createCamera(t.db, { name: "A", mainStreamUrl: "rtsp://192.0.2.20/a" }, key, "admin");
    const b = await createCamera(t.db, { name: "B", mainStreamUrl: "rtsp://192.0.2.21/b" }, key, "admin");
    await setCameraAccess(t.db, a.id, ["m1"]);
    const names = async (id: string, role: "admin" | "member" | "viewer") => (await listCamerasFor(t.db, { id, role })).map((c) => c.name).filter((n) => n === "A" || n === "B");
    assert.deepEqual(await names("admin", "admin"), ["A", "B"]);
    assert.deepEqual(await names("m1", "member"), ["A"]);
    assert.deepEqual(await names("v1", "viewer"), []);
    assert.equal(await canSeeCamera(t.db, { id: "v1", role: "viewer" }, a.id), false);
    assert.equal(await errorCode(requireCameraAccess(t.db, { id: "v1", role: "viewer" }, a.id)), "forbidden");
    assert.equal(await errorCode(requireCameraAccess(t.db, { id: "m1", role: "member" }, a.id)), "ok");
    assert.equal(await errorCode(requireCameraAccess(t.db, { id: "m1", role: "member" }, "nope")), "not_found");
    assert.equal(await errorCode(setCameraAccess(t.db, b.id, ["ghost"])), "validation");
    const access = await listCameraAccess(t.db, a.id);
    assert.deepEqual(access.map((m) => [m.id, m.hasAccess]), [["m1", true], ["v1", false]]);
    // Removing a member removes their grants.
    await t.db.user.delete({ where: { id: "m1" } });
    assert.equal(await t.db.cameraAccess.count({ where: { cameraId: a.id } }), 0);
  });

  test("diagnostics page by id, newest first; deleting a camera removes its rows", async () => {
    const cam = await createCamera(t.db, { name: "Log", mainStreamUrl: "rtsp://192.0.2.30/x" }, key, "admin");
    for (let i = 0; i < 7; i++) await recordDiagnostic(t.db, cam.id, "error", { n: i, url: "rtsp://user:pw@192.0.2.30/x" });
    const first = await listDiagnostics(t.db, cam.id, { limit: 3 });
    assert.deepEqual(first.events.map((e) => e.data.n), [6, 5, 4]);
    assert.equal(first.events[0].data.url, "rtsp://***@192.0.2.30/x");
    const second = await listDiagnostics(t.db, cam.id, { limit: 3, before: first.nextBefore! });
    assert.deepEqual(second.events.map((e) => e.data.n), [3, 2, 1]);
    const third = await listDiagnostics(t.db, cam.id, { limit: 3, before: second.nextBefore! });
    assert.deepEqual(third.events.map((e) => e.data.n ?? e.kind), [0, "added"]);
    assert.equal(third.nextBefore, null);
    await deleteCamera(t.db, cam.id, "delete", t.dataDir);
    assert.equal(await t.db.cameraDiagnostic.count({ where: { cameraId: cam.id } }), 0);
    assert.equal(await errorCode(deleteCamera(t.db, cam.id, "keep", t.dataDir)), "not_found");
    // A recorder finishing a clip after the camera was deleted: its entry is dropped, not an error.
    assert.equal(await recordDiagnostic(t.db, cam.id, "error", { problem: "clip_has_gap" }), false);
    assert.equal(await t.db.cameraDiagnostic.count({ where: { cameraId: cam.id } }), 0);
  });

  test("deleting a camera keeps or deletes its recordings, rows and files", async () => {
    const media = path.join(t.dataDir, "media");
    const withRecording = async (name: string) => {
      const cam = await createCamera(t.db, { name, mainStreamUrl: `rtsp://192.0.2.50/${name}` }, key, null);
      const files = [`${cam.id}/2026/01/01/a.mp4`, `${cam.id}/2026/01/01/a-photo.jpg`, `${cam.id}/2026/01/01/a-thumb.jpg`];
      for (const f of files) {
        fs.mkdirSync(path.dirname(path.join(media, f)), { recursive: true });
        fs.writeFileSync(path.join(media, f), "x");
      }
      await t.db.event.create({
        data: {
          id: `ev-${name}`,
          cameraId: cam.id,
          cameraName: name,
          startedAt: new Date(),
          clips: { create: { id: `cl-${name}`, sequence: 1, path: files[0], bytes: 1, startedAt: new Date(), durationMs: 1000 } },
          photo: { create: { path: files[1], bytes: 1, width: 1, height: 1, thumbPath: files[2], thumbBytes: 1, thumbWidth: 1, thumbHeight: 1, takenAt: new Date() } },
        },
      });
      return { id: cam.id, files };
    };
    const kept = await withRecording("Kept");
    await deleteCamera(t.db, kept.id, "keep", t.dataDir);
    const orphan = await t.db.event.findUniqueOrThrow({ where: { id: "ev-Kept" }, include: { clips: true, photo: true } });
    assert.deepEqual([orphan.cameraId, orphan.cameraName, orphan.clips.length, orphan.photo !== null], [null, "Kept", 1, true]);
    for (const f of kept.files) assert.ok(fs.existsSync(path.join(media, f)));

    const gone = await withRecording("Gone");
    const res = await deleteCamera(t.db, gone.id, "delete", t.dataDir);
    assert.equal(res.deletedFiles, 3);
    assert.equal(await t.db.event.count({ where: { id: "ev-Gone" } }), 0);
    assert.equal(await t.db.clip.count({ where: { id: "cl-Gone" } }), 0);
    for (const f of gone.files) assert.equal(fs.existsSync(path.join(media, f)), false);
  });
});

describe("motion settings and the alarm guard notice", () => {
  let t: TestDb;
  before(async () => (t = await createTestDb()));
  after(() => t.cleanup());

  test("defaults, replace, and the guard notice follows the newest guard record", async () => {
    const cam = await createCamera(t.db, { name: "M", mainStreamUrl: "rtsp://192.0.2.40/m" }, key, null);
    const defaults = await getMotionSettings(t.db, cam.id);
    assert.deepEqual([defaults.sensitivity, defaults.preRollMs, defaults.postRollMs, defaults.maxClipMs, defaults.zones.length], [50, 5000, 5000, 20000, 0]);
    const zone = { id: "door", name: "Door", points: [[0.1, 0.1], [0.5, 0.1], [0.5, 0.5]] as [number, number][], enabled: true, sensitivity: 70, kind: "detect" as const };
    await setMotionSettings(t.db, cam.id, { ...defaults, sensitivity: 80, zones: [zone] }, "someone");
    const saved = await getMotionSettings(t.db, cam.id);
    assert.equal(saved.sensitivity, 80);
    assert.deepEqual(saved.zones[0].points, zone.points);
    assert.equal(await errorCode(getMotionSettings(t.db, "nope")), "not_found");
    assert.equal(await activeAlarmGuard(t.db, cam.id), null);
    await recordDiagnostic(t.db, cam.id, "guard", { engaged: true, reason: "alarm_fraction", alarmFraction: 0.62 });
    assert.deepEqual((await activeAlarmGuard(t.db, cam.id))?.alarmFraction, 0.62);
    await recordDiagnostic(t.db, cam.id, "guard", { engaged: false, reason: "alarm_subsided", alarmFraction: 0.2 });
    assert.equal(await activeAlarmGuard(t.db, cam.id), null);
  });
});

describe("status monitor", () => {
  let t: TestDb;
  before(async () => (t = await createTestDb()));
  after(() => t.cleanup());

  /** An RTSP "camera" that answers OPTIONS and DESCRIBE and can be switched off (listener closed) and on. */
  function fakeCamera(port: number) {
    let peer: RtspPeer | null = null;
    return {
      on: async () => void (peer = await startRtspPeer(answerLikeACamera, port)),
      off: async () => {
        await peer?.close();
        peer = null;
      },
    };
  }

  async function freePort() {
    const s = net.createServer();
    await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
    const port = (s.address() as net.AddressInfo).port;
    await new Promise<void>((r) => s.close(() => r()));
    return port;
  }

  test("checkCamera: a camera deleted while its check is on the wire is no error, and nothing is written for it", async () => {
    let cameraId = "";
    // A camera that answers only once its row is gone: the check read the row before, writes after.
    const server = net.createServer((s) =>
      s.on("data", async (d) => {
        await t.db.camera.deleteMany({ where: { id: cameraId } });
        s.write(`RTSP/1.0 200 OK\r\nCSeq: ${/CSeq: (\d+)/.exec(String(d))?.[1] ?? "1"}\r\n\r\n`);
      }),
    );
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const port = (server.address() as net.AddressInfo).port;
      cameraId = (await createCamera(t.db, { name: "Going", mainStreamUrl: `rtsp://127.0.0.1:${port}/main` }, key, null)).id;
      await t.db.cameraStatus.create({ data: { cameraId, state: "online", since: new Date() } });
      const memory = { checks: 1, firmwareAt: 0, measuredAt: Number.MAX_SAFE_INTEGER };
      const opts = { intervalMs: 1000, timeoutMs: 2000, ffprobePath: "ffprobe", credentialsKey: key, clock: fakeClock("2026-02-01T00:00:00Z") };
      assert.equal(await checkCamera(t.db, cameraId, opts, memory), null);
      assert.equal(await t.db.cameraStatus.count({ where: { cameraId } }), 0);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  test("checkCamera and the recorder see one outage at once: it is recorded once (one offline, one webhook fact)", async () => {
    let cameraId = "";
    // A camera that fails the check (closes the connection), and whose outage the recorder reports while the check is
    // on the wire: the check read the status (online, one failure) before the report, and writes after it.
    const server = net.createServer((s) =>
      s.on("data", async () => {
        assert.equal(await reportStreamOutage(t.db, cameraId, new Date("2026-02-01T00:00:00Z"), "stream_ended"), "offline");
        s.destroy();
      }),
    );
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const port = (server.address() as net.AddressInfo).port;
      cameraId = (await createCamera(t.db, { name: "Twice", mainStreamUrl: `rtsp://127.0.0.1:${port}/main` }, key, null)).id;
      await t.db.cameraStatus.create({ data: { cameraId, state: "online", since: new Date("2026-01-31T00:00:00Z"), failures: 1, lastError: "timeout" } });
      const memory = { checks: 1, firmwareAt: 0, measuredAt: Number.MAX_SAFE_INTEGER };
      const opts = { intervalMs: 1000, timeoutMs: 2000, ffprobePath: "ffprobe", credentialsKey: key, clock: fakeClock("2026-02-01T00:00:01Z") };
      assert.equal(await checkCamera(t.db, cameraId, opts, memory), "offline");
      const events = (await listDiagnostics(t.db, cameraId)).events;
      assert.deepEqual(events.filter((e) => e.kind === "offline").map((e) => (e.data as { problem: string }).problem), ["stream_ended"]);
      const status = await t.db.cameraStatus.findUniqueOrThrow({ where: { cameraId } });
      assert.equal(status.since.toISOString(), "2026-02-01T00:00:00.000Z", "offline since the recorder's report");
      assert.equal(status.failures, 3, "both failures counted");
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  test("checkCamera: online, then offline after two failures, then online; diagnostics and bytes recorded", async () => {
    const port = await freePort();
    const cam = fakeCamera(port);
    await cam.on();
    const created = await createCamera(t.db, { name: "Fake", mainStreamUrl: `rtsp://127.0.0.1:${port}/main` }, key, null);
    const clock = fakeClock("2026-02-01T00:00:00Z");
    const memory = { checks: 0, firmwareAt: 0, measuredAt: Number.MAX_SAFE_INTEGER };
    const opts = { intervalMs: 1000, timeoutMs: 500, ffprobePath: "ffprobe", credentialsKey: key, clock };
    assert.equal(await checkCamera(t.db, created.id, opts, memory), "online");
    await cam.off();
    clock.advance(1000);
    assert.equal(await checkCamera(t.db, created.id, opts, memory), "online", "one failure is not an outage");
    clock.advance(1000);
    assert.equal(await checkCamera(t.db, created.id, opts, memory), "offline");
    await cam.on();
    clock.advance(1000);
    assert.equal(await checkCamera(t.db, created.id, opts, memory), "online");
    const status = await t.db.cameraStatus.findUniqueOrThrow({ where: { cameraId: created.id } });
    assert.equal(status.state, "online");
    assert.ok(status.checkBytes > 300, `bytes ${status.checkBytes}`);
    const kinds = (await listDiagnostics(t.db, created.id)).events.map((e) => e.kind).reverse();
    assert.deepEqual(kinds, ["added", "online", "error", "offline", "online"]);
    await cam.off();
  });

  test("the running monitor notices an outage and the recovery within a bounded time", async () => {
    const port = await freePort();
    const cam = fakeCamera(port);
    await cam.on();
    const created = await createCamera(t.db, { name: "Loop", mainStreamUrl: `rtsp://127.0.0.1:${port}/main` }, key, null);
    const monitor = startStatusMonitor(t.db, { intervalMs: 200, timeoutMs: 300, ffprobePath: "ffprobe", credentialsKey: key, clock: systemClock });
    const waitFor = async (state: string, withinMs: number) => {
      const started = Date.now();
      while (Date.now() - started < withinMs) {
        const s = await t.db.cameraStatus.findUnique({ where: { cameraId: created.id } });
        if (s?.state === state) return Date.now() - started;
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.fail(`not ${state} within ${withinMs} ms`);
    };
    try {
      await waitFor("online", 3000);
      await cam.off();
      await waitFor("offline", 3000);
      await cam.on();
      await waitFor("online", 3000);
    } finally {
      await monitor.stop();
      await cam.off();
    }
  });
});
