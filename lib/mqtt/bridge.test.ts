// The bridge against a real mosquitto (started here on a free port, password file by mosquitto_passwd) and a real
// subscriber: retained state and discovery on connect, facts → messages, commands → database, malformed commands
// ignored, wrong password and a killed broker reported, reconnect (fake clock drives the backoff) with state
// republished, and a bounded queue while the broker is away.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { fakeClock } from "../clock";
import { emitFact } from "../facts/emit";
import { parseMotionConfig } from "../motion/config";
import { createTestDb, type TestDb } from "../testing/db";
import { createMqttBridge, MAX_EVENT_QUEUE, RECONNECT_MAX_MS } from "./bridge";
import { createCamera } from "../cameras/cameras";
import { movePtz, savePreset } from "../ptz/ptz";
import { startOnvifService } from "../simulator/onvif-service";
import { hasMosquitto, startBroker, subscriber, waitFor, type Broker } from "./broker.testing";
import { readMqttStatus, saveMqttSettings } from "./settings";

const KEY = Buffer.alloc(32, 7);

describe("MQTT bridge with a real mosquitto", { skip: !hasMosquitto() && "mosquitto not installed (scripts/prerequisites.sh)" }, () => {
  let t: TestDb;
  let broker: Broker;
  before(async () => {
    t = await createTestDb();
    broker = await startBroker();
    await t.db.household.create({ data: { id: 1, name: "Home" } });
    await t.db.camera.create({ data: { id: "cam1", name: "Garden", mainStreamUrl: "rtsp://127.0.0.1/x", manufacturer: "Acme", model: "C1", status: { create: { state: "online" } } } });
  });
  after(async () => {
    await broker.stop();
    await t.cleanup();
  });

  async function configure(password: string) {
    await saveMqttSettings(t.db, { enabled: true, host: "127.0.0.1", port: broker.port, tls: false, username: broker.user, password, baseTopic: "nj", discoveryPrefix: "homeassistant" }, KEY);
  }

  test("publishes state, discovery, facts; obeys commands; reports problems; reconnects", async () => {
    const clock = fakeClock("2026-12-05T12:00:00Z");
    const sub = await subscriber(broker.port, ["nj/#", "homeassistant/#"]);
    await configure("wrong");
    const bridge = createMqttBridge(t.db, { clock, credentialsKey: KEY, dataDir: t.dataDir, version: "test" });
    try {
      // Wrong password: the status says so.
      await bridge.step();
      await waitFor(async () => (await readMqttStatus(t.db)).state === "error", "auth error");
      const bad = await readMqttStatus(t.db);
      assert.match(bad.detail ?? "", /^auth: /);

      await configure(broker.password);
      clock.advance(2_000);
      await bridge.step();
      await waitFor(async () => (await readMqttStatus(t.db)).state === "connected", "connected");
      await waitFor(() => !!sub.last("nj/cam1/recording") && !!sub.last("nj/mode") && !!sub.last("homeassistant/switch/nightjar_nj/cam1_privacy/config"), "initial state");
      assert.equal(sub.last("nj/status")?.payload.toString(), "online");
      assert.equal(sub.last("nj/status")?.retain, false, "live delivery: retain flag is cleared for subscribers already there");
      assert.equal(sub.last("nj/cam1/motion")?.payload.toString(), "OFF");
      assert.equal(sub.last("nj/cam1/availability")?.payload.toString(), "online");
      assert.equal(sub.last("nj/cam1/armed")?.payload.toString(), "ON");
      assert.equal(sub.last("nj/mode")?.payload.toString(), "Home");
      const motionConfig = JSON.parse(sub.last("homeassistant/binary_sensor/nightjar_nj/cam1_motion/config")!.payload.toString());
      assert.equal(motionConfig.state_topic, "nj/cam1/motion");
      assert.equal(motionConfig.device.via_device, "nightjar_nj");

      // A late subscriber gets the retained state.
      const late = await subscriber(broker.port, ["nj/#"]);
      await waitFor(() => !!late.last("nj/cam1/motion"), "retained motion");
      assert.equal(late.last("nj/cam1/motion")?.retain, true);
      assert.equal(late.last("nj/status")?.retain, true);
      await late.close();

      // Motion: ON, event JSON new, then end and OFF.
      await t.db.event.create({ data: { id: "ev1", cameraId: "cam1", cameraName: "Garden", startedAt: new Date("2026-12-05T12:00:01Z") } });
      await emitFact(t.db, "event.started", { eventId: "ev1", cameraId: "cam1", cameraName: "Garden", startedAt: "2026-12-05T12:00:01.000Z" });
      await bridge.step();
      await waitFor(() => sub.last("nj/cam1/motion")?.payload.toString() === "ON", "motion ON");
      assert.equal(sub.last("nj/cam1/motion/count")?.payload.toString(), "1");
      const started = JSON.parse(sub.last("nj/cam1/event")!.payload.toString());
      assert.deepEqual(started, { type: "new", eventId: "ev1", cameraId: "cam1", startedAt: "2026-12-05T12:00:01.000Z", endedAt: null, labels: ["motion"], score: null });
      assert.equal(sub.last("nj/cam1/event")?.retain, false);
      await t.db.event.update({ where: { id: "ev1" }, data: { endedAt: new Date("2026-12-05T12:00:30Z") } });
      await emitFact(t.db, "event.ended", { eventId: "ev1", cameraId: "cam1", cameraName: "Garden", startedAt: "2026-12-05T12:00:01.000Z", endedAt: "2026-12-05T12:00:30.000Z", peakScore: 0.4, zones: [], labels: [], clips: [], photoUrl: null });
      await bridge.step();
      await waitFor(() => sub.last("nj/cam1/motion")?.payload.toString() === "OFF", "motion OFF");
      assert.equal(JSON.parse(sub.last("nj/cam1/event")!.payload.toString()).type, "end");

      // Commands: arm off changes the database and the state topic; malformed and retained ones change nothing.
      await sub.publish("nj/cam1/armed/set", "off");
      await waitFor(async () => parseMotionConfig((await t.db.camera.findUnique({ where: { id: "cam1" } }))!.motionConfig).config.armed === false, "disarmed");
      await waitFor(() => sub.last("nj/cam1/armed")?.payload.toString() === "OFF", "armed OFF published");
      const before = await t.db.camera.findUnique({ where: { id: "cam1" } });
      await sub.publish("nj/cam1/recording/set", "maybe");
      await sub.publish("nj/nocam/armed/set", "ON");
      await waitFor(() => bridge.counters().ignored >= 2, "two commands ignored");
      const afterIgnored = await t.db.camera.findUnique({ where: { id: "cam1" } });
      assert.equal(afterIgnored!.recordingEnabled, before!.recordingEnabled);
      assert.equal(afterIgnored!.privacyMode, false);
      await sub.publish("nj/cam1/recording/set", "OFF");
      await waitFor(async () => (await t.db.camera.findUnique({ where: { id: "cam1" } }))!.recordingEnabled === false, "recording off");
      await sub.publish("nj/mode/set", "away");
      await waitFor(() => sub.last("nj/mode")?.payload.toString() === "Away", "mode Away");
      assert.equal((await t.db.household.findUnique({ where: { id: 1 } }))!.modeChangedVia, "mqtt");

      // The broker dies: status error; facts keep flowing (cursor moves), the queue stays bounded.
      await broker.stop();
      await waitFor(async () => (await readMqttStatus(t.db)).state === "error", "error after kill");
      assert.match((await readMqttStatus(t.db)).detail ?? "", /^(dropped|unreachable): /);
      await t.db.event.create({ data: { id: "ev2", cameraId: "cam1", cameraName: "Garden", startedAt: new Date("2026-12-05T12:05:00Z") } });
      for (let i = 0; i < MAX_EVENT_QUEUE + 50; i++) await emitFact(t.db, "event.updated", { eventId: "ev2", cameraId: "cam1", cameraName: "Garden", startedAt: "2026-12-05T12:05:00.000Z", change: "clip_added", clips: [] });
      await emitFact(t.db, "event.started", { eventId: "ev2", cameraId: "cam1", cameraName: "Garden", startedAt: "2026-12-05T12:05:00.000Z" });
      for (let i = 0; i < 3; i++) await bridge.step();
      assert.ok(bridge.counters().queued <= MAX_EVENT_QUEUE + 20, "queue bounded while away");
      const cursor = await t.db.factCursor.findUnique({ where: { reader: "mqtt" } });
      const newest = await t.db.fact.findFirst({ orderBy: { id: "desc" } });
      assert.equal(cursor?.lastId, newest?.id, "the cursor moved on while the broker was away");

      // Back: reconnect on the backoff timer; the state (motion ON for the open ev2) is republished from the database.
      await broker.start();
      await waitFor(async () => (await readMqttStatus(t.db)).state === "connected", "reconnected", () => clock.advance(RECONNECT_MAX_MS));
      await waitFor(() => sub.last("nj/cam1/motion")?.payload.toString() === "ON", "motion ON after reconnect");
      assert.equal(sub.last("nj/cam1/armed")?.payload.toString(), "ON", "armed again by the Away mode? no: the state from the database");
    } finally {
      await bridge.stop();
      await sub.close();
    }
  });

  test("PTZ: buttons and saved positions in discovery; a position by name and a step steer the camera; junk is ignored", async () => {
    // A simulated PTZ camera (127.0.44.0/24 belongs to lib/onvif/events.test.ts; this file takes 127.0.46.0/24).
    const head = await startOnvifService({ host: "127.0.46.1", port: 0, username: "admin", password: "pw", manufacturer: "N", model: "PTZ", firmware: "1", serial: "S", hardwareId: "H", rtspPort: 8554, ptz: true });
    const cam = await createCamera(t.db, { name: "Mast", mainStreamUrl: "rtsp://127.0.46.1:8554/main", onvifUrl: head.deviceXaddr, ptz: { xaddr: head.ptzXaddr!, profileToken: "main" }, credentials: { username: "admin", password: "pw" } }, KEY, null);
    const admin = { id: "admin", role: "admin" as const };
    await movePtz(t.db, admin, cam.id, { action: "absolute", pan: 0.5, tilt: 0.25, zoom: 0 }, KEY);
    await savePreset(t.db, admin, cam.id, "Gate", KEY);
    await movePtz(t.db, admin, cam.id, { action: "absolute", pan: 0, tilt: 0, zoom: 0 }, KEY);
    const sub = await subscriber(broker.port, ["nj/#", "homeassistant/#"]);
    const bridge = createMqttBridge(t.db, { clock: fakeClock("2026-12-05T13:00:00Z"), credentialsKey: KEY, dataDir: t.dataDir, version: "test" });
    try {
      await bridge.step();
      const selectTopic = `homeassistant/select/nightjar_nj/${cam.id}_ptz_preset/config`;
      await waitFor(() => !!sub.last(selectTopic) && !!sub.last(`homeassistant/button/nightjar_nj/${cam.id}_ptz_left/config`), "PTZ discovery");
      const select = JSON.parse(sub.last(selectTopic)!.payload.toString());
      assert.deepEqual(select.options, ["Gate"]);
      assert.equal(select.command_topic, `nj/${cam.id}/ptz/preset/set`);
      const left = JSON.parse(sub.last(`homeassistant/button/nightjar_nj/${cam.id}_ptz_left/config`)!.payload.toString());
      assert.deepEqual([left.command_topic, left.payload_press], [`nj/${cam.id}/ptz/move/set`, "LEFT"]);
      assert.equal(sub.last("homeassistant/button/nightjar_nj/cam1_ptz_left/config"), undefined, "a fixed camera has no PTZ buttons");

      await sub.publish(`nj/${cam.id}/ptz/preset/set`, "gate");
      await waitFor(() => head.ptz!.position().pan === 0.5 && head.ptz!.position().tilt === 0.25, "the camera at Gate");
      await waitFor(() => sub.last(`nj/${cam.id}/ptz/preset`)?.payload.toString() === "Gate", "the position's state");
      await sub.publish(`nj/${cam.id}/ptz/move/set`, "left");
      await waitFor(() => head.ptz!.position().pan === 0.375, "one step left");
      await sub.publish(`nj/${cam.id}/ptz/move/set`, "SIDEWAYS");
      await sub.publish(`nj/${cam.id}/ptz/preset/set`, "Nowhere");
      await sub.publish(`nj/cam1/ptz/move/set`, "LEFT"); // a camera without PTZ: refused
      await sub.publish(`nj/${cam.id}/ptz/move/set`, "ZOOM_IN");
      await waitFor(() => head.ptz!.position().zoom === 0.25, "the zoom step after the junk");
      assert.equal(head.ptz!.position().pan, 0.375, "the junk moved nothing");

      // A position saved later shows up in the select's options.
      await savePreset(t.db, admin, cam.id, "Drive", KEY);
      await waitFor(() => JSON.parse(sub.last(selectTopic)!.payload.toString()).options.length === 2, "the new position in discovery", () => bridge.step());
      assert.deepEqual(JSON.parse(sub.last(selectTopic)!.payload.toString()).options, ["Drive", "Gate"]);
    } finally {
      await bridge.stop();
      await sub.close();
      await head.close();
    }
  });
});
