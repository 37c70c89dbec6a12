// The public API /api/v1 end to end, as a program uses it: a personal access token made by the owner, plain HTTP
// clients without cookies, a simulated camera that records real events. Every control operation is called and what
// it changed is read back (through v1 and through the app's own routes and pages); every JSON answer is validated
// against its documented response schema (ajv, JSON Schema 2020-12) taken from GET /api/openapi.json. Also: events
// filters, a clip download (ftyp), live through a signed URL without any header, a snapshot (JPEG), storage, bad
// input. The camera and its recordings are deleted at the end (later specs expect none).
import { expect, test, type APIRequestContext, type APIResponse } from "@playwright/test";
import { Ajv2020 } from "ajv/dist/2020.js";
import { E2E_BASE_URL, OWNER_STATE, SIM } from "./fixtures/env";
import { anonymousClient, bearerClient, createMember, ownerApi, signedInPage } from "./fixtures/helpers";

test.describe.configure({ mode: "serial" });

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const SIM_CAMERA = 2;
const ALL_SCOPES = ["events:read", "live:watch", "cameras:control", "ptz:control", "household:manage"];

let doc: Json;
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
const validators = new Map<string, ReturnType<typeof ajv.compile>>();
let session: APIRequestContext; // the owner's browser session (the app's own routes)
let api: APIRequestContext; // the owner's token, no cookies
let anonymous: APIRequestContext; // nothing at all
let cameraId = "";
let otherCameraId = "";
let eventId = "";
let clipSeq = 1;


/** The JSON of a response after checking its status and validating it against the operation's documented schema. */
async function documented(res: APIResponse, operationId: string, status = 200): Promise<Json> {
  expect(res.status(), await res.text()).toBe(status);
  const body = await res.json();
  const found = Object.entries(doc.paths as Json).flatMap(([p, item]) => Object.entries(item as Json).map(([m, op]) => ({ p, m, op: op as Json }))).find((o) => o.op.operationId === operationId);
  expect(found, operationId).toBeTruthy();
  let response = found!.op.responses[String(status)];
  if (response.$ref) response = doc.components.responses[response.$ref.split("/").pop()];
  const schema = response.content["application/json"].schema;
  const key = `${operationId} ${status}`;
  let validate = validators.get(key);
  if (!validate) validators.set(key, (validate = ajv.compile(schema.$ref ? { $ref: `https://nightjar.test/openapi.json${schema.$ref}` } : schema)));
  expect(validate(body), `${operationId} ${status}: ${JSON.stringify(validate.errors)}`).toBe(true);
  return body;
}

/** Motion on or off in the simulated camera (its control API, outside the app). */
async function setSimMotion(on: boolean) {
  const res = await fetch(`${SIM.controlUrl}/cameras/${SIM_CAMERA}/motion`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ on }) });
  expect(res.ok).toBe(true);
}

const finished = (events: Json[]) => events.filter((e) => e.endedAt && e.clips.length > 0 && e.hasPhoto);

test.beforeAll(async () => {
  test.setTimeout(180_000);
  anonymous = await anonymousClient();
  const served = await anonymous.get("/api/openapi.json");
  expect(served.status()).toBe(200);
  doc = await served.json();
  ajv.addSchema({ ...doc, $id: "https://nightjar.test/openapi.json" });

  session = await ownerApi();
  const created = await session.post("/api/account/tokens", { data: { name: "e2e api", scopes: ALL_SCOPES } });
  expect(created.status(), await created.text()).toBe(201);
  api = await bearerClient((await created.json()).token);

  const add = await session.post("/api/cameras", { data: { name: "API yard", mainStreamUrl: SIM.rtsp(SIM_CAMERA), subStreamUrl: SIM.rtsp(SIM_CAMERA, "sub"), username: SIM.username, password: SIM.password } });
  expect(add.status()).toBe(201);
  cameraId = (await add.json()).camera.id;
  const other = await session.post("/api/cameras", { data: { name: "API shed", mainStreamUrl: SIM.rtsp(1), username: SIM.username, password: SIM.password, retentionDays: 7 } });
  expect(other.status()).toBe(201);
  otherCameraId = (await other.json()).camera.id;
});

test.afterAll(async () => {
  for (const id of [cameraId, otherCameraId].filter(Boolean)) await session.delete(`/api/cameras/${id}?recordings=delete`);
  await Promise.all([api?.dispose(), anonymous?.dispose(), session?.dispose()]);
});

test("the document is public and cacheable, at /api/openapi.json and /api/v1/openapi.json", async () => {
  const res = await anonymous.get("/api/openapi.json");
  expect(res.headers()["cache-control"]).toMatch(/^public, max-age=\d+/);
  const etag = res.headers()["etag"];
  expect(etag).toBeTruthy();
  expect((await anonymous.get("/api/openapi.json", { headers: { "if-none-match": etag } })).status()).toBe(304);
  const v1 = await anonymous.get("/api/v1/openapi.json");
  expect(v1.status()).toBe(200);
  expect(await v1.json()).toEqual(doc);
  expect(doc.openapi).toBe("3.1.0");
  expect(doc.servers[0].url).toBe(E2E_BASE_URL);
});

test("cameras: the list and one camera, with status, arming and privacy mode", async () => {
  const list = await documented(await api.get("/api/v1/cameras"), "listCameras");
  expect(list.cameras.map((c: Json) => c.id).sort()).toEqual([cameraId, otherCameraId].sort());
  const one = await documented(await api.get(`/api/v1/cameras/${cameraId}`), "getCamera");
  expect(one).toMatchObject({ id: cameraId, name: "API yard", armed: true, privacyMode: false, isEnabled: true });
  await expect.poll(async () => (await (await api.get(`/api/v1/cameras/${cameraId}`)).json()).status.state, { timeout: 20_000 }).toBe("online");
});

test("motion settings: replace through v1, read back through v1 and the app's own route", async () => {
  const settings = {
    minMotionMs: 300,
    quietMs: 1000,
    preRollMs: 1000,
    postRollMs: 1000,
    maxClipMs: 20_000,
    sensitivity: 55,
    zones: [
      { id: "whole", name: "Whole picture", points: [[0, 0], [1, 0], [1, 1], [0, 1]], sensitivity: 60 },
      { id: "tree", name: "Tree", points: [[0.9, 0], [1, 0], [1, 0.1]], kind: "mask" },
    ],
  };
  const put = await documented(await api.put(`/api/v1/cameras/${cameraId}/motion`, { data: settings }), "putMotionSettings");
  expect(put).toMatchObject({ ...settings, armed: true, schedule: [] });
  const read = await documented(await api.get(`/api/v1/cameras/${cameraId}/motion`), "getMotionSettings");
  expect(read).toEqual(put);
  expect(await (await session.get(`/api/cameras/${cameraId}/motion`)).json()).toEqual(put);
});

test("arm and disarm: v1, the app's route and the activity log (naming the token) agree", async () => {
  const off = await documented(await api.put(`/api/v1/cameras/${cameraId}/armed`, { data: { armed: false } }), "setCameraArmed");
  expect(off).toEqual({ cameraId, armed: false });
  expect((await (await api.get(`/api/v1/cameras/${cameraId}`)).json()).armed).toBe(false);
  expect((await (await session.get(`/api/cameras/${cameraId}/motion`)).json()).armed).toBe(false);
  // The rest of the settings stayed.
  expect((await (await api.get(`/api/v1/cameras/${cameraId}/motion`)).json()).quietMs).toBe(1000);
  const on = await documented(await api.put(`/api/v1/cameras/${cameraId}/armed`, { data: { armed: true } }), "setCameraArmed");
  expect(on.armed).toBe(true);
  const activity = (await (await session.get("/api/activity?scope=me&limit=50")).json()).items as Json[];
  const disarmed = activity.find((a) => a.action === "camera.disarmed" && a.camera?.id === cameraId);
  expect(disarmed).toBeTruthy();
  expect(typeof disarmed!.data.tokenId).toBe("string"); // the token that acted, not the session
  expect(activity.find((a) => a.action === "camera.armed" && a.camera?.id === cameraId)).toBeTruthy();
});

test("a zone: disable it and set its sensitivity; unknown zone 404; bad values 400 with fields", async () => {
  const zone = await documented(await api.patch(`/api/v1/cameras/${cameraId}/zones/tree`, { data: { enabled: false, sensitivity: 80 } }), "updateMotionZone");
  expect(zone).toMatchObject({ id: "tree", enabled: false, sensitivity: 80, kind: "mask" });
  const zones = (await (await session.get(`/api/cameras/${cameraId}/motion`)).json()).zones as Json[];
  expect(zones.map((z) => [z.id, z.enabled, z.sensitivity])).toEqual([["whole", true, 60], ["tree", false, 80]]);
  await documented(await api.patch(`/api/v1/cameras/${cameraId}/zones/nope`, { data: { enabled: true } }), "updateMotionZone", 404);
  const bad = await documented(await api.patch(`/api/v1/cameras/${cameraId}/zones/tree`, { data: { sensitivity: 500 } }), "updateMotionZone", 400);
  expect(bad.error.code).toBe("validation");
  expect(Object.keys(bad.error.fields)).toEqual(["sensitivity"]);
  expect((await documented(await api.patch(`/api/v1/cameras/${cameraId}/zones/tree`, { data: {} }), "updateMotionZone", 400)).error.code).toBe("validation");
  // Back on for the recording below (the mask only covers a corner anyway).
  await documented(await api.patch(`/api/v1/cameras/${cameraId}/zones/tree`, { data: { enabled: true } }), "updateMotionZone");
});

test("events: recorded motion is listed with the Events page's filters, one event, bad filters", async () => {
  test.setTimeout(150_000);
  await expect.poll(async () => (await (await session.get("/api/health")).json()).workers.recorder.ok, { timeout: 20_000 }).toBe(true);
  await new Promise((r) => setTimeout(r, 6000)); // the recorder picks up the settings and fills its pre-roll
  const events = async () => (await documented(await api.get(`/api/v1/events?camera=${cameraId}&limit=50`), "listEvents")).events as Json[];
  for (let attempt = 0; finished(await events()).length === 0 && attempt < 4; attempt++) {
    await setSimMotion(true);
    await new Promise((r) => setTimeout(r, 3000));
    await setSimMotion(false);
    const deadline = Date.now() + 25_000;
    while (Date.now() < deadline && finished(await events()).length === 0) await new Promise((r) => setTimeout(r, 1000));
  }
  const done = finished(await events());
  expect(done.length).toBeGreaterThan(0);
  eventId = done[0].id;
  clipSeq = done[0].clips[0].sequence;

  const one = await documented(await api.get(`/api/v1/events/${eventId}`), "getEvent");
  expect(one).toMatchObject({ id: eventId, cameraId, cameraName: "API yard", isProtected: false });
  // The same event as the app's own route shows it.
  expect((await (await session.get(`/api/events/${eventId}`)).json()).startedAt).toBe(one.startedAt);

  // Filters: protected only (none until one is protected through the app), a time window, the other camera, paging.
  expect((await documented(await api.get(`/api/v1/events?camera=${cameraId}&protected=yes`), "listEvents")).events).toEqual([]);
  expect((await session.patch(`/api/events/${eventId}`, { data: { isProtected: true } })).status()).toBe(200);
  expect((await documented(await api.get(`/api/v1/events?camera=${cameraId}&protected=yes`), "listEvents")).events.map((e: Json) => e.id)).toEqual([eventId]);
  await session.patch(`/api/events/${eventId}`, { data: { isProtected: false } });
  const startMs = Date.parse(one.startedAt);
  const windowed = await documented(await api.get(`/api/v1/events?camera=${cameraId}&from=${new Date(startMs).toISOString()}&to=${new Date(startMs + 1).toISOString()}`), "listEvents");
  expect(windowed.events.map((e: Json) => e.id)).toEqual([eventId]);
  expect((await documented(await api.get(`/api/v1/events?camera=${otherCameraId}`), "listEvents")).events).toEqual([]);
  const page = await documented(await api.get(`/api/v1/events?limit=1`), "listEvents");
  expect(page.events).toHaveLength(1);

  const bad = await documented(await api.get(`/api/v1/events?from=yesterday&limit=0`), "listEvents", 400);
  expect(bad.error.code).toBe("validation");
  expect(Object.keys(bad.error.fields)).toContain("limit");
  expect((await documented(await api.get(`/api/v1/events?from=2026-12-05&to=2026-12-01`), "listEvents", 400)).error.code).toBe("invalid_date_range");
  await documented(await api.get(`/api/v1/events/no-such-event`), "getEvent", 404);
});

test("a clip downloads as an MP4 (ftyp) with ranges; the photo is a JPEG", async () => {
  const clip = await api.get(`/api/v1/events/${eventId}/clips/${clipSeq}`);
  expect(clip.status()).toBe(200);
  expect(clip.headers()["content-type"]).toBe("video/mp4");
  expect(clip.headers()["content-disposition"]).toMatch(/^attachment;/);
  const bytes = await clip.body();
  expect(bytes.subarray(4, 8).toString("latin1")).toBe("ftyp");
  const part = await api.get(`/api/v1/events/${eventId}/clips/${clipSeq}`, { headers: { range: "bytes=0-99" } });
  expect(part.status()).toBe(206);
  expect((await part.body()).equals(bytes.subarray(0, 100))).toBe(true);
  await documented(await api.get(`/api/v1/events/${eventId}/clips/99`), "downloadClip", 404);
  await documented(await api.get(`/api/v1/events/${eventId}/clips/x`), "downloadClip", 400);

  const photo = await api.get(`/api/v1/events/${eventId}/photo`);
  expect(photo.status()).toBe(200);
  expect([...(await photo.body()).subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
  const thumb = await api.get(`/api/v1/events/${eventId}/photo?size=thumb`);
  expect((await thumb.body()).length).toBeLessThan((await photo.body()).length);
});

test("storage status: use, free, quota, days until full", async () => {
  const s = await documented(await api.get("/api/v1/storage"), "getStorage");
  expect(s.usedBytes).toBeGreaterThan(0);
  expect(s.freeBytes).toBeGreaterThan(0);
  expect(s.totalBytes).toBeGreaterThanOrEqual(s.freeBytes);
  expect(s.cameras.find((c: Json) => c.cameraId === cameraId)?.events).toBeGreaterThan(0);
  expect("daysUntilFull" in s && "quotaBytes" in s).toBe(true);
  // The same figure as the Storage page's route.
  expect((await (await session.get("/api/storage")).json()).usedBytes).toBe(s.usedBytes);
});

test("live through a signed URL, without any header: playlist, init and first segment; a snapshot", async () => {
  test.setTimeout(60_000);
  const signed = await documented(await api.post(`/api/v1/cameras/${cameraId}/signed-url`, { data: { path: "live", stream: "main", ttlSeconds: 120 } }), "createSignedUrl");
  const url = new URL(signed.url);
  expect(url.pathname).toBe(`/api/v1/cameras/${cameraId}/live/main/index.m3u8`);
  expect(Date.parse(signed.expiresAt) - Date.now()).toBeLessThanOrEqual(121_000);

  let playlist = "";
  await expect
    .poll(
      async () => {
        const res = await anonymous.get(url.pathname + url.search);
        playlist = res.status() === 200 ? await res.text() : "";
        return res.status();
      },
      { timeout: 30_000 },
    )
    .toBe(200);
  expect(playlist).toMatch(/^#EXTM3U/);
  const uris = [...playlist.matchAll(/^(?!#)(\S+)$/gm)].map((m) => m[1]);
  const init = /#EXT-X-MAP:URI="([^"]+)"/.exec(playlist)?.[1];
  expect(init).toBeTruthy();
  expect(uris.length).toBeGreaterThan(0);
  for (const uri of [init!, ...uris]) expect(uri).toContain(url.search.slice(1));
  const base = new URL(".", url);
  const initRes = await anonymous.get(new URL(init!, base).pathname + new URL(init!, base).search);
  expect(initRes.status()).toBe(200);
  expect((await initRes.body()).subarray(4, 8).toString("latin1")).toBe("ftyp");
  const seg = new URL(uris[0], base);
  const segRes = await anonymous.get(seg.pathname + seg.search);
  expect(segRes.status()).toBe(200);
  expect((await segRes.body()).length).toBeGreaterThan(100);

  // Without the signature, or outside the signed operations, nothing opens.
  expect((await anonymous.get(url.pathname)).status()).toBe(401);
  expect((await anonymous.get(`/api/v1/cameras/${cameraId}${url.search}`)).status()).toBe(401);
  expect((await anonymous.get(`/api/v1/cameras/${otherCameraId}/live/main/index.m3u8${url.search}`)).status()).toBe(401);

  const snap = await documented(await api.post(`/api/v1/cameras/${cameraId}/signed-url`, { data: { path: "snapshot" } }), "createSignedUrl");
  const snapUrl = new URL(snap.url);
  const jpeg = await anonymous.get(snapUrl.pathname + snapUrl.search, { timeout: 30_000 });
  expect(jpeg.status()).toBe(200);
  expect(jpeg.headers()["content-type"]).toBe("image/jpeg");
  expect([...(await jpeg.body()).subarray(0, 2)]).toEqual([0xff, 0xd8]);

  // With the token: the playlist names its segments without a signature.
  const withToken = await api.get(`/api/v1/cameras/${cameraId}/live/main/index.m3u8`);
  expect(withToken.status()).toBe(200);
  expect(await withToken.text()).not.toContain("sig=");
  const snapshot = await api.get(`/api/v1/cameras/${cameraId}/snapshot`, { timeout: 30_000 });
  expect([...(await snapshot.body()).subarray(0, 2)]).toEqual([0xff, 0xd8]);
});

test("privacy mode through v1: the camera says so, the app's route too, and live and snapshot are refused", async () => {
  const on = await documented(await api.put(`/api/v1/cameras/${cameraId}/privacy`, { data: { enabled: true } }), "setPrivacyMode");
  expect(on).toEqual({ cameraId, privacyMode: true });
  expect((await (await api.get(`/api/v1/cameras/${cameraId}`)).json()).privacyMode).toBe(true);
  expect((await (await session.get(`/api/cameras/${cameraId}`)).json()).privacyMode).toBe(true);
  expect((await documented(await api.get(`/api/v1/cameras/${cameraId}/snapshot`), "getSnapshot", 409)).error.code).toBe("privacy_mode");
  expect((await api.get(`/api/v1/cameras/${cameraId}/live/main/index.m3u8`)).status()).toBe(409);
  const off = await documented(await api.put(`/api/v1/cameras/${cameraId}/privacy`, { data: { enabled: false } }), "setPrivacyMode");
  expect(off.privacyMode).toBe(false);
  expect((await (await session.get(`/api/cameras/${cameraId}`)).json()).privacyMode).toBe(false);
});

test("bad input: unknown camera 404, invalid body 400 with fields, not JSON 415, no or bad token 401", async () => {
  await documented(await api.get("/api/v1/cameras/no-such-camera-id-0000"), "getCamera", 404);
  await documented(await api.put("/api/v1/cameras/no-such-camera-id-0000/armed", { data: { armed: true } }), "setCameraArmed", 404);
  const invalid = await documented(await api.put(`/api/v1/cameras/${cameraId}/armed`, { data: { armed: "yes" } }), "setCameraArmed", 400);
  expect(invalid.error.fields.armed.code).toBeTruthy();
  const motion = await documented(await api.put(`/api/v1/cameras/${cameraId}/motion`, { data: { quietMs: 1, zones: "none" } }), "putMotionSettings", 400);
  expect(Object.keys(motion.error.fields).sort()).toEqual(["quietMs", "zones"]);
  expect((await documented(await api.put(`/api/v1/cameras/${cameraId}/armed`, { data: "armed=true", headers: { "content-type": "text/plain" } }), "setCameraArmed", 415)).error.code).toBe("unsupported_media_type");
  await documented(await api.post(`/api/v1/cameras/${cameraId}/signed-url`, { data: { ttlSeconds: 86_400 } }), "createSignedUrl", 400);

  expect((await anonymous.get("/api/v1/cameras")).status()).toBe(401);
  const forged = await bearerClient("nj_not-a-real-token");
  const res = await forged.get("/api/v1/cameras");
  await documented(res, "listCameras", 401);
  expect(res.headers()["www-authenticate"]).toMatch(/^Bearer/);
  await forged.dispose();
  // The arming did not change through any of that.
  expect((await (await api.get(`/api/v1/cameras/${cameraId}`)).json()).armed).toBe(true);
});

test("a member's token: only the cameras granted to them (403 on another), no camera controls", async ({ browser }) => {
  const member = await createMember("member", "apimember");
  expect((await session.put(`/api/cameras/${otherCameraId}/access`, { data: { userIds: [member.id] } })).status()).toBe(200);
  const page = await signedInPage(browser, member.email, member.password);
  const made = await page.request.post("/api/account/tokens", { data: { name: "member script", scopes: ["events:read", "live:watch"] } });
  expect(made.status(), await made.text()).toBe(201);
  const theirs = await bearerClient((await made.json()).token);
  const list = await documented(await theirs.get("/api/v1/cameras"), "listCameras");
  expect(list.cameras.map((c: Json) => c.id)).toEqual([otherCameraId]);
  expect((await documented(await theirs.get(`/api/v1/cameras/${cameraId}`), "getCamera", 403)).error.code).toBe("forbidden");
  await documented(await theirs.get(`/api/v1/events/${eventId}`), "getEvent", 403);
  await documented(await theirs.get(`/api/v1/events?camera=${cameraId}`), "listEvents", 403);
  await documented(await theirs.post(`/api/v1/cameras/${cameraId}/signed-url`, { data: {} }), "createSignedUrl", 403);
  // No cameras:control scope (and the role could not hold it): refused before anything changes.
  const refused = await theirs.put(`/api/v1/cameras/${otherCameraId}/armed`, { data: { armed: false } });
  await documented(refused, "setCameraArmed", 403);
  expect(refused.headers()["www-authenticate"]).toContain("insufficient_scope");
  await documented(await theirs.get("/api/v1/storage"), "getStorage", 403);
  expect((await (await api.get(`/api/v1/cameras/${otherCameraId}`)).json()).armed).toBe(true);
  await theirs.dispose();
  await page.context().close();
});

test("the API reference page renders the document: a section per tag, operations with scope and examples", async ({ browser }) => {
  const context = await browser.newContext({ storageState: OWNER_STATE });
  const page = await context.newPage();
  await page.goto("/account");
  await page.getByRole("navigation", { name: "Account sections" }).getByRole("link", { name: "API reference" }).click();
  await expect(page).toHaveURL(/\/account\/api$/);
  await expect(page.getByRole("heading", { name: "API reference", level: 1 })).toBeVisible();
  for (const tag of doc.tags as Json[]) await expect(page.getByRole("region", { name: tag.name, exact: true })).toBeVisible();
  const arm = page.getByRole("article", { name: "PUT /api/v1/cameras/{id}/armed" });
  await expect(arm).toContainText("Arm or disarm motion detection");
  await expect(arm.getByTestId("scope")).toHaveText("cameras:control");
  await expect(arm.getByLabel("Request body: Example")).toContainText('"armed": false');
  await expect(arm.getByTestId("response-401")).toBeVisible();
  await expect(page.getByTestId("operation")).toHaveCount(Object.values(doc.paths as Json).reduce((n: number, item) => n + Object.keys(item as Json).length, 0));
  await context.close();
});
