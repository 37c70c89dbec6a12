import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { AccessUnit } from "./annexb";
import { nalType } from "./h264";
import { FramePacer, ReplaySource, type Clip } from "./replay";
import { MediaStream } from "./rtsp-server";

const SPS = Buffer.from("Z01AKNoB4AiflwEQAAADABAAAAMDIPGDKg==", "base64");
const PPS = Buffer.from("aO88gA==", "base64");

/** A clip of `frames` frames with a keyframe every `gop`; each slice carries its variant and frame number. */
function fakeClip(variant: string, frames: number, gop: number): Clip {
  const aus: AccessUnit[] = [];
  for (let i = 0; i < frames; i++) {
    const isKey = i % gop === 0;
    const slice = Buffer.from([isKey ? 0x65 : 0x41, 0x88, variant.charCodeAt(0), i]);
    aus.push({ nals: isKey ? [SPS, PPS, slice] : [slice], isKey });
  }
  return { file: variant, frames: aus, sps: SPS, pps: PPS, width: 1920, height: 1080 };
}

/** A pacer driven by hand: tick() = one frame period. */
function manualPacer() {
  const fns = new Set<() => void>();
  return {
    add(fn: () => void) {
      fns.add(fn);
      return () => fns.delete(fn);
    },
    tick(n = 1) {
      for (let i = 0; i < n; i++) for (const fn of fns) fn();
    },
    get size() {
      return fns.size;
    },
  };
}

/** What a stream emitted: variant letter + clip frame number, keyframe flag and RTP time. */
function record(stream: MediaStream) {
  const seen: { id: string; isKey: boolean; rtpTime: number }[] = [];
  stream.listen((f) => {
    const slice = f.au.nals.at(-1)!;
    seen.push({ id: `${String.fromCharCode(slice[2])}${slice[3]}`, isKey: f.isKey, rtpTime: f.rtpTime });
  });
  return seen;
}

describe("ReplaySource", () => {
  test("loops the clip and switches to motion only at the next keyframe, with continuous timestamps", () => {
    const pacer = manualPacer();
    const main = new MediaStream("main", 25);
    const sub = new MediaStream("sub", 25);
    const seenMain = record(main);
    const seenSub = record(sub);
    const clips = { static: fakeClip("s", 10, 5), motion: fakeClip("m", 10, 5) };
    const source = new ReplaySource(pacer, [
      { stream: main, clips },
      { stream: sub, clips },
    ]);
    assert.ok(main.sps?.equals(SPS), "parameter sets are known before the first frame");
    pacer.tick(2);
    source.setMotion(true);
    assert.equal(source.motion, false, "not before the keyframe");
    pacer.tick(10);
    source.setMotion(false);
    pacer.tick(5);
    assert.deepEqual(
      seenMain.map((f) => f.id),
      ["s0", "s1", "s2", "s3", "s4", "m5", "m6", "m7", "m8", "m9", "m0", "m1", "m2", "m3", "m4", "s5", "s6"],
    );
    assert.deepEqual(seenSub.map((f) => f.id), seenMain.map((f) => f.id), "main and sub switch on the same frame");
    for (const [i, f] of seenMain.entries()) {
      assert.equal(f.isKey, i % 5 === 0);
      if (i) assert.equal((f.rtpTime - seenMain[i - 1].rtpTime) >>> 0, 3600);
    }
    source.close();
    assert.equal(pacer.size, 0);
  });

  test("a resolution change switches the main track to its alternative pair at the next keyframe, SPS in-band", () => {
    const pacer = manualPacer();
    const main = new MediaStream("main", 25);
    const sub = new MediaStream("sub", 25);
    const seenMain = record(main);
    const seenSub = record(sub);
    const clips = { static: fakeClip("s", 10, 5), motion: fakeClip("m", 10, 5) };
    const source = new ReplaySource(pacer, [
      { stream: main, clips },
      { stream: sub, clips },
    ]);
    const altSps = Buffer.from([0x67, 0x4d, 0x40, 0x1f, 0xaa]);
    const alt = (variant: string) => {
      const c = fakeClip(variant, 10, 5);
      return { ...c, sps: altSps, frames: c.frames.map((au) => ({ ...au, nals: au.isKey ? [altSps, PPS, au.nals[2]] : au.nals })) };
    };
    source.addAlternative(main, { static: alt("a"), motion: alt("b") });
    pacer.tick(3);
    source.setAlternative(true);
    source.setMotion(true);
    assert.equal(source.alternative, false, "not before the keyframe");
    pacer.tick(4);
    assert.equal(source.alternative, true);
    assert.ok(main.sps?.equals(altSps), "the stream took the new SPS from the IDR (later DESCRIBEs announce it)");
    assert.ok(sub.sps?.equals(SPS), "the sub stream keeps its size");
    source.setAlternative(false);
    pacer.tick(5);
    assert.deepEqual(seenMain.map((f) => f.id), ["s0", "s1", "s2", "s3", "s4", "b5", "b6", "b7", "b8", "b9", "m0", "m1"]);
    assert.deepEqual(seenSub.map((f) => f.id), ["s0", "s1", "s2", "s3", "s4", "m5", "m6", "m7", "m8", "m9", "m0", "m1"]);
    assert.ok(main.sps?.equals(SPS), "back to the first size at the next keyframe");
    assert.equal(nalType(main.currentGop()[0].au.nals[0]), 7);
    source.close();
  });

  test("an alternative pair must match the clip length and share its parameter sets", () => {
    const main = new MediaStream("main", 25);
    const source = new ReplaySource(manualPacer(), [{ stream: main, clips: { static: fakeClip("s", 10, 5), motion: fakeClip("m", 10, 5) } }]);
    assert.throws(() => source.addAlternative(main, { static: fakeClip("a", 8, 4), motion: fakeClip("b", 8, 4) }), /same number of frames/);
    assert.throws(() => source.addAlternative(main, { static: fakeClip("a", 10, 5), motion: { ...fakeClip("b", 10, 5), sps: Buffer.from([0x67, 1, 2, 3]) } }), /SPS\/PPS/);
    assert.throws(() => source.addAlternative(new MediaStream("other", 25), { static: fakeClip("a", 10, 5), motion: fakeClip("b", 10, 5) }), /not a track/);
    source.close();
  });

  test("rejects clips whose parameter sets differ", () => {
    const other = { ...fakeClip("m", 10, 5), sps: Buffer.from([0x67, 1, 2, 3]) };
    assert.throws(() => new ReplaySource(manualPacer(), [{ stream: new MediaStream("main", 25), clips: { static: fakeClip("s", 10, 5), motion: other } }]), /SPS\/PPS/);
  });
});

describe("MediaStream", () => {
  test("keeps the current GOP from its keyframe and picks up in-band parameter sets", async () => {
    const stream = new MediaStream("main", 25);
    assert.equal(await stream.ready(10), false);
    const clip = fakeClip("s", 7, 5);
    for (const au of clip.frames) stream.push(au);
    assert.equal(await stream.ready(10), true);
    assert.deepEqual(stream.currentGop().map((f) => f.isKey), [true, false]);
    assert.equal(nalType(stream.currentGop()[0].au.nals[0]), 7);
  });
});

describe("FramePacer", () => {
  test("ticks at the frame rate on the monotonic clock and stops when the last listener leaves", async () => {
    const pacer = new FramePacer(50);
    let n = 0;
    const t0 = performance.now();
    const remove = pacer.add(() => n++);
    await new Promise((r) => setTimeout(r, 500));
    remove();
    const expected = ((performance.now() - t0) / 1000) * 50;
    assert.ok(Math.abs(n - expected) <= 3, `${n} ticks, expected ≈ ${expected.toFixed(1)}`);
    const stopped = n;
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(n, stopped);
    pacer.close();
  });
});
