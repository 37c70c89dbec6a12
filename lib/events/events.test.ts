import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { fileResponse, parseRange } from "../http/file-response";
import { errorCode } from "../testing/errors";
import { createTestDb, type TestDb } from "../testing/db";
import { decodeCursor, listEvents, mediaFile, requireEventAccess } from "./events";

describe("events: visibility and keyset pages", () => {
  let t: TestDb;
  before(async () => {
    t = await createTestDb();
    for (const [id, role] of [["a", "admin"], ["m", "member"]] as const) await t.db.user.create({ data: { id, email: `${id}@x.test`, passwordHash: "x", role } });
    for (const id of ["cam1", "cam2"]) await t.db.camera.create({ data: { id, name: id, mainStreamUrl: `rtsp://192.0.2.1/${id}` } });
    await t.db.cameraAccess.create({ data: { cameraId: "cam1", userId: "m" } });
    const base = Date.UTC(2026, 5, 1);
    for (let i = 0; i < 25; i++) {
      await t.db.event.create({ data: { id: `e${String(i).padStart(2, "0")}`, cameraId: i % 2 ? "cam2" : "cam1", cameraName: i % 2 ? "cam2" : "cam1", startedAt: new Date(base + Math.floor(i / 2) * 1000) } });
    }
  });
  after(() => t.cleanup());

  test("pages cover every visible event once, newest first, even with equal start times", async () => {
    const seen: string[] = [];
    let before: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof listEvents>> = await listEvents(t.db, { id: "a", role: "admin" }, { limit: 4, before });
      seen.push(...page.events.map((e) => e.id));
      before = page.nextBefore;
    } while (before);
    assert.equal(seen.length, 25);
    assert.equal(new Set(seen).size, 25);
    const all = await listEvents(t.db, { id: "a", role: "admin" }, { limit: 100 });
    assert.deepEqual(seen, all.events.map((e) => e.id));
    for (let i = 1; i < all.events.length; i++) assert.ok(all.events[i - 1].startedAt >= all.events[i].startedAt);
  });

  test("a member sees only granted cameras; foreign events are forbidden", async () => {
    const mine = await listEvents(t.db, { id: "m", role: "member" }, { limit: 100 });
    assert.equal(mine.events.length, 13);
    assert.ok(mine.events.every((e) => e.cameraId === "cam1"));
    assert.equal(await errorCode(requireEventAccess(t.db, { id: "m", role: "member" }, "e01")), "forbidden");
    assert.equal(await errorCode(requireEventAccess(t.db, { id: "m", role: "member" }, "e00")), "ok");
    assert.equal(await errorCode(requireEventAccess(t.db, { id: "m", role: "member" }, "nope")), "not_found");
  });

  test("bad cursors and paths are refused", () => {
    assert.throws(() => decodeCursor("../../etc"));
    assert.equal(decodeCursor(null), null);
    assert.throws(() => mediaFile("/data/media", "../secrets/session-secret"));
    assert.throws(() => mediaFile("/data/media", "/etc/passwd"));
    assert.equal(mediaFile("/data/media", "cam/2026/01/01/a.mp4"), "/data/media/cam/2026/01/01/a.mp4");
  });
});

describe("file responses", () => {
  const cases: [string | null, number, ReturnType<typeof parseRange>][] = [
    [null, 100, null],
    ["bytes=0-9", 100, { start: 0, end: 9 }],
    ["bytes=90-", 100, { start: 90, end: 99 }],
    ["bytes=-10", 100, { start: 90, end: 99 }],
    ["bytes=50-500", 100, { start: 50, end: 99 }],
    ["bytes=100-", 100, "unsatisfiable"],
    ["bytes=9-3", 100, "unsatisfiable"],
    ["bytes=0-1,5-6", 100, null],
    ["items=0-1", 100, null],
  ];
  for (const [header, size, expected] of cases) test(`Range ${header}`, () => assert.deepEqual(parseRange(header, size), expected));

  test("streams whole files and ranges; a missing file is not_found", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nightjar-file-"));
    const file = path.join(dir, "a.bin");
    fs.writeFileSync(file, Buffer.from("0123456789"));
    const whole = fileResponse(file, new Request("http://x/"), { contentType: "video/mp4", downloadName: "Front door 12:00.mp4" });
    assert.equal(whole.status, 200);
    assert.equal(await whole.text(), "0123456789");
    assert.equal(whole.headers.get("content-disposition"), 'attachment; filename="Front_door_12_00.mp4"');
    const part = fileResponse(file, new Request("http://x/", { headers: { range: "bytes=2-4" } }), { contentType: "video/mp4" });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get("content-range"), "bytes 2-4/10");
    assert.equal(await part.text(), "234");
    assert.equal(fileResponse(file, new Request("http://x/", { headers: { range: "bytes=20-" } }), { contentType: "video/mp4" }).status, 416);
    assert.throws(() => fileResponse(path.join(dir, "gone"), new Request("http://x/"), { contentType: "video/mp4" }), /not_found/);
    fs.rmSync(dir, { recursive: true });
  });
});
