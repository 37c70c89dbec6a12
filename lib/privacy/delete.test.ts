// Account deletion against a real SQLite file: afterwards a byte-level scan of the database file, its WAL and every
// file in the data folder finds no trace of the member's e-mail, names or id, and everyone else's data is intact.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { recordActivity, resetActivityDedupe } from "../activity/record";
import { hashPassword } from "../household/password";
import { recordFailure, ACCOUNT_POLICY, throttleKey } from "../auth/throttle";
import { resolveViewer } from "../auth/viewer";
import { authenticateBearer, createApiToken } from "../auth/api-tokens";
import { recordDiagnostic } from "../cameras/diagnostics";
import { newId } from "../ids";
import { createTestDb, type TestDb } from "../testing/db";
import { errorCode } from "../testing/errors";
import { deleteAccount, deleteOwnAccount, removeMemberAccount, scrubJsonText } from "./delete";
import { ERASE_MARKER, isErasePending, markErasePending } from "./erase";
import { resumePrivacyWork } from "./resume";
import { rowsReferring, scanForTraces } from "./trace-scan";

const PASSWORD = "correct horse battery";

async function seedHousehold(t: TestDb) {
  const hash = await hashPassword(PASSWORD);
  await t.db.household.create({ data: { id: 1, name: "Burrow" } });
  await t.db.user.create({ data: { id: newId(), email: "owner@x.test", displayName: "Olive Owner", passwordHash: hash, role: "admin", isOwner: true } });
  return hash;
}

describe("deleteAccount leaves nothing", () => {
  let t: TestDb;
  const member = { id: newId(), email: "zebra-unique-8731@x.test", displayName: "Quillon Marbleby", username: "quillonm" };
  let ownerId = "";
  let otherId = "";
  let cameraId = "";
  let exportId = "";
  /** A personal access token of the member (deleted with the account) and one of the other member's (kept). */
  const tokenName = "Zebra Token 6620";
  let memberToken = "";
  let otherToken = "";
  /** A push endpoint of the member's browser (a capability URL: it must go with the account). */
  const pushEndpoint = "https://push.example.test/wpush/v2/zebra-endpoint-4411";

  before(async () => {
    t = await createTestDb();
    resetActivityDedupe();
    const hash = await seedHousehold(t);
    ownerId = (await t.db.user.findFirstOrThrow({ where: { isOwner: true } })).id;
    otherId = newId();
    await t.db.user.create({ data: { id: otherId, email: "other-person@x.test", displayName: "Otto Other", passwordHash: hash, role: "member" } });
    // The member's name changed twice: the old values lived in rows that were rewritten (free space and WAL frames).
    await t.db.user.create({ data: { ...member, displayName: "Quillon Old-Name", passwordHash: hash, role: "member", locale: "nl", timeZone: "Europe/Amsterdam" } });
    await t.db.user.update({ where: { id: member.id }, data: { displayName: member.displayName } });

    cameraId = newId();
    await t.db.camera.create({ data: { id: cameraId, name: "Porch", mainStreamUrl: "rtsp://192.0.2.1/main" } });
    await t.db.cameraAccess.createMany({ data: [{ cameraId, userId: member.id }, { cameraId, userId: otherId }] });
    await recordDiagnostic(t.db, cameraId, "changed", { by: member.id, fields: ["name"] });
    await recordDiagnostic(t.db, cameraId, "changed", { by: ownerId, fields: ["retentionDays"] });

    // Activity: as actor, as subject, as target, and someone else's that stays.
    await recordActivity(t.db, { action: "auth.sign_in", actorId: member.id });
    await recordActivity(t.db, { action: "live.view", actorId: member.id, cameraId });
    await recordActivity(t.db, { action: "member.changed", actorId: ownerId, subjectId: member.id, data: { role: "member" } });
    await recordActivity(t.db, { action: "camera.changed", actorId: ownerId, cameraId, targetId: member.id });
    await recordActivity(t.db, { action: "settings.changed", actorId: ownerId, data: { grantedTo: [member.id, otherId] } });
    await recordActivity(t.db, { action: "auth.sign_in", actorId: otherId });

    // Invites: one the member created, one addressed to their e-mail (used), one of the owner's for someone else.
    const inviteBase = { role: "viewer", expiresAt: new Date(Date.now() + 86_400_000) };
    await t.db.invite.create({ data: { ...inviteBase, id: newId(), tokenHash: "a".repeat(64), createdById: member.id, email: "friend@x.test" } });
    await t.db.invite.create({ data: { ...inviteBase, id: newId(), tokenHash: "b".repeat(64), createdById: ownerId, email: member.email, usedAt: new Date() } });
    await t.db.invite.create({ data: { ...inviteBase, id: newId(), tokenHash: "c".repeat(64), createdById: ownerId, email: "someone@x.test" } });

    // Failed sign-ins for their e-mail and username, and for someone else's.
    const now = new Date();
    await recordFailure(t.db, [{ key: throttleKey("account", member.email), policy: ACCOUNT_POLICY }], now);
    await recordFailure(t.db, [{ key: throttleKey("account", member.username), policy: ACCOUNT_POLICY }], now);
    await recordFailure(t.db, [{ key: throttleKey("account", "other-person@x.test"), policy: ACCOUNT_POLICY }], now);

    // A ready export with a file that holds their data, and an unfinished temp file of a second one.
    exportId = newId();
    const running = newId();
    await t.db.exportJob.create({ data: { id: exportId, userId: member.id, status: "ready", file: `${exportId}.zip`, filters: JSON.stringify({ cameraIds: [cameraId] }) } });
    await t.db.exportJob.create({ data: { id: running, userId: member.id, status: "running" } });
    fs.mkdirSync(path.join(t.dataDir, "exports"), { recursive: true });
    fs.writeFileSync(path.join(t.dataDir, "exports", `${exportId}.zip`), `profile: ${member.email} ${member.displayName} ${member.id}`);
    fs.writeFileSync(path.join(t.dataDir, "exports", `${running}.zip.tmp`), `partial ${member.email}`);
    // The other member's export stays.
    const othersExport = newId();
    await t.db.exportJob.create({ data: { id: othersExport, userId: otherId, status: "ready", file: `${othersExport}.zip` } });
    fs.writeFileSync(path.join(t.dataDir, "exports", `${othersExport}.zip`), "other's export");

    // API tokens, one used once (last use and address written), and an activity record naming it.
    const made = await createApiToken(t.db, { id: member.id, role: "member" }, { name: tokenName, scopes: ["events:read"] }, { now, visibleCameraIds: [cameraId] });
    memberToken = made.token;
    await authenticateBearer(t.db, `Bearer ${memberToken}`, now, "192.0.2.99");
    await recordActivity(t.db, { action: "live.view", actorId: member.id, cameraId, data: { tokenId: made.item.id } });
    otherToken = (await createApiToken(t.db, { id: otherId, role: "member" }, { name: "Other's script", scopes: ["events:read"] }, { now, visibleCameraIds: [cameraId] })).token;

    // Bulk so that the pages are realistic, and a heartbeat row.
    for (let i = 0; i < 200; i++) await recordActivity(t.db, { action: "clip.play", actorId: i % 2 ? member.id : otherId, targetId: `clip-${i}` });
    await t.db.workerHeartbeat.create({ data: { name: "scheduler", pid: 1, startedAt: now, beatAt: now, info: JSON.stringify({ lastExportBy: member.id }) } });

    // Notifications (issue 15): their settings, a notification with its delivery log, a push device; the other
    // member's notification; the mode switch they made in the Fact outbox; the SMTP server's answer naming them.
    await t.db.notificationPrefs.create({ data: { userId: member.id, prefs: JSON.stringify({ channels: { inApp: true, push: true, email: true }, emailPhoto: true }) } });
    const ntf = newId();
    await t.db.notification.create({ data: { id: ntf, userId: member.id, kind: "event", eventId: "ev-1", cameraId, data: JSON.stringify({ cameraName: "Porch" }) } });
    await t.db.notificationDelivery.createMany({ data: [
      { id: newId(), userId: member.id, notificationId: ntf, channel: "email", status: "failed", detail: `SMTP 550 <${member.email}> unknown` },
      { id: newId(), userId: member.id, notificationId: null, channel: "push", status: "sent" },
    ] });
    await t.db.pushSubscription.create({ data: { id: newId(), userId: member.id, endpoint: pushEndpoint, p256dh: "BPk", auth: "auth-secret-5521", label: "Firefox on Linux" } });
    await t.db.notification.create({ data: { id: newId(), userId: otherId, kind: "event", eventId: "ev-1", cameraId, data: JSON.stringify({ cameraName: "Porch" }) } });
    await t.db.fact.create({ data: { type: "mode.changed", data: JSON.stringify({ modeId: "mode_away", modeName: "Away", previousModeId: "mode_home", via: "ui", actorId: member.id }) } });
    await t.db.integrationStatus.create({ data: { id: "smtp", state: "error", detail: `550 5.1.1 <${member.email}>: Recipient address rejected` } });

    // Object detection (issue 13): an event with labels and boxes; the member marked one box wrong (a correction with
    // their id), the other member made a correction too.
    const eventId = newId();
    await t.db.event.create({ data: { id: eventId, cameraId, cameraName: "Porch", startedAt: now, endedAt: now, objectCount: 1 } });
    await t.db.eventLabel.create({ data: { eventId, label: "cat", score: 0.7, firstAt: now } });
    await t.db.detection.create({ data: { id: "det-1", eventId, at: now, label: "cat", score: 0.7, x1: 0.1, y1: 0.1, x2: 0.3, y2: 0.3, isWrong: true } });
    await t.db.detectionCorrection.create({ data: { id: "corr-member", cameraId, label: "cat", x1: 0.1, y1: 0.1, x2: 0.3, y2: 0.3, detectionId: "det-1", createdById: member.id } });
    await t.db.detectionCorrection.create({ data: { id: "corr-other", cameraId, label: "dog", x1: 0.5, y1: 0.5, x2: 0.6, y2: 0.6, createdById: otherId } });
    // Timelapse (issue 16): a span the member asked for (its video is the household's), and one the other member asked for.
    await t.db.timelapse.create({ data: { id: "tl-member", cameraId, cameraName: "Porch", kind: "range", fromAt: new Date(now.getTime() - 86_400_000), toAt: now, status: "queued", requestedById: member.id } });
    await t.db.timelapse.create({ data: { id: "tl-other", cameraId, cameraName: "Porch", kind: "range", fromAt: new Date(now.getTime() - 86_400_000), toAt: now, status: "queued", requestedById: otherId } });
    // The review queue (issue 18): the member marked the event reviewed and has a "reviewed up to" time; so has the other member.
    await t.db.eventReview.createMany({ data: [{ userId: member.id, eventId }, { userId: otherId, eventId }] });
    await t.db.user.updateMany({ where: { id: { in: [member.id, otherId] } }, data: { reviewedUpTo: new Date(now.getTime() - 3_600_000) } });
  });
  after(() => t.cleanup());

  test("the traces exist before (the scan can find them)", async () => {
    await t.db.$queryRawUnsafe("PRAGMA wal_checkpoint(PASSIVE)");
    const hits = scanForTraces(t.dataDir, [member.email, member.displayName, member.id]);
    for (const needle of [member.email, member.displayName, member.id]) assert.ok(hits.some((h) => h.needle === needle && h.file === "nightjar.db"), `${needle} in the database file`);
    assert.equal((await rowsReferring(t.db, member.id))["EventReview.userId"], 1, "their review mark is there to be deleted");
  });

  test("deletes the account, its activity, invites, throttles, access, exports and traces in JSON", async () => {
    const result = await deleteAccount(t.db, t.dataDir, member.id, { recordSelfDeletion: true });
    assert.equal(result.invites, 2);
    assert.equal(result.throttles, 2);
    assert.equal(result.exportFiles, 2);
    assert.ok(result.activity >= 104, String(result.activity));
    assert.equal(result.correctionsKept, 1);
    assert.deepEqual(await rowsReferring(t.db, member.id), {}, "no column of any table points at the account");
    assert.equal(await t.db.user.count({ where: { id: member.id } }), 0);
    assert.equal(await t.db.cameraAccess.count({ where: { userId: member.id } }), 0);
    assert.equal(await t.db.exportJob.count({ where: { userId: member.id } }), 0);
    assert.equal(await t.db.apiToken.count({ where: { userId: member.id } }), 0, "their API tokens went with the account");
    const notificationRows = await Promise.all([
      t.db.notificationPrefs.count({ where: { userId: member.id } }),
      t.db.notification.count({ where: { userId: member.id } }),
      t.db.notificationDelivery.count({ where: { userId: member.id } }),
      t.db.pushSubscription.count({ where: { userId: member.id } }),
    ]);
    assert.deepEqual(notificationRows, [0, 0, 0, 0], "notification settings, notifications, delivery log and push devices went with the account");
    assert.equal(await t.db.eventReview.count({ where: { userId: member.id } }), 0, "their review marks went with the account");
    assert.equal(await authenticateBearer(t.db, `Bearer ${memberToken}`, new Date(), null), null);
    assert.equal(await t.db.pendingFileDeletion.count(), 0);
    assert.equal(fs.existsSync(path.join(t.dataDir, "exports", `${exportId}.zip`)), false);
    assert.equal(isErasePending(t.dataDir), false);
    // Their sessions are over on the next request.
    assert.equal(await resolveViewer(t.db, { uid: member.id, sv: 1, authAt: Date.now(), sid: "s" }, new Date(), 86_400), null);
  });

  test("a byte-level scan of the database, its WAL and the data folder finds no trace", () => {
    const wal = path.join(t.dataDir, "nightjar.db-wal");
    assert.ok(!fs.existsSync(wal) || fs.statSync(wal).size === 0, "the WAL was truncated");
    const hits = scanForTraces(t.dataDir, [member.email, member.displayName, "Quillon Old-Name", member.username, member.id, tokenName, pushEndpoint, "auth-secret-5521"]);
    assert.deepEqual(hits, []);
  });

  test("everyone else's data is intact", async () => {
    assert.equal(await t.db.user.count(), 2);
    assert.equal(await t.db.cameraAccess.count({ where: { userId: otherId } }), 1);
    assert.equal((await authenticateBearer(t.db, `Bearer ${otherToken}`, new Date(), null))?.id, otherId, "the other member's token still works");
    assert.equal(await t.db.activity.count({ where: { actorId: otherId } }), 101);
    assert.equal(await t.db.invite.count(), 1);
    assert.equal(await t.db.loginThrottle.count(), 1);
    assert.equal(await t.db.exportJob.count(), 1);
    assert.equal(await t.db.notification.count({ where: { userId: otherId } }), 1, "the other member's notification stays");
    // Their correction stays with the household's camera (it still silences that false "cat"), without who made it;
    // the event's labels and boxes are household recordings and stay too.
    const corrections = await t.db.detectionCorrection.findMany({ orderBy: { id: "asc" }, select: { id: true, cameraId: true, label: true, detectionId: true, createdById: true } });
    assert.deepEqual(corrections, [
      { id: "corr-member", cameraId, label: "cat", detectionId: "det-1", createdById: null },
      { id: "corr-other", cameraId, label: "dog", detectionId: null, createdById: otherId },
    ]);
    assert.deepEqual([await t.db.eventLabel.count(), await t.db.detection.count()], [1, 1]);
    // The event they reviewed stays, and so do the other member's mark and "reviewed up to" time.
    assert.deepEqual(await t.db.eventReview.findMany({ select: { userId: true } }), [{ userId: otherId }]);
    assert.ok((await t.db.user.findUniqueOrThrow({ where: { id: otherId } })).reviewedUpTo);
    assert.equal(await t.db.event.count(), 1);
    // The timelapse they asked for stays with the camera, without who asked; the other member's keeps its link.
    assert.deepEqual(await t.db.timelapse.findMany({ orderBy: { id: "asc" }, select: { id: true, requestedById: true } }), [
      { id: "tl-member", requestedById: null },
      { id: "tl-other", requestedById: otherId },
    ]);
    // The mode switch stays in the outbox (the notifier and MQTT still need it), without who switched.
    const fact = await t.db.fact.findFirstOrThrow({ where: { type: "mode.changed" } });
    assert.deepEqual(JSON.parse(fact.data), { modeId: "mode_away", modeName: "Away", previousModeId: "mode_home", via: "ui", actorId: null });
    assert.equal((await t.db.integrationStatus.findUniqueOrThrow({ where: { id: "smtp" } })).detail, "550 5.1.1 <>: Recipient address rejected");
    assert.ok(fs.existsSync(path.join(t.dataDir, "exports", (await t.db.exportJob.findFirstOrThrow()).file!)));
    const diagnostics = await t.db.cameraDiagnostic.findMany({ orderBy: { id: "asc" } });
    assert.deepEqual(diagnostics.map((d) => JSON.parse(d.data)), [{ by: null, fields: ["name"] }, { by: ownerId, fields: ["retentionDays"] }]);
    const settings = await t.db.activity.findFirstOrThrow({ where: { action: "settings.changed" } });
    assert.deepEqual(JSON.parse(settings.data), { grantedTo: [null, otherId] });
    // The deletion itself is on record, with no id of the member.
    const deleted = await t.db.activity.findFirstOrThrow({ where: { action: "account.deleted" } });
    assert.equal(deleted.actorId, null);
    assert.equal(deleted.subjectId, null);
  });
});

describe("who may delete which account", () => {
  let t: TestDb;
  let ownerId = "";
  const adminId = newId();
  const memberId = newId();
  before(async () => {
    t = await createTestDb();
    const hash = await seedHousehold(t);
    ownerId = (await t.db.user.findFirstOrThrow({ where: { isOwner: true } })).id;
    await t.db.user.create({ data: { id: adminId, email: "admin2@x.test", passwordHash: hash, role: "admin" } });
    await t.db.user.create({ data: { id: memberId, email: "m@x.test", passwordHash: hash, role: "member" } });
  });
  after(() => t.cleanup());

  test("a wrong password deletes nothing and leaves no erase owed", async () => {
    assert.equal(await errorCode(deleteOwnAccount(t.db, t.dataDir, memberId, "not my password")), "wrong_password");
    assert.equal(await t.db.user.count({ where: { id: memberId } }), 1);
    assert.equal(isErasePending(t.dataDir), false);
  });

  test("the owner's account is only deleted by a factory reset; nobody removes themselves or the owner", async () => {
    assert.equal(await errorCode(deleteOwnAccount(t.db, t.dataDir, ownerId, PASSWORD)), "owner_protected");
    assert.equal(await errorCode(removeMemberAccount(t.db, t.dataDir, adminId, ownerId)), "owner_protected");
    assert.equal(await errorCode(removeMemberAccount(t.db, t.dataDir, adminId, adminId)), "cannot_change_self");
    assert.equal(await errorCode(removeMemberAccount(t.db, t.dataDir, adminId, "nobody")), "not_found");
    assert.equal(await t.db.user.count(), 3);
    assert.equal(isErasePending(t.dataDir), false);
  });

  test("the last enabled admin cannot delete their account", async () => {
    // The owner stepped down to member: admin2 is the only admin left.
    await t.db.user.update({ where: { id: ownerId }, data: { role: "member" } });
    assert.equal(await errorCode(deleteOwnAccount(t.db, t.dataDir, adminId, PASSWORD)), "last_admin");
    await t.db.user.update({ where: { id: ownerId }, data: { role: "admin" } });
    assert.equal(await errorCode(deleteOwnAccount(t.db, t.dataDir, adminId, PASSWORD)), "ok");
  });

  test("an admin removes a member", async () => {
    assert.equal(await errorCode(removeMemberAccount(t.db, t.dataDir, ownerId, memberId)), "ok");
    assert.deepEqual((await t.db.user.findMany()).map((u) => u.id), [ownerId]);
  });
});

describe("an interrupted deletion is finished at the next start", () => {
  let t: TestDb;
  before(async () => (t = await createTestDb()));
  after(() => t.cleanup());

  test("pending files are unlinked and the erase runs", async () => {
    fs.mkdirSync(path.join(t.dataDir, "exports"));
    fs.writeFileSync(path.join(t.dataDir, "exports", "left.zip"), "left behind");
    markErasePending(t.dataDir, "account_delete");
    await t.db.pendingFileDeletion.create({ data: { path: "exports/left.zip", reason: "account_delete" } });
    assert.deepEqual(await resumePrivacyWork(t.db, t.dataDir), { erased: true });
    assert.equal(fs.existsSync(path.join(t.dataDir, "exports", "left.zip")), false);
    assert.equal(fs.existsSync(path.join(t.dataDir, ERASE_MARKER)), false);
    assert.equal(await t.db.pendingFileDeletion.count(), 0);
    assert.deepEqual(await resumePrivacyWork(t.db, t.dataDir), { erased: false });
  });
});

describe("scrubJsonText", () => {
  const traces = { id: "U1d", email: "a@b.test", username: "ann", displayName: "Ann Example" };
  const cases: [string, string][] = [
    ['{"by":"U1d","fields":["name"]}', '{"by":null,"fields":["name"]}'],
    ['{"to":["x","U1d"],"who":"Ann Example"}', '{"to":["x",null],"who":null}'],
    ['{"U1d":{"n":1},"keep":"annex"}', '{"keep":"annex"}'],
    ['{"note":"mail a@b.test now"}', '{"note":null}'],
    ['{"unrelated":true}', '{"unrelated":true}'],
    ['{"role":"ann","fields":["Ann Example"],"names":["ann"]}', '{"role":"ann","fields":["Ann Example"],"names":[null]}'],
    ['{"grantedTo":["U1d"],"displayName":"ANN EXAMPLE "}', '{"grantedTo":[null],"displayName":null}'],
    ['{"changedBy":"ann","user_name":"Ann Example","kind":"ann"}', '{"changedBy":null,"user_name":null,"kind":"ann"}'],
    ["not json U1d here", "not json  here"],
  ];
  for (const [input, expected] of cases) test(input, () => assert.equal(scrubJsonText(input, traces), expected));
});
