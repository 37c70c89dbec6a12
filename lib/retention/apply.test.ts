// applyRetention against a real SQLite file and real files: 10,000 clips (1 KB each) of four cameras (one deleted),
// with protected events, events being recorded, a quota and a (stand-in) full disk. Exactly the planned events go,
// with all their rows and files, and nothing else; then a pass SIGKILLed half-way, and the next pass finishing the job.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import Database from "better-sqlite3";
import { fakeClock } from "../clock";
import { listMediaFiles } from "../recording/reconcile";
import { createTestDb, type TestDb } from "../testing/db";
import { MIB } from "../i18n/format";
import { applyRetention, loadRetentionItemsPage, loadRetentionPolicy } from "./apply";
import { DAY_MS } from "../time";
import { isRecording, planRetention, targetFreeBytes, type RetentionItem, type RetentionPlan } from "./plan";
import { seedEvents, type SeedEvent } from "../testing/seed-events";
import { captureSimulatedDay, makeSegments } from "../testing/timelapse-day";
import { stepTimelapses } from "../timelapse/runner";

// About 25,000 small files are created and deleted here. On the shared VM disk each creation costs ~0.3–1 ms of
// kernel time under load; on tmpfs (when the machine has one) 50× less. Same files and syscalls, only faster.
const ORIGINAL_TMPDIR = process.env.TMPDIR;
try {
  fs.accessSync("/dev/shm", fs.constants.W_OK);
  process.env.TMPDIR = "/dev/shm";
} catch {
  /* no tmpfs: the usual temp folder */
}

const NOW = Date.parse("2026-07-01T12:00:00Z");
const root = path.resolve(import.meta.dirname, "../..");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** 2,500 events × 4 clips = 10,000 clips, ages 0–125 days spread over 4 cameras (one deleted); every fifth with a photo. */
function dataset(): SeedEvent[] {
  const cams = ["front", "back", "yard", null];
  const events: SeedEvent[] = [];
  for (let i = 0; i < 2500; i++) {
    const startedAt = new Date(NOW - i * 0.05 * DAY_MS - 60_000);
    events.push({ id: `e${String(i).padStart(5, "0")}`, cameraId: cams[i % 4], startedAt, endedAt: new Date(startedAt.getTime() + 40_000), isProtected: i % 97 === 0, clips: 4, photo: i % 5 === 0 });
  }
  // Being recorded now: open, started minutes ago (a full disk or quota must not touch them).
  for (let i = 0; i < 3; i++) events.push({ id: `open${i}`, cameraId: "front", startedAt: new Date(NOW - (i + 1) * 300_000), endedAt: null, clips: 2, photo: false });
  return events;
}

async function prepare(t: TestDb, quotaMb: number | null) {
  await t.db.household.create({ data: { name: "Home", storageQuotaMb: quotaMb, diagnosticsRetentionDays: 90, activityRetentionDays: 30 } });
  for (const [id, days] of [["front", 30], ["back", 7], ["yard", 90]] as const) await t.db.camera.create({ data: { id, name: id, mainStreamUrl: `rtsp://192.0.2.1/${id}`, retentionDays: days } });
  const counts = seedEvents(t.file, dataset(), { mediaDir: path.join(t.dataDir, "media"), clipBytes: 1024, photoBytes: 400, thumbBytes: 100 });
  assert.equal(counts.clips, 10_006);
}

/** Every event with its files, as the database lists them. */
async function snapshot(t: TestDb) {
  const events = await t.db.event.findMany({ include: { clips: true, photo: true } });
  return new Map(events.map((e) => [e.id, [...e.clips.map((c) => c.path), ...(e.photo ? [e.photo.path, e.photo.thumbPath] : [])]]));
}

async function allItems(t: TestDb): Promise<RetentionItem[]> {
  const items: RetentionItem[] = [];
  for (;;) {
    const page = await loadRetentionItemsPage(t.db, items.at(-1) ?? null, 1000);
    items.push(...page);
    if (page.length < 1000) return items;
  }
}

/** Rows never point at missing files; every file has a row or is listed as pending. Returns the pending count. */
async function assertConsistent(t: TestDb): Promise<number> {
  const files = new Set(listMediaFiles(path.join(t.dataDir, "media")));
  const rows = await snapshot(t);
  const referenced = new Set([...rows.values()].flat());
  for (const f of referenced) assert.ok(files.has(f), `row without file: ${f}`);
  const pending = new Set((await t.db.pendingFileDeletion.findMany()).map((p) => p.path));
  for (const f of files) assert.ok(referenced.has(f) || pending.has(`media/${f}`), `file without row or to-do entry: ${f}`);
  return pending.size;
}

describe("applyRetention: 10,000 clips", () => {
  let t: TestDb;
  before(async () => {
    t = await createTestDb();
    await prepare(t, 3);
    const old = new Date(NOW - 100 * DAY_MS);
    const recent = new Date(NOW - DAY_MS);
    await t.db.cameraDiagnostic.createMany({ data: [{ cameraId: "front", at: old, kind: "online" }, { cameraId: "front", at: recent, kind: "offline" }] });
    await t.db.activity.createMany({ data: [{ at: new Date(NOW - 31 * DAY_MS), action: "live.view" }, { at: recent, action: "live.view" }] });
  });
  after(() => t.cleanup());

  test("exactly the planned events go, with their rows and files; nothing else", async () => {
    const clock = fakeClock(NOW);
    const before = await snapshot(t);
    const filesBefore = listMediaFiles(path.join(t.dataDir, "media")).length;
    // A nearly full disk (stand-in for statfs): the floor must take some events beyond age and quota, not all.
    const floorBytes = 20 * MIB;
    const policy = await loadRetentionPolicy(t.db, floorBytes);
    const items = await allItems(t);
    const noFloor = planRetention(items, policy, clock.now(), null);
    const deletable = items.filter((i) => !i.isProtected && !isRecording(i, NOW)).reduce((n, i) => n + i.bytes, 0);
    const freeBytes = targetFreeBytes(floorBytes) - (noFloor.freedBytes + (deletable - noFloor.freedBytes) / 2);
    const disk = { freeBytes, totalBytes: 100 * MIB };

    let plan: RetentionPlan | null = null;
    const r = await applyRetention(t.db, { dataDir: t.dataDir, floorBytes, clock, readDisk: async () => disk, onPlan: (p) => (plan = p) });
    assert.ok(plan);
    const p = plan as RetentionPlan;
    // The plan over the oldest events only (what apply loads) equals the plan over all of them.
    assert.deepEqual(
      p.deletions.map((d) => `${d.id}:${d.reason}`),
      planRetention(items, policy, clock.now(), disk).deletions.map((d) => `${d.id}:${d.reason}`),
    );
    const planned = new Set(p.deletions.map((d) => d.id));
    assert.ok(r.planned.age > 500 && r.planned.quota > 10 && r.planned.floor > 10, `every rule had work: ${JSON.stringify(r.planned)}`);
    assert.deepEqual(r.warnings, []);
    const byId = new Map(items.map((i) => [i.id, i]));
    for (const id of planned) {
      assert.equal(byId.get(id)!.isProtected, false, "protected events are never planned");
      assert.ok(!id.startsWith("open"), "events being recorded are never planned");
    }

    const afterRun = await snapshot(t);
    const files = new Set(listMediaFiles(path.join(t.dataDir, "media")));
    let goneFiles = 0;
    for (const [id, paths] of before) {
      if (planned.has(id)) {
        assert.equal(afterRun.has(id), false, `${id} planned, still there`);
        for (const f of paths) assert.equal(files.has(f), false, `${f} of ${id} still on disk`);
        goneFiles += paths.length;
      } else {
        assert.deepEqual(afterRun.get(id), paths, `${id} not planned, but changed`);
        for (const f of paths) assert.ok(files.has(f), `${f} of kept ${id} is gone`);
      }
    }
    assert.equal(files.size, filesBefore - goneFiles, "no other file touched");
    assert.equal(r.deleted.events, planned.size);
    assert.equal(r.deleted.files, goneFiles);
    assert.equal(r.deleted.bytes, p.freedBytes);
    assert.deepEqual(r.deleted.byReason, r.planned);
    assert.equal(await t.db.pendingFileDeletion.count(), 0);
    assert.equal(r.diagnostics, 1);
    assert.equal(r.activity, 1);
    assert.equal(await t.db.cameraDiagnostic.count(), 1);
    assert.equal(await t.db.activity.count(), 1);

    const again = await applyRetention(t.db, { dataDir: t.dataDir, floorBytes, clock, readDisk: async () => ({ freeBytes: targetFreeBytes(floorBytes), totalBytes: 100 * MIB }) });
    assert.equal(again.deleted.events, 0, "a second pass finds nothing to do");
  });
});

describe("applyRetention killed half-way", () => {
  let t: TestDb;
  let child: ChildProcess | null = null;
  before(async () => {
    t = await createTestDb();
    await prepare(t, 4);
  });
  after(async () => {
    child?.kill("SIGKILL");
    await t.cleanup();
  });

  const runChild = () =>
    spawn(process.execPath, ["--import", "tsx", path.join(root, "lib/retention/apply-child.ts")], {
      cwd: root,
      // (The child's own temp files, e.g. tsx's cache, stay in the usual place.)
      env: { ...process.env, TMPDIR: ORIGINAL_TMPDIR, DATA_DIR: t.dataDir, LOG_LEVEL: "error", RETENTION_NOW: new Date(NOW).toISOString(), RETENTION_BATCH: "40", RETENTION_PAUSE_MS: "15" },
      stdio: ["ignore", "pipe", "inherit"],
    });

  test("the next pass finishes the job: consistent, nothing pending, exactly the plan applied", async (ctx) => {
    const clock = fakeClock(NOW);
    const policy = await loadRetentionPolicy(t.db, 0);
    const plan = planRetention(await allItems(t), policy, clock.now(), null);
    const planned = new Set(plan.deletions.map((d) => d.id));
    assert.ok(planned.size > 500);
    const before = await snapshot(t);

    // Two passes killed: the first as soon as it has files listed as pending (rows gone, files not yet unlinked),
    // the next (which starts by finishing those) wherever it is once it has deleted 400 more events.
    const watch = new Database(t.file, { readonly: true, timeout: 5000 });
    const count = (sql: string) => (watch.prepare(sql).get() as { n: number }).n;
    let pendingAfterKill = 0;
    for (const killAt of [{ deleted: 0, pending: 1 }, { deleted: 400, pending: 0 }]) {
      const eventsBefore = count("SELECT COUNT(*) AS n FROM Event");
      child = runChild();
      const exited = new Promise<number | null>((r) => child!.once("exit", (code) => r(code)));
      let pendingAtKill = 0;
      let deletedAtKill = 0;
      const started = Date.now();
      for (;;) {
        const pending = count("SELECT COUNT(*) AS n FROM PendingFileDeletion");
        const deleted = eventsBefore - count("SELECT COUNT(*) AS n FROM Event");
        if (deleted >= killAt.deleted && pending >= killAt.pending && (deleted > 0 || pending > 0)) {
          child.kill("SIGKILL");
          pendingAtKill = pending;
          deletedAtKill = deleted;
          break;
        }
        if (Date.now() - started > 20_000) assert.fail("the pass never started deleting");
        await sleep(1);
      }
      assert.equal(await exited, null, "killed, not finished");
      child = null;
      const eventsLeft = count("SELECT COUNT(*) AS n FROM Event");
      assert.ok(eventsLeft > before.size - planned.size, `killed before the end (${deletedAtKill} events deleted, ${pendingAtKill} files pending at the kill)`);
      ctx.diagnostic(`pass killed with ${deletedAtKill} events deleted by it (${before.size - eventsLeft} of ${planned.size} planned in all) and ${pendingAtKill} files pending`);
      // Right after a kill: never a row without its file; every file has a row or a to-do entry.
      pendingAfterKill = await assertConsistent(t);
    }
    watch.close();

    const r = await applyRetention(t.db, { dataDir: t.dataDir, floorBytes: 0, clock });
    assert.equal(r.flushed.removed + r.flushed.missing, pendingAfterKill, "the next pass first finishes the pending files");
    assert.equal(await assertConsistent(t), 0, "nothing pending");
    const afterRun = await snapshot(t);
    const files = new Set(listMediaFiles(path.join(t.dataDir, "media")));
    for (const [id, paths] of before) {
      assert.equal(afterRun.has(id), !planned.has(id), `${id}: ${planned.has(id) ? "planned but kept" : "deleted though not planned"}`);
      for (const f of paths) assert.equal(files.has(f), !planned.has(id), `${f}`);
    }
    assert.equal(files.size, [...afterRun.values()].flat().length, "no files without rows");
    const check = await t.db.$queryRawUnsafe<{ integrity_check: string }[]>("PRAGMA integrity_check");
    assert.equal(check[0].integrity_check, "ok");
  });
});

describe("applyRetention for the free-space floor", () => {
  let t: TestDb;
  before(async () => {
    t = await createTestDb();
    await t.db.camera.create({ data: { id: "front", name: "front", mainStreamUrl: "rtsp://192.0.2.1/front" } });
    const events: SeedEvent[] = Array.from({ length: 20 }, (_, i) => ({ id: `f${String(i).padStart(2, "0")}`, cameraId: "front", startedAt: new Date(NOW - (20 - i) * 3_600_000), endedAt: new Date(NOW - (20 - i) * 3_600_000 + 60_000), clips: 1 }));
    seedEvents(t.file, events, { mediaDir: path.join(t.dataDir, "media"), clipBytes: 1024 });
  });
  after(() => t.cleanup());

  test("stops deleting for the floor as soon as the disk has room again", async () => {
    // The disk (stand-in) is full when planned and before the first batch; then someone made room.
    let reads = 0;
    const readDisk = async () => ({ freeBytes: ++reads <= 2 ? 0 : 10 * MIB, totalBytes: 100 * MIB });
    const r = await applyRetention(t.db, { dataDir: t.dataDir, floorBytes: 2 * MIB, clock: fakeClock(NOW), readDisk, batchSize: 5, pauseMs: 0 });
    assert.equal(r.planned.floor, 20, "the plan: everything, oldest first");
    assert.equal(r.deleted.byReason.floor, 5, "one batch, then the disk had room");
    assert.deepEqual((await t.db.event.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map((e) => e.id).slice(0, 1), ["f05"], "the oldest went");
    assert.deepEqual(r.warnings, ["floor_unreachable"]);
  });
});

describe("applyRetention below the free-space target: the playback cache goes before any recording", () => {
  let t: TestDb;
  before(async () => {
    t = await createTestDb();
    await t.db.household.create({ data: { name: "Home" } });
    await t.db.camera.create({ data: { id: "front", name: "front", mainStreamUrl: "rtsp://192.0.2.1/front", retentionDays: 30 } });
    const events: SeedEvent[] = Array.from({ length: 6 }, (_, i) => ({ id: `c${i}`, cameraId: "front", startedAt: new Date(NOW - (6 - i) * 3_600_000), endedAt: new Date(NOW - (6 - i) * 3_600_000 + 60_000), clips: 2 }));
    seedEvents(t.file, events, { mediaDir: path.join(t.dataDir, "media"), clipBytes: 1024 });
  });
  after(() => t.cleanup());

  test("with the cache emptied the disk has room: no recording is deleted; a file being written stays", async () => {
    const cache = path.join(t.dataDir, "event-cache");
    for (const id of ["c0", "c3"]) {
      fs.mkdirSync(path.join(cache, id), { recursive: true });
      fs.writeFileSync(path.join(cache, id, "k1.mp4"), Buffer.alloc(64 * 1024));
    }
    const writing = path.join(cache, "c4", `k2.mp4.tmp-${process.pid}-abc`);
    fs.mkdirSync(path.dirname(writing), { recursive: true });
    fs.writeFileSync(writing, Buffer.alloc(1024));
    // The disk (stand-in) is full while the cache's complete files are there.
    const readDisk = async () => ({ freeBytes: fs.existsSync(path.join(cache, "c0", "k1.mp4")) ? 0 : 10 * MIB, totalBytes: 100 * MIB });
    const r = await applyRetention(t.db, { dataDir: t.dataDir, floorBytes: 2 * MIB, clock: fakeClock(NOW), readDisk, pauseMs: 0 });
    assert.deepEqual(r.eventCache, { files: 2, bytes: 128 * 1024 });
    assert.equal(r.planned.floor, 0);
    assert.equal(await t.db.event.count(), 6, "every recording stays");
    assert.deepEqual([fs.existsSync(path.join(cache, "c3", "k1.mp4")), fs.existsSync(writing)], [false, true]);
    // With room on the disk the cache is left alone.
    fs.mkdirSync(path.join(cache, "c1"), { recursive: true });
    fs.writeFileSync(path.join(cache, "c1", "k1.mp4"), Buffer.alloc(1024));
    const calm = await applyRetention(t.db, { dataDir: t.dataDir, floorBytes: 2 * MIB, clock: fakeClock(NOW), readDisk: async () => ({ freeBytes: 50 * MIB, totalBytes: 100 * MIB }), pauseMs: 0 });
    assert.deepEqual(calm.eventCache, { files: 0, bytes: 0 });
    assert.ok(fs.existsSync(path.join(cache, "c1", "k1.mp4")));
  });
});

describe("applyRetention with timelapses (real frames and videos)", { timeout: 300_000 }, () => {
  // Days in UTC: 2026-06-20 (ended 10.5 days before NOW: past the camera's 7 days), 2026-06-28 (2.5 days: inside),
  // and today's, still being captured. Frames every 10 minutes of ffmpeg's test pattern through the recorder's path.
  const zone = "UTC";
  const MiB = 1024 * 1024;
  let t: TestDb;
  let work: string;
  const camera = { id: "garden", name: "Garden" };
  const rowOf = (day: string) => t.db.timelapse.findFirstOrThrow({ where: { cameraId: camera.id, day } });
  const onDisk = (rel: string) => fs.existsSync(path.join(t.dataDir, "media", rel));

  before(async () => {
    t = await createTestDb();
    work = fs.mkdtempSync(path.join(os.tmpdir(), "nightjar-retention-tl-"));
    await t.db.household.create({ data: { name: "Home" } });
    await t.db.camera.create({ data: { id: camera.id, name: camera.name, mainStreamUrl: "rtsp://192.0.2.1/garden", retentionDays: 7, timelapseEnabled: true, timelapseIntervalSeconds: 600 } });
    const segments = await makeSegments("ffmpeg", path.join(work, "seg"), { kind: "pattern", codec: "h264", width: 640, height: 360, seconds: 3 });
    for (const day of ["2026-06-20", "2026-06-28"]) await captureSimulatedDay(t.db, t.dataDir, segments, { camera, day, timeZone: zone, intervalSeconds: 600 });
    await captureSimulatedDay(t.db, t.dataDir, segments, { camera, day: "2026-07-01", timeZone: zone, intervalSeconds: 600, toMs: NOW - 3_600_000 });
    const made = await stepTimelapses(t.db, { dataDir: t.dataDir, ffmpegPath: "ffmpeg", clock: fakeClock(NOW) });
    assert.equal(made.length, 2, "the two finished days are made into videos");
  });
  after(async () => {
    await t?.cleanup();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  test("a day older than the camera's retention goes with its frames and video; one inside stays; today's is never touched", async () => {
    const old = await rowOf("2026-06-20");
    const inside = await rowOf("2026-06-28");
    const today = await rowOf("2026-07-01");
    assert.deepEqual([old.status, inside.status, today.status], ["ready", "ready", "capturing"]);
    for (const r of [old, inside]) assert.ok(onDisk(r.path!) && onDisk(r.framesDir!), r.day!);
    const total = [old, inside, today].reduce((n, r) => n + r.bytes + r.framesBytes, 0);

    let plan: RetentionPlan | null = null;
    const r = await applyRetention(t.db, { dataDir: t.dataDir, floorBytes: 0, clock: fakeClock(NOW), onPlan: (p) => (plan = p) });
    assert.equal(r.usedBytes, total, "timelapses count toward the total");
    assert.deepEqual((plan as RetentionPlan | null)?.deletions.map((d) => `${d.kind}:${d.id}:${d.reason}`), [`timelapse:${old.id}:age`]);
    assert.deepEqual([r.deleted.timelapses, r.deleted.events, r.deleted.byReason.age], [1, 0, 1]);
    assert.equal(r.deleted.bytes, old.bytes + old.framesBytes);
    assert.equal(r.deleted.files, 2, "the video and the frames folder");
    assert.equal(await t.db.timelapse.count({ where: { id: old.id } }), 0);
    assert.equal(onDisk(old.path!), false, "the video is gone");
    assert.equal(onDisk(old.framesDir!), false, "the frames folder is gone");
    for (const r2 of [inside, today]) assert.ok(onDisk(r2.framesDir!) && (r2.path === null || onDisk(r2.path)), `${r2.day} kept`);
    assert.equal(await t.db.pendingFileDeletion.count(), 0);
  });

  test("quota pressure takes the oldest of events and timelapses together, never the day being captured", async () => {
    const inside = await rowOf("2026-06-28");
    const today = await rowOf("2026-07-01");
    const insideBytes = inside.bytes + inside.framesBytes;
    const todayBytes = today.bytes + today.framesBytes;
    assert.ok(insideBytes > MiB, `the day's frames and video weigh more than 1 MiB (${insideBytes})`);
    // One event before the day (started 06-27 12:00) and one after it (06-30 12:00).
    const media = path.join(t.dataDir, "media");
    seedEvents(t.file, [{ id: "older", cameraId: camera.id, startedAt: new Date(NOW - 4 * DAY_MS), endedAt: new Date(NOW - 4 * DAY_MS + 60_000), clips: 1 }], { mediaDir: media, clipBytes: MiB });
    seedEvents(t.file, [{ id: "newer", cameraId: camera.id, startedAt: new Date(NOW - DAY_MS), endedAt: new Date(NOW - DAY_MS + 60_000), clips: 1 }], { mediaDir: media, clipBytes: 4 * MiB });
    // Room for the newer event and today's frames only: the older event and the 06-28 day must go, in that order.
    const quotaMb = Math.ceil((4 * MiB + todayBytes) / MiB);
    await t.db.household.updateMany({ data: { storageQuotaMb: quotaMb } });
    let plan: RetentionPlan | null = null;
    const r = await applyRetention(t.db, { dataDir: t.dataDir, floorBytes: 0, clock: fakeClock(NOW), onPlan: (p) => (plan = p) });
    assert.deepEqual((plan as RetentionPlan | null)?.deletions.map((d) => `${d.kind}:${d.id}:${d.reason}`), ["event:older:quota", `timelapse:${inside.id}:quota`]);
    assert.deepEqual([r.deleted.events, r.deleted.timelapses, r.deleted.byReason.quota], [1, 1, 2]);
    assert.deepEqual(r.warnings, []);
    assert.deepEqual((await t.db.event.findMany({ select: { id: true } })).map((e) => e.id), ["newer"]);
    assert.deepEqual((await t.db.timelapse.findMany({ select: { day: true } })).map((x) => x.day), ["2026-07-01"]);
    assert.equal(onDisk(inside.framesDir!) || onDisk(inside.path!), false);
    assert.ok(onDisk(today.framesDir!));
  });
});
