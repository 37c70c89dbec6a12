// Cameras against real simulated cameras (lib/simulator: RTSP, ONVIF, WS-Discovery) and real ffprobe:
// discovery finds exactly the running cameras, a sweep finds one that multicast cannot reach, wrong passwords are
// reported as such, and an outage flips the status offline and back within a bounded time.
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { after, before, describe, test } from "node:test";
import { systemClock } from "../clock";
import { discoverMulticast, sweepRange } from "../discovery/probe";
import { getDiscovery, startDiscovery } from "../discovery/jobs";
import { startSimulator, type Simulator } from "../simulator/simulator";
import { errorCode } from "../testing/errors";
import { createTestDb, type TestDb } from "../testing/db";
import { identifyOnvifCamera, probeCameraStream } from "./add";
import { createCamera } from "./cameras";
import { listDiagnostics } from "./diagnostics";
import { checkCamera } from "./status-monitor";
import { grabSnapshot, takeSnapshot } from "./snapshot";
import { withCredentials } from "./stream-url";
import { jpegSize } from "../recording/photos";

// Own loopback block and ports, so this file can run beside the other simulator tests.
const DISCOVERY_PORT = 46702;
const key = crypto.randomBytes(32);

describe("cameras with simulated cameras", () => {
  let visible: Simulator;
  let hidden: Simulator;
  let t: TestDb;

  before(async () => {
    const common = { rtspPort: 18554, onvifPort: 18000, discoveryPort: DISCOVERY_PORT, controlPort: null } as const;
    visible = await startSimulator({ cameras: 3, baseAddress: "127.0.0.150", ...common });
    hidden = await startSimulator({ cameras: 1, baseAddress: "127.0.0.160", multicast: false, ...common });
    t = await createTestDb();
  });
  after(async () => {
    await visible?.close();
    await hidden?.close();
    await t?.cleanup();
  });


  test("multicast discovery finds exactly the cameras that answer multicast", async () => {
    const found = await discoverMulticast({ timeoutMs: 1500, interfaceAddress: "127.0.0.1", port: DISCOVERY_PORT });
    assert.deepEqual(found.map((f) => f.address).sort(), ["127.0.0.150", "127.0.0.151", "127.0.0.152"]);
    for (const f of found) assert.match(f.xaddrs[0], /^http:\/\/127\.0\.0\.15\d:18000\/onvif\/device_service$/);
  });

  test("a range sweep also finds the camera multicast cannot reach, with progress to the end", async () => {
    const progress: number[] = [];
    const found = await sweepRange(["127.0.0.150", "127.0.0.151", "127.0.0.152", "127.0.0.160", "127.0.0.170"], {
      port: DISCOVERY_PORT,
      timeoutMs: 600,
      onProgress: (done) => progress.push(done),
    });
    assert.deepEqual(found.map((f) => f.address).sort(), ["127.0.0.150", "127.0.0.151", "127.0.0.152", "127.0.0.160"]);
    assert.equal(progress.at(-1), 5);
  });

  test("a discovery job marks cameras the household already has", async () => {
    await createCamera(t.db, { name: "Known", mainStreamUrl: "rtsp://127.0.0.151:18554/main" }, key, null);
    const job = startDiscovery(t.db, { mode: "range", range: "127.0.0.150-152" }, { port: DISCOVERY_PORT, onvifHttpPort: 18000, interfaces: ["127.0.0.1"], allowLoopback: true });
    let state = getDiscovery(job.id)!;
    for (let i = 0; i < 100 && state.status === "running"; i++) {
      await new Promise((r) => setTimeout(r, 50));
      state = getDiscovery(job.id)!;
    }
    assert.equal(state.status, "done");
    assert.deepEqual(state.found.map((f) => [f.address, f.alreadyAdded]).sort(), [["127.0.0.150", false], ["127.0.0.151", true], ["127.0.0.152", false]]);
  });

  test("ONVIF identification with the right and the wrong password", async () => {
    const xaddr = visible.cameras[0].onvifUrl!;
    const identity = await identifyOnvifCamera(xaddr, { username: visible.username, password: visible.password });
    assert.equal(identity.profiles[0].streamUri, visible.cameras[0].rtspUrl.main);
    assert.equal(identity.profiles.at(-1)!.streamUri, visible.cameras[0].rtspUrl.sub);
    assert.equal(await errorCode(identifyOnvifCamera(xaddr, { username: visible.username, password: "wrong" })), "camera_auth_failed");
  });

  test("probing the stream: what it is, and a wrong password reported as such", async () => {
    const report = await probeCameraStream("ffprobe", { url: visible.cameras[1].rtspUrl.main, credentials: { username: visible.username, password: visible.password } });
    assert.deepEqual([report.video.codec, report.video.width, report.video.height, report.playableInBrowser, report.audio], ["h264", 1920, 1080, true, null]);
    assert.ok(report.measured && report.measured.fps > 20 && report.measured.fps < 30, `fps ${report.measured?.fps}`);
    assert.ok(report.measured && report.measured.bitrateKbps > 1000, `kbps ${report.measured?.bitrateKbps}`);
    assert.equal(await errorCode(probeCameraStream("ffprobe", { url: visible.cameras[1].rtspUrl.main, credentials: { username: visible.username, password: "wrong" } })), "camera_auth_failed");
    assert.equal(await errorCode(probeCameraStream("ffprobe", { url: "rtsp://127.0.0.170:18554/main", credentials: null })), "camera_unreachable");
  });

  test("a snapshot is a JPEG of the camera's picture; a wrong password is reported", async () => {
    const url = (pw: string) => withCredentials(visible.cameras[0].rtspUrl.main, { username: visible.username, password: pw });
    const jpeg = await grabSnapshot("ffmpeg", url(visible.password));
    assert.deepEqual(jpegSize(jpeg), { width: 1920, height: 1080 });
    assert.equal(await errorCode(grabSnapshot("ffmpeg", url("wrong"))), "camera_auth_failed");
  });

  test("takeSnapshot: the picture rule — privacy mode 409 and a disabled camera 404 for anyone, access checked first", async () => {
    const cam = await createCamera(t.db, { name: "Snap", mainStreamUrl: visible.cameras[0].rtspUrl.main, credentials: { username: visible.username, password: visible.password } }, key, null);
    const admin = { id: "snap-admin", role: "admin" as const };
    const stranger = { id: "snap-stranger", role: "member" as const };
    const options = { ffmpegPath: "ffmpeg", credentialsKey: key };
    const shot = await takeSnapshot(t.db, admin, cam.id, options);
    assert.deepEqual([jpegSize(shot.jpeg), shot.cameraName], [{ width: 1920, height: 1080 }, "Snap"]);
    assert.equal(await errorCode(takeSnapshot(t.db, stranger, cam.id, options)), "forbidden");
    await t.db.camera.update({ where: { id: cam.id }, data: { privacyMode: true } });
    assert.equal(await errorCode(takeSnapshot(t.db, admin, cam.id, options)), "privacy_mode");
    await t.db.camera.update({ where: { id: cam.id }, data: { privacyMode: false, isEnabled: false } });
    assert.equal(await errorCode(takeSnapshot(t.db, admin, cam.id, options)), "not_found");
    await t.db.camera.delete({ where: { id: cam.id } });
  });

  test("an outage flips the status offline and back; firmware changes are noticed", async () => {
    const sim = visible.cameras[2];
    const cam = await createCamera(t.db, { name: "Sim 2", mainStreamUrl: sim.rtspUrl.main, onvifUrl: sim.onvifUrl, firmware: sim.firmware, credentials: { username: visible.username, password: visible.password } }, key, null);
    const opts = { intervalMs: 200, timeoutMs: 1000, ffprobePath: "ffprobe", credentialsKey: key, clock: systemClock };
    const memory = { checks: 0, firmwareAt: 0, measuredAt: 0 };
    assert.equal(await checkCamera(t.db, cam.id, opts, memory), "online");
    const status = await t.db.cameraStatus.findUniqueOrThrow({ where: { cameraId: cam.id } });
    assert.deepEqual([status.videoCodec, status.width, status.height], ["h264", 1920, 1080], "measured on the first check");

    await visible.setOutage(2, "refuse");
    assert.equal(await checkCamera(t.db, cam.id, opts, memory), "online");
    assert.equal(await checkCamera(t.db, cam.id, opts, memory), "offline");
    await visible.setOutage(2, "off");
    visible.setFirmware(2, "9.9.9-test");
    memory.firmwareAt = 0;
    assert.equal(await checkCamera(t.db, cam.id, opts, memory), "online");
    const kinds = (await listDiagnostics(t.db, cam.id)).events.map((e) => e.kind).reverse();
    assert.deepEqual(kinds, ["added", "online", "measured", "error", "offline", "online", "firmware_changed"]);
    assert.equal((await t.db.cameraStatus.findUniqueOrThrow({ where: { cameraId: cam.id } })).firmware, "9.9.9-test");
  });
});
