// Web Push, checked from the receiving side: a real HTTP server in the test plays the push service (headers, the VAPID
// JWT verified against the k= key, the body decrypted with http_ece — an independent RFC 8188/8291 implementation —
// using a key pair the test generated like a browser). Also the RFC 8291 test vector byte for byte, the outcomes
// (201 sent, 404/410 removed, 500 failed), the key file, and the validation tables.
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { after, before, beforeEach, describe, test } from "node:test";
import { resetEnvForTests } from "../env";
import { secretFile } from "../data-dir";
import { isAppError } from "../errors";
import { resetSecretsForTests } from "../secrets";
import { createTestDb, type TestDb } from "../testing/db";
import { encryptPushMessage, MAX_PUSH_PLAINTEXT_BYTES, PUSH_RECORD_SIZE } from "./encrypt";
import { deliverPush, deliverPushToMember, pushPlaintext, pushTopic, PUSH_TTL_SECONDS, type PushPayload } from "./send";
import { addPushSubscription, deviceLabel, endpointProblem, keyProblems, listPushDevices, MAX_SUBSCRIPTIONS_PER_MEMBER, removePushDevice } from "./subscriptions";
import { loadVapidKeys, VAPID_JWT_SECONDS, vapidKeysFromPrivate } from "./vapid";

type Ece = { decrypt(buffer: Buffer, params: { version: "aes128gcm"; privateKey: crypto.ECDH; authSecret: Buffer }): Buffer };
const ece = createRequire(import.meta.url)("http_ece") as Ece;

/** A browser's side of a subscription: its ECDH key pair and auth secret. */
function browserKeys() {
  const ecdh = crypto.createECDH("prime256v1");
  ecdh.generateKeys();
  const auth = crypto.randomBytes(16);
  return { ecdh, auth, keys: { p256dh: ecdh.getPublicKey().toString("base64url"), auth: auth.toString("base64url") } };
}

const b64u = (s: string) => Buffer.from(s, "base64url");

describe("RFC 8291 encryption", () => {
  test("matches the RFC's Appendix A example byte for byte", () => {
    const body = encryptPushMessage(Buffer.from("When I grow up, I want to be a watermelon"), {
      p256dh: "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4",
      auth: "BTBZMqHH6r4Tts7J_aSIgg",
    }, { salt: b64u("DGv6ra1nlYgDCS1FRnbzlw"), senderPrivateKey: b64u("yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw"), padToBytes: 41 });
    assert.equal(
      body.toString("base64url"),
      "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN",
    );
  });

  test("http_ece decrypts what we encrypted, for short, padded and the largest messages", () => {
    const b = browserKeys();
    for (const size of [0, 1, 127, 128, 129, 1000, MAX_PUSH_PLAINTEXT_BYTES]) {
      const plain = crypto.randomBytes(size);
      const body = encryptPushMessage(plain, b.keys);
      assert.ok(body.length <= PUSH_RECORD_SIZE, `${size}: ${body.length} bytes`);
      assert.equal(body.readUInt32BE(16), PUSH_RECORD_SIZE);
      assert.deepEqual(ece.decrypt(body, { version: "aes128gcm", privateKey: b.ecdh, authSecret: b.auth }), plain, `size ${size}`);
    }
    assert.throws(() => encryptPushMessage(Buffer.alloc(MAX_PUSH_PLAINTEXT_BYTES + 1), b.keys), /too large/);
  });

  test("lengths are padded to 128-byte steps; each message has its own salt and key", () => {
    const b = browserKeys();
    const one = encryptPushMessage(Buffer.from("a"), b.keys);
    const hundred = encryptPushMessage(Buffer.alloc(100, 97), b.keys);
    assert.equal(one.length, hundred.length, "1 and 100 bytes look the same");
    assert.equal(one.length, 86 + 128 + 1 + 16);
    const again = encryptPushMessage(Buffer.from("a"), b.keys);
    assert.notDeepEqual(again.subarray(0, 16), one.subarray(0, 16), "fresh salt");
    assert.notDeepEqual(again.subarray(21, 86), one.subarray(21, 86), "fresh ephemeral key");
  });

  test("another browser's keys cannot read it, nor a changed body", () => {
    const b = browserKeys();
    const other = browserKeys();
    const body = encryptPushMessage(Buffer.from("secret"), b.keys);
    assert.throws(() => ece.decrypt(body, { version: "aes128gcm", privateKey: other.ecdh, authSecret: other.auth }));
    const changed = Buffer.from(body);
    changed[changed.length - 20] ^= 1;
    assert.throws(() => ece.decrypt(changed, { version: "aes128gcm", privateKey: b.ecdh, authSecret: b.auth }));
  });
});

/** Verifies an ES256 JWT against the uncompressed P-256 key `k` (base64url); returns its claims. */
function verifyVapid(authorization: string): { claims: { aud: string; exp: number; sub: string }; k: string } {
  const m = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+), k=([\w-]+)$/.exec(authorization);
  assert.ok(m, `Authorization: ${authorization}`);
  const [header, claims, signature] = m[1].split(".");
  assert.deepEqual(JSON.parse(b64u(header).toString()), { typ: "JWT", alg: "ES256" });
  const point = b64u(m[2]);
  assert.equal(point.length, 65);
  const key = crypto.createPublicKey({ key: { kty: "EC", crv: "P-256", x: point.subarray(1, 33).toString("base64url"), y: point.subarray(33).toString("base64url") }, format: "jwk" });
  assert.equal(crypto.verify("sha256", Buffer.from(`${header}.${claims}`), { key, dsaEncoding: "ieee-p1363" }, b64u(signature)), true, "signature verifies");
  return { claims: JSON.parse(b64u(claims).toString()), k: m[2] };
}

type Received = { path: string; headers: http.IncomingHttpHeaders; body: Buffer };

/** The test's push service: records each request and answers with the status its path asks for (/s201/…, /s410/…). */
async function startPushService() {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks) });
      const status = Number(/^\/s(\d{3})\//.exec(req.url ?? "")?.[1] ?? 201);
      res.writeHead(status, status === 302 ? { location: "http://127.0.0.1:1/elsewhere" } : {}).end("x".repeat(100));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { received, origin, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe("deliverPushToMember against a receiving push service", () => {
  let t: TestDb;
  let service: Awaited<ReturnType<typeof startPushService>>;
  let userId: string;
  let otherId: string;
  const deps = () => ({ credentialsKey: Buffer.alloc(32), dataDir: t.dataDir });
  const payload: PushPayload = { title: "Driveway", body: "Motion · person", url: "/events/ev1", tag: "event-ev1", eventId: "ev1", cameraId: "cam1", label: "person", at: "2026-12-05T19:00:00.000Z" };

  before(async () => {
    t = await createTestDb();
    service = await startPushService();
    for (const [id, email] of [["u1", "push-a@x.test"], ["u2", "push-b@x.test"]]) {
      await t.db.user.create({ data: { id, email, displayName: id, passwordHash: "x", role: "member" } });
    }
    userId = "u1";
    otherId = "u2";
  });
  after(async () => {
    await service.close();
    await t.cleanup();
  });
  beforeEach(async () => {
    service.received.length = 0;
    await t.db.pushSubscription.deleteMany({});
  });

  const subscribe = (user: string, path: string, keys: { p256dh: string; auth: string }) =>
    addPushSubscription(t.db, user, { endpoint: `${service.origin}${path}`, keys }, { allowLoopbackHttp: true, userAgent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36" });

  test("201: the service gets the headers, a VAPID JWT that verifies, and a body only the browser can read", async () => {
    const phone = browserKeys();
    const laptop = browserKeys();
    await subscribe(userId, "/s201/phone", phone.keys);
    await subscribe(userId, "/s201/laptop", laptop.keys);
    await subscribe(otherId, "/s201/someone-else", browserKeys().keys);
    const now = new Date();
    const result = await deliverPushToMember(t.db, userId, payload, { ...deps(), now });
    assert.deepEqual(result, { sent: 2, removed: 0, failed: [] });
    assert.deepEqual(service.received.map((r) => r.path).sort(), ["/s201/laptop", "/s201/phone"], "only this member's devices");

    for (const r of service.received) {
      const b = r.path.endsWith("phone") ? phone : laptop;
      assert.equal(r.headers["content-encoding"], "aes128gcm");
      assert.equal(r.headers["content-type"], "application/octet-stream");
      assert.equal(r.headers.ttl, String(PUSH_TTL_SECONDS));
      assert.equal(r.headers.urgency, "high");
      assert.equal(r.headers.topic, pushTopic("event-ev1"));
      assert.match(String(r.headers.topic), /^[A-Za-z0-9_-]{32}$/);
      const { claims, k } = verifyVapid(String(r.headers.authorization));
      assert.equal(k, loadVapidKeys(t.dataDir).publicKey, "k= is our public key");
      assert.equal(claims.aud, service.origin, "aud is the endpoint's origin");
      assert.equal(claims.exp, Math.floor(now.getTime() / 1000) + VAPID_JWT_SECONDS);
      assert.ok(claims.exp - now.getTime() / 1000 <= 24 * 3600, "exp within 24 h");
      assert.equal(claims.sub, "http://localhost:3000", "sub is PUBLIC_URL by default");
      const plain = ece.decrypt(r.body, { version: "aes128gcm", privateKey: b.ecdh, authSecret: b.auth });
      assert.deepEqual(JSON.parse(plain.toString()), payload);
      assert.ok(!r.body.includes(Buffer.from("Driveway")), "no clear text on the wire");
    }
    const rows = await t.db.pushSubscription.findMany({ where: { userId } });
    assert.ok(rows.every((r) => r.lastOkAt?.getTime() === now.getTime()), "lastOkAt updated");
    const status = await t.db.integrationStatus.findUniqueOrThrow({ where: { id: "push" } });
    assert.equal(status.state, "connected");
    assert.equal(status.lastOkAt?.getTime(), now.getTime());
  });

  test("410 and 404 remove the subscription; 500, 413, 429 and a redirect fail with a reason and keep it", async () => {
    const keys = browserKeys().keys;
    for (const s of ["410", "404", "500", "413", "429", "302"]) await subscribe(userId, `/s${s}/device`, keys);
    const result = await deliverPushToMember(t.db, userId, { ...payload, eventId: undefined, tag: "storage" }, deps());
    assert.equal(result.sent, 0);
    assert.equal(result.removed, 2);
    assert.deepEqual(result.failed.map((f) => f.replace(/^.*?: /, "")).sort(), [
      "HTTP 302 (redirects are not followed)",
      "HTTP 413 (message too large)",
      "HTTP 429 (too many messages)",
      "HTTP 500",
    ]);
    assert.ok(result.failed.every((f) => f.startsWith("Chrome · Linux: ")), result.failed.join("; "));
    assert.ok(service.received.every((r) => r.headers.urgency === "normal"), "not an event: normal urgency");
    assert.equal(service.received.length, 6, "the redirect was not followed");
    const left = (await listPushDevices(t.db, userId)).map((d) => new URL(d.endpoint).pathname.slice(2, 5)).sort();
    assert.deepEqual(left, ["302", "413", "429", "500"]);
    const status = await t.db.integrationStatus.findUniqueOrThrow({ where: { id: "push" } });
    assert.equal(status.state, "error");
    assert.match(status.detail ?? "", /HTTP/);
  });

  test("a refused connection fails; no devices sends nothing", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await addPushSubscription(t.db, userId, { endpoint: `http://127.0.0.1:${port}/nobody`, keys: browserKeys().keys }, { allowLoopbackHttp: true });
    const result = await deliverPushToMember(t.db, userId, payload, deps());
    assert.deepEqual([result.sent, result.removed, result.failed.length], [0, 0, 1]);
    assert.match(result.failed[0], /connection refused/);
    assert.deepEqual(await deliverPushToMember(t.db, otherId, payload, deps()), { sent: 0, removed: 0, failed: [] });
  });

  test("deliverPush: many members in one call, each gets their own message, outcomes per member, one read of the subscriptions", async () => {
    const members = Array.from({ length: 40 }, (_, i) => `batch${i}`);
    await t.db.user.createMany({ data: members.map((id) => ({ id, email: `${id}@x.test`, displayName: id, passwordHash: "x", role: "member" })) });
    const keys = new Map<string, ReturnType<typeof browserKeys>>();
    for (const [i, id] of members.entries()) {
      if (i === 0) continue; // batch0 has no device
      const k = browserKeys();
      keys.set(id, k);
      await subscribe(id, i === 1 ? `/s410/${id}` : i === 2 ? `/s500/${id}` : `/s201/${id}`, k.keys);
    }
    let reads = 0;
    const counting = t.db.$extends({ query: { pushSubscription: { findMany: ({ args, query }) => (reads++, query(args)) } } }) as unknown as typeof t.db;
    const now = new Date();
    const results = await deliverPush(counting, members.map((id) => ({ userId: id, payload: { ...payload, title: `For ${id}` } })), { ...deps(), now });
    assert.equal(reads, 1, "one query for all members' subscriptions");
    assert.deepEqual(results.get("batch0"), { sent: 0, removed: 0, failed: [] });
    assert.deepEqual(results.get("batch1"), { sent: 0, removed: 1, failed: [] });
    assert.equal(results.get("batch2")?.failed.length, 1);
    for (const id of members.slice(3)) assert.deepEqual(results.get(id), { sent: 1, removed: 0, failed: [] }, id);
    assert.equal(service.received.length, 39);
    for (const r of service.received) {
      const id = r.path.split("/")[2];
      const k = keys.get(id)!;
      assert.equal(JSON.parse(ece.decrypt(r.body, { version: "aes128gcm", privateKey: k.ecdh, authSecret: k.auth }).toString()).title, `For ${id}`, "each device got its member's message");
      assert.equal(verifyVapid(String(r.headers.authorization)).claims.aud, service.origin);
    }
    const rows = await t.db.pushSubscription.findMany({ where: { userId: { in: members } } });
    assert.equal(rows.length, 38, "the 410 subscription is gone");
    assert.equal(rows.filter((r) => r.lastOkAt?.getTime() === now.getTime()).length, 37, "lastOkAt of the delivered ones");
    await t.db.user.deleteMany({ where: { id: { in: members } } });
  });

  test("a thumbnail too large for one message is dropped, the rest goes", async () => {
    const b = browserKeys();
    await subscribe(userId, "/s201/phone", b.keys);
    const big = { ...payload, image: `data:image/jpeg;base64,${"A".repeat(5000)}` };
    assert.deepEqual(await deliverPushToMember(t.db, userId, big, deps()), { sent: 1, removed: 0, failed: [] });
    const got = JSON.parse(ece.decrypt(service.received[0].body, { version: "aes128gcm", privateKey: b.ecdh, authSecret: b.auth }).toString());
    assert.equal(got.image, undefined);
    assert.equal(got.title, "Driveway");
    const small = { ...payload, image: "data:image/jpeg;base64,AAAA" };
    assert.equal(JSON.parse(pushPlaintext(small).toString()).image, small.image, "a small one stays");
  });

  test("the same endpoint again updates it and moves it to the member who subscribed last; at most 20 per member", async () => {
    const first = await subscribe(userId, "/s201/shared", browserKeys().keys);
    const second = await subscribe(otherId, "/s201/shared", browserKeys().keys);
    assert.equal(second.id, first.id);
    assert.equal((await listPushDevices(t.db, userId)).length, 0);
    assert.equal((await listPushDevices(t.db, otherId))[0].label, "Chrome · Linux");
    for (let i = 0; i < MAX_SUBSCRIPTIONS_PER_MEMBER + 2; i++) {
      await addPushSubscription(t.db, userId, { endpoint: `${service.origin}/s201/d${i}`, keys: browserKeys().keys }, { allowLoopbackHttp: true, now: new Date(Date.UTC(2026, 0, 1, 0, i)) });
    }
    const mine = await listPushDevices(t.db, userId);
    assert.equal(mine.length, MAX_SUBSCRIPTIONS_PER_MEMBER);
    assert.equal(new URL(mine[0].endpoint).pathname, `/s201/d${MAX_SUBSCRIPTIONS_PER_MEMBER + 1}`, "newest first");
    assert.ok(!mine.some((d) => d.endpoint.endsWith("/d0") || d.endpoint.endsWith("/d1")), "the oldest went");
  });

  test("a member removes only their own devices", async () => {
    const mine = await subscribe(userId, "/s201/mine", browserKeys().keys);
    await assert.rejects(removePushDevice(t.db, otherId, mine.id), (e) => isAppError(e) && e.code === "not_found");
    await removePushDevice(t.db, userId, mine.id);
    assert.equal((await listPushDevices(t.db, userId)).length, 0);
  });
});

describe("VAPID keys", () => {
  test("created once in secrets/ (0600) and stable; the public key is the private key's", async () => {
    const t = await createTestDb();
    try {
      const keys = loadVapidKeys(t.dataDir);
      const file = secretFile(t.dataDir, "vapidPrivateKey");
      assert.equal(fs.statSync(file).mode & 0o777, 0o600);
      const d = fs.readFileSync(file, "utf8").trim();
      assert.equal(b64u(d).length, 32);
      assert.equal(loadVapidKeys(t.dataDir).publicKey, keys.publicKey);
      const ecdh = crypto.createECDH("prime256v1");
      ecdh.setPrivateKey(b64u(d));
      assert.equal(ecdh.getPublicKey().toString("base64url"), keys.publicKey);
    } finally {
      await t.cleanup();
    }
  });

  test("VAPID_PRIVATE_KEY wins over the file; a malformed one is refused", async () => {
    const t = await createTestDb();
    try {
      const d = crypto.generateKeyPairSync("ec", { namedCurve: "prime256v1" }).privateKey.export({ format: "jwk" }).d!;
      process.env.VAPID_PRIVATE_KEY = d;
      resetEnvForTests();
      assert.equal(loadVapidKeys(t.dataDir).publicKey, vapidKeysFromPrivate(d).publicKey);
      assert.equal(fs.existsSync(secretFile(t.dataDir, "vapidPrivateKey")), false);
      process.env.VAPID_PRIVATE_KEY = "too-short";
      resetEnvForTests();
      assert.throws(() => loadVapidKeys(t.dataDir), /VAPID_PRIVATE_KEY/);
    } finally {
      delete process.env.VAPID_PRIVATE_KEY;
      resetEnvForTests();
      resetSecretsForTests();
      await t.cleanup();
    }
  });
});

describe("subscription input", () => {
  const cases: [string, string | null][] = [
    ["https://fcm.googleapis.com/fcm/send/abc:def", null],
    ["https://updates.push.services.mozilla.com/wpush/v2/gAAAA", null],
    ["https://web.push.apple.com/QGuQyavXutnMH6Ig2uYOJDwA", null],
    ["https://db5p.notify.windows.com/w/?token=BQYAAA", null],
    ["http://fcm.googleapis.com/fcm/send/abc", "invalid_url"],
    ["https://192.168.1.1/push", "invalid_url"],
    ["https://[::1]/push", "invalid_url"],
    ["https://localhost/push", "invalid_url"],
    ["https://router/push", "invalid_url"],
    ["https://user:pw@push.example.com/x", "url_credentials"],
    ["ftp://push.example.com/x", "invalid_url"],
    ["not a url", "invalid_url"],
    [`https://push.example.com/${"a".repeat(2048)}`, "too_big"],
  ];
  for (const [endpoint, expected] of cases) test(`endpoint ${endpoint.slice(0, 60)} → ${expected ?? "ok"}`, () => assert.equal(endpointProblem(endpoint), expected));

  test("loopback http only when the caller allows it (tests), never https to an address", () => {
    assert.equal(endpointProblem("http://127.0.0.1:9/x", { allowLoopbackHttp: true }), null);
    assert.equal(endpointProblem("http://127.0.0.1:9/x"), "invalid_url");
    assert.equal(endpointProblem("http://10.0.0.1/x", { allowLoopbackHttp: true }), "invalid_url");
  });

  test("keys: p256dh a P-256 point of 65 bytes, auth 16 bytes, base64url (padding tolerated)", () => {
    const good = browserKeys().keys;
    assert.deepEqual(keyProblems(good), {});
    assert.deepEqual(keyProblems({ p256dh: `${good.p256dh}=`, auth: `${good.auth}==` }), {});
    const offCurve = Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 1)]).toString("base64url");
    const compressed = crypto.createECDH("prime256v1");
    compressed.generateKeys();
    const table: [{ p256dh: string; auth: string }, string[]][] = [
      [{ p256dh: offCurve, auth: good.auth }, ["keys.p256dh"]],
      [{ p256dh: compressed.getPublicKey("base64url", "compressed"), auth: good.auth }, ["keys.p256dh"]],
      [{ p256dh: good.p256dh.slice(0, 40), auth: good.auth }, ["keys.p256dh"]],
      [{ p256dh: good.p256dh.replace(/./, "+"), auth: good.auth }, ["keys.p256dh"]],
      [{ p256dh: good.p256dh, auth: crypto.randomBytes(15).toString("base64url") }, ["keys.auth"]],
      [{ p256dh: good.p256dh, auth: crypto.randomBytes(32).toString("base64url") }, ["keys.auth"]],
      [{ p256dh: "", auth: "!" }, ["keys.auth", "keys.p256dh"]],
    ];
    for (const [keys, fields] of table) assert.deepEqual(Object.keys(keyProblems(keys)).sort(), fields, JSON.stringify(keys));
  });

  test("device labels: browser family and system only", () => {
    const table: [string | null, string | null][] = [
      ["Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36", "Chrome · Linux"],
      ["Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0", "Firefox · Android"],
      ["Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1", "Safari · iOS"],
      ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0", "Edge · Windows"],
      ["Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15", "Safari · macOS"],
      ["curl/8.0", null],
      [null, null],
    ];
    for (const [ua, label] of table) assert.equal(deviceLabel(ua), label, String(ua));
  });

  test("addPushSubscription refuses bad input with field codes", async () => {
    const t = await createTestDb();
    try {
      await t.db.user.create({ data: { id: "u1", email: "push-v@x.test", displayName: "v", passwordHash: "x", role: "member" } });
      await assert.rejects(
        addPushSubscription(t.db, "u1", { endpoint: "http://push.example.com/x", keys: { p256dh: "x", auth: "y" } }),
        (e) => isAppError(e) && e.code === "validation" && JSON.stringify(e.fields) === JSON.stringify({ endpoint: "invalid_url", "keys.p256dh": "invalid", "keys.auth": "invalid" }),
      );
      assert.equal(await t.db.pushSubscription.count(), 0);
    } finally {
      await t.cleanup();
    }
  });
});
