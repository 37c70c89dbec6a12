// Personal access tokens against a real migrated SQLite: format and hash, scopes within the role (at creation and
// at use), camera limit (at creation, and through lib/cameras/access.ts and lib/events at use), expiry, revocation,
// disabled and deleted members, last-use writes at most once a minute.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { canSeeCamera, listGrantedCameras, listVisibleCameras, requireCameraAccess, seesAllCameras, visibleCameraIds } from "../cameras/access";
import { listEvents, requireEventAccess } from "../events/events";
import { updateMember } from "../household/members";
import { hashToken } from "../ids";
import { createTestDb, type TestDb } from "../testing/db";
import { errorCode } from "../testing/errors";
import { seedEvents } from "../testing/seed-events";
import { authenticateBearer, bearerTokenOf, createApiToken, LAST_USE_WRITE_MS, listApiTokens, listHouseholdTokens, MAX_TOKEN_DAYS, PREFIX_CHARS, revokeApiToken, TOKEN_PATTERN } from "./api-tokens";
import type { Viewer } from "./viewer";

const now = new Date("2026-06-01T12:00:00Z");
const DAY = 86_400_000;
const at = (ms: number) => new Date(now.getTime() + ms);

describe("personal access tokens", () => {
  let t: TestDb;
  const admin = { id: "admin", role: "admin" as const };
  const member = { id: "member", role: "member" as const };
  const viewer = { id: "viewer", role: "viewer" as const };

  before(async () => {
    t = await createTestDb();
    await t.db.user.create({ data: { id: "owner", email: "owner@example.com", passwordHash: "x", role: "admin", isOwner: true } });
    for (const u of [admin, member, viewer]) await t.db.user.create({ data: { id: u.id, email: `${u.id}@example.com`, passwordHash: "x", role: u.role } });
    for (const id of ["cam-a", "cam-b", "cam-c"]) await t.db.camera.create({ data: { id, name: `Camera ${id}`, mainStreamUrl: `rtsp://192.0.2.1/${id}` } });
    await t.db.cameraAccess.createMany({ data: [{ cameraId: "cam-a", userId: "member" }, { cameraId: "cam-b", userId: "member" }, { cameraId: "cam-a", userId: "viewer" }] });
    seedEvents(t.file, [
      { id: "ev-a", cameraId: "cam-a", startedAt: at(-3 * 3_600_000), endedAt: at(-3 * 3_600_000 + 60_000), clips: 1 },
      { id: "ev-b", cameraId: "cam-b", startedAt: at(-2 * 3_600_000), endedAt: at(-2 * 3_600_000 + 60_000), clips: 1 },
      { id: "ev-c", cameraId: "cam-c", startedAt: at(-3_600_000), endedAt: at(-3_600_000 + 60_000), clips: 1 },
      { id: "ev-gone", cameraId: null, cameraName: "Old", startedAt: at(-4 * 3_600_000), endedAt: at(-4 * 3_600_000 + 60_000), clips: 1 },
    ]);
  });
  after(() => t.cleanup());

  const create = (who: { id: string; role: "admin" | "member" | "viewer" }, input: Partial<Parameters<typeof createApiToken>[2]> = {}, visible: "all" | string[] = "all") =>
    createApiToken(t.db, who, { name: "Home Assistant", scopes: ["events:read"], ...input }, { now, visibleCameraIds: visible });
  const auth = (token: string, when = now, address: string | null = "192.0.2.7") => authenticateBearer(t.db, `Bearer ${token}`, when, address);

  test("a token is nj_ + 43 base64url characters, stored only as its SHA-256 with a 10-character prefix", async () => {
    const { token, item } = await create(member);
    assert.match(token, TOKEN_PATTERN);
    assert.equal(token.length, 46);
    const row = await t.db.apiToken.findUniqueOrThrow({ where: { id: item.id } });
    assert.equal(row.hash, hashToken(token));
    assert.match(row.hash, /^[0-9a-f]{64}$/);
    assert.equal(row.prefix, token.slice(0, PREFIX_CHARS));
    assert.equal(item.prefix.length, 10);
    assert.ok(!JSON.stringify(row).includes(token.slice(PREFIX_CHARS)), "the token itself is nowhere in the row");
    assert.ok(!("hash" in (await listApiTokens(t.db, "member", now))[0]), "lists never carry the hash");
    const second = await create(member);
    assert.notEqual(second.token, token);
  });

  test("the Authorization header must be a well-formed bearer token", () => {
    const token = `nj_${"A".repeat(43)}`;
    assert.equal(bearerTokenOf(`Bearer ${token}`), token);
    assert.equal(bearerTokenOf(`bearer ${token}`), token);
    for (const bad of [null, "", token, `Basic ${token}`, `Bearer ${token}x`, `Bearer nj_${"A".repeat(42)}`, `Bearer ${token} extra`, `Bearer ${token.replace("nj_", "xx_")}`, `Bearer nj_${"A".repeat(42)}=`]) assert.equal(bearerTokenOf(bad), null, String(bad));
  });

  test("a valid token authenticates as its member with its scopes and camera limit, and malformed or unknown ones do not", async () => {
    const { token, item } = await create(member, { scopes: ["events:read", "live:watch"], cameraIds: ["cam-a"] }, ["cam-a", "cam-b"]);
    const v = await auth(token);
    assert.equal(v?.id, "member");
    assert.equal(v?.role, "member");
    assert.deepEqual(v?.token, { id: item.id, name: "Home Assistant", scopes: ["events:read", "live:watch"], cameraIds: ["cam-a"] });
    assert.equal(await auth(`nj_${"B".repeat(43)}`), null, "unknown");
    assert.equal(await authenticateBearer(t.db, `Basic ${token}`, now, null), null);
    assert.equal(await authenticateBearer(t.db, null, now, null), null);
    assert.equal(await auth(token.slice(0, -1) + (token.endsWith("A") ? "B" : "A")), null, "one character changed");
  });

  test("scopes: never more than the role allows, at creation and at use", async () => {
    assert.equal(await errorCode(create(viewer, { scopes: ["cameras:control"] })), "validation");
    assert.equal(await errorCode(create(viewer, { scopes: ["ptz:control"] })), "validation", "viewers never steer");
    assert.equal(await errorCode(create(member, { scopes: ["ptz:control"] })), "ok");
    assert.equal(await errorCode(create(member, { scopes: ["household:manage"] })), "validation");
    assert.equal(await errorCode(create(member, { scopes: [] })), "validation");
    assert.equal(await errorCode(create(member, { scopes: ["events:read", "nonsense"] })), "validation");
    assert.equal(await errorCode(create(admin, { scopes: ["events:read", "live:watch", "cameras:control", "ptz:control", "household:manage"] })), "ok");
    // An admin's token keeps working after a demotion, but only with what the new role allows.
    await t.db.user.create({ data: { id: "demoted", email: "demoted@example.com", passwordHash: "x", role: "admin" } });
    const { token } = await create({ id: "demoted", role: "admin" }, { scopes: ["events:read", "household:manage"] });
    assert.deepEqual((await auth(token))?.token?.scopes, ["events:read", "household:manage"]);
    await t.db.user.update({ where: { id: "demoted" }, data: { role: "member" } });
    assert.deepEqual((await auth(token))?.token?.scopes, ["events:read"]);
    await t.db.user.update({ where: { id: "demoted" }, data: { role: "admin" } });
    assert.deepEqual((await auth(token))?.token?.scopes, ["events:read", "household:manage"], "the stored scopes are unchanged");
  });

  test("names: 1 to 60 characters, trimmed", async () => {
    assert.equal(await errorCode(create(member, { name: "   " })), "validation");
    assert.equal(await errorCode(create(member, { name: "x".repeat(61) })), "validation");
    assert.equal((await create(member, { name: `  ${"x".repeat(60)}  ` })).item.name, "x".repeat(60));
  });

  test("cameras: only cameras the member sees may be named", async () => {
    assert.equal(await errorCode(create(member, { cameraIds: ["cam-c"] }, ["cam-a", "cam-b"])), "validation");
    assert.equal(await errorCode(create(admin, { cameraIds: ["no-such-camera"] }, "all")), "validation");
    const { item } = await create(member, { cameraIds: ["cam-a", "cam-a"] }, ["cam-a", "cam-b"]);
    assert.deepEqual(item.cameraIds, ["cam-a"]);
    assert.equal((await create(member, { cameraIds: [] }, ["cam-a"])).item.cameraIds, null, "an empty list means no limit");
  });

  test("expiry: in the future and at most 365 days ahead; an expired token is refused", async () => {
    assert.equal(await errorCode(create(member, { expiresAt: now })), "validation");
    assert.equal(await errorCode(create(member, { expiresAt: at(-1000) })), "validation");
    assert.equal(await errorCode(create(member, { expiresAt: at((MAX_TOKEN_DAYS + 1) * DAY) })), "validation");
    const { token, item } = await create(member, { expiresAt: at(30 * DAY) });
    assert.equal(item.status, "active");
    assert.ok(await auth(token, at(30 * DAY - 1)));
    assert.equal(await auth(token, at(30 * DAY)), null);
    assert.equal((await listApiTokens(t.db, "member", at(30 * DAY))).find((x) => x.id === item.id)?.status, "expired");
  });

  test("revoke: a member revokes their own tokens only; an admin any; revoked tokens are refused", async () => {
    const mine = await create(member);
    const theirs = await create(viewer);
    assert.equal(await errorCode(revokeApiToken(t.db, theirs.item.id, "member", now)), "not_found");
    assert.ok(await auth(theirs.token));
    const revoked = await revokeApiToken(t.db, mine.item.id, "member", now);
    assert.equal(revoked.status, "revoked");
    assert.equal(await auth(mine.token), null);
    const again = await revokeApiToken(t.db, mine.item.id, "member", at(1000));
    assert.deepEqual(again.revokedAt, now, "idempotent: the first revocation time stays");
    await revokeApiToken(t.db, theirs.item.id, null, now);
    assert.equal(await auth(theirs.token), null);
    assert.equal(await errorCode(revokeApiToken(t.db, "nope", null, now)), "not_found");
  });

  test("admins list every token of the household with its member; members only their own", async () => {
    const all = await listHouseholdTokens(t.db, now);
    assert.ok(all.some((x) => x.member.id === "viewer") && all.some((x) => x.member.id === "member"));
    assert.equal(all.find((x) => x.member.id === "viewer")?.member.email, "viewer@example.com");
    assert.ok(all.every((x) => !("hash" in x)));
    assert.ok((await listApiTokens(t.db, "viewer", now)).every((x) => all.some((y) => y.id === x.id && y.member.id === "viewer")));
    assert.equal((await listApiTokens(t.db, "member", now)).length, all.filter((x) => x.member.id === "member").length);
  });

  test("disabling a member revokes their tokens; a disabled member's token is refused anyway", async () => {
    await t.db.user.create({ data: { id: "d1", email: "d1@example.com", passwordHash: "x", role: "member" } });
    const a = await create({ id: "d1", role: "member" });
    await updateMember(t.db, "owner", "d1", { isDisabled: true });
    assert.ok((await t.db.apiToken.findUniqueOrThrow({ where: { id: a.item.id } })).revokedAt, "revoked by the disable");
    assert.equal(await auth(a.token), null);
    await updateMember(t.db, "owner", "d1", { isDisabled: false });
    assert.equal(await auth(a.token), null, "enabling again does not bring it back");
    const b = await create({ id: "d1", role: "member" });
    await t.db.user.update({ where: { id: "d1" }, data: { isDisabled: true } }); // disabled by another path
    assert.equal(await auth(b.token), null);
  });

  test("deleting a member deletes their tokens (cascade)", async () => {
    await t.db.user.create({ data: { id: "d2", email: "d2@example.com", passwordHash: "x", role: "member" } });
    const { token, item } = await create({ id: "d2", role: "member" });
    await t.db.user.delete({ where: { id: "d2" } });
    assert.equal(await t.db.apiToken.count({ where: { id: item.id } }), 0);
    assert.equal(await auth(token), null);
  });

  test("last use (time, address) is written at most once a minute", async () => {
    const { token, item } = await create(member);
    const row = () => t.db.apiToken.findUniqueOrThrow({ where: { id: item.id } });
    await auth(token, now, "192.0.2.1");
    assert.deepEqual([(await row()).lastUsedAt, (await row()).lastUsedAddress], [now, "192.0.2.1"]);
    await auth(token, at(LAST_USE_WRITE_MS - 1), "192.0.2.2");
    assert.deepEqual([(await row()).lastUsedAt, (await row()).lastUsedAddress], [now, "192.0.2.1"], "within the minute: not written");
    await auth(token, at(LAST_USE_WRITE_MS), "192.0.2.3");
    assert.deepEqual([(await row()).lastUsedAt, (await row()).lastUsedAddress], [at(LAST_USE_WRITE_MS), "192.0.2.3"]);
    const listed = (await listApiTokens(t.db, "member", now)).find((x) => x.id === item.id);
    assert.equal(listed?.lastUsedAddress, "192.0.2.3");
  });

  describe("the camera limit reaches every camera rule (lib/cameras/access.ts) through the Viewer", () => {
    const viewerOf = async (who: { id: string; role: "admin" | "member" | "viewer" }, cameraIds: string[] | null, visible: "all" | string[] = "all") => {
      const { token } = await create(who, { cameraIds }, visible);
      const v = await auth(token);
      assert.ok(v);
      return v as Viewer;
    };

    test("a member's token limited to one of their cameras sees only that one", async () => {
      const v = await viewerOf(member, ["cam-a"], ["cam-a", "cam-b"]);
      assert.equal(seesAllCameras(v), false);
      assert.deepEqual(await visibleCameraIds(t.db, v), ["cam-a"]);
      assert.deepEqual((await listVisibleCameras(t.db, v)).map((c) => c.id), ["cam-a"]);
      assert.deepEqual((await listGrantedCameras(t.db, v))?.map((c) => c.id), ["cam-a"]);
      assert.equal(await canSeeCamera(t.db, v, "cam-a"), true);
      assert.equal(await canSeeCamera(t.db, v, "cam-b"), false);
      assert.equal(await errorCode(requireCameraAccess(t.db, v, "cam-b")), "forbidden");
      // Through lib/events, which is handed the Viewer as its narrower `Who` type.
      assert.deepEqual((await listEvents(t.db, v, {})).events.map((e) => e.id), ["ev-a"]);
      assert.equal(await errorCode(requireEventAccess(t.db, v, "ev-b")), "forbidden");
      assert.equal(await errorCode(listEvents(t.db, v, { cameraIds: ["cam-b"] })), "forbidden");
    });

    test("an admin's limited token sees only those cameras (not all, not deleted cameras' events)", async () => {
      const v = await viewerOf(admin, ["cam-b", "cam-c"]);
      assert.equal(seesAllCameras(v), false);
      assert.deepEqual([...((await visibleCameraIds(t.db, v)) as string[])].sort(), ["cam-b", "cam-c"]);
      assert.deepEqual((await listVisibleCameras(t.db, v)).map((c) => c.id), ["cam-b", "cam-c"]);
      assert.equal(await canSeeCamera(t.db, v, "cam-a"), false);
      assert.equal(await canSeeCamera(t.db, v, null), false);
      assert.deepEqual((await listEvents(t.db, v, {})).events.map((e) => e.id), ["ev-c", "ev-b"]);
      assert.equal(await errorCode(requireEventAccess(t.db, v, "ev-gone")), "forbidden");
    });

    test("a limit never widens what the role sees: access withdrawn later closes the camera", async () => {
      const v = await viewerOf(viewer, ["cam-a"], ["cam-a"]);
      assert.deepEqual(await visibleCameraIds(t.db, v), ["cam-a"]);
      await t.db.cameraAccess.deleteMany({ where: { userId: "viewer", cameraId: "cam-a" } });
      assert.deepEqual(await visibleCameraIds(t.db, v), []);
      assert.equal(await canSeeCamera(t.db, v, "cam-a"), false);
      assert.deepEqual((await listEvents(t.db, v, {})).events, []);
      await t.db.cameraAccess.create({ data: { userId: "viewer", cameraId: "cam-a" } });
    });

    test("without a limit, a token sees what its member sees", async () => {
      const m = await viewerOf(member, null);
      assert.deepEqual([...((await visibleCameraIds(t.db, m)) as string[])].sort(), ["cam-a", "cam-b"]);
      const a = await viewerOf(admin, null);
      assert.equal(seesAllCameras(a), true);
      assert.equal(await visibleCameraIds(t.db, a), "all");
      assert.equal(await canSeeCamera(t.db, a, null), true);
    });

    test("an explicit cameraIds limit and a token's limit both apply", async () => {
      const v = await viewerOf(admin, ["cam-a", "cam-b"]);
      assert.deepEqual(await visibleCameraIds(t.db, { ...v, cameraIds: ["cam-b", "cam-c"] }), ["cam-b"]);
      assert.deepEqual(await visibleCameraIds(t.db, { id: "admin", role: "admin", cameraIds: ["cam-c"] }), ["cam-c"]);
    });
  });
});
