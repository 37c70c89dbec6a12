import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import Database from "better-sqlite3";
import { fileResponse, parseRange } from "../http/file-response";
import { errorCode } from "../testing/errors";
import { createTestDb, type TestDb } from "../testing/db";
import { DETAIL_LIMIT } from "./timeline";
import { decodeCursor, listDayEvents, listEvents, mediaFile, pageSql, requireEventAccess, withDetails, type EventSummary, type ListEventsOptions } from "./events";

const admin = { id: "a", role: "admin" as const };
const member = { id: "m", role: "member" as const };
const loner = { id: "l", role: "viewer" as const };
const BASE = Date.UTC(2026, 5, 1, 8); // 2026-06-01 08:00 UTC

type Row = { id: string; cameraId: string | null; startedAt: number; isProtected: boolean };

async function seedPeople(t: TestDb) {
  for (const [id, role] of [["a", "admin"], ["m", "member"], ["l", "viewer"]] as const) await t.db.user.create({ data: { id, email: `${id}@x.test`, passwordHash: "x", role } });
  for (const id of ["cam1", "cam2", "cam3"]) await t.db.camera.create({ data: { id, name: `Camera ${id.slice(3)}`, mainStreamUrl: `rtsp://192.0.2.1/${id}` } });
  await t.db.cameraAccess.createMany({ data: [{ cameraId: "cam1", userId: "m" }, { cameraId: "cam3", userId: "m" }] });
}

/** Pages through listEvents and returns every id in order (and checks each page's size). */
async function allPages(t: TestDb, who: typeof admin | typeof member, opts: ListEventsOptions, limit: number): Promise<string[]> {
  const seen: string[] = [];
  let before: string | null = null;
  for (let guard = 0; guard < 1000; guard++) {
    const page: Awaited<ReturnType<typeof listEvents>> = await listEvents(t.db, who, { ...opts, limit, before });
    assert.ok(page.events.length <= limit, "page too long");
    if (page.nextBefore) assert.equal(page.events.length, limit);
    seen.push(...page.events.map((e) => e.id));
    before = page.nextBefore;
    if (!before) return seen;
  }
  throw new Error("paging did not end");
}

describe("events: filters, keyset pages and visibility", () => {
  let t: TestDb;
  const rows: Row[] = [];
  before(async () => {
    t = await createTestDb();
    await seedPeople(t);
    // 120 events over ~2 days on 3 cameras plus a deleted one, with many equal start times (ties broken by id).
    let n = 0;
    for (let i = 0; i < 120; i++) {
      const cameraId = i % 11 === 5 ? null : `cam${(i % 3) + 1}`;
      const startedAt = BASE + Math.floor(i / 3) * 30 * 60_000; // three events share each start time
      const id = `ev${String((i * 37) % 1000).padStart(4, "0")}${n++}`;
      const isProtected = i % 7 === 0;
      rows.push({ id, cameraId, startedAt, isProtected });
      await t.db.event.create({ data: { id, cameraId, cameraName: cameraId ? `Camera ${cameraId.slice(3)}` : "Old shed", startedAt: new Date(startedAt), endedAt: new Date(startedAt + 15_000), isProtected } });
      await t.db.clip.create({ data: { id: `c${id}`, eventId: id, sequence: 1, path: `x/${id}-1.mp4`, bytes: 100, startedAt: new Date(startedAt - 5000), durationMs: 10_000 } });
      if (i % 2) await t.db.clip.create({ data: { id: `d${id}`, eventId: id, sequence: 2, path: `x/${id}-2.mp4`, bytes: 50, startedAt: new Date(startedAt + 5000), durationMs: 10_000 } });
      if (i % 4) await t.db.photo.create({ data: { eventId: id, path: `x/${id}.jpg`, bytes: 10, width: 1920, height: 1080, thumbPath: `x/${id}.t.jpg`, thumbBytes: 1, thumbWidth: 320, thumbHeight: 180, takenAt: new Date(startedAt) } });
    }
  });
  after(() => t.cleanup());

  /** The reference answer, computed in JavaScript. */
  function expected(visible: (r: Row) => boolean, o: ListEventsOptions): string[] {
    return rows
      .filter(visible)
      .filter((r) => !o.cameraIds || (r.cameraId !== null && o.cameraIds.includes(r.cameraId)))
      .filter((r) => !o.from || r.startedAt >= o.from.getTime())
      .filter((r) => !o.to || r.startedAt < o.to.getTime())
      .filter((r) => o.protected === undefined || r.isProtected === o.protected)
      .sort((a, b) => b.startedAt - a.startedAt || (a.id < b.id ? 1 : -1))
      .map((r) => r.id);
  }
  const adminSees = () => true;
  const memberSees = (r: Row) => r.cameraId === "cam1" || r.cameraId === "cam3";

  const combos: [string, ListEventsOptions][] = [
    ["no filter", {}],
    ["one camera", { cameraIds: ["cam2"] }],
    ["two cameras", { cameraIds: ["cam1", "cam3"] }],
    ["from", { from: new Date(BASE + 10 * 3_600_000) }],
    ["to", { to: new Date(BASE + 5 * 3_600_000) }],
    ["from and to, two cameras", { cameraIds: ["cam3", "cam1"], from: new Date(BASE + 3_600_000), to: new Date(BASE + 20 * 3_600_000) }],
    ["protected", { protected: true }],
    ["unprotected, one camera", { protected: false, cameraIds: ["cam1"] }],
    ["protected, two cameras, range", { protected: true, cameraIds: ["cam1", "cam2"], from: new Date(BASE), to: new Date(BASE + 30 * 3_600_000) }],
  ];
  for (const [name, opts] of combos) {
    test(`admin, ${name}: pages cover every match once, newest first`, async () => {
      for (const limit of [1, 4, 7, 200]) assert.deepEqual(await allPages(t, admin, opts, limit), expected(adminSees, opts), `limit ${limit}`);
    });
  }
  for (const [name, opts] of combos.filter(([, o]) => !o.cameraIds?.includes("cam2"))) {
    test(`member, ${name}: only granted cameras`, async () => {
      for (const limit of [3, 50]) assert.deepEqual(await allPages(t, member, opts, limit), expected(memberSees, opts), `limit ${limit}`);
    });
  }

  test("events carry camera, times, clips and whether a photo exists", async () => {
    const { events } = await listEvents(t.db, admin, { limit: 200 });
    const byId = new Map(events.map((e) => [e.id, e]));
    const sample = rows[1];
    const e = byId.get(sample.id)!;
    assert.equal(e.startedAt, new Date(sample.startedAt).toISOString());
    assert.equal(e.endedAt, new Date(sample.startedAt + 15_000).toISOString());
    assert.deepEqual(e.clips, [
      { sequence: 1, durationMs: 10_000, bytes: 100, videoCodec: "h264" },
      { sequence: 2, durationMs: 10_000, bytes: 50, videoCodec: "h264" },
    ]);
    assert.equal(e.hasPhoto, true);
    assert.equal(byId.get(rows[0].id)!.hasPhoto, false);
    assert.equal(byId.get(rows[0].id)!.isProtected, true);
    assert.deepEqual(byId.get(rows[2].id)!.clips, [{ sequence: 1, durationMs: 10_000, bytes: 100, videoCodec: "h264" }]);
    const shed = events.find((x) => x.cameraId === null)!;
    assert.equal(shed.cameraName, "Old shed");
  });

  test("members: foreign or unknown cameras are refused, no cameras means no events; deleted cameras are admins' only", async () => {
    assert.equal(await errorCode(listEvents(t.db, member, { cameraIds: ["cam2"] })), "forbidden");
    assert.equal(await errorCode(listEvents(t.db, member, { cameraIds: ["cam1", "nope"] })), "forbidden");
    assert.deepEqual(await listEvents(t.db, loner, {}), { events: [], nextBefore: null });
    assert.ok((await listEvents(t.db, member, { limit: 200 })).events.every((e: EventSummary) => e.cameraId !== null), "member saw a deleted camera's event");
    assert.deepEqual((await listEvents(t.db, admin, { cameraIds: ["nope"] })).events, []);
  });

  test("bad input: reversed or empty ranges, invalid dates, bad cursors", async () => {
    assert.equal(await errorCode(listEvents(t.db, admin, { from: new Date(BASE + 1000), to: new Date(BASE) })), "invalid_date_range");
    assert.equal(await errorCode(listEvents(t.db, admin, { from: new Date(BASE), to: new Date(BASE) })), "invalid_date_range");
    assert.equal(await errorCode(listEvents(t.db, admin, { from: new Date("2026-02-30x") })), "validation");
    assert.equal(await errorCode(listEvents(t.db, admin, { before: "../../etc" })), "validation");
    assert.equal(decodeCursor(null), null);
  });

  test("a member sees only granted cameras; foreign events are forbidden, unknown ones not found", async () => {
    const foreign = rows.find((r) => r.cameraId === "cam2")!.id;
    const mine = rows.find((r) => r.cameraId === "cam1")!.id;
    const deleted = rows.find((r) => r.cameraId === null)!.id;
    assert.equal(await errorCode(requireEventAccess(t.db, member, foreign)), "forbidden");
    assert.equal(await errorCode(requireEventAccess(t.db, member, deleted)), "forbidden");
    assert.equal(await errorCode(requireEventAccess(t.db, member, mine)), "ok");
    assert.equal(await errorCode(requireEventAccess(t.db, member, "nope")), "not_found");
    assert.equal(await errorCode(requireEventAccess(t.db, admin, deleted)), "ok");
  });

  test("timeline: a day in the viewer's zone, a lane per camera, deleted cameras only with events", async () => {
    // BASE is 10:00 in Amsterdam; events start every 30 minutes for 40 × 30 min = 20 h, past local midnight.
    const day = await listDayEvents(t.db, admin, { day: "2026-06-01", timeZone: "Europe/Amsterdam" });
    assert.equal(day.from, "2026-05-31T22:00:00.000Z");
    assert.equal(day.to, "2026-06-01T22:00:00.000Z");
    const want = rows.filter((r) => r.startedAt >= Date.parse(day.from) && r.startedAt < Date.parse(day.to));
    assert.ok(want.length > 0 && want.length < rows.length, `the day should hold some events, not all: ${want.length}`);
    assert.deepEqual(new Set(day.events.map((e) => e.id)), new Set(want.map((r) => r.id)));
    for (let i = 1; i < day.events.length; i++) assert.ok(day.events[i - 1].startedAt <= day.events[i].startedAt, "timeline out of order");
    // hasPhoto says which events have a thumbnail for the timeline's preview (every fourth has none).
    const withPhoto = new Set((await t.db.photo.findMany({ select: { eventId: true } })).map((p) => p.eventId));
    assert.deepEqual(day.events.map((e) => e.hasPhoto), day.events.map((e) => withPhoto.has(e.id)));
    assert.ok(day.events.some((e) => e.hasPhoto) && day.events.some((e) => !e.hasPhoto), "both kinds that day");
    assert.deepEqual(
      day.lanes.map((l) => [l.cameraName, l.isDeleted]),
      [
        ["Camera 1", false],
        ["Camera 2", false],
        ["Camera 3", false],
        ["Old shed", true],
      ],
    );
    const next = await listDayEvents(t.db, admin, { day: "2026-06-02", timeZone: "Europe/Amsterdam" });
    assert.equal(next.events.length, rows.length - want.length);
    const mine = await listDayEvents(t.db, member, { day: "2026-06-01", timeZone: "Europe/Amsterdam", protected: true });
    assert.deepEqual(
      mine.lanes.map((l) => l.cameraName),
      ["Camera 1", "Camera 3"],
    );
    assert.ok(mine.events.length > 0 && mine.events.every((e) => e.isProtected && (e.cameraId === "cam1" || e.cameraId === "cam3")), "member's protected timeline");
    const empty = await listDayEvents(t.db, member, { day: "2026-07-01", timeZone: "UTC", cameraIds: ["cam3"] });
    assert.deepEqual([empty.events, empty.lanes.map((l) => l.cameraId)], [[], ["cam3"]]);
    assert.equal(await errorCode(listDayEvents(t.db, admin, { day: "2026-02-30", timeZone: "UTC" })), "validation");
    assert.equal(await errorCode(listDayEvents(t.db, member, { day: "2026-06-01", timeZone: "UTC", cameraIds: ["cam2"] })), "forbidden");
  });

  test("timeline: an event of the day before that runs past midnight shows on the day too, first", async () => {
    // Amsterdam, summer (UTC+2): 2026-08-10 00:00 local is 2026-08-09T22:00Z.
    const made = [
      { id: "late-over", startedAt: "2026-08-09T21:50:00Z", endedAt: "2026-08-09T22:20:00Z" }, // 23:50 → 00:20
      { id: "late-open", startedAt: "2026-08-09T21:59:00Z", endedAt: null }, // still recording
      { id: "late-done", startedAt: "2026-08-09T21:30:00Z", endedAt: "2026-08-09T21:59:59Z" }, // ends before midnight
      { id: "day-one", startedAt: "2026-08-09T22:05:00Z", endedAt: "2026-08-09T22:06:00Z" },
      { id: "too-old", startedAt: "2026-08-08T21:00:00Z", endedAt: "2026-08-09T23:00:00Z" }, // 25 h long: beyond the look back
    ];
    for (const e of made) await t.db.event.create({ data: { id: e.id, cameraId: "cam1", cameraName: "Camera 1", startedAt: new Date(e.startedAt), endedAt: e.endedAt ? new Date(e.endedAt) : null } });
    try {
      const day = await listDayEvents(t.db, admin, { day: "2026-08-10", timeZone: "Europe/Amsterdam", cameraIds: ["cam1"] });
      assert.deepEqual(day.events.map((e) => e.id), ["late-over", "late-open", "day-one"]);
      const before = await listDayEvents(t.db, admin, { day: "2026-08-09", timeZone: "Europe/Amsterdam", cameraIds: ["cam1"] });
      assert.deepEqual(before.events.map((e) => e.id), ["too-old", "late-done", "late-over", "late-open"], "the day they started shows them as before (and the long one from the day before it)");
      const other = await listDayEvents(t.db, member, { day: "2026-08-10", timeZone: "Europe/Amsterdam", cameraIds: ["cam1"], protected: true });
      assert.deepEqual(other.events, [], "filters apply to the carried-over events too");
    } finally {
      await t.db.event.deleteMany({ where: { id: { in: made.map((e) => e.id) } } });
    }
  });

  test("timeline: a window with more than DETAIL_LIMIT events is answered as density; a part of it lists its events", async () => {
    // 2026-09-01 in UTC: 500 events of cam1 from 06:00, one every 20 s (06:00–08:46:40), and 30 of a deleted camera
    // at 12:00–12:29; one of cam1 is protected.
    const t0 = Date.UTC(2026, 8, 1, 6);
    const made = [
      ...Array.from({ length: 500 }, (_, i) => ({ id: `busy${String(i).padStart(3, "0")}`, cameraId: "cam1" as string | null, cameraName: "Camera 1", startedAt: new Date(t0 + i * 20_000), endedAt: new Date(t0 + i * 20_000 + 5_000), isProtected: i === 7 })),
      ...Array.from({ length: 30 }, (_, i) => ({ id: `gone${String(i).padStart(2, "0")}`, cameraId: null, cameraName: "Old barn", startedAt: new Date(t0 + 6 * 3_600_000 + i * 60_000), endedAt: null, isProtected: false })),
    ];
    await t.db.event.createMany({ data: made });
    try {
      const day = await listDayEvents(t.db, admin, { day: "2026-09-01", timeZone: "UTC" });
      assert.equal(DETAIL_LIMIT < made.length, true);
      assert.deepEqual(day.events, [], "a busy day lists nothing one by one");
      assert.ok(day.density, "and says how busy it was");
      assert.deepEqual([day.window, day.density.start, day.density.bucketMs, day.density.total], [{ from: day.from, to: day.to }, day.from, 10 * 60_000, 530]);
      // 10-minute buckets from midnight: cam1 has 30 events in each of 06:00 … 08:30 (bucket 36 … 51) and 20 at 08:40.
      const cam1 = day.density.counts.cam1;
      assert.equal(cam1.length, 144);
      assert.deepEqual(cam1.slice(35, 54), [0, ...new Array(16).fill(30), 20, 0]);
      assert.equal(cam1.reduce((a, b) => a + b, 0), 500);
      assert.deepEqual(day.density.counts["deleted:Old barn"].slice(72, 76), [10, 10, 10, 0]);
      assert.deepEqual(day.density.counts.cam2, new Array(144).fill(0), "a camera without events has a lane of zeros");
      assert.deepEqual(
        day.lanes.map((l) => l.cameraName),
        ["Camera 1", "Camera 2", "Camera 3", "Old barn"],
      );
      // One hour of it (07:00–08:00: 180 events) is listed; the part before 07:00 that is still going is not.
      const hour = await listDayEvents(t.db, admin, { day: "2026-09-01", timeZone: "UTC", window: { from: new Date(t0 + 3_600_000), to: new Date(t0 + 7_200_000) } });
      assert.equal(hour.density, null);
      assert.equal(hour.events.length, 180);
      assert.deepEqual([hour.events[0].id, hour.events.at(-1)!.id], ["busy180", "busy359"]);
      assert.deepEqual(hour.window, { from: new Date(t0 + 3_600_000).toISOString(), to: new Date(t0 + 7_200_000).toISOString() });
      // Three hours (500 events) are density again, by 2 minutes; a window reaching past the day is cut to it.
      const three = await listDayEvents(t.db, admin, { day: "2026-09-01", timeZone: "UTC", window: { from: new Date(t0), to: new Date(t0 + 3 * 3_600_000) } });
      assert.deepEqual([three.density?.bucketMs, three.density?.total, three.density?.counts.cam1.length], [2 * 60_000, 500, 90]);
      // A window that starts between buckets: they still follow the day's clock (the first counts from the window).
      const odd = await listDayEvents(t.db, admin, { day: "2026-09-01", timeZone: "UTC", window: { from: new Date(t0 + 30_500), to: new Date(t0 + 3 * 3_600_000 + 30_000) } });
      assert.deepEqual([odd.window.from, odd.density?.start, odd.density?.counts.cam1.slice(0, 2)], [new Date(t0 + 30_000).toISOString(), new Date(t0).toISOString(), [4, 6]]);
      const late = await listDayEvents(t.db, admin, { day: "2026-09-01", timeZone: "UTC", window: { from: new Date(Date.UTC(2026, 8, 1, 23)), to: new Date(Date.UTC(2026, 8, 2, 5)) } });
      assert.deepEqual(late.window, { from: "2026-09-01T23:00:00.000Z", to: "2026-09-02T00:00:00.000Z" });
      // Filters apply to the counts too; a member never sees the deleted camera's lane.
      const mine = await listDayEvents(t.db, member, { day: "2026-09-01", timeZone: "UTC" });
      assert.deepEqual([mine.density?.total, mine.lanes.map((l) => l.cameraName)], [500, ["Camera 1", "Camera 3"]]);
      const kept = await listDayEvents(t.db, admin, { day: "2026-09-01", timeZone: "UTC", protected: true });
      assert.deepEqual([kept.density, kept.events.map((e) => e.id)], [null, ["busy007"]]);
      // A window outside the day is refused.
      assert.equal(await errorCode(listDayEvents(t.db, admin, { day: "2026-09-01", timeZone: "UTC", window: { from: new Date(Date.UTC(2026, 8, 3)), to: new Date(Date.UTC(2026, 8, 4)) } })), "validation");
    } finally {
      await t.db.event.deleteMany({ where: { id: { in: made.map((e) => e.id) } } });
    }
  });

  test("query plans: every page reads Event through an index range and stops early (no full scan, no sort of a camera)", () => {
    const sqlite = new Database(t.file, { readonly: true });
    const bind = (params: unknown[]) => params.map((p) => (p instanceof Date ? p.toISOString() : p));
    const plan = (q: { sql: string; params: unknown[] }) =>
      sqlite
        .prepare(`EXPLAIN QUERY PLAN ${q.sql}`)
        .all(...bind(q.params))
        .map((r) => (r as { detail: string }).detail);
    const cursor = { startedAt: new Date(BASE + 3_600_000), id: "ev0500" };
    const shapes: [string, { sql: string; params: unknown[] }, RegExp][] = [
      ["all, first page", pageSql(["all"], {}, null, 51), /Event_startedAt_idx/],
      ["all, deep page", pageSql(["all"], {}, cursor, 51), /Event_startedAt_idx \(startedAt<\?\)/],
      ["one camera, deep", pageSql([{ cameraId: "cam1" }], {}, cursor, 51), /Event_cameraId_startedAt_idx \(cameraId=\? AND startedAt<\?\)/],
      ["two cameras, range, deep", pageSql([{ cameraId: "cam1" }, { cameraId: "cam2" }], { from: new Date(BASE), to: new Date(BASE + 9e7) }, cursor, 51), /Event_cameraId_startedAt_idx \(cameraId=\? AND startedAt>\? AND startedAt<\?\)/],
      ["deleted cameras", pageSql([{ cameraId: null }], { protected: false }, null, 51), /Event_cameraId_(isProtected_)?startedAt_idx \(cameraId=\?( AND isProtected=\?)?\)/],
      ["many cameras", pageSql([{ anyOf: ["cam1", "cam2", "cam3"] }], { to: new Date(BASE + 9e7) }, null, 51), /Event_startedAt_idx \(startedAt<\?\)/],
      // The review queue: after the member's mark, a range of the same indexes.
      ["all, to review", pageSql(["all"], { unreviewedBy: { userId: "a", upTo: new Date(BASE) } }, null, 51), /Event_startedAt_idx \(startedAt>\?\)/],
      ["one camera, to review, deep", pageSql([{ cameraId: "cam1" }], { unreviewedBy: { userId: "a", upTo: new Date(BASE) } }, cursor, 51), /Event_cameraId_startedAt_idx \(cameraId=\? AND startedAt>\? AND startedAt<\?\)/],
    ];
    try {
      for (const [name, q, index] of shapes) {
        const lines = plan(withDetails(q, { userId: "a", upTo: new Date(BASE) }));
        const eventReads = lines.filter((l) => / Event\b/.test(l) && !/ e USING/.test(l));
        assert.ok(eventReads.length > 0, name);
        for (const l of eventReads) {
          assert.match(l, /^SEARCH Event USING INDEX |^SCAN Event USING INDEX Event_startedAt_idx$/, `${name}: ${l}`);
          assert.match(l, index, `${name}: ${l}`);
        }
        // Only ties on startedAt are sorted per branch ("LAST TERM"); never a whole camera's events.
        const sorts = lines.filter((l) => /TEMP B-TREE/.test(l));
        assert.ok(sorts.every((l) => /LAST TERM/.test(l) || q.sql.includes("UNION ALL")), `${name}: ${sorts.join("; ")}`);
        assert.ok(lines.some((l) => /SEARCH Clip USING INDEX Clip_eventId_sequence_key/.test(l)), name);
        // Whether each event is reviewed, and the queue's own check: EventReview's key, never a scan.
        assert.ok(lines.filter((l) => / r\b|EventReview/.test(l)).every((l) => /USING (PRIMARY KEY|INDEX sqlite_autoindex_EventReview_1|COVERING INDEX sqlite_autoindex_EventReview_1)/.test(l)), `${name}: ${lines.join("; ")}`);
      }
    } finally {
      sqlite.close();
    }
  });
});

describe("events: protected filter with an index on (cameraId, isProtected, startedAt)", () => {
  // The index is in the schema (migration event_protected_index): "all cameras, protected" is answered per camera.
  let t: TestDb;
  before(async () => {
    t = await createTestDb();
    await seedPeople(t);
    for (let i = 0; i < 40; i++) {
      const cameraId = i % 5 === 0 ? null : `cam${(i % 3) + 1}`;
      await t.db.event.create({ data: { id: `p${String(i).padStart(3, "0")}`, cameraId, cameraName: "x", startedAt: new Date(BASE + (i % 13) * 1000), isProtected: i % 3 === 0 } });
    }
  });
  after(() => t.cleanup());

  test("the per-camera branches give the same pages, deleted cameras included", async () => {
    const all = await t.db.event.findMany({ where: { isProtected: true }, orderBy: [{ startedAt: "desc" }, { id: "desc" }], select: { id: true } });
    assert.ok(all.some((e) => e.id === "p000"), "a deleted camera's protected event is in the data");
    assert.deepEqual(await allPages(t, admin, { protected: true }, 2), all.map((e) => e.id));
  });
});

describe("media paths and file responses", () => {
  test("paths outside the media folder are refused", () => {
    assert.throws(() => mediaFile("/data/media", "../secrets/session-secret"));
    assert.throws(() => mediaFile("/data/media", "/etc/passwd"));
    assert.equal(mediaFile("/data/media", "cam/2026/01/01/a.mp4"), "/data/media/cam/2026/01/01/a.mp4");
  });

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
    // The clip route replaces the disposition on the response it got (headers of a constructed Response are mutable).
    part.headers.set("content-disposition", "attachment");
    assert.equal(part.headers.get("content-disposition"), "attachment");
    assert.equal(fileResponse(file, new Request("http://x/", { headers: { range: "bytes=20-" } }), { contentType: "video/mp4" }).status, 416);
    assert.throws(() => fileResponse(path.join(dir, "gone"), new Request("http://x/"), { contentType: "video/mp4" }), /not_found/);
    fs.rmSync(dir, { recursive: true });
  });

  test("media is never cached past sign-out: private, no-cache with an ETag; an unchanged file answers 304 without a body", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nightjar-file-"));
    const file = path.join(dir, "a.jpg");
    fs.writeFileSync(file, Buffer.from("jpeg"));
    const first = fileResponse(file, new Request("http://x/"), { contentType: "image/jpeg" });
    assert.equal(first.headers.get("cache-control"), "private, no-cache");
    assert.doesNotMatch(first.headers.get("cache-control") ?? "", /max-age|immutable|public/);
    const etag = first.headers.get("etag")!;
    assert.match(etag, /^"[0-9a-z]+-[0-9a-z]+"$/);
    const again = fileResponse(file, new Request("http://x/", { headers: { "if-none-match": `W/${etag}` } }), { contentType: "image/jpeg" });
    assert.equal(again.status, 304);
    assert.equal(again.body, null);
    fs.writeFileSync(file, Buffer.from("a new jpeg"));
    const changed = fileResponse(file, new Request("http://x/", { headers: { "if-none-match": etag } }), { contentType: "image/jpeg" });
    assert.equal(changed.status, 200, "another version: the new bytes");
    fs.rmSync(dir, { recursive: true });
  });
});
