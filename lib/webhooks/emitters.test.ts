// The places that know the facts queue the right messages (real SQLite): the status rule's transitions (camera.offline,
// camera.online), a recording problem (recording.stopped, once per failing run, disk_full for the floor), retention that
// cannot make room (storage.low, once per 6 h), the data statement naming each endpoint's host and types, and the
// factory reset removing endpoints and their log.
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { reportRecordingProblem, reportRecordingWorks, reportStreamBack, reportStreamOutage } from "../cameras/status-monitor";
import { factoryReset } from "../privacy/reset";
import { buildDataStatement } from "../privacy/statement";
import { statementText } from "../privacy/statement-text";
import { applyRetention, STORAGE_LOW_QUIET_MS } from "../retention/apply";
import { createTestDb, type TestDb } from "../testing/db";
import { createWebhookEndpoint } from "./endpoints";
import { WEBHOOK_EVENT_TYPES, type WebhookPayload } from "./events";

let t: TestDb;
const at = (s: number) => new Date(Date.UTC(2026, 11, 5, 8, 0, 0) + s * 1000);
const resolves = async () => undefined;

before(async () => {
  t = await createTestDb();
  await t.db.camera.create({ data: { id: "cam-a", name: "Porch", mainStreamUrl: "rtsp://127.0.0.1/a" } });
  await createWebhookEndpoint(t.db, null, { url: "http://ha.example.lan:8123/api/webhook/s3cr3t-id", eventTypes: [...WEBHOOK_EVENT_TYPES], description: "HA" }, { lookup: resolves });
});
after(async () => t.cleanup());
beforeEach(async () => {
  await t.db.webhookDelivery.deleteMany({});
});

const messages = async () => (await t.db.webhookDelivery.findMany({ orderBy: { createdAt: "asc" } })).map((d) => JSON.parse(d.payload) as WebhookPayload);

describe("status monitor", () => {
  test("offline at the recorder's outage, online when video returns; nothing for a repeat", async () => {
    await reportStreamBack(t.db, "cam-a", { fromMs: 0, toMs: 0 }, at(0)); // unknown → online
    await reportStreamOutage(t.db, "cam-a", at(10), "stream_stalled", "rtsp://admin:pw@10.0.0.2/main: no packets");
    await reportStreamOutage(t.db, "cam-a", at(20), "stream_stalled"); // already offline: no transition
    await reportStreamBack(t.db, "cam-a", { fromMs: at(9).getTime(), toMs: at(70).getTime() }, at(70));
    const m = await messages();
    assert.deepEqual(
      m.map((x) => x.type),
      ["camera.online", "camera.offline", "camera.online"],
    );
    assert.deepEqual(m[1].data, { cameraId: "cam-a", cameraName: "Porch", since: at(10).toISOString(), problem: "stream_stalled", lastSeenAt: at(0).toISOString() });
    assert.deepEqual(m[2].data, { cameraId: "cam-a", cameraName: "Porch", since: at(70).toISOString(), offlineForSeconds: 60 });
    assert.ok(!JSON.stringify(m).includes("pw@"), "the problem's detail (which may hold an address) is not sent");
  });

  test("recording.stopped once when recording starts failing, again after it worked", async () => {
    await reportRecordingProblem(t.db, "cam-a", "the disk is full: 1 GB free, 2 GB kept free", at(0), "disk_full");
    await reportRecordingProblem(t.db, "cam-a", "the disk is full: 0.9 GB free, 2 GB kept free", at(10), "disk_full");
    await reportRecordingWorks(t.db, "cam-a", at(20));
    await reportRecordingProblem(t.db, "cam-a", "codec mjpeg cannot be recorded (H.264 or H.265 only)", at(30));
    const m = await messages();
    assert.deepEqual(
      m.map((x) => [x.type, (x.data as { reason: string }).reason]),
      [
        ["recording.stopped", "disk_full"],
        ["recording.stopped", "recording_failed"],
      ],
    );
    assert.deepEqual(m[0].data, { cameraId: "cam-a", cameraName: "Porch", reason: "disk_full", at: at(0).toISOString(), detail: "the disk is full: 1 GB free, 2 GB kept free" });
  });
});

describe("retention", () => {
  test("storage.low when free space stays below the target, told once per 6 h", async () => {
    const full = async () => ({ freeBytes: 1_000, totalBytes: 100_000_000 });
    const run = (now: Date) => applyRetention(t.db, { dataDir: t.dataDir, floorBytes: 10_000_000, clock: { now: () => now }, readDisk: full, pauseMs: 0 });
    await run(at(0));
    await run(at(600));
    await run(new Date(at(0).getTime() + STORAGE_LOW_QUIET_MS + 1));
    const m = await messages();
    assert.deepEqual(
      m.map((x) => x.type),
      ["storage.low", "storage.low"],
    );
    assert.deepEqual(m[0].data, { reason: "free_space", freeBytes: 1_000, targetFreeBytes: 15_000_000, usedBytes: 0, quotaBytes: null });
    // Room on the disk: nothing.
    await t.db.webhookDelivery.deleteMany({});
    await applyRetention(t.db, { dataDir: t.dataDir, floorBytes: 10_000_000, clock: { now: () => at(99_999) }, readDisk: async () => ({ freeBytes: 50_000_000, totalBytes: 100_000_000 }), pauseMs: 0 });
    assert.equal((await messages()).length, 0);
  });
});

describe("data statement", () => {
  test("each endpoint is a place data goes: its host and types, not its path", async () => {
    await t.db.user.create({ data: { id: "adm", email: "a@x.test", passwordHash: "x", role: "admin" } });
    const admin = { id: "adm", role: "admin" as const };
    const st = await buildDataStatement(t.db, t.dataDir, { viewer: admin, sessionDays: 30, checkSeconds: 60, keysFromEnvironment: { sessionSecret: false, credentialsKey: false } });
    assert.equal(st.leavesServer, true);
    assert.equal(st.integrations.length, 1);
    assert.deepEqual({ ...st.integrations[0], id: "x" }, { id: "x", kind: "webhook", destination: "ha.example.lan:8123", enabled: true, eventTypes: [...WEBHOOK_EVENT_TYPES] });
    for (const locale of ["en", "nl", "de", "sv"] as const) {
      const text = statementText(st, locale, "UTC");
      assert.match(text.integrations[0], /ha\.example\.lan:8123/);
      assert.doesNotMatch(text.integrations.join(" "), /s3cr3t|webhooks\.|\{/, locale);
      assert.doesNotMatch(text.nothingLeaves, /^Nothing leaves/);
    }
  });
});

describe("factory reset", () => {
  test("removes every endpoint and its delivery log", async () => {
    await reportStreamOutage(t.db, "cam-a", at(500), "stream_stalled");
    assert.ok((await t.db.webhookDelivery.count()) > 0);
    await factoryReset(t.db, t.dataDir);
    assert.deepEqual([await t.db.webhookEndpoint.count(), await t.db.webhookDelivery.count()], [0, 0]);
  });
});
