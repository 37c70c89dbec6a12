// The in-process replay source: pre-encoded clips held in memory as access units, paced by one shared timer per
// simulator on a monotonic clock, looped, and switched between the static and the motion clip exactly at a keyframe.
// No child process per stream: this is what makes 16 cameras × 2 streams cost a few percent of one core.
import fs from "node:fs";
import { findParameterSets, parseAnnexB, parseSps, type AccessUnit } from "./h264";
import type { MediaStream } from "./rtsp-server";

/** At most this many late frames are sent back-to-back when the event loop was blocked. */
const MAX_CATCH_UP_FRAMES = 5;
/** Further behind than this, the pacer skips ahead instead of bursting, in ms. */
const MAX_LAG_MS = 1000;

export type Clip = { file: string; frames: AccessUnit[]; sps: Buffer; pps: Buffer; width: number; height: number };

/** Reads and parses an Annex-B clip; it must start with a keyframe and carry SPS/PPS. */
export function loadClip(file: string): Clip {
  const frames = parseAnnexB(fs.readFileSync(file));
  if (!frames.length || !frames[0].isKey) throw new Error(`${file}: must start with an IDR access unit`);
  const ps = findParameterSets(frames);
  if (!ps) throw new Error(`${file}: no SPS/PPS`);
  return { file, frames, ...ps, ...parseSps(ps.sps) };
}

/**
 * One timer for every replayed stream of a simulator: frame n is due at start + n / fps on performance.now(), so
 * pacing does not drift; all cameras tick together, which also keeps main and sub of a camera frame-aligned.
 */
export class FramePacer {
  private readonly listeners = new Set<() => void>();
  private readonly frameMs: number;
  private startMs = performance.now();
  private ticks = 0;
  private timer?: NodeJS.Timeout;
  private isClosed = false;

  constructor(readonly fps: number) {
    this.frameMs = 1000 / fps;
  }

  /** Calls `onFrame` once per frame period from the next tick on; returns the unsubscribe function. */
  add(onFrame: () => void): () => void {
    this.listeners.add(onFrame);
    if (!this.timer && !this.isClosed) {
      this.startMs = performance.now();
      this.ticks = 0;
      this.tick();
    }
    return () => {
      this.listeners.delete(onFrame);
      if (!this.listeners.size) this.stop();
    };
  }

  close(): void {
    this.isClosed = true;
    this.stop();
    this.listeners.clear();
  }

  private stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private readonly tick = (): void => {
    let now = performance.now();
    if (now - (this.startMs + this.ticks * this.frameMs) > MAX_LAG_MS) {
      // blocked for a long time: rebase rather than burst (timestamps stay frame-counted and continuous)
      this.startMs = now;
      this.ticks = 0;
    }
    for (let k = 0; k < MAX_CATCH_UP_FRAMES && now >= this.startMs + this.ticks * this.frameMs; k++) {
      this.ticks++;
      for (const fn of this.listeners) fn();
      now = performance.now();
    }
    if (this.isClosed || !this.listeners.size) return;
    this.timer = setTimeout(this.tick, Math.max(0, this.startMs + this.ticks * this.frameMs - performance.now()));
  };
}

export type ReplayTrack = { stream: MediaStream; clips: { static: Clip; motion: Clip } };

/**
 * Replays one camera: for each track (main, sub) the static or the motion clip in a loop. A motion change takes effect
 * at the next frame that is a keyframe in the target clip (clips share their GOP layout and SPS/PPS), so the switch
 * is a clean cut; RTP timestamps are counted per pushed frame, so they continue without a jump.
 */
export class ReplaySource {
  private position = 0;
  private isMotion: boolean;
  private wantMotion: boolean;
  private readonly length: number;
  private readonly remove: () => void;

  constructor(
    pacer: Pick<FramePacer, "add">,
    private readonly tracks: ReplayTrack[],
    opts: { motion?: boolean } = {},
  ) {
    this.isMotion = this.wantMotion = opts.motion ?? false;
    this.length = tracks[0]?.clips.static.frames.length ?? 0;
    for (const t of tracks) {
      const { static: s, motion: m } = t.clips;
      if (s.frames.length !== this.length || m.frames.length !== this.length) throw new Error("replay clips must all have the same number of frames");
      if (!s.sps.equals(m.sps) || !s.pps.equals(m.pps)) throw new Error(`${t.stream.name}: static and motion clips must share SPS/PPS`);
      t.stream.setParameterSets(s.sps, s.pps);
    }
    this.remove = pacer.add(() => this.onFrame());
  }

  /** The motion state being shown now (it follows setMotion at the next keyframe). */
  get motion(): boolean {
    return this.isMotion;
  }

  setMotion(on: boolean): void {
    this.wantMotion = on;
  }

  close(): void {
    this.remove();
  }

  private onFrame(): void {
    if (this.position >= this.length) this.position = 0;
    if (this.wantMotion !== this.isMotion && this.tracks.every((t) => t.clips[this.wantMotion ? "motion" : "static"].frames[this.position].isKey)) {
      this.isMotion = this.wantMotion;
    }
    const variant = this.isMotion ? "motion" : "static";
    for (const t of this.tracks) t.stream.push(t.clips[variant].frames[this.position]);
    this.position++;
  }
}
