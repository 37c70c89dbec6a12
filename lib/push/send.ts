// Sending a push message to a member's devices (RFC 8030 push protocol): for each PushSubscription, the payload as
// JSON, encrypted for that browser (encrypt.ts, RFC 8291), POSTed to its endpoint with a VAPID Authorization
// (vapid.ts, RFC 8292). Called by the notifier worker (lib/notifications) once per fact for all the members it tells, and by the "send a test"
// route. The push service is the browser maker's; it sees the endpoint, the sizes, TTL/Urgency/Topic and our VAPID
// public key and subject, never the content.
//
// Outcome per subscription: 2xx (201/202 in practice) = sent, lastOkAt updated; 404/410 = the subscription is gone
// (expired, unsubscribed): the row is deleted and counted as removed; anything else (413, 429, 5xx, another status, a
// 3xx: redirects are not followed, a timeout, a refused connection) = failed with a short reason. The "push" row of
// IntegrationStatus keeps a summary: connected after a delivery, error when a whole send failed.
import crypto from "node:crypto";
import type { Db } from "../db";
import { logger } from "../log";
import { describeNetworkErrorCode } from "../net-errors";
import { encryptPushMessage, MAX_PUSH_PLAINTEXT_BYTES } from "./encrypt";
import { loadVapidKeys, vapidAudience, vapidAuthorization, vapidSubject } from "./vapid";

const log = logger("push");

/** What one push message says. Minimal: the push service relays it (encrypted) and the browser shows it. */
export type PushPayload = {
  title: string;
  body: string;
  /** Where a click leads, a path of this server ("/events/…"). */
  url: string;
  /** The notification's tag: a later message with the same tag replaces the earlier one on the device. */
  tag: string;
  eventId?: string;
  cameraId?: string;
  label?: string | null;
  /** ISO time of what happened. */
  at: string;
  /** A data: URL thumbnail, only when the member opted in; dropped when the message would not fit 4 KB. */
  image?: string;
};

export type PushDeps = { credentialsKey: Buffer; dataDir: string; fetchImpl?: typeof fetch; now?: Date };
export type PushResult = { sent: number; removed: number; failed: string[] };

/** One request's limit, from connecting to the answer, ms. */
export const PUSH_TIMEOUT_MS = 10_000;
/** How long the push service keeps an undelivered message (device offline), s. */
export const PUSH_TTL_SECONDS = 24 * 60 * 60;
/** IntegrationStatus "push" is rewritten at most this often while its state stays the same, ms. */
const STATUS_WRITE_MS = 60_000;
const INTEGRATION_ID = "push";

/**
 * The RFC 8030 Topic of a tag: 32 base64url characters of its SHA-256 (a topic allows at most 32 characters of that
 * alphabet), so a later message of the same event replaces an undelivered earlier one and the push service learns no id.
 */
export function pushTopic(tag: string): string {
  return crypto.createHash("sha256").update(tag).digest("base64url").slice(0, 32);
}

/** The plaintext: the payload as JSON, without the image when it would not fit one message. */
export function pushPlaintext(payload: PushPayload): Buffer {
  const full = Buffer.from(JSON.stringify(payload));
  if (full.length <= MAX_PUSH_PLAINTEXT_BYTES || !payload.image) return full;
  const { image: _dropped, ...rest } = payload;
  void _dropped;
  return Buffer.from(JSON.stringify(rest));
}

type Subscription = { id: string; userId: string; endpoint: string; p256dh: string; auth: string; label: string | null };
type Outcome = { kind: "sent" } | { kind: "removed" } | { kind: "failed"; reason: string };

/** Requests in flight at once within one deliverPush call (many members' devices, small HTTPS requests). */
export const PUSH_SENDS_AT_ONCE = 16;

/** One message for one member (all of the member's devices). */
export type PushMessage = { userId: string; payload: PushPayload };

/** Sends `payload` to every device of the member; never throws for a device's failure. */
export async function deliverPushToMember(db: Db, userId: string, payload: PushPayload, deps: PushDeps): Promise<PushResult> {
  return (await deliverPush(db, [{ userId, payload }], deps)).get(userId) ?? { sent: 0, removed: 0, failed: [] };
}

/**
 * Sends each message to every device of its member, PUSH_SENDS_AT_ONCE requests at a time, and returns the outcome per
 * member (a member with no device: all zero). The database sees one read and at most two writes per call, whatever
 * the number of members (an event telling 200 members is 200 requests, not 600 queries); the VAPID JWT is signed once
 * per push service origin. Never throws for a device's failure; a member listed twice gets both messages.
 */
export async function deliverPush(db: Db, messages: PushMessage[], deps: PushDeps): Promise<Map<string, PushResult>> {
  const results = new Map<string, PushResult>(messages.map((m) => [m.userId, { sent: 0, removed: 0, failed: [] }]));
  if (messages.length === 0) return results;
  const subscriptions = await db.pushSubscription.findMany({
    where: { userId: { in: [...results.keys()] } },
    select: { id: true, userId: true, endpoint: true, p256dh: true, auth: true, label: true },
  });
  const byUser = new Map<string, Subscription[]>();
  for (const s of subscriptions) {
    const list = byUser.get(s.userId);
    if (list) list.push(s);
    else byUser.set(s.userId, [s]);
  }
  const jobs = messages.flatMap((m) => {
    const plaintext = pushPlaintext(m.payload);
    return (byUser.get(m.userId) ?? []).map((s) => ({ s, plaintext, payload: m.payload }));
  });
  if (jobs.length === 0) return results;
  const now = deps.now ?? new Date();
  const sign = vapidSigner(deps.dataDir, now);
  const outcomes: Outcome[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      outcomes[i] = await sendOne(jobs[i].s, jobs[i].plaintext, jobs[i].payload, deps, sign);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PUSH_SENDS_AT_ONCE, jobs.length) }, worker));
  const okIds = new Set<string>();
  const goneIds = new Set<string>();
  outcomes.forEach((o, i) => {
    const { s } = jobs[i];
    const r = results.get(s.userId)!;
    if (o.kind === "sent") {
      okIds.add(s.id);
      r.sent++;
    } else if (o.kind === "removed") {
      if (!goneIds.has(s.id)) r.removed++;
      goneIds.add(s.id);
    } else r.failed.push(`${s.label ?? new URL(s.endpoint).hostname}: ${o.reason}`);
  });
  for (const id of goneIds) okIds.delete(id);
  if (okIds.size > 0) await db.pushSubscription.updateMany({ where: { id: { in: [...okIds] } }, data: { lastOkAt: now } });
  if (goneIds.size > 0) await db.pushSubscription.deleteMany({ where: { id: { in: [...goneIds] } } });
  const total: PushResult = { sent: 0, removed: 0, failed: [] };
  for (const r of results.values()) {
    total.sent += r.sent;
    total.removed += r.removed;
    total.failed.push(...r.failed);
  }
  if (total.failed.length > 0) log.warn("push failed", { failed: total.failed.length, sent: total.sent, first: total.failed[0] });
  await summarize(db, total, now);
  return results;
}

/** The Authorization header for an endpoint: keys read once, one JWT per push service origin (RFC 8292 allows reuse). */
function vapidSigner(dataDir: string, now: Date): (endpoint: string) => string {
  let keys: ReturnType<typeof loadVapidKeys> | null = null;
  const byAudience = new Map<string, string>();
  return (endpoint) => {
    const audience = vapidAudience(endpoint);
    let header = byAudience.get(audience);
    if (!header) {
      keys ??= loadVapidKeys(dataDir);
      header = vapidAuthorization(keys, endpoint, vapidSubject(), now);
      byAudience.set(audience, header);
    }
    return header;
  };
}

async function sendOne(s: Subscription, plaintext: Buffer, payload: PushPayload, deps: PushDeps, sign: (endpoint: string) => string): Promise<Outcome> {
  let body: Buffer;
  let authorization: string;
  try {
    body = encryptPushMessage(plaintext, { p256dh: s.p256dh, auth: s.auth });
    authorization = sign(s.endpoint);
  } catch (err) {
    return { kind: "failed", reason: String((err as Error).message).slice(0, 200) };
  }
  const fetchImpl = deps.fetchImpl ?? fetch;
  let res: Response;
  try {
    res = await fetchImpl(s.endpoint, {
      method: "POST",
      redirect: "manual",
      signal: AbortSignal.timeout(PUSH_TIMEOUT_MS),
      headers: {
        authorization,
        "content-encoding": "aes128gcm",
        "content-type": "application/octet-stream",
        ttl: String(PUSH_TTL_SECONDS),
        // Events wake a phone at once; other messages may wait for the device's next wake-up.
        urgency: payload.eventId ? "high" : "normal",
        topic: pushTopic(payload.tag),
      },
      body: new Uint8Array(body),
    });
  } catch (err) {
    return { kind: "failed", reason: describeFetchError(err) };
  }
  await res.body?.cancel().catch(() => undefined); // the answer's body is not needed
  if (res.status >= 200 && res.status < 300) return { kind: "sent" };
  if (res.status === 404 || res.status === 410) return { kind: "removed" };
  return { kind: "failed", reason: statusReason(res.status) };
}

function statusReason(status: number): string {
  if (status === 413) return "HTTP 413 (message too large)";
  if (status === 429) return "HTTP 429 (too many messages)";
  if (status >= 300 && status < 400) return `HTTP ${status} (redirects are not followed)`;
  if (status === 401 || status === 403) return `HTTP ${status} (VAPID authorization refused)`;
  return `HTTP ${status}`;
}

function describeFetchError(err: unknown): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === "TimeoutError" || e.name === "AbortError") return `timeout after ${PUSH_TIMEOUT_MS / 1000} s`;
  return describeNetworkErrorCode(e.cause?.code) ?? String(e.cause?.code ?? e.cause?.message ?? e.message ?? "request failed").slice(0, 200);
}

/** What this process last wrote to IntegrationStatus "push", per database. */
const lastWritten = new WeakMap<Db, { state: string; detail: string | null; at: number }>();

/** The summary row: "connected" when something was delivered, "error" when a whole send failed. */
async function summarize(db: Db, result: PushResult, now: Date): Promise<void> {
  if (result.sent === 0 && result.failed.length === 0) return;
  const state = result.sent > 0 ? "connected" : "error";
  const detail = state === "error" ? result.failed[0].slice(0, 300) : null;
  const last = lastWritten.get(db);
  if (last && last.state === state && last.detail === detail && now.getTime() - last.at < STATUS_WRITE_MS) return;
  try {
    const row = await db.integrationStatus.findUnique({ where: { id: INTEGRATION_ID }, select: { state: true } });
    const since = row?.state === state ? undefined : now;
    const lastOkAt = state === "connected" ? now : undefined;
    await db.integrationStatus.upsert({
      where: { id: INTEGRATION_ID },
      create: { id: INTEGRATION_ID, state, detail, since: now, lastOkAt: lastOkAt ?? null },
      update: { state, detail, ...(since ? { since } : {}), ...(lastOkAt ? { lastOkAt } : {}) },
    });
    lastWritten.set(db, { state, detail, at: now.getTime() });
  } catch (err) {
    log.warn("push status not written", { error: String(err) });
  }
}

/** The "send a test" message: to the member's notification settings, one tag so repeated tests replace each other. */
export function testPushPayload(text: { title: string; body: string }, now: Date): PushPayload {
  return { title: text.title, body: text.body, url: "/account/notifications", tag: "nightjar-test", at: now.toISOString() };
}
