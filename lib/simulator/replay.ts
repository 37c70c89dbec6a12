// The in-process replay source: pre-encoded clips held in memory as access units, paced by one shared timer per
// simulator on a monotonic clock, looped, and switched between the static and the motion clip exactly at a keyframe.
// No child process per stream: this is what makes 16 cameras × 2 streams cost a few percent of one core. A track may
// also get an alternative clip pair at another picture size (a camera whose resolution is changed mid-stream), and a
// camera's audio track is ticked once per frame so its sound keeps step with the pictures.
import fs from "node:fs";
import type { AccessUnit } from "./annexb";
import { findParameterSets, H264, parseSps } from "./h264";
import { findHevcParameterSets } from "./h265";
import { sameParameterSets, type ParameterSets, type VideoCodec } from "./rtp";
import { wallNowMs, type MediaStream } from "./rtsp-server";

/** At most this many late frames are sent back-to-back when the event loop was blocked. */
const MAX_CATCH_UP_FRAMES = 5;
/** Further behind than this, the pacer skips ahead instead of bursting, in ms. */
const MAX_LAG_MS = 1000;

/** A clip in memory: its access units and parameter sets (vps for H.265 only), and its picture size in pixels. */
export type Clip = { file: string; frames: AccessUnit[]; vps?: Buffer; sps: Buffer; pps: Buffer; width: number; height: number };

const parameterSetsOf = (c: Clip): ParameterSets => ({ vps: c.vps, sps: c.sps, pps: c.pps });

/**
 * Reads and parses an Annex-B clip; it must start with a keyframe and carry its parameter sets. The size of an H.264
 * clip is read from its SPS; an H.265 clip's is the `size` it was encoded at (the clip spec).
 */
export function loadClip(file: string, codec: VideoCodec = H264, size?: { width: number; height: number }): Clip {
  const frames = codec.parseAnnexB(fs.readFileSync(file));
  if (!frames.length || !frames[0].isKey) throw new Error(`${file}: must start with a keyframe access unit`);
  if (codec.name === "h264") {
    const ps = findParameterSets(frames);
    if (!ps) throw new Error(`${file}: no SPS/PPS`);
    const { width, height } = parseSps(ps.sps);
    return { file, frames, ...ps, width, height };
  }
  const ps = findHevcParameterSets(frames);
  if (!ps) throw new Error(`${file}: no VPS/SPS/PPS`);
  if (!size) throw new Error(`${file}: the picture size of an H.265 clip must be given`);
  return { file, frames, ...ps, width: size.width, height: size.height };
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

export type ClipPair = { static: Clip; motion: Clip };
export type ReplayTrack = { stream: MediaStream; clips: ClipPair };

/**
 * Replays one camera: for each track (main, sub) the static or the motion clip in a loop. A motion change takes effect
 * at the next frame that is a keyframe in the target clip (clips share their GOP layout and SPS/PPS), so the switch
 * is a clean cut; RTP timestamps are counted per pushed frame, so they continue without a jump. A resolution change
 * (setAlternative) switches a track to its alternative pair the same way: the new size's IDR carries its SPS/PPS
 * in-band, as a real camera's stream does after it was reconfigured. A PTZ camera's view (setView) replaces the static
 * clips the same way: the still picture follows the head, motion still shows the motion clips.
 */
export class ReplaySource {
  private position = 0;
  private isMotion: boolean;
  private wantMotion: boolean;
  private isAlt = false;
  private wantAlt = false;
  private readonly alternatives = new Map<MediaStream, ClipPair>();
  /** The view clips shown instead of the static ones (a PTZ camera), and the ones asked for. */
  private views: ReadonlyMap<MediaStream, Clip> | null = null;
  private wantViews: ReadonlyMap<MediaStream, Clip> | null = null;
  private readonly length: number;
  private readonly remove: () => void;
  /** Called when a motion change is shown, i.e. at the keyframe that starts it (Date.now() ms, just before the push). */
  onMotionShown: ((on: boolean, atMs: number) => void) | null = null;
  /** Called when a view change (setView) is shown, at the keyframe that starts it. */
  onViewShown: ((views: ReadonlyMap<MediaStream, Clip> | null) => void) | null = null;

  private readonly audio: readonly { tick(sentAt?: number): void }[];

  /** `opts.audio`: audio tracks ticked once per frame, after the frame's video was pushed. */
  constructor(
    pacer: Pick<FramePacer, "add">,
    private readonly tracks: ReplayTrack[],
    opts: { motion?: boolean; audio?: readonly { tick(sentAt?: number): void }[] } = {},
  ) {
    this.isMotion = this.wantMotion = opts.motion ?? false;
    this.audio = opts.audio ?? [];
    this.length = tracks[0]?.clips.static.frames.length ?? 0;
    for (const t of tracks) {
      const { static: s, motion: m } = t.clips;
      if (s.frames.length !== this.length || m.frames.length !== this.length) throw new Error("replay clips must all have the same number of frames");
      if (!sameParameterSets(parameterSetsOf(s), parameterSetsOf(m))) throw new Error(`${t.stream.name}: static and motion clips must share SPS/PPS`);
      t.stream.setParameterSets(parameterSetsOf(s));
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

  /** Whether the alternative clips are being shown now (follows setAlternative at the next keyframe). */
  get alternative(): boolean {
    return this.isAlt;
  }

  /** Gives the track of `stream` an alternative clip pair (same frame count and GOP layout, its own SPS/PPS). */
  addAlternative(stream: MediaStream, clips: ClipPair): void {
    if (!this.tracks.some((t) => t.stream === stream)) throw new Error(`${stream.name}: not a track of this source`);
    if (clips.static.frames.length !== this.length || clips.motion.frames.length !== this.length) throw new Error("replay clips must all have the same number of frames");
    if (!sameParameterSets(parameterSetsOf(clips.static), parameterSetsOf(clips.motion))) throw new Error(`${stream.name}: static and motion clips must share SPS/PPS`);
    this.alternatives.set(stream, clips);
  }

  /** Switches tracks that have an alternative pair to it (true) or back (false) at the next keyframe. */
  setAlternative(on: boolean): void {
    this.wantAlt = on;
  }

  /**
   * Shows these clips (per track; same frame count and GOP layout, own SPS/PPS) instead of the static ones from the
   * next keyframe on; null goes back to the static clips. The view a PTZ camera's head looks at.
   */
  setView(clips: ReadonlyMap<MediaStream, Clip> | null): void {
    for (const [stream, clip] of clips ?? []) {
      if (!this.tracks.some((t) => t.stream === stream)) throw new Error(`${stream.name}: not a track of this source`);
      if (clip.frames.length !== this.length) throw new Error("replay clips must all have the same number of frames");
    }
    this.wantViews = clips;
  }

  /** The view clips being shown now (null: the static clips). */
  get view(): ReadonlyMap<MediaStream, Clip> | null {
    return this.views;
  }

  close(): void {
    this.remove();
  }

  private clipOf(t: ReplayTrack, motion: boolean, alt: boolean, views: ReadonlyMap<MediaStream, Clip> | null): Clip {
    const view = !motion ? views?.get(t.stream) : undefined;
    return view ?? ((alt && this.alternatives.get(t.stream)) || t.clips)[motion ? "motion" : "static"];
  }

  private onFrame(): void {
    if (this.position >= this.length) this.position = 0;
    const wanted = this.wantMotion !== this.isMotion || this.wantAlt !== this.isAlt || this.wantViews !== this.views;
    if (wanted && this.tracks.every((t) => this.clipOf(t, this.wantMotion, this.wantAlt, this.wantViews).frames[this.position].isKey)) {
      const isMotionChange = this.isMotion !== this.wantMotion;
      const isViewChange = this.views !== this.wantViews;
      this.isMotion = this.wantMotion;
      this.isAlt = this.wantAlt;
      this.views = this.wantViews;
      if (isMotionChange) this.onMotionShown?.(this.isMotion, Date.now());
      if (isViewChange) this.onViewShown?.(this.views);
    }
    // One send instant for the camera's tracks: their sender clocks decide alike (SenderClock).
    const sentAt = wallNowMs();
    for (const t of this.tracks) t.stream.push(this.clipOf(t, this.isMotion, this.isAlt, this.views).frames[this.position], sentAt);
    for (const a of this.audio) a.tick(sentAt);
    this.position++;
  }
}
