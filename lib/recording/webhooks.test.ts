// The recorder tells webhooks: one simulated camera, real ffmpeg, 7 s of motion with 5 s clips → event.started,
// event.updated (the first clip, cut at the longest clip length while the event goes on) and event.ended messages
// queued for a subscribed endpoint (the event's ids, its clip and photo URLs under PUBLIC_URL), delivered by the loop
// to a local receiver that verifies them with the `standardwebhooks` library. Kept cheap: one camera, short rolls.
import assert from "node:assert/strict";
import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import { Webhook } from "standardwebhooks";
import { createCamera } from "../cameras/cameras";
import { startSimulator, type Simulator } from "../simulator/simulator";
import { createTestDb, type TestDb } from "../testing/db";
import { createDeliveryLoop } from "../webhooks/deliver";
import { createWebhookEndpoint } from "../webhooks/endpoints";
import type { WebhookPayload } from "../webhooks/events";
import { CameraRecorder } from "./camera-recorder";

const key = crypto.randomBytes(32);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const PUBLIC_URL = "https://nvr.example.test";

async function waitFor<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs: number): Promise<T> {
  const started = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

let sim: Simulator;
let t: TestDb;
let recorder: CameraRecorder | null = null;
let server: http.Server;
const received: { type: string; verified: boolean; body: WebhookPayload }[] = [];
let secret = "";

before(async () => {
  sim = await startSimulator({ cameras: 1, baseAddress: "127.0.0.240", rtspPort: 39854, onvifPort: 39820, discoveryPort: 49942, controlPort: null, withDiscovery: false });
  t = await createTestDb();
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      let verified = false;
      try {
        new Webhook(secret).verify(body, req.headers as Record<string, string>);
        verified = true;
      } catch {
        verified = false;
      }
      const payload = JSON.parse(body) as WebhookPayload;
      received.push({ type: payload.type, verified, body: payload });
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
});
after(async () => {
  await recorder?.stop();
  await sim?.close();
  await new Promise<void>((r) => server.close(() => r()));
  await t?.cleanup();
});

test("a motion event queues event.started, event.updated and event.ended, delivered signed with clip and photo URLs", { timeout: 120_000 }, async () => {
  const port = (server.address() as AddressInfo).port;
  const created = await createWebhookEndpoint(t.db, null, { url: `http://127.0.0.1:${port}/hook`, eventTypes: ["event.started", "event.updated", "event.ended"] }, { credentialsKey: key });
  secret = created.secret;
  // Another endpoint that wants camera messages only: it gets nothing from an event.
  await createWebhookEndpoint(t.db, null, { url: `http://127.0.0.1:${port}/other`, eventTypes: ["camera.offline"] }, { credentialsKey: key });

  const cam = await createCamera(t.db, { name: "Porch", mainStreamUrl: sim.cameras[0].rtspUrl.main, subStreamUrl: sim.cameras[0].rtspUrl.sub, credentials: { username: sim.username, password: sim.password } }, key, null);
  await t.db.camera.update({ where: { id: cam.id }, data: { motionConfig: JSON.stringify({ preRollMs: 1_000, postRollMs: 1_000, quietMs: 1_000, maxClipMs: 5_000 }) } });
  const row = await t.db.camera.findUniqueOrThrow({ where: { id: cam.id } });
  recorder = new CameraRecorder(row, { db: t.db, dataDir: t.dataDir, ffmpegPath: "ffmpeg", ffprobePath: "ffprobe", credentialsKey: key, minFreeBytes: 0, timeZone: "UTC", publicUrl: PUBLIC_URL });
  recorder.start();
  await waitFor("segments", async () => recorder!.ring.list().length >= 3, 30_000);

  sim.setMotion(0, true);
  const startedRow = await waitFor("the event.started message", () => t.db.webhookDelivery.findFirst({ where: { eventType: "event.started" } }), 20_000);
  await sleep(7_000);
  sim.setMotion(0, false);
  const event = await waitFor(
    "the event to end with its photo",
    async () => {
      const e = await t.db.event.findFirst({ where: { cameraId: cam.id }, include: { clips: { orderBy: { sequence: "asc" } }, photo: true } });
      return e?.endedAt && e.photo ? e : null;
    },
    60_000,
  );
  const endedRow = await waitFor("the event.ended message", () => t.db.webhookDelivery.findFirst({ where: { eventType: "event.ended" } }), 10_000);
  // One event.updated per clip cut at the longest clip length while the event went on (one or two here: the event
  // lasts the motion plus the decode delay and quiet time).
  const updatedRows = await t.db.webhookDelivery.findMany({ where: { eventType: "event.updated" }, orderBy: { createdAt: "asc" } });
  assert.ok(updatedRows.length >= 1 && updatedRows.length === event.clips.length - 1, `${updatedRows.length} updates, ${event.clips.length} clips`);
  const total = await t.db.webhookDelivery.count();
  assert.equal(total, 2 + updatedRows.length, "one message per fact, to the subscribed endpoint only");

  const startedPayload = JSON.parse(startedRow.payload) as WebhookPayload<"event.started">;
  assert.deepEqual(startedPayload.data, { eventId: event.id, cameraId: cam.id, cameraName: "Porch", startedAt: event.startedAt.toISOString() });
  const endedPayload = JSON.parse(endedRow.payload) as WebhookPayload<"event.ended">;
  assert.equal(endedPayload.data.eventId, event.id);
  assert.equal(endedPayload.data.endedAt, event.endedAt!.toISOString());
  assert.deepEqual(
    endedPayload.data.clips.map((c) => c.url),
    event.clips.map((c) => `${PUBLIC_URL}/api/v1/events/${event.id}/clips/${c.sequence}`),
  );
  assert.ok(event.clips.length >= 2, `${event.clips.length} clips`);
  updatedRows.forEach((r, i) => {
    const updated = JSON.parse(r.payload) as WebhookPayload<"event.updated">;
    assert.equal(updated.data.change, "clip_added");
    assert.equal(updated.data.eventId, event.id);
    assert.deepEqual(
      updated.data.clips.map((c) => c.sequence),
      Array.from({ length: i + 1 }, (_, k) => k + 1),
      "the clips so far, the newest cut at the longest clip length",
    );
  });
  assert.equal(endedPayload.data.photoUrl, `${PUBLIC_URL}/api/v1/events/${event.id}/photo`);
  assert.ok(!JSON.stringify([startedPayload, endedPayload]).includes(sim.password), "no credentials in a payload");
  assert.ok(!JSON.stringify([startedPayload, endedPayload]).includes("rtsp://"), "no stream URLs in a payload");

  const loop = createDeliveryLoop(t.db, { credentialsKey: key });
  // One attempt per endpoint per step: the messages go out one step each, oldest first.
  for (let i = 0; i < total; i++) await (await loop.step(new Date())).settled;
  assert.deepEqual(
    received.map((r) => [r.type, r.verified]),
    [["event.started", true], ...updatedRows.map(() => ["event.updated", true]), ["event.ended", true]],
  );
  assert.deepEqual(
    (await t.db.webhookDelivery.findMany({ orderBy: { createdAt: "asc" } })).map((d) => d.status),
    Array.from({ length: total }, () => "delivered"),
  );
});
