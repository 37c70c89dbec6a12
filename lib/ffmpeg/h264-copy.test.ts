// The H.264 copy's argv (table: options → exact argv), the -progress parser, and runH264Copy against real ffmpeg on a
// small H.265 + AAC clip made at test time: the copy is H.264 High 8-bit with the AAC copied and moov before mdat;
// a missing input and a timeout are errors. The copy route's flow (queue, cache, access, deletion): lib/events/playable-copy.test.ts.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { buildH264CopyArgs, H264CopyError, parseProgressMs, runH264Copy, type H264CopyOptions } from "./h264-copy";

describe("buildH264CopyArgs", () => {
  const tail = (output: string) => ["-c:a", "copy", "-movflags", "+faststart", "-f", "mp4", output];
  const cases: [string, H264CopyOptions, string[]][] = [
    [
      "defaults: veryfast, CRF 23, High 8-bit 4:2:0, first sound stream copied if any",
      { input: "/d/media/c/2026/12/05/101500-e1-1.mp4", output: "/d/media/c/2026/12/05/101500-e1-1-h264.mp4.tmp-1-2" },
      ["-hide_banner", "-nostdin", "-loglevel", "error", "-i", "/d/media/c/2026/12/05/101500-e1-1.mp4", "-map", "0:v:0", "-map", "0:a:0?", "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p", "-profile:v", "high", ...tail("/d/media/c/2026/12/05/101500-e1-1-h264.mp4.tmp-1-2")],
    ],
    [
      "with progress on stdout",
      { input: "in.mp4", output: "out.tmp", progress: true },
      ["-hide_banner", "-nostdin", "-loglevel", "error", "-nostats", "-progress", "pipe:1", "-i", "in.mp4", "-map", "0:v:0", "-map", "0:a:0?", "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p", "-profile:v", "high", ...tail("out.tmp")],
    ],
    [
      "another preset and quality (bench)",
      { input: "in.mp4", output: "out.mp4", preset: "ultrafast", crf: 28 },
      ["-hide_banner", "-nostdin", "-loglevel", "error", "-i", "in.mp4", "-map", "0:v:0", "-map", "0:a:0?", "-c:v", "libx264", "-preset", "ultrafast", "-crf", "28", "-pix_fmt", "yuv420p", "-profile:v", "high", ...tail("out.mp4")],
    ],
  ];
  for (const [name, options, argv] of cases) test(name, () => assert.deepEqual(buildH264CopyArgs(options), argv));
});

describe("parseProgressMs", () => {
  const cases: [string, string, number | null][] = [
    ["one block", "frame=50\nout_time_us=2000000\nout_time=00:00:02.000000\nprogress=continue\n", 2000],
    ["the last of several blocks", "out_time_us=1000000\nprogress=continue\nout_time_us=3040000\nprogress=continue\n", 3040],
    ["out_time_ms (µs as well in ffmpeg 5.1)", "out_time_ms=1500000\n", 1500],
    ["N/A before the first frame", "out_time_us=N/A\nprogress=continue\n", null],
    ["nothing", "", null],
  ];
  for (const [name, chunk, ms] of cases) test(name, () => assert.equal(parseProgressMs(chunk), ms));
});

describe("runH264Copy on real ffmpeg", () => {
  let dir = "";
  let clip = "";
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "nightjar-h264copy-"));
    clip = path.join(dir, "clip.mp4");
    const made = spawnSync("ffmpeg", ["-hide_banner", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=16000", "-t", "2", "-map", "0:v", "-map", "1:a", "-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=error", "-pix_fmt", "yuv420p10le", "-tag:v", "hvc1", "-c:a", "aac", "-movflags", "+faststart", clip], { encoding: "utf8" });
    assert.equal(made.status, 0, made.stderr);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("an H.265 Main 10 clip with sound becomes H.264 High 8-bit with the same AAC, moov first, with progress", async () => {
    const out = path.join(dir, "copy.tmp");
    const progress: number[] = [];
    await runH264Copy("ffmpeg", { input: clip, output: out, timeoutMs: 60_000, onProgress: (ms) => progress.push(ms) });
    const probe = spawnSync("ffprobe", ["-v", "error", "-show_entries", "stream=codec_name,profile,pix_fmt,codec_tag_string:format=duration", "-of", "json", out], { encoding: "utf8" });
    const info = JSON.parse(probe.stdout) as { streams: { codec_name: string; profile: string; pix_fmt?: string; codec_tag_string: string }[]; format: { duration: string } };
    assert.deepEqual(
      info.streams.map((s) => [s.codec_name, s.profile, s.codec_tag_string]),
      [
        ["h264", "High", "avc1"],
        ["aac", "LC", "mp4a"],
      ],
    );
    assert.equal(info.streams[0].pix_fmt, "yuv420p");
    assert.ok(Math.abs(Number(info.format.duration) - 2) < 0.1, info.format.duration);
    const head = fs.readFileSync(out).subarray(0, 64).toString("latin1");
    assert.ok(head.indexOf("moov") > 0 && head.indexOf("moov") < (head.indexOf("mdat") === -1 ? Infinity : head.indexOf("mdat")), "moov before mdat");
    assert.ok(progress.length > 0 && progress[progress.length - 1] >= 1000, `progress: ${progress.join(",")}`);
  });

  test("a missing input rejects with ffmpeg's words", async () => {
    await assert.rejects(runH264Copy("ffmpeg", { input: path.join(dir, "nope.mp4"), output: path.join(dir, "x.tmp"), timeoutMs: 30_000 }), (e: Error) => e instanceof H264CopyError && /No such file/.test(e.message));
  });

  test("a transcode past its time limit is killed", async () => {
    await assert.rejects(runH264Copy("ffmpeg", { input: clip, output: path.join(dir, "slow.tmp"), timeoutMs: 1 }), (e: Error) => e instanceof H264CopyError && /killed after 1 ms/.test(e.message));
  });

  test("an abort kills it", async () => {
    const ac = new AbortController();
    const run = runH264Copy("ffmpeg", { input: clip, output: path.join(dir, "aborted.tmp"), timeoutMs: 60_000, signal: ac.signal });
    ac.abort();
    await assert.rejects(run, /aborted/);
  });
});
