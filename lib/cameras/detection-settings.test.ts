// A camera's detection settings against a real SQLite database: what the PUT route's schema refuses (table), zones
// that require labels must be detection zones of the camera's motion settings, a change is stored, leaves a "changed"
// diagnostic and bumps updatedAt (what the recorder pool follows), the GET view's catalogue and detector, and
// reloadCameraRecorder moving updatedAt on even within one millisecond.
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { after, before, describe, test } from "node:test";
import { AppError } from "../errors";
import { MODEL } from "../detection/model";
import { defaultDetectionSettings, detectionSettingsSchema, type DetectionSettings } from "../detection/settings";
import { motionConfigSchema } from "../motion/config";
import { errorCode } from "../testing/errors";
import { createTestDb, type TestDb } from "../testing/db";
import { createCamera } from "./cameras";
import { getDetectionSettings, reloadCameraRecorder, setDetectionSettings } from "./detection-settings";
import { setMotionSettings } from "./motion-settings";

describe("detection settings: the schema the PUT route validates with", () => {
  const cases: [string, unknown, string | null][] = [
    ["empty: the defaults (off)", {}, null],
    ["on, a label and a group", { enabled: true, labels: ["cat", "vehicle"] }, null],
    ["unknown label", { labels: ["unicorn"] }, "labels.0"],
    ["score per label out of range", { minScoreByLabel: { person: 1.5 } }, "minScoreByLabel.person"],
    ["score for a group (only labels have their own)", { minScoreByLabel: { animal: 0.6 } }, "minScoreByLabel.animal"],
    ["record mode unknown", { record: "sometimes" }, "record"],
    ["rate above the maximum", { fps: 30 }, "fps"],
    ["a zone requiring no label", { zoneLabels: { drive: [] } }, "zoneLabels.drive"],
    ["a zone id with a slash", { zoneLabels: { "a/b": ["person"] } }, "zoneLabels.a/b"],
    ["not a boolean", { enabled: "yes" }, "enabled"],
  ];
  for (const [name, input, field] of cases) {
    test(name, () => {
      const r = detectionSettingsSchema.safeParse(input);
      if (field === null) return assert.equal(r.success, true, JSON.stringify(r.error?.issues));
      assert.equal(r.success, false);
      assert.ok(r.error!.issues.some((i) => i.path.map(String).join(".") === field), `${field}: ${JSON.stringify(r.error!.issues)}`);
    });
  }
});

describe("detection settings of a camera", () => {
  let t: TestDb;
  let cameraId = "";
  const square = [[0.1, 0.1], [0.5, 0.1], [0.5, 0.5], [0.1, 0.5]];
  const settings = (input: Partial<DetectionSettings>): DetectionSettings => detectionSettingsSchema.parse(input);
  before(async () => {
    t = await createTestDb();
    await t.db.user.create({ data: { id: "admin", email: "admin@example.com", passwordHash: "x", role: "admin" } });
    cameraId = (await createCamera(t.db, { name: "Drive", mainStreamUrl: "rtsp://192.0.2.30/main" }, crypto.randomBytes(32), "admin")).id;
    await setMotionSettings(t.db, cameraId, motionConfigSchema.parse({ zones: [{ id: "drive", name: "Driveway", points: square }, { id: "tree", points: square, kind: "mask" }] }), "admin");
  });
  after(() => t.cleanup());

  test("a new camera: defaults (off), the catalogue, the groups, its detection zones and the detector", async () => {
    const view = await getDetectionSettings(t.db, cameraId);
    assert.deepEqual(view.settings, defaultDetectionSettings());
    assert.equal(view.settings.enabled, false);
    assert.deepEqual(view.defaults, defaultDetectionSettings());
    assert.deepEqual(view.problems, []);
    assert.deepEqual(view.groups, ["person", "animal", "vehicle"]);
    assert.deepEqual(view.labels[0], { label: "person", group: "person" });
    assert.ok(view.labels.some((l) => l.label === "cat" && l.group === "animal"));
    assert.ok(view.labels.some((l) => l.label === "truck" && l.group === "vehicle"));
    assert.deepEqual(view.zones, [{ id: "drive", name: "Driveway" }], "masks are not offered");
    assert.deepEqual(view.detector, { modelName: MODEL.name, modelBytes: MODEL.bytes, licence: MODEL.licence });
  });

  const zoneCases: [string, Record<string, string[]>, Record<string, string> | null][] = [
    ["a detection zone requires a person", { drive: ["person"] }, null],
    ["an unknown zone", { gate: ["person"] }, { "zoneLabels.gate": "unknown_zone" }],
    ["a mask zone", { tree: ["cat"] }, { "zoneLabels.tree": "mask_zone" }],
    ["one good, one unknown", { drive: ["vehicle"], porch: ["person"] }, { "zoneLabels.porch": "unknown_zone" }],
  ];
  for (const [name, zoneLabels, fields] of zoneCases) {
    test(`zones: ${name}`, async () => {
      const stored = (await t.db.camera.findUniqueOrThrow({ where: { id: cameraId } })).detectionConfig;
      const p = setDetectionSettings(t.db, cameraId, settings({ enabled: true, zoneLabels }), "admin");
      if (fields === null) {
        await p;
        assert.deepEqual((await getDetectionSettings(t.db, cameraId)).settings.zoneLabels, zoneLabels);
        return;
      }
      const err = await p.then(
        () => null,
        (e: unknown) => e,
      );
      assert.ok(err instanceof AppError && err.code === "validation", String(err));
      assert.deepEqual(err.fields, fields);
      assert.equal((await t.db.camera.findUniqueOrThrow({ where: { id: cameraId } })).detectionConfig, stored, "nothing written");
    });
  }

  test("a change is stored as given, leaves a diagnostic and moves updatedAt (the recorder pool's signal)", async () => {
    const before = await t.db.camera.findUniqueOrThrow({ where: { id: cameraId } });
    const diagnostics = await t.db.cameraDiagnostic.count({ where: { cameraId, kind: "changed" } });
    await new Promise((r) => setTimeout(r, 5));
    const next = settings({ enabled: true, labels: ["person", "cat"], minScoreByLabel: { cat: 0.4 }, record: "objects_only", fps: 2 });
    assert.deepEqual(await setDetectionSettings(t.db, cameraId, next, "admin"), next);
    const after = await t.db.camera.findUniqueOrThrow({ where: { id: cameraId } });
    assert.ok(after.updatedAt.getTime() > before.updatedAt.getTime(), "updatedAt moved");
    assert.deepEqual(JSON.parse(after.detectionConfig), next);
    assert.equal(after.motionConfig, before.motionConfig, "motion settings untouched");
    assert.deepEqual((await getDetectionSettings(t.db, cameraId)).settings, next);
    assert.equal(await t.db.cameraDiagnostic.count({ where: { cameraId, kind: "changed" } }), diagnostics + 1);
  });

  test("a zone removed from the motion settings later shows as a problem", async () => {
    await setDetectionSettings(t.db, cameraId, settings({ enabled: true, zoneLabels: { drive: ["person"] } }), "admin");
    await setMotionSettings(t.db, cameraId, motionConfigSchema.parse({ zones: [] }), "admin");
    assert.deepEqual((await getDetectionSettings(t.db, cameraId)).problems, ["zoneLabels.drive: unknown zone"]);
  });

  test("stored settings that cannot be read give their defaults and a problem", async () => {
    await t.db.camera.update({ where: { id: cameraId }, data: { detectionConfig: JSON.stringify({ enabled: true, fps: 99 }) } });
    const view = await getDetectionSettings(t.db, cameraId);
    assert.equal(view.settings.enabled, true);
    assert.equal(view.settings.fps, defaultDetectionSettings().fps);
    assert.equal(view.problems.length, 1);
    assert.match(view.problems[0], /^fps: /);
  });

  test("unknown camera: not_found", async () => {
    assert.equal(await errorCode(getDetectionSettings(t.db, "nope")), "not_found");
    assert.equal(await errorCode(setDetectionSettings(t.db, "nope", defaultDetectionSettings(), "admin")), "not_found");
    assert.equal(await errorCode(reloadCameraRecorder(t.db, "nope")), "ok", "no camera, no recorder to tell");
  });

  test("reloadCameraRecorder moves updatedAt on, also twice within one millisecond", async () => {
    const stamps: number[] = [(await t.db.camera.findUniqueOrThrow({ where: { id: cameraId } })).updatedAt.getTime()];
    for (let i = 0; i < 3; i++) {
      await reloadCameraRecorder(t.db, cameraId);
      stamps.push((await t.db.camera.findUniqueOrThrow({ where: { id: cameraId } })).updatedAt.getTime());
    }
    for (let i = 1; i < stamps.length; i++) assert.ok(stamps[i] > stamps[i - 1], stamps.join(" "));
  });
});
