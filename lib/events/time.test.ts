import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { errorCode } from "../testing/errors";
import { clipDownloadName, contentDisposition, sanitizeFileName } from "./download-name";
import { parseBound, parseFilters } from "./filters";
import { filterQueryString, readFilterQuery } from "./query";
import { addDays, dayOf, dayRange, fileStamp, formatUtcOffset, isDay, parseLocalDateTime, readLocalDateTime, toLocalDateTime, zonedTimeToInstant } from "../time";

const iso = (d: Date) => d.toISOString();
const HOUR = 3_600_000;

describe("days in a time zone", () => {
  const cases: [string, string, string, string, number][] = [
    // zone, day, start (UTC), next start (UTC), hours
    ["UTC", "2026-11-22", "2026-11-22T00:00:00.000Z", "2026-11-23T00:00:00.000Z", 24],
    ["Europe/Amsterdam", "2026-06-01", "2026-05-31T22:00:00.000Z", "2026-06-01T22:00:00.000Z", 24],
    ["Europe/Amsterdam", "2026-03-29", "2026-03-28T23:00:00.000Z", "2026-03-29T22:00:00.000Z", 23], // clocks forward
    ["Europe/Amsterdam", "2026-10-25", "2026-10-24T22:00:00.000Z", "2026-10-25T23:00:00.000Z", 25], // clocks back
    ["America/New_York", "2026-03-08", "2026-03-08T05:00:00.000Z", "2026-03-09T04:00:00.000Z", 23],
    ["Asia/Kolkata", "2026-01-01", "2025-12-31T18:30:00.000Z", "2026-01-01T18:30:00.000Z", 24],
    ["Pacific/Auckland", "2026-12-31", "2026-12-30T11:00:00.000Z", "2026-12-31T11:00:00.000Z", 24],
    // Santiago skips midnight when clocks go forward: the day starts at 01:00.
    ["America/Santiago", "2026-09-06", "2026-09-06T04:00:00.000Z", "2026-09-07T03:00:00.000Z", 23],
  ];
  for (const [zone, day, from, to, hours] of cases) {
    test(`${day} in ${zone}`, () => {
      const r = dayRange(day, zone);
      assert.equal(iso(r.from), from);
      assert.equal(iso(r.to), to);
      assert.equal((r.to.getTime() - r.from.getTime()) / HOUR, hours);
      assert.equal(dayOf(r.from, zone), day);
      assert.equal(dayOf(r.to.getTime() - 1, zone), day);
    });
  }

  test("repeated and skipped wall times", () => {
    // 02:30 happens twice in Amsterdam on 2026-10-25: the earlier one (CEST) is taken.
    assert.equal(iso(zonedTimeToInstant({ year: 2026, month: 10, day: 25, hour: 2, minute: 30 }, "Europe/Amsterdam")), "2026-10-25T00:30:00.000Z");
    // 02:30 does not exist on 2026-03-29: read with the winter offset, it is 03:30 CEST.
    assert.equal(iso(zonedTimeToInstant({ year: 2026, month: 3, day: 29, hour: 2, minute: 30 }, "Europe/Amsterdam")), "2026-03-29T01:30:00.000Z");
  });

  test("calendar days", () => {
    for (const good of ["2026-11-22", "2024-02-29", "1970-01-01"]) assert.ok(isDay(good), good);
    for (const bad of ["2026-02-29", "2026-02-30", "2026-13-01", "2026-1-1", "22-11-2026", "", "2026-11-22T00:00", "1969-12-31"]) assert.ok(!isDay(bad), bad);
    assert.equal(addDays("2026-12-31", 1), "2027-01-01");
    assert.equal(addDays("2026-03-01", -1), "2026-02-28");
    assert.throws(() => addDays("2026-02-30", 1));
  });

  test("local date-time inputs", () => {
    assert.equal(iso(parseLocalDateTime("2026-06-01T14:03", "Europe/Amsterdam")!), "2026-06-01T12:03:00.000Z");
    assert.equal(iso(parseLocalDateTime("2026-06-01T14:03:05", "UTC")!), "2026-06-01T14:03:05.000Z");
    for (const bad of ["2026-06-01", "2026-06-01T24:00", "2026-02-30T10:00", "2026-06-01T10:60", "yesterday"]) assert.equal(parseLocalDateTime(bad, "UTC"), null, bad);
    assert.equal(toLocalDateTime(new Date("2026-06-01T12:03:59Z"), "Europe/Amsterdam"), "2026-06-01T14:03");
  });

  test("local date-time inputs read strictly across DST changes: skipped and repeated times are named, not guessed", () => {
    const read = (v: string, tz = "Europe/Amsterdam") => {
      const r = readLocalDateTime(v, tz);
      if (r.kind === "exact") return `exact ${iso(r.instant)}`;
      if (r.kind === "repeated") return `repeated ${iso(r.instants[0])} ${formatUtcOffset(r.offsetsMs[0])} / ${iso(r.instants[1])} ${formatUtcOffset(r.offsetsMs[1])}`;
      if (r.kind === "skipped") return `skipped ${formatUtcOffset(r.offsetsMs[0])} → ${formatUtcOffset(r.offsetsMs[1])}`;
      return r.kind;
    };
    const cases: [string, string, string][] = [
      ["2026-06-01T14:03", "Europe/Amsterdam", "exact 2026-06-01T12:03:00.000Z"],
      // Sunday 2026-03-29 in Amsterdam: 02:00 CET → 03:00 CEST; 02:00–02:59:59 never happen.
      ["2026-03-29T01:59:59", "Europe/Amsterdam", "exact 2026-03-29T00:59:59.000Z"],
      ["2026-03-29T02:00", "Europe/Amsterdam", "skipped UTC+01:00 → UTC+02:00"],
      ["2026-03-29T02:30", "Europe/Amsterdam", "skipped UTC+01:00 → UTC+02:00"],
      ["2026-03-29T03:00", "Europe/Amsterdam", "exact 2026-03-29T01:00:00.000Z"],
      // Sunday 2026-10-25: 03:00 CEST → 02:00 CET; 02:00–02:59:59 happen twice.
      ["2026-10-25T01:59", "Europe/Amsterdam", "exact 2026-10-24T23:59:00.000Z"],
      ["2026-10-25T02:00", "Europe/Amsterdam", "repeated 2026-10-25T00:00:00.000Z UTC+02:00 / 2026-10-25T01:00:00.000Z UTC+01:00"],
      ["2026-10-25T02:30:15", "Europe/Amsterdam", "repeated 2026-10-25T00:30:15.000Z UTC+02:00 / 2026-10-25T01:30:15.000Z UTC+01:00"],
      ["2026-10-25T03:00", "Europe/Amsterdam", "exact 2026-10-25T02:00:00.000Z"],
      // New York: 2026-03-08 02:00 EST → 03:00 EDT, 2026-11-01 02:00 EDT → 01:00 EST. Lord Howe moves by 30 minutes.
      ["2026-03-08T02:15", "America/New_York", "skipped UTC\u221205:00 → UTC\u221204:00"],
      ["2026-11-01T01:30", "America/New_York", "repeated 2026-11-01T05:30:00.000Z UTC\u221204:00 / 2026-11-01T06:30:00.000Z UTC\u221205:00"],
      ["2026-04-05T01:45", "Australia/Lord_Howe", "repeated 2026-04-04T14:45:00.000Z UTC+11:00 / 2026-04-04T15:15:00.000Z UTC+10:30"],
      ["2026-10-25T02:30", "UTC", "exact 2026-10-25T02:30:00.000Z"],
      ["2026-10-25T24:00", "UTC", "invalid"],
      ["2026-02-30T10:00", "UTC", "invalid"],
      ["yesterday", "UTC", "invalid"],
    ];
    for (const [value, tz, want] of cases) assert.equal(read(value, tz), want, `${value} ${tz}`);
    // The lenient reading keeps its rule (the earlier of a repeated time; a skipped one shifted past the jump).
    assert.equal(iso(parseLocalDateTime("2026-10-25T02:30", "Europe/Amsterdam")!), "2026-10-25T00:30:00.000Z");
    assert.equal(formatUtcOffset(19_800_000), "UTC+05:30");
  });
});

describe("download names", () => {
  test("camera and local time, safe for every file system", () => {
    assert.equal(clipDownloadName("Front door", new Date("2026-11-22T13:03:05.400Z"), "Europe/Amsterdam"), "Front door 2026-11-22 14-03-05.mp4");
    assert.equal(fileStamp(new Date("2026-06-30T23:59:59Z"), "Asia/Tokyo"), "2026-07-01 08-59-59");
    assert.equal(sanitizeFileName('  a/b\\c:d*e?f"g<h>i|j\u0000k  '), "a b c d e f g h i j k");
    assert.equal(sanitizeFileName("..."), "Nightjar");
    assert.equal(sanitizeFileName("x".repeat(300)).length, 80);
  });

  test("Content-Disposition: plain ASCII, or an ASCII fallback with the UTF-8 name (RFC 5987)", () => {
    assert.equal(contentDisposition("Front door 2026-11-22 14-03-05.mp4"), 'attachment; filename="Front door 2026-11-22 14-03-05.mp4"');
    assert.equal(
      contentDisposition("Trädgård (öst) 2026-11-22 14-03-05.mp4"),
      "attachment; filename=\"Tradgard (ost) 2026-11-22 14-03-05.mp4\"; filename*=UTF-8''Tr%C3%A4dg%C3%A5rd%20%28%C3%B6st%29%202026-11-22%2014-03-05.mp4",
    );
    assert.match(contentDisposition("門 1.mp4"), /^attachment; filename="_ 1\.mp4"; filename\*=UTF-8''%E9%96%80%201\.mp4$/);
  });
});

describe("filters from the URL", () => {
  const tz = "Europe/Amsterdam";
  test("read and written back", () => {
    const q = readFilterQuery(new URLSearchParams("camera=a&camera=b&camera=a&from=2026-11-01&to=2026-11-22&protected=yes&day=2026-11-20&junk=1"));
    assert.deepEqual(q, { camera: ["a", "b"], from: "2026-11-01", to: "2026-11-22", protected: "yes", label: [], day: "2026-11-20", show: "" });
    assert.equal(filterQueryString(q), "?camera=a&camera=b&from=2026-11-01&to=2026-11-22&protected=yes&day=2026-11-20");
    assert.equal(readFilterQuery({ protected: "maybe" }).protected, "");
    // The review queue or everything: anything else is the caller's default.
    assert.equal(readFilterQuery({ show: "all" }).show, "all");
    assert.equal(readFilterQuery({ show: "review" }).show, "review");
    assert.equal(readFilterQuery({ show: "mine" }).show, "");
    assert.equal(filterQueryString({ camera: ["a"], show: "all" }), "?camera=a&show=all");
    assert.equal(filterQueryString({}), "");
  });

  test("days are whole days in the viewer's zone; instants are exact", () => {
    const f = parseFilters(readFilterQuery(new URLSearchParams("from=2026-11-01&to=2026-11-22&protected=no")), tz);
    assert.equal(iso(f.from!), "2026-10-31T23:00:00.000Z");
    assert.equal(iso(f.to!), "2026-11-22T23:00:00.000Z"); // the 22nd included
    assert.equal(f.protected, false);
    assert.equal(iso(parseBound("2026-11-22T14:03:05+01:00", tz, "from")!), "2026-11-22T13:03:05.000Z");
    assert.equal(parseBound("2026-02-30T10:00:00Z", tz, "from"), null);
    assert.equal(parseBound("2026-11-22 14:03", tz, "from"), null);
  });

  test("bad input: invalid dates, reversed or empty ranges, unknown zones", async () => {
    const run = (qs: string, zone = tz) => errorCode(Promise.resolve().then(() => parseFilters(readFilterQuery(new URLSearchParams(qs)), zone)));
    assert.equal(await run("from=2026-02-30"), "validation");
    assert.equal(await run("to=tomorrow"), "validation");
    assert.equal(await run("from=2026-11-22&to=2026-11-01"), "invalid_date_range");
    assert.equal(await run("from=2026-11-22T10:00:00Z&to=2026-11-22T10:00:00Z"), "invalid_date_range");
    assert.equal(await run("from=2026-11-22&to=2026-11-22"), "ok"); // one whole day
    assert.equal(await run("", "Mars/Olympus"), "validation");
  });
});
