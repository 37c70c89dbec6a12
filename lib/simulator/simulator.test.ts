// Integration: one replay simulator (3 cameras on 127.0.0.130-132, high ports) pulled by the real ffmpeg/ffprobe.
// Camera 0 serves the read-only pulls, camera 1 the motion switch, camera 2 the outages, so tests can run at once.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { identifyCamera } from "../onvif/client";
import { createSimulatorClient } from "./control";
import { AUDIO_SETTINGS } from "./audio";
import { VIDEO_CODEC_NAMES } from "./rtp";
import { cameraAddress, cameraSerial, perCameraSetting, startSimulator, type Simulator } from "./simulator";

const BASE = "127.0.0.130";
const RTSP_PORT = 28554;

type Run = { code: number | null; stdout: string; stderr: string; ms: number };
/** Runs a command to completion (killed after timeoutMs). */
function run(cmd: string, args: string[], timeoutMs = 20_000): Promise<Run> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: performance.now() - t0 });
    });
  });
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let sim: Simulator;
let tmp: string;
const withAuth = (url: string, user = sim.username, pass = sim.password) => url.replace("rtsp://", `rtsp://${user}:${encodeURIComponent(pass)}@`);

const probe = (url: string, transport = "tcp") =>
  run("ffprobe", ["-v", "error", "-rtsp_transport", transport, "-show_entries", "stream=codec_name,profile,width,height,r_frame_rate", "-of", "json", url]);

/** Pulls `seconds` of a stream with -c copy into an MP4; returns the file. */
async function pull(url: string, seconds: number, name: string, transport = "tcp"): Promise<{ file: string; run: Run }> {
  const file = path.join(tmp, `${name}.mp4`);
  const r = await run("ffmpeg", ["-v", "error", "-y", "-rtsp_transport", transport, "-timeout", "3000000", "-i", url, "-t", String(seconds), "-c", "copy", file]);
  return { file, run: r };
}

/** Duration, frame count, decode errors and packet timestamps of an MP4. */
async function inspect(file: string) {
  const fmt = JSON.parse((await run("ffprobe", ["-v", "error", "-show_entries", "format=duration:stream=nb_frames,width,height", "-of", "json", file])).stdout);
  const pts = (await run("ffprobe", ["-v", "error", "-select_streams", "v", "-show_entries", "packet=pts", "-of", "csv=p=0", file])).stdout.trim().split("\n").map(Number);
  const decode = await run("ffmpeg", ["-v", "error", "-i", file, "-f", "null", "-"]);
  return { duration: Number(fmt.format.duration), frames: Number(fmt.streams[0].nb_frames), width: fmt.streams[0].width, height: fmt.streams[0].height, pts, decodeErrors: decode.stderr.trim() };
}

/** Sends one raw RTSP request and returns the response head. */
function rtspRequest(host: string, lines: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(RTSP_PORT, host, () => sock.write(lines.join("\r\n") + "\r\n\r\n"));
    let data = "";
    sock.on("data", (d) => {
      data += d.toString("latin1");
      if (data.includes("\r\n\r\n")) {
        sock.destroy();
        resolve(data);
      }
    });
    sock.on("error", reject);
  });
}

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "nightjar-sim-test-"));
  sim = await startSimulator({ cameras: 3, baseAddress: BASE, rtspPort: RTSP_PORT, onvifPort: 28080, discoveryPort: 23702, multicast: false, controlPort: 0 });
});
after(async () => {
  await sim?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("addresses", () => {
  test("camera i is on base + i; serials derive from the address", () => {
    assert.equal(cameraAddress("127.0.0.10", 0), "127.0.0.10");
    assert.equal(cameraAddress("127.0.0.10", 15), "127.0.0.25");
    assert.equal(cameraAddress("127.0.0.250", 7), "127.0.1.1"); // carries into the third octet
    assert.throws(() => cameraAddress("127.0.0.250", 6)); // .0
    assert.throws(() => cameraAddress("10.0.0.1", 0));
    assert.throws(() => cameraAddress("127.0.0.254", 1)); // .255
    assert.equal(cameraSerial("127.0.0.10"), "NJSIM-7F00000A");
    assert.deepEqual(sim.cameras.map((c) => c.host), ["127.0.0.130", "127.0.0.131", "127.0.0.132"]);
    assert.equal(sim.cameras[0].rtspUrl.main, `rtsp://127.0.0.130:${RTSP_PORT}/main`);
  });
});

describe("per-camera settings", () => {
  const cases: { name: string; args: Parameters<typeof perCameraSetting<string>>; expected: string[] | RegExp }[] = [
    { name: "nothing given: the default", args: ["codec", VIDEO_CODEC_NAMES, 3, undefined, undefined, "h264"], expected: ["h264", "h264", "h264"] },
    { name: "all cameras", args: ["codec", VIDEO_CODEC_NAMES, 2, "h265", undefined, "h264"], expected: ["h265", "h265"] },
    { name: "a short list: the rest take the all-cameras value", args: ["codec", VIDEO_CODEC_NAMES, 3, "h265", ["h264"], "h264"], expected: ["h264", "h265", "h265"] },
    { name: "holes in the list fall back", args: ["audio", AUDIO_SETTINGS, 3, undefined, [undefined, "pcmu", "aac"], "none"], expected: ["none", "pcmu", "aac"] },
    { name: "an unknown value is refused", args: ["audio", AUDIO_SETTINGS, 2, undefined, ["none", "opus"], "none"], expected: /audios\[1\]: "opus" is not one of none, aac, pcmu, pcma/ },
    { name: "an unknown all-cameras value is refused", args: ["codec", VIDEO_CODEC_NAMES, 1, "av1", undefined, "h264"], expected: /codec: "av1"/ },
    { name: "more values than cameras is refused", args: ["codec", VIDEO_CODEC_NAMES, 1, undefined, ["h264", "h265"], "h264"], expected: /codecs: 2 values for 1 camera/ },
  ];
  for (const c of cases) {
    test(c.name, () => {
      if (c.expected instanceof RegExp) assert.throws(() => perCameraSetting(...c.args), c.expected);
      else assert.deepEqual(perCameraSetting(...c.args), c.expected);
    });
  }

  test("live mode refuses H.265 before starting anything", async () => {
    await assert.rejects(startSimulator({ cameras: 1, mode: "live", codecs: ["h265"], baseAddress: "127.0.0.133", controlPort: null, withOnvif: false }), /live mode encodes H\.264 only/);
  });
});

describe("replay simulator with ffmpeg", { concurrency: true }, () => {
  test("ffprobe over TCP sees h264 1920x1080 25 fps (main) and 640x360 (sub)", async () => {
    const [main, sub] = await Promise.all([probe(withAuth(sim.cameras[0].rtspUrl.main)), probe(withAuth(sim.cameras[0].rtspUrl.sub))]);
    assert.equal(main.code, 0, main.stderr);
    assert.deepEqual(JSON.parse(main.stdout).streams[0], { codec_name: "h264", profile: "Main", width: 1920, height: 1080, r_frame_rate: "25/1" });
    assert.deepEqual(JSON.parse(sub.stdout).streams[0], { codec_name: "h264", profile: "Main", width: 640, height: 360, r_frame_rate: "25/1" });
  });

  test("a 5 s -c copy pull over TCP gives a 5 s MP4 that decodes without errors; two clients at once", async () => {
    const [a, b] = await Promise.all([pull(withAuth(sim.cameras[0].rtspUrl.main), 5, "tcp-a"), pull(withAuth(sim.cameras[0].rtspUrl.main), 5, "tcp-b")]);
    for (const p of [a, b]) {
      assert.equal(p.run.code, 0, p.run.stderr);
      const f = await inspect(p.file);
      assert.ok(Math.abs(f.duration - 5) <= 0.5, `duration ${f.duration}`);
      assert.ok(Math.abs(f.frames - 125) <= 3, `frames ${f.frames}`);
      assert.equal(f.width, 1920);
      assert.equal(f.decodeErrors, "");
    }
    const traffic = sim.bytes(0);
    assert.ok(traffic.bytesSent > 2 * 2_000_000, `sent ${traffic.bytesSent}`); // two clients × 5 s × ~4 Mbit/s
    assert.ok(traffic.bytesReceived > 0);
    assert.ok(traffic.connections.some((c) => c.requests >= 4 && c.closedAt !== null));
  });

  test("UDP transport works", async () => {
    const p = await pull(withAuth(sim.cameras[0].rtspUrl.sub), 3, "udp", "udp");
    assert.equal(p.run.code, 0, p.run.stderr);
    const f = await inspect(p.file);
    assert.ok(Math.abs(f.duration - 3) <= 0.5, `duration ${f.duration}`);
    assert.equal(f.width, 640);
    assert.equal(f.decodeErrors, "");
  });

  test("a motion switch during a pull happens at a keyframe and gives a clean, continuous file", async () => {
    const pulling = pull(withAuth(sim.cameras[1].rtspUrl.main), 5, "motion");
    await sleep(2000);
    sim.setMotion(1, true);
    const p = await pulling;
    assert.equal(p.run.code, 0, p.run.stderr);
    const f = await inspect(p.file);
    assert.equal(f.decodeErrors, "");
    assert.ok(Math.abs(f.duration - 5) <= 0.5, `duration ${f.duration}`);
    // Uniform frame steps across the switch (the first step is ffmpeg's 1-tick first frame, see the report).
    const steps = f.pts.slice(3).map((v, i) => v - f.pts[i + 2]);
    assert.ok(steps.every((s) => s === steps[0]), `uneven pts steps: ${[...new Set(steps)].join(",")}`);
    assert.equal(sim.cameras[1].motion, true);
    sim.setMotion(1, false);
  });

  test("wrong password: 401 with Digest and Basic challenges; ffprobe fails with an auth error", async () => {
    const url = sim.cameras[0].rtspUrl.main;
    const r = await probe(withAuth(url, "admin", "wrong-password"));
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /401 Unauthorized/);
    const head = await rtspRequest(sim.cameras[0].host, [`DESCRIBE ${url} RTSP/1.0`, "CSeq: 2", "Accept: application/sdp"]);
    assert.match(head, /^RTSP\/1\.0 401 Unauthorized\r\n/);
    assert.match(head, /WWW-Authenticate: Digest realm="[^"]+", nonce="[0-9a-f]{40}", algorithm=MD5, qop="auth"/);
    assert.match(head, /WWW-Authenticate: Basic realm=/);
    const basic = Buffer.from(`${sim.username}:${sim.password}`).toString("base64");
    const ok = await rtspRequest(sim.cameras[0].host, [`DESCRIBE ${url} RTSP/1.0`, "CSeq: 3", `Authorization: Basic ${basic}`]);
    assert.match(ok, /^RTSP\/1\.0 200 OK\r\n/);
    const missing = await rtspRequest(sim.cameras[0].host, [`DESCRIBE rtsp://${sim.cameras[0].host}:${RTSP_PORT}/nope RTSP/1.0`, "CSeq: 4", `Authorization: Basic ${basic}`]);
    assert.match(missing, /^RTSP\/1\.0 404 Not Found\r\n/);
  });

  test("outage refuse drops clients and refuses connections, stall keeps them silent, off brings the camera back", async () => {
    const cam = sim.cameras[2];
    const pulling = pull(withAuth(cam.rtspUrl.sub), 20, "outage");
    await sleep(1500);
    await sim.setOutage(2, "refuse");
    const p = await pulling;
    // The 20 s pull ended early: the client saw the outage (how soon depends on the machine's load, not on the camera).
    assert.ok(p.run.ms < 20_000, `client saw the outage after ${p.run.ms} ms`);
    await assert.rejects(rtspRequest(cam.host, ["OPTIONS * RTSP/1.0", "CSeq: 1"]), /ECONNREFUSED/);
    assert.equal(cam.outage, "refuse");

    await sim.setOutage(2, "stall");
    const silent = await Promise.race([rtspRequest(cam.host, ["OPTIONS * RTSP/1.0", "CSeq: 1"]).then(() => "answered"), sleep(700).then(() => "silent")]);
    assert.equal(silent, "silent");

    await sim.setOutage(2, "off");
    const r = await probe(withAuth(cam.rtspUrl.main));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).streams[0].width, 1920);
  });

  test("ONVIF reports the firmware set by setFirmware and this server's stream URIs", async () => {
    const cam = sim.cameras[0];
    assert.ok(cam.onvifUrl);
    sim.setFirmware(0, "2.0.1-test");
    const id = await identifyCamera({ xaddr: cam.onvifUrl, username: sim.username, password: sim.password });
    assert.equal(id.firmware, "2.0.1-test");
    assert.equal(id.serial, cam.serial);
    assert.deepEqual(id.profiles.map((p) => p.streamUri).sort(), [cam.rtspUrl.main, cam.rtspUrl.sub].sort());
    sim.setFirmware(0, "1.0.0");
  });

  test("control API: list, motion, firmware, bytes, validation", async () => {
    assert.ok(sim.controlUrl);
    const client = createSimulatorClient(sim.controlUrl);
    const list = await client.cameras();
    assert.deepEqual(list.map((c) => c.host), sim.cameras.map((c) => c.host));
    assert.equal((await client.setFirmware(1, "3.1.4")).firmware, "3.1.4");
    assert.equal(sim.cameras[1].firmware, "3.1.4");
    sim.setFirmware(1, "1.0.0");
    const bytes = await client.bytes(0);
    assert.ok(Array.isArray(bytes.connections));
    const bad = await fetch(`${sim.controlUrl}/cameras/0/outage`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ mode: "explode" }) });
    assert.equal(bad.status, 400);
    const missing = await fetch(`${sim.controlUrl}/cameras/9/motion`, { method: "POST", body: "{}" });
    assert.equal(missing.status, 404);
    await assert.rejects(client.setMotion(7, true), /404/);
  });
});

describe("resolution change (camera 1, after the motion test)", () => {
  test("the main stream switches 1920x1080 → 1280x720 at a keyframe with in-band SPS; new clients see the new size; and back", async () => {
    assert.ok(sim.controlUrl);
    const client = createSimulatorClient(sim.controlUrl);
    const url = withAuth(sim.cameras[1].rtspUrl.main);
    // The 1280x720 clips are made on the first switch (seconds of x264 on a fresh machine, cached after): make them
    // first, and be back at 1920x1080, so the switch below happens inside the 3 s being decoded.
    await client.setResolution(1, "alt");
    await client.setResolution(1, "default");
    await sleep(1500);
    // Decode 3 s of the stream while the size changes: every frame's size and key flag.
    const frames = run("ffprobe", ["-v", "error", "-rtsp_transport", "tcp", "-read_intervals", "%+3", "-select_streams", "v", "-show_entries", "frame=width,height,key_frame", "-of", "json", url]);
    await sleep(1000);
    const view = await client.setResolution(1, "alt");
    assert.equal(view.resolution, "alt");
    assert.equal(sim.cameras[1].resolution, "alt");
    const r = await frames;
    assert.equal(r.code, 0, r.stderr);
    const list = (JSON.parse(r.stdout) as { frames: { width: number; height: number; key_frame: number }[] }).frames.map((f) => [f.width, f.height, f.key_frame]);
    const sizes = [...new Set(list.map(([w, h]) => `${w}x${h}`))];
    assert.deepEqual(sizes, ["1920x1080", "1280x720"], "one switch, from the first size to the second");
    const first720 = list.findIndex(([w]) => w === 1280);
    assert.equal(list[first720][2], 1, "the first 1280x720 frame is a keyframe");
    assert.ok(list.slice(first720).every(([w]) => w === 1280), "no frame of the old size after the switch");

    const after = await probe(url);
    assert.equal(after.code, 0, after.stderr);
    assert.deepEqual([JSON.parse(after.stdout).streams[0].width, JSON.parse(after.stdout).streams[0].height], [1280, 720], "a new DESCRIBE announces the new size");
    const sub = await probe(withAuth(sim.cameras[1].rtspUrl.sub));
    assert.equal(JSON.parse(sub.stdout).streams[0].width, 640, "the sub stream is unchanged");

    const bad = await fetch(`${sim.controlUrl}/cameras/1/resolution`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ variant: "4k" }) });
    assert.equal(bad.status, 400);
    assert.equal((await client.setResolution(1, "default")).resolution, "default");
    await sleep(1200); // the next keyframe
    const back = await probe(url);
    assert.equal(JSON.parse(back.stdout).streams[0].width, 1920);
  });
});
