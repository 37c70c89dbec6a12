// The H.264 copy of an H.265 clip, with a real H.265 + AAC clip made by ffmpeg in a temp data folder and a real SQLite
// file: made once (real libx264), cached and served again without a second transcode, refused to a member who may not
// see the camera, never made for an H.264 clip, deleted with its clip through lib/deletion (also when it was finished
// while the clip was being deleted, and when the clip's file went missing); the queue runs one transcode at a time,
// reports positions, refuses when full, and a failed transcode leaves no temporary file and can be retried.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, beforeEach, describe, test } from "node:test";
import { mediaDir } from "../data-dir";
import { deleteEvents } from "../deletion/recordings";
import { createTestDb, type TestDb } from "../testing/db";
import { errorCode } from "../testing/errors";
import { requireClipFile } from "./media";
import { getClipPlayback, MAX_WAITING_COPIES, PlayableCopyQueue, requestPlayableCopy, requirePlayableCopyFile, type CopyState } from "./playable-copy";
import { ADMIN, MEMBER, seedHousehold, VIEWER } from "./testing";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A 3 s 640×360 H.265 (hvc1, as the recorder stores it) clip with AAC sound, made once. */
let sourceClip = "";
let tmp = "";

function probe(file: string): string[] {
  const r = spawnSync("ffprobe", ["-v", "error", "-show_entries", "stream=codec_name", "-of", "csv=p=0", file], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim().split("\n");
}

async function waitForState(read: () => Promise<CopyState>, wanted: CopyState["state"], timeoutMs = 60_000): Promise<CopyState> {
  const started = Date.now();
  for (;;) {
    const s = await read();
    if (s.state === wanted) return s;
    if (Date.now() - started > timeoutMs) throw new Error(`copy state stayed ${s.state}, wanted ${wanted}`);
    await sleep(50);
  }
}

before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "nightjar-copy-src-"));
  sourceClip = path.join(tmp, "hevc.mp4");
  const made = spawnSync(
    "ffmpeg",
    ["-hide_banner", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=16000", "-t", "3", "-map", "0:v", "-map", "1:a", "-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=error", "-tag:v", "hvc1", "-c:a", "aac", "-movflags", "+faststart", sourceClip],
    { encoding: "utf8" },
  );
  assert.equal(made.status, 0, made.stderr);
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("H.264 copies of H.265 clips", { timeout: 180_000 }, () => {
  let t: TestDb;
  let queue: PlayableCopyQueue;

  before(async () => {
    t = await createTestDb();
    await seedHousehold(t);
  });
  after(() => t.cleanup());
  beforeEach(async () => {
    await t.db.event.deleteMany({});
    fs.rmSync(mediaDir(t.dataDir), { recursive: true, force: true }); // each test looks at its own files only
    queue = new PlayableCopyQueue({ ffmpegPath: "ffmpeg" });
  });

  /** An event on `cameraId` with one clip: the real H.265 clip (or a few bytes for an H.264 one). */
  async function clipEvent(id: string, cameraId: string, videoCodec: "hevc" | "h264" = "hevc") {
    const rel = `${cameraId}/2026/06/01/120000-${id}-1.mp4`;
    const file = path.join(mediaDir(t.dataDir), rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    if (videoCodec === "hevc") fs.copyFileSync(sourceClip, file);
    else fs.writeFileSync(file, "h264-clip");
    const startedAt = new Date(Date.UTC(2026, 5, 1, 12));
    await t.db.event.create({ data: { id, cameraId, cameraName: cameraId, startedAt, endedAt: new Date(startedAt.getTime() + 3_000) } });
    await t.db.clip.create({ data: { id: `${id}-c1`, eventId: id, sequence: 1, path: rel, bytes: fs.statSync(file).size, startedAt, durationMs: 3_000, videoCodec, audioCodec: videoCodec === "hevc" ? "aac" : null } });
    return { file, copy: file.replace(/\.mp4$/, "-h264.mp4") };
  }

  test("made once with real ffmpeg, cached, and served again without a second transcode", async () => {
    const { file, copy } = await clipEvent("e1", "cam1");
    const playback = await getClipPlayback(t.db, t.dataDir, MEMBER, "e1", "1", queue);
    assert.equal(playback.videoCodec, "hevc");
    assert.equal(playback.audioCodec, "aac");
    assert.match(playback.mimeType ?? "", /^video\/mp4; codecs="hvc1\.1\.6\.L\d+\.90,mp4a\.40\.2"$/);
    assert.deepEqual(playback.copy, { state: "none" });
    assert.equal(await errorCode(requirePlayableCopyFile(t.db, t.dataDir, MEMBER, "e1", "1")), "not_found", "no copy yet");

    // Two viewers ask at once: one transcode.
    const [a, b] = await Promise.all([requestPlayableCopy(t.db, t.dataDir, MEMBER, "e1", "1", queue), requestPlayableCopy(t.db, t.dataDir, ADMIN, "e1", "1", queue)]);
    assert.ok(["queued", "preparing"].includes(a.state) && ["queued", "preparing"].includes(b.state), `${a.state} ${b.state}`);
    const ready = await waitForState(async () => (await getClipPlayback(t.db, t.dataDir, MEMBER, "e1", "1", queue)).copy, "ready");
    assert.equal(queue.transcodes, 1);
    assert.ok(fs.existsSync(copy), "the copy sits beside the clip as <clip>-h264.mp4");
    assert.deepEqual(probe(copy), ["h264", "aac"]);
    assert.equal(ready.state === "ready" && ready.bytes, fs.statSync(copy).size);
    assert.deepEqual(fs.readdirSync(path.dirname(file)).sort(), [path.basename(file), path.basename(copy)].sort(), "no temporary file left");

    // Asked for again: served from the file, no transcode.
    assert.deepEqual(await requestPlayableCopy(t.db, t.dataDir, VIEWER, "e1", "1", queue, 5_000), ready);
    assert.equal((await requirePlayableCopyFile(t.db, t.dataDir, VIEWER, "e1", "1")).file, copy);
    assert.equal(queue.transcodes, 1);
    // A new process (a new queue) finds it too.
    const fresh = new PlayableCopyQueue({ ffmpegPath: "ffmpeg" });
    assert.deepEqual((await getClipPlayback(t.db, t.dataDir, MEMBER, "e1", "1", fresh)).copy, ready);
    assert.equal(fresh.transcodes, 0);
    // The download stays the original clip.
    assert.equal((await requireClipFile(t.db, t.dataDir, MEMBER, "e1", "1")).file, file);

    // Deleting the clip (its event, through lib/deletion) deletes the copy.
    const deleted = await deleteEvents(t.db, t.dataDir, ["e1"], "event_delete");
    assert.equal(deleted.files, 2, "clip and copy");
    assert.equal(deleted.missingFiles, 0);
    assert.ok(!fs.existsSync(file) && !fs.existsSync(copy));
    assert.equal(await t.db.pendingFileDeletion.count(), 0);
  });

  test("a member who may not see the camera is refused everything; unknown clips are not found", async () => {
    await clipEvent("foreign", "cam2");
    for (const call of [
      getClipPlayback(t.db, t.dataDir, MEMBER, "foreign", "1", queue),
      requestPlayableCopy(t.db, t.dataDir, MEMBER, "foreign", "1", queue),
      requirePlayableCopyFile(t.db, t.dataDir, MEMBER, "foreign", "1"),
    ])
      assert.equal(await errorCode(call), "forbidden");
    assert.equal(await errorCode(requestPlayableCopy(t.db, t.dataDir, MEMBER, "nope", "1", queue)), "not_found");
    assert.equal(await errorCode(requestPlayableCopy(t.db, t.dataDir, ADMIN, "foreign", "2", queue)), "not_found");
    assert.equal(queue.transcodes, 0);
  });

  test("an H.264 clip needs no copy: none is made", async () => {
    const { copy } = await clipEvent("plain", "cam1", "h264");
    assert.deepEqual(await requestPlayableCopy(t.db, t.dataDir, MEMBER, "plain", "1", queue), { state: "not_needed" });
    assert.deepEqual((await getClipPlayback(t.db, t.dataDir, MEMBER, "plain", "1", queue)).copy, { state: "not_needed" });
    assert.equal(await errorCode(requirePlayableCopyFile(t.db, t.dataDir, MEMBER, "plain", "1")), "not_found");
    assert.equal(queue.transcodes, 0);
    assert.ok(!fs.existsSync(copy));
    // Deleting it lists no copy to unlink (nothing missing is reported).
    const deleted = await deleteEvents(t.db, t.dataDir, ["plain"], "event_delete");
    assert.deepEqual([deleted.files, deleted.missingFiles], [1, 0]);
  });

  test("deleted while its copy was being made: the finished copy is removed too", async () => {
    let release!: () => void;
    let started!: () => void;
    const isStarted = new Promise<void>((r) => (started = r));
    const gate = new Promise<void>((r) => (release = r));
    const slow = new PlayableCopyQueue({
      ffmpegPath: "ffmpeg",
      transcode: async ({ tempFile }) => {
        started();
        await gate;
        fs.writeFileSync(tempFile, "copy");
      },
    });
    const { copy } = await clipEvent("racing", "cam1");
    await requestPlayableCopy(t.db, t.dataDir, MEMBER, "racing", "1", slow);
    await isStarted;
    await deleteEvents(t.db, t.dataDir, ["racing"], "event_delete");
    release();
    await waitForState(async () => slow.state(copy, 3_000), "none");
    assert.ok(!fs.existsSync(copy));
    assert.deepEqual(fs.readdirSync(path.dirname(copy)), [], "nothing left beside the deleted clip");
    assert.equal(await t.db.pendingFileDeletion.count(), 0);
  });

  test("deleted while it waited in the queue: never made", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let runs = 0;
    const q = new PlayableCopyQueue({
      ffmpegPath: "ffmpeg",
      transcode: async ({ tempFile }) => {
        runs++;
        await gate;
        fs.writeFileSync(tempFile, "copy");
      },
    });
    await clipEvent("first", "cam1");
    const { copy } = await clipEvent("second", "cam1");
    await requestPlayableCopy(t.db, t.dataDir, MEMBER, "first", "1", q);
    assert.deepEqual(await requestPlayableCopy(t.db, t.dataDir, MEMBER, "second", "1", q), { state: "queued", position: 1 });
    await deleteEvents(t.db, t.dataDir, ["second"], "event_delete");
    release();
    await waitForState(async () => q.state(copy, 3_000), "none");
    assert.equal(runs, 1);
    assert.ok(!fs.existsSync(copy));
  });

  test("a clip whose file went missing: its row and its copy go (lib/events/media.ts through lib/deletion)", async () => {
    const { file, copy } = await clipEvent("gone", "cam1");
    fs.writeFileSync(copy, "an earlier copy");
    fs.rmSync(file);
    await t.db.event.update({ where: { id: "gone" }, data: { endedAt: null } }); // still recording: only the clip row goes
    assert.equal(await errorCode(requireClipFile(t.db, t.dataDir, MEMBER, "gone", "1")), "not_found");
    assert.equal(await t.db.clip.count({ where: { eventId: "gone" } }), 0);
    assert.ok(!fs.existsSync(copy));
  });

  test("one transcode at a time, in order, with positions; a full queue refuses more", async () => {
    let running = 0;
    let most = 0;
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const q = new PlayableCopyQueue({
      ffmpegPath: "ffmpeg",
      transcode: async ({ clipFile, tempFile, onProgress }) => {
        running++;
        most = Math.max(most, running);
        order.push(path.basename(clipFile));
        onProgress(1_500);
        await gate;
        fs.writeFileSync(tempFile, "copy");
        running--;
      },
    });
    const ids = ["q1", "q2", "q3"];
    const copies: string[] = [];
    for (const id of ids) copies.push((await clipEvent(id, "cam1")).copy);
    const states = [];
    for (const id of ids) states.push(await requestPlayableCopy(t.db, t.dataDir, MEMBER, id, "1", q));
    await waitForState(async () => q.state(copies[0], 3_000), "preparing");
    assert.deepEqual(q.state(copies[0], 3_000), { state: "preparing", progress: 0.5 });
    assert.deepEqual([q.state(copies[1], 3_000), q.state(copies[2], 3_000)], [
      { state: "queued", position: 1 },
      { state: "queued", position: 2 },
    ]);
    release();
    for (const c of copies) await waitForState(async () => q.state(c, 3_000), "ready");
    assert.equal(most, 1);
    assert.deepEqual(order, ids.map((id) => `120000-${id}-1.mp4`));
    assert.ok(states.every((s) => s.state === "queued" || s.state === "preparing"));

    // MAX_WAITING_COPIES waiting behind one that runs: the next is refused.
    let hold!: () => void;
    const held = new Promise<void>((r) => (hold = r));
    const busy = new PlayableCopyQueue({ ffmpegPath: "ffmpeg", transcode: () => held });
    for (let i = 0; i <= MAX_WAITING_COPIES; i++) await clipEvent(`b${i}`, "cam1");
    for (let i = 0; i <= MAX_WAITING_COPIES; i++) await requestPlayableCopy(t.db, t.dataDir, MEMBER, `b${i}`, "1", busy);
    await clipEvent("one-too-many", "cam1");
    assert.equal(await errorCode(requestPlayableCopy(t.db, t.dataDir, MEMBER, "one-too-many", "1", busy)), "copy_queue_full");
    hold();
  });

  test("a failed transcode leaves no temporary file, reports failed, and a new request tries again", async () => {
    let fail = true;
    const q = new PlayableCopyQueue({
      ffmpegPath: "ffmpeg",
      transcode: async ({ tempFile }) => {
        fs.writeFileSync(tempFile, "half a copy");
        if (fail) throw new Error("ffmpeg exited 1: broken");
        fs.writeFileSync(tempFile, "copy");
      },
    });
    const { file, copy } = await clipEvent("flaky", "cam1");
    await requestPlayableCopy(t.db, t.dataDir, MEMBER, "flaky", "1", q);
    await waitForState(async () => (await getClipPlayback(t.db, t.dataDir, MEMBER, "flaky", "1", q)).copy, "failed");
    assert.deepEqual(fs.readdirSync(path.dirname(file)), [path.basename(file)]);
    fail = false;
    await requestPlayableCopy(t.db, t.dataDir, MEMBER, "flaky", "1", q);
    await waitForState(async () => q.state(copy, 3_000), "ready");
    assert.equal(fs.readFileSync(copy, "utf8"), "copy");
  });
});
