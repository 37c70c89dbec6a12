import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { DEFAULT_CLIP_SPEC } from "./clips";
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

  test("clock text: label, local date and time from the start epoch plus pts, milliseconds", () => {
    assert.equal(
      buildClockText("CAM 1", 1_700_000_000.25),
      "CAM 1 %{pts:localtime:1700000000.250000:%Y-%m-%d %H\\:%M\\:%S}.%{eif:mod((t+0.250000)*1000,1000):d:3}",
    );
  });

  test("one ffmpeg, two raw H.264 pipes, named overlay for the motion command", () => {
    const args = buildLiveArgs({ spec: DEFAULT_CLIP_SPEC, fontFile: "/f.ttf", textFile: "/tmp/t.txt", motionOn: false });
    assert.deepEqual(args.slice(0, 8), ["-hide_banner", "-loglevel", "error", "-re", "-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=25"]);
    const graph = args[args.indexOf("-filter_complex") + 1];
    assert.match(graph, /overlay@motion=.*:enable=0,drawtext=fontfile=\/f\.ttf:textfile=\/tmp\/t\.txt/);
    assert.match(graph, /scale=640:360/);
    assert.deepEqual(args.filter((a) => a.startsWith("pipe:")), ["pipe:1", "pipe:3"]);
    assert.ok(args.includes("zerolatency"));
    assert.ok(!args.includes("-nostdin"), "stdin carries the motion commands");
  });
});

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
    const run = (args: string[]) =>
      new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
        const child = spawn(args[0], args.slice(1), { stdio: ["ignore", "pipe", "pipe"] });
        let out = "";
        let err = "";
        child.stdout.on("data", (d) => (out += d));
        child.stderr.on("data", (d) => (err += d));
        child.on("close", (code) => resolve({ code, out, err }));
      });
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
});
