// The data statement measures the live system: its figures equal what was seeded into the database and onto disk.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { recordActivity } from "../activity/record";
import { LOCALES } from "../i18n/locales";
import { newId } from "../ids";
import { createTestDb, type TestDb } from "../testing/db";
import { argon2Params, buildDataStatement, STATEMENT_KINDS, type DataStatement } from "./statement";
import { formatBytes } from "../i18n/format";
import { statementText } from "./statement-text";

const NOW = new Date("2026-06-10T12:00:00Z");
const DAY = 86_400_000;

function figure(st: DataStatement, kind: string, name: string) {
  const f = st.items.find((i) => i.kind === kind)?.figures.find((x) => x.name === name);
  assert.ok(f, `${kind}.${name}`);
  return f.value;
}

describe("buildDataStatement", () => {
  let t: TestDb;
  const admin = { id: "admin-1", role: "admin" as const };
  const viewer = { id: "viewer-1", role: "viewer" as const };
  const cams = { porch: "cam-porch", yard: "cam-yard" };
  // Clip sizes (bytes) and lengths (ms) seeded; photo and thumbnail sizes.
  const clips = [
    { cam: cams.porch, bytes: 1_500_000, ms: 10_000, daysAgo: 1 },
    { cam: cams.porch, bytes: 2_000_000, ms: 15_000, daysAgo: 2 },
    { cam: cams.yard, bytes: 900_000, ms: 5_000, daysAgo: 3 },
    { cam: cams.yard, bytes: 4_000_000, ms: 20_000, daysAgo: 20 }, // outside the 7-day window
  ];
  const photoBytes = [50_000, 70_000, 60_000, 40_000];
  const thumbBytes = [5_000, 7_000, 6_000, 4_000];
  let st: DataStatement;

  before(async () => {
    t = await createTestDb();
    await t.db.household.create({ data: { id: 1, name: "Nest", diagnosticsRetentionDays: 30, activityRetentionDays: 45, storageQuotaMb: 5000 } });
    await t.db.user.create({ data: { id: admin.id, email: "a@x.test", passwordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo", role: "admin", isOwner: true } });
    await t.db.user.create({ data: { id: viewer.id, email: "v@x.test", passwordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo", role: "viewer" } });
    const created = new Date(NOW.getTime() - 30 * DAY);
    await t.db.camera.create({ data: { id: cams.porch, name: "Porch", mainStreamUrl: "rtsp://192.0.2.1/m", retentionDays: 14, createdAt: created, credentialsEnc: "x".repeat(120) } });
    await t.db.camera.create({ data: { id: cams.yard, name: "Yard", mainStreamUrl: "rtsp://192.0.2.2/m", retentionDays: 60, createdAt: created, privacyMode: true } });
    await t.db.cameraAccess.create({ data: { cameraId: cams.porch, userId: viewer.id } });
    // Status checks: 36,000 bytes over the last 2 hours = 18,000 bytes per hour.
    await t.db.cameraStatus.create({ data: { cameraId: cams.porch, checkBytes: 36_000, bytesSince: new Date(NOW.getTime() - 2 * 3_600_000), bitrateKbps: 2000 } });
    for (const [i, c] of clips.entries()) {
      const eventId = newId();
      const at = new Date(NOW.getTime() - c.daysAgo * DAY);
      const dir = `${c.cam}/2026/06/0${i + 1}`;
      fs.mkdirSync(path.join(t.dataDir, "media", dir), { recursive: true });
      fs.writeFileSync(path.join(t.dataDir, "media", dir, `${i}.mp4`), Buffer.alloc(c.bytes));
      fs.writeFileSync(path.join(t.dataDir, "media", dir, `${i}-photo.jpg`), Buffer.alloc(photoBytes[i]));
      fs.writeFileSync(path.join(t.dataDir, "media", dir, `${i}-thumb.jpg`), Buffer.alloc(thumbBytes[i]));
      await t.db.event.create({ data: { id: eventId, cameraId: c.cam, cameraName: "x", startedAt: at, endedAt: at } });
      await t.db.clip.create({ data: { id: newId(), eventId, sequence: 1, path: `${dir}/${i}.mp4`, bytes: c.bytes, startedAt: at, durationMs: c.ms, audioCodec: i === 0 ? "aac" : null } });
      await t.db.photo.create({ data: { eventId, path: `${dir}/${i}-photo.jpg`, bytes: photoBytes[i], width: 1920, height: 1080, thumbPath: `${dir}/${i}-thumb.jpg`, thumbBytes: thumbBytes[i], thumbWidth: 320, thumbHeight: 180, takenAt: at } });
    }
    fs.mkdirSync(path.join(t.dataDir, "exports"), { recursive: true });
    fs.writeFileSync(path.join(t.dataDir, "exports", "e1.zip"), Buffer.alloc(12_345));
    fs.mkdirSync(path.join(t.dataDir, "live", cams.porch, "1"), { recursive: true });
    fs.writeFileSync(path.join(t.dataDir, "live", cams.porch, "1", "seg-1.m4s"), Buffer.alloc(3_000));
    // API tokens: two of the admin's (one revoked), one of the viewer's that expired.
    const token = (id: string, userId: string, extra: object = {}) => t.db.apiToken.create({ data: { id, userId, name: id, prefix: "nj_0000000", hash: id.padEnd(64, "0"), scopes: '["events:read"]', ...extra } });
    await token("tok-a", admin.id);
    await token("tok-b", admin.id, { revokedAt: new Date(NOW.getTime() - DAY) });
    await token("tok-c", viewer.id, { expiresAt: new Date(NOW.getTime() - DAY) });
    for (let i = 0; i < 14; i++) await recordActivity(t.db, { action: "clip.play", actorId: i < 10 ? viewer.id : admin.id, targetId: `c${i}` }, NOW.getTime() - (i % 2 ? 1 : 10) * DAY);
    st = await buildDataStatement(t.db, t.dataDir, { viewer: admin, sessionDays: 30, checkSeconds: 60, keysFromEnvironment: { sessionSecret: false, credentialsKey: false }, sessionCookieBytes: 612, now: NOW });
  });
  after(() => t.cleanup());

  test("lists every kind the issue names, with a retention from the settings", () => {
    assert.deepEqual(st.items.map((i) => i.kind), [...STATEMENT_KINDS]);
    assert.equal(st.leavesServer, false);
    assert.deepEqual(st.integrations, []);
    const retention = Object.fromEntries(st.items.map((i) => [i.kind, i.retention]));
    assert.deepEqual(retention.diagnostics, { rule: "days", days: 30 });
    assert.deepEqual(retention.activity, { rule: "days", days: 45 });
    assert.deepEqual(retention.eventClips, { rule: "perCamera", minDays: 14, maxDays: 60, quotaMb: 5000 });
    assert.deepEqual(retention.sessions, { rule: "session", days: 30 });
    assert.deepEqual(retention.exports, { rule: "hours", hours: 24 });
    assert.equal(retention.liveVideo.rule, "ring");
  });

  test("clip and photo figures equal the seeded bytes and durations, and the files on disk", () => {
    const clipBytes = clips.reduce((n, c) => n + c.bytes, 0);
    const clipMs = clips.reduce((n, c) => n + c.ms, 0);
    assert.equal(figure(st, "eventClips", "clips"), 4);
    assert.equal(figure(st, "eventClips", "totalBytes"), clipBytes);
    assert.equal(figure(st, "eventClips", "totalSeconds"), clipMs / 1000);
    assert.equal(figure(st, "eventClips", "megabytesPer10s"), Math.round(((clipBytes / clipMs) * 10_000) / 1e6 * 100) / 100);
    assert.equal(figure(st, "sound", "camerasWithSound"), 0, "sound is off by default");
    assert.equal(figure(st, "sound", "clipsWithSound"), 1);
    assert.equal(figure(st, "sound", "secondsWithSound"), clips[0].ms / 1000);
    assert.equal(figure(st, "eventPhotos", "averagePhotoBytes"), 55_000);
    assert.equal(figure(st, "eventPhotos", "averageThumbBytes"), 5_500);
    assert.equal(figure(st, "eventPhotos", "totalBytes"), 220_000 + 22_000);
    assert.equal(st.totals.mediaBytes, clipBytes + 220_000 + 22_000);
    assert.equal(figure(st, "exports", "bytesOnDisk"), 12_345);
    assert.equal(figure(st, "liveVideo", "bytesOnDisk"), 3_000);
    assert.ok(st.totals.databaseBytes >= fs.statSync(t.file).size);
  });

  test("bytes per day per camera over the last 7 days; heartbeat bytes per hour", () => {
    const porch = st.cameras.find((c) => c.id === cams.porch)!;
    const yard = st.cameras.find((c) => c.id === cams.yard)!;
    assert.equal(porch.windowDays, 7);
    assert.equal(porch.clipBytes, 3_500_000);
    assert.equal(porch.photoBytes, 50_000 + 70_000 + 5_000 + 7_000);
    assert.equal(porch.bytesPerDay, Math.round((3_500_000 + 132_000) / 7));
    assert.equal(yard.clipBytes, 900_000, "the 20-day-old clip is outside the window");
    assert.equal(figure(st, "eventClips", "bytesPerDayPerCamera"), Math.round((porch.bytesPerDay + yard.bytesPerDay) / 2));
    assert.equal(porch.heartbeatBytesPerHour, 18_000);
    assert.equal(figure(st, "diagnostics", "heartbeatBytesPerHour"), 18_000);
    assert.equal(figure(st, "liveVideo", "bitrateKbps"), 2000);
  });

  test("accounts, hashes, credentials and activity", () => {
    assert.equal(figure(st, "account", "accounts"), 2);
    assert.equal(figure(st, "passwordHash", "memoryKiB"), 19_456);
    assert.equal(figure(st, "passwordHash", "bytesPerHash"), "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo".length);
    assert.equal(figure(st, "cameraCredentials", "camerasWithCredentials"), 1);
    assert.equal(figure(st, "cameraCredentials", "bytesPerCamera"), 120);
    assert.equal(figure(st, "sessions", "cookieBytes"), 612);
    assert.equal(figure(st, "apiTokens", "activeTokens"), 1, "neither revoked nor expired");
    assert.equal(figure(st, "apiTokens", "yourTokens"), 2);
    assert.equal(figure(st, "activity", "rows"), 14);
    assert.equal(figure(st, "activity", "rowsPerDay"), 1, "7 of the 14 records are within the last 7 days");
    assert.ok((figure(st, "activity", "tableBytes") ?? 0) >= 4096);
  });

  test("a viewer sees figures only for the cameras given to them", async () => {
    const mine = await buildDataStatement(t.db, t.dataDir, { viewer, sessionDays: 30, checkSeconds: 60, keysFromEnvironment: { sessionSecret: false, credentialsKey: false }, now: NOW });
    assert.deepEqual(mine.cameras.map((c) => c.name), ["Porch"]);
    assert.equal(figure(mine, "activity", "yourRows"), 10);
    assert.deepEqual(mine.items.find((i) => i.kind === "cameraConfig")?.actions, []);
  });

  test("is put into words in every language, with nothing left untranslated", () => {
    for (const locale of LOCALES) {
      const text = statementText(st, locale, "UTC");
      const all = JSON.stringify(text);
      assert.doesNotMatch(all, /privacy\.statement\./, locale);
      assert.doesNotMatch(all, /\{value\}|\{days|\{n\}/, locale);
      assert.equal(text.items.length, STATEMENT_KINDS.length);
    }
    const en = statementText(st, "en", "UTC");
    const clipsText = en.items.find((i) => i.kind === "eventClips")!;
    assert.ok(clipsText.figures.some((f) => f.text === "Total: 8.4 MB"), JSON.stringify(clipsText.figures));
    assert.match(clipsText.retention, /14 to 60 days/);
    assert.deepEqual(en.integrations, ["None configured."]);
  });
});

test("formatBytes uses SI units in the member's language", () => {
  assert.equal(formatBytes("en", 512), "512 byte");
  assert.equal(formatBytes("en", 19_400), "19.4 kB");
  assert.equal(formatBytes("en", 2_310_000_000), "2.31 GB");
  assert.equal(formatBytes("de", 8_400_000), "8,4 MB");
});

test("argon2Params reads the PHC parameters", () => {
  assert.deepEqual(argon2Params("$argon2id$v=19$m=19456,t=2,p=1$abc$def"), { memoryKiB: 19456, iterations: 2, parallelism: 1 });
  assert.deepEqual(argon2Params("garbage"), { memoryKiB: null, iterations: null, parallelism: null });
});
