// hev1 → hvc1 on real ffmpeg output (an H.265 fMP4 init as the ingest writes it) and on hand-made boxes: renamed only
// when the hvcC holds VPS, SPS and PPS; other entries and every other byte untouched.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { box } from "./box-writer";
import { bufferSource, findPath } from "./boxes";
import { hvccParameterSetTypes, initWithHvc1, stsdWithHvc1 } from "./sample-entries";

/** An hvcC record: 22 bytes of header fields (zeros suffice here, lengthSizeMinusOne 3) and the given arrays. */
function hvcc(arrays: [type: number, nals: number[][]][]): Buffer {
  const head = Buffer.alloc(22);
  head[0] = 1;
  head[21] = 3;
  const parts: Buffer[] = [head, Buffer.from([arrays.length])];
  for (const [type, nals] of arrays) {
    parts.push(Buffer.from([0x80 | type, nals.length >> 8, nals.length & 0xff]));
    for (const nal of nals) parts.push(Buffer.from([nal.length >> 8, nal.length & 0xff, ...nal]));
  }
  return Buffer.concat(parts);
}
const entry = (type: string, record: Buffer) => box(type, Buffer.alloc(78), box("hvcC", record));
const stsd = (...entries: Buffer[]) => box("stsd", Buffer.from([0, 0, 0, 0, 0, 0, 0, entries.length]), ...entries);
const entryTypes = (bytes: Uint8Array) => {
  const src = bufferSource(bytes);
  const s = findPath(src, ["stsd"])!;
  const out: string[] = [];
  for (let at = s.body + 8; at < s.end; ) {
    const size = Buffer.from(bytes.subarray(at, at + 4)).readUInt32BE(0);
    out.push(Buffer.from(bytes.subarray(at + 4, at + 8)).toString("latin1"));
    at += size;
  }
  return out;
};

const ALL = hvcc([[32, [[0x40, 1, 2]]], [33, [[0x42, 1, 3]]], [34, [[0x44, 1]]]]);

test("hvccParameterSetTypes: the types of non-empty arrays; truncated records give what was complete", () => {
  assert.deepEqual([...hvccParameterSetTypes(ALL)].sort(), [32, 33, 34]);
  assert.deepEqual([...hvccParameterSetTypes(hvcc([[33, [[1, 2]]], [34, []]]))], [33]);
  assert.deepEqual([...hvccParameterSetTypes(ALL.subarray(0, ALL.length - 2))].sort(), [32, 33]);
  assert.deepEqual([...hvccParameterSetTypes(Buffer.alloc(10))], []);
});

test("stsdWithHvc1: hev1 with VPS+SPS+PPS becomes hvc1; without a PPS, or avc1/hvc1, nothing changes", () => {
  const cases: [string, Buffer, string[]][] = [
    ["complete hev1", stsd(entry("hev1", ALL)), ["hvc1"]],
    ["no PPS in hvcC", stsd(entry("hev1", hvcc([[32, [[1]]], [33, [[1]]]]))), ["hev1"]],
    ["already hvc1", stsd(entry("hvc1", ALL)), ["hvc1"]],
    ["avc1 is not touched", stsd(box("avc1", Buffer.alloc(78), box("avcC", Buffer.from([1, 2, 3])))), ["avc1"]],
    ["two entries", stsd(entry("hev1", ALL), entry("hev1", hvcc([]))), ["hvc1", "hev1"]],
  ];
  for (const [name, input, expected] of cases) {
    const before = Buffer.from(input);
    const out = stsdWithHvc1(input);
    assert.deepEqual(entryTypes(out), expected, name);
    assert.equal(out.length, input.length, name);
    assert.ok(before.equals(input), `${name}: the input is not modified`);
  }
});

test("initWithHvc1 on ffmpeg's own H.265 init segment (hev1): renamed, ffprobe reads hvc1, same length; H.264 init unchanged", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nightjar-hvc1-"));
  try {
    const make = (name: string, codec: string[]) => {
      const out = path.join(dir, name);
      fs.mkdirSync(out);
      const r = spawnSync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=10", "-t", "1", ...codec, "-f", "hls", "-hls_segment_type", "fmp4", "-hls_time", "1", path.join(out, "index.m3u8")]);
      assert.equal(r.status, 0, r.stderr?.toString());
      return path.join(out, "init.mp4");
    };
    const hevc = fs.readFileSync(make("hevc", ["-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=error"]));
    assert.ok(hevc.includes(Buffer.from("hev1")), "ffmpeg writes hev1");
    const renamed = initWithHvc1(hevc);
    assert.equal(renamed.length, hevc.length);
    assert.ok(Buffer.from(renamed).includes(Buffer.from("hvc1")) && !Buffer.from(renamed).includes(Buffer.from("hev1")));
    const file = path.join(dir, "renamed-init.mp4");
    fs.writeFileSync(file, renamed);
    const probe = spawnSync("ffprobe", ["-v", "error", "-show_entries", "stream=codec_name,codec_tag_string", "-of", "csv=p=0", file]).stdout.toString().trim();
    assert.equal(probe, "hevc,hvc1");
    const h264 = fs.readFileSync(make("h264", ["-c:v", "libx264", "-preset", "ultrafast"]));
    assert.equal(initWithHvc1(h264), h264, "nothing to rename: the same buffer");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
