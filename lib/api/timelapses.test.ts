// The v1 timelapse routes (app/api/v1/timelapses/**) called as Next calls them, with real bearer tokens on a real
// migrated SQLite: a real day of frames (ffmpeg's test pattern through the recorder's capture path) made into an MP4 by
// the runner with a fake clock. A token with events:read lists, reads and downloads it (range requests, the download
// name, one activity record); a token limited to another camera gets 404 and does not see it; a token without the
// scope gets 403 insufficient_scope; answers fit the document's schemas; the storage status keeps the timelapse figures.
import assert from "node:assert/strict";
import { AsyncLocalStorage } from "node:async_hooks";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { Ajv2020 } from "ajv/dist/2020.js";
import { createApiToken } from "../auth/api-tokens";
import { createCamera } from "../cameras/cameras";
import { fakeClock } from "../clock";
import { createTestDb, type TestDb } from "../testing/db";
import { captureSimulatedDay, makeSegments } from "../testing/timelapse-day";
import { dayRange } from "../time";
import { stepTimelapses } from "../timelapse/runner";
import { TIMELAPSE_DAY_SETTLE_MS } from "../timelapse/settings";
import { getStorageSummary } from "../retention/storage";
import { buildOpenApiDocument } from "./openapi";
import { apiStorage } from "./present";

// Next keeps its request state in AsyncLocalStorage, which its server puts on globalThis; route() reads cookies()
// (for the locale), which outside a request throws. A work store with forceStatic gives it an empty cookie jar — the
// bearer requests here carry none. The route modules are imported after the global is set (see before()).
(globalThis as { AsyncLocalStorage?: unknown }).AsyncLocalStorage ??= AsyncLocalStorage;

type Handler<P> = (req: Request, ctx: { params: Promise<P> }) => Promise<Response>;
type Routes = {
  list: Handler<Record<string, string>>;
  one: Handler<{ id: string }>;
  video: Handler<{ id: string }>;
  inRequest: <T>(fn: () => Promise<T>) => Promise<T>;
};

const doc = buildOpenApiDocument() as Record<string, unknown>;
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
ajv.addSchema({ ...doc, $id: "https://nightjar.test/openapi.json" });
function assertDocumented(component: string, value: unknown) {
  const validate = ajv.getSchema(`https://nightjar.test/openapi.json#/components/schemas/${component}`) ?? ajv.compile({ $ref: `https://nightjar.test/openapi.json#/components/schemas/${component}` });
  assert.equal(validate(value), true, JSON.stringify(validate.errors));
}

describe("v1 timelapses with tokens", () => {
  let t: TestDb;
  let work: string;
  let r: Routes;
  const zone = "UTC";
  const day = "2026-11-20";
  const key = crypto.randomBytes(32);
  const member = { id: "m", role: "member" as const };
  const tokens = { reader: "", limited: "", liveOnly: "" };
  let porch: { id: string; name: string };
  let yard: { id: string; name: string };
  let readyId = "";
  let capturingId = "";

  /** A GET as a program sends it: Authorization: Bearer, to the route's /api/v1 URL. */
  const get = async <P>(handler: Handler<P>, token: string, url: string, params: P, headers: Record<string, string> = {}) =>
    r.inRequest(() => handler(new Request(`http://nvr.test${url}`, { headers: { authorization: `Bearer ${token}`, ...headers } }), { params: Promise.resolve(params) }));
  const list = async (token: string, query = "") => get(r.list, token, `/api/v1/timelapses${query}`, {});
  const one = async (token: string, id: string) => get(r.one, token, `/api/v1/timelapses/${id}`, { id });
  const video = async (token: string, id: string, headers: Record<string, string> = {}) => get(r.video, token, `/api/v1/timelapses/${id}/video`, { id }, headers);
  const ids = async (res: Response) => {
    assert.equal(res.status, 200);
    const body = await res.json();
    assertDocumented("TimelapseList", body);
    return (body.timelapses as { id: string }[]).map((x) => x.id);
  };

  before(async () => {
    t = await createTestDb();
    const { workAsyncStorage } = await import("next/dist/server/app-render/work-async-storage.external");
    r = {
      list: (await import("../../app/api/v1/timelapses/route")).GET,
      one: (await import("../../app/api/v1/timelapses/[id]/route")).GET,
      video: (await import("../../app/api/v1/timelapses/[id]/video/route")).GET,
      inRequest: (fn) => workAsyncStorage.run({ route: "/api/v1/timelapses", forceStatic: true } as never, fn),
    };
    await t.db.user.create({ data: { id: member.id, email: "mem@x.test", passwordHash: "x", role: "member" } });
    porch = { id: (await createCamera(t.db, { name: "Porch", mainStreamUrl: "rtsp://127.0.0.1:1/main" }, key, null)).id, name: "Porch" };
    yard = { id: (await createCamera(t.db, { name: "Yard", mainStreamUrl: "rtsp://127.0.0.1:1/main" }, key, null)).id, name: "Yard" };
    for (const c of [porch, yard]) await t.db.cameraAccess.create({ data: { cameraId: c.id, userId: member.id } });
    const now = new Date();
    const token = async (name: string, scopes: string[], cameraIds?: string[]) =>
      (await createApiToken(t.db, member, { name, scopes, cameraIds }, { now, visibleCameraIds: [porch.id, yard.id] })).token;
    tokens.reader = await token("Script", ["events:read"]);
    tokens.limited = await token("Yard only", ["events:read"], [yard.id]);
    tokens.liveOnly = await token("Player", ["live:watch"]);

    // The porch's day, hourly: 24 frames, made into an MP4 once the day has settled. The yard's next day is still
    // being captured at that time.
    work = fs.mkdtempSync(path.join(os.tmpdir(), "nightjar-v1-timelapse-"));
    const h264 = await makeSegments("ffmpeg", path.join(work, "h264"), { kind: "pattern", codec: "h264", width: 320, height: 240, seconds: 2 });
    assert.equal(await captureSimulatedDay(t.db, t.dataDir, h264, { camera: porch, day, timeZone: zone, intervalSeconds: 3600 }), 24);
    const nextDay = "2026-11-21";
    const { from: nextFrom } = dayRange(nextDay, zone);
    await captureSimulatedDay(t.db, t.dataDir, h264, { camera: yard, day: nextDay, timeZone: zone, intervalSeconds: 3600, toMs: nextFrom.getTime() + 2 * 3_600_000 });
    const clock = fakeClock(dayRange(day, zone).to.getTime() + TIMELAPSE_DAY_SETTLE_MS);
    await stepTimelapses(t.db, { dataDir: t.dataDir, ffmpegPath: "ffmpeg", clock });
    const ready = await t.db.timelapse.findFirstOrThrow({ where: { cameraId: porch.id } });
    assert.equal(ready.status, "ready", ready.error ?? "");
    readyId = ready.id;
    const capturing = await t.db.timelapse.findFirstOrThrow({ where: { cameraId: yard.id } });
    assert.equal(capturing.status, "capturing");
    capturingId = capturing.id;
  });
  after(async () => {
    await t?.cleanup();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  test("events:read lists them newest first; camera and status narrow the list; a bad status is 400 validation", async () => {
    assert.deepEqual(await ids(await list(tokens.reader)), [capturingId, readyId]);
    assert.deepEqual(await ids(await list(tokens.reader, "?status=ready")), [readyId]);
    assert.deepEqual(await ids(await list(tokens.reader, `?camera=${yard.id}`)), [capturingId]);
    assert.deepEqual(await ids(await list(tokens.reader, `?camera=${porch.id}&status=capturing`)), []);
    const bad = await list(tokens.reader, "?status=done");
    assert.equal(bad.status, 400);
    assert.equal((await bad.json()).error.fields.status.code, "invalid_value");
  });

  test("events:read reads one: the documented fields, not where its file lies", async () => {
    const res = await one(tokens.reader, readyId);
    assert.equal(res.status, 200);
    const body = await res.json();
    assertDocumented("Timelapse", body);
    assert.deepEqual([body.id, body.cameraId, body.cameraName, body.kind, body.day, body.status, body.frameCount], [readyId, porch.id, "Porch", "day", day, "ready", 24]);
    assert.equal("path" in body, false);
    assert.equal((await one(tokens.reader, "no-such-id")).status, 404);
  });

  test("events:read downloads the ready MP4 as an attachment, with range requests; one activity record per download", async () => {
    const row = await t.db.timelapse.findUniqueOrThrow({ where: { id: readyId } });
    const res = await video(tokens.reader, readyId);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "video/mp4");
    assert.match(res.headers.get("content-disposition") ?? "", /^attachment;.*filename="Porch timelapse 2026-11-20\.mp4"/);
    const bytes = Buffer.from(await res.arrayBuffer());
    assert.equal(bytes.length, row.bytes);
    assert.equal(bytes.subarray(4, 8).toString("latin1"), "ftyp");

    const part = await video(tokens.reader, readyId, { range: "bytes=100-199" });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get("content-range"), `bytes 100-199/${row.bytes}`);
    assert.deepEqual(Buffer.from(await part.arrayBuffer()), bytes.subarray(100, 200));

    const recorded = await t.db.activity.findMany({ where: { action: "timelapse.download", targetId: readyId } });
    assert.equal(recorded.length, 1, "a resumed range is the same download");
    assert.deepEqual([recorded[0].actorId, recorded[0].cameraId, "tokenId" in JSON.parse(recorded[0].data)], [member.id, porch.id, true]);
    assert.equal((await video(tokens.reader, capturingId)).status, 404, "no video while the day is captured");
  });

  test("a token limited to another camera does not see it: 404 for it and its video, not in the list", async () => {
    assert.deepEqual(await ids(await list(tokens.limited)), [capturingId]);
    assert.deepEqual(await ids(await list(tokens.limited, `?camera=${porch.id}`)), []);
    for (const res of [await one(tokens.limited, readyId), await video(tokens.limited, readyId)]) {
      assert.equal(res.status, 404);
      assert.equal((await res.json()).error.code, "not_found");
    }
    assert.equal((await one(tokens.limited, capturingId)).status, 200);
  });

  test("a token without events:read gets 403 insufficient_scope on all three", async () => {
    for (const res of [await list(tokens.liveOnly), await one(tokens.liveOnly, readyId), await video(tokens.liveOnly, readyId)]) {
      assert.equal(res.status, 403);
      assert.equal((await res.json()).error.code, "forbidden");
      assert.match(res.headers.get("www-authenticate") ?? "", /insufficient_scope/);
    }
  });

  test("the storage status carries the timelapse figures (in all and per camera) through its documented schema", async () => {
    const summary = await getStorageSummary(t.db, { dataDir: t.dataDir, floorBytes: 1000, now: new Date(), timeZone: zone, readDisk: async () => ({ freeBytes: 9e9, totalBytes: 1e10 }) });
    const s = apiStorage(summary);
    assertDocumented("StorageStatus", s);
    const rows = await t.db.timelapse.findMany();
    const sum = (f: (x: (typeof rows)[number]) => number) => rows.reduce((n, x) => n + f(x), 0);
    assert.deepEqual(s.timelapse, { bytes: sum((x) => x.bytes + x.framesBytes), videoBytes: sum((x) => x.bytes), framesBytes: sum((x) => x.framesBytes), count: 2 });
    assert.ok(s.timelapse.videoBytes > 0 && s.timelapse.framesBytes > 0);
    const porchRow = rows.find((x) => x.cameraId === porch.id)!;
    assert.equal(s.cameras.find((c) => c.cameraId === porch.id)?.timelapseBytes, porchRow.bytes + porchRow.framesBytes);
  });
});
