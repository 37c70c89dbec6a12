import assert from "node:assert/strict";
import { test } from "node:test";
import { formatDuration, parseDuration } from "./duration";

test("parseDuration reads the durations ONVIF devices and clients send", () => {
  const table: [string | null | undefined, number | null][] = [
    ["PT60S", 60_000],
    ["PT1M", 60_000],
    ["PT2M", 120_000],
    ["PT1M30S", 90_000],
    ["PT0.5S", 500],
    ["P1DT2H", 26 * 3_600_000],
    ["PT0S", 0],
    [" PT10S ", 10_000],
    ["P", null],
    ["PT", null],
    ["P1DT", null],
    ["P1Y", null],
    ["P1M", null],
    ["-PT5S", null],
    ["PT5", null],
    ["60", null],
    ["", null],
    [null, null],
    [undefined, null],
  ];
  for (const [text, ms] of table) assert.equal(parseDuration(text), ms, String(text));
});

test("formatDuration writes seconds and round-trips", () => {
  const table: [number, string][] = [
    [0, "PT0S"],
    [90_000, "PT90S"],
    [1_500, "PT1.5S"],
    [250, "PT0.25S"],
    [-5, "PT0S"],
  ];
  for (const [ms, text] of table) {
    assert.equal(formatDuration(ms), text);
    assert.equal(parseDuration(text), Math.max(0, ms));
  }
});
