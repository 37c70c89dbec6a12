// Factory reset against a real SQLite file and data folder: afterwards every table is empty, the media, exports and
// live folders are empty, the keys are gone, the database file is as small as a freshly migrated one and a byte-level
// scan finds none of the seeded e-mails; first-run setup works again.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { recordActivity } from "../activity/record";
import { hashPassword } from "../household/password";
import { ACCOUNT_POLICY, recordFailure, throttleKey } from "../auth/throttle";
import { sealCredentials } from "../cameras/credentials";
import { recordDiagnostic } from "../cameras/diagnostics";
import { writeHeartbeat } from "../health";
import { isSetUp, setUpHousehold } from "../household/setup";
import { newId } from "../ids";
import { secretsDir } from "../data-dir";
import { getSecrets, resetSecretsForTests } from "../secrets";
import { applyMigrations, createTestDb, type TestDb } from "../testing/db";
import { errorCode } from "../testing/errors";
import { dataTables, resetHousehold, sameName } from "./reset";
import { filesUnder, scanForTraces } from "./trace-scan";

const PASSWORD = "correct horse battery";
const EMAILS = ["owner-reset-5521@x.test", "member-reset-7719@x.test", "viewer-reset-3307@x.test"];

function writeFile(dataDir: string, rel: string, content: string | Buffer) {
  const full = path.join(dataDir, rel);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, content);
}

describe("factory reset", () => {
  let t: TestDb;
  let ownerId = "";
  let memberId = "";
  let freshSize = 0;

  before(async () => {
    t = await createTestDb();
    const empty = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "nightjar-fresh-")), "fresh.db");
    applyMigrations(empty);
    freshSize = fs.statSync(empty).size;
    fs.rmSync(path.dirname(empty), { recursive: true, force: true });

    const owner = await setUpHousehold(t.db, { householdName: "Heron House", email: EMAILS[0], password: PASSWORD, displayName: "Orla Resetter" });
    ownerId = owner.id;
    const hash = await hashPassword(PASSWORD);
    memberId = newId();
    await t.db.user.create({ data: { id: memberId, email: EMAILS[1], displayName: "Milo Resetter", passwordHash: hash, role: "member" } });
    await t.db.user.create({ data: { id: newId(), email: EMAILS[2], passwordHash: hash, role: "viewer" } });

    const key = getSecrets().credentialsKey; // creates the key files
    const cameraId = newId();
    await t.db.camera.create({ data: { id: cameraId, name: "Shed", mainStreamUrl: "rtsp://192.0.2.7/main", credentialsEnc: sealCredentials({ username: "cam-user-4410", password: "cam-pass-4410" }, key) } });
    await t.db.cameraAccess.create({ data: { cameraId, userId: memberId } });
    await t.db.cameraStatus.create({ data: { cameraId, state: "online", checkBytes: 5000 } });
    await recordDiagnostic(t.db, cameraId, "added", { by: ownerId });
    for (let i = 0; i < 20; i++) {
      const eventId = newId();
      const clip = `${cameraId}/2026/05/0${(i % 9) + 1}/clip-${i}.mp4`;
      const photo = `${cameraId}/2026/05/0${(i % 9) + 1}/photo-${i}.jpg`;
      const thumb = `${cameraId}/2026/05/0${(i % 9) + 1}/thumb-${i}.jpg`;
      writeFile(t.dataDir, `media/${clip}`, Buffer.alloc(4096, i));
      writeFile(t.dataDir, `media/${photo}`, Buffer.alloc(1024, i));
      writeFile(t.dataDir, `media/${thumb}`, Buffer.alloc(256, i));
      await t.db.event.create({ data: { id: eventId, cameraId, cameraName: "Shed", startedAt: new Date(), endedAt: new Date(), isProtected: i === 0 } });
      await t.db.clip.create({ data: { id: newId(), eventId, sequence: 1, path: clip, bytes: 4096, startedAt: new Date(), durationMs: 10_000 } });
      await t.db.photo.create({ data: { eventId, path: photo, bytes: 1024, width: 640, height: 360, thumbPath: thumb, thumbBytes: 256, thumbWidth: 160, thumbHeight: 90, takenAt: new Date() } });
    }
    writeFile(t.dataDir, `live/${cameraId}/1700000000000/seg-1.m4s`, Buffer.alloc(2048));
    writeFile(t.dataDir, `live-ondemand/${cameraId}/1700000000001/index.m3u8`, "#EXTM3U\n");
    const exportId = newId();
    await t.db.exportJob.create({ data: { id: exportId, userId: memberId, status: "ready", file: `${exportId}.zip` } });
    writeFile(t.dataDir, `exports/${exportId}.zip`, `export of ${EMAILS[1]}`);
    await t.db.invite.create({ data: { id: newId(), tokenHash: "d".repeat(64), role: "member", email: "invitee-reset-9001@x.test", createdById: ownerId, expiresAt: new Date(Date.now() + 86_400_000) } });
    await recordFailure(t.db, [{ key: throttleKey("account", EMAILS[2]), policy: ACCOUNT_POLICY }], new Date());
    await writeHeartbeat(t.db, "scheduler", new Date(), { jobs: {} });
    await t.db.pendingFileDeletion.create({ data: { path: "media/gone-already.mp4", reason: "retention" } });
    for (let i = 0; i < 50; i++) await recordActivity(t.db, { action: "clip.play", actorId: i % 2 ? memberId : ownerId, targetId: `c${i}` });
    await t.db.household.update({ where: { id: 1 }, data: { privacyModeRole: "member" } });
  });
  after(() => t.cleanup());

  test("only the owner, with their password and the household's name typed", async () => {
    assert.equal(await errorCode(resetHousehold(t.db, t.dataDir, memberId, { password: PASSWORD, confirmation: "Heron House" })), "forbidden");
    assert.equal(await errorCode(resetHousehold(t.db, t.dataDir, ownerId, { password: "wrong password!", confirmation: "Heron House" })), "wrong_password");
    assert.equal(await errorCode(resetHousehold(t.db, t.dataDir, ownerId, { password: PASSWORD, confirmation: "Heron" })), "confirmation_mismatch");
    assert.equal(await errorCode(resetHousehold(t.db, t.dataDir, ownerId, { password: PASSWORD, confirmation: "heron house" })), "confirmation_mismatch");
    assert.equal(await t.db.user.count(), 3);
    assert.equal(await t.db.event.count(), 20);
  });

  test("the reset empties every table, folder and key", async () => {
    const result = await resetHousehold(t.db, t.dataDir, ownerId, { password: PASSWORD, confirmation: "  Heron House " });
    assert.equal(result.restartRequired, true);
    assert.deepEqual(result.keysDeleted.sort(), ["credentials-key", "session-secret", "vapid-private-key"]);
    for (const table of await dataTables(t.db)) {
      const [{ n }] = await t.db.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM "${table}"`);
      assert.equal(Number(n), 0, table);
    }
    assert.ok((await dataTables(t.db)).length >= 15);
    for (const folder of ["media", "exports", "live", "live-ondemand"]) assert.deepEqual(filesUnder(path.join(t.dataDir, folder)), [], folder);
    assert.deepEqual(fs.readdirSync(secretsDir(t.dataDir)), []);
  });

  test("the database file holds only the empty schema", () => {
    const wal = path.join(t.dataDir, "nightjar.db-wal");
    assert.ok(!fs.existsSync(wal) || fs.statSync(wal).size === 0, "the WAL was truncated");
    assert.ok(fs.statSync(t.file).size <= freshSize, `${fs.statSync(t.file).size} bytes > ${freshSize} of a fresh database`);
    const needles = [...EMAILS, "invitee-reset-9001@x.test", "Orla Resetter", "Milo Resetter", "Heron House", ownerId, memberId, "Shed"];
    assert.deepEqual(scanForTraces(t.dataDir, needles), []);
  });

  test("Nightjar is back at first-run setup, with new keys on next use", async () => {
    assert.equal(await isSetUp(t.db), false);
    resetSecretsForTests(); // what the restart does
    getSecrets();
    assert.deepEqual(fs.readdirSync(secretsDir(t.dataDir)).sort(), ["credentials-key", "session-secret", "vapid-private-key"]);
    await setUpHousehold(t.db, { householdName: "New Nest", email: "new-owner@x.test", password: PASSWORD });
    assert.equal(await isSetUp(t.db), true);
    assert.equal((await t.db.household.findUniqueOrThrow({ where: { id: 1 } })).privacyModeRole, "admin", "settings are back to defaults");
  });
});

test("sameName: trimmed and normalized, otherwise exact", () => {
  assert.equal(sameName("Heron House", " Heron House "), true);
  assert.equal(sameName("Café", "Cafe\u0301"), true);
  assert.equal(sameName("Heron House", "heron house"), false);
  assert.equal(sameName(" ", " "), false);
});
