// The live URL contract, table-tested: what is a playlist, what is a media file, and that nothing else (other names,
// "..", encoded or embedded slashes, extra path parts) is let through to the disk. And where each stream comes from.
import assert from "node:assert/strict";
import path from "node:path";
import { describe, test } from "node:test";
import { mediaContentType, mediaFilePath, parseLiveRequest } from "./paths";
import { chooseLiveSource, type LiveCamera } from "./source";

describe("parseLiveRequest", () => {
  const cases: [string, string[], ReturnType<typeof parseLiveRequest>][] = [
    ["main", ["index.m3u8"], { stream: "main", target: { kind: "playlist" } }],
    ["sub", ["index.m3u8"], { stream: "sub", target: { kind: "playlist" } }],
    ["main", ["info.json"], { stream: "main", target: { kind: "info" } }],
    ["sub", ["info.json"], { stream: "sub", target: { kind: "info" } }],
    ["main", ["1763789369303", "init.mp4"], { stream: "main", target: { kind: "media", runId: "1763789369303", file: "init.mp4" } }],
    ["sub", ["1763789369303", "seg-0.m4s"], { stream: "sub", target: { kind: "media", runId: "1763789369303", file: "seg-0.m4s" } }],
    ["sub", ["1", "seg-123456789.m4s"], { stream: "sub", target: { kind: "media", runId: "1", file: "seg-123456789.m4s" } }],
    // Streams
    ["third", ["index.m3u8"], null],
    ["Main", ["index.m3u8"], null],
    ["", ["index.m3u8"], null],
    // Playlists by other names or places
    ["main", ["INDEX.m3u8"], null],
    ["main", ["other.m3u8"], null],
    ["main", ["123", "index.m3u8"], null],
    ["main", [], null],
    // The stream description by other names or places
    ["main", ["INFO.json"], null],
    ["main", ["123", "info.json"], null],
    ["main", ["info.json", "x"], null],
    // Run ids
    ["main", ["..", "init.mp4"], null],
    ["main", [".", "init.mp4"], null],
    ["main", ["12345678901234567", "init.mp4"], null], // 17 digits
    ["main", ["12a", "init.mp4"], null],
    ["main", ["-1", "init.mp4"], null],
    ["main", ["", "init.mp4"], null],
    ["main", ["1/2", "init.mp4"], null],
    ["main", ["1%2F2", "init.mp4"], null],
    // File names
    ["main", ["123", "seg-.m4s"], null],
    ["main", ["123", "seg-1234567890.m4s"], null], // 10 digits
    ["main", ["123", "seg-1.m4s.tmp"], null],
    ["main", ["123", "seg-1.mp4"], null],
    ["main", ["123", "index.m3u8.tmp"], null],
    ["main", ["123", "../init.mp4"], null],
    ["main", ["123", "..%2Finit.mp4"], null],
    ["main", ["123", "seg-1.m4s/"], null],
    ["main", ["123", "seg-1.m4s\n"], null],
    ["main", ["123", "init.mp4", "x"], null],
    ["main", ["..", "..", "nightjar.db"], null],
    ["main", ["..", "secrets", "session-secret"], null],
  ];
  for (const [stream, rest, expected] of cases) test(`${stream} ${JSON.stringify(rest)}`, () => assert.deepEqual(parseLiveRequest(stream, rest), expected));
});

describe("mediaFilePath", () => {
  const root = path.resolve("/data/live/cam1");
  const cases: [string, string, string | null][] = [
    ["1763789369303", "init.mp4", path.join(root, "1763789369303", "init.mp4")],
    ["7", "seg-42.m4s", path.join(root, "7", "seg-42.m4s")],
    ["..", "init.mp4", null],
    ["7", "../../x/init.mp4", null],
    ["7", "nightjar.db", null],
    ["/etc", "init.mp4", null],
  ];
  for (const [runId, file, expected] of cases) test(`${runId}/${file}`, () => assert.equal(mediaFilePath(root, runId, file), expected));
  test("a root given with a trailing slash or relative segments is resolved first", () => {
    assert.equal(mediaFilePath("/data/live/cam1/../cam1/", "7", "init.mp4"), path.join(root, "7", "init.mp4"));
  });
});

test("content types: the init segment is MP4, media segments are ISO BMFF segments", () => {
  assert.equal(mediaContentType("init.mp4"), "video/mp4");
  assert.equal(mediaContentType("seg-3.m4s"), "video/iso.segment");
});

describe("chooseLiveSource", () => {
  const base: LiveCamera = { isEnabled: true, recordingEnabled: true, privacyMode: false, mainStreamUrl: "rtsp://cam/main", subStreamUrl: "rtsp://cam/sub" };
  const cases: [string, Partial<LiveCamera>, "main" | "sub", ReturnType<typeof chooseLiveSource>][] = [
    ["recorded main: the recorder's files", {}, "main", { kind: "recorder" }],
    ["recorded camera's sub: on request", {}, "sub", { kind: "on-request", stream: "sub", url: "rtsp://cam/sub" }],
    ["main of a camera not recorded: on request", { recordingEnabled: false }, "main", { kind: "on-request", stream: "main", url: "rtsp://cam/main" }],
    ["sub of a camera not recorded: on request", { recordingEnabled: false }, "sub", { kind: "on-request", stream: "sub", url: "rtsp://cam/sub" }],
    ["no sub stream, recorded: the recorder's main", { subStreamUrl: null }, "sub", { kind: "recorder" }],
    ["no sub stream, not recorded: main on request", { subStreamUrl: null, recordingEnabled: false }, "sub", { kind: "on-request", stream: "main", url: "rtsp://cam/main" }],
    ["privacy mode stops the recorder: not its files", { privacyMode: true }, "main", { kind: "on-request", stream: "main", url: "rtsp://cam/main" }],
    ["disabled: not the recorder's files", { isEnabled: false }, "main", { kind: "on-request", stream: "main", url: "rtsp://cam/main" }],
  ];
  for (const [name, change, stream, expected] of cases) test(name, () => assert.deepEqual(chooseLiveSource({ ...base, ...change }, stream), expected));
});
