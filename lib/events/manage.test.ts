import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { deleteEvents } from "../deletion/recordings";
import { createTestDb, type TestDb } from "../testing/db";
import { errorCode } from "../testing/errors";
import { countCameraEventsInRange, deleteCameraEventsInRange, deleteEvent, deleteEventsBulk, MAX_BULK_IDS, setEventProtected } from "./manage";
import { ADMIN, createEventWithFiles, existing, MEMBER, seedHousehold, VIEWER } from "./testing";

const T0 = Date.UTC(2026, 5, 1, 12);
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

describe("managing events", () => {
  let t: TestDb;
  before(async () => {
    t = await createTestDb();
    await seedHousehold(t);
  });
  after(() => t.cleanup());
  beforeEach(async () => {
    await t.db.event.deleteMany({});
    await t.db.pendingFileDeletion.deleteMany({});
  });

  const eventExists = async (id: string) => (await t.db.event.count({ where: { id } })) === 1;

  test("protect and unprotect: per-camera access, unknown ids", async () => {
    await createEventWithFiles(t, "e1", "cam1");
    await createEventWithFiles(t, "e2", "cam2");
    assert.deepEqual(await setEventProtected(t.db, MEMBER, "e1", true), { id: "e1", cameraId: "cam1", isProtected: true });
    assert.equal((await t.db.event.findUniqueOrThrow({ where: { id: "e1" } })).isProtected, true);
    await setEventProtected(t.db, MEMBER, "e1", false);
    assert.equal((await t.db.event.findUniqueOrThrow({ where: { id: "e1" } })).isProtected, false);
    assert.equal(await errorCode(setEventProtected(t.db, MEMBER, "e2", true)), "forbidden");
    assert.equal((await t.db.event.findUniqueOrThrow({ where: { id: "e2" } })).isProtected, false);
    assert.equal(await errorCode(setEventProtected(t.db, ADMIN, "e2", true)), "ok");
    assert.equal(await errorCode(setEventProtected(t.db, ADMIN, "nope", true)), "not_found");
  });

  test("delete one: rows and files go; protected is refused; foreign is forbidden; twice is not_found", async () => {
    const e1 = await createEventWithFiles(t, "e1", "cam1", { clips: 2 });
    const e2 = await createEventWithFiles(t, "e2", "cam1", { isProtected: true });
    const e3 = await createEventWithFiles(t, "e3", "cam2");
    assert.equal(existing(e1.files).length, 4);
    assert.deepEqual(await deleteEvent(t.db, t.dataDir, MEMBER, "e1"), { id: "e1", cameraId: "cam1" });
    assert.equal(await eventExists("e1"), false);
    assert.equal(await t.db.clip.count({ where: { eventId: "e1" } }), 0);
    assert.deepEqual(existing(e1.files), []);
    assert.equal(await t.db.pendingFileDeletion.count(), 0);
    assert.equal(await errorCode(deleteEvent(t.db, t.dataDir, MEMBER, "e1")), "not_found");

    assert.equal(await errorCode(deleteEvent(t.db, t.dataDir, ADMIN, "e2")), "event_protected");
    assert.equal(await eventExists("e2"), true);
    assert.equal(existing(e2.files).length, 3);

    assert.equal(await errorCode(deleteEvent(t.db, t.dataDir, MEMBER, "e3")), "forbidden");
    assert.equal(existing(e3.files).length, 3);
  });

  test("a delete racing the retention job: one of them deletes, the other gets a clear answer, nothing is left behind", async () => {
    for (let round = 0; round < 5; round++) {
      const id = `race${round}`;
      const e = await createEventWithFiles(t, id, "cam1", { clips: 3 });
      const [mine, retention] = await Promise.allSettled([deleteEvent(t.db, t.dataDir, MEMBER, id), deleteEvents(t.db, t.dataDir, [id], "retention")]);
      assert.equal(retention.status, "fulfilled");
      const deletedByRetention = retention.status === "fulfilled" ? retention.value.events : 0;
      if (mine.status === "rejected") assert.equal((mine.reason as { code?: string }).code, "not_found");
      // Exactly one of them deleted the row.
      assert.equal((mine.status === "fulfilled" ? 1 : 0) + deletedByRetention, 1, `round ${round}`);
      assert.equal(await eventExists(id), false);
      assert.deepEqual(existing(e.files), []);
      assert.equal(await t.db.pendingFileDeletion.count(), 0);
    }
  });

  test("bulk delete: mixed ids are deleted, skipped as protected, or reported missing", async () => {
    const files = [];
    for (const id of ["b1", "b2", "b3"]) files.push(...(await createEventWithFiles(t, id, "cam1")).files);
    const prot = await createEventWithFiles(t, "bp", "cam1", { isProtected: true });
    const result = await deleteEventsBulk(t.db, t.dataDir, MEMBER, ["b1", "b2", "bp", "gone", "b3", "b1"]);
    assert.deepEqual(result, { deleted: 3, protected: ["bp"], missing: ["gone"] });
    assert.deepEqual(existing(files), []);
    assert.equal(existing(prot.files).length, 3);
    assert.equal(await eventExists("bp"), true);
    // Nothing to delete is not an error either.
    assert.deepEqual(await deleteEventsBulk(t.db, t.dataDir, MEMBER, ["gone", "bp"]), { deleted: 0, protected: ["bp"], missing: ["gone"] });
  });

  test("bulk delete: one event of a camera I may not see refuses the whole request", async () => {
    const mine = await createEventWithFiles(t, "m1", "cam1");
    await createEventWithFiles(t, "f1", "cam2");
    assert.equal(await errorCode(deleteEventsBulk(t.db, t.dataDir, MEMBER, ["m1", "f1"])), "forbidden");
    assert.equal(await eventExists("m1"), true);
    assert.equal(existing(mine.files).length, 3);
    assert.equal(await eventExists("f1"), true);
    // Events of a deleted camera are admins' only.
    await t.db.event.create({ data: { id: "orphan", cameraId: null, cameraName: "Shed", startedAt: at(0) } });
    assert.equal(await errorCode(deleteEventsBulk(t.db, t.dataDir, MEMBER, ["orphan"])), "forbidden");
    assert.deepEqual(await deleteEventsBulk(t.db, t.dataDir, ADMIN, ["orphan", "f1"]), { deleted: 2, protected: [], missing: [] });
    const tooMany = Array.from({ length: MAX_BULK_IDS + 1 }, (_, i) => `x${i}`);
    assert.equal(await errorCode(deleteEventsBulk(t.db, t.dataDir, ADMIN, tooMany)), "validation");
  });

  test("time-range delete: one camera, [from, to), protected kept unless asked, in batches", async () => {
    const inRange = [];
    for (let i = 0; i < 5; i++) inRange.push(await createEventWithFiles(t, `r${i}`, "cam1", { startedAt: at(i * 10) }));
    const prot = await createEventWithFiles(t, "rp", "cam1", { startedAt: at(15), isProtected: true });
    const atEnd = await createEventWithFiles(t, "rend", "cam1", { startedAt: at(50) }); // == to: outside
    const before = await createEventWithFiles(t, "rbefore", "cam1", { startedAt: at(-1) });
    const other = await createEventWithFiles(t, "rother", "cam2", { startedAt: at(10) });

    // What the confirmation says before anything goes: the same range, the same camera, [from, to).
    assert.deepEqual(await countCameraEventsInRange(t.db, ADMIN, "cam1", { from: at(0), to: at(50) }), { events: 6, protected: 1 });
    assert.equal(await errorCode(countCameraEventsInRange(t.db, ADMIN, "cam1", { from: at(50), to: at(0) })), "invalid_date_range");
    assert.equal(await errorCode(countCameraEventsInRange(t.db, MEMBER, "cam2", { from: at(0), to: at(50) })), "forbidden");
    assert.equal(await errorCode(countCameraEventsInRange(t.db, ADMIN, "nope", { from: at(0), to: at(50) })), "not_found");
    assert.deepEqual(await deleteCameraEventsInRange(t.db, t.dataDir, ADMIN, "cam1", { from: at(0), to: at(50) }), { count: 5, skippedProtected: 1 });
    assert.deepEqual(await countCameraEventsInRange(t.db, ADMIN, "cam1", { from: at(0), to: at(50) }), { events: 1, protected: 1 });
    assert.deepEqual(existing(inRange.flatMap((e) => e.files)), []);
    for (const e of [prot, atEnd, before, other]) assert.equal(existing(e.files).length, 3, e.id);
    assert.deepEqual(await deleteCameraEventsInRange(t.db, t.dataDir, ADMIN, "cam1", { from: at(0), to: at(50), includeProtected: true }), { count: 1, skippedProtected: 0 });
    assert.equal(await eventExists("rp"), false);

    assert.equal(await errorCode(deleteCameraEventsInRange(t.db, t.dataDir, ADMIN, "cam1", { from: at(50), to: at(0) })), "invalid_date_range");
    assert.equal(await errorCode(deleteCameraEventsInRange(t.db, t.dataDir, ADMIN, "cam1", { from: new Date("x"), to: at(0) })), "validation");
    assert.equal(await errorCode(deleteCameraEventsInRange(t.db, t.dataDir, ADMIN, "nope", { from: at(0), to: at(50) })), "not_found");
    assert.equal(await errorCode(deleteCameraEventsInRange(t.db, t.dataDir, MEMBER, "cam2", { from: at(0), to: at(50) })), "forbidden");

    // More rows than one batch (DELETE_BATCH = 500), without files.
    await t.db.event.createMany({ data: Array.from({ length: 1203 }, (_, i) => ({ id: `bulk${i}`, cameraId: "cam2", cameraName: "Camera 2", startedAt: at(100 + i / 100) })) });
    assert.deepEqual(await deleteCameraEventsInRange(t.db, t.dataDir, ADMIN, "cam2", { from: at(100), to: at(200) }), { count: 1203, skippedProtected: 0 });
    assert.equal(await t.db.event.count({ where: { cameraId: "cam2" } }), 1); // rother
  });

  test("viewers: the lib leaves role checks to the route, but per-camera access still applies", async () => {
    await createEventWithFiles(t, "v2", "cam2");
    assert.equal(await errorCode(deleteEvent(t.db, t.dataDir, VIEWER, "v2")), "forbidden");
    assert.equal(await errorCode(setEventProtected(t.db, VIEWER, "v2", true)), "forbidden");
  });
});
