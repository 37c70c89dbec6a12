import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { DEFAULT_CLIP_SPEC } from "./clips";
import { buildFrameClockFilter, frameClockEpochMs, frameClockStripHeight, readFrameClock } from "./frame-clock";
import { buildClockText, buildLiveArgs, motionEnableExpression } from "./live-source";
import { startSimulator, type Simulator } from "./simulator";

describe("live source argv", () => {
  test("motion switches at the first keyframe at least the margin ahead", () => {
    const cases: { on: boolean; frame: number; gop: number; expected: string }[] = [
      { on: true, frame: 0, gop: 25, expected: "gte(n,25)" },
      { on: true, frame: 16, gop: 25, expected: "gte(n,25)" },
      { on: true, frame: 17, gop: 25, expected: "gte(n,25)" },
      { on: true, frame: 18, gop: 25, expected: "gte(n,50)" },
      { on: false, frame: 100, gop: 25, expected: "lt(n,125)" },
    ];
    for (const c of cases) assert.equal(motionEnableExpression(c.on, c.frame, c.gop), c.expected, JSON.stringify(c));
  });

  test("clock text: label, then local date and time with milliseconds of the stamped pts (epoch ms)", () => {
    assert.equal(buildClockText("CAM 1"), "CAM 1 %{pts:localtime:0.0005:%Y-%m-%d %H\\:%M\\:%S}.%{eif:mod(floor(t*1000+0.5),1000):d:3}");
    assert.equal(buildClockText("CAM 'x'; rm"), "CAM x rm %{pts:localtime:0.0005:%Y-%m-%d %H\\:%M\\:%S}.%{eif:mod(floor(t*1000+0.5),1000):d:3}");
  });

  test("one ffmpeg, two raw H.264 pipes, named overlay for the motion command", () => {
    const args = buildLiveArgs({ spec: DEFAULT_CLIP_SPEC, fontFile: "/f.ttf", textFile: "/tmp/t.txt", motionOn: false });
    assert.deepEqual(args.slice(0, 8), ["-hide_banner", "-loglevel", "error", "-re", "-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=25"]);
    const graph = args[args.indexOf("-filter_complex") + 1];
    // Stamp (pts = wall clock in ms) after the motion overlay, then the text and the clock row, then a frame-counted pts.
    assert.match(graph, /overlay@motion=.*:enable=0,settb=1\/1000,setpts='floor\(time\(0\)\*1000\)',drawtext=fontfile=\/f\.ttf:textfile=\/tmp\/t\.txt/);
    assert.ok(graph.includes(`,${buildFrameClockFilter(1920, "floor(t*1000+0.5)")},settb=1/25,setpts=N,split=2[m][s0]`), graph);
    assert.match(graph, /scale=640:360/);
    assert.deepEqual(args.filter((a) => a.startsWith("pipe:")), ["pipe:1", "pipe:3"]);
    assert.ok(args.includes("zerolatency"));
    assert.ok(!args.includes("-nostdin"), "stdin carries the motion commands");
  });
});

/** Runs a command and returns its exit code and output as text. */
const run = (args: string[]) =>
  new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
    const child = spawn(args[0], args.slice(1), { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("close", (code) => resolve({ code, out, err }));
  });

/** Runs a command and returns its stdout as bytes (fails on a non-zero exit). */
function runBinary(args: string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(args[0], args.slice(1), { stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    let err = "";
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d) => (err += d));
    child.on("close", (code) => (code === 0 ? resolve(Buffer.concat(out)) : reject(new Error(`${args[0]} exited ${code}: ${err}`))));
  });
}

describe("live mode with ffmpeg", () => {
  let sim: Simulator;
  let tmp: string;
  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "nightjar-live-test-"));
    sim = await startSimulator({ cameras: 1, mode: "live", baseAddress: "127.0.0.145", rtspPort: 29654, withOnvif: false, controlPort: null, auth: false });
  });
  after(async () => {
    await sim?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  test("streams 1080p and 360p; a motion switch mid-pull keeps the file clean", async () => {
    const file = path.join(tmp, "live.mp4");
    const pulling = run(["ffmpeg", "-v", "error", "-y", "-rtsp_transport", "tcp", "-i", sim.cameras[0].rtspUrl.main, "-t", "4", "-c", "copy", file]);
    const sub = await run(["ffprobe", "-v", "error", "-rtsp_transport", "tcp", "-show_entries", "stream=width,height", "-of", "csv=p=0", sim.cameras[0].rtspUrl.sub]);
    assert.equal(sub.out.trim(), "640,360");
    sim.setMotion(0, true);
    const pulled = await pulling;
    assert.equal(pulled.code, 0, pulled.err);
    const info = await run(["ffprobe", "-v", "error", "-show_entries", "stream=width,height:format=duration", "-of", "json", file]);
    const json = JSON.parse(info.out);
    assert.equal(json.streams[0].width, 1920);
    assert.ok(Math.abs(Number(json.format.duration) - 4) <= 0.5, `duration ${json.format.duration}`);
    assert.equal((await run(["ffmpeg", "-v", "error", "-i", file, "-f", "null", "-"])).err.trim(), "");
  });

  test("the burned-in frame clock survives RTSP and reads as the capture time", async () => {
    const file = path.join(tmp, "clock.mp4");
    const pullAt = Date.now();
    const pulled = await run(["ffmpeg", "-v", "error", "-y", "-rtsp_transport", "tcp", "-i", sim.cameras[0].rtspUrl.main, "-t", "1.5", "-c", "copy", file]);
    const doneAt = Date.now();
    assert.equal(pulled.code, 0, pulled.err);
    const rows = Math.ceil(frameClockStripHeight(1920) / 2) * 2;
    const strip = await runBinary(["ffmpeg", "-v", "error", "-i", file, "-vf", `crop=1920:${rows}:0:0`, "-f", "rawvideo", "-pix_fmt", "rgba", "pipe:1"]);
    const size = 1920 * rows * 4;
    const stamps: number[] = [];
    for (let at = 0; at + size <= strip.length; at += size) {
      const code = readFrameClock(strip.subarray(at, at + size), 1920, rows);
      assert.notEqual(code, null, `frame ${stamps.length} unreadable`);
      stamps.push(frameClockEpochMs(code!, pullAt));
    }
    assert.ok(stamps.length >= 30, `${stamps.length} frames`);
    // Causal bounds only (they hold on a busy machine): the pull starts at the GOP the server keeps for fast starts
    // (≤ 1 s old, plus one frame), every frame was made before the pull ended, and the clock only moves forward.
    assert.ok(stamps[0] >= pullAt - 1500 && stamps[0] <= doneAt, `first frame captured ${stamps[0] - pullAt} ms after the pull started`);
    assert.ok(stamps[stamps.length - 1] <= doneAt, `last frame captured ${stamps[stamps.length - 1] - doneAt} ms after the pull ended`);
    for (let k = 1; k < stamps.length; k++) assert.ok(stamps[k] - stamps[k - 1] > 0, `frames ${k - 1}→${k}: ${stamps[k] - stamps[k - 1]} ms`);
  });
});
