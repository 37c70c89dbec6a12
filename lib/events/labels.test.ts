// Events and their object labels against a real SQLite database: the label filter (a label, a group, several, with
// the camera and time filters, paged), events without labels never match, unknown labels are refused; labels and
// objectCount on the list, one event and the timeline (best score first); the query plan with a label filter.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import Database from "better-sqlite3";
import { createTestDb, type TestDb } from "../testing/db";
import { errorCode } from "../testing/errors";
import { getEventSummary, listDayEvents, listEvents, pageSql, withDetails, type ListEventsOptions } from "./events";
import { parseFilters } from "./filters";
import { filterQueryString, readFilterQuery } from "./query";

const admin = { id: "a", role: "admin" as const };
const member = { id: "m", role: "member" as const };
const BASE = Date.UTC(2026, 5, 1, 8);

/** Event i: its camera and labels (with scores). Every third has none (motion only). */
const LABEL_SETS: Record<string, number>[] = [{}, { person: 0.9 }, { cat: 0.7 }, {}, { car: 0.8, person: 0.55 }, { dog: 0.6, cat: 0.65 }, {}, { truck: 0.75 }, { bird: 0.5 }];
type Row = { id: string; cameraId: string; startedAt: number; labels: string[] };

describe("events: labels and the label filter", () => {
  let t: TestDb;
  const rows: Row[] = [];
  before(async () => {
    t = await createTestDb();
    for (const [id, role] of [["a", "admin"], ["m", "member"]] as const) await t.db.user.create({ data: { id, email: `${id}@x.test`, passwordHash: "x", role } });
    for (const id of ["cam1", "cam2"]) await t.db.camera.create({ data: { id, name: `Camera ${id.slice(3)}`, mainStreamUrl: `rtsp://192.0.2.1/${id}` } });
    await t.db.cameraAccess.create({ data: { cameraId: "cam1", userId: "m" } });
    for (let i = 0; i < 45; i++) {
      const set = LABEL_SETS[i % LABEL_SETS.length];
      const cameraId = i % 2 ? "cam2" : "cam1";
      const startedAt = BASE + Math.floor(i / 2) * 20 * 60_000; // pairs share a start time
      const id = `ev${String(i).padStart(3, "0")}`;
      rows.push({ id, cameraId, startedAt, labels: Object.keys(set) });
      await t.db.event.create({ data: { id, cameraId, cameraName: `Camera ${cameraId.slice(3)}`, startedAt: new Date(startedAt), endedAt: new Date(startedAt + 10_000), objectCount: Object.keys(set).length } });
      for (const [label, score] of Object.entries(set)) await t.db.eventLabel.create({ data: { eventId: id, label, score, firstAt: new Date(startedAt + 1000) } });
    }
  });
  after(() => t.cleanup());

  const filters = (qs: string) => parseFilters(readFilterQuery(new URLSearchParams(qs)), "UTC");
  function expected(o: ListEventsOptions, visible: (r: Row) => boolean = () => true): string[] {
    return rows
      .filter(visible)
      .filter((r) => !o.cameraIds || o.cameraIds.includes(r.cameraId))
      .filter((r) => !o.from || r.startedAt >= o.from.getTime())
      .filter((r) => !o.labels || r.labels.some((l) => o.labels!.includes(l)))
      .sort((a, b) => b.startedAt - a.startedAt || (a.id < b.id ? 1 : -1))
      .map((r) => r.id);
  }
  async function allPages(who: typeof admin | typeof member, opts: ListEventsOptions, limit: number): Promise<string[]> {
    const seen: string[] = [];
    let before: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof listEvents>> = await listEvents(t.db, who, { ...opts, limit, before });
      seen.push(...page.events.map((e) => e.id));
      before = page.nextBefore;
    } while (before);
    return seen;
  }

  const cases: [string, string, string[]][] = [
    ["one label", "label=person", ["person"]],
    ["a group: animal is its labels", "label=animal", ["bird", "cat", "cow", "dog", "horse", "sheep", "bear"]],
    ["a group: vehicle", "label=vehicle", ["bicycle", "bus", "car", "motorcycle", "truck"]],
    ["person is a label and its own group", "label=person&label=person", ["person"]],
    ["a label and a group (any of them)", "label=cat&label=vehicle", ["cat", "bicycle", "bus", "car", "motorcycle", "truck"]],
    ["with a camera", "label=person&camera=cam2", ["person"]],
    ["with a camera and a time", `label=animal&camera=cam1&from=${new Date(BASE + 3 * 3_600_000).toISOString()}`, ["bird", "cat", "cow", "dog", "horse", "sheep", "bear"]],
    ["with two cameras", "label=dog&camera=cam1&camera=cam2", ["dog"]],
    ["a label nobody saw", "label=horse", ["horse"]],
  ];
  for (const [name, qs, labels] of cases) {
    test(`filter: ${name}`, async () => {
      const f = filters(qs);
      assert.deepEqual(f.labels, [...labels].sort(), "expanded and sorted");
      const want = expected(f);
      if (name !== "a label nobody saw") assert.ok(want.length > 0 && want.length < rows.length, `${name}: the data has some matches, not all (${want.length})`);
      for (const limit of [1, 4, 50]) assert.deepEqual(await allPages(admin, f, limit), want, `limit ${limit}`);
      assert.ok(want.every((id) => rows.find((r) => r.id === id)!.labels.length > 0), "an event without labels never matches");
    });
  }

  test("filter: a member sees only granted cameras' labelled events", async () => {
    const f = filters("label=person");
    assert.deepEqual(await allPages(member, f, 3), expected(f, (r) => r.cameraId === "cam1"));
    assert.equal(await errorCode(listEvents(t.db, member, { ...filters("label=cat&camera=cam2") })), "forbidden");
  });

  const refused: [string, string, Record<string, string>][] = [
    ["an unknown label", "label=unicorn", { label: "unknown_label" }],
    ["a known and an unknown", "label=cat&label=Cat", { label: "unknown_label" }],
    ["with a bad date too", "label=kite&from=2026-02-30", { from: "invalid", label: "unknown_label" }],
    ["too many", Array.from({ length: 40 }, (_, i) => `label=l${i}`).join("&"), { label: "too_big" }],
  ];
  for (const [name, qs, fields] of refused) {
    test(`filter refused: ${name}`, () => {
      assert.throws(
        () => filters(qs),
        (e: { code?: string; fields?: Record<string, string> }) => e.code === "validation" && JSON.stringify(e.fields) === JSON.stringify(fields),
      );
    });
  }

  test("the query string keeps labels: read, written back, no filter without them", () => {
    const q = readFilterQuery(new URLSearchParams("label=person&label=animal&label=person&label=%20&camera=cam1"));
    assert.deepEqual(q.label, ["person", "animal"]);
    assert.equal(filterQueryString(q), "?camera=cam1&label=person&label=animal");
    assert.equal(filters("").labels, undefined);
  });

  test("list and one event carry labels (best score first) and objectCount; none for motion-only events", async () => {
    const { events } = await listEvents(t.db, admin, { limit: 200 });
    const byId = new Map(events.map((e) => [e.id, e]));
    assert.deepEqual(byId.get("ev004")!.labels, [
      { label: "car", score: 0.8 },
      { label: "person", score: 0.55 },
    ]);
    assert.deepEqual(byId.get("ev005")!.labels, [
      { label: "cat", score: 0.65 },
      { label: "dog", score: 0.6 },
    ]);
    assert.equal(byId.get("ev004")!.objectCount, 2);
    assert.deepEqual([byId.get("ev000")!.labels, byId.get("ev000")!.objectCount], [[], 0]);
    const one = await getEventSummary(t.db, admin, "ev004");
    assert.deepEqual(one, byId.get("ev004"), "one event reads as the list shows it");
  });

  test("timeline: labels per event (best score first) and the label filter", async () => {
    const day = await listDayEvents(t.db, admin, { day: "2026-06-01", timeZone: "UTC" });
    const byId = new Map(day.events.map((e) => [e.id, e]));
    assert.deepEqual(byId.get("ev004")!.labels, ["car", "person"]);
    assert.deepEqual(byId.get("ev000")!.labels, []);
    const animals = await listDayEvents(t.db, admin, { day: "2026-06-01", timeZone: "UTC", labels: filters("label=animal").labels, cameraIds: ["cam2"] });
    assert.deepEqual(
      animals.events.map((e) => e.id),
      [...expected({ ...filters("label=animal"), cameraIds: ["cam2"] })].reverse(),
    );
    assert.deepEqual(animals.lanes.map((l) => l.cameraId), ["cam2"]);
  });

  test("query plan with a label filter: Event read through its indexes in order, labels through EventLabel's key", () => {
    const sqlite = new Database(t.file, { readonly: true });
    const bind = (params: unknown[]) => params.map((p) => (p instanceof Date ? p.toISOString() : p));
    const cursor = { startedAt: new Date(BASE + 3_600_000), id: "ev010" };
    const shapes: [string, { sql: string; params: unknown[] }][] = [
      ["all", pageSql(["all"], { labels: ["person", "car"] }, cursor, 51)],
      ["one camera", pageSql([{ cameraId: "cam1" }], { labels: ["cat"] }, null, 51)],
      ["two cameras", pageSql([{ cameraId: "cam1" }, { cameraId: "cam2" }], { labels: ["cat", "dog"] }, cursor, 51)],
      ["many cameras", pageSql([{ anyOf: ["cam1", "cam2"] }], { labels: ["truck"] }, null, 51)],
    ];
    try {
      for (const [name, q] of shapes) {
        const lines = sqlite
          .prepare(`EXPLAIN QUERY PLAN ${withDetails(q, { userId: "a", upTo: new Date(0) }).sql}`)
          .all(...bind(withDetails(q, { userId: "a", upTo: new Date(0) }).params))
          .map((r) => (r as { detail: string }).detail);
        const eventReads = lines.filter((l) => / Event\b/.test(l) && !/ e USING/.test(l));
        assert.ok(eventReads.length > 0, name);
        for (const l of eventReads) assert.match(l, /^SEARCH Event USING INDEX Event_(cameraId_)?startedAt_idx|^SCAN Event USING INDEX Event_startedAt_idx$/, `${name}: ${l}`);
        const labelReads = lines.filter((l) => / l\b| EventLabel\b/.test(l) && /SCAN|SEARCH/.test(l));
        assert.ok(labelReads.length > 0 && labelReads.every((l) => /^SEARCH /.test(l) && /INDEX/.test(l)), `${name}: ${labelReads.join("; ")}`);
        const sorts = lines.filter((l) => /TEMP B-TREE/.test(l));
        assert.ok(sorts.every((l) => /LAST TERM/.test(l) || q.sql.includes("UNION ALL")), `${name}: ${sorts.join("; ")}`);
      }
    } finally {
      sqlite.close();
    }
  });
});
