// Time source and timers. Logic takes a Clock (and, when it waits, Timers) so tests can run with a fake one: exact,
// no sleeping. fakeClock's advance(ms) moves time and fires every timer that falls due on the way, in order.
export type Clock = { now(): Date };

/** An armed timer, opaque: hand it back to clearTimeout. */
export type TimerHandle = { readonly __timer: true };

/** One-shot timers on the same time line as the clock. */
export type Timers = {
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
};

/** A clock that can also wait: what a supervisor with backoff needs. */
export type Scheduler = Clock & Timers;

export const systemClock: Scheduler = {
  now: () => new Date(),
  setTimeout: (fn, ms) => setTimeout(fn, ms) as unknown as TimerHandle,
  clearTimeout: (handle) => clearTimeout(handle as unknown as NodeJS.Timeout),
};

type FakeTimer = TimerHandle & { dueMs: number; order: number; fn: () => void };

/** A clock for tests: starts at `start` and moves only when told; timers fire when advance() or set() reaches them. */
export function fakeClock(start: Date | string | number = "2026-01-01T00:00:00Z") {
  let t = new Date(start).getTime();
  let order = 0;
  const timers = new Set<FakeTimer>();
  /** Fires due timers one at a time, earliest first (then in the order they were set), with now() at their due time. */
  function runUntil(targetMs: number) {
    for (;;) {
      let next: FakeTimer | null = null;
      for (const timer of timers) if (timer.dueMs <= targetMs && (!next || timer.dueMs < next.dueMs || (timer.dueMs === next.dueMs && timer.order < next.order))) next = timer;
      if (!next) break;
      timers.delete(next);
      t = Math.max(t, next.dueMs);
      next.fn();
    }
    t = Math.max(t, targetMs);
  }
  return {
    now: () => new Date(t),
    advance(ms: number) {
      runUntil(t + ms);
    },
    set(d: Date | string | number) {
      const target = new Date(d).getTime();
      if (target >= t) runUntil(target);
      else t = target;
    },
    setTimeout(fn: () => void, ms: number): TimerHandle {
      const timer = { __timer: true as const, dueMs: t + Math.max(0, ms), order: order++, fn };
      timers.add(timer);
      return timer;
    },
    clearTimeout(handle: TimerHandle) {
      timers.delete(handle as FakeTimer);
    },
    /** Timers armed and not yet fired (for assertions). */
    pendingTimers(): number {
      return timers.size;
    },
  };
}
