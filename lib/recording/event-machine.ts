// The motion event state machine, pure: motion samples, clock ticks and arming changes in; the event and clip
// actions the recorder carries out. Also the permanent-alarm guard that stops new clips for a camera that is in
// alarm almost all the time. All times are ms since the epoch; nothing here reads a clock.
//
//   idle ──fired──► pending ──motion lasted minMotionMs──► active ──quietMs without motion──► postRoll ──► (ended) idle
//                    │ no motion for pendingGapMs: dropped        ▲                              │ motion: back to active
//                    ▼                                            └──────────────────────────────┘
//                   idle
//
// Invariants:
// - An event's first clip starts at first motion − preRollMs; the event ends at last motion + postRollMs
//   (or at the disarm time, if earlier).
// - Clips of one event are numbered 1, 2, … and contiguous: clip n+1 starts exactly where clip n ended, each at most
//   maxClipMs long. The only gap is while the guard is engaged (no clips; a clip resumes at release time).
// - A clip boundary is emitted only once footage up to it exists (boundary < now) and the event surely lasts beyond it
//   (boundary < last motion + postRollMs), so no clip is empty or ends before it starts. Actions may thus come a
//   tick late, but their times are exact.
// - Clips of two consecutive events may overlap (the second's pre-roll can reach into the first's post-roll): each
//   event's clip is watchable on its own.
// - Guard: time in alarm = event start → event end (post-roll included), over a rolling window (default 1 h). Engaged
//   when > maxAlarmFraction of the window or one event > maxEventMs; while engaged events still start and end
//   (the alarm state is kept) but no clip starts; released at ≤ releaseAlarmFraction with no over-long event.
// - Time never goes backwards: an input older than the last one is treated as happening at the last time seen.
// - A "stop" input leaves no event open: the recorder that stops cuts what it has (end = min(now, last motion +
//   post-roll)).
import type { MotionConfig } from "../motion/config";

/** One analysed frame: whether any zone fired, its peak score (0–100) and the zones that fired. */
export type MotionSample = { at: number; fired: boolean; peak: number; zones: readonly string[] };

export type EventInput =
  | ({ type: "motion" } & MotionSample)
  /** Time passes without a frame (call about once a second, so events end and clips split on time). */
  | { type: "tick"; at: number }
  /** The camera's arming changed (config.armed, or a schedule window began/ended: see isArmedAt). */
  | { type: "arming"; at: number; armed: boolean }
  /**
   * The recorder stops (settings change that needs a new ingest, camera edit, SIGTERM): an open event ends now (its
   * post-roll cut short), with its clip, so that no event is left open; a pending one is dropped. Nothing follows.
   */
  | { type: "stop"; at: number };

export type GuardReason = "alarm_fraction" | "long_event";

export type EventAction =
  | { type: "startEvent"; eventStart: number; clipStart: number }
  | { type: "startClip"; eventStart: number; sequence: number; from: number }
  | { type: "endClip"; eventStart: number; sequence: number; to: number; reason: "max_length" | "event_end" }
  | {
      type: "endEvent";
      eventStart: number;
      end: number;
      lastMotion: number;
      /** Highest sample peak (0–100) and when it was seen: the moment for the event photo. */
      peak: number;
      peakAt: number;
      /** Zones that fired during the event, in order of first firing. */
      zones: string[];
      /** Clips made (the last sequence number); 0 when the guard suppressed them all. */
      clips: number;
      reason: "quiet" | "disarmed" | "stopped";
    }
  | { type: "guardEngaged"; at: number; reason: GuardReason; alarmFraction: number; eventMs: number }
  | { type: "guardReleased"; at: number; reason: "alarm_subsided"; alarmFraction: number };

export type GuardOptions = {
  /** Rolling window of the alarm accounting (ms). */
  windowMs: number;
  /** Engage when more than this share (0–1) of the window was in alarm. */
  maxAlarmFraction: number;
  /** Release when at most this share (0–1) of the window was in alarm (below maxAlarmFraction: no flapping). */
  releaseAlarmFraction: number;
  /** Engage when one event has lasted longer than this (ms); "N minutes". */
  maxEventMs: number;
};

export const DEFAULT_GUARD: GuardOptions = { windowMs: 3_600_000, maxAlarmFraction: 0.5, releaseAlarmFraction: 0.25, maxEventMs: 10 * 60_000 };
/** A pending motion is dropped when no fired sample came for this long (ms): tolerates a dropped or still frame. */
export const DEFAULT_PENDING_GAP_MS = 1_000;

export type EventMachineConfig = Pick<MotionConfig, "minMotionMs" | "quietMs" | "preRollMs" | "postRollMs" | "maxClipMs"> & {
  pendingGapMs?: number;
  guard?: Partial<GuardOptions>;
};

type OpenEvent = {
  /** First fired sample (ms): the event start. */
  readonly firstMotion: number;
  /** Latest fired sample (ms). */
  readonly lastMotion: number;
  readonly peak: number;
  readonly peakAt: number;
  readonly zones: readonly string[];
  /** The clip being recorded, or null (guard engaged, or before the event is active). */
  readonly clip: { readonly sequence: number; readonly from: number } | null;
  /** Last clip sequence number used (0 = none yet). */
  readonly clips: number;
};

export type EventMachineState = {
  /** Latest time seen (ms). */
  readonly now: number;
  readonly armed: boolean;
  readonly phase: "idle" | "pending" | "active" | "postRoll";
  /** Non-null exactly when phase ≠ idle. */
  readonly event: OpenEvent | null;
  readonly guard: {
    readonly engaged: boolean;
    readonly reason: GuardReason | null;
    /** Closed alarm intervals [from, to) in ms (event start → event end), oldest first, only those still in the window. */
    readonly alarms: readonly (readonly [number, number])[];
  };
};

/**
 * How long the motion analysis may fall behind before ticks move the machine's clock on without it, ms. Above the
 * motion decoder's restart (backoff 1 s, reconnect, first frame) and a busy machine's stall of a few seconds.
 */
export const ANALYSIS_LAG_LIMIT_MS = 15_000;
/** After a stall, each frame moves the analysis clock on by at most this many frame intervals (so it catches up). */
export const ANALYSIS_CATCH_UP = 1.5;

/**
 * The analysis clock: the times the machine is given. No analysed frame is not "no motion", and a frame that arrives
 * late was seen late, not taken late. While the motion decoder is less than `limitMs` behind (a stall on a busy
 * machine, a restart), a frame is stamped at most ANALYSIS_CATCH_UP frame intervals after the previous one (frames
 * buffered during a stall keep their spacing instead of all landing "now" after a gap that looks like quiet), never
 * after `now`; a tick carries the last frame's time, so the machine sees no quiet it never analysed. Once the decoder
 * has been silent for longer than `limitMs` it is down: time moves on (an open event ends at last motion + post-roll,
 * exact as ever). Before the first frame: now. All times ms since the epoch.
 */
export function frameTime(now: number, lastFrameAt: number | null, frameMs: number, limitMs: number = ANALYSIS_LAG_LIMIT_MS): number {
  if (lastFrameAt === null || now - lastFrameAt > limitMs) return now;
  return Math.min(now, lastFrameAt + frameMs * ANALYSIS_CATCH_UP);
}

/** The time a tick carries: see frameTime. */
export function tickTime(now: number, lastFrameAt: number | null, limitMs: number = ANALYSIS_LAG_LIMIT_MS): number {
  if (lastFrameAt === null || now - lastFrameAt > limitMs) return now;
  return Math.min(now, lastFrameAt);
}

export function createEventMachine(options: { now: number; armed?: boolean }): EventMachineState {
  return { now: options.now, armed: options.armed ?? true, phase: "idle", event: null, guard: { engaged: false, reason: null, alarms: [] } };
}

/** Share (0–1) of the window ending at `now` that was in alarm, counting the open event up to now. */
export function alarmFraction(state: EventMachineState, now: number, windowMs: number = DEFAULT_GUARD.windowMs): number {
  const from = now - windowMs;
  let total = 0;
  const add = (a: number, b: number) => {
    total += Math.max(0, Math.min(b, now) - Math.max(a, from));
  };
  for (const [a, b] of state.guard.alarms) add(a, b);
  if (state.event && state.phase !== "pending") add(state.event.firstMotion, now);
  return total / windowMs;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Applies one input; returns the next state and the actions to carry out, in time order. */
export function stepEventMachine(state: EventMachineState, input: EventInput, config: EventMachineConfig): { state: EventMachineState; actions: EventAction[] } {
  const guardOptions: GuardOptions = { ...DEFAULT_GUARD, ...config.guard };
  const pendingGapMs = config.pendingGapMs ?? DEFAULT_PENDING_GAP_MS;
  // A split every 0 ms would never end; the schema already bounds it, this protects direct callers.
  const maxClipMs = Math.max(1_000, config.maxClipMs);
  const now = Math.max(state.now, input.at);
  const s: Mutable<EventMachineState> = { ...state, now };
  const guard: Mutable<EventMachineState["guard"]> = { ...state.guard };
  s.guard = guard;
  const actions: EventAction[] = [];

  const endEvent = (end: number, reason: "quiet" | "disarmed" | "stopped") => {
    const e = s.event!;
    if (e.clip) actions.push({ type: "endClip", eventStart: e.firstMotion, sequence: e.clip.sequence, to: end, reason: "event_end" });
    actions.push({ type: "endEvent", eventStart: e.firstMotion, end, lastMotion: e.lastMotion, peak: e.peak, peakAt: e.peakAt, zones: [...e.zones], clips: e.clips, reason });
    guard.alarms = [...guard.alarms, [e.firstMotion, end] as const];
    s.phase = "idle";
    s.event = null;
  };

  /** Time-driven transitions up to `now`: pending timeout, clip splits, quiet → post-roll → end. */
  const advance = () => {
    if (s.phase === "pending" && now - s.event!.lastMotion > pendingGapMs) {
      s.phase = "idle";
      s.event = null;
    }
    if (s.phase !== "active" && s.phase !== "postRoll") return;
    let e = s.event!;
    const end = e.lastMotion + config.postRollMs;
    while (e.clip) {
      const boundary = e.clip.from + maxClipMs;
      if (!(boundary < now && boundary < end)) break;
      actions.push({ type: "endClip", eventStart: e.firstMotion, sequence: e.clip.sequence, to: boundary, reason: "max_length" });
      if (guard.engaged) {
        e = { ...e, clip: null };
      } else {
        const sequence = e.clips + 1;
        actions.push({ type: "startClip", eventStart: e.firstMotion, sequence, from: boundary });
        e = { ...e, clip: { sequence, from: boundary }, clips: sequence };
      }
    }
    s.event = e;
    if (s.phase === "active" && now - e.lastMotion >= config.quietMs) s.phase = "postRoll";
    if (s.phase === "postRoll" && now >= end) endEvent(end, "quiet");
  };

  const activate = () => {
    const e = s.event!;
    s.phase = "active";
    const clipStart = e.firstMotion - config.preRollMs;
    actions.push({ type: "startEvent", eventStart: e.firstMotion, clipStart });
    if (!guard.engaged) {
      actions.push({ type: "startClip", eventStart: e.firstMotion, sequence: 1, from: clipStart });
      s.event = { ...e, clip: { sequence: 1, from: clipStart }, clips: 1 };
    }
  };

  advance();

  if (input.type === "stop") {
    if (s.phase === "pending") {
      s.phase = "idle";
      s.event = null;
    } else if (s.event) {
      endEvent(Math.min(now, s.event.lastMotion + config.postRollMs), "stopped");
    }
  } else if (input.type === "arming") {
    s.armed = input.armed;
    if (!input.armed && s.phase === "pending") {
      s.phase = "idle";
      s.event = null;
    } else if (!input.armed && s.event) {
      endEvent(Math.min(now, s.event.lastMotion + config.postRollMs), "disarmed");
    }
  } else if (input.type === "motion" && input.fired && s.armed) {
    const at = now;
    const e = s.event;
    if (!e) {
      s.phase = "pending";
      s.event = { firstMotion: at, lastMotion: at, peak: input.peak, peakAt: at, zones: [...new Set(input.zones)], clip: null, clips: 0 };
    } else {
      const zones = [...e.zones];
      for (const z of input.zones) if (!zones.includes(z)) zones.push(z);
      const isPeak = input.peak > e.peak;
      s.event = { ...e, lastMotion: at, peak: isPeak ? input.peak : e.peak, peakAt: isPeak ? at : e.peakAt, zones };
      if (s.phase === "postRoll") s.phase = "active";
    }
    if (s.phase === "pending" && at - s.event!.firstMotion >= config.minMotionMs) activate();
    advance();
  }

  // The permanent-alarm guard, evaluated after every input.
  guard.alarms = guard.alarms.filter(([, to]) => to > now - guardOptions.windowMs);
  const fraction = alarmFraction(s, now, guardOptions.windowMs);
  const eventMs = s.event && s.phase !== "pending" ? now - s.event.firstMotion : 0;
  const isLongEvent = eventMs > guardOptions.maxEventMs;
  if (!guard.engaged && (isLongEvent || fraction > guardOptions.maxAlarmFraction)) {
    guard.engaged = true;
    guard.reason = isLongEvent ? "long_event" : "alarm_fraction";
    actions.push({ type: "guardEngaged", at: now, reason: guard.reason, alarmFraction: fraction, eventMs });
  } else if (guard.engaged && !isLongEvent && fraction <= guardOptions.releaseAlarmFraction) {
    guard.engaged = false;
    guard.reason = null;
    actions.push({ type: "guardReleased", at: now, reason: "alarm_subsided", alarmFraction: fraction });
    const e = s.event;
    // Resume recording the ongoing event from now (no pre-roll: that footage belongs to the suppressed stretch).
    if (e && s.phase !== "pending" && !e.clip && now < e.lastMotion + config.postRollMs) {
      const sequence = e.clips + 1;
      actions.push({ type: "startClip", eventStart: e.firstMotion, sequence, from: now });
      s.event = { ...e, clip: { sequence, from: now }, clips: sequence };
    }
  }
  return { state: s, actions };
}
