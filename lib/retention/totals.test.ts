// The running storage totals (StorageCameraTotal, StorageQuarterTotal: triggers of the storage_totals migration)
// against a full recount, in a real SQLite file, after every kind of write the product makes: raw and Prisma inserts,
// a clip growing while it records, protect/unprotect, a corrected start, clips and photos deleted on their own, event
// deletion (one, bulk, cascade), expiry by applyRetention, a camera deleted with its recordings kept (cameraId set
// null) or deleted, an account deleted; and the migration's backfill of rows written before it. Then sumsBetween
// against sums counted from the rows, for ranges on and off the quarter-hour.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import Database from "better-sqlite3";
import { fakeClock } from "../clock";
import { openDb } from "../db";
import { deleteCameraWithRecordings, deleteEvents } from "../deletion/recordings";
import { deleteAccount } from "../privacy/delete";
import { createTestDb, type TestDb } from "../testing/db";
import { seedEvents, type SeedEvent } from "../testing/seed-events";
import { DAY_MS } from "../time";
import { applyRetention } from "./apply";
import { QUARTER_MS, loadRunningTotals, recountTotals, splitQuarters, sumsBetween } from "./totals";

const NOW = Date.parse("2026-07-01T12:00:00Z");
const root = path.resolve(import.meta.dirname, "../..");

/** Events of three cameras (one deleted: null) over 40 days at odd minutes, some protected, 1–3 clips, most with a photo. */
function dataset(n: number, prefix = "e"): SeedEvent[] {
  const cams = ["front", "back", null];
  return Array.from({ length: n }, (_, i) => {
    const startedAt = new Date(NOW - i * 0.13 * DAY_MS - (i % 17) * 61_000);
    return { id: `${prefix}${i}`, cameraId: cams[i % 3], startedAt, endedAt: new Date(startedAt.getTime() + 30_000), isProtected: i % 7 === 0, clips: 1 + (i % 3), clipMs: 7 * 60_000, photo: i % 4 !== 0 };
  });
}

async function assertExact(t: TestDb, what: string) {
  assert.deepEqual(await loadRunningTotals(t.db), await recountTotals(t.db), `running totals = a full recount after ${what}`);
}

describe("running storage totals", () => {
  let t: TestDb;
  before(async () => {
    t = await createTestDb();
    await t.db.household.create({ data: { name: "Home" } });
    for (const [id, days] of [["front", 30], ["back", 7]] as const) await t.db.camera.create({ data: { id, name: id, mainStreamUrl: `rtsp://192.0.2.1/${id}`, retentionDays: days } });
  });
  after(() => t.cleanup());

  test("raw inserts (seeding), with something to count", async () => {
    seedEvents(t.file, dataset(300), { clipBytes: 10_000, photoBytes: 1_000, thumbBytes: 100 });
    const r = await recountTotals(t.db);
    assert.equal(r.cameras.reduce((n, c) => n + c.events, 0), 300);
    assert.ok(r.cameras.some((c) => c.cameraKey === "" && c.events > 0) && r.cameras.some((c) => c.protectedBytes > 0));
    await assertExact(t, "raw inserts");
  });

  test("Prisma writes as the recorder makes them: event, clip growing while it records, a second clip, the photo", async () => {
    const startedAt = new Date(NOW - 5 * 60_000);
    await t.db.event.create({ data: { id: "live", cameraId: "front", cameraName: "front", startedAt } });
    await t.db.clip.create({ data: { id: "live-1", eventId: "live", sequence: 1, path: "front/live-1.mp4", bytes: 0, startedAt: new Date(startedAt.getTime() - 3_000), durationMs: 0 } });
    for (const bytes of [4_000, 9_000, 150_000]) await t.db.clip.update({ where: { id: "live-1" }, data: { bytes, durationMs: bytes / 10 } });
    await t.db.clip.create({ data: { id: "live-2", eventId: "live", sequence: 2, path: "front/live-2.mp4", bytes: 70_000, startedAt: new Date(startedAt.getTime() + 15 * 60_000), durationMs: 20_000 } });
    await t.db.photo.create({ data: { eventId: "live", path: "front/live-photo.jpg", bytes: 2_000, width: 1, height: 1, thumbPath: "front/live-thumb.jpg", thumbBytes: 200, thumbWidth: 1, thumbHeight: 1, takenAt: startedAt } });
    await t.db.event.update({ where: { id: "live" }, data: { endedAt: new Date(), peakScore: 80 } }); // no totals change: no trigger work
    await assertExact(t, "the recorder's writes");
  });

  test("protect, unprotect, a corrected start, a photo replaced, a clip moved to another event", async () => {
    await t.db.event.update({ where: { id: "live" }, data: { isProtected: true } });
    await assertExact(t, "protect");
    await t.db.event.updateMany({ where: { id: { in: ["e1", "e2", "e3"] } }, data: { isProtected: true } });
    await t.db.event.update({ where: { id: "e0" }, data: { isProtected: false } });
    await assertExact(t, "protect/unprotect in bulk");
    await t.db.event.update({ where: { id: "e4" }, data: { startedAt: new Date(NOW - 2 * DAY_MS + 7 * 60_000) } });
    await t.db.photo.update({ where: { eventId: "live" }, data: { bytes: 3_000, thumbBytes: 300 } });
    await t.db.clip.update({ where: { id: "live-2" }, data: { eventId: "e5", sequence: 9 } });
    await assertExact(t, "start, photo and clip changes");
  });

  test("a clip or a photo deleted on its own, events deleted one by one, in bulk and by cascade", async () => {
    await t.db.clip.delete({ where: { id: "live-1" } });
    await t.db.photo.delete({ where: { eventId: "e5" } });
    await assertExact(t, "a clip and a photo deleted alone");
    await t.db.event.delete({ where: { id: "live" } });
    await t.db.event.deleteMany({ where: { id: { in: ["e6", "e7", "e8", "e9"] } } });
    await deleteEvents(t.db, t.dataDir, ["e10", "e11", "e12"], "event_delete");
    await assertExact(t, "event deletions");
  });

  test("expiry: applyRetention deletes what is past its camera's days", async () => {
    const before = (await recountTotals(t.db)).cameras.reduce((n, c) => n + c.events, 0);
    await applyRetention(t.db, { dataDir: t.dataDir, floorBytes: 0, clock: fakeClock(NOW) });
    const after = (await recountTotals(t.db)).cameras.reduce((n, c) => n + c.events, 0);
    assert.ok(after < before && after > 0, `retention deleted some events, not all (${before} → ${after})`);
    await assertExact(t, "applyRetention");
  });

  test("a camera deleted with its recordings kept (cameraId set null), one deleted with them, an account deleted", async () => {
    await deleteCameraWithRecordings(t.db, t.dataDir, "back", false);
    assert.equal(await t.db.event.count({ where: { cameraId: "back" } }), 0);
    await assertExact(t, "a camera deleted, recordings kept");
    await deleteCameraWithRecordings(t.db, t.dataDir, "front", true, { pauseMs: 0, batchSize: 20 });
    await assertExact(t, "a camera deleted with its recordings");
    await t.db.user.create({ data: { id: "u1", email: "u1@example.test", passwordHash: "x", role: "member" } });
    await t.db.eventReview.createMany({ data: (await t.db.event.findMany({ take: 5, select: { id: true } })).map((e) => ({ userId: "u1", eventId: e.id })) });
    await deleteAccount(t.db, t.dataDir, "u1");
    await assertExact(t, "an account deleted");
    assert.ok((await recountTotals(t.db)).cameras.every((c) => c.cameraKey === ""), "only deleted cameras' events are left");
  });
});

describe("the storage_totals migration", () => {
  test("backfills the rows written before it, and the triggers carry on from there", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nightjar-totals-"));
    const file = path.join(dir, "nightjar.db");
    try {
      const migrations = path.join(root, "prisma/migrations");
      const names = fs.readdirSync(migrations).filter((n) => fs.statSync(path.join(migrations, n)).isDirectory()).sort();
      const mine = names.findIndex((n) => n.endsWith("_storage_totals"));
      assert.ok(mine > 0);
      const sqlite = new Database(file);
      const run = (n: string) => sqlite.exec(fs.readFileSync(path.join(migrations, n, "migration.sql"), "utf8"));
      names.slice(0, mine).forEach(run);
      sqlite.exec(`INSERT INTO Camera (id, name, mainStreamUrl, createdAt, updatedAt) VALUES ('front', 'front', 'rtsp://192.0.2.1/a', 0, 0), ('back', 'back', 'rtsp://192.0.2.1/b', 0, 0)`);
      sqlite.close();
      seedEvents(file, dataset(200), { clipBytes: 5_000, photoBytes: 700, thumbBytes: 70 });
      const again = new Database(file);
      names.slice(mine).forEach((n) => again.exec(fs.readFileSync(path.join(migrations, n, "migration.sql"), "utf8")));
      again.close();
      const db = await openDb(file);
      try {
        const t = { db } as TestDb;
        const r = await recountTotals(db);
        assert.equal(r.cameras.reduce((n, c) => n + c.events, 0), 200);
        await assertExact(t, "the backfill");
        seedEvents(file, dataset(50, "late"), { clipBytes: 3_000 });
        await db.event.deleteMany({ where: { id: { startsWith: "e1" } } });
        await assertExact(t, "writes after the backfill");
      } finally {
        await db.$disconnect();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("sums over time ranges", () => {
  test("splitQuarters: whole quarters and the partial ones at the ends", () => {
    const Q = QUARTER_MS;
    const cases: [number, number, ReturnType<typeof splitQuarters>][] = [
      [4 * Q, 8 * Q, { from: 4, to: 8, edges: [] }],
      [4 * Q + 1, 8 * Q, { from: 5, to: 8, edges: [[4 * Q + 1, 5 * Q]] }],
      [4 * Q, 8 * Q - 1, { from: 4, to: 7, edges: [[7 * Q, 8 * Q - 1]] }],
      [4 * Q + 5, 5 * Q + 5, { from: 5, to: 5, edges: [[4 * Q + 5, 5 * Q + 5]] }], // no whole quarter: all edge
      [4 * Q + 5, 4 * Q + 9, { from: 5, to: 5, edges: [[4 * Q + 5, 4 * Q + 9]] }],
      [4 * Q + 5, Infinity, { from: 5, to: Infinity, edges: [[4 * Q + 5, 5 * Q]] }],
      [4 * Q, 4 * Q, { from: 4, to: 4, edges: [] }],
    ];
    for (const [a, b, want] of cases) assert.deepEqual(splitQuarters(a, b), want, `[${a}, ${b})`);
  });

  test("sumsBetween equals sums counted from the rows, for days of any zone and ranges starting anywhere", async () => {
    const t = await createTestDb();
    try {
      await t.db.camera.create({ data: { id: "front", name: "front", mainStreamUrl: "rtsp://192.0.2.1/a" } });
      await t.db.camera.create({ data: { id: "back", name: "back", mainStreamUrl: "rtsp://192.0.2.1/b" } });
      seedEvents(t.file, dataset(400), { clipBytes: 10_000, photoBytes: 1_000, thumbBytes: 100 });
      const events = await t.db.event.findMany({ include: { clips: true, photo: true } });
      const direct = (a: number, b: number) => {
        const inside = (d: Date) => d.getTime() >= a && d.getTime() < b;
        const evs = events.filter((e) => inside(e.startedAt));
        const perCamera = new Map<string, number>();
        for (const e of evs) perCamera.set(e.cameraId ?? "", (perCamera.get(e.cameraId ?? "") ?? 0) + 1);
        return {
          events: perCamera,
          clipBytes: events.flatMap((e) => e.clips).filter((c) => inside(c.startedAt)).reduce((n, c) => n + c.bytes, 0),
          photoBytes: evs.reduce((n, e) => n + (e.photo ? e.photo.bytes + e.photo.thumbBytes : 0), 0),
        };
      };
      const sorted = (m: Map<string, number>) => [...m].sort();
      const day = DAY_MS;
      const boundSets = [
        [NOW - 10 * day, NOW - 9 * day, NOW - 8 * day], // on the quarter
        [NOW - 10 * day + 30 * 60_000, NOW - 9 * day + 30 * 60_000, NOW - 8 * day + 45 * 60_000], // India, Nepal
        [NOW - 7 * day + 123_457, Infinity], // the rate window
        [NOW - 3 * day + 1_000, NOW - 3 * day + 600_000], // inside one quarter
        [NOW - 50 * day, NOW - 20 * day + 7, NOW + day, Infinity],
      ];
      for (const bounds of boundSets) {
        const got = await sumsBetween(t.db, bounds);
        for (let i = 0; i < got.length; i++) {
          const want = direct(bounds[i], bounds[i + 1]);
          assert.deepEqual({ ...got[i], events: sorted(got[i].events) }, { ...want, events: sorted(want.events) }, `[${bounds[i]}, ${bounds[i + 1]})`);
        }
        assert.ok(got.some((s) => s.clipBytes > 0));
      }
    } finally {
      await t.cleanup();
    }
  });
});
