// Webhook delivery against a real migrated SQLite file and real HTTP receivers (node:http on 127.0.0.1) that verify
// every request with the `standardwebhooks` library. Time is injected: the loop's step() runs with a chosen `now`, so
// retries and the 24 h give-up are exact and nothing sleeps for a backoff.
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, afterEach, before, describe, test } from "node:test";
import { Webhook } from "standardwebhooks";
import { isAppError } from "../errors";
import { createTestDb, type TestDb } from "../testing/db";
import { createDeliveryLoop, DISABLED_FAILING, MAX_RESPONSE_BYTES, purgeOldDeliveries, sendWebhookRequest, KEEP_DELIVERIES_MS } from "./deliver";
import { emitWebhook } from "./emit";
import { createWebhookEndpoint, listWebhookDeliveries, listWebhookEndpoints, queueTestDelivery, revealWebhookSecret, rotateWebhookSecret, updateWebhookEndpoint, deleteWebhookEndpoint } from "./endpoints";
import type { WebhookEventType } from "./events";

type Received = { headers: http.IncomingHttpHeaders; body: string; verified: unknown; error: string | null };
type Handler = (req: http.IncomingMessage, res: http.ServerResponse, n: number) => void;

/** A receiver: records each request, checks its signature with standardwebhooks, answers with `handler`. */
async function startReceiver(handler: Handler) {
  const received: Received[] = [];
  let secret: string | null = null;
  const waiters: (() => void)[] = [];
  const sockets = new Set<import("node:net").Socket>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      let verified: unknown = null;
      let error: string | null = null;
      try {
        verified = new Webhook(secret!).verify(body, req.headers as Record<string, string>);
      } catch (err) {
        error = String((err as Error).message);
      }
      received.push({ headers: req.headers, body, verified, error });
      for (const w of waiters.splice(0)) w();
      handler(req, res, received.length);
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    setSecret: (s: string) => (secret = s),
    /** Resolves once `n` requests arrived. */
    async waitFor(n: number) {
      while (received.length < n) await new Promise<void>((r) => waiters.push(r));
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
type Receiver = Awaited<ReturnType<typeof startReceiver>>;

const ok: Handler = (_req, res) => res.end("ok");
const ALL: WebhookEventType[] = ["event.started", "event.ended"];

let t: TestDb;
const receivers: Receiver[] = [];
before(async () => {
  t = await createTestDb();
});
after(async () => t.cleanup());
afterEach(async () => {
  for (const r of receivers.splice(0)) await r.close();
  await t.db.webhookEndpoint.deleteMany({});
});

async function endpointFor(handler: Handler, eventTypes: WebhookEventType[] = ALL) {
  const receiver = await startReceiver(handler);
  receivers.push(receiver);
  const { endpoint, secret } = await createWebhookEndpoint(t.db, null, { url: receiver.url, eventTypes, description: "test" });
  receiver.setSecret(secret);
  return { receiver, endpoint, secret };
}

const started = (eventId: string) => ({ eventId, cameraId: "cam-1", cameraName: "Porch", startedAt: new Date().toISOString() });
const deliveriesOf = (endpointId: string) => t.db.webhookDelivery.findMany({ where: { endpointId }, orderBy: { createdAt: "asc" } });

describe("emit", () => {
  test("with no endpoints: nothing queued, nothing thrown", async () => {
    assert.equal(await emitWebhook(t.db, "event.started", started("e0")), 0);
    assert.equal(await t.db.webhookDelivery.count(), 0);
  });

  test("one row per enabled endpoint subscribed to the type; quietMs tells a lasting state once per window", async () => {
    const a = await endpointFor(ok, ["storage.low"]);
    const b = await endpointFor(ok, ["event.started"]);
    const c = await endpointFor(ok, ["storage.low"]);
    await updateWebhookEndpoint(t.db, c.endpoint.id, { enabled: false });
    const data = { reason: "free_space" as const, freeBytes: 1, targetFreeBytes: 2, usedBytes: 3, quotaBytes: null };
    const now = new Date();
    assert.equal(await emitWebhook(t.db, "storage.low", data, { now, quietMs: 3_600_000 }), 1);
    assert.equal(await emitWebhook(t.db, "storage.low", data, { now: new Date(now.getTime() + 60_000), quietMs: 3_600_000 }), 0);
    assert.equal(await emitWebhook(t.db, "storage.low", data, { now: new Date(now.getTime() + 3_600_001), quietMs: 3_600_000 }), 1);
    assert.equal((await deliveriesOf(a.endpoint.id)).length, 2);
    assert.equal((await deliveriesOf(b.endpoint.id)).length, 0);
    assert.equal((await deliveriesOf(c.endpoint.id)).length, 0);
  });
});

describe("delivery", () => {
  test("delivered, signed per Standard Webhooks, logged", async () => {
    const { receiver, endpoint } = await endpointFor(ok);
    const loop = createDeliveryLoop(t.db);
    assert.equal(await emitWebhook(t.db, "event.started", started("e1")), 1);
    const step = await loop.step(new Date());
    assert.equal(step.started, 1);
    await step.settled;
    assert.equal(receiver.received.length, 1);
    const got = receiver.received[0];
    assert.equal(got.error, null);
    assert.deepEqual((got.verified as { type: string; data: { eventId: string } }).data.eventId, "e1");
    assert.equal((got.verified as { type: string }).type, "event.started");
    assert.equal(got.headers["content-type"], "application/json");
    const [row] = await deliveriesOf(endpoint.id);
    assert.equal(row.id, got.headers["webhook-id"]);
    assert.equal(row.payload, got.body, "the stored body is what was sent");
    assert.equal(row.status, "delivered");
    assert.equal(row.attempts, 1);
    assert.equal(row.responseStatus, 200);
    assert.equal(typeof row.latencyMs, "number");
    const [view] = await listWebhookDeliveries(t.db, endpoint.id);
    assert.equal(view.status, "delivered");
    assert.equal((await listWebhookEndpoints(t.db))[0].lastDelivery?.status, "delivered");
    assert.equal((await loop.step(new Date())).started, 0, "nothing left");
  });

  test("a 500 then a 200: retried after 5 s with the same webhook-id, then delivered", async () => {
    const { receiver, endpoint } = await endpointFor((_req, res, n) => {
      res.statusCode = n === 1 ? 500 : 200;
      res.end();
    });
    const loop = createDeliveryLoop(t.db);
    const t0 = new Date();
    await emitWebhook(t.db, "event.started", started("e2"), { now: t0 });
    await (await loop.step(t0)).settled;
    let [row] = await deliveriesOf(endpoint.id);
    assert.deepEqual([row.status, row.attempts, row.responseStatus, row.error], ["pending", 1, 500, "HTTP 500"]);
    assert.equal(row.nextAttemptAt.getTime(), t0.getTime() + 5_000);
    assert.equal((await t.db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } })).failureStreak, 1);
    assert.equal((await loop.step(new Date(t0.getTime() + 4_999))).started, 0, "not before its time");
    await (await loop.step(new Date(t0.getTime() + 5_000))).settled;
    [row] = await deliveriesOf(endpoint.id);
    assert.deepEqual([row.status, row.attempts, row.responseStatus, row.error], ["delivered", 2, 200, null]);
    assert.equal(receiver.received.length, 2);
    assert.equal(receiver.received[0].headers["webhook-id"], receiver.received[1].headers["webhook-id"]);
    assert.ok(receiver.received.every((r) => r.error === null));
    const ep = await t.db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
    assert.deepEqual([ep.failureStreak, ep.failingSince], [0, null], "a success ends the streak");
  });

  test("a receiver that hangs: the attempt times out and is retried", async () => {
    const { receiver, endpoint } = await endpointFor(() => undefined);
    const loop = createDeliveryLoop(t.db, { timeoutMs: 300 });
    const t0 = new Date();
    await emitWebhook(t.db, "event.started", started("e3"), { now: t0 });
    await (await loop.step(t0)).settled;
    const [row] = await deliveriesOf(endpoint.id);
    assert.deepEqual([row.status, row.attempts, row.responseStatus, row.latencyMs, row.error], ["pending", 1, null, null, "timeout after 0.3 s"]);
    assert.equal(receiver.received.length, 1);
  });

  test("a redirect is not followed; a refused connection is a failure", async () => {
    const { receiver, endpoint } = await endpointFor((_req, res) => {
      res.writeHead(302, { location: "http://127.0.0.1:1/elsewhere" });
      res.end();
    });
    const loop = createDeliveryLoop(t.db);
    await emitWebhook(t.db, "event.started", started("e4"));
    await (await loop.step(new Date())).settled;
    const [row] = await deliveriesOf(endpoint.id);
    assert.deepEqual([row.status, row.responseStatus, row.error], ["pending", 302, "HTTP 302 (redirects are not followed)"]);
    assert.equal(receiver.received.length, 1);
    await receiver.close();
    const refused = await sendWebhookRequest(receiver.url, {}, "{}");
    assert.deepEqual([refused.ok, refused.status, refused.error], [false, null, "connection refused"]);
  });

  test("a huge response body: at most 4 KB is read", async () => {
    let sentAll = false;
    const { endpoint } = await endpointFor((_req, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      let n = 0;
      // 64 MiB if nobody stops reading; the client drops the connection after 4 KB.
      const write = () => {
        while (n < 1024) {
          n++;
          if (!res.write(chunk)) return void res.once("drain", write);
        }
        sentAll = true;
        res.end();
      };
      res.on("close", () => undefined);
      write();
    });
    const direct = await sendWebhookRequest((await t.db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } })).url, {}, "{}");
    assert.deepEqual([direct.ok, direct.status, direct.bodyBytes], [true, 200, MAX_RESPONSE_BYTES]);
    const loop = createDeliveryLoop(t.db);
    await emitWebhook(t.db, "event.started", started("e5"));
    await (await loop.step(new Date())).settled;
    const [row] = await deliveriesOf(endpoint.id);
    assert.equal(row.status, "delivered");
    assert.equal(sentAll, false, "the receiver could not send its whole body");
  });

  test("a slow endpoint does not delay another; an endpoint has one attempt in flight at a time", async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => (release = r));
    const slow = await endpointFor((_req, res) => void held.then(() => res.end("late")));
    const fast = await endpointFor(ok);
    const loop = createDeliveryLoop(t.db);
    const now = new Date();
    await emitWebhook(t.db, "event.started", started("e6"), { now });
    await emitWebhook(t.db, "event.started", started("e7"), { now: new Date(now.getTime() + 1) });
    const first = await loop.step(now);
    assert.equal(first.started, 2, "one per endpoint");
    await fast.receiver.waitFor(1);
    // The fast endpoint's first message is delivered while the slow one still holds its request…
    for (let i = 0; i < 200 && (await deliveriesOf(fast.endpoint.id))[0].status !== "delivered"; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal((await deliveriesOf(fast.endpoint.id))[0].status, "delivered");
    assert.equal(slow.receiver.received.length, 1);
    assert.equal((await deliveriesOf(slow.endpoint.id))[0].attempts, 0, "still in flight");
    // …and its second goes out in the next step, while the slow endpoint (busy) gets no second request.
    const second = await loop.step(new Date(now.getTime() + 1));
    assert.equal(second.started, 1);
    assert.deepEqual(loop.busyEndpoints().sort(), [slow.endpoint.id, fast.endpoint.id].sort());
    await second.settled;
    assert.equal(fast.receiver.received.length, 2);
    assert.equal(slow.receiver.received.length, 1);
    release();
    await first.settled;
    assert.deepEqual((await deliveriesOf(slow.endpoint.id)).map((d) => d.status), ["delivered", "pending"]);
  });

  test("survives a restart: a new loop picks up pending rows, retries included", async () => {
    const { receiver, endpoint } = await endpointFor((_req, res, n) => {
      res.statusCode = n === 1 ? 503 : 200;
      res.end();
    });
    const t0 = new Date();
    const before = createDeliveryLoop(t.db);
    await emitWebhook(t.db, "event.started", started("e8"), { now: t0 });
    await (await before.step(t0)).settled; // fails once
    await emitWebhook(t.db, "event.started", started("e9"), { now: t0 }); // never tried
    await before.stop();
    const afterRestart = createDeliveryLoop(t.db);
    for (const at of [t0.getTime(), t0.getTime() + 5_000]) await (await afterRestart.step(new Date(at))).settled;
    assert.deepEqual((await deliveriesOf(endpoint.id)).map((d) => d.status), ["delivered", "delivered"]);
    assert.equal(receiver.received.length, 3);
  });

  test("given up 24 h after creation; after 20 failures over 8 h the endpoint is disabled and its queue failed", async () => {
    const { endpoint } = await endpointFor((_req, res) => {
      res.statusCode = 503;
      res.end();
    });
    const loop = createDeliveryLoop(t.db);
    const t0 = new Date("2026-12-05T00:00:00Z");
    await emitWebhook(t.db, "event.started", started("g1"), { now: t0 });
    // Work the queue at each due time until nothing is pending.
    for (let i = 0; i < 100; i++) {
      const next = await t.db.webhookDelivery.findFirst({ where: { endpointId: endpoint.id, status: "pending" }, orderBy: { nextAttemptAt: "asc" } });
      if (!next) break;
      await (await loop.step(next.nextAttemptAt)).settled;
    }
    const [gaveUp] = await deliveriesOf(endpoint.id);
    assert.deepEqual([gaveUp.status, gaveUp.attempts, gaveUp.error], ["failed", 18, "HTTP 503"]);
    assert.ok(gaveUp.lastAttemptAt!.getTime() - t0.getTime() <= 24 * 3_600_000);
    let ep = await t.db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
    assert.deepEqual([ep.enabled, ep.failureStreak, ep.failingSince?.toISOString()], [true, 18, t0.toISOString()], "18 failures: still enabled");

    // Two more failures (the streak counts every attempt of every delivery), more than 8 h after the first: disabled.
    const t1 = new Date(t0.getTime() + 25 * 3_600_000);
    await emitWebhook(t.db, "event.started", started("g2"), { now: t1 });
    await emitWebhook(t.db, "event.started", started("g3"), { now: new Date(t1.getTime() + 1) });
    await (await loop.step(t1)).settled;
    ep = await t.db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
    assert.deepEqual([ep.enabled, ep.failureStreak], [true, 19]);
    const t2 = new Date(t1.getTime() + 1);
    await (await loop.step(t2)).settled;
    ep = await t.db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
    assert.deepEqual([ep.enabled, ep.disabledReason, ep.failureStreak, ep.disabledAt?.toISOString()], [false, DISABLED_FAILING, 20, t2.toISOString()]);
    assert.deepEqual((await deliveriesOf(endpoint.id)).map((d) => d.status), ["failed", "failed", "failed"], "nothing stays pending for a disabled endpoint");
    assert.equal(await emitWebhook(t.db, "event.started", started("g4")), 0, "nothing new is queued");
    const [view] = await listWebhookEndpoints(t.db);
    assert.equal(view.disabledReason, "failing");

    // Enabling it again starts afresh.
    await updateWebhookEndpoint(t.db, endpoint.id, { enabled: true });
    ep = await t.db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
    assert.deepEqual([ep.enabled, ep.disabledReason, ep.failureStreak, ep.failingSince], [true, null, 0, null]);
  });

  test("the log keeps deliveries 7 days", async () => {
    const { endpoint } = await endpointFor(ok);
    const now = new Date("2026-12-20T00:00:00Z");
    const old = new Date(now.getTime() - KEEP_DELIVERIES_MS - 1);
    const recent = new Date(now.getTime() - KEEP_DELIVERIES_MS + 60_000);
    await emitWebhook(t.db, "event.started", started("old"), { now: old });
    await emitWebhook(t.db, "event.started", started("recent"), { now: recent });
    await t.db.webhookDelivery.updateMany({ where: { endpointId: endpoint.id }, data: { status: "delivered" } });
    assert.equal(await purgeOldDeliveries(t.db, now), 1);
    assert.equal((await deliveriesOf(endpoint.id)).length, 1);
  });
});

describe("endpoints", () => {
  test("a URL that does not resolve is refused with a field error; bad event types too", async () => {
    const fields = async (p: Promise<unknown>) => {
      try {
        await p;
        return null;
      } catch (err) {
        assert.ok(isAppError(err), String(err));
        return err.fields;
      }
    };
    assert.deepEqual(await fields(createWebhookEndpoint(t.db, null, { url: "http://nonexistent.invalid/hook", eventTypes: ["event.started"] })), { url: "does_not_resolve" });
    assert.deepEqual(await fields(createWebhookEndpoint(t.db, null, { url: "ftp://127.0.0.1/", eventTypes: ["event.started"] })), { url: "webhook_scheme" });
    assert.deepEqual(await fields(createWebhookEndpoint(t.db, null, { url: "http://127.0.0.1/", eventTypes: [] })), { eventTypes: "too_small" });
    assert.deepEqual(await fields(createWebhookEndpoint(t.db, null, { url: "http://127.0.0.1/", eventTypes: ["event.started", "nope"] })), { eventTypes: "invalid_value" });
    assert.equal(await t.db.webhookEndpoint.count(), 0);
  });

  test("secret sealed at rest, revealed, rotated (next attempts signed with the new one); test message; delete", async () => {
    const { receiver, endpoint, secret } = await endpointFor(ok);
    const row = await t.db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
    assert.ok(!row.secretEnc.includes(secret.slice(6, 20)), "not stored in the clear");
    assert.equal(await revealWebhookSecret(t.db, endpoint.id), secret);
    const rotated = await rotateWebhookSecret(t.db, endpoint.id);
    assert.notEqual(rotated, secret);
    assert.equal(await revealWebhookSecret(t.db, endpoint.id), rotated);
    receiver.setSecret(rotated);

    // "Send test" reaches a disabled endpoint too (to check it before enabling it again).
    await updateWebhookEndpoint(t.db, endpoint.id, { enabled: false });
    const loop = createDeliveryLoop(t.db);
    const { deliveryId } = await queueTestDelivery(t.db, endpoint.id);
    await (await loop.step(new Date())).settled;
    assert.equal(receiver.received.length, 1);
    assert.equal(receiver.received[0].error, null, "signed with the rotated secret");
    assert.equal((receiver.received[0].verified as { type: string }).type, "webhook.test");
    assert.equal((await t.db.webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId } })).status, "delivered");

    const changed = await updateWebhookEndpoint(t.db, endpoint.id, { description: "  Home Assistant ", eventTypes: ["camera.offline", "camera.online"] });
    assert.deepEqual(changed.changed.sort(), ["description", "eventTypes"]);
    assert.equal(changed.endpoint.description, "Home Assistant");
    assert.deepEqual(changed.endpoint.eventTypes, ["camera.offline", "camera.online"]);
    await deleteWebhookEndpoint(t.db, endpoint.id);
    assert.equal(await t.db.webhookDelivery.count({ where: { endpointId: endpoint.id } }), 0, "its log goes with it");
  });
});
