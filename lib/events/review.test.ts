// The review queue: each member's own state per event, in a real SQLite file. Two members see the same camera; one
// reviews, the other still has it to review; "everything up to now" moves a member's mark; a new member starts with
// everything to review; the count stops at its cap.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestDb, type TestDb } from "../testing/db";
import { errorCode } from "../testing/errors";
import { getEventSummary, listEvents } from "./events";
import { countToReview, markAllReviewed, REVIEW_COUNT_CAP, reviewWatermark, setReviewed } from "./review";
import { ADMIN, MEMBER, seedHousehold, VIEWER } from "./testing";

describe("the review queue", () => {
  let t: TestDb;
  const T0 = Date.UTC(2026, 5, 1, 12);
  const at = (min: number) => new Date(T0 + min * 60_000);
  before(async () => {
    t = await createTestDb();
    await seedHousehold(t);
    for (let i = 0; i < 5; i++) await t.db.event.create({ data: { id: `e${i}`, cameraId: "cam1", cameraName: "Camera 1", startedAt: at(i) } });
    await t.db.event.create({ data: { id: "other", cameraId: "cam2", cameraName: "Camera 2", startedAt: at(2) } });
  });
  after(() => t.cleanup());

  const queue = async (who: typeof MEMBER | typeof ADMIN | typeof VIEWER) => (await listEvents(t.db, who, { toReview: true })).events.map((e) => e.id);

  test("new events are unreviewed for everyone who sees them; one member's review is theirs alone", async () => {
    assert.deepEqual(await queue(MEMBER), ["e4", "e3", "e2", "e1", "e0"]);
    assert.deepEqual(await queue(ADMIN), ["e4", "e3", "other", "e2", "e1", "e0"]);
    assert.equal(await countToReview(t.db, MEMBER), 5);
    const r = await setReviewed(t.db, MEMBER, ["e3", "e1", "other", "nope"], true);
    assert.deepEqual(r.reviewed.sort(), ["e1", "e3"], "a camera the member does not see, and unknown ids, are skipped");
    assert.deepEqual(await queue(MEMBER), ["e4", "e2", "e0"]);
    assert.deepEqual(await queue(VIEWER), ["e4", "e3", "e2", "e1", "e0"], "the viewer's queue is untouched");
    assert.equal(await countToReview(t.db, MEMBER), 3);
    assert.equal(await countToReview(t.db, VIEWER), 5);
    // The list says so per event, and so does one event.
    const all = (await listEvents(t.db, MEMBER, {})).events;
    assert.deepEqual(all.filter((e) => e.reviewed).map((e) => e.id), ["e3", "e1"]);
    assert.equal((await getEventSummary(t.db, MEMBER, "e3")).reviewed, true);
    assert.equal((await getEventSummary(t.db, VIEWER, "e3")).reviewed, false);
    // Twice is harmless; taking it back puts the event in the queue again.
    assert.equal((await setReviewed(t.db, MEMBER, ["e3"], true)).changed, 0);
    await setReviewed(t.db, MEMBER, ["e3"], false);
    assert.deepEqual(await queue(MEMBER), ["e4", "e3", "e2", "e0"]);
  });

  test("everything up to now: the mark moves, single marks before it go, later events are new again", async () => {
    const { upTo } = await markAllReviewed(t.db, VIEWER, at(2));
    assert.equal(upTo, at(2).toISOString());
    assert.deepEqual(await queue(VIEWER), ["e4", "e3"]);
    await setReviewed(t.db, VIEWER, ["e4"], true);
    await markAllReviewed(t.db, VIEWER, at(10));
    assert.deepEqual(await queue(VIEWER), []);
    assert.equal(await t.db.eventReview.count({ where: { userId: VIEWER.id } }), 0, "covered by the mark");
    // Taking back an event the mark covers cannot: it says so.
    assert.deepEqual(await setReviewed(t.db, VIEWER, ["e4"], false), { changed: 0, reviewed: ["e4"], unreviewed: [] });
    await t.db.event.create({ data: { id: "late", cameraId: "cam1", cameraName: "Camera 1", startedAt: at(11) } });
    assert.deepEqual(await queue(VIEWER), ["late"]);
    assert.equal(await errorCode(setReviewed(t.db, VIEWER, [], true)), "validation");
  });

  test("a new member has every event they see to review; the count stops at its cap", async () => {
    await t.db.user.create({ data: { id: "new", email: "new@x.test", passwordHash: "x", role: "admin" } });
    const newcomer = { id: "new", role: "admin" as const };
    assert.deepEqual(await queue(newcomer), ["late", "e4", "e3", "other", "e2", "e1", "e0"]);
    assert.equal((await reviewWatermark(t.db, "new")).upTo.getTime(), 0);
    await t.db.event.createMany({ data: Array.from({ length: REVIEW_COUNT_CAP + 20 }, (_, i) => ({ id: `b${i}`, cameraId: "cam2", cameraName: "Camera 2", startedAt: at(200 + i) })) });
    assert.equal(await countToReview(t.db, newcomer), REVIEW_COUNT_CAP);
    assert.equal(await countToReview(t.db, MEMBER), 5, "cam2 is not the member's");
  });
});
