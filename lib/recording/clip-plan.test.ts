import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { planClip, type PlanOptions } from "./clip-plan";
import type { Segment } from "./segments";

const seg = (runId: string, seq: number, startMs: number, durationMs = 1000): Segment => ({ runId, seq, name: `seg-${seq}.m4s`, startMs, durationMs, endMs: startMs + durationMs, seenAtMs: startMs + durationMs });
/** Run "a": seq 0..9 at 0..10 s; outage; run "b": seq 0..9 at 13..23 s. */
const RING: Segment[] = [...Array.from({ length: 10 }, (_, i) => seg("a", i, i * 1000)), ...Array.from({ length: 10 }, (_, i) => seg("b", i, 13_000 + i * 1000))];
const ids = (p: ReturnType<typeof planClip>) => p.segments.map((s) => `${s.runId}${s.seq}`).join(",");

describe("planClip", () => {
  const cases: { name: string; from: number; to: number; opts?: PlanOptions; ring?: Segment[]; expect: { ids: string; start: number | null; end: number | null; duration: number; missing: [number, number][]; gaps: [number, number][] } }[] = [
    { name: "on boundaries", from: 2000, to: 5000, expect: { ids: "a2,a3,a4", start: 2000, end: 5000, duration: 3000, missing: [], gaps: [] } },
    { name: "inside segments: widened to the enclosing boundaries", from: 2500, to: 4200, expect: { ids: "a2,a3,a4", start: 2000, end: 5000, duration: 3000, missing: [], gaps: [] } },
    { name: "overlap within tolerance is not taken", from: 1990, to: 3010, expect: { ids: "a2", start: 2000, end: 3000, duration: 1000, missing: [], gaps: [] } },
    { name: "a clip continues exactly where the previous one ended", from: 5000, to: 7000, expect: { ids: "a5,a6", start: 5000, end: 7000, duration: 2000, missing: [], gaps: [] } },
    {
      name: "range over the outage: stops at the gap",
      from: 8000,
      to: 15_000,
      expect: { ids: "a8,a9", start: 8000, end: 10_000, duration: 2000, missing: [[10_000, 15_000]], gaps: [[10_000, 13_000]] },
    },
    {
      name: "anchor after the outage: the stretch with the event, pre-roll missing",
      from: 8000,
      to: 15_000,
      opts: { anchorMs: 13_500 },
      expect: { ids: "b0,b1", start: 13_000, end: 15_000, duration: 2000, missing: [[8000, 13_000]], gaps: [[10_000, 13_000]] },
    },
    {
      name: "anchor inside the gap: the first stretch after it",
      from: 8000,
      to: 15_000,
      opts: { anchorMs: 11_000 },
      expect: { ids: "b0,b1", start: 13_000, end: 15_000, duration: 2000, missing: [[8000, 13_000]], gaps: [[10_000, 13_000]] },
    },
    { name: "not recorded yet (future)", from: 22_500, to: 30_000, expect: { ids: "b9", start: 22_000, end: 23_000, duration: 1000, missing: [[23_000, 30_000]], gaps: [[23_000, 30_000]] } },
    { name: "already gone (past)", from: -5000, to: 1000, expect: { ids: "a0", start: 0, end: 1000, duration: 1000, missing: [[-5000, 0]], gaps: [[-5000, 0]] } },
    { name: "nothing at all", from: 10_200, to: 12_800, expect: { ids: "", start: null, end: null, duration: 0, missing: [[10_200, 12_800]], gaps: [[10_200, 12_800]] } },
    { name: "max duration drops segments from the end", from: 1000, to: 9000, opts: { maxDurationMs: 3000 }, expect: { ids: "a1,a2,a3", start: 1000, end: 4000, duration: 3000, missing: [[4000, 9000]], gaps: [] } },
    {
      name: "a missing sequence number inside a run is a gap",
      from: 0,
      to: 4000,
      ring: [seg("a", 0, 0), seg("a", 1, 1000), seg("a", 3, 3000)],
      expect: { ids: "a0,a1", start: 0, end: 2000, duration: 2000, missing: [[2000, 4000]], gaps: [[2000, 3000]] },
    },
    {
      name: "runs touching in time still do not join (each has its own init segment)",
      from: 0,
      to: 2000,
      ring: [seg("a", 7, 0), seg("b", 0, 1000)],
      expect: { ids: "a7", start: 0, end: 1000, duration: 1000, missing: [[1000, 2000]], gaps: [] },
    },
    {
      name: "a restarted run whose numbers happen to continue the old run's is still another run (another init segment)",
      from: 0,
      to: 3000,
      ring: [seg("a", 8, 0), seg("a", 9, 1000), seg("b", 10, 2000)],
      expect: { ids: "a8,a9", start: 0, end: 2000, duration: 2000, missing: [[2000, 3000]], gaps: [] },
    },
    {
      name: "the rest of a range cut at a run change: the new run's part (anchor in the old run's end)",
      from: 2000,
      to: 4000,
      opts: { anchorMs: 2000 },
      ring: [seg("a", 8, 0), seg("a", 9, 1000), seg("b", 0, 2500), seg("b", 1, 3500)],
      expect: { ids: "b0,b1", start: 2500, end: 4500, duration: 2000, missing: [[2000, 2500]], gaps: [[2000, 2500]] },
    },
    {
      name: "irregular durations and µs sums",
      from: 0,
      to: 2000,
      ring: [seg("a", 0, 0, 960), seg("a", 1, 960, 1000.04), seg("a", 2, 1960.04, 1000)],
      expect: { ids: "a0,a1,a2", start: 0, end: 2960.04, duration: 2960.04, missing: [], gaps: [] },
    },
  ];
  for (const c of cases)
    test(c.name, () => {
      const p = planClip(c.ring ?? RING, c.from, c.to, c.opts);
      assert.equal(ids(p), c.expect.ids);
      assert.equal(p.startMs, c.expect.start);
      assert.equal(p.endMs, c.expect.end);
      assert.equal(p.durationMs, c.expect.duration);
      assert.deepEqual(p.missing.map((r) => [r.fromMs, r.toMs]), c.expect.missing);
      assert.deepEqual(p.gaps.map((r) => [r.fromMs, r.toMs]), c.expect.gaps);
      assert.equal(p.isComplete, c.expect.missing.length === 0);
    });
  test("an empty or reversed range is refused", () => {
    assert.throws(() => planClip(RING, 5000, 5000), RangeError);
    assert.throws(() => planClip(RING, 5000, 4000), RangeError);
  });
});
