import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { fakeClock } from "../clock";
import { buildEnvelope, parseEnvelope } from "./soap";
import { MAX_CLOCK_SKEW_MS, NonceCache, computePasswordDigest, createUsernameToken, formatCreated, readUsernameToken, verifyUsernameToken, type UsernameToken } from "./security";

describe("computePasswordDigest", () => {
  // Expected values computed independently:
  //   (echo <nonce b64> | base64 -d; printf '%s' "<created>" "<password>") | openssl sha1 -binary | base64
  // The first row is the worked example of the ONVIF Application Programmer's Guide.
  const cases: { nonceBase64: string; created: string; password: string; digest: string }[] = [
    { nonceBase64: "LKqI6G/AikKCQrN0zqZFlg==", created: "2010-09-16T07:50:45Z", password: "userpassword", digest: "tuOSpGlFlIXsozq4HFNeeGeFLEI=" },
    { nonceBase64: Buffer.from([...Array(16).keys()]).toString("base64"), created: "2026-03-01T12:00:00Z", password: "pässwörd&<", digest: "DfK5Q80E7q5Oqnas03viSReuM0E=" },
  ];
  for (const c of cases) {
    test(`${c.created} / ${c.password}`, () => {
      assert.equal(computePasswordDigest(Buffer.from(c.nonceBase64, "base64"), c.created, c.password), c.digest);
    });
  }
});

describe("createUsernameToken", () => {
  test("injectable nonce and clock give an exact token; Created has whole seconds", () => {
    const t = createUsernameToken({ username: "admin", password: "userpassword", nonce: Buffer.from("LKqI6G/AikKCQrN0zqZFlg==", "base64"), clock: fakeClock("2010-09-16T07:50:45.678Z") });
    assert.deepEqual(t, { username: "admin", nonceBase64: "LKqI6G/AikKCQrN0zqZFlg==", created: "2010-09-16T07:50:45Z", passwordDigest: "tuOSpGlFlIXsozq4HFNeeGeFLEI=" });
  });

  test("clockOffsetMs moves Created onto the camera's clock", () => {
    const t = createUsernameToken({ username: "a", password: "p", clock: fakeClock("2026-01-01T00:00:00Z"), clockOffsetMs: -3_600_000 });
    assert.equal(t.created, "2025-12-31T23:00:00Z");
  });

  test("fresh nonces differ", () => {
    const a = createUsernameToken({ username: "a", password: "p" });
    const b = createUsernameToken({ username: "a", password: "p" });
    assert.notEqual(a.nonceBase64, b.nonceBase64);
    assert.equal(Buffer.from(a.nonceBase64, "base64").length, 16);
  });

  test("the header survives an envelope round trip (special characters escaped)", () => {
    const token = createUsernameToken({ username: `ad<m>"in&`, password: "p" });
    const msg = parseEnvelope(buildEnvelope({ body: "<tds:GetDeviceInformation/>", security: token }));
    assert.deepEqual(readUsernameToken(msg.header), token);
  });

  test("a PasswordText token is not read as a digest token", () => {
    const xml = buildEnvelope({ body: "<x/>", header: `<wsse:Security><wsse:UsernameToken><wsse:Username>a</wsse:Username><wsse:Password>secret</wsse:Password><wsse:Nonce>AAAAAAAAAAA=</wsse:Nonce><wsu:Created>2026-01-01T00:00:00Z</wsu:Created></wsse:UsernameToken></wsse:Security>` });
    assert.equal(readUsernameToken(parseEnvelope(xml).header), null);
    assert.equal(readUsernameToken(undefined), null);
  });
});

describe("verifyUsernameToken", () => {
  const now = new Date("2026-03-01T12:00:00Z");
  const at = (ms: number) => fakeClock(now.getTime() + ms);
  const token = (over: Partial<UsernameToken> = {}, ms = 0, password = "secret"): UsernameToken => ({ ...createUsernameToken({ username: "admin", password, clock: at(ms) }), ...over });

  const cases: { name: string; token: UsernameToken | null; reason: string }[] = [
    { name: "valid", token: token(), reason: "ok" },
    { name: "4:59 early is fine", token: token({}, -MAX_CLOCK_SKEW_MS + 1000), reason: "ok" },
    { name: "4:59 ahead is fine", token: token({}, MAX_CLOCK_SKEW_MS - 1000), reason: "ok" },
    { name: "missing", token: null, reason: "missing" },
    { name: "other user", token: token({ username: "root" }), reason: "unknown_user" },
    { name: "wrong password", token: token({}, 0, "wrong"), reason: "bad_digest" },
    { name: "tampered Created", token: { ...token(), created: "2026-03-01T12:00:01Z" }, reason: "bad_digest" },
    { name: "digest not base64 of 20 bytes", token: token({ passwordDigest: "abc" }), reason: "bad_digest" },
    { name: "6 min old", token: token({}, -6 * 60_000), reason: "stale" },
    { name: "6 min in the future", token: token({}, 6 * 60_000), reason: "stale" },
    { name: "Created not a timestamp", token: token({ created: "yesterday" }), reason: "malformed" },
    { name: "nonce too short", token: token({ nonceBase64: "AAAA" }), reason: "malformed" },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const v = verifyUsernameToken(c.token, { username: "admin", password: "secret", now, nonces: new NonceCache() });
      assert.equal(v.ok ? "ok" : v.reason, c.reason);
    });
  }

  test("a replayed token is refused; after the skew window its nonce is forgotten", () => {
    const nonces = new NonceCache();
    const t = token();
    const check = (when: Date) => verifyUsernameToken(t, { username: "admin", password: "secret", now: when, nonces });
    assert.deepEqual(check(now), { ok: true });
    assert.deepEqual(check(now), { ok: false, reason: "replay" });
    assert.equal(nonces.size, 1);
    // Past Created + skew the token is stale anyway, and another token's check prunes the old nonce.
    assert.deepEqual(check(new Date(now.getTime() + MAX_CLOCK_SKEW_MS + 1)), { ok: false, reason: "stale" });
    verifyUsernameToken(createUsernameToken({ username: "admin", password: "secret", clock: at(MAX_CLOCK_SKEW_MS + 1) }), { username: "admin", password: "secret", now: new Date(now.getTime() + MAX_CLOCK_SKEW_MS + 1), nonces });
    assert.equal(nonces.size, 1);
  });

  test("a full nonce cache refuses rather than forgets", () => {
    const nonces = new NonceCache(2);
    const check = () => verifyUsernameToken(token(), { username: "admin", password: "secret", now, nonces });
    assert.equal(check().ok, true);
    assert.equal(check().ok, true);
    assert.deepEqual(check(), { ok: false, reason: "replay" });
  });

  test("formatCreated drops milliseconds", () => {
    assert.equal(formatCreated(new Date("2026-01-02T03:04:05.999Z")), "2026-01-02T03:04:05Z");
  });
});
