// PTZ end to end below the routes: a real SQLite file, the simulator's ONVIF camera with a PTZ head (another without),
// and the rules: who may steer (the route's permission aside, who sees the camera), what a fixed, disabled, private
// or unreachable camera answers, presets (names unique and bounded, kept in the camera), the home settings.
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { after, before, describe, test } from "node:test";
import { setCameraAccess } from "../cameras/access";
import { isAppError } from "../errors";
import { createCamera } from "../cameras/cameras";
import { createTestDb, type TestDb } from "../testing/db";
import { errorCode } from "../testing/errors";
import { startOnvifService, type OnvifService } from "../simulator/onvif-service";
import { deletePreset, detectPtz, getPtz, gotoPreset, movePtz, notePtzCommand, renamePreset, returnIdleCamerasHome, savePreset, setPtzSettings } from "./ptz";

// This file owns 127.0.42.0/24.
const key = crypto.randomBytes(32);
const CREDS = { username: "admin", password: "ptz-pass" };
const DEVICE = { ...CREDS, manufacturer: "Nightjar", model: "PTZ Sim", firmware: "1.0", serial: "P1", hardwareId: "H", rtspPort: 8554 };
const admin = { id: "admin", role: "admin" as const };
const member = { id: "m1", role: "member" as const };
const stranger = { id: "m2", role: "member" as const };

describe("PTZ through lib/ptz", () => {
  let t: TestDb;
  let cam: OnvifService;
  let fixed: OnvifService;
  let ptzId: string;
  let fixedId: string;
  before(async () => {
    t = await createTestDb();
    for (const u of [admin, member, stranger]) await t.db.user.create({ data: { id: u.id, email: `${u.id}@example.com`, passwordHash: "x", role: u.role } });
    cam = await startOnvifService({ host: "127.0.42.1", port: 0, ...DEVICE, ptz: true });
    fixed = await startOnvifService({ host: "127.0.42.2", port: 0, ...DEVICE });
    ptzId = (await createCamera(t.db, { name: "Drive", mainStreamUrl: "rtsp://127.0.42.1:8554/main", onvifUrl: cam.deviceXaddr, credentials: CREDS, ptz: { xaddr: cam.ptzXaddr!, profileToken: "main" } }, key, "admin")).id;
    fixedId = (await createCamera(t.db, { name: "Porch", mainStreamUrl: "rtsp://127.0.42.2:8554/main", onvifUrl: fixed.deviceXaddr, credentials: CREDS }, key, "admin")).id;
    await setCameraAccess(t.db, ptzId, [member.id]);
    await setCameraAccess(t.db, fixedId, [member.id]);
  });
  after(async () => {
    await cam.close();
    await fixed.close();
    await t.cleanup();
  });

  test("a PTZ service on another host than the camera's is not kept", async () => {
    const other = await createCamera(t.db, { name: "Elsewhere", mainStreamUrl: "rtsp://127.0.42.3/main", onvifUrl: "http://127.0.42.3/onvif/device_service", ptz: { xaddr: "http://192.0.2.9/onvif/ptz", profileToken: "main" } }, key, "admin");
    assert.equal(other.hasPtz, false);
    assert.equal((await t.db.camera.findUniqueOrThrow({ where: { id: ptzId }, include: { status: true } })).ptzProfileToken, "main");
  });

  test("moves reach the camera; the view says where it points and whether it moves", async () => {
    await movePtz(t.db, member, ptzId, { action: "absolute", pan: 0.5, tilt: -0.25, zoom: 0.5 }, key);
    assert.deepEqual(cam.ptz!.position(), { pan: 0.5, tilt: -0.25, zoom: 0.5 });
    let view = await getPtz(t.db, member, ptzId, key);
    assert.deepEqual(view.position, { pan: 0.5, tilt: -0.25, zoom: 0.5 });
    assert.equal(view.moving, false);
    await movePtz(t.db, member, ptzId, { action: "continuous", pan: -1, timeoutMs: 5000 }, key);
    view = await getPtz(t.db, admin, ptzId, key);
    assert.equal(view.moving, true);
    await movePtz(t.db, admin, ptzId, { action: "stop" }, key); // another member's stop wins: last command
    assert.equal(cam.ptz!.status().moving.panTilt, false);
    await movePtz(t.db, member, ptzId, { action: "relative", zoom: 0.25 }, key);
    assert.equal(cam.ptz!.position().zoom, 0.75);
  });

  test("bad input is refused before the camera is asked", async () => {
    const before = cam.calls.AbsoluteMove ?? 0;
    for (const [command, field] of [
      [{ action: "absolute", pan: 1.5 }, "pan"],
      [{ action: "absolute", zoom: -0.5 }, "zoom"],
      [{ action: "continuous", tilt: 2 }, "tilt"],
      [{ action: "continuous", pan: 0.5, timeoutMs: 60_000 }, "timeoutMs"],
      [{ action: "relative" }, "pan"],
      [{ action: "absolute", pan: Number.NaN }, "pan"],
    ] as const) {
      const err = await movePtz(t.db, member, ptzId, command, key).catch((e: unknown) => e);
      assert.equal(isAppError(err) && err.code, "validation", JSON.stringify(command));
      assert.ok(Object.keys((err as { fields?: Record<string, string> }).fields ?? {}).includes(field), JSON.stringify(command));
    }
    assert.equal(cam.calls.AbsoluteMove ?? 0, before);
  });

  test("who may steer: only those who see the camera; a fixed camera is no_ptz; disabled and private cameras refuse", async () => {
    assert.equal(await errorCode(getPtz(t.db, stranger, ptzId, key)), "forbidden");
    assert.equal(await errorCode(movePtz(t.db, stranger, ptzId, { action: "stop" }, key)), "forbidden");
    assert.equal(await errorCode(getPtz(t.db, member, fixedId, key)), "no_ptz");
    assert.equal(await errorCode(movePtz(t.db, admin, fixedId, { action: "stop" }, key)), "no_ptz");
    assert.equal(await errorCode(getPtz(t.db, admin, "nope", key)), "not_found");
    await t.db.camera.update({ where: { id: ptzId }, data: { privacyMode: true } });
    assert.equal(await errorCode(movePtz(t.db, admin, ptzId, { action: "stop" }, key)), "privacy_mode");
    await t.db.camera.update({ where: { id: ptzId }, data: { privacyMode: false, isEnabled: false } });
    assert.equal(await errorCode(movePtz(t.db, admin, ptzId, { action: "stop" }, key)), "not_found");
    await t.db.camera.update({ where: { id: ptzId }, data: { isEnabled: true } });
  });

  test("presets: save, names unique (any case) and bounded, rename without moving, go to, delete in the camera too", async () => {
    await movePtz(t.db, member, ptzId, { action: "absolute", pan: -0.5, tilt: 0.5, zoom: 0 }, key);
    const door = await savePreset(t.db, member, ptzId, "  Front door ", key);
    assert.equal(door.name, "Front door");
    for (const [name, problem] of [["front DOOR", "name_taken"], ["", "too_small"], ["x".repeat(65), "too_big"], ["tab\there", "invalid_characters"]] as const) {
      const err = await savePreset(t.db, member, ptzId, name, key).catch((e: unknown) => e);
      assert.equal(isAppError(err) && err.code, "validation");
      assert.deepEqual((err as { fields: Record<string, string> }).fields, { name: problem }, name);
    }
    assert.equal(cam.ptz!.presets().length, 1, "refused names never reach the camera");
    await movePtz(t.db, member, ptzId, { action: "absolute", pan: 0.75, tilt: 0, zoom: 0.5 }, key);
    const drive = await savePreset(t.db, admin, ptzId, "Drive", key);
    const renamed = await renamePreset(t.db, member, ptzId, door.id, "Door");
    assert.equal(renamed.name, "Door");
    assert.deepEqual(cam.ptz!.position(), { pan: 0.75, tilt: 0, zoom: 0.5 }, "renaming does not move the camera");
    assert.equal(await errorCode(renamePreset(t.db, member, ptzId, drive.id, "door")), "validation");
    await gotoPreset(t.db, member, ptzId, door.id, key);
    assert.deepEqual(cam.ptz!.position(), { pan: -0.5, tilt: 0.5, zoom: 0 });
    assert.deepEqual((await getPtz(t.db, member, ptzId, key)).presets, [
      { id: door.id, name: "Door" },
      { id: drive.id, name: "Drive" },
    ]);
    await deletePreset(t.db, member, ptzId, drive.id, key);
    assert.deepEqual(
      cam.ptz!.presets().map((p) => p.name),
      ["Front door"], // the camera keeps the name it was saved with; Nightjar's is "Door"
    );
    assert.equal(await errorCode(gotoPreset(t.db, member, ptzId, drive.id, key)), "not_found");
    // Removed behind Nightjar's back: deleting it here still works.
    const token = (await t.db.ptzPreset.findUniqueOrThrow({ where: { id: door.id } })).token;
    cam.ptz!.removePreset(token);
    await deletePreset(t.db, member, ptzId, door.id, key);
    assert.equal(await t.db.ptzPreset.count({ where: { cameraId: ptzId } }), 0);
  });

  test("home settings: a preset of this camera, an idle time only with a home; deleting the home preset clears it", async () => {
    const home = await savePreset(t.db, admin, ptzId, "Home", key);
    assert.equal(await errorCode(setPtzSettings(t.db, admin, ptzId, { homePresetId: null, returnAfterMinutes: 5 })), "validation");
    assert.equal(await errorCode(setPtzSettings(t.db, admin, ptzId, { homePresetId: "other", returnAfterMinutes: 5 })), "validation");
    await setPtzSettings(t.db, admin, ptzId, { homePresetId: home.id, returnAfterMinutes: 5 });
    assert.deepEqual((await getPtz(t.db, admin, ptzId, key)).settings, { homePresetId: home.id, returnAfterMinutes: 5 });
    await deletePreset(t.db, admin, ptzId, home.id, key);
    assert.deepEqual((await getPtz(t.db, admin, ptzId, key)).settings, { homePresetId: null, returnAfterMinutes: 5 });
  });

  test("home: a camera nobody steered for its idle time goes home once, as Nightjar, with motion paused; not before", async () => {
    const home = await savePreset(t.db, admin, ptzId, "Rest", key);
    await setPtzSettings(t.db, admin, ptzId, { homePresetId: home.id, returnAfterMinutes: 10 });
    await movePtz(t.db, member, ptzId, { action: "absolute", pan: 0.9, tilt: 0.9, zoom: 1 }, key);
    const steeredAt = (await t.db.ptzMove.findUniqueOrThrow({ where: { cameraId: ptzId } })).lastCommandAt.getTime();
    const at = (minutes: number) => new Date(steeredAt + minutes * 60_000);
    assert.deepEqual(await returnIdleCamerasHome(t.db, at(9.9), key), { returned: 0, failed: 0 });
    assert.deepEqual(cam.ptz!.position(), { pan: 0.9, tilt: 0.9, zoom: 1 }, "not before its idle time");
    assert.deepEqual(await returnIdleCamerasHome(t.db, at(10), key), { returned: 1, failed: 0 });
    assert.deepEqual(cam.ptz!.position(), cam.ptz!.presets().find((p) => p.name === "Rest")!.position);
    const row = await t.db.ptzMove.findUniqueOrThrow({ where: { cameraId: ptzId } });
    assert.ok(row.pauseUntil.getTime() > at(10).getTime(), "the way home pauses motion too");
    assert.deepEqual(await returnIdleCamerasHome(t.db, at(30), key), { returned: 0, failed: 0 }, "once per idle spell");
    const logged = await t.db.activity.findFirst({ where: { action: "ptz.returned_home", cameraId: ptzId } });
    assert.equal(logged?.actorId, null);
    // Steered again (a command noted at minute 20): the idle time starts over.
    await notePtzCommand(t.db, ptzId, 0, at(20));
    assert.deepEqual(await returnIdleCamerasHome(t.db, at(29), key), { returned: 0, failed: 0 });
    assert.deepEqual(await returnIdleCamerasHome(t.db, at(30), key), { returned: 1, failed: 0 });
    await setPtzSettings(t.db, admin, ptzId, { homePresetId: null, returnAfterMinutes: null });
  });

  test("detect: asks the camera again and remembers; a camera that stops answering is ptz_unavailable, nothing is lost", async () => {
    await t.db.camera.update({ where: { id: ptzId }, data: { ptzXaddr: null, ptzProfileToken: null } });
    assert.deepEqual(await detectPtz(t.db, ptzId, key), { hasPtz: true });
    assert.deepEqual(await detectPtz(t.db, fixedId, key), { hasPtz: false });
    const presetsBefore = await t.db.ptzPreset.count();
    await cam.close();
    assert.equal(await errorCode(movePtz(t.db, member, ptzId, { action: "stop" }, key)), "ptz_unavailable");
    assert.equal(await errorCode(savePreset(t.db, member, ptzId, "Offline", key)), "ptz_unavailable");
    assert.equal(await t.db.ptzPreset.count(), presetsBefore);
    assert.equal(await errorCode(detectPtz(t.db, ptzId, key)), "ptz_unavailable");
    assert.equal((await t.db.camera.findUniqueOrThrow({ where: { id: ptzId } })).ptzProfileToken, "main", "an unanswered check keeps what was known");
  });
});
