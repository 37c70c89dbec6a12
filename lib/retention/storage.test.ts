// The Storage page's figures from a real database: usage per camera (deleted cameras together), the rate over 7 days,
// days until full, the forecast, the 30-day series by day in the viewer's zone, the protected-over-quota warning, and
// the settings update. Rows only (sizes as stored): the figures never read the recordings' files (only the playback
// cache's folder, which has no rows).
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { createTestDb, type TestDb } from "../testing/db";
import { errorCode } from "../testing/errors";
import { DAY_MS } from "../time";
import { seedEvents, type SeedEvent } from "../testing/seed-events";
import { EVENT_CACHE_MAX_BYTES } from "../deletion/event-cache";
import { storageSettingsSchema, updateStorageSettings } from "./settings";
import { getStorageSummary, lastDays, type StorageSummaryOptions } from "./storage";

const NOW = Date.parse("2026-07-01T12:00:00Z");
const GB = 1024 ** 3;
const CLIP = 10_000;
const PHOTO = 1_000 + 100; // photo + thumbnail

describe("storage summary", () => {
  let t: TestDb;
  const opts = (): StorageSummaryOptions => ({ dataDir: t.dataDir, floorBytes: 2 * GB, now: new Date(NOW), timeZone: "Europe/Amsterdam", readDisk: async () => ({ freeBytes: 10 * GB, totalBytes: 20 * GB }) });

  before(async () => {
    t = await createTestDb();
    await t.db.household.create({ data: { name: "Home" } });
    await t.db.camera.create({ data: { id: "front", name: "Front door", mainStreamUrl: "rtsp://192.0.2.1/a", retentionDays: 30 } });
    await t.db.camera.create({ data: { id: "back", name: "Back yard", mainStreamUrl: "rtsp://192.0.2.1/b", retentionDays: 7 } });
    const ev = (id: string, cameraId: string | null, daysAgo: number, o: Partial<SeedEvent> = {}): SeedEvent => {
      const startedAt = new Date(NOW - daysAgo * DAY_MS - 3_600_000);
      return { id, cameraId, cameraName: cameraId ?? "Old shed", startedAt, endedAt: new Date(startedAt.getTime() + 30_000), clips: 1, photo: cameraId === "front", ...o };
    };
    const events = [
      ...Array.from({ length: 10 }, (_, d) => ev(`front${d}`, "front", d)),
      ...[3, 6, 9].map((d) => ev(`back${d}`, "back", d)),
      ev("gone20", null, 20),
      ev("kept50", "front", 50, { isProtected: true, photo: false }),
    ];
    seedEvents(t.file, events, { clipBytes: CLIP, photoBytes: 1_000, thumbBytes: 100 }); // rows only
  });
  after(() => t.cleanup());

  test("usage, rate, days until full and the forecast", async () => {
    const s = await getStorageSummary(t.db, opts());
    const total = 15 * CLIP + 10 * PHOTO;
    assert.equal(s.usedBytes, total);
    assert.equal(s.protectedBytes, CLIP);
    assert.deepEqual(
      s.cameras.map((c) => [c.name, c.events, c.bytes, c.retentionDays]),
      [
        ["Back yard", 3, 3 * CLIP, 7],
        ["Front door", 11, 11 * CLIP + 10 * PHOTO, 30],
        [null, 1, CLIP, null],
      ],
    );
    assert.equal(s.cameras[1].oldest, new Date(NOW - 50 * DAY_MS - 3_600_000).toISOString());
    // Last 7 days: front 0–6 (with photos) and back 3 and 6.
    assert.equal(s.measuredDays, 7);
    assert.equal(s.bytesPerDay, (7 * (CLIP + PHOTO) + 2 * CLIP) / 7);
    assert.equal(s.fullBy, "disk");
    assert.equal(s.daysUntilFull, (8 * GB) / s.bytesPerDay);
    assert.equal(s.isBelowFloor, false);
    assert.deepEqual(s.warnings, []);
    const when = (iso: string) => Math.round(((Date.parse(iso) - NOW) / DAY_MS) * 10) / 10; // events end 59.5 min short of whole days ago
    assert.deepEqual(
      s.next.slice(0, 5).map((n) => [n.eventId, n.reason, when(n.at), n.cameraName]),
      [
        ["back9", "age", 0, "back"],
        ["back6", "age", 1, "back"],
        ["back3", "age", 4, "back"],
        ["gone20", "age", 10, "Old shed"],
        ["front9", "age", 21, "front"],
      ],
    );
    assert.ok(!s.next.some((n) => n.eventId === "kept50"), "protected events are never forecast");
    assert.deepEqual(s.eventCache, { files: 0, bytes: 0, maxBytes: EVENT_CACHE_MAX_BYTES });
  });

  test("the playback cache is shown on its own line, outside the recordings and the quota", async () => {
    const folder = path.join(t.dataDir, "event-cache", "front1");
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, "k1.mp4"), Buffer.alloc(3000));
    fs.writeFileSync(path.join(folder, `k2.mp4.tmp-${process.pid}-x`), Buffer.alloc(500));
    try {
      const s = await getStorageSummary(t.db, opts());
      assert.deepEqual(s.eventCache, { files: 2, bytes: 3500, maxBytes: EVENT_CACHE_MAX_BYTES });
      assert.equal(s.usedBytes, 15 * CLIP + 10 * PHOTO, "not a recording");
    } finally {
      fs.rmSync(path.join(t.dataDir, "event-cache"), { recursive: true, force: true });
    }
  });

  test("30 days of storage and events per camera, by day in the viewer's zone", async () => {
    const s = await getStorageSummary(t.db, opts());
    assert.equal(s.history.days.length, 30);
    assert.equal(s.history.days[29], "2026-07-01");
    assert.equal(s.history.days[0], "2026-06-02");
    assert.equal(s.history.bytes[29], 15 * CLIP, "ends at the clips stored now");
    assert.equal(s.history.bytes[0], CLIP, "before the window: the protected 50-day-old event");
    for (let i = 1; i < 30; i++) assert.ok(s.history.bytes[i] >= s.history.bytes[i - 1]);
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    assert.deepEqual(
      s.eventsPerDay.series.map((x) => [x.name, sum(x.counts)]),
      [
        ["Back yard", 3],
        ["Front door", 10],
        [null, 1],
      ],
    );
    // front0 started at 11:00 UTC today = 13:00 in Amsterdam: today's bar.
    assert.equal(s.eventsPerDay.series[1].counts[29], 1);
  });

  test("the days of the charts follow the zone and the calendar", () => {
    assert.deepEqual(lastDays(Date.parse("2026-06-30T22:30:00Z"), 2, "Europe/Amsterdam"), ["2026-06-30", "2026-07-01"]);
    assert.deepEqual(lastDays(Date.parse("2026-06-30T22:30:00Z"), 2, "America/New_York"), ["2026-06-29", "2026-06-30"]);
    // Across the end of daylight saving time, every calendar day once.
    assert.deepEqual(lastDays(Date.parse("2026-10-26T00:30:00Z"), 3, "Europe/Amsterdam"), ["2026-10-24", "2026-10-25", "2026-10-26"]);
  });

  test("protected events over the quota are a warning; a quota sooner than the disk", async () => {
    await updateStorageSettings(t.db, { storageQuotaMb: 100 });
    seedEvents(t.file, [{ id: "bigkept", cameraId: "front", startedAt: new Date(NOW - 40 * DAY_MS), endedAt: new Date(NOW - 40 * DAY_MS + 60_000), isProtected: true, clips: 1 }], { clipBytes: 200 * 1024 * 1024 });
    const s = await getStorageSummary(t.db, opts());
    assert.equal(s.quotaBytes, 100 * 1024 * 1024);
    assert.deepEqual(s.warnings, ["protected_over_quota"]);
    assert.equal(s.fullBy, "quota");
    assert.equal(s.daysUntilFull, 0);
    assert.ok(s.next.length > 0 && s.next.every((n) => n.eventId !== "bigkept"));
  });

  test("settings: partial updates, bounds, no unknown fields", async () => {
    assert.deepEqual(await updateStorageSettings(t.db, { diagnosticsRetentionDays: 30 }), { storageQuotaMb: 100, diagnosticsRetentionDays: 30, activityRetentionDays: 90 });
    assert.deepEqual(await updateStorageSettings(t.db, { storageQuotaMb: null }), { storageQuotaMb: null, diagnosticsRetentionDays: 30, activityRetentionDays: 90 });
    assert.equal(storageSettingsSchema.safeParse({ storageQuotaMb: 50 }).success, false, "below 100 MB");
    assert.equal(storageSettingsSchema.safeParse({ activityRetentionDays: 0 }).success, false);
    assert.equal(storageSettingsSchema.safeParse({ activityRetentionDays: 1.5 }).success, false);
    assert.equal(storageSettingsSchema.safeParse({ privacyModeRole: "member" }).success, false, "only this page's settings");
    assert.equal(storageSettingsSchema.safeParse({ storageQuotaMb: 2048, activityRetentionDays: 365 }).success, true);
  });

  test("settings need a household", async () => {
    const other = await createTestDb();
    try {
      assert.equal(await errorCode(updateStorageSettings(other.db, { storageQuotaMb: null })), "setup_required");
    } finally {
      await other.cleanup();
    }
  });
});

describe("storage summary with timelapses", () => {
  let t: TestDb;
  const opts = (): StorageSummaryOptions => ({ dataDir: t.dataDir, floorBytes: 0, now: new Date(NOW), timeZone: "UTC", readDisk: async () => ({ freeBytes: 10 * GB, totalBytes: 20 * GB }) });
  const tl = (id: string, cameraId: string | null, o: { kind?: string; day?: string | null; fromDaysAgo: number; toDaysAgo: number; status: string; bytes: number; framesBytes: number }) =>
    t.db.timelapse.create({
      data: { id, cameraId, cameraName: cameraId ? `${cameraId} then` : "Old shed", kind: o.kind ?? "day", day: o.kind === "range" ? null : (o.day ?? id), fromAt: new Date(NOW - o.fromDaysAgo * DAY_MS), toAt: new Date(NOW - o.toDaysAgo * DAY_MS), status: o.status, bytes: o.bytes, framesBytes: o.framesBytes },
    });

  before(async () => {
    t = await createTestDb();
    await t.db.household.create({ data: { name: "Home" } });
    await t.db.camera.create({ data: { id: "front", name: "Front door", mainStreamUrl: "rtsp://192.0.2.1/a", retentionDays: 30, timelapseEnabled: true } });
    await t.db.camera.create({ data: { id: "back", name: "Back yard", mainStreamUrl: "rtsp://192.0.2.1/b", retentionDays: 7 } });
    seedEvents(t.file, [{ id: "front1", cameraId: "front", startedAt: new Date(NOW - DAY_MS), endedAt: new Date(NOW - DAY_MS + 30_000), clips: 1 }], { clipBytes: CLIP });
    await tl("front-d25", "front", { fromDaysAgo: 26, toDaysAgo: 25, status: "ready", bytes: 5_000, framesBytes: 20_000 });
    await tl("front-range", "front", { kind: "range", fromDaysAgo: 3, toDaysAgo: 2, status: "ready", bytes: 3_000, framesBytes: 0 });
    await tl("front-today", "front", { fromDaysAgo: 0.5, toDaysAgo: -0.5, status: "capturing", bytes: 0, framesBytes: 7_000 });
    await tl("gone-d20", null, { fromDaysAgo: 21, toDaysAgo: 20, status: "ready", bytes: 1_000, framesBytes: 2_000 });
  });
  after(() => t.cleanup());

  test("videos and frames count in the total, per camera and on their own line; deleted cameras' together", async () => {
    const s = await getStorageSummary(t.db, opts());
    const timelapses = 25_000 + 3_000 + 7_000 + 3_000;
    assert.equal(s.usedBytes, CLIP + timelapses);
    assert.deepEqual(s.timelapse, { bytes: timelapses, videoBytes: 9_000, framesBytes: 29_000, count: 4 });
    assert.deepEqual(
      s.cameras.map((c) => [c.name, c.events, c.bytes, c.timelapseBytes]),
      [
        ["Back yard", 0, 0, 0],
        ["Front door", 1, CLIP + 35_000, 35_000],
        [null, 0, 3_000, 3_000],
      ],
    );
    assert.equal(s.cameras.reduce((n, c) => n + c.bytes, 0), s.usedBytes, "the rows add up to the total");
  });

  test("the forecast lists timelapses at their expiry with their camera's name; the day being captured is not forecast", async () => {
    const s = await getStorageSummary(t.db, opts());
    const when = (iso: string) => Math.round((Date.parse(iso) - NOW) / DAY_MS);
    assert.deepEqual(
      s.next.map((n) => [n.kind, n.id, n.eventId, n.cameraName, n.reason, when(n.at), n.bytes]),
      [
        ["timelapse", "front-d25", null, "front then", "age", 5, 25_000],
        ["timelapse", "gone-d20", null, "Old shed", "age", 10, 3_000],
        ["event", "front1", "front1", "front", "age", 29, CLIP],
        ["timelapse", "front-range", null, "front then", "age", 28, 3_000],
      ].sort((a, b) => (a[5] as number) - (b[5] as number)),
    );
  });

  test("the rate counts the timelapses of the last 7 days", async () => {
    const s = await getStorageSummary(t.db, opts());
    assert.equal(s.measuredDays, 7);
    assert.equal(s.bytesPerDay, (CLIP + 3_000 + 7_000) / 7);
  });
});
