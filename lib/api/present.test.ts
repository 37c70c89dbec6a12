// The v1 answers built from the real lib functions on a real migrated SQLite: cameras (arming from the motion
// settings, token camera limit), events, storage and webhooks each parse through their documented response schema and
// validate against the document's component schema (ajv, JSON Schema 2020-12) — the schemas fit what lib/ returns.
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { after, before, describe, test } from "node:test";
import { Ajv2020 } from "ajv/dist/2020.js";
import type { Viewer } from "../auth/viewer";
import { createCamera } from "../cameras/cameras";
import { setCameraArmed } from "../cameras/motion-settings";
import { getEventSummary, listEvents } from "../events/events";
import { parseFilters } from "../events/filters";
import { getStorageSummary } from "../retention/storage";
import { createTestDb, type TestDb } from "../testing/db";
import { errorCode } from "../testing/errors";
import { seedEvents } from "../testing/seed-events";
import { buildOpenApiDocument } from "./openapi";
import { apiStorage, getApiCamera, listApiCameras } from "./present";
import { createWebhookEndpoint, getWebhookEndpoint, listWebhookDeliveries, listWebhookEndpoints, queueTestDelivery, revealWebhookSecret, updateWebhookEndpoint } from "../webhooks/endpoints";
import { eventPageSchema, eventSchema, eventsQuery, webhookCreatedSchema, webhookDeliveriesSchema, webhookEndpointListSchema, webhookEndpointOneSchema, webhookSecretSchema, webhookTestSchema, webhookUpdatedSchema } from "./schemas";

const doc = buildOpenApiDocument() as { components: { schemas: Record<string, unknown> } };
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
ajv.addSchema({ ...doc, $id: "https://nightjar.test/openapi.json" });
function assertDocumented(component: string, value: unknown) {
  const validate = ajv.getSchema(`https://nightjar.test/openapi.json#/components/schemas/${component}`) ?? ajv.compile({ $ref: `https://nightjar.test/openapi.json#/components/schemas/${component}` });
  assert.equal(validate(value), true, JSON.stringify(validate.errors));
}

const viewer = (id: string, role: Viewer["role"], token: Viewer["token"] = null): Viewer => ({ id, role, token, email: `${id}@example.com`, username: null, displayName: null, isOwner: false, locale: null, timeZone: "UTC", mustChangePassword: false });

describe("v1 answers from real data", () => {
  let t: TestDb;
  const ids: string[] = [];
  before(async () => {
    t = await createTestDb();
    await t.db.user.create({ data: { id: "admin", email: "admin@example.com", passwordHash: "x", role: "admin" } });
    const key = crypto.randomBytes(32);
    for (const name of ["Porch", "Yard"]) ids.push((await createCamera(t.db, { name, mainStreamUrl: `rtsp://192.0.2.${ids.length + 1}/main` }, key, "admin")).id);
    await setCameraArmed(t.db, ids[1], false, "admin");
    const start = Date.now() - 3_600_000;
    seedEvents(t.file, [
      { id: "ev1", cameraId: ids[0], cameraName: "Porch", startedAt: new Date(start), endedAt: new Date(start + 20_000), clips: 2, photo: true },
      { id: "ev2", cameraId: ids[1], cameraName: "Yard", startedAt: new Date(start + 60_000), endedAt: null, clips: 0 },
      { id: "ev3", cameraId: null, cameraName: "Gone", startedAt: new Date(start + 120_000), endedAt: new Date(start + 130_000), clips: 1, isProtected: true },
    ], { clipBytes: 5000, photoBytes: 300, thumbBytes: 50 });
    // ev1 saw a person and a dog (object detection).
    await t.db.event.update({ where: { id: "ev1" }, data: { objectCount: 2 } });
    for (const [label, score] of [["dog", 0.64], ["person", 0.81]] as const) await t.db.eventLabel.create({ data: { eventId: "ev1", label, score, firstAt: new Date(start + 2000) } });
  });
  after(() => t.cleanup());

  test("cameras: arming from the motion settings, documented shape", async () => {
    const list = await listApiCameras(t.db, viewer("admin", "admin"));
    assertDocumented("CameraList", list);
    assert.deepEqual(list.cameras.map((c) => [c.name, c.armed, c.privacyMode, c.status.state]), [["Porch", true, false, "unknown"], ["Yard", false, false, "unknown"]]);
    assertDocumented("Camera", await getApiCamera(t.db, viewer("admin", "admin"), ids[1]));
  });

  test("cameras: a token limited to one camera sees that one; another is forbidden, an unknown one not_found", async () => {
    const limited = viewer("admin", "admin", { id: "tok", name: "t", scopes: ["events:read"], cameraIds: [ids[0]] });
    assert.deepEqual((await listApiCameras(t.db, limited)).cameras.map((c) => c.id), [ids[0]]);
    assert.equal(await errorCode(getApiCamera(t.db, limited, ids[1])), "forbidden");
    assert.equal(await errorCode(getApiCamera(t.db, limited, "nope")), "not_found");
  });

  test("events: a page and one event (open, deleted camera, protected) fit the Event schema", async () => {
    const page = eventPageSchema.parse(await listEvents(t.db, viewer("admin", "admin"), {}));
    assertDocumented("EventPage", page);
    assert.deepEqual(page.events.map((e) => e.id), ["ev3", "ev2", "ev1"]);
    for (const id of ["ev1", "ev2", "ev3"]) assertDocumented("Event", eventSchema.parse(await getEventSummary(t.db, viewer("admin", "admin"), id)));
  });

  test("events: labels and objectCount are documented and answered; the label filter", async () => {
    const labelled = eventSchema.parse(await getEventSummary(t.db, viewer("admin", "admin"), "ev1"));
    assertDocumented("Event", labelled);
    assert.deepEqual([labelled.labels, labelled.objectCount], [[{ label: "person", score: 0.81 }, { label: "dog", score: 0.64 }], 2]);
    const q = eventsQuery.parse({ label: ["animal"] });
    const filters = parseFilters({ camera: q.camera ?? [], from: "", to: "", protected: "", label: q.label ?? [], day: "" }, "UTC");
    const page = eventPageSchema.parse(await listEvents(t.db, viewer("admin", "admin"), filters));
    assertDocumented("EventPage", page);
    assert.deepEqual(page.events.map((e) => e.id), ["ev1"]);
    assert.equal(eventsQuery.safeParse({ label: Array.from({ length: 33 }, () => "cat") }).success, false);
  });

  test("storage: the figures of the Storage page in the documented shape", async () => {
    const summary = await getStorageSummary(t.db, { dataDir: t.dataDir, floorBytes: 1000, now: new Date(), timeZone: "UTC", readDisk: async () => ({ freeBytes: 9_000_000, totalBytes: 10_000_000 }) });
    const s = apiStorage(summary);
    assertDocumented("StorageStatus", s);
    assert.equal(s.usedBytes, summary.usedBytes);
    assert.ok(s.usedBytes >= 3 * 5000);
    assert.equal(s.freeBytes, 9_000_000);
    assert.equal(s.totalBytes, 10_000_000);
    assert.deepEqual(s.cameras.map((c) => c.cameraId), [ids[0], ids[1], null]);
  });

  test("webhooks: create, list, one, a test queued, disable (failing what is queued), the log and the secret fit their schemas", async () => {
    const key = crypto.randomBytes(32);
    const options = { credentialsKey: key, lookup: async () => [{ address: "127.0.0.1", family: 4 }] };
    const created = webhookCreatedSchema.parse(await createWebhookEndpoint(t.db, "admin", { url: "http://receiver.test/hook", description: "HA", eventTypes: ["event.ended", "event.started"] }, options));
    assertDocumented("WebhookCreated", created);
    assert.deepEqual(created.endpoint.eventTypes, ["event.started", "event.ended"]);
    const id = created.endpoint.id;
    assertDocumented("WebhookTestQueued", webhookTestSchema.parse(await queueTestDelivery(t.db, id)));
    const one = webhookEndpointOneSchema.parse({ endpoint: await getWebhookEndpoint(t.db, id) });
    assertDocumented("WebhookEndpointOne", one);
    assert.equal(one.endpoint.lastDelivery?.eventType, "webhook.test");
    const updated = webhookUpdatedSchema.parse(await updateWebhookEndpoint(t.db, id, { enabled: false, description: "" }, options));
    assertDocumented("WebhookUpdated", updated);
    assert.deepEqual([...updated.changed].sort(), ["description", "enabled"]);
    assertDocumented("WebhookEndpointList", webhookEndpointListSchema.parse({ endpoints: await listWebhookEndpoints(t.db) }));
    const log = webhookDeliveriesSchema.parse({ deliveries: await listWebhookDeliveries(t.db, id) });
    assertDocumented("WebhookDeliveries", log);
    assert.deepEqual(log.deliveries.map((d) => [d.eventType, d.status]), [["webhook.test", "pending"]], "a test message stays queued when its endpoint is disabled");
    const secret = webhookSecretSchema.parse({ secret: await revealWebhookSecret(t.db, id, options) });
    assertDocumented("WebhookSecret", secret);
    assert.equal(secret.secret, created.secret);
  });

  test("a response schema refuses what lib/ might one day return wrongly (it is not a pass-through)", () => {
    assert.throws(() => eventSchema.parse({ id: "x" }));
  });
});
