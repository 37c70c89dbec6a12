// Table tests of the ingest and motion-decoder argv builders: each case pairs the options with the exact argv. The same
// argv against real ffmpeg and the simulator: lib/recording/ingest.test.ts.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { buildIngestArgs, buildMotionDecodeArgs, motionFrameBytes, segmentSecondsFor, soundModeFor, type IngestOptions } from "./ingest-args";

describe("soundModeFor", () => {
  const cases: [boolean, string | null, string][] = [
    [false, "aac", "none"],
    [false, "pcm_mulaw", "none"],
    [false, null, "none"],
    [true, "aac", "copy"],
    [true, "pcm_mulaw", "aac"],
    [true, "pcm_alaw", "aac"],
    [true, "adpcm_g726", "aac"],
    [true, null, "aac"],
  ];
  for (const [on, codec, mode] of cases) test(`record sound ${on ? "on" : "off"}, ${codec ?? "not probed"} → ${mode}`, () => assert.equal(soundModeFor(on, codec), mode));
});

describe("buildIngestArgs", () => {
  const cases: [string, IngestOptions, string[]][] = [
    [
      "defaults",
      { inputUrl: "rtsp://admin:p%40ss@192.168.1.20:554/main", outputDir: "/data/live/cam1/run-1", segmentSeconds: 0.5, listSize: 41 },
      ["-hide_banner", "-nostdin", "-loglevel", "error", "-rtsp_transport", "tcp", "-timeout", "5000000", "-i", "rtsp://admin:p%40ss@192.168.1.20:554/main", "-map", "0:v:0", "-c", "copy", "-f", "hls", "-hls_segment_type", "fmp4", "-hls_time", "0.5", "-hls_list_size", "41", "-hls_flags", "independent_segments+program_date_time+delete_segments+temp_file", "-hls_fmp4_init_filename", "init.mp4", "-hls_segment_filename", "/data/live/cam1/run-1/seg-%d.m4s", "/data/live/cam1/run-1/index.m3u8"],
    ],
    [
      "timeout, log level, float noise in hls_time",
      { inputUrl: "rtsps://cam/x", outputDir: "/tmp/r", segmentSeconds: 0.1 + 0.2, listSize: 6, timeoutUs: 3_000_000, ffmpegLogLevel: "warning" },
      ["-hide_banner", "-nostdin", "-loglevel", "warning", "-rtsp_transport", "tcp", "-timeout", "3000000", "-i", "rtsps://cam/x", "-map", "0:v:0", "-c", "copy", "-f", "hls", "-hls_segment_type", "fmp4", "-hls_time", "0.3", "-hls_list_size", "6", "-hls_flags", "independent_segments+program_date_time+delete_segments+temp_file", "-hls_fmp4_init_filename", "init.mp4", "-hls_segment_filename", "/tmp/r/seg-%d.m4s", "/tmp/r/index.m3u8"],
    ],
    [
      "segments deleted by the caller (the recorder's ring)",
      { inputUrl: "rtsp://cam/main", outputDir: "/d/live/c/1", segmentSeconds: 1, listSize: 40, deleteSegments: false },
      ["-hide_banner", "-nostdin", "-loglevel", "error", "-rtsp_transport", "tcp", "-timeout", "5000000", "-i", "rtsp://cam/main", "-map", "0:v:0", "-c", "copy", "-f", "hls", "-hls_segment_type", "fmp4", "-hls_time", "1", "-hls_list_size", "40", "-hls_flags", "independent_segments+program_date_time+temp_file", "-hls_fmp4_init_filename", "init.mp4", "-hls_segment_filename", "/d/live/c/1/seg-%d.m4s", "/d/live/c/1/index.m3u8"],
    ],
    [
      "sound copied (AAC)",
      { inputUrl: "rtsp://cam/main", outputDir: "/d/1", segmentSeconds: 1, listSize: 4, sound: "copy" },
      ["-hide_banner", "-nostdin", "-loglevel", "error", "-rtsp_transport", "tcp", "-timeout", "5000000", "-i", "rtsp://cam/main", "-map", "0:v:0", "-map", "0:a:0?", "-c:v", "copy", "-c:a", "copy", "-f", "hls", "-hls_segment_type", "fmp4", "-hls_time", "1", "-hls_list_size", "4", "-hls_flags", "independent_segments+program_date_time+delete_segments+temp_file", "-hls_fmp4_init_filename", "init.mp4", "-hls_segment_filename", "/d/1/seg-%d.m4s", "/d/1/index.m3u8"],
    ],
    [
      "sound converted to AAC (G.711)",
      { inputUrl: "rtsp://cam/main", outputDir: "/d/1", segmentSeconds: 1, listSize: 4, sound: "aac" },
      ["-hide_banner", "-nostdin", "-loglevel", "error", "-rtsp_transport", "tcp", "-timeout", "5000000", "-i", "rtsp://cam/main", "-map", "0:v:0", "-map", "0:a:0?", "-c:v", "copy", "-c:a", "aac", "-b:a", "32000", "-f", "hls", "-hls_segment_type", "fmp4", "-hls_time", "1", "-hls_list_size", "4", "-hls_flags", "independent_segments+program_date_time+delete_segments+temp_file", "-hls_fmp4_init_filename", "init.mp4", "-hls_segment_filename", "/d/1/seg-%d.m4s", "/d/1/index.m3u8"],
    ],
  ];
  for (const [name, input, argv] of cases) test(name, () => assert.deepEqual(buildIngestArgs(input), argv));
  const bad: [string, Partial<IngestOptions>][] = [
    ["segmentSeconds 0", { segmentSeconds: 0 }],
    ["listSize 2.5", { listSize: 2.5 }],
    ["timeoutUs -1", { timeoutUs: -1 }],
  ];
  for (const [name, patch] of bad) test(`refuses ${name}`, () => assert.throws(() => buildIngestArgs({ inputUrl: "rtsp://c/m", outputDir: "/o", segmentSeconds: 1, listSize: 5, ...patch }), RangeError));
});

describe("segmentSecondsFor", () => {
  const cases: [number, number][] = [
    [1000, 0.5],
    [2000, 1],
    [4000, 2],
    [1001, 0.501],
    [500, 1],
    [400, 1.2],
    [250, 1],
  ];
  for (const [gop, s] of cases) test(`${gop} ms`, () => assert.equal(segmentSecondsFor(gop), s));
  test("refuses 0", () => assert.throws(() => segmentSecondsFor(0), RangeError));
});

describe("buildMotionDecodeArgs", () => {
  test("5 fps, 64×36 grey", () => {
    assert.deepEqual(buildMotionDecodeArgs({ inputUrl: "rtsp://u:p@cam/sub", fps: 5, width: 64, height: 36 }), [
      "-hide_banner", "-nostdin", "-loglevel", "error", "-rtsp_transport", "tcp", "-timeout", "5000000", "-threads", "1", "-skip_loop_filter", "all", "-flags2", "+fast", "-i", "rtsp://u:p@cam/sub", "-map", "0:v:0", "-an", "-vf", "fps=5,scale=64:36:flags=area,format=gray", "-f", "rawvideo", "pipe:1",
    ]);
    assert.equal(motionFrameBytes({ width: 64, height: 36 }), 2304);
  });
  test("with object detection: a second output of colour PPM frames on fd 3, at most maxWidth wide", () => {
    assert.deepEqual(buildMotionDecodeArgs({ inputUrl: "rtsp://u:p@cam/sub", fps: 5, width: 64, height: 36, detection: { fps: 3, maxWidth: 960 } }), [
      "-hide_banner", "-nostdin", "-loglevel", "error", "-rtsp_transport", "tcp", "-timeout", "5000000", "-threads", "1", "-i", "rtsp://u:p@cam/sub", "-an",
      "-filter_complex", "[0:v:0]split=2[m][d];[m]fps=5,scale=64:36:flags=area,format=gray[motion];[d]fps=3,scale='min(iw,960)':-2:flags=bilinear,format=rgb24[detect]",
      "-map", "[motion]", "-f", "rawvideo", "pipe:1", "-map", "[detect]", "-c:v", "ppm", "-f", "image2pipe", "pipe:3",
    ]);
    assert.throws(() => buildMotionDecodeArgs({ inputUrl: "rtsp://c/s", fps: 5, width: 64, height: 36, detection: { fps: 0, maxWidth: 960 } }), RangeError);
  });
  test("refuses a width of 0", () => assert.throws(() => buildMotionDecodeArgs({ inputUrl: "rtsp://c/s", fps: 5, width: 0, height: 36 }), RangeError));
});
