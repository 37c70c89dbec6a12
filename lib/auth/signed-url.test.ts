// Signed URLs against a real migrated SQLite and the real secrets file: valid, expired, tampered, another camera,
// another path outside the prefix, another method, a disabled member, scopes within the role.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { canSeeCamera } from "../cameras/access";
import { createTestDb, type TestDb } from "../testing/db";
import { errorCode } from "../testing/errors";
import { resetSecretsForTests } from "../secrets";
import { resetEnvForTests } from "../env";
import { createSignedUrl, SIGNED_URL_MAX_SECONDS, signedQueryOf, verifySignedRequest } from "./signed-url";
import { viewerOfUser, type Viewer } from "./viewer";

const now = new Date("2026-06-01T12:00:00Z");
const at = (ms: number) => new Date(now.getTime() + ms);
const ORIGIN = "http://nvr.local:3000";

describe("signed URLs", () => {
  let t: TestDb;
  let member: Viewer;
  let viewerRole: Viewer;
  before(async () => {
    t = await createTestDb();
    for (const [id, role] of [["m", "member"], ["v", "viewer"]] as const) await t.db.user.create({ data: { id, email: `${id}@example.com`, passwordHash: "x", role } });
    for (const id of ["cam-a", "cam-b"]) await t.db.camera.create({ data: { id, name: id, mainStreamUrl: `rtsp://192.0.2.1/${id}` } });
    await t.db.cameraAccess.createMany({ data: [{ cameraId: "cam-a", userId: "m" }, { cameraId: "cam-b", userId: "m" }] });
    const row = (id: string) => t.db.user.findUniqueOrThrow({ where: { id } });
    member = viewerOfUser({ ...(await row("m")), role: "member" });
    viewerRole = viewerOfUser({ ...(await row("v")), role: "viewer" });
  });
  after(() => t.cleanup());

  const sign = (path = "/api/v1/cameras/cam-a/live/main/index.m3u8", over: Partial<Parameters<typeof createSignedUrl>[0]> = {}) => createSignedUrl({ viewer: member, cameraId: "cam-a", path, now, ...over });
  const verify = (url: string, when = now, method = "GET") => verifySignedRequest(t.db, { method, url: ORIGIN + url }, when);

  test("a signed URL opens GET and HEAD under its camera's prefix, as the member limited to that camera", async () => {
    const { url, expiresAt } = sign();
    assert.match(url, /^\/api\/v1\/cameras\/cam-a\/live\/main\/index\.m3u8\?exp=\d+&uid=m&sig=[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(expiresAt, at(5 * 60_000), "5 minutes by default");
    const v = await verify(url);
    assert.equal(v?.id, "m");
    assert.deepEqual(v?.token, { id: "signed-url", name: "", scopes: ["live:watch", "events:read"], cameraIds: ["cam-a"], isSignedUrl: true });
    assert.ok(await verify(url, now, "HEAD"));
    assert.equal(await canSeeCamera(t.db, v!, "cam-a"), true);
    assert.equal(await canSeeCamera(t.db, v!, "cam-b"), false, "limited to the signed camera");
    // A segment the playlist names relatively carries the same query (signedQueryOf) and is under the prefix.
    const query = signedQueryOf({ url: ORIGIN + url });
    assert.ok(query);
    assert.ok(await verify(`/api/v1/cameras/cam-a/live/main/run1/seg-7.m4s?${query}`));
    assert.ok(await verify(`/api/v1/cameras/cam-a/snapshot?${query}`));
  });

  test("refused: expired, tampered, another camera's prefix, outside the API, another method", async () => {
    const { url } = sign();
    const query = signedQueryOf({ url: ORIGIN + url })!;
    const params = new URLSearchParams(query);
    assert.equal(await verify(url, at(5 * 60_000)), null, "expired at exp");
    assert.ok(await verify(url, at(5 * 60_000 - 1000)));
    const tampered = (k: string, v: string) => { const p = new URLSearchParams(params); p.set(k, v); return p.toString(); };
    const sig = params.get("sig")!;
    assert.equal(await verify(`/api/v1/cameras/cam-a/live/main/index.m3u8?${tampered("sig", (sig[0] === "A" ? "B" : "A") + sig.slice(1))}`), null, "signature changed");
    assert.equal(await verify(`/api/v1/cameras/cam-a/live/main/index.m3u8?${tampered("exp", String(Number(params.get("exp")) + 60))}`), null, "expiry moved");
    assert.equal(await verify(`/api/v1/cameras/cam-a/live/main/index.m3u8?${tampered("uid", "v")}`), null, "another member");
    assert.equal(await verify(`/api/v1/cameras/cam-b/live/main/index.m3u8?${query}`), null, "another camera");
    assert.equal(await verify(`/api/v1/events?${query}`), null, "outside a camera prefix");
    assert.equal(await verify(`/api/cameras/cam-a/live/main/index.m3u8?${query}`), null, "the app's own routes");
    assert.equal(await verify(url, now, "POST"), null);
    assert.equal(await verify(url, now, "DELETE"), null);
    assert.equal(await verify("/api/v1/cameras/cam-a/snapshot"), null, "no signature");
    // A key from another session secret does not verify.
    process.env.SESSION_SECRET = "another-secret-that-is-long-enough-0123456789";
    resetEnvForTests();
    resetSecretsForTests();
    try {
      assert.equal(await verify(url), null);
    } finally {
      delete process.env.SESSION_SECRET;
      resetEnvForTests();
      resetSecretsForTests();
    }
    assert.ok(await verify(url), "the original key again");
  });

  test("lifetime: at most 15 minutes; paths only under the camera's prefix", async () => {
    assert.deepEqual(sign(undefined, { ttlSeconds: SIGNED_URL_MAX_SECONDS }).expiresAt, at(15 * 60_000));
    assert.equal(await errorCode(Promise.resolve().then(() => sign(undefined, { ttlSeconds: SIGNED_URL_MAX_SECONDS + 1 }))), "validation");
    assert.equal(await errorCode(Promise.resolve().then(() => sign(undefined, { ttlSeconds: 0 }))), "validation");
    for (const path of ["/api/v1/cameras/cam-b/snapshot", "/api/events", "/api/v1/cameras/cam-a/../cam-b/snapshot", "/api/v1/cameras/cam-a/snapshot?x=1", "api/v1/cameras/cam-a/snapshot"]) {
      assert.equal(await errorCode(Promise.resolve().then(() => sign(path))), "validation", path);
    }
    // An expiry further ahead than the longest lifetime was not made by createSignedUrl.
    const far = createSignedUrl({ viewer: member, cameraId: "cam-a", path: "/api/v1/cameras/cam-a/snapshot", now: at(60 * 60_000) });
    assert.equal(await verify(far.url, now), null);
  });

  test("a token limited to other cameras cannot sign for this one", async () => {
    const limited: Viewer = { ...member, token: { id: "t", name: "HA", scopes: ["live:watch"], cameraIds: ["cam-b"] } };
    assert.equal(await errorCode(Promise.resolve().then(() => createSignedUrl({ viewer: limited, cameraId: "cam-a", path: "/api/v1/cameras/cam-a/snapshot", now }))), "forbidden");
  });

  test("the member must still be enabled; withdrawn camera access closes the camera", async () => {
    const { url } = sign();
    await t.db.cameraAccess.deleteMany({ where: { userId: "m", cameraId: "cam-a" } });
    const v = await verify(url);
    assert.ok(v);
    assert.equal(await canSeeCamera(t.db, v, "cam-a"), false);
    await t.db.cameraAccess.create({ data: { userId: "m", cameraId: "cam-a" } });
    await t.db.user.update({ where: { id: "m" }, data: { isDisabled: true } });
    assert.equal(await verify(url), null);
    await t.db.user.update({ where: { id: "m" }, data: { isDisabled: false } });
    await t.db.user.update({ where: { id: "v" }, data: { role: "viewer" } });
    const vv = await verify(createSignedUrl({ viewer: viewerRole, cameraId: "cam-a", path: "/api/v1/cameras/cam-a/snapshot", now }).url);
    assert.deepEqual(vv?.token?.scopes, ["live:watch", "events:read"], "within what a viewer's role allows");
  });

  test("signedQueryOf: the three parameters, or null", () => {
    assert.equal(signedQueryOf({ url: `${ORIGIN}/x?exp=1&uid=u&sig=s&other=1` }), "exp=1&uid=u&sig=s");
    assert.equal(signedQueryOf({ url: `${ORIGIN}/x?exp=1&uid=u` }), null);
    assert.equal(signedQueryOf({ url: "/x?sig=s&exp=2&uid=u%20v" }), "exp=2&uid=u+v&sig=s", "always exp, uid, sig");
  });
});
