// The activity log: sign-in records itself, a member reads their own records, admins the household's, keyset pages.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { hashPassword } from "../household/password";
import { signInWithPassword } from "../auth/sign-in";
import { createTestDb, type TestDb } from "../testing/db";
import { errorCode } from "../testing/errors";
import { en } from "../i18n/messages";
import { activityLabelKey, listActivity } from "./list";
import { ACTIVITY_ACTIONS, recordActivity, resetActivityDedupe } from "./record";

describe("activity log", () => {
  let t: TestDb;
  const admin = { id: "adm", role: "admin" as const };
  const member = { id: "mem", role: "member" as const };
  before(async () => {
    t = await createTestDb();
    resetActivityDedupe();
    await t.db.user.create({ data: { id: admin.id, email: "adm@x.test", displayName: "Ada Admin", passwordHash: "x", role: "admin" } });
    await t.db.user.create({ data: { id: member.id, email: "mem@x.test", passwordHash: await hashPassword("correct horse battery"), role: "member" } });
    await t.db.camera.create({ data: { id: "cam", name: "Porch", mainStreamUrl: "rtsp://192.0.2.1/m" } });
  });
  after(() => t.cleanup());

  test("a successful sign-in is recorded; a failed one is not", async () => {
    await assert.rejects(signInWithPassword(t.db, { login: "mem@x.test", password: "wrong password!!", address: null }));
    assert.equal(await t.db.activity.count(), 0);
    await signInWithPassword(t.db, { login: "mem@x.test", password: "correct horse battery", address: null });
    const rows = await t.db.activity.findMany();
    assert.deepEqual(rows.map((r) => [r.action, r.actorId]), [["auth.sign_in", member.id]]);
  });

  test("a member sees what they did and what was done about them, newest first, in keyset pages", async () => {
    await recordActivity(t.db, { action: "member.changed", actorId: admin.id, subjectId: member.id, data: { role: "member" } });
    await recordActivity(t.db, { action: "camera.changed", actorId: admin.id, cameraId: "cam" });
    for (let i = 0; i < 5; i++) await recordActivity(t.db, { action: "clip.download", actorId: member.id, cameraId: i === 0 ? "gone" : "cam", targetId: `clip${i}` });
    const first = await listActivity(t.db, member, { scope: "me", limit: 4 });
    assert.equal(first.items.length, 4);
    assert.ok(first.nextBefore);
    const second = await listActivity(t.db, member, { scope: "me", limit: 4, before: first.nextBefore });
    const all = [...first.items, ...second.items];
    assert.equal(second.nextBefore, null);
    assert.deepEqual(all.map((i) => i.action), ["clip.download", "clip.download", "clip.download", "clip.download", "clip.download", "member.changed", "auth.sign_in"]);
    assert.deepEqual(all.map((i) => i.id), [...all.map((i) => i.id)].sort((a, b) => b - a));
    const changed = all.find((i) => i.action === "member.changed")!;
    assert.deepEqual(changed.actor, { id: admin.id, name: "Ada Admin" });
    assert.deepEqual(changed.subject, { id: member.id, name: "mem@x.test" });
    assert.deepEqual(all[0].camera, { id: "cam", name: "Porch" });
    assert.deepEqual(all[4].camera, { id: "gone", name: null }, "a deleted camera keeps its id, without a name");
    assert.ok(!all.some((i) => i.action === "camera.changed"), "the admin's own action is not the member's");
  });

  test("the household log is for admins, with a filter by member", async () => {
    assert.equal(await errorCode(listActivity(t.db, member, { scope: "household" })), "forbidden");
    const everything = await listActivity(t.db, admin, { scope: "household" });
    assert.equal(everything.items.length, 8);
    const byAdmin = await listActivity(t.db, admin, { scope: "household", memberId: admin.id });
    assert.deepEqual(byAdmin.items.map((i) => i.action), ["camera.changed", "member.changed"]);
  });

  test("a program's action names its token (by the token's current name), a signed link, or nothing in the app", async () => {
    await t.db.apiToken.create({ data: { id: "tok1", userId: member.id, name: "Home Assistant", prefix: "nj_abcdefg", hash: "h1", scopes: '["events:read"]' } });
    await recordActivity(t.db, { action: "clip.download", actorId: member.id, targetId: "v1", data: { tokenId: "tok1" } });
    await recordActivity(t.db, { action: "clip.download", actorId: member.id, targetId: "v2", data: { tokenId: "tok-gone" } });
    await recordActivity(t.db, { action: "live.view", actorId: member.id, cameraId: "cam", data: { via: "signed_url" } });
    const page = await listActivity(t.db, member, { scope: "me", limit: 3 });
    assert.deepEqual(page.items.map((i) => i.via), [{ kind: "signed_url" }, { kind: "token", id: "tok-gone", name: null }, { kind: "token", id: "tok1", name: "Home Assistant" }]);
    await t.db.apiToken.update({ where: { id: "tok1" }, data: { name: "HA" } });
    const renamed = await listActivity(t.db, member, { scope: "me", limit: 3 });
    assert.deepEqual(renamed.items[2].via, { kind: "token", id: "tok1", name: "HA" });
    const inApp = await listActivity(t.db, member, { scope: "me", before: page.nextBefore, limit: 1 });
    assert.equal(inApp.items[0].via, null);
  });

  test("a mode record names the mode by its current name (null once deleted); other records name none", async () => {
    await recordActivity(t.db, { action: "mode.switch", actorId: member.id, targetId: "mode_away", data: { via: "ui", previousModeId: "mode_home" } });
    await recordActivity(t.db, { action: "mode.switch", actorId: member.id, targetId: "mode_gone", data: { via: "ui" } });
    await recordActivity(t.db, { action: "clip.download", actorId: member.id, targetId: "mode_away" });
    const page = await listActivity(t.db, member, { scope: "me", limit: 3 });
    assert.deepEqual(
      page.items.map((i) => i.mode),
      [null, { id: "mode_gone", key: null, name: null }, { id: "mode_away", key: "away", name: "Away" }],
    );
  });

  test("live views and clip plays are recorded once per window", async () => {
    resetActivityDedupe();
    const before = await t.db.activity.count();
    for (let i = 0; i < 5; i++) await recordActivity(t.db, { action: "live.view", actorId: member.id, cameraId: "cam" }, 1_000_000 + i * 1000);
    await recordActivity(t.db, { action: "live.view", actorId: member.id, cameraId: "cam" }, 1_000_000 + 11 * 60_000);
    assert.equal((await t.db.activity.count()) - before, 2);
  });

  test("every action has a label in the catalogue", () => {
    for (const action of ACTIVITY_ACTIONS) {
      const key = activityLabelKey(action).split(".");
      let node: unknown = en;
      for (const part of key) node = (node as Record<string, unknown>)[part];
      assert.equal(typeof node, "string", action);
    }
  });
});

describe("no record about an account that no longer exists", () => {
  let t: TestDb;
  before(async () => {
    t = await createTestDb();
    resetActivityDedupe();
    await t.db.user.create({ data: { id: "here", email: "here@x.test", passwordHash: "x", role: "admin" } });
  });
  after(() => t.cleanup());

  test("a request that finishes after its account was deleted writes nothing", async () => {
    await recordActivity(t.db, { action: "clip.download", actorId: "deleted-id" });
    await recordActivity(t.db, { action: "member.changed", actorId: "here", subjectId: "deleted-id" });
    assert.equal(await t.db.activity.count(), 0);
    const before = Date.now();
    await recordActivity(t.db, { action: "member.changed", actorId: "here", subjectId: "here", data: { role: "admin" } });
    const afterWrite = Date.now();
    await recordActivity(t.db, { action: "account.deleted", actorId: null });
    const rows = await t.db.activity.findMany({ orderBy: { id: "asc" } });
    assert.deepEqual(rows.map((r) => [r.action, r.actorId, r.subjectId, r.data]), [["member.changed", "here", "here", '{"role":"admin"}'], ["account.deleted", null, null, "{}"]]);
    assert.ok(rows[0].at.getTime() >= before && rows[0].at.getTime() <= afterWrite, "stamped when it was recorded");
  });
});
