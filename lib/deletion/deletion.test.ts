// Deleting events and their files through the to-do list: rows and files go together, twice is harmless, nothing
// outside DATA_DIR is touched, a file that cannot be unlinked stays pending, protected events can be kept, and the
// delete transaction holds SQLite's write lock from its first statement (so another process's commit cannot make it fail).
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, beforeEach, describe, test } from "node:test";
import Database from "better-sqlite3";
import { mediaPathInDataDir as mediaRelative, resolveInside as resolveInDataDir } from "../data-dir";
import { seedEvents, type SeedEvent } from "../testing/seed-events";
import { createTestDb, type TestDb } from "../testing/db";
import { flushPendingFiles, queueFileDeletions } from "./pending-files";
import { deleteCameraWithRecordings, deleteEvents } from "./recordings";

describe("pending files", () => {
  let t: TestDb;
  const media = () => path.join(t.dataDir, "media");
  const exists = (rel: string) => fs.existsSync(path.join(media(), rel));

  before(async () => {
    t = await createTestDb();
    await t.db.camera.create({ data: { id: "cam", name: "Cam", mainStreamUrl: "rtsp://192.0.2.1/x" } });
  });
  after(() => t.cleanup());
  beforeEach(async () => {
    await t.db.event.deleteMany({});
    await t.db.pendingFileDeletion.deleteMany({});
    fs.rmSync(media(), { recursive: true, force: true });
  });

  const seed = (n: number, o: Partial<SeedEvent> = {}) =>
    seedEvents(
      t.file,
      Array.from({ length: n }, (_, i) => ({ id: `ev${String(i).padStart(4, "0")}`, cameraId: "cam", startedAt: new Date(Date.UTC(2026, 0, 1, 0, i)), endedAt: new Date(Date.UTC(2026, 0, 1, 0, i, 30)), clips: 2, photo: true, ...o })),
      { mediaDir: media(), clipBytes: 1000, photoBytes: 300, thumbBytes: 30 },
    );
  const mediaPaths = async (eventIds: string[]) => {
    const clips = await t.db.clip.findMany({ where: { eventId: { in: eventIds } } });
    const photos = await t.db.photo.findMany({ where: { eventId: { in: eventIds } } });
    return [...clips.map((c) => c.path), ...photos.flatMap((p) => [p.path, p.thumbPath])];
  };

  test("deleteEvents removes the rows and the files of exactly those events, in batches", async () => {
    seed(30);
    const gone = Array.from({ length: 12 }, (_, i) => `ev${String(i * 2).padStart(4, "0")}`);
    const goneFiles = await mediaPaths(gone);
    const keptFiles = await mediaPaths(Array.from({ length: 30 }, (_, i) => `ev${String(i).padStart(4, "0")}`).filter((id) => !gone.includes(id)));
    assert.equal(goneFiles.length, 48);
    assert.ok(goneFiles.every(exists));

    const r = await deleteEvents(t.db, t.dataDir, gone, "event_delete", { batchSize: 5, pauseMs: 0 });
    assert.deepEqual(r, { events: 12, clips: 24, files: 48, missingFiles: 0, failedFiles: 0, bytes: 12 * (2 * 1000 + 300 + 30) });
    assert.equal(await t.db.event.count({ where: { id: { in: gone } } }), 0);
    assert.equal(await t.db.clip.count({ where: { eventId: { in: gone } } }), 0, "clips cascade");
    assert.equal(await t.db.photo.count({ where: { eventId: { in: gone } } }), 0, "photos cascade");
    assert.ok(goneFiles.every((f) => !exists(f)), "their files are gone");
    assert.equal(await t.db.event.count(), 18);
    assert.ok(keptFiles.every(exists), "the others' files stay");
    assert.equal(await t.db.pendingFileDeletion.count(), 0, "nothing left to do");
  });

  test("deleting twice, or twice at the same time, is harmless", async () => {
    seed(10);
    const ids = ["ev0001", "ev0002", "ev0003", "unknown-id"];
    const [a, b] = await Promise.all([deleteEvents(t.db, t.dataDir, ids, "event_delete"), deleteEvents(t.db, t.dataDir, ids, "retention")]);
    assert.equal(a.events + b.events, 3, "each event deleted once");
    assert.equal(a.files + b.files + a.missingFiles + b.missingFiles, 12);
    const again = await deleteEvents(t.db, t.dataDir, ids, "event_delete");
    assert.deepEqual(again, { events: 0, clips: 0, files: 0, missingFiles: 0, failedFiles: 0, bytes: 0 });
    assert.equal(await t.db.event.count(), 7);
    assert.equal(await t.db.pendingFileDeletion.count(), 0);
  });

  test("keepProtected skips events protected by the time they are deleted", async () => {
    seed(3);
    await t.db.event.update({ where: { id: "ev0001" }, data: { isProtected: true } });
    const r = await deleteEvents(t.db, t.dataDir, ["ev0000", "ev0001", "ev0002"], "retention", { keepProtected: true });
    assert.equal(r.events, 2);
    assert.deepEqual((await t.db.event.findMany({ select: { id: true } })).map((e) => e.id), ["ev0001"]);
    assert.ok((await mediaPaths(["ev0001"])).every(exists));
    const plain = await deleteEvents(t.db, t.dataDir, ["ev0001"], "event_delete");
    assert.equal(plain.events, 1, "without the option the caller decides");
  });

  test("a run killed after its transaction is finished by flushPendingFiles", async () => {
    seed(4);
    const files = await mediaPaths(["ev0000", "ev0001"]);
    // The state a kill between commit and unlink leaves: rows gone, files listed as pending.
    await t.db.$transaction(async (tx) => {
      await tx.event.deleteMany({ where: { id: { in: ["ev0000", "ev0001"] } } });
      await queueFileDeletions(tx, [...files, files[0]].map(mediaRelative), "retention");
    });
    assert.equal(await t.db.pendingFileDeletion.count(), files.length, "a path listed twice is listed once");
    fs.rmSync(path.join(media(), files[1])); // one already unlinked before the kill
    assert.deepEqual(await flushPendingFiles(t.db, t.dataDir), { removed: files.length - 1, missing: 1, failed: 0 });
    assert.ok(files.every((f) => !exists(f)));
    assert.equal(await t.db.pendingFileDeletion.count(), 0);
    assert.deepEqual(await flushPendingFiles(t.db, t.dataDir), { removed: 0, missing: 0, failed: 0 }, "idempotent");
  });

  test("paths outside DATA_DIR are never unlinked", async () => {
    const outside = path.join(path.dirname(t.dataDir), `${path.basename(t.dataDir)}-outside.txt`);
    fs.writeFileSync(outside, "not ours");
    try {
      assert.equal(resolveInDataDir(t.dataDir, "../x"), null);
      assert.equal(resolveInDataDir(t.dataDir, "/etc/passwd"), null);
      assert.equal(resolveInDataDir(t.dataDir, "."), null, "not the folder itself");
      assert.equal(resolveInDataDir(t.dataDir, "media/a.mp4"), path.join(t.dataDir, "media/a.mp4"));
      await t.db.pendingFileDeletion.createMany({ data: [{ path: `../${path.basename(outside)}`, reason: "reset" }, { path: outside, reason: "reset" }, { path: "media/../../x", reason: "reset" }] });
      const r = await flushPendingFiles(t.db, t.dataDir);
      assert.deepEqual(r, { removed: 0, missing: 0, failed: 0 });
      assert.equal(fs.readFileSync(outside, "utf8"), "not ours");
      assert.equal(await t.db.pendingFileDeletion.count(), 0, "such entries can never be acted on: dropped (and logged)");
    } finally {
      fs.rmSync(outside, { force: true });
    }
  });

  test("a file that cannot be unlinked (not ENOENT) stays pending until it can", async () => {
    // A directory where a file is expected: unlink fails with EISDIR (chmod tricks do not stop root).
    const stuck = path.join(media(), "cam/stuck.mp4");
    fs.mkdirSync(path.join(stuck, "inside"), { recursive: true });
    fs.writeFileSync(path.join(media(), "cam/fine.mp4"), "x");
    await t.db.pendingFileDeletion.createMany({ data: [{ path: "media/cam/stuck.mp4", reason: "retention" }, { path: "media/cam/fine.mp4", reason: "retention" }] });
    assert.deepEqual(await flushPendingFiles(t.db, t.dataDir), { removed: 1, missing: 0, failed: 1 });
    assert.deepEqual((await t.db.pendingFileDeletion.findMany()).map((p) => p.path), ["media/cam/stuck.mp4"]);
    assert.deepEqual(await flushPendingFiles(t.db, t.dataDir), { removed: 0, missing: 0, failed: 1 }, "tried again, still there, no endless loop");
    fs.rmSync(stuck, { recursive: true });
    fs.writeFileSync(stuck, "now a file");
    assert.deepEqual(await flushPendingFiles(t.db, t.dataDir), { removed: 1, missing: 0, failed: 0 });
    assert.equal(fs.existsSync(stuck), false);
    assert.equal(await t.db.pendingFileDeletion.count(), 0);
  });

  test("a delete transaction holds the write lock from its first statement", async () => {
    seed(1);
    const other = new Database(t.file, { timeout: 0 }); // another process's connection, not waiting
    try {
      // Every $transaction begins IMMEDIATE (lib/db.ts), the one write-lock mechanism: the other writer has to wait (here: fails at once), ours goes through.
      let otherError = "";
      await t.db.$transaction(async (tx) => {
          await tx.event.findMany();
        try {
          other.prepare("INSERT INTO PendingFileDeletion (path, reason, createdAt) VALUES ('media/y', 'reset', '2026-01-01T00:00:00.000+00:00')").run();
        } catch (err) {
          otherError = (err as { code?: string }).code ?? String(err);
        }
        await tx.event.deleteMany({ where: { id: "ev0000" } });
      });
      assert.equal(otherError, "SQLITE_BUSY");
      assert.equal(await t.db.event.count(), 0);
    } finally {
      other.close();
    }
  });
});

describe("object detection's rows go with their event and camera (foreign keys of the real schema)", () => {
  let t: TestDb;
  before(async () => (t = await createTestDb()));
  after(() => t.cleanup());

  const box = { x1: 0.1, y1: 0.1, x2: 0.4, y2: 0.5 };
  /** An event of the camera with two labels and two boxes, one of them marked wrong (with its correction). */
  async function detectedEvent(cameraId: string, id: string) {
    const at = new Date(Date.UTC(2026, 0, 1, 12));
    await t.db.event.create({ data: { id, cameraId, cameraName: cameraId, startedAt: at, endedAt: at, objectCount: 2 } });
    await t.db.eventLabel.createMany({ data: [{ eventId: id, label: "person", score: 0.9, firstAt: at }, { eventId: id, label: "cat", score: 0.6, firstAt: at }] });
    await t.db.detection.createMany({ data: [{ id: `${id}-d1`, eventId: id, at, label: "person", score: 0.9, ...box }, { id: `${id}-d2`, eventId: id, at, label: "cat", score: 0.6, ...box, isWrong: true }] });
    await t.db.detectionCorrection.create({ data: { id: `${id}-k`, cameraId, label: "cat", ...box, detectionId: `${id}-d2` } });
  }
  const rows = async (eventId: string) => [await t.db.eventLabel.count({ where: { eventId } }), await t.db.detection.count({ where: { eventId } })];

  test("deleting an event removes its labels and boxes; its correction stays with the camera and forgets the box", async () => {
    await t.db.camera.create({ data: { id: "cam-a", name: "A", mainStreamUrl: "rtsp://192.0.2.1/a" } });
    await detectedEvent("cam-a", "ev-a1");
    await detectedEvent("cam-a", "ev-a2");
    const r = await deleteEvents(t.db, t.dataDir, ["ev-a1"], "event_delete", { pauseMs: 0 });
    assert.equal(r.events, 1);
    assert.deepEqual(await rows("ev-a1"), [0, 0], "labels and boxes cascade");
    assert.deepEqual(await rows("ev-a2"), [2, 2], "the other event's stay");
    const kept = await t.db.detectionCorrection.findMany({ where: { cameraId: "cam-a" }, orderBy: { id: "asc" }, select: { id: true, detectionId: true } });
    assert.deepEqual(kept, [{ id: "ev-a1-k", detectionId: null }, { id: "ev-a2-k", detectionId: "ev-a2-d2" }]);
  });

  test("deleting a camera with its recordings removes events, labels, boxes and corrections", async () => {
    const r = await deleteCameraWithRecordings(t.db, t.dataDir, "cam-a", true, { pauseMs: 0 });
    assert.equal(r.found, true);
    assert.deepEqual(await rows("ev-a2"), [0, 0]);
    assert.equal(await t.db.detectionCorrection.count({ where: { cameraId: "cam-a" } }), 0);
  });

  test("deleting a camera but keeping its recordings: the events keep their labels and boxes, the corrections go", async () => {
    await t.db.camera.create({ data: { id: "cam-b", name: "B", mainStreamUrl: "rtsp://192.0.2.1/b" } });
    await detectedEvent("cam-b", "ev-b1");
    await deleteCameraWithRecordings(t.db, t.dataDir, "cam-b", false, { pauseMs: 0 });
    assert.equal((await t.db.event.findUniqueOrThrow({ where: { id: "ev-b1" } })).cameraId, null);
    assert.deepEqual(await rows("ev-b1"), [2, 2], "they expire with their event");
    assert.equal(await t.db.detectionCorrection.count(), 0, "a correction is a setting of its camera");
    await deleteEvents(t.db, t.dataDir, ["ev-b1"], "retention", { pauseMs: 0 });
    assert.deepEqual(await rows("ev-b1"), [0, 0]);
    assert.deepEqual([await t.db.eventLabel.count(), await t.db.detection.count()], [0, 0], "nothing left anywhere");
  });
});
