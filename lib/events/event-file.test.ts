// "Download event": an event's clips joined into one MP4 without re-encoding. Real clips (ffmpeg's test pattern cut at
// keyframes into three MP4 files, as one ingest run writes them), real ffmpeg, ffprobe on the result.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { mediaDir } from "../data-dir";
import { buildConcatArgs, concatListText } from "../ffmpeg/concat";
import { createTestDb, type TestDb } from "../testing/db";
import { errorCode } from "../testing/errors";
import { esdsWithoutMeasures, isEventJoinable, openEventFile } from "./event-file";
import { ADMIN, createEventWithFiles, MEMBER, seedHousehold } from "./testing";

test("esds: the buffer size and bitrates a muxer measured are left out of the comparison; the decoder's config is not", () => {
  // ffmpeg's esds for AAC-LC 16 kHz mono (AudioSpecificConfig 14 08), as two H.264 copies of one camera's clips had it:
  // tag 3 (ES), tag 4 (DecoderConfig: 0x40 AAC, 0x15 audio, bufferSizeDB, maxBitrate, avgBitrate), tag 5, tag 6.
  const esds = (buffer: number, max: number, avg: number, asc = [0x14, 0x08]) => {
    const u32 = (n: number) => [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
    const body = [0, 0, 0, 0, 0x03, 0x80, 0x80, 0x80, 0x22, 0x00, 0x02, 0x00, 0x04, 0x80, 0x80, 0x80, 0x14, 0x40, 0x15, ...u32(buffer).slice(1), ...u32(max), ...u32(avg), 0x05, 0x80, 0x80, 0x80, 0x02, ...asc, 0x06, 0x80, 0x80, 0x80, 0x01, 0x02];
    return Uint8Array.from([...u32(body.length + 8), ...Buffer.from("esds"), ...body]);
  };
  const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(esdsWithoutMeasures(a)).equals(Buffer.from(esdsWithoutMeasures(b)));
  assert.equal(same(esds(0, 0x7e63, 0x7e63), esds(0, 0x7d7e, 0x7d7e)), true, "bitrates differ: equal");
  assert.equal(same(esds(0, 1, 1), esds(512, 1, 1)), true, "buffer sizes differ: equal");
  assert.equal(same(esds(0, 1, 1), esds(0, 1, 1, [0x12, 0x10])), false, "another AudioSpecificConfig (44.1 kHz stereo): not equal");
  assert.deepEqual([...esdsWithoutMeasures(Uint8Array.from([0, 0, 0, 9, 0x65, 0x73, 0x64, 0x73, 7]))], [0, 0, 0, 9, 0x65, 0x73, 0x64, 0x73, 7], "unreadable: as it is");
  // The ES descriptor's optional fields move the DecoderConfig: with dependsOn_ES_ID (flag 0x80) it is 2 bytes later.
  const withDepends = (max: number) => {
    const b = [...esds(0, max, max)];
    b.splice(12 + 5 + 3, 0, 0x00, 0x09); // after tag, 4 length bytes, ES_ID (2) and the flags byte
    b[12 + 5 + 2] = 0x80;
    b[3] += 2;
    return Uint8Array.from(b);
  };
  assert.equal(same(withDepends(100), withDepends(200)), true);
});

describe("the concat list and argv", () => {
  test("paths are quoted for the concat demuxer, a quote escaped", () => {
    assert.equal(concatListText(["/m/a.mp4", "/m/it's.mp4"]), "ffconcat version 1.0\nfile '/m/a.mp4'\nfile '/m/it'\\''s.mp4'\n");
    assert.deepEqual(buildConcatArgs("/t/l.ffconcat", "/t/o.mp4"), ["-hide_banner", "-nostdin", "-loglevel", "error", "-f", "concat", "-safe", "0", "-i", "/t/l.ffconcat", "-map", "0", "-c", "copy", "-movflags", "+faststart", "-f", "mp4", "/t/o.mp4"]);
  });
});

type Probe = { streams: { codec_name: string; nb_read_frames: string }[]; format: { duration: string } };
const probe = (file: string) => JSON.parse(execFileSync("ffprobe", ["-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries", "stream=codec_name,nb_read_frames:format=duration", "-of", "json", file], { encoding: "utf8" })) as Probe;

describe("one MP4 of a whole event", { timeout: 120_000 }, () => {
  let t: TestDb;
  let work: string;
  let parts: string[];
  let other: string;
  before(async () => {
    t = await createTestDb();
    await seedHousehold(t);
    work = fs.mkdtempSync(path.join(os.tmpdir(), "nightjar-event-file-"));
    // 6 s at 25 frames/s, a keyframe every second, cut into three 2 s MP4 clips.
    execFileSync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-t", "6", "-c:v", "libx264", "-g", "25", "-keyint_min", "25", "-sc_threshold", "0", "-pix_fmt", "yuv420p",
      "-f", "segment", "-segment_time", "2", "-reset_timestamps", "1", "-segment_format_options", "movflags=+faststart", path.join(work, "part%d.mp4")]);
    parts = [0, 1, 2].map((i) => path.join(work, `part${i}.mp4`));
    other = path.join(work, "other.mp4");
    execFileSync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25", "-t", "2", "-c:v", "libx264", "-g", "25", "-pix_fmt", "yuv420p", other]);
  });
  after(async () => {
    await t?.cleanup();
    fs.rmSync(work, { recursive: true, force: true });
  });

  /** An event whose clip files are `files` (real MP4s in place of the seed's placeholders). */
  async function eventOf(id: string, files: string[]) {
    await createEventWithFiles(t, id, "cam1", { clips: files.length, photo: false });
    const clips = await t.db.clip.findMany({ where: { eventId: id }, orderBy: { sequence: "asc" } });
    clips.forEach((c, i) => fs.copyFileSync(files[i], path.join(mediaDir(t.dataDir), c.path)));
  }

  async function readAll(fd: number, size: number): Promise<string> {
    const out = path.join(work, `read-${fd}.mp4`);
    const buf = Buffer.alloc(size);
    fs.readSync(fd, buf, 0, size, 0);
    fs.closeSync(fd);
    fs.writeFileSync(out, buf);
    return out;
  }

  test("three clips become one MP4 as long as their sum, every frame copied, nothing left in the temp folder", async () => {
    await eventOf("whole", parts);
    assert.equal(await isEventJoinable(t.db, t.dataDir, MEMBER, "whole"), true);
    const tmpBefore = fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith("nightjar-event-")).length;
    const f = await openEventFile(t.db, t.dataDir, "ffmpeg", MEMBER, "whole");
    assert.equal(f.clips, 3);
    assert.equal(fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith("nightjar-event-")).length, tmpBefore, "the joined file lives only through its descriptor");
    const p = probe(await readAll(f.fd, f.size));
    const sum = parts.reduce((n, file) => n + Number(probe(file).format.duration), 0);
    assert.equal(p.streams[0].codec_name, "h264");
    assert.equal(Number(p.streams[0].nb_read_frames), 150);
    assert.ok(Math.abs(Number(p.format.duration) - sum) < 0.05, `${p.format.duration} s against the clips' ${sum} s`);
  });

  test("one clip is its clip; clips of different formats are refused; access and missing files as for clips", async () => {
    await eventOf("single", [parts[0]]);
    const one = await openEventFile(t.db, t.dataDir, "ffmpeg", ADMIN, "single");
    assert.equal(one.size, fs.statSync(parts[0]).size);
    fs.closeSync(one.fd);
    await eventOf("mixed", [parts[0], other]);
    assert.equal(await errorCode(openEventFile(t.db, t.dataDir, "ffmpeg", ADMIN, "mixed")), "event_not_joinable");
    assert.equal(await isEventJoinable(t.db, t.dataDir, ADMIN, "mixed"), false);
    await createEventWithFiles(t, "elsewhere", "cam2", { clips: 2, photo: false });
    assert.equal(await errorCode(openEventFile(t.db, t.dataDir, "ffmpeg", MEMBER, "elsewhere")), "forbidden");
    assert.equal(await errorCode(openEventFile(t.db, t.dataDir, "ffmpeg", MEMBER, "nope")), "not_found");
    await eventOf("gone", parts.slice(0, 2));
    fs.rmSync(path.join(mediaDir(t.dataDir), (await t.db.clip.findFirstOrThrow({ where: { eventId: "gone", sequence: 2 } })).path));
    assert.equal(await errorCode(openEventFile(t.db, t.dataDir, "ffmpeg", ADMIN, "gone")), "not_found");
    assert.equal(await t.db.clip.count({ where: { eventId: "gone" } }), 1, "the missing clip's row is cleaned up");
  });
});
