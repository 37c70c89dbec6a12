import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import { classifyProbeError, ffprobeArgs, parseProbeOutput, ProbeError, runProbe } from "./probe";

describe("ffprobeArgs", () => {
  const cases: [string, { timeoutMs: number; measureSeconds: number }, string[]][] = [
    [
      "rtsp://cam/main",
      { timeoutMs: 5000, measureSeconds: 2 },
      ["-v", "error", "-rtsp_transport", "tcp", "-timeout", "5000000", "-probesize", "5000000", "-analyzeduration", "3000000", "-read_intervals", "%+2", "-show_entries", "stream=index,codec_type,codec_name,profile,width,height,avg_frame_rate,r_frame_rate:packet=stream_index,pts_time,size", "-of", "json", "rtsp://cam/main"],
    ],
    [
      "/tmp/x.mp4",
      { timeoutMs: 1000, measureSeconds: 0 },
      ["-v", "error", "-probesize", "5000000", "-analyzeduration", "3000000", "-show_entries", "stream=index,codec_type,codec_name,profile,width,height,avg_frame_rate,r_frame_rate", "-of", "json", "/tmp/x.mp4"],
    ],
  ];
  for (const [url, opts, argv] of cases) test(url, () => assert.deepEqual(ffprobeArgs(url, opts), argv));
});

describe("parseProbeOutput", () => {
  test("video + audio + measured packets", () => {
    const packets = Array.from({ length: 50 }, (_, i) => ({ stream_index: 0, pts_time: (i / 25).toFixed(6), size: "10000" }));
    const r = parseProbeOutput(
      JSON.stringify({
        streams: [
          { index: 0, codec_type: "video", codec_name: "h264", profile: "Main", width: 1920, height: 1080, avg_frame_rate: "25/1" },
          { index: 1, codec_type: "audio", codec_name: "aac" },
        ],
        packets: [...packets, { stream_index: 1, pts_time: "0.1", size: "300" }],
      }),
      2,
    );
    assert.deepEqual(r.video, { codec: "h264", profile: "Main", width: 1920, height: 1080, fps: 25 });
    assert.deepEqual(r.audio, { codec: "aac" });
    assert.deepEqual(r.measured, { bitrateKbps: 2000, fps: 25, seconds: 2 });
  });
  test("fps from r_frame_rate when avg is 0/0", () => {
    const r = parseProbeOutput(JSON.stringify({ streams: [{ index: 0, codec_type: "video", codec_name: "hevc", width: 640, height: 360, avg_frame_rate: "0/0", r_frame_rate: "30000/1001" }] }), 0);
    assert.equal(r.video.fps, 29.97);
    assert.equal(r.measured, null);
  });
  test("no video → no_video; garbage → probe_failed", () => {
    assert.throws(() => parseProbeOutput(JSON.stringify({ streams: [{ index: 0, codec_type: "audio", codec_name: "aac" }] }), 0), (e: unknown) => e instanceof ProbeError && e.problem === "no_video");
    assert.throws(() => parseProbeOutput("<html>", 0), (e: unknown) => e instanceof ProbeError && e.problem === "probe_failed");
  });
});

describe("classifyProbeError", () => {
  const cases: [string, boolean, string][] = [
    ["[rtsp @ 0x1] method DESCRIBE failed: 401 Unauthorized", false, "auth_failed"],
    ["[tcp @ 0x1] Connection to tcp://127.0.0.1:1 failed: Connection refused", false, "unreachable"],
    ["method DESCRIBE failed: 404 Not Found", false, "not_found"],
    ["rtsp://x: Invalid data found when processing input", false, "not_a_stream"],
    ["anything", true, "timeout"],
    ["Connection timed out", false, "timeout"],
    ["something odd", false, "probe_failed"],
  ];
  for (const [stderr, timedOut, expected] of cases) test(`${stderr.slice(0, 40)} → ${expected}`, () => assert.equal(classifyProbeError(stderr, timedOut), expected));
});

describe("runProbe with real ffprobe", () => {
  const opts = { timeoutMs: 2000, measureSeconds: 0 };
  test("a real H.264 file", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nightjar-probe-"));
    const file = path.join(dir, "clip.mp4");
    await new Promise<void>((resolve, reject) => {
      const p = spawn("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=10", "-t", "2", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", file]);
      p.on("close", (c) => (c === 0 ? resolve() : reject(new Error(`ffmpeg exit ${c}`))));
    });
    const r = await runProbe("ffprobe", file, opts);
    assert.equal(r.video.codec, "h264");
    assert.equal(r.video.width, 320);
    assert.equal(r.video.fps, 10);
    assert.equal(r.audio, null);
    fs.rmSync(dir, { recursive: true });
  });

  test("a closed port is unreachable, quickly", async () => {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise<void>((r) => server.close(() => r()));
    await assert.rejects(runProbe("ffprobe", `rtsp://user:secret@127.0.0.1:${port}/main`, opts), (e: unknown) => {
      assert.ok(e instanceof ProbeError);
      assert.equal(e.problem, "unreachable");
      assert.equal(e.detail.includes("secret"), false, "credentials redacted");
      return true;
    });
  });

  test("a server that accepts and says nothing times out within the limit", async () => {
    const sockets: net.Socket[] = [];
    const server = net.createServer((s) => sockets.push(s));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as net.AddressInfo).port;
    const started = Date.now();
    try {
      await assert.rejects(runProbe("ffprobe", `rtsp://127.0.0.1:${port}/main`, { timeoutMs: 1000, measureSeconds: 0 }), (e: unknown) => e instanceof ProbeError && e.problem === "timeout");
      assert.ok(Date.now() - started < 6000);
    } finally {
      for (const s of sockets) s.destroy();
      server.close();
    }
  });

  test("an HTTP server is not an RTSP stream", async () => {
    const server = http.createServer((_, res) => res.end("<html>hello</html>"));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as net.AddressInfo).port;
    try {
      // ffprobe words a reply that is not RTSP as it words a read timeout ("Invalid data found"); runProbe tells them
      // apart by whether the limit ran out. The limit here is far beyond the reply's round trip, so an ffprobe slow to
      // start on a busy machine (3 s has been seen beside a CI run) does not make the answer a timeout.
      await assert.rejects(runProbe("ffprobe", `rtsp://127.0.0.1:${port}/main`, { ...opts, timeoutMs: 30_000 }), (e: unknown) => e instanceof ProbeError && ["not_a_stream", "probe_failed"].includes(e.problem));
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
