// The ingest and motion-decoder argv (lib/ffmpeg/ingest-args.ts) with real ffmpeg against the simulator (camera on
// 127.0.0.188): segments on keyframes with the planned length, the playlist tracked into wall-clock segments, a stall
// ending ffmpeg, grey frames.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { buildIngestArgs, buildMotionDecodeArgs, motionFrameBytes, segmentSecondsFor } from "../ffmpeg/ingest-args";
import { startSimulator, type Simulator } from "../simulator/simulator";
import { SegmentTracker, type Segment } from "./segments";

describe("with the simulator and real ffmpeg", () => {
  let sim: Simulator;
  let tmp: string;
  const url = (stream: "main" | "sub") => sim.cameras[0].rtspUrl[stream].replace("rtsp://", `rtsp://${sim.username}:${encodeURIComponent(sim.password)}@`);
  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "nightjar-ingest-test-"));
    sim = await startSimulator({ cameras: 1, baseAddress: "127.0.0.188", rtspPort: 38574, onvifPort: 38010, discoveryPort: 49712, withOnvif: false, withDiscovery: false, controlPort: null });
  });
  after(async () => {
    await sim?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  test("one 1 s segment per keyframe, ffmpeg keeps listSize segments, a stall makes it exit", async () => {
    const dir = path.join(tmp, "run-1");
    fs.mkdirSync(dir);
    const tracker = new SegmentTracker("run-1");
    const segments: Segment[] = [];
    const watcher = fs.watch(dir, (_ev, name) => {
      if (name !== "index.m3u8") return;
      try {
        segments.push(...tracker.update(fs.readFileSync(path.join(dir, "index.m3u8"), "utf8"), Date.now()));
      } catch {
        /* replaced between the event and the read: the next event brings it */
      }
    });
    const started = Date.now();
    const child = spawn("ffmpeg", buildIngestArgs({ inputUrl: url("main"), outputDir: dir, segmentSeconds: segmentSecondsFor(1000), listSize: 3, timeoutUs: 1_000_000 }), { stdio: ["ignore", "ignore", "pipe"] });
    const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    while (segments.length < 5 && Date.now() - started < 10_000) await new Promise((r) => setTimeout(r, 50));
    await sim.setOutage(0, "stall");
    const stalledAt = Date.now();
    const code = await exited;
    const exitMs = Date.now() - stalledAt;
    watcher.close();
    await sim.setOutage(0, "off");

    assert.ok(segments.length >= 5, `segments: ${segments.length}`);
    // After the first (the 1/90000 s first frame shortens it), every segment is one 1 s GOP, back to back.
    for (const s of segments.slice(1, 5)) assert.equal(s.durationMs, 1000);
    // The first segment is placed with the first (loosest) bound only: it may overlap the next by tens of ms.
    for (let i = 2; i < 5; i++) assert.ok(Math.abs(segments[i].startMs - segments[i - 1].endMs) < 50, `not contiguous: ${JSON.stringify(segments.map((s) => [s.seq, s.startMs - segments[0].startMs, s.durationMs, s.seenAtMs - s.endMs]))}`);
    assert.ok(Math.abs(segments[4].endMs - segments[4].seenAtMs) < 250, "placed on the wall clock");
    // delete_segments: at most listSize + hls_delete_threshold (1) + the one being written.
    const files = fs.readdirSync(dir).filter((f) => f.endsWith(".m4s"));
    assert.ok(files.length <= 5, files.join(","));
    assert.ok(fs.existsSync(path.join(dir, "init.mp4")));
    // A stalled camera: ffmpeg gives up after -timeout (1 s) and exits (the supervisor then restarts it).
    assert.notEqual(code, null);
    assert.ok(exitMs < 4000, `exit took ${exitMs} ms`);
  });

  test("the motion decoder writes 64×36 grey frames at 5 fps", async () => {
    const child = spawn("ffmpeg", buildMotionDecodeArgs({ inputUrl: url("sub"), fps: 5, width: 64, height: 36, timeoutUs: 2_000_000 }), { stdio: ["ignore", "pipe", "pipe"] });
    let bytes = 0;
    let firstAt = 0;
    child.stdout.on("data", (d: Buffer) => {
      if (!bytes) firstAt = Date.now();
      bytes += d.length;
    });
    while (!firstAt || Date.now() - firstAt < 2000) await new Promise((r) => setTimeout(r, 50));
    child.kill("SIGTERM");
    await new Promise((r) => child.on("close", r));
    const frames = bytes / motionFrameBytes({ width: 64, height: 36 });
    assert.ok(frames >= 8 && frames <= 20, `frames in ~2 s: ${frames}`);
  });
});
