// Time source. Logic takes a Clock so tests can run with a fake one (exact, no sleeping).
export type Clock = { now(): Date };

export const systemClock: Clock = { now: () => new Date() };

/** A clock for tests: starts at `start` and moves only when told. */
export function fakeClock(start: Date | string | number = "2026-01-01T00:00:00Z") {
  let t = new Date(start).getTime();
  return {
    now: () => new Date(t),
    advance(ms: number) {
      t += ms;
    },
    set(d: Date | string | number) {
      t = new Date(d).getTime();
    },
  };
}
