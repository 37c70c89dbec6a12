// /proc/stat readings as `npm test` takes them to decide whether its lanes may run side by side.
import assert from "node:assert/strict";
import { test } from "node:test";
import { busyShare, cpuTicks } from "./cpu-load";

const stat = (user: number, idle: number, system = 0) => `cpu  ${user} 0 ${system} ${idle} 0 0 0 0 0 0\ncpu0 1 2 3 4 5 6 7 8 9 10\nintr 1 2 3\n`;

test("cpuTicks: the machine's line, busy = user + nice + system + irq + softirq + steal, idle and iowait not", () => {
  assert.deepEqual(cpuTicks("cpu  10 1 2 100 5 3 4 6 0 0\n"), { busy: 26, total: 131 });
  assert.deepEqual(cpuTicks("cpu 10 1 2 100\n"), { busy: 13, total: 113 }, "an old kernel's four fields");
  assert.equal(cpuTicks("intr 1 2\n"), null);
  assert.equal(cpuTicks("cpu  a b c d\n"), null);
});

test("busyShare: the share of all CPUs busy between two readings", () => {
  const cases: [string, string, number | null][] = [
    [stat(0, 0), stat(0, 200), 0], // idle
    [stat(0, 0), stat(200, 0), 1], // both cores busy (two `yes`)
    [stat(100, 100), stat(150, 250), 0.25],
    [stat(0, 0, 0), stat(50, 100, 50), 0.5], // system time counts as busy
    [stat(100, 100), stat(100, 100), null], // no time passed
    [stat(100, 100), "", null], // unreadable
  ];
  for (const [before, after, share] of cases) assert.equal(busyShare(before, after), share);
});
