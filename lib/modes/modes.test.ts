// Household modes against a real SQLite database: the seeded three, switching (arming applied per camera, only
// where it differs; the activity record; the "mode.changed" fact), unknown modes, editing rules, the "camera.changed"
// fact from the camera switches, and the scheduler's minute job driven by a fake clock.
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { after, before, beforeEach, describe, test } from "node:test";
import { resetActivityDedupe } from "../activity/record";
import { createCamera, updateCamera } from "../cameras/cameras";
import { getMotionSettings, setCameraArmed } from "../cameras/motion-settings";
import { fakeClock } from "../clock";
import type { Db } from "../db";
import { setPrivacyMode } from "../privacy/privacy-mode";
import { createTestDb, type TestDb } from "../testing/db";
import { errorCode } from "../testing/errors";
import { translator } from "../i18n/translate";
import { cameraModeSettings, createMode, deleteMode, getActiveMode, getModeState, listModes, localizeModeName, switchMode, updateMode } from "./modes";
import { createModeScheduleCheck } from "./schedule-job";

const key = crypto.randomBytes(32);

async function facts(db: Db, type: string) {
  return (await db.fact.findMany({ where: { type }, orderBy: { id: "asc" } })).map((f) => JSON.parse(f.data) as Record<string, unknown>);
}

async function armed(db: Db, cameraId: string) {
  return (await getMotionSettings(db, cameraId)).armed;
}

describe("household modes", () => {
  let t: TestDb;
  let yard = "";
  let hall = "";
  before(async () => {
    t = await createTestDb();
    await t.db.household.create({ data: { id: 1, name: "Ours" } });
    await t.db.user.create({ data: { id: "admin", email: "admin@example.com", passwordHash: "x", role: "admin" } });
    yard = (await createCamera(t.db, { name: "Yard", mainStreamUrl: "rtsp://192.0.2.20/main" }, key, "admin")).id;
    hall = (await createCamera(t.db, { name: "Hall", mainStreamUrl: "rtsp://192.0.2.21/main" }, key, "admin")).id;
  });
  after(() => t.cleanup());
  beforeEach(() => resetActivityDedupe());

  test("three built in, Home in force before any switch; absent cameras are armed and notify", async () => {
    const modes = await listModes(t.db);
    assert.deepEqual(modes.map((m) => [m.id, m.key, m.name]), [["mode_home", "home", "Home"], ["mode_away", "away", "Away"], ["mode_night", "night", "Night"]]);
    assert.equal((await getActiveMode(t.db)).key, "home");
    assert.deepEqual(cameraModeSettings(modes[0], yard), { armed: true, notify: true });
  });

  test("switching applies each camera's armed flag, writes only what differs, records and tells", async () => {
    await updateMode(t.db, "mode_away", { cameras: { [hall]: { armed: false, notify: false } } }, "admin");
    await updateMode(t.db, "mode_night", { cameras: { [yard]: { armed: true, notify: true }, [hall]: { armed: false, notify: true } } }, "admin");
    const diagnosticsBefore = await t.db.cameraDiagnostic.count({ where: { cameraId: yard } });

    const away = await switchMode(t.db, "away", { via: "ui", actorId: "admin", now: new Date("2026-12-05T10:00:00Z") });
    assert.equal(away.id, "mode_away");
    assert.equal(await armed(t.db, hall), false);
    assert.equal(await armed(t.db, yard), true);
    assert.equal(await t.db.cameraDiagnostic.count({ where: { cameraId: yard } }), diagnosticsBefore, "the yard was armed already: not written");

    const state = await getModeState(t.db);
    assert.equal(state.active.id, "mode_away");
    assert.equal(state.changedAt?.toISOString(), "2026-12-05T10:00:00.000Z");
    assert.equal(state.changedVia, "ui");
    assert.deepEqual(state.changedBy, { id: "admin", name: "admin@example.com" });
    assert.deepEqual(cameraModeSettings(state.active, hall), { armed: false, notify: false });

    const record = await t.db.activity.findFirst({ where: { action: "mode.switch" }, orderBy: { id: "desc" } });
    assert.equal(record?.actorId, "admin");
    assert.equal(record?.targetId, "mode_away");
    assert.deepEqual(JSON.parse(record!.data), { via: "ui", previousModeId: null });

    assert.deepEqual((await facts(t.db, "mode.changed")).at(-1), { modeId: "mode_away", modeName: "Away", previousModeId: null, via: "ui", actorId: "admin" });
    assert.deepEqual((await facts(t.db, "camera.changed")).at(-1), { cameraId: hall, cameraName: "Hall", armed: false });

    // Home again (by name, any case): the hall is armed again.
    await switchMode(t.db, "HOME", { via: "mqtt", actorId: null });
    assert.equal(await armed(t.db, hall), true);
    const byMqtt = await t.db.activity.findFirst({ where: { action: "mode.switch" }, orderBy: { id: "desc" } });
    assert.equal(byMqtt?.actorId, null);
    assert.deepEqual(JSON.parse(byMqtt!.data), { via: "mqtt", previousModeId: "mode_away" });
  });

  test("an unknown mode is not_found and changes nothing", async () => {
    const before = await getModeState(t.db);
    assert.equal(await errorCode(switchMode(t.db, "holiday", { via: "api", actorId: "admin" })), "not_found");
    const after = await getModeState(t.db);
    assert.equal(after.active.id, before.active.id);
    assert.equal(after.changedAt?.getTime(), before.changedAt?.getTime());
  });

  test("a token's switch names the token in the record", async () => {
    await switchMode(t.db, "mode_home", { via: "api", actorId: "admin", tokenId: "tok1" });
    const record = await t.db.activity.findFirst({ where: { action: "mode.switch" }, orderBy: { id: "desc" } });
    assert.equal(JSON.parse(record!.data).tokenId, "tok1");
  });

  test("editing: add, rename, unique names, unknown cameras, the built-in three and the active mode stay", async () => {
    const holiday = await createMode(t.db, { name: "Holiday" });
    assert.equal(holiday.key, null);
    assert.equal(holiday.position, 3);
    assert.equal(await errorCode(createMode(t.db, { name: "holiday" })), "validation");
    assert.equal(await errorCode(updateMode(t.db, "mode_night", { name: "Away" }, "admin")), "validation");
    const renamed = await updateMode(t.db, "mode_night", { name: "Sleep" }, "admin");
    assert.deepEqual(renamed.changed, ["name"]);
    assert.equal((await switchMode(t.db, "sleep", { via: "ui", actorId: "admin" })).id, "mode_night", "found by its new name");
    assert.equal((await switchMode(t.db, "night", { via: "ui", actorId: "admin" })).id, "mode_night", "and by its key");
    assert.equal(await errorCode(updateMode(t.db, holiday.id, { cameras: { nope: { armed: false, notify: false } } }, "admin")), "validation");
    assert.equal(await errorCode(updateMode(t.db, "no-such-mode", { name: "X" }, "admin")), "not_found");
    assert.equal(await errorCode(deleteMode(t.db, "mode_away")), "validation");
    await switchMode(t.db, holiday.id, { via: "ui", actorId: "admin" });
    assert.equal(await errorCode(deleteMode(t.db, holiday.id)), "validation", "the mode in force");
    await switchMode(t.db, "home", { via: "ui", actorId: "admin" });
    await deleteMode(t.db, holiday.id);
    assert.equal((await listModes(t.db)).length, 3);
    assert.equal(await errorCode(deleteMode(t.db, holiday.id)), "not_found");
  });

  test("changing the armed flag of the mode in force applies it at once", async () => {
    await switchMode(t.db, "home", { via: "ui", actorId: "admin" });
    await updateMode(t.db, "mode_home", { cameras: { [yard]: { armed: false, notify: true } } }, "admin");
    assert.equal(await armed(t.db, yard), false);
    await updateMode(t.db, "mode_home", { cameras: { [yard]: { armed: true, notify: true } } }, "admin");
    assert.equal(await armed(t.db, yard), true);
    // Merged, not replaced: the hall's entry in Night is still there.
    assert.deepEqual((await listModes(t.db)).find((m) => m.id === "mode_night")!.cameras[hall], { armed: false, notify: true });
  });

  test("after a factory reset emptied the table, the built-in three come back", async () => {
    await t.db.householdMode.deleteMany({});
    assert.deepEqual((await listModes(t.db)).map((m) => m.key), ["home", "away", "night"]);
  });
});

describe("camera.changed facts from the camera switches", () => {
  let t: TestDb;
  let cam = "";
  before(async () => {
    t = await createTestDb();
    await t.db.household.create({ data: { id: 1, name: "Ours" } });
    await t.db.user.create({ data: { id: "admin", email: "admin@example.com", passwordHash: "x", role: "admin" } });
    cam = (await createCamera(t.db, { name: "Porch", mainStreamUrl: "rtsp://192.0.2.30/main" }, key, "admin")).id;
  });
  after(() => t.cleanup());

  test("arming, privacy mode, recording on/off; other changes tell nothing", async () => {
    await setCameraArmed(t.db, cam, false, "admin");
    await setPrivacyMode(t.db, { id: "admin", role: "admin" }, cam, true);
    await updateCamera(t.db, cam, { recordingEnabled: false }, key, "admin");
    await updateCamera(t.db, cam, { recordingEnabled: false, name: "Front porch" }, key, "admin"); // unchanged flag
    await updateCamera(t.db, cam, { retentionDays: 9 }, key, "admin");
    assert.deepEqual(await facts(t.db, "camera.changed"), [
      { cameraId: cam, cameraName: "Porch", armed: false },
      { cameraId: cam, cameraName: "Porch", privacyMode: true },
      { cameraId: cam, cameraName: "Porch", recordingEnabled: false },
    ]);
    const rows = await t.db.fact.findMany({ where: { type: "camera.changed" } });
    assert.ok(rows.every((r) => r.cameraId === cam));
  });
});

describe("the scheduler's minute job (fake clock, UTC)", () => {
  let t: TestDb;
  let cam = "";
  before(async () => {
    t = await createTestDb();
    await t.db.household.create({ data: { id: 1, name: "Ours" } });
    cam = (await createCamera(t.db, { name: "Drive", mainStreamUrl: "rtsp://192.0.2.40/main" }, key, null)).id;
    await updateMode(t.db, "mode_night", { cameras: { [cam]: { armed: false, notify: true } }, schedule: [{ days: [0, 1, 2, 3, 4, 5, 6], at: "23:00" }] }, null);
    await updateMode(t.db, "mode_home", { schedule: [{ days: [0, 1, 2, 3, 4, 5, 6], at: "07:00" }] }, null);
  });
  after(() => t.cleanup());

  test("switches when the time passes, once; a later manual switch stands; a restart does not replay the past", async () => {
    const clock = fakeClock("2026-01-14T22:58:00.010Z");
    const check = createModeScheduleCheck(() => "UTC");
    const minute = async () => {
      clock.advance(60_000);
      return (await check(t.db, clock)).switched;
    };
    assert.equal((await check(t.db, clock)).switched, 0, "first look: nothing due in the last 90 s");
    assert.equal(await minute(), 0); // 22:59
    assert.equal(await minute(), 1); // 23:00: Night
    let state = await getModeState(t.db);
    assert.equal(state.active.id, "mode_night");
    assert.equal(state.changedVia, "schedule");
    assert.equal(state.changedBy, null);
    assert.equal(await armed(t.db, cam), false);
    const record = await t.db.activity.findFirst({ where: { action: "mode.switch" }, orderBy: { id: "desc" } });
    assert.equal(record?.actorId, null);
    assert.equal(JSON.parse(record!.data).via, "schedule");
    assert.equal(await minute(), 0, "23:01: nothing new");

    // At 23:30 someone switches to Home by hand: it stands until the next scheduled time (07:00 is Home anyway).
    clock.set("2026-01-14T23:30:00Z");
    await switchMode(t.db, "away", { via: "ui", actorId: null, now: clock.now() });
    for (let i = 0; i < 5; i++) assert.equal(await minute(), 0);
    assert.equal((await getModeState(t.db)).active.id, "mode_away");

    // A job run twice in the same minute (or right after a switch) does nothing more.
    clock.set("2026-01-15T07:00:00.020Z");
    assert.equal((await check(t.db, clock)).switched, 1);
    assert.equal((await check(t.db, clock)).switched, 0);
    assert.equal((await getModeState(t.db)).active.id, "mode_home");

    // A manual switch right after 23:00 but before the job's look: the job must not override it.
    clock.set("2026-01-15T22:59:30Z");
    assert.equal((await check(t.db, clock)).switched, 0);
    clock.set("2026-01-15T23:00:05Z");
    await switchMode(t.db, "away", { via: "ui", actorId: null, now: clock.now() });
    clock.set("2026-01-15T23:00:30Z");
    assert.equal((await check(t.db, clock)).switched, 0);
    assert.equal((await getModeState(t.db)).active.id, "mode_away");

    // A new process (new check) at 23:10 does not replay 23:00.
    clock.set("2026-01-15T23:10:00Z");
    await switchMode(t.db, "home", { via: "ui", actorId: null, now: new Date("2026-01-15T22:00:00Z") });
    const fresh = createModeScheduleCheck(() => "UTC");
    assert.equal((await fresh(t.db, clock)).switched, 0);
    state = await getModeState(t.db);
    assert.equal(state.active.id, "mode_home");
  });
});

describe("the name a member reads", () => {
  const cases: { mode: { key: string | null; name: string }; locale: "en" | "nl" | "de" | "sv"; reads: string }[] = [
    { mode: { key: "home", name: "Home" }, locale: "nl", reads: "Thuis" },
    { mode: { key: "away", name: "Away" }, locale: "de", reads: "Abwesend" },
    { mode: { key: "night", name: "Night" }, locale: "sv", reads: "Natt" },
    { mode: { key: "night", name: "Night" }, locale: "en", reads: "Night" },
    // Renamed by an admin: stays as written, in every language.
    { mode: { key: "home", name: "At home" }, locale: "nl", reads: "At home" },
    // An added mode named like a built-in one is not a built-in one.
    { mode: { key: null, name: "Away" }, locale: "de", reads: "Away" },
  ];
  for (const c of cases) {
    test(`${c.mode.key ?? "added"} "${c.mode.name}" in ${c.locale} reads "${c.reads}"`, () => {
      assert.equal(localizeModeName(c.mode, translator(c.locale)).name, c.reads);
    });
  }
});
