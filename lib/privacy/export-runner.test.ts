// Export jobs end to end below the HTTP layer: queued → running (progress rising) → ready → downloadable → expired and
// removed; one export at a time per member; recovery after a killed worker; deletion while running; failure.
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { fakeClock } from "../clock";
import { mediaDir } from "../data-dir";
import { createTestDb, type TestDb } from "../testing/db";
import { errorCode } from "../testing/errors";
import {
  createExportJob,
  deleteExportJob,
  EXPORT_LIFETIME_MS,
  getExportJob,
  listExportJobs,
  removeExpiredExports,
  requireDownloadableExport,
} from "./export-jobs";
import { recoverInterruptedExports, runNextExport, startExportRunner } from "./export-runner";
import { exportsDir } from "../data-dir";

const ADMIN = { id: "adm", role: "admin" as const };
const MEMBER = { id: "mem", role: "member" as const };

describe("export jobs and runner", () => {
  let t: TestDb;
  const clock = fakeClock("2026-06-10T12:00:00Z");
  const options = () => ({ dataDir: t.dataDir, clock, progressMs: 0 });

  before(async () => {
    t = await createTestDb();
    await t.db.household.create({ data: { id: 1, name: "Home" } });
    await t.db.user.create({ data: { id: ADMIN.id, email: "a@x.test", passwordHash: "x", role: "admin" } });
    await t.db.user.create({ data: { id: MEMBER.id, email: "m@x.test", passwordHash: "x", role: "member" } });
    await t.db.camera.create({ data: { id: "cam1", name: "Door", mainStreamUrl: "rtsp://192.0.2.1/main" } });
    await t.db.camera.create({ data: { id: "cam2", name: "Yard", mainStreamUrl: "rtsp://192.0.2.2/main" } });
    await t.db.cameraAccess.create({ data: { cameraId: "cam1", userId: MEMBER.id } });
    // 12 clips of 4 MiB (random: not compressible; these need not be video for the runner) for a measurable progress.
    const dir = path.join(mediaDir(t.dataDir), "cam1/2026/06/01");
    fs.mkdirSync(dir, { recursive: true });
    for (let i = 0; i < 12; i++) {
      const rel = `cam1/2026/06/01/e${i}.mp4`;
      fs.writeFileSync(path.join(mediaDir(t.dataDir), rel), crypto.randomBytes(4 * 1024 * 1024));
      await t.db.event.create({ data: { id: `e${i}`, cameraId: "cam1", cameraName: "Door", startedAt: new Date(Date.UTC(2026, 5, 1, 10, i)) } });
      await t.db.clip.create({ data: { id: `c${i}`, eventId: `e${i}`, sequence: 1, path: rel, bytes: 4 * 1024 * 1024, startedAt: new Date(Date.UTC(2026, 5, 1, 10, i)), durationMs: 2000 } });
    }
  });
  after(() => t.cleanup());

  test("requests are checked: cameras the member may see, a sane range, one export at a time", async () => {
    assert.equal(await errorCode(createExportJob(t.db, MEMBER, { cameraIds: ["cam2"] }, clock.now())), "forbidden");
    assert.equal(await errorCode(createExportJob(t.db, MEMBER, { cameraIds: ["nope"] }, clock.now())), "not_found");
    assert.equal(await errorCode(createExportJob(t.db, MEMBER, { from: "2026-06-02T00:00:00Z", to: "2026-06-01T00:00:00+02:00" }, clock.now())), "invalid_date_range");
    const job = await createExportJob(t.db, MEMBER, { from: "2026-06-01T00:00:00+02:00", cameraIds: ["cam1", "cam1"] }, clock.now());
    assert.equal(job.status, "queued");
    assert.deepEqual(job.filters, { from: "2026-05-31T22:00:00.000Z", cameraIds: ["cam1"] });
    assert.equal(await errorCode(createExportJob(t.db, MEMBER, {}, clock.now())), "export_in_progress");
    assert.equal(await errorCode(requireDownloadableExport(t.db, t.dataDir, MEMBER.id, job.id, clock.now())), "export_not_ready");
    assert.equal(await errorCode(getExportJob(t.db, ADMIN.id, job.id, clock.now())), "not_found", "someone else's export is not found");
    await deleteExportJob(t.db, t.dataDir, MEMBER.id, job.id);
    assert.deepEqual(await listExportJobs(t.db, MEMBER.id, clock.now()), []);
    // Two requests at once (a double click): one export.
    const racing = await Promise.allSettled([createExportJob(t.db, MEMBER, {}, clock.now()), createExportJob(t.db, MEMBER, {}, clock.now())]);
    assert.deepEqual(racing.map((r) => r.status).sort(), ["fulfilled", "rejected"]);
    const [only] = await listExportJobs(t.db, MEMBER.id, clock.now());
    await deleteExportJob(t.db, t.dataDir, MEMBER.id, only.id);
    assert.equal(await t.db.exportJob.count(), 0);
  });

  test("queued → running with rising progress → ready, downloadable for 24 h, then removed", async () => {
    const job = await createExportJob(t.db, MEMBER, {}, clock.now());
    const seen: { done: number; total: number }[] = [];
    const statuses: Promise<string | undefined>[] = [];
    const ran = await runNextExport(t.db, {
      ...options(),
      onProgress: (_id, done, total) => {
        seen.push({ done, total });
        statuses.push(t.db.exportJob.findUnique({ where: { id: job.id } }).then((j) => j?.status));
      },
    });
    assert.equal(ran, job.id);
    assert.ok(seen.length >= 10, `${seen.length} progress writes`);
    for (let i = 1; i < seen.length; i++) assert.ok(seen[i].done >= seen[i - 1].done, "bytesDone never goes back");
    assert.ok(seen.every((p) => p.done <= p.total), "done stays within the total");
    assert.ok(seen.at(-1)!.done > 40 * 1024 * 1024, "progress reached the media");
    assert.ok((await Promise.all(statuses)).includes("running"));

    const ready = await getExportJob(t.db, MEMBER.id, job.id, clock.now());
    assert.equal(ready.status, "ready");
    assert.equal(ready.downloadable, true);
    assert.equal(ready.expiresAt, new Date(clock.now().getTime() + EXPORT_LIFETIME_MS).toISOString());
    const { file } = await requireDownloadableExport(t.db, t.dataDir, MEMBER.id, job.id, clock.now());
    assert.equal(fs.statSync(file).size, ready.bytesTotal);
    assert.equal(ready.bytesDone, ready.bytesTotal);
    assert.ok(ready.bytesTotal > 48 * 1024 * 1024);
    assert.deepEqual(fs.readdirSync(exportsDir(t.dataDir)), [`${job.id}.zip`], "no .part left");
    assert.equal(await runNextExport(t.db, options()), null, "nothing else queued");

    // Nothing expires early; after 24 h the download is refused, then the expiry job removes row and file.
    assert.deepEqual(await removeExpiredExports(t.db, t.dataDir, new Date(clock.now().getTime() + EXPORT_LIFETIME_MS - 1000)), { deleted: 0, orphans: 0 });
    const later = new Date(clock.now().getTime() + EXPORT_LIFETIME_MS + 1000);
    assert.equal(await errorCode(requireDownloadableExport(t.db, t.dataDir, MEMBER.id, job.id, later)), "export_expired");
    assert.equal((await getExportJob(t.db, MEMBER.id, job.id, later)).downloadable, false);
    assert.deepEqual(await removeExpiredExports(t.db, t.dataDir, later), { deleted: 1, orphans: 0 });
    assert.equal(fs.existsSync(file), false);
    assert.equal(await t.db.exportJob.count(), 0);
    assert.equal(await t.db.pendingFileDeletion.count(), 0);
  });

  test("a worker killed mid-export: the job is queued again and its partial file removed", async () => {
    const job = await createExportJob(t.db, ADMIN, {}, clock.now());
    await t.db.exportJob.update({ where: { id: job.id }, data: { status: "running", bytesDone: 123 } });
    fs.mkdirSync(exportsDir(t.dataDir), { recursive: true });
    const part = path.join(exportsDir(t.dataDir), `${job.id}.zip.part`);
    fs.writeFileSync(part, "half an archive");
    assert.equal(await recoverInterruptedExports(t.db, t.dataDir), 1);
    assert.equal(fs.existsSync(part), false);
    const again = await getExportJob(t.db, ADMIN.id, job.id, clock.now());
    assert.equal(again.status, "queued");
    assert.equal(again.bytesDone, 0);
    await deleteExportJob(t.db, t.dataDir, ADMIN.id, job.id);
  });

  test("deleting an export while it runs stops it and leaves no file", async () => {
    const job = await createExportJob(t.db, ADMIN, {}, clock.now());
    let deleted = false;
    await runNextExport(t.db, {
      ...options(),
      onProgress: (id, done) => {
        if (!deleted && done > 0) {
          deleted = true;
          void deleteExportJob(t.db, t.dataDir, ADMIN.id, id);
        }
      },
    });
    assert.ok(deleted);
    assert.equal(await t.db.exportJob.count({ where: { id: job.id } }), 0);
    assert.deepEqual(fs.readdirSync(exportsDir(t.dataDir)), []);
  });

  test("a failure marks the job failed (with its error) and expires it like a ready one", async () => {
    fs.rmSync(exportsDir(t.dataDir), { recursive: true, force: true });
    fs.writeFileSync(exportsDir(t.dataDir), "a file where the folder should be");
    try {
      const job = await createExportJob(t.db, MEMBER, {}, clock.now());
      await runNextExport(t.db, options());
      const failed = await getExportJob(t.db, MEMBER.id, job.id, clock.now());
      assert.equal(failed.status, "failed");
      assert.match(failed.error ?? "", /EEXIST|ENOTDIR/);
      assert.equal(await errorCode(requireDownloadableExport(t.db, t.dataDir, MEMBER.id, job.id, clock.now())), "not_found");
      // A failed export does not block the next request.
      const next = await createExportJob(t.db, MEMBER, {}, clock.now());
      await deleteExportJob(t.db, t.dataDir, MEMBER.id, next.id);
    } finally {
      fs.rmSync(exportsDir(t.dataDir), { force: true });
    }
    assert.deepEqual(await removeExpiredExports(t.db, t.dataDir, new Date(clock.now().getTime() + EXPORT_LIFETIME_MS + 1)), { deleted: 1, orphans: 0 });
  });

  test("free space is checked against the floor first: refused at the request, and failed with no_space in the runner", async () => {
    // The real statfs of the test folder, with a floor no disk can meet (1 EB) and one every disk meets (0).
    const free = (await fs.promises.statfs(t.dataDir)).bavail * (await fs.promises.statfs(t.dataDir)).bsize;
    const impossible = { dataDir: t.dataDir, floorBytes: free + 2 ** 60 };
    assert.equal(await errorCode(createExportJob(t.db, MEMBER, {}, clock.now(), impossible)), "export_no_space");
    assert.equal(await t.db.exportJob.count({ where: { userId: MEMBER.id, status: "queued" } }), 0, "nothing queued");
    // The disk filled up between the request and the run: the runner checks again before writing a byte.
    const job = await createExportJob(t.db, MEMBER, {}, clock.now(), { dataDir: t.dataDir, floorBytes: 0 });
    await runNextExport(t.db, { ...options(), floorBytes: impossible.floorBytes });
    const failed = await getExportJob(t.db, MEMBER.id, job.id, clock.now());
    assert.deepEqual([failed.status, failed.error], ["failed", "no_space"]);
    assert.deepEqual(fs.existsSync(exportsDir(t.dataDir)) ? fs.readdirSync(exportsDir(t.dataDir)).filter((f) => f.startsWith(job.id)) : [], [], "no partial file");
    await deleteExportJob(t.db, t.dataDir, MEMBER.id, job.id);
  });

  test("old files no job accounts for are swept; young ones and live jobs' files are left alone", async () => {
    const dir = exportsDir(t.dataDir);
    fs.mkdirSync(dir, { recursive: true });
    const job = await createExportJob(t.db, MEMBER, {}, clock.now());
    const now = new Date();
    const old = new Date(now.getTime() - 2 * 60 * 60 * 1000);
    const write = (name: string, mtime: Date) => {
      fs.writeFileSync(path.join(dir, name), "x");
      fs.utimesSync(path.join(dir, name), mtime, mtime);
    };
    write("ghost.zip", old); // row gone (crash between row deletion and unlink)
    write("ghost2.zip.part", old);
    write("young.zip", now); // may be between rename and row update
    write(`${job.id}.zip.part`, old); // queued job: kept
    assert.deepEqual(await removeExpiredExports(t.db, t.dataDir, now), { deleted: 0, orphans: 2 });
    assert.deepEqual(fs.readdirSync(dir).sort(), [`${job.id}.zip.part`, "young.zip"].sort());
    await deleteExportJob(t.db, t.dataDir, MEMBER.id, job.id);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("the runner loop picks up queued jobs by itself and stops cleanly", async () => {
    const job = await createExportJob(t.db, MEMBER, { cameraIds: ["cam1"] }, clock.now());
    const runner = startExportRunner(t.db, { ...options(), pollMs: 20 });
    try {
      // Polls until ready (the test runner's timeout ends a runner that never gets there).
      while ((await getExportJob(t.db, MEMBER.id, job.id, clock.now())).status !== "ready") await new Promise((r) => setTimeout(r, 50));
    } finally {
      await runner.stop();
    }
    await deleteExportJob(t.db, t.dataDir, MEMBER.id, job.id);
    assert.deepEqual(fs.readdirSync(exportsDir(t.dataDir)), []);
  });
});
