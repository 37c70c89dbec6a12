// "My data" counts what the member's own rows are, kind by kind, from a real SQLite file: everything Nightjar keeps
// that belongs to them or that they made, and nothing of another member's.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestDb, type TestDb } from "../testing/db";
import { describeMyData } from "./my-data";

const HASH = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA";

describe("My data", () => {
  let t: TestDb;
  before(async () => {
    t = await createTestDb();
  });
  after(async () => t?.cleanup());

  test("counts each kind of the member's rows, and none of another's", async () => {
    const db = t.db;
    const upTo = new Date("2026-11-30T18:00:00Z");
    await db.user.create({ data: { id: "me", email: "me@x.test", passwordHash: HASH, role: "member", reviewedUpTo: upTo } });
    await db.user.create({ data: { id: "other", email: "other@x.test", passwordHash: HASH, role: "admin" } });
    await db.camera.create({ data: { id: "cam", name: "Porch", mainStreamUrl: "rtsp://192.0.2.10/main" } });
    for (const [i, userId] of ["me", "me", "other"].entries()) {
      await db.apiToken.create({ data: { id: `tok-${i}`, userId, name: "t", prefix: `nj_${i}`, hash: String(i).repeat(64), scopes: "[]" } });
      await db.notification.create({ data: { id: `n-${i}`, userId, kind: "event", data: "{}" } });
      await db.event.create({ data: { id: `ev-${i}`, cameraId: "cam", cameraName: "Porch", startedAt: new Date(Date.UTC(2026, 11, 1, i)) } });
      await db.eventReview.create({ data: { userId, eventId: `ev-${i}` } });
    }
    await db.pushSubscription.create({ data: { id: "push-1", userId: "me", endpoint: "https://push.example/1", p256dh: "k", auth: "a" } });
    await db.pushSubscription.create({ data: { id: "push-2", userId: "other", endpoint: "https://push.example/2", p256dh: "k", auth: "a" } });
    await db.detectionCorrection.create({ data: { id: "cor-1", cameraId: "cam", label: "person", x1: 0, y1: 0, x2: 1, y2: 1, createdById: "me" } });
    await db.detectionCorrection.create({ data: { id: "cor-2", cameraId: "cam", label: "car", x1: 0, y1: 0, x2: 1, y2: 1, createdById: "other" } });
    const span = { cameraId: "cam", cameraName: "Porch", kind: "range", fromAt: new Date("2026-11-01T00:00:00Z"), toAt: new Date("2026-11-02T00:00:00Z"), status: "ready" };
    await db.timelapse.create({ data: { id: "tl-1", ...span, requestedById: "me" } });
    await db.timelapse.create({ data: { id: "tl-2", ...span, requestedById: "me" } });
    await db.timelapse.create({ data: { id: "tl-3", ...span, requestedById: null } });
    await db.webhookEndpoint.create({ data: { id: "wh-1", url: "http://192.0.2.20/hook", eventTypes: "[]", secretEnc: "x", createdById: "other" } });

    const mine = await describeMyData(db, "me");
    assert.deepEqual(
      { apiTokens: mine.apiTokens, notifications: mine.notifications, pushDevices: mine.pushDevices, reviews: mine.reviews, corrections: mine.corrections, timelapsesRequested: mine.timelapsesRequested, webhooksCreated: mine.webhooksCreated },
      { apiTokens: 2, notifications: 2, pushDevices: 1, reviews: { marked: 2, upTo: upTo.toISOString() }, corrections: 1, timelapsesRequested: 2, webhooksCreated: 0 },
    );
    const theirs = await describeMyData(db, "other");
    assert.deepEqual([theirs.apiTokens, theirs.reviews, theirs.timelapsesRequested, theirs.webhooksCreated, theirs.cameraAccess], [1, { marked: 1, upTo: null }, 0, 1, null]);
  });
});
