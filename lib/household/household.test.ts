// Setup, invites, members and the last-admin rule against a real SQLite database.
import assert from "node:assert/strict";
import { afterEach, after, before, beforeEach, describe, test } from "node:test";
import { fakeClock } from "../clock";
import { errorCode } from "../testing/errors";
import { createTestDb, type TestDb } from "../testing/db";
import { hashPassword } from "./password";
import { acceptInvite, createInvite, findUsableInvite, INVITE_LIFETIME_MS, listPendingInvites, purgeDeadInvites, revokeInvite } from "./invites";
import { createMember, removeMember, updateMember } from "./members";
import { isSetUp, setUpHousehold } from "./setup";


describe("first-run setup", () => {
  let t: TestDb;
  before(async () => (t = await createTestDb()));
  after(() => t.cleanup());

  test("refuses a weak password and creates nothing", async () => {
    assert.equal(await errorCode(setUpHousehold(t.db, { householdName: "Home", email: "o@example.com", password: "password123" })), "common_password");
    assert.equal(await t.db.user.count(), 0);
    assert.equal(await isSetUp(t.db), false);
  });

  test("five simultaneous submissions create exactly one owner", async () => {
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map((i) => errorCode(setUpHousehold(t.db, { householdName: "Home", email: `owner${i}@example.com`, password: "correct horse battery" }))),
    );
    assert.equal(results.filter((r) => r === "ok").length, 1, results.join(","));
    assert.equal(results.filter((r) => r === "already_set_up").length, 4);
    const users = await t.db.user.findMany();
    assert.equal(users.length, 1);
    assert.equal(users[0].role, "admin");
    assert.equal(users[0].isOwner, true);
    assert.equal(await isSetUp(t.db), true);
  });
});

describe("invites", () => {
  let t: TestDb;
  const clock = fakeClock("2026-05-01T10:00:00Z");
  before(async () => {
    t = await createTestDb();
    await t.db.user.create({ data: { id: "admin", email: "admin@example.com", passwordHash: await hashPassword("correct horse battery"), role: "admin", isOwner: true } });
  });
  after(() => t.cleanup());

  test("stores only the token's hash, works once, and gives the invite's role", async () => {
    const { token, invite } = await createInvite(t.db, "admin", { role: "viewer" }, clock);
    const row = await t.db.invite.findUniqueOrThrow({ where: { id: invite.id } });
    assert.notEqual(row.tokenHash, token);
    assert.equal(JSON.stringify(row).includes(token), false);
    assert.equal(invite.expiresAt.getTime() - clock.now().getTime(), INVITE_LIFETIME_MS);

    const user = await acceptInvite(t.db, { token, email: "vera@example.com", password: "correct horse battery" }, clock);
    assert.equal(user.role, "viewer");
    assert.equal(await errorCode(acceptInvite(t.db, { token, email: "vera2@example.com", password: "correct horse battery" }, clock)), "invite_invalid");
    assert.equal(await t.db.user.count({ where: { email: "vera2@example.com" } }), 0);
  });

  test("expires after 7 days", async () => {
    const { token } = await createInvite(t.db, "admin", { role: "member" }, clock);
    const later = fakeClock(clock.now().getTime() + INVITE_LIFETIME_MS + 1);
    assert.equal(await findUsableInvite(t.db, token, later), null);
    assert.equal(await errorCode(acceptInvite(t.db, { token, email: "late@example.com", password: "correct horse battery" }, later)), "invite_invalid");
  });

  test("a taken e-mail or a weak password does not use up the invite", async () => {
    const { token } = await createInvite(t.db, "admin", { role: "member" }, clock);
    assert.equal(await errorCode(acceptInvite(t.db, { token, email: "admin@example.com", password: "correct horse battery" }, clock)), "email_taken");
    assert.equal(await errorCode(acceptInvite(t.db, { token, email: "new@example.com", password: "1234567890" }, clock)), "common_password");
    assert.ok(await findUsableInvite(t.db, token, clock));
    assert.equal(await errorCode(acceptInvite(t.db, { token, email: "new@example.com", password: "correct horse battery" }, clock)), "ok");
  });

  test("an invite bound to an e-mail refuses another one", async () => {
    const { token } = await createInvite(t.db, "admin", { role: "member", email: "bound@example.com" }, clock);
    assert.equal(await errorCode(acceptInvite(t.db, { token, email: "other@example.com", password: "correct horse battery" }, clock)), "validation");
    assert.equal(await errorCode(acceptInvite(t.db, { token, email: "bound@example.com", password: "correct horse battery" }, clock)), "ok");
  });

  test("two simultaneous uses of one invite create one account", async () => {
    const { token } = await createInvite(t.db, "admin", { role: "member" }, clock);
    const results = await Promise.all([1, 2, 3].map((i) => errorCode(acceptInvite(t.db, { token, email: `race${i}@example.com`, password: "correct horse battery" }, clock))));
    assert.deepEqual(results.sort(), ["invite_invalid", "invite_invalid", "ok"]);
  });

  test("garbage tokens are simply unusable", async () => {
    for (const token of ["", "x", "../../etc/passwd", "a".repeat(500)]) assert.equal(await findUsableInvite(t.db, token, clock), null);
  });

  test("revoke, list and purge", async () => {
    const { invite } = await createInvite(t.db, "admin", { role: "member" }, clock);
    assert.ok((await listPendingInvites(t.db, clock)).some((i) => i.id === invite.id));
    await revokeInvite(t.db, invite.id);
    assert.equal(await errorCode(revokeInvite(t.db, invite.id)), "not_found");
    assert.equal((await listPendingInvites(t.db, clock)).some((i) => i.id === invite.id), false);
    const purged = await purgeDeadInvites(t.db, fakeClock(clock.now().getTime() + INVITE_LIFETIME_MS + 1));
    assert.ok(purged >= 1);
    assert.equal(await t.db.invite.count(), 0);
  });
});

describe("members and the last-admin rule", () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await createTestDb();
    await t.db.user.create({ data: { id: "owner", email: "owner@example.com", passwordHash: "x", role: "admin", isOwner: true } });
    await t.db.user.create({ data: { id: "m", email: "m@example.com", passwordHash: "x", role: "member" } });
  });
  afterEach(() => t.cleanup());

  test("the only admin cannot step down", async () => {
    assert.equal(await errorCode(updateMember(t.db, "owner", "owner", { role: "member" })), "last_admin");
    assert.equal((await t.db.user.findUniqueOrThrow({ where: { id: "owner" } })).role, "admin");
  });

  test("with a second admin, either may step down, but not both", async () => {
    await updateMember(t.db, "owner", "m", { role: "admin" });
    assert.equal(await errorCode(updateMember(t.db, "owner", "owner", { role: "viewer" })), "ok");
    assert.equal(await errorCode(updateMember(t.db, "m", "m", { role: "viewer" })), "last_admin");
  });

  test("the last enabled admin cannot be disabled; a disabled admin does not count", async () => {
    await updateMember(t.db, "owner", "m", { role: "admin" });
    await updateMember(t.db, "owner", "m", { isDisabled: true });
    assert.equal(await errorCode(updateMember(t.db, "owner", "owner", { role: "member" })), "last_admin");
    assert.equal(await errorCode(updateMember(t.db, "owner", "owner", { isDisabled: true })), "cannot_change_self");
  });

  test("disabling bumps the session version (ends sessions); enabling does not restore old sessions", async () => {
    const before = (await t.db.user.findUniqueOrThrow({ where: { id: "m" } })).sessionVersion;
    await updateMember(t.db, "owner", "m", { isDisabled: true });
    const disabled = await t.db.user.findUniqueOrThrow({ where: { id: "m" } });
    assert.equal(disabled.isDisabled, true);
    assert.equal(disabled.sessionVersion, before + 1);
    await updateMember(t.db, "owner", "m", { isDisabled: false });
    assert.equal((await t.db.user.findUniqueOrThrow({ where: { id: "m" } })).sessionVersion, before + 1);
  });

  test("only the owner changes the owner: another admin can neither demote nor disable them", async () => {
    await updateMember(t.db, "owner", "m", { role: "admin" });
    assert.equal(await errorCode(updateMember(t.db, "m", "owner", { role: "viewer" })), "owner_protected");
    assert.equal(await errorCode(updateMember(t.db, "m", "owner", { isDisabled: true })), "owner_protected");
    assert.equal(await errorCode(updateMember(t.db, "m", "owner", { role: "admin" })), "owner_protected", "no change to the owner at all");
    const owner = await t.db.user.findUniqueOrThrow({ where: { id: "owner" } });
    assert.deepEqual([owner.role, owner.isDisabled], ["admin", false]);
    assert.equal(await errorCode(updateMember(t.db, "owner", "owner", { role: "member" })), "ok", "the owner may step down while another admin remains");
  });

  test("remove: not the owner, not yourself, unknown is not_found", async () => {
    await updateMember(t.db, "owner", "m", { role: "admin" });
    assert.equal(await errorCode(removeMember(t.db, "m", "owner")), "owner_protected");
    assert.equal(await errorCode(removeMember(t.db, "m", "m")), "cannot_change_self");
    assert.equal(await errorCode(removeMember(t.db, "owner", "nope")), "not_found");
    assert.equal(await errorCode(removeMember(t.db, "owner", "m")), "ok");
    assert.equal(await t.db.user.count(), 1);
  });

  test("removing a member removes their invites", async () => {
    await updateMember(t.db, "owner", "m", { role: "admin" });
    await createInvite(t.db, "m", { role: "viewer" });
    await removeMember(t.db, "owner", "m");
    assert.equal(await t.db.invite.count(), 0);
  });

  test("create with a temporary password: must change it; duplicate e-mail refused", async () => {
    const member = await createMember(t.db, { email: "temp@example.com", role: "viewer", temporaryPassword: "temporary-pass-42" });
    assert.equal(member.mustChangePassword, true);
    assert.equal(await errorCode(createMember(t.db, { email: "temp@example.com", role: "viewer", temporaryPassword: "temporary-pass-42" })), "email_taken");
    assert.equal(await errorCode(createMember(t.db, { email: "weak@example.com", role: "viewer", temporaryPassword: "short" })), "weak_password");
  });
});
