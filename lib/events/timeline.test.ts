// The timeline's arithmetic, table by table: days of 23/24/25 hours (Europe/Amsterdam 2026-03-29 and 2026-10-25,
// America/New_York 2026-03-08 and 2026-11-01), axis ticks on those days, the label step from the width, labels that
// never overlap at any width, zoom and pan (across midnight), the cursor, bars (length, minimum width, rows, kind).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  answerServes,
  axisTicks,
  barAt,
  barKind,
  countsWithout,
  dayBounds,
  densityAt,
  densityBucketMs,
  densityCells,
  densityPeak,
  DETAIL_LIMIT,
  detailLimit,
  dragView,
  endDrag,
  HOUR_MS,
  hoursInDay,
  isWholeDay,
  LABEL_GAP_PX,
  labelStepMinutes,
  layoutBars,
  MAX_ROWS,
  MIN_BAR_PX,
  MINUTE_MS,
  moveCursor,
  NARROWEST_DETAIL_LIMIT,
  neighbourBucket,
  neighbourEvent,
  panView,
  placeLabels,
  scaleView,
  viewOfDay,
  zoomLevels,
  zoomView,
  type Density,
  type TimelineView,
} from "./timeline";

const AMS = "Europe/Amsterdam";
const NY = "America/New_York";
const iso = (ms: number) => new Date(ms).toISOString();

describe("days in a zone", () => {
  for (const [zone, day, hours] of [
    [AMS, "2026-03-29", 23],
    [AMS, "2026-10-25", 25],
    [AMS, "2026-06-01", 24],
    [NY, "2026-03-08", 23],
    [NY, "2026-11-01", 25],
    ["UTC", "2026-10-25", 24],
    ["Asia/Kolkata", "2026-10-25", 24],
  ] as const) {
    test(`${zone} ${day} has ${hours} hours`, () => assert.equal(hoursInDay(day, zone), hours));
  }
});

describe("axis ticks", () => {
  const cases: { zone: string; day: string; step: number; hours: number[]; repeats: number[]; first?: string }[] = [
    { zone: AMS, day: "2026-10-25", step: 60, hours: [0, 1, 2, 2, ...range(3, 24)], repeats: [3], first: "2026-10-24T22:00:00.000Z" },
    { zone: AMS, day: "2026-03-29", step: 60, hours: [0, 1, ...range(3, 24)], repeats: [], first: "2026-03-28T23:00:00.000Z" },
    { zone: AMS, day: "2026-03-29", step: 180, hours: [0, 3, 6, 9, 12, 15, 18, 21], repeats: [] },
    { zone: AMS, day: "2026-10-25", step: 360, hours: [0, 6, 12, 18], repeats: [] },
    { zone: NY, day: "2026-11-01", step: 60, hours: [0, 1, 1, ...range(2, 24)], repeats: [2], first: "2026-11-01T04:00:00.000Z" },
    { zone: NY, day: "2026-03-08", step: 60, hours: [0, 1, ...range(3, 24)], repeats: [] },
    { zone: NY, day: "2026-06-01", step: 720, hours: [0, 12], repeats: [] },
    { zone: "Asia/Kolkata", day: "2026-06-01", step: 360, hours: [0, 6, 12, 18], repeats: [], first: "2026-05-31T18:30:00.000Z" },
  ];
  for (const c of cases) {
    test(`${c.zone} ${c.day} every ${c.step} min`, () => {
      const { from, to } = dayBounds(c.day, c.zone);
      const ticks = axisTicks(from, to, c.zone, c.step);
      assert.deepEqual(ticks.map((t) => t.hour), c.hours);
      assert.deepEqual(ticks.flatMap((t, i) => (t.isRepeat ? [i] : [])), c.repeats);
      if (c.first) assert.equal(iso(ticks[0].at), c.first);
      for (let i = 1; i < ticks.length; i++) assert.ok(ticks[i].at > ticks[i - 1].at, "in time order");
      assert.ok(ticks.every((t) => t.minute === 0));
    });
  }
  test("the two 02:00 of Amsterdam's 25-hour day are an hour apart; 01:00 → 03:00 is one hour on the 23-hour day", () => {
    const fall = dayBounds("2026-10-25", AMS);
    const twos = axisTicks(fall.from, fall.to, AMS, 60).filter((t) => t.hour === 2);
    assert.deepEqual(twos.map((t) => iso(t.at)), ["2026-10-25T00:00:00.000Z", "2026-10-25T01:00:00.000Z"]);
    const spring = dayBounds("2026-03-29", AMS);
    const t = axisTicks(spring.from, spring.to, AMS, 60);
    assert.equal(t[2].at - t[1].at, HOUR_MS);
    assert.equal(t[2].hour, 3);
  });
  test("minutes within an hour, from a span that starts between ticks", () => {
    const from = Date.UTC(2026, 5, 1, 10, 7);
    const ticks = axisTicks(from, from + HOUR_MS, "UTC", 15);
    assert.deepEqual(ticks.map((t) => `${t.hour}:${t.minute}`), ["10:15", "10:30", "10:45", "11:0"]);
  });
});

function range(a: number, b: number): number[] {
  return Array.from({ length: b - a }, (_, i) => a + i);
}

describe("label step from the width", () => {
  for (const [width, hours, label, step] of [
    [350, 24, 56, 360], // a phone, a whole day, "12:00 AM": every 6 h
    [350, 24, 34, 180], // a phone, a whole day, "00:00": every 3 h
    [1200, 24, 56, 120],
    [1200, 25, 36, 60],
    [350, 1, 56, 15],
    [1200, 1, 36, 5],
    [100, 25, 56, 720], // nothing fits: the widest step
    [0, 24, 56, 720],
  ] as const) {
    test(`${width} px, ${hours} h, labels ${label} px → every ${step} min`, () => assert.equal(labelStepMinutes(width, hours * HOUR_MS, label), step));
  }
});

describe("labels never overlap", () => {
  for (const zone of [AMS, NY, "UTC"]) {
    for (const day of ["2026-03-29", "2026-10-25", "2026-03-08", "2026-11-01", "2026-06-01"]) {
      test(`${zone} ${day} at 280–1400 px, spans 1 h to the day`, () => {
        const { from, to } = dayBounds(day, zone);
        for (const width of [280, 320, 358, 390, 768, 1024, 1280, 1400]) {
          for (const span of [to - from, 12 * HOUR_MS, 3 * HOUR_MS, HOUR_MS]) {
            for (const labelPx of [34, 56, 70]) {
              const start = from + Math.floor((to - from - span) / 2);
              const step = labelStepMinutes(width, span, labelPx);
              const placed = placeLabels(axisTicks(start, start + span, zone, step), start, span, width, labelPx);
              assert.ok(placed.length >= 1, `${width} ${span} ${labelPx}: some label`);
              for (let i = 0; i < placed.length; i++) {
                assert.ok(placed[i].left >= 0 && placed[i].left + labelPx <= width, "inside the axis");
                if (i > 0) assert.ok(placed[i].left >= placed[i - 1].left + labelPx + LABEL_GAP_PX, `${width} px ${span / HOUR_MS} h: label ${i} clears the one before`);
              }
            }
          }
        }
      });
    }
  }
  test("a 390 px phone on the 25-hour day: midnight's label (pushed in) gives way to 06:00, the rest every 6 h", () => {
    const { from, to } = dayBounds("2026-10-25", AMS);
    const placed = placeLabels(axisTicks(from, to, AMS, 360), from, to - from, 318, 57);
    assert.deepEqual(placed.map((p) => p.tick.hour), [6, 12, 18]);
  });
  test("two ticks squeezed together keep one label", () => {
    const start = Date.UTC(2026, 0, 1);
    const ticks = [0, 10, 60].map((m) => ({ at: start + m * MINUTE_MS, hour: 0, minute: m, isRepeat: false }));
    const placed = placeLabels(ticks, start, 2 * HOUR_MS, 240, 40);
    assert.deepEqual(placed.map((p) => p.left), [0, 100]);
  });
});

describe("zoom, pan and the cursor", () => {
  const june = dayBounds("2026-06-01", AMS);
  const fall = dayBounds("2026-10-25", AMS);
  test("the zoom levels of a 25-hour day", () => {
    assert.deepEqual(zoomLevels("2026-10-25", AMS).map((s) => s / HOUR_MS), [25, 12, 6, 3, 1]);
  });
  const zooms: { name: string; view: TimelineView; dir: 1 | -1; start: number; span: number }[] = [
    { name: "in from the day around the cursor (13:00)", view: { day: "2026-06-01", start: june.from, span: 24 * HOUR_MS, cursor: june.from + 13 * HOUR_MS }, dir: 1, start: june.from + 13 * HOUR_MS - 6.5 * HOUR_MS, span: 12 * HOUR_MS },
    { name: "in from the day with the cursor at 01:00 stays inside the day", view: { day: "2026-06-01", start: june.from, span: 24 * HOUR_MS, cursor: june.from + HOUR_MS }, dir: 1, start: june.from + 0.5 * HOUR_MS, span: 12 * HOUR_MS },
    { name: "out from an hour to 3 h", view: { day: "2026-06-01", start: june.from + 10 * HOUR_MS, span: HOUR_MS, cursor: june.from + 10.5 * HOUR_MS }, dir: -1, start: june.from + 9 * HOUR_MS, span: 3 * HOUR_MS },
    { name: "out from 12 h to the whole 25-hour day", view: { day: "2026-10-25", start: fall.from + 6 * HOUR_MS, span: 12 * HOUR_MS, cursor: fall.from + 7 * HOUR_MS }, dir: -1, start: fall.from, span: 25 * HOUR_MS },
    { name: "in past an hour: no change", view: { day: "2026-06-01", start: june.from, span: HOUR_MS, cursor: june.from }, dir: 1, start: june.from, span: HOUR_MS },
    { name: "out past the day: no change", view: viewOfDay("2026-06-01", AMS), dir: -1, start: june.from, span: 24 * HOUR_MS },
  ];
  for (const z of zooms) {
    test(`zoom ${z.name}`, () => {
      const v = zoomView(z.view, AMS, z.dir);
      assert.deepEqual([v.start, v.span], [z.start, z.span]);
      assert.equal(v.cursor, z.view.cursor, "the cursor stays");
    });
  }
  test("continuous zoom keeps the anchor on screen and stays within an hour and the day", () => {
    const day = viewOfDay("2026-06-01", AMS);
    const anchor = june.from + 18 * HOUR_MS;
    const v = scaleView(day, AMS, 2, anchor);
    assert.equal(v.span, 12 * HOUR_MS);
    assert.equal((anchor - v.start) / v.span, (anchor - day.start) / day.span);
    assert.equal(scaleView(v, AMS, 1000, anchor).span, HOUR_MS);
    assert.equal(scaleView(v, AMS, 0.001, anchor).span, 24 * HOUR_MS);
    assert.equal(isWholeDay(scaleView(v, AMS, 0.001, anchor), AMS), true);
  });

  const pans: { name: string; view: TimelineView; delta: number; day: string; start: number; span: number }[] = [
    { name: "inside the day", view: { day: "2026-06-01", start: june.from + 6 * HOUR_MS, span: 3 * HOUR_MS, cursor: june.from + 7 * HOUR_MS }, delta: HOUR_MS, day: "2026-06-01", start: june.from + 7 * HOUR_MS, span: 3 * HOUR_MS },
    { name: "stops at midnight first", view: { day: "2026-06-01", start: june.from + HOUR_MS, span: 3 * HOUR_MS, cursor: june.from + HOUR_MS }, delta: -2 * HOUR_MS, day: "2026-06-01", start: june.from, span: 3 * HOUR_MS },
    { name: "at midnight, back into the previous day's evening", view: { day: "2026-06-01", start: june.from, span: 3 * HOUR_MS, cursor: june.from }, delta: -HOUR_MS, day: "2026-05-31", start: june.from - 3 * HOUR_MS, span: 3 * HOUR_MS },
    { name: "at the day's end, on into the next morning", view: { day: "2026-06-01", start: june.to - HOUR_MS, span: HOUR_MS, cursor: june.to - 1 }, delta: HOUR_MS / 4, day: "2026-06-02", start: june.to, span: HOUR_MS },
    { name: "the whole day forward into the 25-hour day", view: viewOfDay("2026-10-24", AMS), delta: HOUR_MS, day: "2026-10-25", start: fall.from, span: 25 * HOUR_MS },
    { name: "the whole 25-hour day back into a 24-hour day", view: viewOfDay("2026-10-25", AMS), delta: -HOUR_MS, day: "2026-10-24", start: fall.from - 24 * HOUR_MS, span: 24 * HOUR_MS },
    { name: "the whole day into the 23-hour day", view: viewOfDay("2026-03-28", AMS), delta: 1, day: "2026-03-29", start: dayBounds("2026-03-29", AMS).from, span: 23 * HOUR_MS },
  ];
  for (const p of pans) {
    test(`pan ${p.name}`, () => {
      const v = panView(p.view, AMS, p.delta);
      assert.deepEqual([v.day, v.start, v.span], [p.day, p.start, p.span]);
      assert.ok(v.cursor >= v.start && v.cursor < v.start + v.span, "the cursor is in the window");
    });
  }

  test("a drag stops at midnight; pulled a quarter of the view further it goes on into the next day", () => {
    const v: TimelineView = { day: "2026-06-01", start: june.to - 4 * HOUR_MS, span: 3 * HOUR_MS, cursor: june.to - 3 * HOUR_MS };
    const inside = dragView(v, AMS, HOUR_MS / 2);
    assert.deepEqual([inside.view.start, inside.overscroll], [june.to - 3.5 * HOUR_MS, 0]);
    const past = dragView(v, AMS, 2 * HOUR_MS);
    assert.deepEqual([past.view.start, past.overscroll], [june.to - 3 * HOUR_MS, HOUR_MS]);
    assert.equal(endDrag(past.view, AMS, past.overscroll).day, "2026-06-02");
    const little = dragView(v, AMS, HOUR_MS + HOUR_MS / 2);
    assert.equal(endDrag(little.view, AMS, little.overscroll), little.view, "half an hour of 3 h: stays");
    const back = dragView({ ...v, start: june.from, cursor: june.from }, AMS, -HOUR_MS);
    assert.deepEqual(endDrag(back.view, AMS, back.overscroll), { day: "2026-05-31", start: june.from - 3 * HOUR_MS, span: 3 * HOUR_MS, cursor: june.from - 3 * HOUR_MS });
  });
  test("the cursor moves the window the least, and past midnight into the next day", () => {
    const v: TimelineView = { day: "2026-06-01", start: june.from + 6 * HOUR_MS, span: 3 * HOUR_MS, cursor: june.from + 7 * HOUR_MS };
    assert.deepEqual(moveCursor(v, AMS, june.from + 8 * HOUR_MS), { ...v, cursor: june.from + 8 * HOUR_MS });
    assert.equal(moveCursor(v, AMS, june.from + 10 * HOUR_MS).start, june.from + 7 * HOUR_MS + 1);
    assert.equal(moveCursor(v, AMS, june.from + 2 * HOUR_MS).start, june.from + 2 * HOUR_MS);
    const next = moveCursor({ ...v, start: june.to - 3 * HOUR_MS, cursor: june.to - 1 }, AMS, june.to + 10 * MINUTE_MS);
    assert.deepEqual(next, { day: "2026-06-02", start: june.to, span: 3 * HOUR_MS, cursor: june.to + 10 * MINUTE_MS });
    const back = moveCursor({ ...v, start: june.from, cursor: june.from }, AMS, june.from - MINUTE_MS);
    assert.deepEqual(back, { day: "2026-05-31", start: june.from - 3 * HOUR_MS, span: 3 * HOUR_MS, cursor: june.from - MINUTE_MS });
  });
  test("the whole day opens with the cursor at now on today, else at midnight", () => {
    assert.equal(viewOfDay("2026-06-01", AMS, june.from + 5 * HOUR_MS).cursor, june.from + 5 * HOUR_MS);
    assert.equal(viewOfDay("2026-06-01", AMS, june.to + 5).cursor, june.from);
  });
});

describe("bars", () => {
  const start = Date.UTC(2026, 5, 1, 0);
  const span = 24 * HOUR_MS;
  const ev = (id: string, lane: string, fromMin: number, toMin: number | null, labels: string[] = []) => ({ id, lane, startedAt: iso(start + fromMin * MINUTE_MS), endedAt: toMin === null ? null : iso(start + toMin * MINUTE_MS), labels });
  test("length, minimum width, rows of overlapping events, recording until now, outside the window left out", () => {
    const events = [
      ev("long", "a", 60, 180), // 2 h of 24 on 1440 px: 120 px at x = 60
      ev("short", "a", 120, 120.05), // 3 s: the minimum, overlapping "long": row 1
      ev("third", "a", 122, 123), // overlaps both: row 2
      ev("fourth", "a", 124, 125), // a fourth overlap shares the last row
      ev("live", "b", 1380, null), // recording: until now (23:30)
      ev("edge", "b", 1439.99, 1440), // at the right end: kept inside
      ev("before", "b", -120, -60),
    ];
    const lanes = layoutBars(events, start, span, 1440, start + 1410 * MINUTE_MS);
    const a = lanes.get("a")!;
    assert.deepEqual(a.bars.map((b) => [b.event.id, Math.round(b.left), Math.round(b.width), b.row]), [
      ["long", 60, 120, 0],
      ["short", 120, MIN_BAR_PX, 1],
      ["third", 122, MIN_BAR_PX, 2],
      ["fourth", 124, MIN_BAR_PX, MAX_ROWS - 1],
    ]);
    assert.equal(a.rows, 3);
    const b = lanes.get("b")!;
    assert.deepEqual(b.bars.map((x) => [x.event.id, Math.round(x.left), Math.round(x.width), x.row]), [
      ["live", 1380, 30, 0],
      ["edge", 1440 - MIN_BAR_PX, MIN_BAR_PX, 0],
    ]);
  });
  test("zoomed into an hour: an event that began before the window starts at its left edge", () => {
    const lanes = layoutBars([ev("x", "a", 590, 610)], start + 600 * MINUTE_MS, HOUR_MS, 600, 0);
    assert.deepEqual(lanes.get("a")!.bars.map((b) => [b.left, b.width]), [[0, 100]]);
  });
  for (const [labels, kind] of [
    [[], "motion"],
    [["person"], "person"],
    [["car", "person"], "vehicle"],
    [["kite", "cat"], "animal"],
    [["kite"], "motion"],
  ] as const) {
    test(`labels ${JSON.stringify(labels)} → ${kind}`, () => assert.equal(barKind(labels), kind));
  }
  test("the bar under a point: covering, else nearest within the tolerance, else none", () => {
    const lanes = layoutBars([ev("p", "a", 60, 70), ev("q", "b", 100, 101)], start, span, 1440, 0);
    assert.equal(barAt(lanes, ["a", "b"], 65, 4)?.event.id, "p");
    assert.equal(barAt(lanes, ["a", "b"], 108, 4)?.event.id, "q");
    assert.equal(barAt(lanes, ["a", "b"], 90, 4), null);
  });
  test("the next and previous event from an instant", () => {
    const events = [ev("1", "a", 10, 11), ev("2", "b", 30, 31), ev("3", "a", 30, 40)];
    assert.equal(neighbourEvent(events, start + 10 * MINUTE_MS, 1), start + 30 * MINUTE_MS);
    assert.equal(neighbourEvent(events, start + 30 * MINUTE_MS, -1), start + 10 * MINUTE_MS);
    assert.equal(neighbourEvent(events, start + 30 * MINUTE_MS, 1), null);
  });
});

describe("density of a busy window", () => {
  for (const [hours, minutes] of [
    [25, 10], // the long DST day: 150 buckets
    [24, 10],
    [23, 10],
    [12, 5],
    [6, 5], // 72
    [3, 2], // 90
    [2.5, 1], // exactly 150
    [2.5 + 1 / 3600, 2], // a second more: 151 one-minute buckets would be too many
    [1, 1],
    [200, 60], // longer than any day: the coarsest step
  ] as const) {
    test(`${hours} h → ${minutes}-minute buckets`, () => assert.equal(densityBucketMs(hours * HOUR_MS), minutes * MINUTE_MS));
  }

  test("an hour (the narrowest view, give or take its rounding to seconds) lists more before it becomes density", () => {
    assert.deepEqual(
      [HOUR_MS, HOUR_MS + 2000, HOUR_MS + 2001, 3 * HOUR_MS, 24 * HOUR_MS].map(detailLimit),
      [NARROWEST_DETAIL_LIMIT, NARROWEST_DETAIL_LIMIT, DETAIL_LIMIT, DETAIL_LIMIT, DETAIL_LIMIT],
    );
  });

  const t0 = Date.UTC(2026, 5, 1, 0);
  const d: Density = { start: t0, bucketMs: 10 * MINUTE_MS, counts: { a: [0, 4, 0, 16, 1], b: [2, 0, 0, 0, 0] }, total: 23 };

  test("cells: only non-empty buckets, placed by time, shaded by √(count / busiest), cut to the window", () => {
    const cells = densityCells(d, "a", t0, 50 * MINUTE_MS, 500, densityPeak(d, t0, 50 * MINUTE_MS));
    assert.deepEqual(
      cells.map((c) => [c.index, c.left, c.width, c.shade]),
      [
        [1, 100, 100, 0.5],
        [3, 300, 100, 1],
        [4, 400, 100, 0.25],
      ],
    );
    // Zoomed into minutes 15–35: bucket 1 is cut at the left, bucket 3 at the right.
    const zoomed = densityCells(d, "a", t0 + 15 * MINUTE_MS, 20 * MINUTE_MS, 200, 16);
    assert.deepEqual(
      zoomed.map((c) => [c.index, c.left, c.width]),
      [
        [1, 0, 50],
        [3, 150, 50],
      ],
    );
    assert.deepEqual(densityCells(d, "a", t0 + 29 * MINUTE_MS, 60 * MINUTE_MS, 600, 16).map((c) => [c.index, Math.round(c.left * 1e6) / 1e6, Math.round(c.width * 1e6) / 1e6]), [
      [3, 10, 100],
      [4, 110, 100],
    ]);
    assert.deepEqual(densityCells(d, "nope", t0, HOUR_MS, 600, 16), []);
  });

  test("the busiest bucket in a window; the bucket under an instant; the next and previous busy bucket", () => {
    assert.equal(densityPeak(d, t0, 50 * MINUTE_MS), 16);
    assert.equal(densityPeak(d, t0, 20 * MINUTE_MS), 4);
    assert.equal(densityPeak(d, t0 + 40 * MINUTE_MS, 10 * MINUTE_MS), 1);
    assert.deepEqual(densityAt(d, t0 + 35 * MINUTE_MS), { from: t0 + 30 * MINUTE_MS, to: t0 + 40 * MINUTE_MS, count: 16 });
    assert.deepEqual(densityAt(d, t0 + 1), { from: t0, to: t0 + 10 * MINUTE_MS, count: 2 });
    assert.equal(densityAt(d, t0 - 1), null);
    assert.equal(densityAt(d, t0 + 50 * MINUTE_MS), null);
    assert.equal(neighbourBucket(d, t0, 1), t0 + 10 * MINUTE_MS);
    assert.equal(neighbourBucket(d, t0 + 12 * MINUTE_MS, 1), t0 + 30 * MINUTE_MS);
    assert.equal(neighbourBucket(d, t0 + 35 * MINUTE_MS, -1), t0 + 10 * MINUTE_MS);
    assert.equal(neighbourBucket(d, t0 + 45 * MINUTE_MS, 1), null);
    assert.equal(neighbourBucket(d, t0 + 5 * MINUTE_MS, -1), null);
  });

  test("deleted events leave the counts of their buckets, only where they were counted; the original is not changed", () => {
    const window = { start: t0, from: t0 + 5 * MINUTE_MS, to: t0 + 50 * MINUTE_MS };
    const gone = [
      { lane: "a", at: t0 + 12 * MINUTE_MS }, // bucket 1
      { lane: "a", at: t0 + 35 * MINUTE_MS }, // bucket 3
      { lane: "a", at: t0 + 35 * MINUTE_MS },
      { lane: "b", at: t0 + 6 * MINUTE_MS }, // bucket 0
      { lane: "b", at: t0 + 1 * MINUTE_MS }, // before the window: never counted
      { lane: "a", at: t0 + 25 * MINUTE_MS }, // bucket 2 is 0 already
      { lane: "c", at: t0 + 12 * MINUTE_MS }, // no such lane
      { lane: "a", at: t0 + 50 * MINUTE_MS }, // after the window
    ];
    const after = countsWithout(d, window, gone);
    assert.deepEqual(after, { counts: { a: [0, 3, 0, 14, 1], b: [1, 0, 0, 0, 0] }, total: 19 });
    assert.deepEqual(d.counts, { a: [0, 4, 0, 16, 1], b: [2, 0, 0, 0, 0] });
    assert.equal(d.total, 23);
  });

  test("an answer serves a view of its day inside its window, unless its density is coarser than the view's", () => {
    const day = "2026-06-01";
    const whole = viewOfDay(day, "UTC");
    const listed = { day, window: { from: iso(whole.start), to: iso(whole.start + whole.span) }, density: null };
    const dense = { ...listed, density: { bucketMs: 10 * MINUTE_MS } };
    const hour: TimelineView = { day, start: whole.start + 9 * HOUR_MS, span: HOUR_MS, cursor: whole.start + 9 * HOUR_MS };
    const part = { day, window: { from: iso(hour.start), to: iso(hour.start + HOUR_MS) }, density: null };
    assert.equal(answerServes(listed, whole), true);
    assert.equal(answerServes(listed, hour), true, "a listed day serves any zoom");
    assert.equal(answerServes(dense, whole), true);
    assert.equal(answerServes(dense, hour), false, "zoomed into a busy day: ask for the hour");
    assert.equal(answerServes(part, hour), true);
    assert.equal(answerServes(part, whole), false, "zoomed out of the part: ask for the day");
    assert.equal(answerServes(part, { ...hour, start: hour.start + MINUTE_MS }), false, "panned out of the part");
    assert.equal(answerServes(listed, { ...whole, day: "2026-06-02" }), false);
  });
});
