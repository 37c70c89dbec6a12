// Token authentication overhead (issue 14 benchmark, part 1): the same GET route requested with a session cookie and
// with a bearer token, in interleaved pairs of one run (the order inside a pair alternates, so neither kind always
// goes first), each request's latency (request sent → body read) in ms. Paced below the per-token rate limit
// (lib/auth/rate-limit.ts: 20 requests/s) so that no token request is refused or delayed by it. Imported by
// scripts/bench-api.ts, which starts the server and prints the figures.
import { API_RATE_PER_SECOND } from "../lib/auth/rate-limit";

export type Latency = { p50: number; p95: number };

/** Warm-up pairs before measuring (first compile of the route, connection set-up), not counted. */
const WARMUP_PAIRS = 5;

/** Nearest-rank percentile of ascending `sorted`, ms. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export async function benchTokenAuth(opts: { baseUrl: string; cookie: string; token: string; path: string; n: number }): Promise<{ session: Latency; token: Latency }> {
  const url = new URL(opts.path, opts.baseUrl).toString();
  const kinds = { session: { cookie: opts.cookie }, token: { authorization: `Bearer ${opts.token}` } } as const;
  const times: Record<keyof typeof kinds, number[]> = { session: [], token: [] };
  // One token request per pair: keep to 80 % of the sustained rate.
  const pairEveryMs = 1000 / (API_RATE_PER_SECOND * 0.8);

  const once = async (kind: keyof typeof kinds): Promise<number> => {
    const started = performance.now();
    const res = await fetch(url, { headers: kinds[kind] });
    await res.arrayBuffer();
    const ms = performance.now() - started;
    if (res.status !== 200) throw new Error(`${kind} request to ${opts.path}: HTTP ${res.status}`);
    return ms;
  };

  for (let i = 0; i < WARMUP_PAIRS + opts.n; i++) {
    const pairStarted = performance.now();
    const order: (keyof typeof kinds)[] = i % 2 === 0 ? ["session", "token"] : ["token", "session"];
    for (const kind of order) {
      const ms = await once(kind);
      if (i >= WARMUP_PAIRS) times[kind].push(ms);
    }
    const wait = pairEveryMs - (performance.now() - pairStarted);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  const summary = (list: number[]): Latency => {
    const sorted = [...list].sort((a, b) => a - b);
    return { p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
  };
  return { session: summary(times.session), token: summary(times.token) };
}
