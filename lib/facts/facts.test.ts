// The Fact outbox: emitFact writes every fact once (and webhooks only for webhook types), each reader has its own
// cursor that survives a restart, a new reader does not replay history, old facts are trimmed. Real SQLite.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestDb, type TestDb } from "../testing/db";
import { emitFact } from "./emit";
import { commitFacts, readFacts, trimFacts } from "./read";

describe("fact outbox", () => {
  let t: TestDb;
  before(async () => {
    t = await createTestDb();
    await t.db.webhookEndpoint.create({ data: { id: "wh-1", url: "http://127.0.0.1:9/hook", eventTypes: JSON.stringify(["event.started"]), secretEnc: "x" } });
  });
  after(() => t.cleanup());

  test("a webhook type becomes a fact and its webhook messages; a household-only type becomes a fact only", async () => {
    const now = new Date("2026-12-05T10:00:00Z");
    await emitFact(t.db, "event.started", { eventId: "ev-1", cameraId: "cam-1", cameraName: "Door", startedAt: now.toISOString() }, { now });
    await emitFact(t.db, "mode.changed", { modeId: "mode_away", modeName: "Away", previousModeId: null, via: "ui", actorId: null }, { now });
    const facts = await t.db.fact.findMany({ orderBy: { id: "asc" } });
    assert.deepEqual(facts.map((f) => [f.type, f.cameraId, f.eventId]), [["event.started", "cam-1", "ev-1"], ["mode.changed", null, null]]);
    assert.deepEqual(JSON.parse(facts[1].data), { modeId: "mode_away", modeName: "Away", previousModeId: null, via: "ui", actorId: null });
    const deliveries = await t.db.webhookDelivery.findMany();
    assert.deepEqual(deliveries.map((d) => [d.endpointId, d.eventType]), [["wh-1", "event.started"]]);
  });

  test("each reader has its own cursor: it starts at the newest fact, sees each later fact once, and resumes after a restart", async () => {
    assert.deepEqual(await readFacts(t.db, "alpha"), [], "a new reader does not replay history");
    await emitFact(t.db, "camera.offline", { cameraId: "cam-1", cameraName: "Door", since: "2026-12-05T10:01:00.000Z", problem: "timeout", lastSeenAt: null });
    await emitFact(t.db, "camera.online", { cameraId: "cam-1", cameraName: "Door", since: "2026-12-05T10:02:00.000Z", offlineForSeconds: 60 });
    const first = await readFacts(t.db, "alpha", 1);
    assert.deepEqual(first.map((f) => f.type), ["camera.offline"]);
    assert.equal((first[0].data as { problem: string }).problem, "timeout");
    assert.deepEqual((await readFacts(t.db, "alpha", 1)).map((f) => f.type), ["camera.offline"], "not committed: read again");
    await commitFacts(t.db, "alpha", first[0].id);
    // Another reader created before these facts would see both; one created now sees neither.
    assert.deepEqual(await readFacts(t.db, "beta"), []);
    const rest = await readFacts(t.db, "alpha");
    assert.deepEqual(rest.map((f) => f.type), ["camera.online"]);
    await commitFacts(t.db, "alpha", rest[0].id);
    assert.deepEqual(await readFacts(t.db, "alpha"), []);
    await emitFact(t.db, "storage.low", { reason: "quota", freeBytes: 1, targetFreeBytes: 2, usedBytes: 3, quotaBytes: 2 });
    assert.deepEqual((await readFacts(t.db, "alpha")).map((f) => f.type), ["storage.low"]);
    assert.deepEqual((await readFacts(t.db, "beta")).map((f) => f.type), ["storage.low"]);
  });

  test("trimFacts deletes facts older than two days and keeps the rest", async () => {
    const old = new Date("2026-12-01T00:00:00Z");
    await emitFact(t.db, "mode.changed", { modeId: "mode_home", modeName: "Home", previousModeId: "mode_away", via: "schedule", actorId: null }, { now: old });
    const before = await t.db.fact.count();
    assert.equal(await trimFacts(t.db, new Date("2026-12-05T12:00:00Z")), 1);
    assert.equal(await t.db.fact.count(), before - 1);
  });

  test("emitFact never throws: a database error is logged and swallowed", async () => {
    const broken = { fact: { create: () => Promise.reject(new Error("disk I/O error")) }, webhookEndpoint: { findMany: () => Promise.reject(new Error("disk I/O error")) } };
    await emitFact(broken as never, "event.started", { eventId: "e", cameraId: "c", cameraName: "n", startedAt: "2026-12-05T10:00:00Z" });
  });
});
