// The simulated camera as an ONVIF client we did not write sees it: the `onvif` npm package (0.8.3, devDependency; the
// client many Node NVR tools use, whose calls match Home Assistant's integration and Frigate's autotracking). It must
// connect without warnings, read device information, profiles, video sources, stream and snapshot URIs, drive PTZ and
// presets, and receive over a pull-point subscription the motion the simulator's control API switches on.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { after, before, describe, test } from "node:test";
import { Cam } from "onvif/promises";
import { waitFor } from "../testing/wait";
import { startOnvifService, type OnvifService } from "./onvif-service";
import { MAX_PRESETS } from "./ptz";
import { startSimulator, type Simulator } from "./simulator";
import { createSimulatorClient } from "./control";

// This file owns 127.0.41.0/24; ports picked by the kernel (the simulator's below: fixed, in its own range).
const CREDS = { username: "admin", password: "0nvif-test" };
const DEVICE = { ...CREDS, manufacturer: "Nightjar", model: "Simulated Camera", firmware: "2.1.0", serial: "SIM-41", hardwareId: "NJ-SIM-1", rtspPort: 8554 };

type Message = { topic: { _: string }; message: { message: { $: { PropertyOperation: string }; data: { simpleItem: { $: { Name: string; Value: unknown } } | { $: { Name: string; Value: unknown } }[] } } } };
const items = (m: Message) => {
  const list = m.message.message.data.simpleItem;
  return Object.fromEntries((Array.isArray(list) ? list : [list]).map((i) => [i.$.Name, i.$.Value]));
};

// The client's answers are xml2js trees with loose types, and its promisified overloads lose their parameters: the
// test talks to it through this loose view and asserts what it reads.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;
type Client = { [method: string]: (...args: Loose[]) => Promise<Loose> } & { _cam: Loose; on: Cam["on"]; removeAllListeners: Cam["removeAllListeners"] };

async function connect(service: OnvifService, warnings: string[] = []): Promise<Client> {
  const cam = new Cam({ hostname: service.host, port: service.port, ...CREDS, autoconnect: false, timeout: 10_000 });
  cam.on("warning", (w: unknown) => warnings.push(String(w)));
  await cam.connect();
  return cam as unknown as Client;
}

/** One frame of an RTSP stream, shrunk to 32×18 grey pixels (ffmpeg, asynchronously: the simulator serves it from this process). */
function grayFrame(url: string, sim: Simulator): Promise<Uint8Array> {
  const withAuth = url.replace("rtsp://", `rtsp://${sim.username}:${encodeURIComponent(sim.password)}@`);
  return new Promise((resolve, reject) => {
    const child = spawn("ffmpeg", ["-v", "error", "-rtsp_transport", "tcp", "-i", withAuth, "-frames:v", "1", "-vf", "scale=32:18", "-pix_fmt", "gray", "-f", "rawvideo", "-"], { stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    let err = "";
    child.stdout.on("data", (c: Buffer) => out.push(c));
    child.stderr.on("data", (c: Buffer) => (err += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      const frame = Buffer.concat(out);
      if (code !== 0 || frame.length !== 32 * 18) reject(new Error(`no frame from ${url}: ${err}`));
      else resolve(new Uint8Array(frame));
    });
  });
}
const meanDifference = (a: Uint8Array, b: Uint8Array) => a.reduce((sum, v, i) => sum + Math.abs(v - b[i]), 0) / a.length;

/** Waits (polling) until `fn` holds; the limit only ends a broken run, it asserts nothing about speed. */
const until = <T>(fn: () => T | Promise<T>, what: string) => waitFor(what, async () => await fn(), 30_000, 50) as Promise<NonNullable<Awaited<T>>>;

describe("the simulated camera through the onvif npm client", () => {
  let ptzCam: OnvifService;
  let fixedCam: OnvifService;
  before(async () => {
    ptzCam = await startOnvifService({ host: "127.0.41.1", port: 0, ...DEVICE, ptz: true });
    fixedCam = await startOnvifService({ host: "127.0.41.2", port: 0, ...DEVICE, streams: { main: { width: 2560, height: 1440, fps: 15, encoding: "H265" }, sub: { width: 640, height: 360, fps: 15, encoding: "H264" } } });
  });
  after(async () => {
    await ptzCam.close();
    await fixedCam.close();
  });

  test("connect: no warnings; profiles, video sources and the active source as the client computes them", async () => {
    const warnings: string[] = [];
    const cam = await connect(ptzCam, warnings);
    assert.deepEqual(warnings, []);
    const c = cam as unknown as { profiles: unknown[]; videoSources: unknown; activeSource: Record<string, unknown>; uri: Record<string, { href: string }> };
    assert.equal(c.profiles.length, 2);
    assert.deepEqual(Object.keys(c.uri).sort(), ["device", "events", "media", "ptz"]);
    assert.equal(c.uri.ptz.href, ptzCam.ptzXaddr);
    assert.deepEqual(c.activeSource, { sourceToken: "vs", profileToken: "main", videoSourceConfigurationToken: "vsc", encoding: "H264", width: 1920, height: 1080, fps: 25, bitrate: 4000, ptz: { name: "ptz", token: "ptz" } });
    const info = await cam.getDeviceInformation();
    assert.equal(info.manufacturer, "Nightjar");
    assert.equal(info.model, "Simulated Camera");
    assert.equal(String(info.serialNumber), "SIM-41");
  });

  test("device service: scopes, hostname, network interfaces, service capabilities", async () => {
    const cam = await connect(ptzCam);
    const scopes = (await cam.getScopes()) as { scopeItem: string }[];
    assert.ok(scopes.some((s) => s.scopeItem === "onvif://www.onvif.org/Profile/Streaming"));
    assert.ok(scopes.some((s) => s.scopeItem === "onvif://www.onvif.org/type/ptz"));
    assert.equal((await cam.getHostname()).name, "nightjar-sim-sim-41");
    const nics = await cam.getNetworkInterfaces();
    const nic = Array.isArray(nics) ? nics[0] : nics;
    assert.equal(nic.info.hwAddress, "02:00:7f:00:29:01");
    assert.equal(nic.IPv4.config.manual.address, "127.0.41.1");
    const caps = await cam.getServiceCapabilities();
    assert.equal(caps.security.UsernameToken, true);
  });

  test("media service: source and encoder configurations, stream URIs of both profiles, a snapshot that is a JPEG", async () => {
    const cam = await connect(fixedCam);
    const c = cam as unknown as { activeSource: Record<string, unknown> };
    assert.equal(c.activeSource.encoding, "H265");
    assert.equal(c.activeSource.width, 2560);
    assert.equal(c.activeSource.ptz, undefined, "a fixed camera has no PTZ configuration");
    const sources = await cam.getVideoSources();
    assert.equal((Array.isArray(sources) ? sources[0] : sources).resolution.width, 2560);
    const vscs = await cam.getVideoSourceConfigurations();
    assert.equal((Array.isArray(vscs) ? vscs[0] : vscs).sourceToken, "vs");
    const vecs = (await cam.getVideoEncoderConfigurations()) as { encoding: string; resolution: { width: number } }[];
    assert.deepEqual(
      vecs.map((v) => [v.encoding, v.resolution.width]),
      [
        ["H265", 2560],
        ["H264", 640],
      ],
    );
    assert.equal((await cam.getStreamUri({ protocol: "RTSP" })).uri, "rtsp://127.0.41.2:8554/main");
    assert.equal((await cam.getStreamUri({ protocol: "RTSP", profileToken: "sub" })).uri, "rtsp://127.0.41.2:8554/sub");
    const snapshot = await fetch((await cam.getSnapshotUri()).uri);
    assert.equal(snapshot.headers.get("content-type"), "image/jpeg");
    assert.deepEqual([...new Uint8Array(await snapshot.arrayBuffer()).subarray(0, 2)], [0xff, 0xd8]);
  });

  test("what the camera does not do is a SOAP fault the client reports, not a hang or a crash", async () => {
    const cam = await connect(fixedCam);
    await assert.rejects(cam.getOSDs(), /unsupported action GetOSDs/);
    await assert.rejects(cam.getPresets()); // no PTZ service to ask
    await assert.rejects(cam.getStreamUri({ protocol: "RTSP", profileToken: "nope" }), /no profile "nope"/);
  });

  test("PTZ: nodes, configurations, moves and status, presets round trip, home position", async () => {
    const cam = await connect(ptzCam);
    const nodes = await cam.getNodes();
    const node = Object.values(nodes)[0] as { maximumNumberOfPresets: number; homeSupported: boolean };
    assert.equal(node.maximumNumberOfPresets, MAX_PRESETS);
    assert.equal(node.homeSupported, true);
    const configurations = await cam.getConfigurations();
    assert.ok(Object.keys(configurations).length === 1);
    const options = await cam.getConfigurationOptions("ptz");
    assert.deepEqual([options.spaces.absolute.x.min, options.spaces.absolute.x.max, options.spaces.absolute.zoom.min, options.spaces.absolute.zoom.max], [-1, 1, 0, 1]);

    await cam.absoluteMove({ x: 0.5, y: -0.25, zoom: 0.75 });
    let status = await cam.getStatus();
    assert.deepEqual([status.position.x, status.position.y, status.position.zoom], [0.5, -0.25, 0.75]);
    assert.deepEqual(ptzCam.ptz!.position(), { pan: 0.5, tilt: -0.25, zoom: 0.75 });
    await cam.relativeMove({ x: -0.5, y: 0.25, zoom: 0 });
    status = await cam.getStatus();
    assert.deepEqual([status.position.x, status.position.y, status.position.zoom], [0, 0, 0.75]);

    // A continuous move goes the way it is told until Stop; after Stop it stays.
    await cam.continuousMove({ x: 1, y: 0, zoom: 0 });
    await until(async () => (await cam.getStatus()).position.x > 0, "the head panning right");
    assert.equal((await cam.getStatus()).moveStatus.panTilt, "MOVING");
    await cam.stop({ panTilt: true, zoom: true });
    const stopped = await cam.getStatus();
    assert.equal(stopped.moveStatus.panTilt, "IDLE");
    assert.equal((await cam.getStatus()).position.x, stopped.position.x);

    // Presets: save two, list, recall, rename, remove.
    await cam.absoluteMove({ x: -0.75, y: 0.5, zoom: 0 });
    const door = (await cam.setPreset({ presetName: "Front door" })).setPresetResponse?.presetToken ?? (await cam.getPresets())["Front door"].$.token;
    await cam.absoluteMove({ x: 0.75, y: 0, zoom: 0.5 });
    await cam.setPreset({ presetName: "Drive" });
    let presets = await cam.getPresets();
    assert.deepEqual(Object.keys(presets).sort(), ["Drive", "Front door"]);
    assert.deepEqual([presets["Front door"].PTZPosition.panTilt.$.x, presets["Front door"].PTZPosition.panTilt.$.y], [-0.75, 0.5]);
    await assert.rejects(cam.setPreset({ presetName: "Drive" }), /already called "Drive"/);
    await cam.gotoPreset({ preset: door });
    status = await cam.getStatus();
    assert.deepEqual([status.position.x, status.position.y, status.position.zoom], [-0.75, 0.5, 0]);
    await cam.setPreset({ presetName: "Door", presetToken: door });
    await cam.removePreset({ presetToken: (await cam.getPresets())["Drive"].$.token });
    presets = await cam.getPresets();
    assert.deepEqual(Object.keys(presets), ["Door"]);

    // Home: set here, move away, go home.
    await cam.setHomePosition({});
    await cam.absoluteMove({ x: 0, y: 0, zoom: 0 });
    await cam.gotoHomePosition({});
    status = await cam.getStatus();
    assert.deepEqual([status.position.x, status.position.y, status.position.zoom], [-0.75, 0.5, 0]);

    await assert.rejects(cam.absoluteMove({ x: 2, y: 0, zoom: 0 }), /outside \[-1, 1\]/);
    await assert.rejects(cam.gotoPreset({ preset: "preset_999" }), /no preset "preset_999"/);
  });

  test("events: properties; a pull-point subscription gets the initial state, then motion on and off", async () => {
    const cam = await connect(ptzCam);
    const properties = await cam.getEventProperties();
    assert.ok(properties.topicSet.ruleEngine.cellMotionDetector.motion);
    const messages: Message[] = [];
    cam.on("event", (m: Message) => messages.push(m));
    const motion = () => messages.filter((m) => m.topic._ === "tns1:RuleEngine/CellMotionDetector/Motion");
    try {
      await until(() => motion().length >= 1, "the initial motion state");
      assert.equal(motion()[0].message.message.$.PropertyOperation, "Initialized");
      assert.deepEqual(items(motion()[0]), { IsMotion: false });
      assert.equal(ptzCam.subscriptions, 1);
      ptzCam.setMotion(true);
      await until(() => motion().length >= 2, "motion on");
      assert.equal(motion()[1].message.message.$.PropertyOperation, "Changed");
      assert.deepEqual(items(motion()[1]), { IsMotion: true });
      assert.ok(messages.some((m) => m.topic._ === "tns1:VideoSource/MotionAlarm" && items(m).State === true));
      ptzCam.setMotion(false);
      await until(() => motion().length >= 3, "motion off");
      assert.deepEqual(items(motion()[2]), { IsMotion: false });
    } finally {
      cam.removeAllListeners("event");
    }
  });
});

describe("the simulator's control API drives the camera's ONVIF events", () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({ cameras: 2, baseAddress: "127.0.41.10", rtspPort: 28554, onvifPort: 28081, withDiscovery: false, controlPort: 0, ptz: [true, false] });
  });
  after(() => sim.close());

  test("motion switched on through the control API reaches a pull-point subscriber; PTZ moves show in the camera view", async () => {
    const control = createSimulatorClient(sim.controlUrl!);
    const cam = new Cam({ hostname: "127.0.41.10", port: 28081, username: sim.username, password: sim.password, autoconnect: false, timeout: 10_000 }) as unknown as Client;
    await cam.connect();
    const states: unknown[] = [];
    cam.on("event", (m: Message) => {
      if (m.topic._ === "tns1:RuleEngine/CellMotionDetector/Motion") states.push(items(m).IsMotion);
    });
    try {
      await until(() => states.length === 1, "the initial state");
      await until(async () => (await control.camera(0)).eventSubscriptions === 1, "the subscription in the camera view");
      await control.setMotion(0, true);
      await until(() => states.length === 2, "motion on");
      await control.setMotion(0, false);
      await until(() => states.length === 3, "motion off");
      assert.deepEqual(states, [false, true, false]);
    } finally {
      cam.removeAllListeners("event");
    }
    // The picture follows the head: a view per position (shown from a keyframe on), a frame of one differs from a
    // frame of another, and going back shows the first picture again (up to the noise of a still).
    const view = async (x: number, y: number, zoom: number, id: string) => {
      await cam.absoluteMove({ x, y, zoom });
      await until(async () => (await control.camera(0)).ptzView === id, `the view ${id}`);
      return grayFrame(sim.cameras[0].rtspUrl.sub, sim);
    };
    const a = await view(0.25, -0.5, 0.5, "p0.25_t-0.5_z0.5");
    assert.deepEqual((await control.camera(0)).ptz, { pan: 0.25, tilt: -0.5, zoom: 0.5 });
    const b = await view(-0.75, 0.5, 1, "p-0.75_t0.5_z1");
    const again = await view(0.25, -0.5, 0.5, "p0.25_t-0.5_z0.5");
    assert.ok(meanDifference(a, b) > 10, `another view looks different: ${meanDifference(a, b)}`);
    assert.ok(meanDifference(a, again) < 5, `the same view looks the same: ${meanDifference(a, again)}`);
    assert.equal((await control.camera(1)).ptzView, null);
    assert.equal((await control.camera(1)).ptz, null);
    assert.equal((await control.camera(1)).ptzView, null);
  });
});
