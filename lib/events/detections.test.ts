// Marking a detection wrong and taking it back, against a real SQLite database: who may (the route's permission
// table, the camera rule here), the detection must be the event's, marking is idempotent, the correction carries the
// camera, label and box, and the camera's recorder reads it: updatedAt moves (the pool's signal) and a CameraRecorder's
// reconfigure() — what the pool calls — loads it (no ffmpeg: the recorder is not started). Also the event detail's
// detections.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { can } from "../household/roles";
import { CameraRecorder } from "../recording/camera-recorder";
import { createTestDb, type TestDb } from "../testing/db";
import { errorCode } from "../testing/errors";
import { markDetectionWrong, undoDetectionWrong } from "./detections";
import { getEventDetail, listEvents } from "./events";
import { ADMIN, MEMBER, VIEWER, createEventWithFiles, seedHousehold } from "./testing";

const OTHER = { id: "o", role: "member" as const }; // a member granted no camera
const BOX = { x1: 0.1, y1: 0.2, x2: 0.4, y2: 0.9 };

describe("detections: mark wrong and take it back", () => {
  let t: TestDb;
  before(async () => {
    t = await createTestDb();
    await seedHousehold(t);
    await t.db.user.create({ data: { id: OTHER.id, email: "o@x.test", passwordHash: "x", role: OTHER.role } });
    await createEventWithFiles(t, "ev1", "cam1");
    await createEventWithFiles(t, "ev2", "cam1");
    await createEventWithFiles(t, "ev3", "cam2");
    const at = new Date(Date.UTC(2026, 5, 1, 12, 0, 3));
    await t.db.detection.createMany({
      data: [
        { id: "d1", eventId: "ev1", at, label: "cat", score: 0.62, ...BOX },
        { id: "d2", eventId: "ev1", at, label: "person", score: 0.91, x1: 0.5, y1: 0.1, x2: 0.7, y2: 0.8 },
        { id: "d3", eventId: "ev2", at, label: "dog", score: 0.7, ...BOX },
        { id: "d4", eventId: "ev3", at, label: "car", score: 0.8, ...BOX },
      ],
    });
    // The event's camera deleted later (recordings kept): the event stays, its cameraId is null.
    await t.db.camera.create({ data: { id: "cam9", name: "Shed", mainStreamUrl: "rtsp://192.0.2.9/x" } });
    await createEventWithFiles(t, "ev9", "cam9");
    await t.db.detection.create({ data: { id: "d9", eventId: "ev9", at, label: "bird", score: 0.5, ...BOX } });
    await t.db.camera.delete({ where: { id: "cam9" } });
  });
  after(() => t.cleanup());

  test("the permission: admins and members, not viewers", () => {
    assert.deepEqual([can("admin", "detections:correct"), can("member", "detections:correct"), can("viewer", "detections:correct")], [true, true, false]);
  });

  const refusals: [string, () => Promise<unknown>, string][] = [
    ["a member without the camera", () => markDetectionWrong(t.db, OTHER, "ev1", "d1"), "forbidden"],
    ["a member, another camera's event", () => markDetectionWrong(t.db, MEMBER, "ev3", "d4"), "forbidden"],
    ["a member, a deleted camera's event", () => markDetectionWrong(t.db, MEMBER, "ev9", "d9"), "forbidden"],
    ["another event's detection", () => markDetectionWrong(t.db, ADMIN, "ev1", "d3"), "not_found"],
    ["an unknown detection", () => markDetectionWrong(t.db, ADMIN, "ev1", "nope"), "not_found"],
    ["an unknown event", () => markDetectionWrong(t.db, ADMIN, "nope", "d1"), "not_found"],
    ["undo: a member without the camera", () => undoDetectionWrong(t.db, OTHER, "ev1", "d1"), "forbidden"],
    ["undo: another event's detection", () => undoDetectionWrong(t.db, MEMBER, "ev2", "d1"), "not_found"],
  ];
  for (const [name, run, code] of refusals) {
    test(`refused: ${name} (${code}), nothing written`, async () => {
      assert.equal(await errorCode(run()), code);
      assert.equal(await t.db.detectionCorrection.count(), 0);
      assert.equal(await t.db.detection.count({ where: { isWrong: true } }), 0);
    });
  }

  test("a member marks a detection wrong: isWrong, one correction with camera, label, box and who; twice changes nothing", async () => {
    const before = (await t.db.camera.findUniqueOrThrow({ where: { id: "cam1" } })).updatedAt.getTime();
    const first = await markDetectionWrong(t.db, MEMBER, "ev1", "d1");
    assert.deepEqual(first, { eventId: "ev1", detectionId: "d1", cameraId: "cam1", label: "cat", isWrong: true, changed: true });
    const corrections = await t.db.detectionCorrection.findMany();
    assert.equal(corrections.length, 1);
    assert.deepEqual({ ...corrections[0], id: undefined, createdAt: undefined }, { id: undefined, createdAt: undefined, cameraId: "cam1", label: "cat", ...BOX, detectionId: "d1", createdById: MEMBER.id });
    assert.equal((await t.db.detection.findUniqueOrThrow({ where: { id: "d1" } })).isWrong, true);
    const moved = (await t.db.camera.findUniqueOrThrow({ where: { id: "cam1" } })).updatedAt.getTime();
    assert.ok(moved > before, "the camera's updatedAt moved: the recorder pool reconfigures the running recorder");

    const again = await markDetectionWrong(t.db, ADMIN, "ev1", "d1");
    assert.equal(again.changed, false);
    assert.equal(await t.db.detectionCorrection.count(), 1);
    assert.equal((await t.db.camera.findUniqueOrThrow({ where: { id: "cam1" } })).updatedAt.getTime(), moved, "nothing new for the recorder");
  });

  test("the event detail lists the detections, best score first, with isWrong", async () => {
    const detail = await getEventDetail(t.db, VIEWER, "ev1");
    assert.deepEqual(
      detail.detections.map((d) => [d.id, d.label, d.score, d.isWrong]),
      [
        ["d2", "person", 0.91, false],
        ["d1", "cat", 0.62, true],
      ],
    );
    assert.deepEqual(detail.detections[1].box, BOX);
    assert.equal(detail.detections[1].at, "2026-06-01T12:00:03.000Z");
    assert.deepEqual((await getEventDetail(t.db, ADMIN, "ev2")).detections.map((d) => d.id), ["d3"]);
    assert.deepEqual((await getEventDetail(t.db, ADMIN, "ev2")).labels, [], "no EventLabel rows: no labels");
    assert.equal(await errorCode(getEventDetail(t.db, MEMBER, "ev3")), "forbidden");
  });

  test("the recorder's reload reads the correction (CameraRecorder.reconfigure, as the pool calls it; not started)", async () => {
    const cam = await t.db.camera.findUniqueOrThrow({ where: { id: "cam1" } });
    const recorder = new CameraRecorder({ ...cam, audioCodec: null }, { db: t.db, dataDir: t.dataDir, ffmpegPath: "/nonexistent/ffmpeg", ffprobePath: "/nonexistent/ffprobe", credentialsKey: Buffer.alloc(32), minFreeBytes: 0, timeZone: "UTC" });
    const corrections = () => recorder["corrections"];
    assert.deepEqual(corrections(), []);
    recorder.reconfigure(cam);
    for (let i = 0; i < 100 && corrections().length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(corrections(), [{ cameraId: "cam1", label: "cat", ...BOX }]);

    await undoDetectionWrong(t.db, MEMBER, "ev1", "d1");
    recorder.reconfigure(cam);
    for (let i = 0; i < 100 && corrections().length > 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(corrections(), [], "taken back: no longer suppressed");
  });

  test("undo: the correction goes and isWrong is false; twice changes nothing", async () => {
    await markDetectionWrong(t.db, ADMIN, "ev2", "d3");
    const before = (await t.db.camera.findUniqueOrThrow({ where: { id: "cam1" } })).updatedAt.getTime();
    const undone = await undoDetectionWrong(t.db, MEMBER, "ev2", "d3");
    assert.deepEqual(undone, { eventId: "ev2", detectionId: "d3", cameraId: "cam1", label: "dog", isWrong: false, changed: true });
    assert.equal(await t.db.detectionCorrection.count({ where: { detectionId: "d3" } }), 0);
    assert.equal((await t.db.detection.findUniqueOrThrow({ where: { id: "d3" } })).isWrong, false);
    assert.ok((await t.db.camera.findUniqueOrThrow({ where: { id: "cam1" } })).updatedAt.getTime() > before, "the recorder is told");
    assert.equal((await undoDetectionWrong(t.db, MEMBER, "ev2", "d3")).changed, false);
  });

  test("every box of a label marked wrong: the event loses the label (filter and list); taken back, it has it again", async () => {
    const at = new Date(Date.UTC(2026, 5, 1, 12, 0, 3));
    await createEventWithFiles(t, "ev5", "cam1");
    await t.db.eventLabel.createMany({ data: [{ eventId: "ev5", label: "person", score: 0.9, firstAt: at }, { eventId: "ev5", label: "cat", score: 0.6, firstAt: at }] });
    await t.db.detection.createMany({ data: [{ id: "d5a", eventId: "ev5", at, label: "person", score: 0.9, ...BOX }, { id: "d5b", eventId: "ev5", at, label: "person", score: 0.7, x1: 0.5, y1: 0.1, x2: 0.7, y2: 0.8 }, { id: "d5c", eventId: "ev5", at, label: "cat", score: 0.6, ...BOX }] });
    const labels = async () => (await t.db.eventLabel.findMany({ where: { eventId: "ev5" }, orderBy: { label: "asc" } })).map((l) => l.label);
    await markDetectionWrong(t.db, MEMBER, "ev5", "d5a");
    assert.deepEqual(await labels(), ["cat", "person"], "another person box is still right");
    await markDetectionWrong(t.db, MEMBER, "ev5", "d5b");
    assert.deepEqual(await labels(), ["cat"], "no person box left that is right: not a person event");
    const page = await listEvents(t.db, ADMIN, { labels: ["person"] });
    assert.ok(!page.events.some((e) => e.id === "ev5"), "the person filter no longer finds it");
    await undoDetectionWrong(t.db, MEMBER, "ev5", "d5b");
    assert.deepEqual(await labels(), ["cat", "person"]);
    assert.ok((await listEvents(t.db, ADMIN, { labels: ["person"] })).events.some((e) => e.id === "ev5"));
    await undoDetectionWrong(t.db, MEMBER, "ev5", "d5a"); // leaves cam1's corrections as the other tests expect them
  });

  test("an admin marks a detection of a deleted camera's event: isWrong, no correction (no camera to suppress on)", async () => {
    const mark = await markDetectionWrong(t.db, ADMIN, "ev9", "d9");
    assert.deepEqual([mark.cameraId, mark.isWrong, mark.changed], [null, true, true]);
    assert.equal(await t.db.detectionCorrection.count({ where: { detectionId: "d9" } }), 0);
    assert.equal((await markDetectionWrong(t.db, ADMIN, "ev9", "d9")).changed, false);
    assert.equal((await undoDetectionWrong(t.db, ADMIN, "ev9", "d9")).changed, true);
    assert.equal((await t.db.detection.findUniqueOrThrow({ where: { id: "d9" } })).isWrong, false);
  });

  test("deleting the event keeps the correction (detectionId is only a reference), deleting the camera removes it", async () => {
    await markDetectionWrong(t.db, MEMBER, "ev1", "d2");
    await t.db.event.delete({ where: { id: "ev1" } });
    assert.equal(await t.db.detectionCorrection.count({ where: { cameraId: "cam1", label: "person" } }), 1);
    await t.db.camera.delete({ where: { id: "cam1" } });
    assert.equal(await t.db.detectionCorrection.count({ where: { cameraId: "cam1" } }), 0);
  });
});
