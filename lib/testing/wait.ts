// Waiting for a condition in tests and benchmarks: polls `fn` until it gives a truthy value (returned), or throws
// "timed out waiting for <what>" after `timeoutMs`. A bound on a wait, never an assertion about how long it took.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitFor<T>(what: string, fn: () => Promise<T | null | undefined | false> | T | null | undefined | false, timeoutMs: number, pollMs = 250): Promise<T> {
  const started = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(pollMs);
  }
}
