// Webhook delivery: the queue in WebhookDelivery worked by the scheduler worker (workers/scheduler.ts). State lives only
// in the database, so a restart picks up where the last process stopped (a request cut off by the restart is sent
// again: receivers de-duplicate by webhook-id).
//
// Every POLL_MS the loop picks due pending deliveries — at most one per endpoint (per-endpoint concurrency 1, oldest
// due first) and at most `concurrency` in all — and sends them without waiting for each other, so one slow or failing
// endpoint never delays another (nor recording: the recorder is another process and only inserts rows).
//
// One attempt: POST the stored body with the Standard Webhooks headers (signed at the attempt's time), a timeout of
// DELIVERY_TIMEOUT_MS for the whole exchange, at most MAX_RESPONSE_BYTES of the answer read; 2xx = delivered. Anything
// else fails the attempt: another status (3xx too: redirects are not followed, a receiver must answer itself), a
// timeout, a refused connection. A failed delivery is retried after RETRY_DELAYS_MS (then every LATER_RETRY_MS) until
// GIVE_UP_AFTER_MS after it was created, then it is "failed".
// An endpoint whose attempts failed DISABLE_AFTER_FAILURES times in a row over at least DISABLE_AFTER_FAILING_MS is
// disabled with disabledReason "failing" (its page shows a notice); its pending deliveries become "failed".
import http from "node:http";
import https from "node:https";
import type { Clock } from "../clock";
import { systemClock } from "../clock";
import type { Db } from "../db";
import { logger } from "../log";
import { describeNetworkErrorCode } from "../net-errors";
import { getSecrets, openSecret } from "../secrets";
import { DAY_MS } from "../time";
import { TEST_EVENT_TYPE } from "./events";
import { webhookHeaders } from "./sign";

const log = logger("webhooks");

/** How often the loop looks for due deliveries, ms (motion onset → delivered p95 ≤ 1.5 s is the target). */
export const POLL_MS = 200;
/** One attempt's limit, from connecting to the end of reading the answer, ms. */
export const DELIVERY_TIMEOUT_MS = 10_000;
/** Bytes of a response body read at most (the rest is dropped with the connection). */
export const MAX_RESPONSE_BYTES = 4_096;
/** Deliveries in flight at once over all endpoints. */
export const DELIVERY_CONCURRENCY = 4;
/** Waits after the 1st, 2nd, … failed attempt, ms: 5 s, 30 s, 2 min, 10 min, 30 min, 1 h; then LATER_RETRY_MS. */
export const RETRY_DELAYS_MS = [5_000, 30_000, 2 * 60_000, 10 * 60_000, 30 * 60_000, 60 * 60_000] as const;
export const LATER_RETRY_MS = 2 * 60 * 60_000;
/** A delivery is retried until this long after it was created, ms. */
export const GIVE_UP_AFTER_MS = DAY_MS;
/** Auto-disable: this many failed attempts in a row (failureStreak)… */
export const DISABLE_AFTER_FAILURES = 20;
/** …the first of them at least this long ago, ms (a short outage on a busy day never disables an endpoint). */
export const DISABLE_AFTER_FAILING_MS = 8 * 60 * 60_000;
/** WebhookEndpoint.disabledReason when Nightjar disabled it. */
export const DISABLED_FAILING = "failing";
/** Delivery rows are kept as the log this long after creation, ms. */
export const KEEP_DELIVERIES_MS = 7 * DAY_MS;

/** The wait after `attempts` failed attempts (1 = the first failed), ms. */
export function retryDelayMs(attempts: number): number {
  return RETRY_DELAYS_MS[attempts - 1] ?? LATER_RETRY_MS;
}

/** After a failed attempt: when to try again, or give up (the next try would fall after createdAt + 24 h). */
export function planRetry(createdAt: Date, attempts: number, now: Date): { status: "pending"; nextAttemptAt: Date } | { status: "failed" } {
  const next = now.getTime() + retryDelayMs(attempts);
  return next > createdAt.getTime() + GIVE_UP_AFTER_MS ? { status: "failed" } : { status: "pending", nextAttemptAt: new Date(next) };
}

/** The auto-disable rule: `streak` failed attempts in a row, the first at `failingSince`. */
export function shouldDisableEndpoint(streak: number, failingSince: Date | null, now: Date): boolean {
  return streak >= DISABLE_AFTER_FAILURES && failingSince !== null && now.getTime() - failingSince.getTime() >= DISABLE_AFTER_FAILING_MS;
}

export type AttemptResult = {
  ok: boolean;
  /** HTTP status, or null when none came (timeout, refused, DNS). */
  status: number | null;
  /** From sending the request to the response headers, ms; null without a response. */
  latencyMs: number | null;
  /** Short reason of a failure; null on success. */
  error: string | null;
  /** Bytes of the response body read (at most maxResponseBytes). */
  bodyBytes: number;
};

export type SendOptions = { timeoutMs?: number; maxResponseBytes?: number };

/** One POST; never throws. Redirects are not followed (a 3xx is a failed attempt). */
export function sendWebhookRequest(url: string, headers: Record<string, string>, body: string, options: SendOptions = {}): Promise<AttemptResult> {
  const timeoutMs = options.timeoutMs ?? DELIVERY_TIMEOUT_MS;
  const maxBytes = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
  return new Promise((resolve) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return resolve({ ok: false, status: null, latencyMs: null, error: "invalid URL", bodyBytes: 0 });
    }
    const started = performance.now();
    let status: number | null = null;
    let latencyMs: number | null = null;
    let bodyBytes = 0;
    let done = false;
    const finish = (error: string | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      req.destroy();
      const ok = error === null && status !== null && status >= 200 && status < 300;
      const reason = error ?? (ok ? null : status !== null && status >= 300 && status < 400 ? `HTTP ${status} (redirects are not followed)` : `HTTP ${status}`);
      resolve({ ok, status, latencyMs, error: reason, bodyBytes });
    };
    const request = target.protocol === "https:" ? https.request : http.request;
    const req = request(target, {
      method: "POST",
      agent: false,
      headers: { ...headers, "content-type": "application/json", "content-length": String(Buffer.byteLength(body)), "user-agent": "Nightjar-Webhooks/1" },
    });
    const timer = setTimeout(() => finish(status === null ? `timeout after ${Math.round(timeoutMs / 100) / 10} s` : null), timeoutMs);
    req.on("response", (res) => {
      status = res.statusCode ?? null;
      latencyMs = Math.round(performance.now() - started);
      res.on("data", (chunk: Buffer) => {
        bodyBytes = Math.min(maxBytes, bodyBytes + chunk.length);
        if (bodyBytes >= maxBytes) finish(null); // enough: the rest is dropped with the connection
      });
      res.on("end", () => finish(null));
      res.on("error", () => finish(null));
      res.on("close", () => finish(null));
    });
    req.on("error", (err: NodeJS.ErrnoException) => finish(describeError(err)));
    req.end(body);
  });
}

function describeError(err: NodeJS.ErrnoException): string {
  return describeNetworkErrorCode(err.code) ?? (err.code ?? err.message ?? "request failed").slice(0, 200);
}

type DueRow = { id: string; endpointId: string };

/**
 * Due pending deliveries, the oldest due one per endpoint, oldest first, leaving out `busy` endpoints. Disabled
 * endpoints get only their test messages ("Send test" checks an endpoint before it is enabled again).
 */
export async function findDueDeliveries(db: Db, now: Date, busy: string[], limit: number): Promise<DueRow[]> {
  if (limit <= 0) return [];
  const skip = busy.length ? `AND d.endpointId NOT IN (${busy.map(() => "?").join(",")})` : "";
  return db.$queryRawUnsafe<DueRow[]>(
    `SELECT id, endpointId FROM (
       SELECT d.id AS id, d.endpointId AS endpointId, d.nextAttemptAt AS due,
              ROW_NUMBER() OVER (PARTITION BY d.endpointId ORDER BY d.nextAttemptAt, d.createdAt) AS n
         FROM WebhookDelivery d JOIN WebhookEndpoint e ON e.id = d.endpointId
        WHERE d.status = 'pending' AND d.nextAttemptAt <= ? AND (e.enabled = 1 OR d.eventType = ?) ${skip})
      WHERE n = 1 ORDER BY due LIMIT ?`,
    now,
    TEST_EVENT_TYPE,
    ...busy,
    limit,
  );
}

/** Writes one attempt's outcome: the delivery row, the endpoint's failure streak, and the auto-disable. */
export async function recordAttempt(db: Db, deliveryId: string, result: AttemptResult, now: Date): Promise<void> {
  try {
    await db.$transaction(async (tx) => {
      const d = await tx.webhookDelivery.findUnique({ where: { id: deliveryId }, select: { endpointId: true, createdAt: true, attempts: true, status: true } });
      if (!d || d.status !== "pending") return; // deleted with its endpoint, or failed by a disable meanwhile
      const attempts = d.attempts + 1;
      const last = { attempts, lastAttemptAt: now, responseStatus: result.status, latencyMs: result.latencyMs, error: result.error };
      if (result.ok) {
        await tx.webhookDelivery.update({ where: { id: deliveryId }, data: { ...last, status: "delivered", deliveredAt: now } });
        await tx.webhookEndpoint.update({ where: { id: d.endpointId }, data: { failureStreak: 0, failingSince: null } });
        return;
      }
      const retry = planRetry(d.createdAt, attempts, now);
      await tx.webhookDelivery.update({ where: { id: deliveryId }, data: { ...last, ...retry } });
      const endpoint = await tx.webhookEndpoint.update({
        where: { id: d.endpointId },
        data: { failureStreak: { increment: 1 } },
        select: { id: true, enabled: true, failureStreak: true, failingSince: true },
      });
      const failingSince = endpoint.failingSince ?? now;
      if (!endpoint.failingSince) await tx.webhookEndpoint.update({ where: { id: endpoint.id }, data: { failingSince } });
      if (endpoint.enabled && shouldDisableEndpoint(endpoint.failureStreak, failingSince, now)) {
        await tx.webhookEndpoint.update({ where: { id: endpoint.id }, data: { enabled: false, disabledReason: DISABLED_FAILING, disabledAt: now } });
        await tx.webhookDelivery.updateMany({ where: { endpointId: endpoint.id, status: "pending" }, data: { status: "failed", error: "endpoint disabled after repeated failure" } });
        log.warn("webhook endpoint disabled after repeated failure", { endpoint: endpoint.id, failures: endpoint.failureStreak });
      }
    });
  } catch (err) {
    // P2025: the endpoint was deleted while its request was under way (its deliveries went with it).
    if ((err as { code?: string })?.code !== "P2025") throw err;
  }
}

export type DeliveryLoopOptions = {
  clock?: Clock;
  pollMs?: number;
  concurrency?: number;
  timeoutMs?: number;
  maxResponseBytes?: number;
  /** The key webhook secrets are sealed with (the credentials key). */
  credentialsKey?: Buffer;
};

export type DeliveryLoop = {
  /**
   * Starts the attempts due at `now` (at most one per endpoint, `concurrency` in all, none for an endpoint still in
   * flight) and returns at once with how many started and a promise of their end. The running loop calls it every
   * pollMs; tests call it with a chosen `now` and await `settled`.
   */
  step(now?: Date): Promise<{ started: number; settled: Promise<void> }>;
  /** Polls every pollMs until stopped. */
  start(): void;
  /** Stops polling and waits for the attempts in flight. */
  stop(): Promise<void>;
  /** Endpoints with an attempt in flight. */
  busyEndpoints(): string[];
};

export function createDeliveryLoop(db: Db, options: DeliveryLoopOptions = {}): DeliveryLoop {
  const clock = options.clock ?? systemClock;
  const concurrency = options.concurrency ?? DELIVERY_CONCURRENCY;
  const pollMs = options.pollMs ?? POLL_MS;
  const inFlight = new Map<string, Promise<void>>();
  let timer: NodeJS.Timeout | null = null;
  let running = false;
  let ticking: Promise<void> = Promise.resolve();

  async function attempt(id: string, now: Date): Promise<void> {
    const d = await db.webhookDelivery.findUnique({ where: { id }, select: { id: true, payload: true, status: true, endpoint: { select: { url: true, secretEnc: true } } } });
    if (!d || d.status !== "pending") return;
    let result: AttemptResult;
    try {
      const secret = openSecret(d.endpoint.secretEnc, options.credentialsKey ?? getSecrets().credentialsKey);
      result = await sendWebhookRequest(d.endpoint.url, webhookHeaders(secret, d.id, now, d.payload), d.payload, { timeoutMs: options.timeoutMs, maxResponseBytes: options.maxResponseBytes });
    } catch (err) {
      // A secret sealed with another key (the key was replaced): the attempt fails like any other.
      result = { ok: false, status: null, latencyMs: null, error: `cannot sign: ${String((err as Error).message).slice(0, 100)}`, bodyBytes: 0 };
    }
    await recordAttempt(db, d.id, result, now);
  }

  async function step(now: Date = clock.now()) {
    const due = await findDueDeliveries(db, now, [...inFlight.keys()], concurrency - inFlight.size);
    const started: Promise<void>[] = [];
    for (const row of due) {
      if (inFlight.has(row.endpointId)) continue;
      const p = attempt(row.id, now)
        .catch((err) => log.error("webhook attempt failed", { delivery: row.id, error: String((err as Error)?.stack ?? err) }))
        .finally(() => inFlight.delete(row.endpointId));
      inFlight.set(row.endpointId, p);
      started.push(p);
    }
    return { started: started.length, settled: Promise.all(started).then(() => undefined) };
  }

  function schedule() {
    if (!running) return;
    timer = setTimeout(() => {
      ticking = step()
        .then(() => undefined)
        .catch((err) => log.error("webhook poll failed", { error: String((err as Error)?.message ?? err) }))
        .finally(schedule);
    }, pollMs);
  }

  return {
    step,
    start() {
      if (running) return;
      running = true;
      schedule();
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      await ticking;
      await Promise.all(inFlight.values());
    },
    busyEndpoints: () => [...inFlight.keys()],
  };
}

/** The log's trim (a scheduler job): delivered and failed rows older than KEEP_DELIVERIES_MS. Returns the count. */
export async function purgeOldDeliveries(db: Db, now: Date): Promise<number> {
  const { count } = await db.webhookDelivery.deleteMany({ where: { status: { in: ["delivered", "failed"] }, createdAt: { lt: new Date(now.getTime() - KEEP_DELIVERIES_MS) } } });
  return count;
}
