// The simulated camera's pan/tilt/zoom mechanics, in ONVIF's generic spaces: pan and tilt in [-1, 1] (left/down to
// right/up), zoom in [0, 1] (wide to tele). Absolute and relative moves land at once; a continuous move runs at its
// velocity (a fraction of full speed: full speed crosses FULL_SPEED_PER_S units a second) until Stop, another move, or
// its timeout, with the position computed from the clock whenever it is read (no timers: a fake clock makes it exact).
// Presets (at most MAX_PRESETS, names unique and at most MAX_PRESET_NAME characters) and one home position.
// Errors carry the ONVIF fault subcodes the service answers with (PtzError).
import type { Clock } from "../clock";

export type PtzVector = { pan: number; tilt: number; zoom: number };
export type PtzPreset = { token: string; name: string; position: PtzVector };
export type PtzStatus = { position: PtzVector; moving: { panTilt: boolean; zoom: boolean }; at: Date };

/** Presets a camera keeps (ONVIF's MaximumNumberOfPresets of the simulator's PTZ node). */
export const MAX_PRESETS = 16;
/** Longest preset name, in characters. */
export const MAX_PRESET_NAME = 64;
/** Generic-space units a second at velocity 1: pan/tilt cross their whole range (2 units) in 4 s, zoom (1) in 2 s. */
export const FULL_SPEED_PER_S = 0.5;
/** A continuous move without a timeout stops after this long, in ms (the node's DefaultPTZTimeout). */
export const DEFAULT_MOVE_TIMEOUT_MS = 10_000;

/** A request the mechanics refuse, with ONVIF subcodes (e.g. ["ter:InvalidArgVal", "ter:NoToken"]). */
export class PtzError extends Error {
  constructor(
    readonly subcodes: string[],
    message: string,
  ) {
    super(message);
  }
}

type Motion = { from: PtzVector; velocity: PtzVector; startMs: number; untilMs: number };

const clampPanTilt = (v: number) => Math.max(-1, Math.min(1, v));
const clampZoom = (v: number) => Math.max(0, Math.min(1, v));
const clampAll = (p: PtzVector): PtzVector => ({ pan: clampPanTilt(p.pan), tilt: clampPanTilt(p.tilt), zoom: clampZoom(p.zoom) });
const isFiniteNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

export class SimulatedPtz {
  private base: PtzVector = { pan: 0, tilt: 0, zoom: 0 };
  private motion: Motion | null = null;
  private readonly presetList: PtzPreset[] = [];
  private home: PtzVector = { pan: 0, tilt: 0, zoom: 0 };
  private nextToken = 1;
  /** Bumped on every change of position or motion; listeners (the picture) read position() again. */
  private listeners = new Set<() => void>();

  constructor(private readonly clock: Clock) {}

  /** Where the camera points now. */
  position(): PtzVector {
    const m = this.motion;
    if (!m) return { ...this.base };
    const now = this.clock.now().getTime();
    const seconds = (Math.min(now, m.untilMs) - m.startMs) / 1000;
    return clampAll({
      pan: m.from.pan + m.velocity.pan * FULL_SPEED_PER_S * seconds,
      tilt: m.from.tilt + m.velocity.tilt * FULL_SPEED_PER_S * seconds,
      zoom: m.from.zoom + m.velocity.zoom * FULL_SPEED_PER_S * seconds,
    });
  }

  status(): PtzStatus {
    const at = this.clock.now();
    const position = this.position();
    const m = this.motion;
    const running = m !== null && at.getTime() < m.untilMs;
    // An axis that has run into the end of its range (in the direction it moves) has stopped moving.
    const goes = (v: number, at: number, min: number) => (v > 0 && at < 1) || (v < 0 && at > min);
    const panTiltMoves = running && (goes(m.velocity.pan, position.pan, -1) || goes(m.velocity.tilt, position.tilt, -1));
    const zoomMoves = running && goes(m.velocity.zoom, position.zoom, 0);
    return { position, moving: { panTilt: panTiltMoves, zoom: zoomMoves }, at };
  }

  /** Starts moving at `velocity` (each axis in [-1, 1]; missing axes keep still) for timeoutMs (default DEFAULT_MOVE_TIMEOUT_MS). */
  continuousMove(velocity: Partial<PtzVector>, timeoutMs?: number | null): void {
    const v = { pan: velocity.pan ?? 0, tilt: velocity.tilt ?? 0, zoom: velocity.zoom ?? 0 };
    for (const [axis, value] of Object.entries(v)) {
      if (!isFiniteNumber(value) || value < -1 || value > 1) throw new PtzError(["ter:InvalidArgVal", "ter:InvalidVelocity"], `${axis} velocity ${value} is outside [-1, 1]`);
    }
    if (timeoutMs !== undefined && timeoutMs !== null && (!isFiniteNumber(timeoutMs) || timeoutMs <= 0)) throw new PtzError(["ter:InvalidArgVal", "ter:TimeoutNotSupported"], "the timeout must be positive");
    const from = this.settle();
    const startMs = this.clock.now().getTime();
    this.motion = { from, velocity: v, startMs, untilMs: startMs + (timeoutMs ?? DEFAULT_MOVE_TIMEOUT_MS) };
    this.changed();
  }

  /** Moves by `translation` (missing axes stay); the result is clamped to the ranges. */
  relativeMove(translation: Partial<PtzVector>): void {
    for (const [axis, value] of Object.entries(translation)) {
      if (value !== undefined && (!isFiniteNumber(value) || Math.abs(value) > (axis === "zoom" ? 1 : 2))) throw new PtzError(["ter:InvalidArgVal", "ter:InvalidTranslation"], `${axis} translation ${value} is out of range`);
    }
    const p = this.settle();
    this.base = clampAll({ pan: p.pan + (translation.pan ?? 0), tilt: p.tilt + (translation.tilt ?? 0), zoom: p.zoom + (translation.zoom ?? 0) });
    this.changed();
  }

  /** Moves to `position` (missing axes stay); a value outside its range is refused, not clamped. */
  absoluteMove(position: Partial<PtzVector>): void {
    for (const [axis, value] of Object.entries(position)) {
      const max = 1;
      const min = axis === "zoom" ? 0 : -1;
      if (value !== undefined && (!isFiniteNumber(value) || value < min || value > max)) throw new PtzError(["ter:InvalidArgVal", "ter:InvalidPosition"], `${axis} ${value} is outside [${min}, ${max}]`);
    }
    const p = this.settle();
    this.base = { pan: position.pan ?? p.pan, tilt: position.tilt ?? p.tilt, zoom: position.zoom ?? p.zoom };
    this.changed();
  }

  /** Stops pan/tilt, zoom or both (default both) where they are now. */
  stop(which: { panTilt?: boolean; zoom?: boolean } = {}): void {
    const panTilt = which.panTilt ?? true;
    const zoom = which.zoom ?? true;
    const m = this.motion;
    if (!m) return;
    const here = this.settle();
    const velocity = { pan: panTilt ? 0 : m.velocity.pan, tilt: panTilt ? 0 : m.velocity.tilt, zoom: zoom ? 0 : m.velocity.zoom };
    if (velocity.pan !== 0 || velocity.tilt !== 0 || velocity.zoom !== 0) {
      this.motion = { from: here, velocity, startMs: this.clock.now().getTime(), untilMs: m.untilMs };
    }
    this.changed();
  }

  presets(): PtzPreset[] {
    return this.presetList.map((p) => ({ ...p, position: { ...p.position } }));
  }

  /**
   * Saves where the camera points now: as a new preset (`token` absent; the name defaults to "Preset N"), or over the
   * preset `token` (its name kept unless `name` is given). Returns the preset's token.
   */
  setPreset(opts: { name?: string | null; token?: string | null }): string {
    const name = opts.name?.trim() || null;
    if (name !== null && name.length > MAX_PRESET_NAME) throw new PtzError(["ter:InvalidArgVal", "ter:InvalidPresetName"], `a preset name has at most ${MAX_PRESET_NAME} characters`);
    const existing = opts.token ? this.presetList.find((p) => p.token === opts.token) : undefined;
    if (opts.token && !existing) throw new PtzError(["ter:InvalidArgVal", "ter:NoToken"], `no preset "${opts.token}"`);
    if (name !== null && this.presetList.some((p) => p.name === name && p !== existing)) throw new PtzError(["ter:InvalidArgVal", "ter:PresetExist"], `a preset is already called "${name}"`);
    const position = this.position();
    if (existing) {
      existing.position = position;
      if (name !== null) existing.name = name;
      return existing.token;
    }
    if (this.presetList.length >= MAX_PRESETS) throw new PtzError(["ter:Action", "ter:TooManyPresets"], `at most ${MAX_PRESETS} presets`);
    const token = `preset_${this.nextToken++}`;
    this.presetList.push({ token, name: name ?? this.freeName(), position });
    return token;
  }

  removePreset(token: string): void {
    const i = this.presetList.findIndex((p) => p.token === token);
    if (i < 0) throw new PtzError(["ter:InvalidArgVal", "ter:NoToken"], `no preset "${token}"`);
    this.presetList.splice(i, 1);
  }

  gotoPreset(token: string): void {
    const p = this.presetList.find((x) => x.token === token);
    if (!p) throw new PtzError(["ter:InvalidArgVal", "ter:NoToken"], `no preset "${token}"`);
    this.absoluteMove(p.position);
  }

  setHome(): void {
    this.home = this.position();
  }

  gotoHome(): void {
    this.absoluteMove(this.home);
  }

  /** Calls `listener` after every move, stop and preset recall; returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Ends any motion where it has got to, and returns that position (the start of the next move). */
  private settle(): PtzVector {
    const here = this.position();
    this.base = here;
    this.motion = null;
    return here;
  }

  private freeName(): string {
    for (let n = this.presetList.length + 1; ; n++) if (!this.presetList.some((p) => p.name === `Preset ${n}`)) return `Preset ${n}`;
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }
}
