// Arming and one zone's switch and sensitivity against a real SQLite database: the rest of the settings stays as it
// was, unknown cameras and zones are not_found, each change leaves a "changed" diagnostic, and the stored JSON parses
// back to what the function returned.
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { after, before, describe, test } from "node:test";
import { errorCode } from "../testing/errors";
import { createTestDb, type TestDb } from "../testing/db";
import { createCamera } from "./cameras";
import { getMotionSettings, setCameraArmed, setMotionSettings, updateMotionZone } from "./motion-settings";
import { motionConfigSchema } from "../motion/config";

describe("motion settings: arm, disarm, one zone", () => {
  let t: TestDb;
  let cameraId = "";
  const square = [[0.1, 0.1], [0.5, 0.1], [0.5, 0.5], [0.1, 0.5]];
  before(async () => {
    t = await createTestDb();
    await t.db.user.create({ data: { id: "admin", email: "admin@example.com", passwordHash: "x", role: "admin" } });
    cameraId = (await createCamera(t.db, { name: "Yard", mainStreamUrl: "rtsp://192.0.2.20/main" }, crypto.randomBytes(32), "admin")).id;
    await setMotionSettings(
      t.db,
      cameraId,
      motionConfigSchema.parse({ quietMs: 2000, schedule: [{ day: 1, from: "22:00", to: "06:00" }], zones: [{ id: "gate", points: square, sensitivity: 40 }, { id: "tree", points: square, kind: "mask" }] }),
      "admin",
    );
  });
  after(() => t.cleanup());

  const cases: [string, () => Promise<unknown>, (c: Awaited<ReturnType<typeof getMotionSettings>>) => void][] = [
    ["disarm keeps schedule, zones and times", () => setCameraArmed(t.db, cameraId, false, "admin"), (c) => {
      assert.equal(c.armed, false);
      assert.equal(c.quietMs, 2000);
      assert.equal(c.schedule.length, 1);
      assert.deepEqual(c.zones.map((z) => z.id), ["gate", "tree"]);
    }],
    ["arm again", () => setCameraArmed(t.db, cameraId, true, "admin"), (c) => assert.equal(c.armed, true)],
    ["disable a zone: only that zone changes", () => updateMotionZone(t.db, cameraId, "gate", { enabled: false }, "admin"), (c) => {
      assert.deepEqual(c.zones.map((z) => [z.id, z.enabled, z.sensitivity]), [["gate", false, 40], ["tree", true, 50]]);
    }],
    ["set a zone's sensitivity, enabled stays", () => updateMotionZone(t.db, cameraId, "gate", { sensitivity: 85 }, "admin"), (c) => {
      assert.deepEqual(c.zones.map((z) => [z.id, z.enabled, z.sensitivity]), [["gate", false, 85], ["tree", true, 50]]);
    }],
    ["both at once on a mask", () => updateMotionZone(t.db, cameraId, "tree", { enabled: false, sensitivity: 10 }, "admin"), (c) => {
      assert.deepEqual(c.zones.map((z) => [z.id, z.enabled, z.sensitivity, z.kind]), [["gate", false, 85, "detect"], ["tree", false, 10, "mask"]]);
    }],
  ];
  for (const [name, change, check] of cases) {
    test(name, async () => {
      const before = await t.db.cameraDiagnostic.count({ where: { cameraId, kind: "changed" } });
      await change();
      check(await getMotionSettings(t.db, cameraId));
      assert.equal(await t.db.cameraDiagnostic.count({ where: { cameraId, kind: "changed" } }), before + 1);
    });
  }

  test("the returned zone is what is stored", async () => {
    const zone = await updateMotionZone(t.db, cameraId, "gate", { enabled: true }, "admin");
    assert.deepEqual(zone, (await getMotionSettings(t.db, cameraId)).zones[0]);
  });

  test("unknown camera or zone: not_found, nothing written", async () => {
    const stored = (await t.db.camera.findUniqueOrThrow({ where: { id: cameraId } })).motionConfig;
    assert.equal(await errorCode(setCameraArmed(t.db, "no-such-camera", false, "admin")), "not_found");
    assert.equal(await errorCode(updateMotionZone(t.db, "no-such-camera", "gate", { enabled: false }, "admin")), "not_found");
    assert.equal(await errorCode(updateMotionZone(t.db, cameraId, "no-such-zone", { enabled: false }, "admin")), "not_found");
    assert.equal((await t.db.camera.findUniqueOrThrow({ where: { id: cameraId } })).motionConfig, stored);
  });

  test("two changes at once both land (read-change-write in one transaction)", async () => {
    await Promise.all([setCameraArmed(t.db, cameraId, false, "admin"), updateMotionZone(t.db, cameraId, "tree", { sensitivity: 77 }, "admin")]);
    const c = await getMotionSettings(t.db, cameraId);
    assert.equal(c.armed, false);
    assert.equal(c.zones[1].sensitivity, 77);
  });
});
