import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { createTestDb, type TestDb } from "../testing/db";
import { applyReconcile, planReconcile } from "./reconcile";
import { salvageOpenEvents } from "./salvage";

describe("planReconcile", () => {
  const cases: [string, string[], { clips: { id: string; path: string; videoCodec?: string }[]; photos: { eventId: string; path: string; thumbPath: string }[]; timelapses?: { framesDir: string | null; path: string | null }[] }, { deleteFiles: string[]; deleteClipIds: string[]; deletePhotoEventIds: string[] }][] = [
    ["all consistent", ["c/a.mp4", "c/p.jpg", "c/t.jpg"], { clips: [{ id: "1", path: "c/a.mp4" }], photos: [{ eventId: "e", path: "c/p.jpg", thumbPath: "c/t.jpg" }] }, { deleteFiles: [], deleteClipIds: [], deletePhotoEventIds: [] }],
    ["temp file from a killed write", ["c/a.mp4", "c/b.mp4.tmp-123.mp4"], { clips: [{ id: "1", path: "c/a.mp4" }], photos: [] }, { deleteFiles: ["c/b.mp4.tmp-123.mp4"], deleteClipIds: [], deletePhotoEventIds: [] }],
    ["row without file", [], { clips: [{ id: "1", path: "c/a.mp4" }], photos: [] }, { deleteFiles: [], deleteClipIds: ["1"], deletePhotoEventIds: [] }],
    ["file without row (renamed, then killed before the insert)", ["c/a.mp4", "c/orphan.mp4"], { clips: [{ id: "1", path: "c/a.mp4" }], photos: [] }, { deleteFiles: ["c/orphan.mp4"], deleteClipIds: [], deletePhotoEventIds: [] }],
    ["an H.265 clip's H.264 copy belongs to it; a copy without its clip does not", ["c/a.mp4", "c/a-h264.mp4", "c/b-h264.mp4"], { clips: [{ id: "1", path: "c/a.mp4", videoCodec: "hevc" }], photos: [] }, { deleteFiles: ["c/b-h264.mp4"], deleteClipIds: [], deletePhotoEventIds: [] }],
    ["photo missing its thumbnail", ["c/p.jpg"], { clips: [], photos: [{ eventId: "e", path: "c/p.jpg", thumbPath: "c/t.jpg" }] }, { deleteFiles: ["c/p.jpg"], deleteClipIds: [], deletePhotoEventIds: ["e"] }],
    [
      "a timelapse day's frames belong to its row through their folder; frames and videos without a row go; the runner's temp file stays",
      ["c/timelapse/2026-11-20/1.h264", "c/timelapse/2026-11-20/2.h265", "c/timelapse/2026-11-20/.tmp-3.h264", "c/timelapse/2026-11-20.mp4", "c/timelapse/2026-11-19/1.h264", "c/timelapse/range-x.mp4", "c/timelapse/2026-11-21.mp4.tmp-abc"],
      { clips: [], photos: [], timelapses: [{ framesDir: "c/timelapse/2026-11-20", path: "c/timelapse/2026-11-20.mp4" }, { framesDir: null, path: null }] },
      { deleteFiles: ["c/timelapse/2026-11-19/1.h264", "c/timelapse/2026-11-20/.tmp-3.h264", "c/timelapse/range-x.mp4"], deleteClipIds: [], deletePhotoEventIds: [] },
    ],
  ];
  for (const [name, files, rows, expected] of cases) test(name, () => assert.deepEqual(planReconcile(files, rows), expected));
});

describe("applyReconcile (real SQLite and files)", () => {
  let t: TestDb;
  before(async () => (t = await createTestDb()));
  after(() => t.cleanup());

  test("repairs disk and database, and is idempotent", async () => {
    const media = path.join(t.dataDir, "media");
    const write = (rel: string) => {
      fs.mkdirSync(path.dirname(path.join(media, rel)), { recursive: true });
      fs.writeFileSync(path.join(media, rel), "x");
    };
    await t.db.event.create({ data: { id: "e1", cameraName: "Cam", startedAt: new Date(), clips: { create: [{ id: "c1", sequence: 1, path: "cam/2026/01/01/a.mp4", bytes: 1, startedAt: new Date(), durationMs: 1000 }, { id: "c2", sequence: 2, path: "cam/2026/01/01/b.mp4", bytes: 1, startedAt: new Date(), durationMs: 1000 }] } } });
    await t.db.event.create({ data: { id: "e2", cameraName: "Cam", startedAt: new Date(), clips: { create: [{ id: "c3", sequence: 1, path: "cam/2026/01/01/gone.mp4", bytes: 1, startedAt: new Date(), durationMs: 1000 }] } } });
    write("cam/2026/01/01/a.mp4");
    write("cam/2026/01/01/b.mp4");
    write("cam/2026/01/01/c.mp4.tmp-999.mp4");
    write("cam/2026/01/01/orphan.mp4");
    const plan = await applyReconcile(t.db, t.dataDir);
    assert.deepEqual(plan.deleteFiles, ["cam/2026/01/01/c.mp4.tmp-999.mp4", "cam/2026/01/01/orphan.mp4"]);
    assert.deepEqual(plan.deleteClipIds, ["c3"]);
    assert.deepEqual((await t.db.clip.findMany({ orderBy: { id: "asc" } })).map((c) => c.id), ["c1", "c2"]);
    // e2 is still open (its recorder was killed): the salvage cuts what the live ring still holds — nothing here — and
    // removes an event with nothing left.
    assert.deepEqual((await t.db.event.findMany({ orderBy: { id: "asc" } })).map((e) => e.id), ["e1", "e2"], "open events are the salvage's");
    assert.deepEqual(await salvageOpenEvents({ db: t.db, dataDir: t.dataDir, ffmpegPath: "ffmpeg" }, Date.now()), { events: 2, clips: 0, savedMs: 0, removed: 1 });
    assert.deepEqual((await t.db.event.findMany()).map((e) => e.id), ["e1"], "an event with nothing left is removed");
    assert.notEqual((await t.db.event.findUniqueOrThrow({ where: { id: "e1" } })).endedAt, null, "and none is left open");
    assert.deepEqual(fs.readdirSync(path.join(media, "cam/2026/01/01")).sort(), ["a.mp4", "b.mp4"]);
    const again = await applyReconcile(t.db, t.dataDir);
    assert.deepEqual(again, { deleteFiles: [], deleteClipIds: [], deletePhotoEventIds: [] });
  });
});
