import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { fakeClock } from "../clock";
import { defaultMotionConfig } from "../motion/config";
import { buildMotionMasks } from "../motion/mask";
import { createMotionState, scoreFrame } from "../motion/score";
import { createSyntheticScene } from "../motion/synthetic";
import { alarmFraction, ANALYSIS_LAG_LIMIT_MS, createEventMachine, frameTime, stepEventMachine, tickTime, type EventAction, type EventInput, type EventMachineConfig, type EventMachineState } from "./event-machine";

const T0 = Date.UTC(2026, 0, 1);
const defaults = defaultMotionConfig();
const CONFIG: EventMachineConfig = {
  minMotionMs: defaults.minMotionMs,
  quietMs: defaults.quietMs,
  preRollMs: defaults.preRollMs,
  postRollMs: defaults.postRollMs,
  maxClipMs: defaults.maxClipMs,
};

type Script = {
  /** Motion intervals [from, to] in ms after T0 (inclusive): samples inside fire. */
  motion: [number, number][];
  /** Run until this many ms after T0. */
  until: number;
  /** Frame interval of the analysed stream (ms); 200 = 5 fps. */
  frameMs?: number;
  /** Arming changes [at ms after T0, armed]. */
  arming?: [number, boolean][];
  config?: Partial<EventMachineConfig>;
};

/** Drives the machine with a fake clock: one sample per frame (peak = 10 + seconds, zone "yard"). Times relative to T0. */
function simulate(script: Script): { actions: EventAction[]; state: EventMachineState } {
  const clock = fakeClock(T0);
  const frameMs = script.frameMs ?? 200;
  const config = { ...CONFIG, ...script.config };
  let state = createEventMachine({ now: T0 });
  const actions: EventAction[] = [];
  const feed = (input: EventInput) => {
    const r = stepEventMachine(state, input, config);
    state = r.state;
    actions.push(...r.actions);
  };
  for (let t = 0; t <= script.until; t += frameMs) {
    clock.set(T0 + t);
    const at = clock.now().getTime();
    for (const [when, armed] of script.arming ?? []) if (when === t) feed({ type: "arming", at, armed });
    const fired = script.motion.some(([a, b]) => t >= a && t <= b);
    feed({ type: "motion", at, fired, peak: fired ? 10 + Math.floor(t / 1000) : 0, zones: fired ? ["yard"] : [] });
  }
  return { actions: actions.map(relative), state };
}

/** Action times relative to T0, for readable expectations. */
function relative(a: EventAction): EventAction {
  switch (a.type) {
    case "startEvent":
      return { ...a, eventStart: a.eventStart - T0, clipStart: a.clipStart - T0 };
    case "startClip":
      return { ...a, eventStart: a.eventStart - T0, from: a.from - T0 };
    case "endClip":
      return { ...a, eventStart: a.eventStart - T0, to: a.to - T0 };
    case "endEvent":
      return { ...a, eventStart: a.eventStart - T0, end: a.end - T0, lastMotion: a.lastMotion - T0, peakAt: a.peakAt - T0 };
    default:
      return { ...a, at: a.at - T0 };
  }
}

/** Compact form: "type:times" per action. */
function brief(actions: EventAction[]): string[] {
  return actions.map((a) => {
    switch (a.type) {
      case "startEvent":
        return `startEvent ${a.eventStart} clip ${a.clipStart}`;
      case "startClip":
        return `startClip#${a.sequence} ${a.from}`;
      case "endClip":
        return `endClip#${a.sequence} ${a.to}`;
      case "endEvent":
        return `endEvent ${a.eventStart}-${a.end} ${a.reason} clips ${a.clips}`;
      case "guardEngaged":
        return `guardEngaged ${a.at} ${a.reason}`;
      case "guardReleased":
        return `guardReleased ${a.at}`;
    }
  });
}

describe("event machine", () => {
  // [name, script, expected actions (brief)]
  const cases: [string, Script, string[]][] = [
    ["no motion, no event", { motion: [], until: 30_000 }, []],
    ["a blip shorter than minMotionMs is no event", { motion: [[1_000, 1_400]], until: 30_000 }, []],
    ["blips further apart than the pending gap stay blips", { motion: [[1_000, 1_200], [2_600, 2_800], [4_200, 4_400]], until: 30_000 }, []],
    [
      "6 s of motion: one event, one clip from first motion − 5 s to last motion + 5 s",
      { motion: [[10_000, 16_000]], until: 40_000 },
      ["startEvent 10000 clip 5000", "startClip#1 5000", "endClip#1 21000", "endEvent 10000-21000 quiet clips 1"],
    ],
    [
      "motion with a gap shorter than quietMs is one event",
      { motion: [[10_000, 13_000], [17_000, 19_000]], until: 40_000 },
      ["startEvent 10000 clip 5000", "startClip#1 5000", "endClip#1 24000", "endEvent 10000-24000 quiet clips 1"],
    ],
    [
      "a gap longer than quietMs makes two events",
      { motion: [[10_000, 13_000], [20_000, 22_000]], until: 40_000 },
      [
        "startEvent 10000 clip 5000",
        "startClip#1 5000",
        "endClip#1 18000",
        "endEvent 10000-18000 quiet clips 1",
        "startEvent 20000 clip 15000",
        "startClip#1 15000",
        "endClip#1 27000",
        "endEvent 20000-27000 quiet clips 1",
      ],
    ],
    [
      "60 s of motion with 20 s clips: consecutive clips 1..4 of one event, contiguous",
      { motion: [[10_000, 70_000]], until: 100_000 },
      [
        "startEvent 10000 clip 5000",
        "startClip#1 5000",
        "endClip#1 25000",
        "startClip#2 25000",
        "endClip#2 45000",
        "startClip#3 45000",
        "endClip#3 65000",
        "startClip#4 65000",
        "endClip#4 75000",
        "endEvent 10000-75000 quiet clips 4",
      ],
    ],
    [
      "an event of exactly maxClipMs stays one clip (no empty second clip)",
      { motion: [[10_000, 20_000]], until: 40_000 },
      ["startEvent 10000 clip 5000", "startClip#1 5000", "endClip#1 25000", "endEvent 10000-25000 quiet clips 1"],
    ],
    [
      "postRoll shorter than quietMs: no clip split beyond the end",
      { motion: [[10_000, 22_000]], until: 60_000, config: { postRollMs: 1_000, quietMs: 10_000 } },
      ["startEvent 10000 clip 5000", "startClip#1 5000", "endClip#1 23000", "endEvent 10000-23000 quiet clips 1"],
    ],
    [
      "postRoll longer than quietMs: motion in the post-roll continues the event",
      { motion: [[10_000, 12_000], [17_000, 18_000]], until: 60_000, config: { quietMs: 2_000, postRollMs: 8_000 } },
      ["startEvent 10000 clip 5000", "startClip#1 5000", "endClip#1 25000", "startClip#2 25000", "endClip#2 26000", "endEvent 10000-26000 quiet clips 2"],
    ],
    [
      "minMotionMs 0: the first fired frame starts the event",
      { motion: [[10_000, 10_000]], until: 30_000, config: { minMotionMs: 0 } },
      ["startEvent 10000 clip 5000", "startClip#1 5000", "endClip#1 15000", "endEvent 10000-15000 quiet clips 1"],
    ],
    ["not armed: no events", { motion: [[10_000, 20_000]], until: 40_000, arming: [[0, false]] }, []],
    [
      "disarmed mid-event: the event ends at the disarm time; re-armed: a new event",
      { motion: [[10_000, 60_000]], until: 90_000, arming: [[14_000, false], [40_000, true]] },
      [
        "startEvent 10000 clip 5000",
        "startClip#1 5000",
        "endClip#1 14000",
        "endEvent 10000-14000 disarmed clips 1",
        "startEvent 40000 clip 35000",
        "startClip#1 35000",
        "endClip#1 55000",
        "startClip#2 55000",
        "endClip#2 65000",
        "endEvent 40000-65000 quiet clips 2",
      ],
    ],
    ["disarmed while pending: nothing", { motion: [[10_000, 20_000]], until: 40_000, arming: [[10_200, false]] }, []],
  ];
  for (const [name, script, expected] of cases) {
    test(name, () => {
      const { actions, state } = simulate(script);
      assert.deepEqual(brief(actions), expected);
      assert.equal(state.phase, "idle");
    });
  }

  test("stop: an open event ends at once with its clip (post-roll cut short); a pending one is dropped; idle stays idle", () => {
    const run = (motion: [number, number], stopAt: number) => {
      let state = createEventMachine({ now: T0 });
      const actions: EventAction[] = [];
      for (let t = 0; t <= stopAt; t += 200) {
        const fired = t >= motion[0] && t <= motion[1];
        const r = stepEventMachine(state, { type: "motion", at: T0 + t, fired, peak: fired ? 50 : 0, zones: fired ? ["yard"] : [] }, CONFIG);
        state = r.state;
        actions.push(...r.actions);
      }
      const r = stepEventMachine(state, { type: "stop", at: T0 + stopAt }, CONFIG);
      return { before: brief(actions.map(relative)), at: brief(r.actions.map(relative)), phase: r.state.phase };
    };
    // Motion 10–30 s, stopped at 25 s (mid-motion): the clip and the event end at 25 s.
    assert.deepEqual(run([10_000, 30_000], 25_000).at, ["endClip#1 25000", "endEvent 10000-25000 stopped clips 1"]);
    // Motion 10–20 s, stopped at 22 s (in the quiet time): ends at 22 s, before the post-roll's 25 s.
    assert.deepEqual(run([10_000, 20_000], 22_000).at, ["endClip#1 22000", "endEvent 10000-22000 stopped clips 1"]);
    // A 40 s event split at 30 s (20 s clips from 5 s), stopped at 40 s: the second clip ends at the stop.
    assert.deepEqual(run([10_000, 50_000], 40_000).at, ["endClip#2 40000", "endEvent 10000-40000 stopped clips 2"]);
    // Pending (motion shorter than minMotionMs so far): dropped, nothing to cut.
    const pending = run([10_000, 30_000], 10_200);
    assert.deepEqual([pending.at, pending.phase], [[], "idle"]);
    assert.deepEqual(run([10_000, 11_000], 60_000).at, [], "idle: nothing");
  });

  test("clips of an event are contiguous and at most maxClipMs long", () => {
    const { actions } = simulate({ motion: [[3_000, 130_000]], until: 200_000, frameMs: 333 });
    const starts = actions.filter((a) => a.type === "startClip");
    const ends = actions.filter((a) => a.type === "endClip");
    assert.equal(starts.length, ends.length);
    for (let i = 0; i < starts.length; i++) {
      assert.equal(starts[i].sequence, i + 1);
      assert.ok(ends[i].to - starts[i].from <= CONFIG.maxClipMs && ends[i].to > starts[i].from);
      if (i > 0) assert.equal(starts[i].from, ends[i - 1].to);
    }
    const firstSample = Math.ceil(3_000 / 333) * 333;
    const lastSample = Math.floor(130_000 / 333) * 333;
    assert.equal(starts[0].from, firstSample - 5_000);
    assert.equal(ends.at(-1)!.to, lastSample + 5_000);
  });

  test("tracks the peak score, its time and the zones that fired", () => {
    const config = { ...CONFIG };
    let state = createEventMachine({ now: T0 });
    const actions: EventAction[] = [];
    const samples: [number, number, string[]][] = [
      [0, 20, ["gate"]],
      [200, 35, ["gate", "path"]],
      [400, 80, ["path"]],
      [600, 40, ["door"]],
      [800, 10, ["gate"]],
    ];
    for (const [t, peak, zones] of samples) {
      const r = stepEventMachine(state, { type: "motion", at: T0 + t, fired: true, peak, zones }, config);
      state = r.state;
      actions.push(...r.actions);
    }
    const r = stepEventMachine(state, { type: "tick", at: T0 + 10_000 }, config);
    const end = r.actions.find((a) => a.type === "endEvent");
    assert.ok(end);
    assert.equal(end.peak, 80);
    assert.equal(end.peakAt, T0 + 400);
    assert.deepEqual(end.zones, ["gate", "path", "door"]);
    assert.equal(end.lastMotion, T0 + 800);
  });

  test("ticks alone end an event and split clips at exact times", () => {
    const config = { ...CONFIG, minMotionMs: 0 };
    let state = createEventMachine({ now: T0 });
    const all: EventAction[] = [];
    const feed = (input: EventInput) => {
      const r = stepEventMachine(state, input, config);
      state = r.state;
      all.push(...r.actions);
    };
    feed({ type: "motion", at: T0, fired: true, peak: 50, zones: [] });
    for (let s = 1; s <= 17; s++) feed({ type: "motion", at: T0 + s * 1000, fired: true, peak: 50, zones: [] });
    feed({ type: "tick", at: T0 + 60_000 }); // one late tick: everything due since is emitted with exact times
    assert.deepEqual(brief(all.map(relative)), ["startEvent 0 clip -5000", "startClip#1 -5000", "endClip#1 15000", "startClip#2 15000", "endClip#2 22000", "endEvent 0-22000 quiet clips 2"]);
  });

  const F = 200; // frame interval at 5 fps, ms
  const clockCases: [string, "frame" | "tick", number, number | null, number][] = [
    ["frame, no frame before: now", "frame", 100_000, null, 100_000],
    ["frame, frames flowing (last 200 ms ago): now", "frame", 100_000, 99_800, 100_000],
    ["frame after a 9 s stall: 1.5 intervals after the last one", "frame", 100_000, 91_000, 91_000 + 1.5 * F],
    ["frame at the limit: 1.5 intervals after the last one", "frame", 100_000, 100_000 - ANALYSIS_LAG_LIMIT_MS, 100_000 - ANALYSIS_LAG_LIMIT_MS + 1.5 * F],
    ["frame beyond the limit (the decoder was down): now", "frame", 100_000, 100_000 - ANALYSIS_LAG_LIMIT_MS - 1, 100_000],
    ["tick, no frame yet: now", "tick", 100_000, null, 100_000],
    ["tick, frames flowing: the last frame", "tick", 100_000, 99_800, 99_800],
    ["tick during a 9 s stall: the last frame", "tick", 100_000, 91_000, 91_000],
    ["tick beyond the limit: now", "tick", 100_000, 100_000 - ANALYSIS_LAG_LIMIT_MS - 1, 100_000],
    ["tick, a frame stamped after now: now", "tick", 100_000, 100_500, 100_000],
  ];
  for (const [name, kind, now, last, expected] of clockCases) {
    test(`analysis clock: ${name}`, () => assert.equal(kind === "frame" ? frameTime(now, last, F) : tickTime(now, last), expected));
  }

  test("a stalled analysis does not end an event: frames buffered in the stall keep their spacing; a decoder down for good ends it", () => {
    const config = { ...CONFIG, minMotionMs: 0 };
    let state = createEventMachine({ now: T0 });
    const all: EventAction[] = [];
    let lastFrameAt: number | null = null;
    const step = (input: EventInput) => {
      const r = stepEventMachine(state, input, config);
      state = r.state;
      all.push(...r.actions);
    };
    const frame = (arrived: number, fired: boolean) => {
      lastFrameAt = frameTime(arrived, lastFrameAt, F);
      step({ type: "motion", at: lastFrameAt, fired, peak: fired ? 50 : 0, zones: [] });
    };
    const tick = (now: number) => step({ type: "tick", at: tickTime(now, lastFrameAt) });
    const events = () => brief(all.map(relative)).filter((a) => a.startsWith("startEvent") || a.startsWith("endEvent"));
    for (let ms = 0; ms <= 3_000; ms += F) frame(T0 + ms, true);
    // The decoder stalls for 12 s (more than quiet + post-roll, 10 s) while the scene keeps moving; ticks go on.
    for (let ms = 3_500; ms <= 15_000; ms += 500) tick(T0 + ms);
    assert.deepEqual(events(), ["startEvent 0 clip -5000"], "still open");
    // The buffered frames arrive at once, still showing motion, then quiet ones: one event, ended after its quiet.
    for (let ms = 15_200; ms <= 16_000; ms += F) frame(T0 + ms, true);
    for (let ms = 16_200; ms <= 30_000; ms += F) frame(T0 + ms, false);
    assert.deepEqual(events(), ["startEvent 0 clip -5000", "endEvent 0-9500 quiet clips 1"], "the motion ran on to 4.5 s of analysis time");
    // A decoder that goes down for good mid-event: ticks wait for it up to the limit, then the event ends on time.
    frame(T0 + 50_000, true);
    for (let ms = 50_500; ms <= 50_000 + ANALYSIS_LAG_LIMIT_MS; ms += 500) tick(T0 + ms);
    assert.equal(events().length, 3, "held while the decoder may come back");
    tick(T0 + 50_000 + ANALYSIS_LAG_LIMIT_MS + 500);
    assert.deepEqual(events().slice(2), ["startEvent 50000 clip 45000", "endEvent 50000-55000 quiet clips 1"]);
  });

  test("time never goes backwards", () => {
    let state = createEventMachine({ now: T0 + 5_000 });
    state = stepEventMachine(state, { type: "tick", at: T0 }, CONFIG).state;
    assert.equal(state.now, T0 + 5_000);
  });

  test("end to end: a synthetic walker through the frame makes one event with one clip", () => {
    const W = 64;
    const H = 36;
    const scene = createSyntheticScene({ width: W, height: H, seed: 7 });
    const motion = defaultMotionConfig();
    const masks = buildMotionMasks(motion, W, H);
    let scorer = createMotionState(W, H);
    let machine = createEventMachine({ now: T0 });
    const actions: EventAction[] = [];
    // 5 fps for 30 s; a person-sized rectangle crosses the frame from 4 s to 10 s.
    for (let i = 0; i < 150; i++) {
      const t = i * 200;
      const walking = t >= 4_000 && t <= 10_000;
      const rects = walking ? [{ x: 0.05 + ((t - 4_000) / 6_000) * 0.8, y: 0.4, w: 0.08, h: 0.3, luma: 200 }] : [];
      const s = scoreFrame(scorer, scene.frame(i, { rects }), masks, motion);
      scorer = s.nextState;
      const r = stepEventMachine(machine, { type: "motion", at: T0 + t, fired: s.fired.length > 0, peak: s.peak, zones: s.fired }, CONFIG);
      machine = r.state;
      actions.push(...r.actions);
    }
    assert.deepEqual(brief(actions.map(relative)).map((a) => a.split(" ")[0]), ["startEvent", "startClip#1", "endClip#1", "endEvent"]);
    const start = actions.find((a) => a.type === "startEvent")!;
    assert.equal(start.eventStart, T0 + 4_000);
  });
});

describe("permanent-alarm guard", () => {
  test("one event longer than maxEventMs engages the guard: clips stop, the event goes on; released after", () => {
    const { actions } = simulate({
      motion: [[0, 120_000], [200_000, 206_000]],
      until: 260_000,
      frameMs: 500,
      config: { guard: { windowMs: 600_000, maxEventMs: 60_000 } },
    });
    assert.deepEqual(brief(actions), [
      "startEvent 0 clip -5000",
      "startClip#1 -5000",
      "endClip#1 15000",
      "startClip#2 15000",
      "endClip#2 35000",
      "startClip#3 35000",
      "endClip#3 55000",
      "startClip#4 55000",
      "guardEngaged 60500 long_event",
      "endClip#4 75000", // the clip in progress runs to its normal end; no clip #5
      "endEvent 0-125000 quiet clips 4",
      "guardReleased 125000", // 125 s of 600 s in alarm ≤ 25 %
      "startEvent 200000 clip 195000",
      "startClip#1 195000",
      "endClip#1 211000",
      "endEvent 200000-211000 quiet clips 1",
    ]);
  });

  test("alarm more than half of the window engages the guard; new events get no clips until it subsides", () => {
    // 20 s of motion every 30 s for 8 minutes (each event 25 s with post-roll: 83 % in alarm), then calm, then one walk-by.
    const motion: [number, number][] = [];
    for (let t = 0; t < 480_000; t += 30_000) motion.push([t, t + 20_000]);
    motion.push([930_000, 936_000]);
    const { actions, state } = simulate({ motion, until: 990_000, frameMs: 500, config: { guard: { windowMs: 600_000, maxEventMs: 3_600_000 } } });
    const engaged = actions.find((a) => a.type === "guardEngaged");
    const released = actions.find((a) => a.type === "guardReleased");
    assert.ok(engaged && released);
    assert.equal(engaged.reason, "alarm_fraction");
    // > 300 s of alarm needed: 12 events × 25 s; the 13th event (starting at 360 s) pushes it over.
    assert.ok(engaged.at > 360_000 && engaged.at < 390_000, String(engaged.at));
    assert.ok(engaged.alarmFraction > 0.5 && engaged.alarmFraction < 0.51);
    // Released once at most 25 % of the last 10 minutes was in alarm.
    assert.ok(released.alarmFraction <= 0.25);
    assert.ok(released.at > 480_000 && released.at < 930_000, String(released.at));
    const ends = actions.filter((a) => a.type === "endEvent");
    assert.equal(ends.length, 17);
    const during = ends.filter((e) => e.eventStart > engaged.at && e.eventStart < released.at);
    assert.ok(during.length >= 3);
    assert.ok(during.every((e) => e.clips === 0), "events while engaged have no clips");
    assert.equal(ends.at(-1)!.clips, 1, "clips resume after release");
    assert.equal(state.guard.engaged, false);
    assert.ok(alarmFraction(state, state.now, 600_000) <= 0.25);
  });

  test("released during an ongoing event (N raised by the admin): recording resumes from the release time", () => {
    // While an event lasts the alarm share cannot fall (the open event adds what the window drops), so a release
    // mid-event comes from a configuration change: here maxEventMs goes from 30 s to 10 min during the event.
    let state = createEventMachine({ now: T0 });
    const all: EventAction[] = [];
    let config: EventMachineConfig = { ...CONFIG, guard: { windowMs: 600_000, maxEventMs: 30_000 } };
    for (let t = 0; t <= 120_000; t += 1_000) {
      if (t === 50_000) config = { ...config, guard: { windowMs: 600_000, maxEventMs: 600_000 } };
      const r = stepEventMachine(state, { type: "motion", at: T0 + t, fired: t <= 80_000, peak: 30, zones: [] }, config);
      state = r.state;
      all.push(...r.actions);
    }
    assert.deepEqual(brief(all.map(relative)), [
      "startEvent 0 clip -5000",
      "startClip#1 -5000",
      "endClip#1 15000",
      "startClip#2 15000",
      "guardEngaged 31000 long_event",
      "endClip#2 35000",
      "guardReleased 50000",
      "startClip#3 50000", // the stretch 35–50 s has no clip
      "endClip#3 70000",
      "startClip#4 70000",
      "endClip#4 85000",
      "endEvent 0-85000 quiet clips 4",
    ]);
  });

});
