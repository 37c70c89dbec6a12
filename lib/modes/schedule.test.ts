// Mode schedules, pure: entry validation, firings across DST changes (Europe/Amsterdam: 2026-03-29 02:00→03:00,
// 2026-10-25 03:00→02:00), and dueMode's rule (latest firing since the last look; a later manual switch stands).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { dueMode, firingsBetween, parseSchedule, scheduleEntrySchema, scheduleSchema, type ScheduleEntry } from "./schedule";

const AMS = "Europe/Amsterdam";
const ALL_DAYS = [0, 1, 2, 3, 4, 5, 6];
const iso = (d: Date) => d.toISOString();

describe("schedule entries", () => {
  const cases: [string, unknown, string | null][] = [
    ["weekdays at 08:00", { days: [1, 2, 3, 4, 5], at: "08:00" }, null],
    ["days are sorted", { days: [6, 0], at: "23:59" }, null],
    ["no days", { days: [], at: "08:00" }, "schedule_no_days"],
    ["a day twice", { days: [1, 1], at: "08:00" }, "schedule_duplicate_days"],
    ["day 7", { days: [7], at: "08:00" }, "too_big"],
    ["24:00", { days: [1], at: "24:00" }, "schedule_time"],
    ["8:00 without the zero", { days: [1], at: "8:00" }, "schedule_time"],
    ["minutes 60", { days: [1], at: "07:60" }, "schedule_time"],
  ];
  for (const [name, input, code] of cases) {
    test(name, () => {
      const r = scheduleEntrySchema.safeParse(input);
      if (code === null) assert.equal(r.success, true, JSON.stringify(r.error?.issues));
      else {
        assert.equal(r.success, false);
        const issue = r.error!.issues[0];
        assert.equal(/^[a-z_]+$/.test(issue.message) ? issue.message : issue.code, code);
      }
    });
  }
  test("sorted on the way in", () => assert.deepEqual(scheduleEntrySchema.parse({ days: [6, 0, 3], at: "07:00" }).days, [0, 3, 6]));
  test("at most 20 entries", () => {
    assert.equal(scheduleSchema.safeParse(Array.from({ length: 20 }, () => ({ days: [1], at: "08:00" }))).success, true);
    assert.equal(scheduleSchema.safeParse(Array.from({ length: 21 }, () => ({ days: [1], at: "08:00" }))).success, false);
  });
  test("stored JSON: a bad entry is dropped alone, garbage gives none", () => {
    assert.deepEqual(parseSchedule('[{"days":[1],"at":"08:00"},{"days":[9],"at":"x"}]'), [{ days: [1], at: "08:00" }]);
    assert.deepEqual(parseSchedule("not json"), []);
    assert.deepEqual(parseSchedule('{"days":[1]}'), []);
  });
});

describe("firings across DST changes (Europe/Amsterdam)", () => {
  const cases: [string, ScheduleEntry, string, string, string[]][] = [
    // Winter, UTC+1.
    ["an ordinary winter day", { days: ALL_DAYS, at: "08:00" }, "2026-01-14T00:00:00Z", "2026-01-15T00:00:00Z", ["2026-01-14T07:00:00.000Z"]],
    // Sunday 2026-03-29: 02:00 → 03:00 (UTC+1 → UTC+2). 08:00 is 06:00Z that day, 07:00Z the day before.
    ["08:00 on the day clocks go forward", { days: ALL_DAYS, at: "08:00" }, "2026-03-28T00:00:00Z", "2026-03-30T00:00:00Z", ["2026-03-28T07:00:00.000Z", "2026-03-29T06:00:00.000Z"]],
    ["02:30 does not exist that night: fires once, at 03:30 summer time", { days: [0], at: "02:30" }, "2026-03-28T12:00:00Z", "2026-03-29T12:00:00Z", ["2026-03-29T01:30:00.000Z"]],
    // Sunday 2026-10-25: 03:00 → 02:00 (UTC+2 → UTC+1).
    ["02:30 happens twice that night: fires once, at the first", { days: [0], at: "02:30" }, "2026-10-24T12:00:00Z", "2026-10-25T12:00:00Z", ["2026-10-25T00:30:00.000Z"]],
    ["22:00 either side of the autumn change", { days: [6, 0], at: "22:00" }, "2026-10-24T00:00:00Z", "2026-10-26T00:00:00Z", ["2026-10-24T20:00:00.000Z", "2026-10-25T21:00:00.000Z"]],
    ["only the days listed", { days: [1], at: "07:00" }, "2026-03-01T00:00:00Z", "2026-03-15T00:00:00Z", ["2026-03-02T06:00:00.000Z", "2026-03-09T06:00:00.000Z"]],
    ["the window is (from, to]: a firing at `from` is not counted, one at `to` is", { days: ALL_DAYS, at: "08:00" }, "2026-01-14T07:00:00Z", "2026-01-15T07:00:00Z", ["2026-01-15T07:00:00.000Z"]],
  ];
  for (const [name, entry, from, to, want] of cases) test(name, () => assert.deepEqual(firingsBetween(entry, new Date(from), new Date(to), AMS).map(iso), want));

  test("UTC has no change: 02:30 every day", () => {
    assert.deepEqual(firingsBetween({ days: ALL_DAYS, at: "02:30" }, new Date("2026-03-28T00:00:00Z"), new Date("2026-03-30T00:00:00Z"), "UTC").map(iso), ["2026-03-28T02:30:00.000Z", "2026-03-29T02:30:00.000Z"]);
  });

  test("minute by minute over the spring night, 02:30 fires exactly once", () => {
    let count = 0;
    for (let t = Date.parse("2026-03-28T22:00:00Z"); t < Date.parse("2026-03-29T04:00:00Z"); t += 60_000) count += firingsBetween({ days: [0], at: "02:30" }, new Date(t), new Date(t + 60_000), AMS).length;
    assert.equal(count, 1);
  });

  test("minute by minute over the autumn night, 02:30 fires exactly once", () => {
    let count = 0;
    for (let t = Date.parse("2026-10-24T22:00:00Z"); t < Date.parse("2026-10-25T04:00:00Z"); t += 60_000) count += firingsBetween({ days: [0], at: "02:30" }, new Date(t), new Date(t + 60_000), AMS).length;
    assert.equal(count, 1);
  });
});

describe("dueMode", () => {
  const modes = [
    { id: "home", schedule: [{ days: ALL_DAYS, at: "07:00" }] },
    { id: "night", schedule: [{ days: ALL_DAYS, at: "23:00" }] },
    { id: "away", schedule: [] },
  ];
  // 2026-01-14 07:00 Amsterdam = 06:00Z; 23:00 = 22:00Z.
  const base = { modes, timeZone: AMS };
  const cases: [string, { lastCheckAt: string; now: string; activeModeId: string; lastSwitchAt: string | null }, { modeId: string; at: string } | null][] = [
    ["07:00 passed since the last look: home", { lastCheckAt: "2026-01-14T05:59:30Z", now: "2026-01-14T06:00:05Z", activeModeId: "night", lastSwitchAt: "2026-01-13T22:00:00Z" }, { modeId: "home", at: "2026-01-14T06:00:00.000Z" }],
    ["nothing passed since the last look", { lastCheckAt: "2026-01-14T06:00:05Z", now: "2026-01-14T06:01:05Z", activeModeId: "night", lastSwitchAt: "2026-01-13T22:00:00Z" }, null],
    ["a manual switch after the scheduled time stands", { lastCheckAt: "2026-01-14T05:59:30Z", now: "2026-01-14T06:00:30Z", activeModeId: "away", lastSwitchAt: "2026-01-14T06:00:10Z" }, null],
    ["a switch before the scheduled time does not", { lastCheckAt: "2026-01-14T05:59:30Z", now: "2026-01-14T06:00:30Z", activeModeId: "away", lastSwitchAt: "2026-01-14T05:59:50Z" }, { modeId: "home", at: "2026-01-14T06:00:00.000Z" }],
    ["already in the mode due", { lastCheckAt: "2026-01-14T05:59:30Z", now: "2026-01-14T06:00:30Z", activeModeId: "home", lastSwitchAt: null }, null],
    ["never switched before", { lastCheckAt: "2026-01-14T21:59:00Z", now: "2026-01-14T22:00:00Z", activeModeId: "home", lastSwitchAt: null }, { modeId: "night", at: "2026-01-14T22:00:00.000Z" }],
    ["two firings in one look: the later wins", { lastCheckAt: "2026-01-14T05:00:00Z", now: "2026-01-14T23:00:00Z", activeModeId: "away", lastSwitchAt: null }, { modeId: "night", at: "2026-01-14T22:00:00.000Z" }],
    // Summer: 07:00 Amsterdam = 05:00Z.
    ["after the spring change, 07:00 is 05:00Z", { lastCheckAt: "2026-03-30T04:59:00Z", now: "2026-03-30T05:00:00Z", activeModeId: "night", lastSwitchAt: null }, { modeId: "home", at: "2026-03-30T05:00:00.000Z" }],
    ["after the spring change, 06:00Z is not 07:00 any more", { lastCheckAt: "2026-03-30T05:59:00Z", now: "2026-03-30T06:00:00Z", activeModeId: "night", lastSwitchAt: null }, null],
  ];
  for (const [name, input, want] of cases) {
    test(name, () => {
      const got = dueMode({ ...base, lastCheckAt: new Date(input.lastCheckAt), now: new Date(input.now), activeModeId: input.activeModeId, lastSwitchAt: input.lastSwitchAt ? new Date(input.lastSwitchAt) : null });
      assert.deepEqual(got && { modeId: got.modeId, at: iso(got.at) }, want);
    });
  }
});
