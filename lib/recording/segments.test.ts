import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { playlistSizeFor, SegmentRing, SegmentTracker, type Segment } from "./segments";
import { ffmpegPlaylist as playlist, PLAYLIST_T0 as T0 } from "../testing/playlists";


describe("SegmentTracker", () => {
  const iso = (ms: number) => new Date(ms).toISOString().replace("Z", "+0000");
  // Program dates lag the wall clock by 1000 ms (ffmpeg probed for 1 s before muxing).
  const SHIFT = -1000;
  const entry = (i: number): [string, string, string] => [`seg-${i}.m4s`, "1.000000", iso(T0 + i * 1000)];

  test("places segments on the wall clock with the smallest observed lag", () => {
    const tr = new SegmentTracker("run-a");
    // seg-0 seen 30 ms late, seg-1 seen 5 ms late (the tighter bound wins from then on).
    const a = tr.update(playlist(0, [entry(0)]), T0 + 1000 + SHIFT + 30);
    assert.deepEqual(a.map((s) => [s.seq, s.startMs - T0, s.durationMs, s.endMs - T0]), [[0, -970, 1000, 30]]);
    const b = tr.update(playlist(0, [entry(0), entry(1)]), T0 + 2000 + SHIFT + 5);
    assert.deepEqual(b.map((s) => [s.seq, s.startMs - T0, s.endMs - T0]), [[1, 5, 1005]]);
    assert.equal(tr.shiftMs, SHIFT + 5);
    assert.equal(tr.initName, "init.mp4");
  });

  test("the same playlist twice yields nothing; a sliding window yields only new entries", () => {
    const tr = new SegmentTracker("run-a");
    tr.update(playlist(0, [entry(0), entry(1)]), T0 + 2000 + SHIFT);
    assert.deepEqual(tr.update(playlist(0, [entry(0), entry(1)]), T0 + 2500), []);
    const c = tr.update(playlist(1, [entry(1), entry(2), entry(3)]), T0 + 4000 + SHIFT);
    assert.deepEqual(c.map((s) => [s.seq, s.name, s.startMs - T0]), [[2, "seg-2.m4s", 1000], [3, "seg-3.m4s", 2000]]);
  });

  test("the last segment of an ended run gives no bound (it was cut by the stream's end)", () => {
    const tr = new SegmentTracker("run-a");
    tr.update(playlist(0, [entry(0)]), T0 + 1000 + SHIFT);
    const end = tr.update(playlist(0, [entry(0), ["seg-1.m4s", "0.240000", iso(T0 + 1000)]], true), T0 + 9000);
    assert.equal(tr.isEnded, true);
    assert.equal(tr.shiftMs, SHIFT);
    assert.deepEqual(end.map((s) => [s.startMs - T0, s.durationMs]), [[0, 240]]);
  });

  test("without program dates the media durations are accumulated", () => {
    const tr = new SegmentTracker("run-b");
    const r = tr.update("#EXTM3U\n#EXTINF:1.0,\ns0.ts\n#EXTINF:0.5,\ns1.ts\n", T0 + 1500);
    assert.deepEqual(r.map((s) => [s.startMs - T0, s.endMs - T0]), [[0, 1000], [1000, 1500]]);
  });
});

const seg = (runId: string, seq: number, startMs: number, durationMs = 1000): Segment => ({ runId, seq, name: `seg-${seq}.m4s`, startMs, durationMs, endMs: startMs + durationMs, seenAtMs: startMs + durationMs });

describe("SegmentRing", () => {
  test("keeps segments ending within keepMs of the newest end, drops duplicates", () => {
    const ring = new SegmentRing(3000);
    assert.deepEqual(ring.push(seg("a", 0, 0), seg("a", 1, 1000), seg("a", 2, 2000)), []);
    const evicted = ring.push(seg("a", 2, 2000), seg("a", 3, 3000), seg("a", 4, 4000));
    assert.deepEqual(evicted.map((s) => s.seq), [0]);
    assert.deepEqual(ring.list().map((s) => s.seq), [1, 2, 3, 4]);
    assert.equal(ring.newest()?.seq, 4);
  });
  test("a new run continues the ring; dropRun forgets a run", () => {
    const ring = new SegmentRing(10_000);
    ring.push(seg("a", 5, 0), seg("b", 0, 4000));
    assert.deepEqual(ring.list().map((s) => `${s.runId}${s.seq}`), ["a5", "b0"]);
    assert.deepEqual(ring.dropRun("a").map((s) => s.seq), [5]);
    assert.deepEqual(ring.list().map((s) => s.runId), ["b"]);
  });
  test("keepMs must be positive", () => assert.throws(() => new SegmentRing(0)));
});

describe("playlistSizeFor", () => {
  const cases: [number, number, number | undefined, number][] = [
    [30_000, 1000, undefined, 41],
    [30_000, 2000, undefined, 21],
    [5000, 1000, 0, 6],
  ];
  for (const [keep, segMs, margin, n] of cases) test(`${keep}/${segMs}/${margin}`, () => assert.equal(playlistSizeFor(keep, segMs, margin), n));
});
