// The notification service against a real migrated SQLite and a real SMTP server (smtp-server on a free port): facts
// in the outbox → step → Notification rows, the delivery log, e-mails received and parsed with mailparser.
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";
import { fakeClock } from "../clock";
import { mediaDir } from "../data-dir";
import { emitFact } from "../facts/emit";
import { addPushSubscription } from "../push/subscriptions";
import { pushTopic } from "../push/send";
import { createTestDb, type TestDb } from "../testing/db";
import { createNotificationService, type NotificationService } from "./service";
import { saveSmtpSettings } from "./smtp";

const KEY = Buffer.alloc(32, 7);
const REFUSED = "refused@x.test";
let t: TestDb;
let smtp: SMTPServer;
let port = 0;
const mails: ParsedMail[] = [];
let svc: NotificationService;
const clock = fakeClock("2026-06-01T12:00:00Z");

async function waitFor<T>(fn: () => Promise<T | null | undefined | false>, what: string): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

before(async () => {
  t = await createTestDb();
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    onRcptTo(address, _session, cb) {
      if (address.address === REFUSED) return cb(Object.assign(new Error("mailbox unavailable"), { responseCode: 550 }));
      cb();
    },
    onData(stream, _session, cb) {
      simpleParser(stream).then((m) => {
        mails.push(m);
        cb();
      }, cb);
    },
  });
  await new Promise<void>((r) => smtp.listen(0, "127.0.0.1", () => r()));
  port = (smtp.server.address() as { port: number }).port;
  const db = t.db;
  await db.camera.create({ data: { id: "cam-a", name: "Porch", mainStreamUrl: "rtsp://127.0.0.1/a" } });
  const prefs = (p: object) => JSON.stringify({ channels: { inApp: true, push: false, email: true }, ...p });
  await db.user.create({ data: { id: "adm", email: "adm@x.test", passwordHash: "x", role: "admin", timeZone: "UTC", notificationPrefs: { create: { prefs: prefs({}) } } } });
  await db.user.create({ data: { id: "adm2", email: REFUSED, passwordHash: "x", role: "admin", notificationPrefs: { create: { prefs: prefs({}) } } } });
  await db.user.create({ data: { id: "mem1", email: "mem1@x.test", passwordHash: "x", role: "member", notificationPrefs: { create: { prefs: prefs({ emailPhoto: true }) } } } });
  await db.user.create({ data: { id: "mem2", email: "mem2@x.test", passwordHash: "x", role: "member" } });
  await db.cameraAccess.create({ data: { cameraId: "cam-a", userId: "mem1" } });
  await saveSmtpSettings(db, { enabled: true, host: "127.0.0.1", port, security: "none", user: "", from: "nightjar@x.test" }, KEY);
  svc = createNotificationService(db, { clock, credentialsKey: KEY, dataDir: t.dataDir, publicUrl: "http://nvr.test" });
  await svc.step(clock.now()); // creates the cursor
});

after(async () => {
  await svc?.stop();
  await new Promise<void>((r) => smtp.close(() => r()));
  await t.cleanup();
});

const startedAt = "2026-06-01T12:00:00.000Z";

describe("notification service", () => {
  test("event.started: one row per member who sees the camera; e-mail now (no photo wanted) or pending; SMTP 550 logged failed", async () => {
    await emitFact(t.db, "event.started", { eventId: "ev1", cameraId: "cam-a", cameraName: "Porch", startedAt }, { now: clock.now() });
    assert.deepEqual(await svc.step(clock.now()), { facts: 1 });
    await svc.idle();
    const rows = await t.db.notification.findMany({ where: { eventId: "ev1" }, orderBy: { userId: "asc" } });
    assert.deepEqual(rows.map((r) => r.userId), ["adm", "adm2", "mem1"]);
    const log = await t.db.notificationDelivery.findMany({ where: { channel: "email" }, orderBy: { userId: "asc" } });
    assert.deepEqual(log.map((l) => [l.userId, l.status]), [["adm", "sent"], ["adm2", "failed"], ["mem1", "pending"]]);
    assert.match(log[1].detail ?? "", /550/);
    assert.equal(mails.length, 1);
    const m = mails[0];
    assert.equal(m.subject?.includes("Porch"), true);
    assert.match(m.text ?? "", /http:\/\/nvr\.test\/events\?camera=cam-a&day=2026-06-01/);
    assert.equal(m.attachments.length, 0);
    assert.equal((await t.db.notificationDelivery.count({ where: { channel: "in_app", status: "sent" } })), 3);
  });

  test("event.updated updates the rows, it does not add any", async () => {
    await emitFact(t.db, "event.updated", { eventId: "ev1", cameraId: "cam-a", cameraName: "Porch", startedAt, change: "clip_added", clips: [] }, { now: clock.now() });
    await svc.step(clock.now());
    await svc.idle();
    assert.equal(await t.db.notification.count({ where: { eventId: "ev1" } }), 3);
    assert.equal(mails.length, 1);
  });

  test("event.ended: the member who wants the photo gets one e-mail with it", async () => {
    const dir = mediaDir(t.dataDir);
    fs.mkdirSync(path.join(dir, "p"), { recursive: true });
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]);
    fs.writeFileSync(path.join(dir, "p/ev1.jpg"), jpeg);
    fs.writeFileSync(path.join(dir, "p/ev1-t.jpg"), jpeg);
    await t.db.event.create({ data: { id: "ev1", cameraId: "cam-a", cameraName: "Porch", startedAt: new Date(startedAt) } });
    await t.db.photo.create({ data: { eventId: "ev1", path: "p/ev1.jpg", bytes: jpeg.length, width: 1, height: 1, thumbPath: "p/ev1-t.jpg", thumbBytes: jpeg.length, thumbWidth: 1, thumbHeight: 1, takenAt: new Date(startedAt) } });
    clock.advance(30_000);
    await emitFact(t.db, "event.ended", { eventId: "ev1", cameraId: "cam-a", cameraName: "Porch", startedAt, endedAt: clock.now().toISOString(), peakScore: 0.5, zones: [], labels: [], clips: [], photoUrl: "http://nvr.test/api/v1/events/ev1/photo" }, { now: clock.now() });
    await svc.step(clock.now());
    await svc.idle();
    await waitFor(async () => mails.length === 2, "the photo e-mail");
    const m = mails[1];
    assert.deepEqual(m.to && "value" in m.to ? m.to.value.map((v) => v.address) : [], ["mem1@x.test"]);
    assert.equal(m.attachments.length, 1);
    assert.equal(m.attachments[0].contentType, "image/jpeg");
    assert.deepEqual(Buffer.from(m.attachments[0].content), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]));
    const rows = await t.db.notification.findMany({ where: { eventId: "ev1" } });
    assert.equal(rows.length, 3);
    assert.equal(JSON.parse(rows[0].data).state, "ended");
    const memLog = await t.db.notificationDelivery.findMany({ where: { userId: "mem1", channel: "email" } });
    assert.deepEqual(memLog.map((l) => l.status), ["sent"]);
  });

  test("a second event within the cool-down: a row, but no e-mail (logged skipped)", async () => {
    await emitFact(t.db, "event.started", { eventId: "ev2", cameraId: "cam-a", cameraName: "Porch", startedAt: clock.now().toISOString() }, { now: clock.now() });
    await svc.step(clock.now());
    await svc.idle();
    assert.equal(await t.db.notification.count({ where: { eventId: "ev2" } }), 3);
    const skipped = await t.db.notificationDelivery.findMany({ where: { channel: "email", status: "skipped", notification: { eventId: "ev2" } } });
    assert.deepEqual(skipped.map((s) => s.detail).sort(), ["cooldown", "cooldown", "cooldown"]);
    assert.equal(mails.length, 2);
  });

  test("camera.offline: a notification for admins only", async () => {
    await emitFact(t.db, "camera.offline", { cameraId: "cam-a", cameraName: "Porch", since: clock.now().toISOString(), problem: "unreachable", lastSeenAt: null }, { now: clock.now() });
    await svc.step(clock.now());
    await svc.idle();
    const rows = await t.db.notification.findMany({ where: { kind: "camera" }, orderBy: { userId: "asc" } });
    assert.deepEqual(rows.map((r) => r.userId), ["adm", "adm2"]);
    await waitFor(async () => mails.length === 3, "the admin's e-mail");
    assert.match(mails[2].subject ?? "", /Porch is offline/);
  });

  test("camera.online: news only after offline, not for a camera seen the first time", async () => {
    const before = await t.db.notification.count({ where: { kind: "camera" } });
    await emitFact(t.db, "camera.online", { cameraId: "cam-a", cameraName: "Porch", since: clock.now().toISOString(), offlineForSeconds: null }, { now: clock.now() });
    await svc.step(clock.now());
    await svc.idle();
    assert.equal(await t.db.notification.count({ where: { kind: "camera" } }), before, "a new camera going online tells no one");
    await emitFact(t.db, "camera.online", { cameraId: "cam-a", cameraName: "Porch", since: clock.now().toISOString(), offlineForSeconds: 120 }, { now: clock.now() });
    await svc.step(clock.now());
    await svc.idle();
    const rows = await t.db.notification.findMany({ where: { kind: "camera" } });
    assert.equal(rows.length, before + 2, "both admins are told it is back");
    assert.deepEqual(rows.filter((r) => r.data.includes('"camera_online"')).map((r) => r.userId).sort(), ["adm", "adm2"]);
  });

  test("push: one batch per event; the log says sent, expired (with a notice to the member) or no devices", async () => {
    const received: { path: string; topic: string }[] = [];
    const pushService = http.createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        received.push({ path: req.url ?? "", topic: String(req.headers.topic ?? "") });
        res.writeHead(req.url?.startsWith("/gone") ? 410 : 201).end();
      });
    });
    await new Promise<void>((r) => pushService.listen(0, "127.0.0.1", r));
    const origin = `http://127.0.0.1:${(pushService.address() as AddressInfo).port}`;
    try {
      await t.db.camera.create({ data: { id: "cam-p", name: "Gate", mainStreamUrl: "rtsp://127.0.0.1/p" } });
      const prefs = JSON.stringify({ channels: { inApp: true, push: true, email: false } });
      for (const id of ["p1", "p2", "p3"]) {
        await t.db.user.create({ data: { id, email: `${id}@x.test`, passwordHash: "x", role: "member", notificationPrefs: { create: { prefs } } } });
        await t.db.cameraAccess.create({ data: { cameraId: "cam-p", userId: id } });
      }
      const keys = () => {
        const ecdh = crypto.createECDH("prime256v1");
        ecdh.generateKeys();
        return { p256dh: ecdh.getPublicKey().toString("base64url"), auth: crypto.randomBytes(16).toString("base64url") };
      };
      await addPushSubscription(t.db, "p1", { endpoint: `${origin}/ok/p1`, keys: keys() }, { allowLoopbackHttp: true });
      await addPushSubscription(t.db, "p2", { endpoint: `${origin}/gone/p2`, keys: keys() }, { allowLoopbackHttp: true });
      await emitFact(t.db, "event.started", { eventId: "ev-p", cameraId: "cam-p", cameraName: "Gate", startedAt: clock.now().toISOString() }, { now: clock.now() });
      await svc.step(clock.now());
      await svc.idle();
      assert.deepEqual(received.map((r) => r.path).sort(), ["/gone/p2", "/ok/p1"]);
      assert.ok(received.every((r) => r.topic === pushTopic("event-ev-p")));
      const log = await t.db.notificationDelivery.findMany({ where: { channel: "push", notification: { eventId: "ev-p" } }, orderBy: { userId: "asc" } });
      assert.deepEqual(log.map((l) => [l.userId, l.status, l.detail]), [
        ["p1", "sent", "1 device(s)"],
        ["p2", "failed", "subscription expired (410)"],
        ["p3", "skipped", "no devices"],
      ]);
      const notices = await t.db.notification.findMany({ where: { kind: "system" } });
      assert.deepEqual(notices.map((n) => [n.userId, JSON.parse(n.data)]), [["p2", { code: "push_removed", count: 1 }]]);
      assert.equal(await t.db.pushSubscription.count({ where: { userId: "p2" } }), 0);
    } finally {
      pushService.closeAllConnections();
      await new Promise<void>((r) => pushService.close(() => r()));
    }
  });
});
