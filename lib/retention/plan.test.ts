// The retention rule, table-style with a fake clock: age per camera, deleted cameras, quota, free-space floor,
// protected events, events still being recorded, and the forecast.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { fakeClock } from "../clock";
import { DAY_MS } from "../time";
import {
  forecastRetention,
  MAX_FLOOR_MARGIN_BYTES,
  OPEN_EVENT_GRACE_MS,
  planRetention,
  SETTLE_MS,
  targetFreeBytes,
  type RetentionDisk,
  type RetentionItem,
  type RetentionPolicy,
} from "./plan";

const NOW = "2026-06-30T12:00:00Z";
const clock = fakeClock(NOW);
const MB = 1024 * 1024;
const GB = 1024 * MB;

/** An event that ended `daysAgo` days before now (lasting a minute), `mb` MB. */
function ev(id: string, daysAgo: number, o: Partial<RetentionItem> & { mb?: number } = {}): RetentionItem {
  const end = clock.now().getTime() - daysAgo * DAY_MS;
  const { mb = 1, ...rest } = o;
  return { id, cameraId: "front", startedAt: new Date(end - 60_000), endedAt: new Date(end), isProtected: false, bytes: mb * MB, ...rest };
}

const policy = (p: Partial<RetentionPolicy> = {}): RetentionPolicy => ({ defaultDays: 30, cameraDays: { front: 30, back: 7, yard: 90 }, quotaBytes: null, targetFreeBytes: 0, ...p });
const ids = (plan: ReturnType<typeof planRetention>) => plan.deletions.map((d) => `${d.id}:${d.reason}`);

type Case = { name: string; items: RetentionItem[]; policy?: Partial<RetentionPolicy>; disk?: RetentionDisk; expect: string[]; warnings?: string[] };

const cases: Case[] = [
  { name: "nothing to do", items: [ev("a", 1), ev("b", 29)], expect: [] },
  { name: "age: older than 30 days goes, exactly 30 days goes, younger stays", items: [ev("young", 29.9), ev("edge", 30), ev("old", 45)], expect: ["old:age", "edge:age"] },
  {
    name: "age: each camera its own days",
    items: [ev("back8", 8, { cameraId: "back" }), ev("back6", 6, { cameraId: "back" }), ev("yard60", 60, { cameraId: "yard" }), ev("yard91", 91, { cameraId: "yard" }), ev("front31", 31)],
    expect: ["yard91:age", "front31:age", "back8:age"],
  },
  {
    name: "age: events of deleted cameras (cameraId null) and unknown cameras use the default 30 days",
    items: [ev("gone29", 29, { cameraId: null }), ev("gone31", 31, { cameraId: null }), ev("unknown31", 31, { cameraId: "removed-cam" })],
    policy: { cameraDays: { front: 3650 } },
    expect: ["gone31:age", "unknown31:age"],
  },
  {
    name: "age is counted from the end of the event",
    items: [{ id: "long", cameraId: "front", startedAt: new Date(Date.parse(NOW) - 31 * DAY_MS), endedAt: new Date(Date.parse(NOW) - 29 * DAY_MS), isProtected: false, bytes: MB }],
    expect: [],
  },
  { name: "protected events are never deleted by age", items: [ev("kept", 400, { isProtected: true }), ev("old", 40)], expect: ["old:age"] },
  {
    name: "quota: oldest first until under the quota",
    items: [ev("d1", 1, { mb: 40 }), ev("d5", 5, { mb: 40 }), ev("d3", 3, { mb: 40 }), ev("d2", 2, { mb: 40 })],
    policy: { quotaBytes: 100 * MB },
    expect: ["d5:quota", "d3:quota"],
  },
  {
    name: "quota: age deletions count first",
    items: [ev("old", 40, { mb: 50 }), ev("d5", 5, { mb: 40 }), ev("d3", 3, { mb: 40 }), ev("d2", 2, { mb: 40 })],
    policy: { quotaBytes: 100 * MB },
    expect: ["old:age", "d5:quota"],
  },
  {
    name: "quota: protected events count but stay; the others go oldest first",
    items: [ev("p", 10, { mb: 60, isProtected: true }), ev("d9", 9, { mb: 30 }), ev("d8", 8, { mb: 30 }), ev("d1", 1, { mb: 30 })],
    policy: { quotaBytes: 100 * MB },
    expect: ["d9:quota", "d8:quota"],
  },
  {
    name: "quota: protected events alone over the quota → warning, everything else goes",
    items: [ev("p1", 10, { mb: 80, isProtected: true }), ev("p2", 9, { mb: 80, isProtected: true }), ev("d5", 5, { mb: 10 }), ev("d1", 1, { mb: 10 })],
    policy: { quotaBytes: 100 * MB },
    expect: ["d5:quota", "d1:quota"],
    warnings: ["protected_over_quota"],
  },
  {
    name: "quota: across cameras, strictly by start time",
    items: [ev("front4", 4, { mb: 30 }), ev("back3", 3, { mb: 30, cameraId: "back" }), ev("yard5", 5, { mb: 30, cameraId: "yard" }), ev("gone2", 2, { mb: 30, cameraId: null })],
    policy: { quotaBytes: 70 * MB },
    expect: ["yard5:quota", "front4:quota"],
  },
  {
    name: "floor: frees up to the target, oldest first",
    items: [ev("d3", 3, { mb: 600 }), ev("d2", 2, { mb: 600 }), ev("d1", 1, { mb: 600 })],
    policy: { targetFreeBytes: 3 * GB },
    disk: { freeBytes: 2 * GB, totalBytes: 100 * GB },
    expect: ["d3:floor", "d2:floor"],
  },
  {
    name: "floor: enough free space → nothing",
    items: [ev("d3", 3, { mb: 600 })],
    policy: { targetFreeBytes: 3 * GB },
    disk: { freeBytes: 3 * GB, totalBytes: 100 * GB },
    expect: [],
  },
  {
    name: "floor: unknown disk → the floor rule is skipped",
    items: [ev("d3", 3, { mb: 600 })],
    policy: { targetFreeBytes: 3 * GB },
    disk: null,
    expect: [],
  },
  {
    name: "floor: after quota, counting what the quota freed",
    items: [ev("d4", 4, { mb: 550 }), ev("d3", 3, { mb: 550 }), ev("d2", 2, { mb: 550 }), ev("d1", 1, { mb: 550 })],
    policy: { quotaBytes: 1650 * MB, targetFreeBytes: 2 * GB },
    disk: { freeBytes: 1 * GB, totalBytes: 100 * GB },
    expect: ["d4:quota", "d3:floor"],
  },
  {
    name: "floor: cannot be reached → everything unprotected goes and a warning",
    items: [ev("p", 5, { mb: 500, isProtected: true }), ev("d2", 2, { mb: 100 })],
    policy: { targetFreeBytes: 3 * GB },
    disk: { freeBytes: 1 * GB, totalBytes: 100 * GB },
    expect: ["d2:floor"],
    warnings: ["floor_unreachable"],
  },
  {
    name: "events being recorded are never deleted: open and recent, or ended moments ago",
    items: [
      { id: "open", cameraId: "front", startedAt: new Date(Date.parse(NOW) - 3_600_000), endedAt: null, isProtected: false, bytes: 500 * MB },
      { id: "settling", cameraId: "front", startedAt: new Date(Date.parse(NOW) - 120_000), endedAt: new Date(Date.parse(NOW) - SETTLE_MS + 1000), isProtected: false, bytes: 500 * MB },
      ev("d1", 1, { mb: 10 }),
    ],
    policy: { quotaBytes: 100 * MB, targetFreeBytes: 10 * GB },
    disk: { freeBytes: 1 * GB, totalBytes: 100 * GB },
    expect: ["d1:quota"],
    warnings: ["quota_unreachable", "floor_unreachable"],
  },
  {
    name: "an open event older than the grace (a crashed recorder) ages from its start",
    items: [{ id: "stale", cameraId: "back", startedAt: new Date(Date.parse(NOW) - 8 * DAY_MS), endedAt: null, isProtected: false, bytes: MB }],
    expect: ["stale:age"],
  },
  {
    name: "an open event just inside the grace stays, even past its age",
    items: [{ id: "open", cameraId: "back", startedAt: new Date(Date.parse(NOW) - OPEN_EVENT_GRACE_MS + 1), endedAt: null, isProtected: false, bytes: MB }],
    policy: { cameraDays: { back: 0.5 } },
    expect: [],
  },
];

describe("planRetention", () => {
  for (const c of cases) {
    test(c.name, () => {
      const plan = planRetention(c.items, policy(c.policy), clock.now(), c.disk ?? null);
      assert.deepEqual(ids(plan), c.expect);
      assert.deepEqual(plan.warnings, c.warnings ?? []);
      assert.equal(plan.freedBytes, plan.deletions.reduce((n, d) => n + d.bytes, 0));
    });
  }

  test("the same input gives the same plan; the clock decides", () => {
    const items = [ev("a", 29.5), ev("b", 10)];
    assert.deepEqual(ids(planRetention(items, policy(), clock.now(), null)), []);
    const later = fakeClock(NOW);
    later.advance(DAY_MS / 2);
    assert.deepEqual(ids(planRetention(items, policy(), later.now(), null)), ["a:age"]);
    later.advance(20 * DAY_MS);
    assert.deepEqual(ids(planRetention(items, policy(), later.now(), null)), ["a:age", "b:age"]);
  });

  test("totals given by the caller replace the sums over a partial list", () => {
    // Only the oldest event is listed; 150 MB more (newer, not listed) count through totals.
    const plan = planRetention([ev("d9", 9, { mb: 40 })], policy({ quotaBytes: 160 * MB }), clock.now(), null, { usedBytes: 190 * MB, protectedBytes: 0 });
    assert.deepEqual(ids(plan), ["d9:quota"]);
    const warn = planRetention([], policy({ quotaBytes: 100 * MB }), clock.now(), null, { usedBytes: 300 * MB, protectedBytes: 200 * MB });
    assert.deepEqual(warn.warnings, ["protected_over_quota"]);
  });

  test("the floor target: floor + half the floor, at most 1 GiB more; 0 stays 0", () => {
    assert.equal(targetFreeBytes(0), 0);
    assert.equal(targetFreeBytes(2 * GB), 3 * GB);
    assert.equal(targetFreeBytes(100 * MB), 150 * MB);
    assert.equal(targetFreeBytes(10 * GB), 10 * GB + MAX_FLOOR_MARGIN_BYTES);
  });
});

/** A timelapse of `cameraId` whose span (a day) ended `daysAgo` days before now, `mb` MB; endedAt null = not finished. */
function tl(id: string, daysAgo: number, o: Partial<RetentionItem> & { mb?: number } = {}): RetentionItem {
  const end = clock.now().getTime() - daysAgo * DAY_MS;
  const { mb = 1, ...rest } = o;
  return { kind: "timelapse", id, cameraId: "front", startedAt: new Date(end - DAY_MS), endedAt: new Date(end), isProtected: false, bytes: mb * MB, ...rest };
}

describe("planRetention with timelapses", () => {
  const kinds = (plan: ReturnType<typeof planRetention>) => plan.deletions.map((d) => `${d.kind}:${d.id}:${d.reason}`);
  const rows: Case[] = [
    {
      name: "age: a day older than its camera's retention goes, counted from the end of its span; one inside stays",
      items: [tl("back8", 8, { cameraId: "back" }), tl("back6", 6, { cameraId: "back" }), tl("front30", 30), tl("front29", 29.5)],
      expect: ["timelapse:front30:age", "timelapse:back8:age"],
    },
    {
      name: "age: a range whose start is long past but whose end is inside the retention stays",
      items: [{ ...tl("range", 5, { cameraId: "back" }), startedAt: new Date(Date.parse(NOW) - 30 * DAY_MS) }],
      expect: [],
    },
    {
      name: "age: timelapses of deleted cameras use the default days",
      items: [tl("gone31", 31, { cameraId: null }), tl("gone29", 29, { cameraId: null })],
      expect: ["timelapse:gone31:age"],
    },
    {
      name: "quota: the oldest of events and timelapses together",
      items: [ev("e5", 5, { mb: 40 }), tl("t6", 6, { mb: 40 }), tl("t3", 3, { mb: 40 }), ev("e2", 2, { mb: 40 })],
      policy: { quotaBytes: 100 * MB },
      expect: ["timelapse:t6:quota", "event:e5:quota"],
    },
    {
      name: "floor: the oldest of events and timelapses together",
      items: [ev("e4", 4, { mb: 600 }), tl("t5", 5, { mb: 600 }), ev("e1", 1, { mb: 600 })],
      policy: { targetFreeBytes: 3 * GB },
      disk: { freeBytes: 2 * GB, totalBytes: 100 * GB },
      expect: ["timelapse:t5:floor", "event:e4:floor"],
    },
    {
      name: "a timelapse being captured, queued or encoded (no end) is never deleted, however old its start, and counts toward the quota",
      items: [tl("capturing", 0, { endedAt: null, mb: 500 }), { ...tl("queued-range", 1, { endedAt: null, mb: 10 }), startedAt: new Date(Date.parse(NOW) - 60 * DAY_MS) }, ev("e1", 1, { mb: 10 })],
      policy: { quotaBytes: 100 * MB, cameraDays: { front: 7 } },
      expect: ["event:e1:quota"],
      warnings: ["quota_unreachable"],
    },
    {
      name: "a finished day counts toward the quota and goes first when it is the oldest",
      items: [tl("day1", 1, { mb: 50 }), ev("e0", 0.5, { mb: 50 })],
      policy: { quotaBytes: 60 * MB },
      expect: ["timelapse:day1:quota"],
    },
  ];
  for (const c of rows) {
    test(c.name, () => {
      const plan = planRetention(c.items, policy(c.policy), clock.now(), c.disk ?? null);
      assert.deepEqual(kinds(plan), c.expect);
      assert.deepEqual(plan.warnings, c.warnings ?? []);
    });
  }

  test("an item without a kind is an event", () => {
    assert.deepEqual(kinds(planRetention([ev("old", 40)], policy(), clock.now(), null)), ["event:old:age"]);
  });

  test("the forecast takes timelapses at their expiry, in time order with events", () => {
    const items = [ev("e20", 20), tl("t25", 25), tl("open", 0, { endedAt: null })];
    const f = forecastRetention(items, policy(), clock.now(), null, { bytesPerDay: 0, limit: 10 });
    assert.deepEqual(f.map((e) => `${e.kind}:${e.id}@${Math.round((e.at.getTime() - Date.parse(NOW)) / DAY_MS)}`), ["timelapse:t25@5", "event:e20@10"]);
  });
});

describe("forecastRetention", () => {
  const at = (f: ReturnType<typeof forecastRetention>) => f.map((e) => `${e.id}:${e.reason}@${((e.at.getTime() - Date.parse(NOW)) / DAY_MS).toFixed(2)}`);

  test("age only: each event at its own expiry, in time order; due ones now", () => {
    const items = [ev("old", 31), ev("front20", 20), ev("back5", 5, { cameraId: "back" }), ev("gone", 25, { cameraId: null }), ev("p", 29, { isProtected: true })];
    assert.deepEqual(at(forecastRetention(items, policy(), clock.now(), null, { bytesPerDay: 0, limit: 10 })), ["old:age@0.00", "back5:age@2.00", "gone:age@5.00", "front20:age@10.00"]);
  });

  test("a quota reached at the current rate deletes the oldest then, before their age", () => {
    // 100 MB used of 120 MB; 10 MB a day → full in 2 days; then every 2 days (20 MB events) the oldest goes.
    const items = [ev("d10", 10, { mb: 20 }), ev("d8", 8, { mb: 20 }), ev("d6", 6, { mb: 20 }), ev("d4", 4, { mb: 20 }), ev("d2", 2, { mb: 20 })];
    const f = forecastRetention(items, policy({ quotaBytes: 120 * MB }), clock.now(), null, { bytesPerDay: 10 * MB, limit: 3 });
    assert.deepEqual(at(f), ["d10:quota@2.00", "d8:quota@4.00", "d6:quota@6.00"]);
  });

  test("the floor target reached at the current rate; age first when sooner", () => {
    const disk = { freeBytes: 3 * GB + 100 * MB, totalBytes: 100 * GB };
    const items = [ev("d29", 29, { mb: 50 }), ev("d10", 10, { mb: 50 })];
    const f = forecastRetention(items, policy({ targetFreeBytes: 3 * GB }), clock.now(), disk, { bytesPerDay: 20 * MB, limit: 5 });
    // d29 expires by age after 1 day (free then 3 GB + 80 MB + 50 MB); the target is crossed 6.5 days later.
    assert.deepEqual(at(f), ["d29:age@1.00", "d10:floor@7.50"]);
  });

  test("nothing new recorded and nothing old: no forecast; limit respected", () => {
    assert.deepEqual(forecastRetention([], policy({ quotaBytes: MB }), clock.now(), null, { bytesPerDay: 0, limit: 5 }), []);
    const many = Array.from({ length: 20 }, (_, i) => ev(`e${i}`, 40 + i));
    assert.equal(forecastRetention(many, policy(), clock.now(), null, { bytesPerDay: 0, limit: 5 }).length, 5);
  });
});
