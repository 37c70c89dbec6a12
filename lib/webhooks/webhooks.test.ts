// The pure parts of webhooks: Standard Webhooks signing (checked with the `standardwebhooks` library, which Nightjar
// did not write, and a table of known vectors), the retry table, the auto-disable rule, the URL rule.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Webhook } from "standardwebhooks";
import { GIVE_UP_AFTER_MS, LATER_RETRY_MS, planRetry, retryDelayMs, shouldDisableEndpoint } from "./deliver";
import { eventClipUrl, eventPhotoUrl, webhookBody } from "./events";
import { generateWebhookSecret, newMessageId, secretKey, signWebhook, webhookHeaders } from "./sign";
import { checkWebhookUrl, webhookHost } from "./url";

describe("signing (Standard Webhooks)", () => {
  // [secret, msg id, timestamp (s), body, signature]. The first is the specification's published example (Svix docs);
  // the others were computed with Python's hmac and base64 modules.
  const vectors: [string, string, number, string, string][] = [
    ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, '{"test": 2432232314}', "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="],
    [
      "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
      "msg_1",
      1700000000,
      '{"type":"event.started","timestamp":"2023-11-14T22:13:20.000Z","data":{"eventId":"e1"}}',
      "v1,t+BBmt8itN0HFNvHIeoqUs/acqX2fBEhiT2vm89kQkc=",
    ],
    ["whsec_//////////////////////////////////////////8=", "msg_ü", 0, '{"name":"Voordeur – tuin 🦉"}', "v1,YfmDlFdG4EHtyZpywiCJrDOq6zpB+kJBLwCdxOAQlx0="],
  ];
  for (const [secret, id, ts, body, expected] of vectors) test(`vector ${id} @ ${ts}`, () => assert.equal(signWebhook(secret, id, ts, body), expected));

  test("a generated secret is whsec_ + base64 of 32 random bytes", () => {
    const a = generateWebhookSecret();
    assert.match(a, /^whsec_[A-Za-z0-9+/]{43}=$/);
    assert.equal(secretKey(a).length, 32);
    assert.notEqual(a, generateWebhookSecret());
    assert.match(newMessageId(), /^msg_[A-Za-z0-9_-]{22}$/);
  });

  test("our headers verify with the standardwebhooks library; a changed body, id or secret does not", () => {
    const secret = generateWebhookSecret();
    const id = newMessageId();
    const body = webhookBody("event.started", { eventId: "e1", cameraId: "c1", cameraName: "Porch", startedAt: "2026-12-05T10:00:00.000Z" }, new Date());
    const headers = webhookHeaders(secret, id, new Date(), body);
    assert.deepEqual(new Webhook(secret).verify(body, headers), JSON.parse(body));
    assert.throws(() => new Webhook(secret).verify(body.replace("Porch", "Porc"), headers));
    assert.throws(() => new Webhook(secret).verify(body, { ...headers, "webhook-id": newMessageId() }));
    assert.throws(() => new Webhook(generateWebhookSecret()).verify(body, headers));
    // The timestamp is the attempt's time in seconds; one from an hour ago is refused by receivers (replay window).
    const old = webhookHeaders(secret, id, new Date(Date.now() - 3_600_000), body);
    assert.throws(() => new Webhook(secret).verify(body, old), /timestamp/i);
    assert.equal(headers["webhook-signature"], new Webhook(secret).sign(id, new Date(Number(headers["webhook-timestamp"]) * 1000), body));
  });
});

describe("retries", () => {
  const table: [number, number][] = [
    [1, 5_000],
    [2, 30_000],
    [3, 120_000],
    [4, 600_000],
    [5, 1_800_000],
    [6, 3_600_000],
    [7, LATER_RETRY_MS],
    [30, LATER_RETRY_MS],
  ];
  for (const [attempts, ms] of table) test(`after ${attempts} failed attempt(s): ${ms} ms`, () => assert.equal(retryDelayMs(attempts), ms));

  test("retried until 24 h after creation, then failed", () => {
    const created = new Date("2026-12-05T00:00:00Z");
    assert.deepEqual(planRetry(created, 1, created), { status: "pending", nextAttemptAt: new Date(created.getTime() + 5_000) });
    const late = new Date(created.getTime() + GIVE_UP_AFTER_MS - LATER_RETRY_MS);
    assert.deepEqual(planRetry(created, 12, late), { status: "pending", nextAttemptAt: new Date(created.getTime() + GIVE_UP_AFTER_MS) });
    assert.deepEqual(planRetry(created, 12, new Date(late.getTime() + 1)), { status: "failed" });
    // The whole schedule: attempts at 0, 5 s, 35 s, 2 min 35 s, … (1 h 42 min after the 7th, then every 2 h) end in
    // "failed" with the 18th (23 h 43 min), as the next would fall after 24 h.
    let now = created;
    let attempts = 0;
    for (;;) {
      attempts++;
      const next = planRetry(created, attempts, now);
      if (next.status === "failed") break;
      now = next.nextAttemptAt;
    }
    assert.equal(attempts, 18);
    assert.ok(now.getTime() - created.getTime() <= GIVE_UP_AFTER_MS);
  });
});

describe("auto-disable", () => {
  const since = new Date("2026-12-05T00:00:00Z");
  const h = (n: number) => new Date(since.getTime() + n * 3_600_000);
  const table: [number, Date | null, Date, boolean][] = [
    [19, since, h(20), false], // not enough failures
    [20, since, h(7.99), false], // not long enough: a burst of events during a short outage
    [20, since, h(8), true],
    [250, since, h(1), false],
    [25, null, h(30), false],
  ];
  for (const [streak, from, now, expected] of table) test(`${streak} failures since ${from?.toISOString() ?? "—"} at ${now.toISOString()}: ${expected}`, () => assert.equal(shouldDisableEndpoint(streak, from, now), expected));
});

describe("URL rule", () => {
  const resolves = async () => undefined;
  const cases: [string, string | null][] = [
    ["http://homeassistant.local:8123/api/webhook/abc", null],
    ["https://hooks.example.com/x?y=1#frag", null],
    ["http://192.168.1.20/hook", null],
    ["http://[::1]:8080/", null],
    ["ftp://example.com/", "webhook_scheme"],
    ["rtsp://cam/", "webhook_scheme"],
    ["javascript:alert(1)", "webhook_scheme"],
    ["http://user:pw@example.com/", "url_credentials"],
    ["http://user@example.com/", "url_credentials"],
    ["not a url", "invalid_url"],
    ["", "invalid_url"],
    [`http://example.com/${"a".repeat(2_000)}`, "invalid_url"],
  ];
  for (const [url, problem] of cases)
    test(`${url.slice(0, 60) || "(empty)"} → ${problem ?? "ok"}`, async () => {
      const r = await checkWebhookUrl(url, resolves);
      assert.equal(r.ok ? null : r.problem, problem);
    });

  test("the fragment is dropped; the host is what the statement names", async () => {
    assert.deepEqual(await checkWebhookUrl(" https://hooks.example.com/x?y=1#frag ", resolves), { ok: true, url: "https://hooks.example.com/x?y=1" });
    assert.equal(webhookHost("http://homeassistant.local:8123/api/webhook/secret-id"), "homeassistant.local:8123");
  });

  test("a name that does not resolve (real DNS): does_not_resolve; localhost resolves", async () => {
    assert.deepEqual(await checkWebhookUrl("http://nonexistent.invalid/hook"), { ok: false, problem: "does_not_resolve" });
    assert.equal((await checkWebhookUrl("http://localhost:9/hook")).ok, true);
  });
});

describe("payloads", () => {
  test("the body is { type, timestamp, data }; media URLs are absolute under /api/v1", () => {
    const at = new Date("2026-12-05T10:00:00Z");
    assert.equal(webhookBody("camera.online", { cameraId: "c", cameraName: "Porch", since: at.toISOString(), offlineForSeconds: 12 }, at), '{"type":"camera.online","timestamp":"2026-12-05T10:00:00.000Z","data":{"cameraId":"c","cameraName":"Porch","since":"2026-12-05T10:00:00.000Z","offlineForSeconds":12}}');
    assert.equal(eventClipUrl("https://nvr.example/", "ev 1", 2), "https://nvr.example/api/v1/events/ev%201/clips/2");
    assert.equal(eventPhotoUrl("http://localhost:3000", "e1"), "http://localhost:3000/api/v1/events/e1/photo");
  });
});
