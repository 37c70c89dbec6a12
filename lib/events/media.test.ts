import assert from "node:assert/strict";
import fs from "node:fs";
import { after, before, beforeEach, describe, test } from "node:test";
import { createTestDb, type TestDb } from "../testing/db";
import { errorCode } from "../testing/errors";
import { requireClipFile, requirePhotoFile } from "./media";
import { ADMIN, createEventWithFiles, existing, MEMBER, seedHousehold } from "./testing";

describe("event media files, and files already missing on disk", () => {
  let t: TestDb;
  before(async () => {
    t = await createTestDb();
    await seedHousehold(t);
  });
  after(() => t.cleanup());
  beforeEach(async () => {
    await t.db.event.deleteMany({});
  });

  test("present files are served after the access check", async () => {
    const e = await createEventWithFiles(t, "ok", "cam1", { clips: 2 });
    const clip = await requireClipFile(t.db, t.dataDir, MEMBER, "ok", "2");
    assert.equal(fs.readFileSync(clip.file, "utf8"), "clip-2");
    assert.equal(clip.clip.sequence, 2);
    assert.equal(fs.readFileSync((await requirePhotoFile(t.db, t.dataDir, MEMBER, "ok", "thumb")).file, "utf8"), "thumb");
    assert.equal(fs.readFileSync((await requirePhotoFile(t.db, t.dataDir, MEMBER, "ok", "full")).file, "utf8"), "photo");
    assert.equal(await errorCode(requireClipFile(t.db, t.dataDir, MEMBER, "ok", "3")), "not_found");
    assert.equal(await errorCode(requireClipFile(t.db, t.dataDir, MEMBER, "ok", "../1")), "not_found");
    assert.equal(await errorCode(requireClipFile(t.db, t.dataDir, MEMBER, "nope", "1")), "not_found");
    await createEventWithFiles(t, "foreign", "cam2");
    assert.equal(await errorCode(requireClipFile(t.db, t.dataDir, MEMBER, "foreign", "1")), "forbidden");
    assert.equal(await errorCode(requirePhotoFile(t.db, t.dataDir, MEMBER, "foreign", "thumb")), "forbidden");
    assert.equal(existing(e.files).length, 4);
  });

  test("a missing clip file: 404, its row removed, the playable clips kept", async () => {
    const e = await createEventWithFiles(t, "half", "cam1", { clips: 3 });
    fs.rmSync(e.files[1]); // clip 2
    assert.equal(await errorCode(requireClipFile(t.db, t.dataDir, MEMBER, "half", "2")), "not_found");
    assert.deepEqual((await t.db.clip.findMany({ where: { eventId: "half" }, orderBy: { sequence: "asc" } })).map((c) => c.sequence), [1, 3]);
    assert.equal(await t.db.photo.count({ where: { eventId: "half" } }), 1);
    assert.equal(await errorCode(requireClipFile(t.db, t.dataDir, MEMBER, "half", "3")), "ok");
    // Asking again is a plain 404 (nothing left to clean).
    assert.equal(await errorCode(requireClipFile(t.db, t.dataDir, MEMBER, "half", "2")), "not_found");
  });

  test("every clip file missing from a finished event: the whole event goes, its photo files too", async () => {
    const e = await createEventWithFiles(t, "empty", "cam1", { clips: 2 });
    fs.rmSync(e.files[0]);
    fs.rmSync(e.files[1]);
    assert.equal(await errorCode(requireClipFile(t.db, t.dataDir, MEMBER, "empty", "1")), "not_found");
    assert.equal(await t.db.event.count({ where: { id: "empty" } }), 0);
    assert.deepEqual(existing(e.files), []);
    assert.equal(await t.db.pendingFileDeletion.count(), 0);
    assert.equal(await errorCode(requireClipFile(t.db, t.dataDir, MEMBER, "empty", "1")), "not_found");
  });

  test("an event still being recorded keeps its row when its only clip file is missing", async () => {
    const e = await createEventWithFiles(t, "live", "cam1", { clips: 1, isRecording: true });
    fs.rmSync(e.files[0]);
    assert.equal(await errorCode(requireClipFile(t.db, t.dataDir, ADMIN, "live", "1")), "not_found");
    assert.equal(await t.db.event.count({ where: { id: "live" } }), 1);
    assert.equal(await t.db.clip.count({ where: { eventId: "live" } }), 0);
  });

  test("a missing photo or thumbnail: 404, the photo row removed and the other file deleted; the event stays", async () => {
    for (const [id, missing, asked] of [
      ["p1", "thumb", "thumb"],
      ["p2", "photo", "full"],
      ["p3", "photo", "thumb"], // the thumbnail is there: served, nothing cleaned
    ] as const) {
      const e = await createEventWithFiles(t, id, "cam1");
      const [photo, thumb] = e.files.slice(-2);
      fs.rmSync(missing === "thumb" ? thumb : photo);
      const expectMissing = (missing === "thumb") === (asked === "thumb");
      assert.equal(await errorCode(requirePhotoFile(t.db, t.dataDir, MEMBER, id, asked)), expectMissing ? "not_found" : "ok", id);
      assert.equal(await t.db.photo.count({ where: { eventId: id } }), expectMissing ? 0 : 1, id);
      assert.deepEqual(existing([photo, thumb]).length, expectMissing ? 0 : 1, id);
      assert.equal(await t.db.event.count({ where: { id } }), 1, id);
      assert.equal(await t.db.clip.count({ where: { eventId: id } }), 1, id);
    }
    assert.equal(await t.db.pendingFileDeletion.count(), 0);
  });
});
