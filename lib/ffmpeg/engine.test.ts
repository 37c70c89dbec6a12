// The media engine check: version lines and tables parsed (table tests), the real ffmpeg found and accepted, and a
// missing one reported with what to install.
import assert from "node:assert/strict";
import { test } from "node:test";
import { checkMediaEngine, isRecentEnough, listedNames, parseVersionLine } from "./engine";

test("version lines", () => {
  assert.equal(parseVersionLine("ffmpeg version 5.1.6-0+deb12u1 Copyright (c) 2000-2024", "ffmpeg"), "5.1.6-0+deb12u1");
  assert.equal(parseVersionLine("ffprobe version n7.1 Copyright", "ffprobe"), "n7.1");
  assert.equal(parseVersionLine("something else", "ffmpeg"), null);
  const cases: [string, boolean][] = [["5.1.6-0+deb12u1", true], ["5.0", false], ["5.1", true], ["6.1.1", true], ["n7.1", true], ["4.4.2-0ubuntu0.22.04.1", false], ["4.1.3", false], ["N-112345-gabcdef", true], ["git-2024-01-01", true], ["unknown", false]];
  for (const [v, ok] of cases) assert.equal(isRecentEnough(v), ok, v);
});

test("format tables", () => {
  const out = " File formats:\n D. = Demuxing supported\n --\n D  rtsp            RTSP input\n  E hls             Apple HTTP Live Streaming\n DE mov,mp4,m4a,3gp,3g2,mj2 QuickTime / MOV\n V....D h264   H.264\n";
  const names = listedNames(out);
  for (const n of ["rtsp", "hls", "mp4", "mov", "h264"]) assert.ok(names.has(n), n);
  assert.ok(!names.has("File"));
});

test("this machine's ffmpeg is found, recent enough and complete; a missing one says what to install", async () => {
  const real = await checkMediaEngine(process.env.FFMPEG_PATH || "ffmpeg", process.env.FFPROBE_PATH || "ffprobe");
  assert.deepEqual(real.problems, []);
  assert.equal(real.ok, true);
  assert.match(real.ffmpeg.version ?? "", /\d/);
  const missing = await checkMediaEngine("/nonexistent/ffmpeg", "/nonexistent/ffprobe");
  assert.equal(missing.ok, false);
  assert.equal(missing.ffmpeg.version, null);
  assert.match(missing.problems.join("\n"), /ffmpeg not found at "\/nonexistent\/ffmpeg": install Debian's ffmpeg \(sudo apt-get install ffmpeg\)/);
});
