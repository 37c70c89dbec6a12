// The per-request session check: version, disabled, deleted, fixed lifetime.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestDb, type TestDb } from "../testing/db";
import { purgeRevokedSessions, resolveViewer, revokeSession } from "./viewer";

describe("resolveViewer", () => {
  let t: TestDb;
  const now = new Date("2026-06-01T00:00:00Z");
  const day = 86_400_000;
  before(async () => {
    t = await createTestDb();
    await t.db.user.create({ data: { id: "u", email: "u@example.com", passwordHash: "x", role: "member", sessionVersion: 3, locale: "sv" } });
  });
  after(() => t.cleanup());

  const claims = (over: object = {}) => ({ uid: "u", sv: 3, authAt: now.getTime() - day, sid: "s1", ...over });

  test("a current session resolves to the member", async () => {
    const v = await resolveViewer(t.db, claims(), now, 30 * 86_400);
    assert.equal(v?.id, "u");
    assert.equal(v?.role, "member");
    assert.equal(v?.locale, "sv");
  });

  test("rejects malformed claims", async () => {
    for (const c of [null, {}, { uid: "u" }, { uid: 1, sv: 3, authAt: 0 }, "string"]) assert.equal(await resolveViewer(t.db, c, now, 30 * 86_400), null);
  });

  test("an older session version (sign out everywhere) is rejected", async () => {
    assert.equal(await resolveViewer(t.db, claims({ sv: 2 }), now, 30 * 86_400), null);
  });

  test("the lifetime is fixed from sign-in", async () => {
    assert.ok(await resolveViewer(t.db, claims({ authAt: now.getTime() - 29 * day }), now, 30 * 86_400));
    assert.equal(await resolveViewer(t.db, claims({ authAt: now.getTime() - 31 * day }), now, 30 * 86_400), null);
    assert.equal(await resolveViewer(t.db, claims({ authAt: now.getTime() + day }), now, 30 * 86_400), null, "from the future");
  });

  test("disabled or deleted members are rejected on their next request", async () => {
    await t.db.user.update({ where: { id: "u" }, data: { isDisabled: true } });
    assert.equal(await resolveViewer(t.db, claims(), now, 30 * 86_400), null);
    await t.db.user.delete({ where: { id: "u" } });
    assert.equal(await resolveViewer(t.db, claims(), now, 30 * 86_400), null);
  });

  test("a signed-out session (its sid revoked) is rejected; other sessions of the member are not", async () => {
    await t.db.user.create({ data: { id: "w", email: "w@example.com", passwordHash: "x", role: "viewer", sessionVersion: 1 } });
    const claims = (over: object = {}) => ({ uid: "w", sv: 1, authAt: now.getTime() - day, sid: "s2", ...over });
    const mine = claims({ sid: "signed-out" });
    assert.ok(await resolveViewer(t.db, mine, now, 30 * 86_400));
    assert.equal(await revokeSession(t.db, mine, 30 * 86_400), true);
    assert.equal(await revokeSession(t.db, mine, 30 * 86_400), true, "twice is harmless");
    assert.equal(await resolveViewer(t.db, mine, now, 30 * 86_400), null, "the replayed cookie");
    assert.ok(await resolveViewer(t.db, claims({ sid: "other-browser" }), now, 30 * 86_400));
    assert.equal(await resolveViewer(t.db, claims({ sid: undefined }), now, 30 * 86_400), null, "a cookie without a session id");
    assert.equal(await purgeRevokedSessions(t.db, new Date(now.getTime() + 28 * day)), 0, "kept while the cookie could still be valid");
    assert.equal(await purgeRevokedSessions(t.db, new Date(now.getTime() + 30 * day)), 1);
  });
});
