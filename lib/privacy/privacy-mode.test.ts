// Who may switch a camera's privacy mode, table-tested, and the switch against a real database.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Role } from "../household/roles";
import { createTestDb, type TestDb } from "../testing/db";
import { errorCode } from "../testing/errors";
import { canSwitchPrivacyMode, maySwitchPrivacyMode, setPrivacyMode } from "./privacy-mode";
import { getPrivacySettings, mayExportMedia, updatePrivacySettings } from "./settings";

describe("maySwitchPrivacyMode", () => {
  const cases: [Role, string, boolean, boolean][] = [
    ["admin", "admin", true, true],
    ["admin", "member", true, true],
    ["member", "admin", true, false],
    ["member", "member", true, true],
    ["member", "member", false, false],
    ["viewer", "admin", true, false],
    ["viewer", "member", true, false],
  ];
  for (const [role, setting, sees, expected] of cases) {
    test(`${role}, setting ${setting}, ${sees ? "sees" : "does not see"} the camera → ${expected}`, () => assert.equal(maySwitchPrivacyMode(role, setting, sees), expected));
  }
});

describe("setPrivacyMode", () => {
  let t: TestDb;
  const admin = { id: "a", role: "admin" as const };
  const member = { id: "m", role: "member" as const };
  const stranger = { id: "s", role: "member" as const };
  const viewer = { id: "v", role: "viewer" as const };
  before(async () => {
    t = await createTestDb();
    await t.db.household.create({ data: { id: 1, name: "Nest" } });
    for (const u of [admin, member, stranger, viewer]) await t.db.user.create({ data: { id: u.id, email: `${u.id}@x.test`, passwordHash: "x", role: u.role } });
    await t.db.camera.create({ data: { id: "cam", name: "Nursery", mainStreamUrl: "rtsp://192.0.2.1/m" } });
    await t.db.cameraAccess.createMany({ data: [{ cameraId: "cam", userId: member.id }, { cameraId: "cam", userId: viewer.id }] });
  });
  after(() => t.cleanup());

  const mode = async () => (await t.db.camera.findUniqueOrThrow({ where: { id: "cam" } })).privacyMode;

  test("an admin switches it; the camera row changes (the recorder pool restarts on updatedAt)", async () => {
    const before = (await t.db.camera.findUniqueOrThrow({ where: { id: "cam" } })).updatedAt;
    await new Promise((r) => setTimeout(r, 5));
    assert.deepEqual(await setPrivacyMode(t.db, admin, "cam", true), { id: "cam", privacyMode: true });
    const row = await t.db.camera.findUniqueOrThrow({ where: { id: "cam" } });
    assert.equal(row.privacyMode, true);
    assert.ok(row.updatedAt.getTime() > before.getTime());
    const recorded = await t.db.camera.findMany({ where: { isEnabled: true, recordingEnabled: true, privacyMode: false } });
    assert.deepEqual(recorded, [], "the recorder pool's query no longer lists it");
  });

  test("by default only admins may", async () => {
    assert.equal(await errorCode(setPrivacyMode(t.db, member, "cam", false)), "forbidden");
    assert.equal(await errorCode(setPrivacyMode(t.db, viewer, "cam", false)), "forbidden");
    assert.equal(await canSwitchPrivacyMode(t.db, member, "cam"), false);
    assert.equal(await mode(), true);
  });

  test("with privacyModeRole member, members with access may; viewers and members without access may not", async () => {
    const { changed } = await updatePrivacySettings(t.db, { privacyModeRole: "member" });
    assert.deepEqual(changed, ["privacyModeRole"]);
    assert.equal(await canSwitchPrivacyMode(t.db, member, "cam"), true);
    assert.equal(await errorCode(setPrivacyMode(t.db, member, "cam", false)), "ok");
    assert.equal(await mode(), false);
    assert.equal(await errorCode(setPrivacyMode(t.db, stranger, "cam", true)), "forbidden");
    assert.equal(await errorCode(setPrivacyMode(t.db, viewer, "cam", true)), "forbidden");
    assert.equal(await canSwitchPrivacyMode(t.db, viewer, "cam"), false);
    assert.equal(await mode(), false);
  });

  test("an unknown camera is not_found", async () => {
    assert.equal(await errorCode(setPrivacyMode(t.db, admin, "nope", true)), "not_found");
  });

  test("settings: unchanged values are not reported as changed; export scope rule", async () => {
    assert.deepEqual((await updatePrivacySettings(t.db, { privacyModeRole: "member", exportMediaScope: "admin" })).changed, ["exportMediaScope"]);
    const s = await getPrivacySettings(t.db);
    assert.equal(s.exportMediaScope, "admin");
    assert.equal(s.activityRetentionDays, 90);
    assert.equal(mayExportMedia("member", "admin"), false);
    assert.equal(mayExportMedia("admin", "admin"), true);
    assert.equal(mayExportMedia("viewer", "visible"), true);
  });
});
