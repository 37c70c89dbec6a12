// Whole-event playback: the cache of an event's joined clips. Real clips (ffmpeg's test pattern cut at keyframes into
// MP4 files, as one ingest run writes them), real ffmpeg and ffprobe, a real SQLite file, real deletion.
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { eventCacheRoot, mediaDir } from "../data-dir";
import { pruneEventCache } from "../deletion/event-cache";
import { wipeDataFolders } from "../deletion/data-folders";
import { deleteCameraWithRecordings, deleteEvents } from "../deletion/recordings";
import { createTestDb, type TestDb } from "../testing/db";
import { errorCode } from "../testing/errors";
import { clipSetKey, getEventPlayback, requireEventVideo } from "./event-cache";
import { PlayableCopyQueue, requestPlayableCopy } from "./playable-copy";
import { ADMIN, createEventWithFiles, MEMBER, seedHousehold, VIEWER } from "./testing";

const probeSeconds = (file: string) => Number(execFileSync("ffprobe", ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", file], { encoding: "utf8" }).trim());
const sumOf = (files: string[]) => files.reduce((n, f) => n + probeSeconds(f), 0);
const codecOf = (file: string) => execFileSync("ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=codec_name", "-of", "csv=p=0", file], { encoding: "utf8" }).trim();
const framesOf = (file: string) => Number(execFileSync("ffprobe", ["-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", file], { encoding: "utf8" }).trim());

/** Every file under a folder (relative), sorted. */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile()).sort();
}

describe("the event cache: one joined video per event and clip set", { timeout: 180_000 }, () => {
  let t: TestDb;
  let work: string;
  let parts: string[];
  /**
   * Two 2 s H.265 clips (hvc1) with AAC sound of one stream, as a camera that sends H.265 records them. Their H.264
   * copies differ in what the muxer measured (esds bitrates) and still join.
   */
  let hevcParts: string[];
  let other: string;
  let cache: string;
  before(async () => {
    t = await createTestDb();
    await seedHousehold(t);
    cache = eventCacheRoot(t.dataDir);
    work = fs.mkdtempSync(path.join(os.tmpdir(), "nightjar-event-cache-"));
    // 8 s at 25 frames/s, a keyframe every second, cut into four 2 s MP4 clips.
    execFileSync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-t", "8", "-c:v", "libx264", "-g", "25", "-keyint_min", "25", "-sc_threshold", "0", "-pix_fmt", "yuv420p",
      "-f", "segment", "-segment_time", "2", "-reset_timestamps", "1", "-segment_format_options", "movflags=+faststart", path.join(work, "part%d.mp4")]);
    parts = [0, 1, 2, 3].map((i) => path.join(work, `part${i}.mp4`));
    execFileSync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=16000", "-t", "4", "-map", "0:v", "-map", "1:a",
      "-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=error:keyint=25:min-keyint=25:scenecut=0", "-tag:v", "hvc1", "-pix_fmt", "yuv420p", "-c:a", "aac",
      "-f", "segment", "-segment_time", "2", "-reset_timestamps", "1", "-segment_format_options", "movflags=+faststart", path.join(work, "hevc%d.mp4")]);
    hevcParts = [0, 1].map((i) => path.join(work, `hevc${i}.mp4`));
    other = path.join(work, "other.mp4");
    execFileSync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25", "-t", "2", "-c:v", "libx264", "-g", "25", "-pix_fmt", "yuv420p", other]);
  });
  after(async () => {
    await t?.cleanup();
    fs.rmSync(work, { recursive: true, force: true });
  });

  /** An event of camera `cameraId` whose clip files are `files` (real MP4s in place of the seed's placeholders). */
  async function eventOf(id: string, files: string[], cameraId = "cam1", videoCodec: "h264" | "hevc" = "h264") {
    await createEventWithFiles(t, id, cameraId, { clips: files.length, photo: false });
    const clips = await t.db.clip.findMany({ where: { eventId: id }, orderBy: { sequence: "asc" } });
    for (const [i, c] of clips.entries()) {
      fs.copyFileSync(files[i], path.join(mediaDir(t.dataDir), c.path));
      await t.db.clip.update({ where: { id: c.id }, data: { bytes: fs.statSync(files[i]).size, durationMs: Math.round(probeSeconds(files[i]) * 1000), videoCodec } });
    }
  }

  test("made once (two plays at once: one join), the sum of the clips, every frame; then served from the cache", async () => {
    await eventOf("once", parts.slice(0, 3));
    const [a, b] = await Promise.all([requireEventVideo(t.db, t.dataDir, "ffmpeg", VIEWER, "once"), requireEventVideo(t.db, t.dataDir, "ffmpeg", MEMBER, "once")]);
    assert.equal(a.file, b.file);
    assert.equal([a.made, b.made].filter(Boolean).length, 1, "one join for two requests");
    assert.equal(path.dirname(a.file), path.join(cache, "once"));
    assert.equal(a.cameraId, "cam1");
    const sum = sumOf(parts.slice(0, 3));
    assert.ok(Math.abs(probeSeconds(a.file) - sum) < 0.05, `${probeSeconds(a.file)} s against the clips' ${sum} s`);
    assert.equal(framesOf(a.file), 150);
    const mtime = fs.statSync(a.file).mtimeMs;
    const again = await requireEventVideo(t.db, t.dataDir, "ffmpeg", ADMIN, "once");
    assert.equal(again.made, false);
    assert.equal(again.file, a.file);
    assert.equal(fs.statSync(a.file).mtimeMs, mtime, "not written again");
    assert.deepEqual(filesUnder(path.join(cache, "once")), [path.basename(a.file)], "no temporary or list file left");
  });

  test("the player's plan: whole with each clip's place and the frame length; clips when they do not join", async () => {
    const p = await getEventPlayback(t.db, t.dataDir, VIEWER, "once");
    assert.equal(p.mode, "whole");
    assert.equal(p.frameMs, 40);
    assert.match(p.mimeType ?? "", /^video\/mp4; codecs="avc1\./);
    assert.deepEqual(p.clips.map((c) => c.sequence), [1, 2, 3]);
    // Where each clip starts in the joined file: the lengths before it (the first clip's 80 ms more: its B-frame delay).
    const lengths = parts.slice(0, 3).map((f) => Math.round(probeSeconds(f) * 1000));
    assert.deepEqual(p.clips.map((c) => c.durationMs), lengths);
    assert.deepEqual(p.clips.map((c) => c.startMs), [0, lengths[0], lengths[0] + lengths[1]]);
    await eventOf("mixed", [parts[0], other]);
    assert.equal((await getEventPlayback(t.db, t.dataDir, ADMIN, "mixed")).mode, "clips");
    assert.equal(await errorCode(requireEventVideo(t.db, t.dataDir, "ffmpeg", ADMIN, "mixed")), "event_not_joinable");
    assert.deepEqual(filesUnder(path.join(cache, "mixed")), []);
    await eventOf("single", [parts[0]]);
    const single = await requireEventVideo(t.db, t.dataDir, "ffmpeg", ADMIN, "single");
    assert.equal(single.file, path.join(mediaDir(t.dataDir), (await t.db.clip.findFirstOrThrow({ where: { eventId: "single" } })).path), "a one-clip event plays its clip");
    assert.equal((await getEventPlayback(t.db, t.dataDir, ADMIN, "single")).mode, "clips");
  });

  test("access as for clips: another camera's event is forbidden, an unknown one not found, nothing is made", async () => {
    await eventOf("elsewhere", parts.slice(0, 2), "cam2");
    assert.equal(await errorCode(requireEventVideo(t.db, t.dataDir, "ffmpeg", MEMBER, "elsewhere")), "forbidden");
    assert.equal(await errorCode(requireEventVideo(t.db, t.dataDir, "ffmpeg", VIEWER, "elsewhere")), "forbidden");
    assert.equal(await errorCode(getEventPlayback(t.db, t.dataDir, VIEWER, "elsewhere")), "forbidden");
    assert.equal(await errorCode(requireEventVideo(t.db, t.dataDir, "ffmpeg", MEMBER, "nope")), "not_found");
    assert.equal(fs.existsSync(path.join(cache, "elsewhere")), false);
    assert.ok((await requireEventVideo(t.db, t.dataDir, "ffmpeg", ADMIN, "elsewhere")).made, "the admin sees every camera");
  });

  test("remade when the clips change; the old file goes; a missing clip file answers not_found", async () => {
    await eventOf("grows", parts.slice(0, 2));
    const first = await requireEventVideo(t.db, t.dataDir, "ffmpeg", ADMIN, "grows");
    // The recorder adds clip 3 (an event still being recorded).
    const rel = "cam1/2026/06/01/grows-3.mp4";
    fs.copyFileSync(parts[2], path.join(mediaDir(t.dataDir), rel));
    await t.db.clip.create({ data: { id: "grows-c3", eventId: "grows", sequence: 3, path: rel, bytes: fs.statSync(parts[2]).size, startedAt: new Date(), durationMs: 2000 } });
    const second = await requireEventVideo(t.db, t.dataDir, "ffmpeg", ADMIN, "grows");
    assert.equal(second.made, true);
    assert.notEqual(second.file, first.file);
    assert.equal(path.basename(second.file), `${clipSetKey(await t.db.clip.findMany({ where: { eventId: "grows" }, orderBy: { sequence: "asc" } }))}.mp4`);
    assert.ok(Math.abs(probeSeconds(second.file) - sumOf(parts.slice(0, 3))) < 0.05);
    assert.deepEqual(filesUnder(path.join(cache, "grows")), [path.basename(second.file)], "the file of the old clip set is pruned");
    fs.rmSync(path.join(mediaDir(t.dataDir), rel));
    assert.equal(await errorCode(requireEventVideo(t.db, t.dataDir, "ffmpeg", ADMIN, "grows")), "not_found");
    assert.equal(await t.db.clip.count({ where: { eventId: "grows" } }), 2, "the missing clip's row is cleaned up");
  });

  test("H.265: the clips' H.264 copies joined once every copy is made, kept beside the clips' own join", async () => {
    await eventOf("hevc", hevcParts, "cam1", "hevc");
    const queue = new PlayableCopyQueue({ ffmpegPath: "ffmpeg" });
    const plan = await getEventPlayback(t.db, t.dataDir, VIEWER, "hevc");
    assert.equal(plan.mode, "whole");
    assert.match(plan.mimeType ?? "", /hvc1/);
    assert.equal(plan.copiesReady, false, "no copy made yet");
    assert.equal(await errorCode(requireEventVideo(t.db, t.dataDir, "ffmpeg", VIEWER, "hevc", "h264")), "copies_not_ready");
    // One copy made: still not ready, nothing joined.
    assert.equal((await requestPlayableCopy(t.db, t.dataDir, VIEWER, "hevc", "1", queue, 60_000)).state, "ready");
    assert.equal((await getEventPlayback(t.db, t.dataDir, VIEWER, "hevc")).copiesReady, false);
    assert.equal(await errorCode(requireEventVideo(t.db, t.dataDir, "ffmpeg", VIEWER, "hevc", "h264")), "copies_not_ready");
    assert.equal(fs.existsSync(path.join(cache, "hevc")), false);
    // Both: ready, joined into one H.264 file with every frame of both clips.
    assert.equal((await requestPlayableCopy(t.db, t.dataDir, VIEWER, "hevc", "2", queue, 60_000)).state, "ready");
    assert.equal((await getEventPlayback(t.db, t.dataDir, VIEWER, "hevc")).copiesReady, true);
    const copy = await requireEventVideo(t.db, t.dataDir, "ffmpeg", VIEWER, "hevc", "h264");
    assert.equal(copy.made, true);
    const key = clipSetKey(await t.db.clip.findMany({ where: { eventId: "hevc" }, orderBy: { sequence: "asc" } }));
    assert.equal(copy.file, path.join(cache, "hevc", `${key}-h264.mp4`));
    assert.equal(codecOf(copy.file), "h264");
    assert.match(execFileSync("ffprobe", ["-v", "error", "-select_streams", "a", "-show_entries", "stream=codec_name", "-of", "csv=p=0", copy.file], { encoding: "utf8" }), /^aac/, "the sound joined too");
    // Every frame of both copies, as long as they are at 25 frames/s. (A copy may have a frame or two more than its
    // clip: where a clip's picture starts after its sound, ffmpeg repeats the first picture to fill the time.)
    const copyFiles = (await t.db.clip.findMany({ where: { eventId: "hevc" }, orderBy: { sequence: "asc" } })).map((c) => path.join(mediaDir(t.dataDir), c.path.replace(/\.mp4$/, "-h264.mp4")));
    const copyFrames = framesOf(copyFiles[0]) + framesOf(copyFiles[1]);
    assert.equal(framesOf(copy.file), copyFrames);
    const videoSeconds = Number(execFileSync("ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=duration", "-of", "csv=p=0", copy.file], { encoding: "utf8" }).trim());
    assert.ok(Math.abs(videoSeconds - copyFrames / 25) < 0.05, `${videoSeconds} s of video against the copies' ${copyFrames / 25} s of frames`);
    const frames = framesOf(hevcParts[0]) + framesOf(hevcParts[1]);
    // A browser with an H.265 decoder plays the clips' own join: both files stay (each its variant's newest).
    const original = await requireEventVideo(t.db, t.dataDir, "ffmpeg", MEMBER, "hevc");
    assert.equal(codecOf(original.file), "hevc");
    assert.equal(framesOf(original.file), frames);
    assert.deepEqual(filesUnder(path.join(cache, "hevc")), [`${key}-h264.mp4`, `${key}.mp4`]);
    assert.equal((await requireEventVideo(t.db, t.dataDir, "ffmpeg", ADMIN, "hevc", "h264")).made, false, "served from the cache");
    // The same access as the clips; an H.264 event has no copies to join.
    await eventOf("hevc-elsewhere", hevcParts, "cam2", "hevc");
    assert.equal(await errorCode(requireEventVideo(t.db, t.dataDir, "ffmpeg", VIEWER, "hevc-elsewhere", "h264")), "forbidden");
    await eventOf("plain", parts.slice(0, 2));
    assert.equal((await getEventPlayback(t.db, t.dataDir, VIEWER, "plain")).copiesReady, false);
    assert.equal(await errorCode(requireEventVideo(t.db, t.dataDir, "ffmpeg", VIEWER, "plain", "h264")), "copies_not_ready");
    // Removed with the event: clips, copies and both joins.
    const media = (await t.db.clip.findMany({ where: { eventId: "hevc" } })).flatMap((c) => [c.path, c.path.replace(/\.mp4$/, "-h264.mp4")]).map((p) => path.join(mediaDir(t.dataDir), p));
    assert.ok(media.every((f) => fs.existsSync(f)), "the clips and their copies");
    await deleteEvents(t.db, t.dataDir, ["hevc"], "event_delete");
    assert.equal(fs.existsSync(path.join(cache, "hevc")), false);
    assert.deepEqual(media.filter((f) => fs.existsSync(f)), []);
  });

  test("removed with the event, with its camera, and by a factory reset; nothing left pending", async () => {
    await eventOf("doomed", parts.slice(0, 2));
    await requireEventVideo(t.db, t.dataDir, "ffmpeg", ADMIN, "doomed");
    assert.equal(filesUnder(path.join(cache, "doomed")).length, 1);
    const r = await deleteEvents(t.db, t.dataDir, ["doomed"], "event_delete");
    assert.equal(r.events, 1);
    assert.equal(fs.existsSync(path.join(cache, "doomed")), false);
    assert.equal(await t.db.pendingFileDeletion.count(), 0);

    await t.db.camera.create({ data: { id: "cam3", name: "Camera 3", mainStreamUrl: "rtsp://192.0.2.1/cam3" } });
    await eventOf("oncam3", parts.slice(0, 2), "cam3");
    await requireEventVideo(t.db, t.dataDir, "ffmpeg", ADMIN, "oncam3");
    assert.equal((await deleteCameraWithRecordings(t.db, t.dataDir, "cam3", true)).found, true);
    assert.equal(fs.existsSync(path.join(cache, "oncam3")), false);
    assert.equal(await t.db.pendingFileDeletion.count(), 0);

    await eventOf("reset", parts.slice(0, 2));
    await requireEventVideo(t.db, t.dataDir, "ffmpeg", ADMIN, "reset");
    wipeDataFolders(t.dataDir);
    assert.deepEqual(filesUnder(cache), []);
  });

  test("a join that is killed leaves nothing; a killed process's temporary file is pruned and never served", async () => {
    await eventOf("killed", parts.slice(0, 2));
    // An "ffmpeg" that writes half a file and is then killed (SIGKILL, as an out-of-memory kill would).
    const fake = path.join(work, "ffmpeg-killed.sh");
    fs.writeFileSync(fake, '#!/bin/sh\nfor last; do :; done\nhead -c 4096 /dev/urandom > "$last"\nkill -9 $$\n', { mode: 0o755 });
    assert.match(String(await requireEventVideo(t.db, t.dataDir, fake, ADMIN, "killed").catch((e: Error) => e.message)), /ffmpeg exited/);
    assert.deepEqual(filesUnder(path.join(cache, "killed")), [], "no half file, no temporary file, no list");

    // The whole process killed mid-join: its temporary file stays behind under the name of a process that is gone.
    const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"]);
    const deadPid = child.pid!;
    await new Promise<void>((resolve) => {
      child.on("exit", () => resolve());
      child.kill("SIGKILL");
    });
    const key = clipSetKey(await t.db.clip.findMany({ where: { eventId: "killed" }, orderBy: { sequence: "asc" } }));
    fs.mkdirSync(path.join(cache, "killed"), { recursive: true });
    const leftover = path.join(cache, "killed", `${key}.mp4.tmp-${deadPid}-abc123`);
    fs.writeFileSync(leftover, "half a join");
    const played = await requireEventVideo(t.db, t.dataDir, "ffmpeg", ADMIN, "killed");
    assert.equal(played.made, true, "the temporary file is not taken for the video");
    assert.ok(Math.abs(probeSeconds(played.file) - sumOf(parts.slice(0, 2))) < 0.05);
    assert.deepEqual(filesUnder(path.join(cache, "killed")), [`${key}.mp4`], "the dead process's temporary file is pruned");
  });

  test("an event's folder keeps both joins of its newest clip set; both of an older set go", async () => {
    await eventOf("keys", parts.slice(0, 2));
    await eventOf("keys2", parts.slice(0, 2));
    const now = Date.now();
    const at = (event: string, name: string, minutesAgo: number) => {
      fs.mkdirSync(path.join(cache, event), { recursive: true });
      fs.writeFileSync(path.join(cache, event, name), name);
      fs.utimesSync(path.join(cache, event, name), new Date(now - minutesAgo * 60_000), new Date(now - minutesAgo * 60_000));
    };
    // The old clip set's two joins; the new set's copies joined before (older than) its clips' own join (newest).
    at("keys", "aaaa.mp4", 30);
    at("keys", "aaaa-h264.mp4", 20);
    at("keys", "bbbb-h264.mp4", 10);
    at("keys", "bbbb.mp4", 5);
    // The copies' join of an old set is not kept for being the newest of its kind: it can never be served again.
    at("keys2", "cccc-h264.mp4", 20);
    at("keys2", "dddd.mp4", 5);
    const r = await pruneEventCache(t.db, t.dataDir, { now });
    assert.equal(r.files, 3);
    assert.deepEqual(filesUnder(path.join(cache, "keys")), ["bbbb-h264.mp4", "bbbb.mp4"]);
    assert.deepEqual(filesUnder(path.join(cache, "keys2")), ["dddd.mp4"]);
  });

  test("pruned by age, by size (oldest first) and when the event is gone; files of live joins stay", async () => {
    wipeDataFolders(t.dataDir);
    await eventOf("p-old", parts.slice(0, 2));
    await eventOf("p-mid", parts.slice(0, 2));
    await eventOf("p-new", parts.slice(0, 2));
    const now = Date.now();
    const files: Record<string, string> = {};
    for (const id of ["p-old", "p-mid", "p-new"]) files[id] = (await requireEventVideo(t.db, t.dataDir, "ffmpeg", ADMIN, id)).file;
    const hours = (h: number) => new Date(now - h * 3600_000);
    fs.utimesSync(files["p-old"], hours(30), hours(30));
    fs.utimesSync(files["p-mid"], hours(2), hours(2));
    fs.utimesSync(files["p-new"], hours(1), hours(1));
    // A live join of this process (its temporary file is young) and a folder of an event that no longer exists.
    const live = path.join(cache, "p-new", `x.mp4.tmp-${process.pid}-live01`);
    fs.writeFileSync(live, "being written");
    fs.mkdirSync(path.join(cache, "gone-event"));
    fs.writeFileSync(path.join(cache, "gone-event", "k.mp4"), "orphan");
    const size = fs.statSync(files["p-new"]).size;

    const r1 = await pruneEventCache(t.db, t.dataDir, { now });
    assert.equal(r1.files, 2, "the 30 h old file and the orphan");
    assert.equal(fs.existsSync(files["p-old"]), false);
    assert.equal(fs.existsSync(path.join(cache, "gone-event")), false);
    assert.equal(fs.existsSync(files["p-mid"]), true);

    // Room for one joined file (and the temporary one): the older of the two goes.
    const r2 = await pruneEventCache(t.db, t.dataDir, { now, maxBytes: size + 100 });
    assert.equal(r2.files, 1);
    assert.equal(fs.existsSync(files["p-mid"]), false);
    assert.equal(fs.existsSync(files["p-new"]), true);
    assert.equal(fs.existsSync(live), true, "a live join's temporary file stays");
    assert.equal(await t.db.pendingFileDeletion.count(), 0);
  });
});
