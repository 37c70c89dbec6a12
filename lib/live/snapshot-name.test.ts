import assert from "node:assert/strict";
import { test } from "node:test";
import { snapshotFileName } from "./snapshot-name";

const at = new Date("2026-07-01T22:30:05.250Z");
const cases: [string, string, string][] = [
  ["Front door", "UTC", "Front door 2026-07-01 22.30.05.jpg"],
  ["Front door", "Europe/Amsterdam", "Front door 2026-07-02 00.30.05.jpg"],
  ["Front door", "America/New_York", "Front door 2026-07-01 18.30.05.jpg"],
  ["Garage: left/right", "UTC", "Garage_ left_right 2026-07-01 22.30.05.jpg"],
  ['"Kid\'s" room?*', "UTC", "_Kid's_ room__ 2026-07-01 22.30.05.jpg"],
  ["  ", "UTC", "camera 2026-07-01 22.30.05.jpg"],
];
for (const [name, zone, expected] of cases) test(`${JSON.stringify(name)} in ${zone}`, () => assert.equal(snapshotFileName(name, at, zone), expected));

test("midnight is 00, not 24", () => assert.equal(snapshotFileName("C", new Date("2026-07-01T00:00:00Z"), "UTC"), "C 2026-07-01 00.00.00.jpg"));
