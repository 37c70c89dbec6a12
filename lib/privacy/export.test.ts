// The export of a seeded household (real SQLite, real H.264 clips made with ffmpeg), read back with Python's zipfile:
// every JSON file validates against the JSON Schema shipped in the archive (ajv, draft 2020-12), every checksum in
// the manifest matches, clips play (ffprobe), other members' cameras and all secrets stay out.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import Ajv2020 from "ajv/dist/2020.js";
import { mediaDir } from "../data-dir";
import { createTestDb, type TestDb } from "../testing/db";
import { resolveScope, writeExport, type ExportFilters } from "./export";

const PASSWORD_HASH = "$argon2id$v=19$m=19456,t=2,p=1$c2VjcmV0LXNhbHQtZm9yLXRlc3Q$TOPSECRETHASHVALUEdonotexport";
const SEALED = "SEALED-CREDENTIALS-v1.abcdefghijklmnopqrstuvwxyz0123456789";
const CAM_MINE = "cam-mine-4f1a";
const CAM_OTHER = "cam-other-9c2b";
const MEMBER = "member-7d3e";
const ADMIN = "admin-2b8c";
const NOW = new Date("2026-06-10T12:00:00Z");

function ffmpeg(args: string[]) {
  const r = spawnSync("ffmpeg", ["-hide_banner", "-v", "error", "-y", ...args], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
}

/** Extracts an archive with Python's zipfile after its CRC check; returns the entries' names and methods. */
function pyExtract(zipFile: string, dir: string): { name: string; method: number }[] {
  const script = `
import json, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    assert z.testzip() is None, "CRC mismatch"
    z.extractall(sys.argv[2])
    print(json.dumps([{"name": i.filename, "method": i.compress_type} for i in z.infolist()]))
`;
  return JSON.parse(execFileSync("python3", ["-c", script, zipFile, dir], { encoding: "utf8" }));
}

type Manifest = { formatVersion: string; accountId: string; mediaIncluded: boolean; filters: unknown; files: { path: string; bytes: number; sha256: string; schema?: string }[]; missing: { path: string; reason: string }[] };
type Events = { events: { id: string; cameraId: string | null; clips: { file: string | null; sequence: number }[]; photo: { file: string | null; thumbnail: { file: string | null } } | null }[] };

/** Every file named by the manifest exists with its size and sha256; the archive holds nothing else. */
function checkManifest(dir: string, entries: { name: string }[]): Manifest {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8")) as Manifest;
  assert.deepEqual(entries.map((e) => e.name).sort(), [...manifest.files.map((f) => f.path), "manifest.json"].sort(), "the manifest lists every other file");
  for (const f of manifest.files) {
    const bytes = fs.readFileSync(path.join(dir, f.path));
    assert.equal(bytes.length, f.bytes, `size of ${f.path}`);
    assert.equal(crypto.createHash("sha256").update(bytes).digest("hex"), f.sha256, `sha256 of ${f.path}`);
  }
  return manifest;
}

/** Validates every JSON file (and the manifest) against the schema the archive ships for it. */
function checkSchemas(dir: string, manifest: Manifest): string[] {
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
  ajv.addFormat("date-time", (s: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s)));
  const checked: string[] = [];
  const targets = [...manifest.files.filter((f) => f.schema), { path: "manifest.json", schema: "schemas/manifest.schema.json" }];
  for (const f of targets) {
    const schema = JSON.parse(fs.readFileSync(path.join(dir, f.schema!), "utf8"));
    assert.equal(schema.$schema, "https://json-schema.org/draft/2020-12/schema");
    const validate = ajv.compile(schema);
    const data = JSON.parse(fs.readFileSync(path.join(dir, f.path), "utf8"));
    assert.ok(validate(data), `${f.path}: ${ajv.errorsText(validate.errors)}`);
    checked.push(f.path);
  }
  return checked.sort();
}

/** The bytes of every extracted file (but `except`), and of the archive itself when given, contain none of `needles`. */
function assertAbsent(dir: string, zipFile: string | null, needles: string[], except: string[] = []) {
  const files = fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .filter((f) => !except.includes(path.relative(dir, f)));
  for (const file of zipFile ? [...files, zipFile] : files) {
    const bytes = fs.readFileSync(file);
    for (const needle of needles) assert.equal(bytes.includes(Buffer.from(needle)), false, `${needle} found in ${path.relative(dir, file)}`);
  }
}

describe("data export", () => {
  let t: TestDb;
  let work: string;
  let n = 0;

  async function exportFor(userId: string, filters: ExportFilters = {}) {
    const scope = await resolveScope(t.db, userId, filters);
    assert.ok(scope);
    const zipFile = path.join(work, `export-${++n}.zip`);
    const out = fs.createWriteStream(zipFile);
    let consumed = 0;
    const result = await writeExport(t.db, { scope, mediaDir: mediaDir(t.dataDir), out, now: NOW, onData: (b) => (consumed += b) });
    out.end();
    await new Promise<void>((resolve) => out.on("close", () => resolve()));
    assert.equal(fs.statSync(zipFile).size, result.bytes);
    const dir = path.join(work, `x-${n}`);
    const entries = pyExtract(zipFile, dir);
    const manifest = checkManifest(dir, entries);
    const read = <T>(name: string) => JSON.parse(fs.readFileSync(path.join(dir, name), "utf8")) as T;
    return { zipFile, dir, entries, manifest, result, consumed, read, schemasChecked: checkSchemas(dir, manifest) };
  }

  before(async () => {
    t = await createTestDb();
    work = path.join(t.dataDir, "work");
    fs.mkdirSync(work);
    const db = t.db;
    await db.household.create({ data: { id: 1, name: "Test home", exportMediaScope: "visible" } });
    await db.user.create({ data: { id: ADMIN, email: "admin@x.test", passwordHash: PASSWORD_HASH, role: "admin", isOwner: true, sessionVersion: 4242 } });
    await db.user.create({ data: { id: MEMBER, email: "member@x.test", username: "mia", displayName: "Mia Member", passwordHash: PASSWORD_HASH, role: "member", locale: "nl", timeZone: "Europe/Amsterdam", sessionVersion: 4242 } });
    // API tokens: the member's (one revoked), and the admin's (not in the member's export).
    await db.apiToken.create({ data: { id: "tok-1", userId: MEMBER, name: "Home Assistant", prefix: "nj_abcdefg", hash: "1".repeat(64), scopes: '["events:read","live:watch"]', cameraIds: null, createdAt: new Date("2026-06-01T10:00:00Z"), expiresAt: new Date("2026-09-01T10:00:00Z"), lastUsedAt: new Date("2026-06-09T10:00:00Z"), lastUsedAddress: "192.0.2.5" } });
    await db.apiToken.create({ data: { id: "tok-2", userId: MEMBER, name: "Old script", prefix: "nj_hijklmn", hash: "2".repeat(64), scopes: '["events:read"]', cameraIds: '["cam-x"]', createdAt: new Date("2026-05-01T10:00:00Z"), revokedAt: new Date("2026-05-02T10:00:00Z") } });
    await db.apiToken.create({ data: { id: "tok-3", userId: ADMIN, name: "Admin's", prefix: "nj_opqrstu", hash: "3".repeat(64), scopes: '["household:manage"]' } });
    await db.camera.create({ data: { id: CAM_MINE, name: "Front door", mainStreamUrl: "rtsp://192.0.2.10:554/main", subStreamUrl: "rtsp://192.0.2.10:554/sub", onvifUrl: "http://192.0.2.10/onvif/device_service", manufacturer: "Acme", model: "X1", firmware: "2.10", credentialsEnc: SEALED, motionConfig: JSON.stringify({ sensitivity: 70, zones: [{ id: "porch", name: "Porch", points: [[0, 0], [1, 0], [1, 1]] }] }) } });
    await db.camera.create({ data: { id: CAM_OTHER, name: "Garden", mainStreamUrl: "rtsp://192.0.2.11/main", credentialsEnc: SEALED } });
    // CAM_MINE can pan, tilt and zoom: one saved position, its home after 15 idle minutes, steered once.
    await db.camera.update({ where: { id: CAM_MINE }, data: { ptzXaddr: "http://192.0.2.10/onvif/ptz_service", ptzProfileToken: "main", ptzConfig: JSON.stringify({ homePresetId: "pp-1", returnAfterMinutes: 15 }) } });
    await db.ptzPreset.create({ data: { id: "pp-1", cameraId: CAM_MINE, token: "preset_1", name: "Gate" } });
    await db.ptzMove.create({ data: { cameraId: CAM_MINE, lastCommandAt: new Date("2026-11-30T10:00:00Z"), pauseUntil: new Date("2026-11-30T10:00:07Z") } });
    await db.cameraAccess.create({ data: { cameraId: CAM_MINE, userId: MEMBER } });
    // Notifications: the member's settings, one notification with its deliveries, a push device; the admin's (not in the member's export).
    await db.notificationPrefs.create({ data: { userId: MEMBER, prefs: JSON.stringify({ cooldownSeconds: 120, channels: { inApp: true, push: true, email: false } }) } });
    await db.notification.create({ data: { id: "ntf-1", userId: MEMBER, kind: "event", eventId: "ev-mine-1", cameraId: CAM_MINE, data: JSON.stringify({ cameraName: "Front door", state: "ended" }), createdAt: new Date("2026-06-01T10:00:01Z"), readAt: new Date("2026-06-01T12:00:00Z") } });
    await db.notificationDelivery.create({ data: { id: "nd-1", userId: MEMBER, notificationId: "ntf-1", channel: "push", status: "sent", at: new Date("2026-06-01T10:00:02Z") } });
    await db.notificationDelivery.create({ data: { id: "nd-2", userId: MEMBER, notificationId: "ntf-1", channel: "email", status: "skipped", detail: "quiet hours", at: new Date("2026-06-01T10:00:02Z") } });
    await db.pushSubscription.create({ data: { id: "push-1", userId: MEMBER, endpoint: "https://push.example.test/send/abcdef123", p256dh: "BPUBLICKEY-never-exported", auth: "AUTHSECRET-never-exported", label: "Firefox on Linux", createdAt: new Date("2026-06-01T09:00:00Z") } });
    await db.notification.create({ data: { id: "ntf-admin", userId: ADMIN, kind: "camera", cameraId: CAM_OTHER, data: JSON.stringify({ cameraName: "Garden", state: "offline" }) } });

    // Real media: one 2-second H.264 MP4 (index at the front, as the recorder writes them), a photo and a thumbnail.
    const src = path.join(work, "src");
    fs.mkdirSync(src);
    ffmpeg(["-f", "lavfi", "-i", "testsrc=size=320x240:rate=25", "-t", "2", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "25", "-movflags", "+faststart", path.join(src, "clip.mp4")]);
    ffmpeg(["-f", "lavfi", "-i", "testsrc=size=320x240", "-frames:v", "1", path.join(src, "photo.jpg")]);
    ffmpeg(["-f", "lavfi", "-i", "testsrc=size=160x120", "-frames:v", "1", path.join(src, "thumb.jpg")]);
    const media = mediaDir(t.dataDir);
    const place = (rel: string, from: string) => {
      fs.mkdirSync(path.dirname(path.join(media, rel)), { recursive: true });
      fs.copyFileSync(path.join(src, from), path.join(media, rel));
      return fs.statSync(path.join(media, rel)).size;
    };
    const events = [
      { id: "ev-mine-1", cam: CAM_MINE, at: "2026-06-01T10:00:00Z", clips: 2, photo: true, photoMissing: false },
      { id: "ev-mine-2", cam: CAM_MINE, at: "2026-06-03T08:30:00Z", clips: 1, photo: true, photoMissing: true },
      { id: "ev-other-1", cam: CAM_OTHER, at: "2026-06-01T11:00:00Z", clips: 1, photo: true, photoMissing: false },
    ];
    for (const e of events) {
      const day = e.at.slice(0, 10).replace(/-/g, "/");
      await db.event.create({ data: { id: e.id, cameraId: e.cam, cameraName: e.cam, startedAt: new Date(e.at), endedAt: new Date(Date.parse(e.at) + 4000 * e.clips), peakScore: 55.5, peakAt: new Date(Date.parse(e.at) + 1000), zones: JSON.stringify(["porch"]) } });
      for (let s = 1; s <= e.clips; s++) {
        const rel = `${e.cam}/${day}/${e.id}-${s}.mp4`;
        const bytes = place(rel, "clip.mp4");
        await db.clip.create({ data: { id: `${e.id}-c${s}`, eventId: e.id, sequence: s, path: rel, bytes, startedAt: new Date(Date.parse(e.at) + (s - 1) * 2000), durationMs: 2000 } });
      }
      const photo = `${e.cam}/${day}/${e.id}.jpg`;
      const thumb = `${e.cam}/${day}/${e.id}-thumb.jpg`;
      const photoBytes = place(photo, "photo.jpg");
      const thumbBytes = place(thumb, "thumb.jpg");
      if (e.photoMissing) fs.rmSync(path.join(media, photo)); // expired by retention while the rows remain
      await db.photo.create({ data: { eventId: e.id, path: photo, bytes: photoBytes, width: 320, height: 240, thumbPath: thumb, thumbBytes, thumbWidth: 160, thumbHeight: 120, takenAt: new Date(Date.parse(e.at) + 1000) } });
    }
    // Object detection (issue 13): labels and boxes on an event of each camera, the member's camera's settings, and
    // corrections: the member's on their camera (from a box), the member's on the camera since taken from them, the admin's.
    await db.camera.update({ where: { id: CAM_MINE }, data: { detectionConfig: JSON.stringify({ enabled: true, labels: ["person", "animal"], record: "objects_only" }) } });
    await db.event.update({ where: { id: "ev-mine-1" }, data: { objectCount: 2 } });
    await db.eventLabel.createMany({ data: [
      { eventId: "ev-mine-1", label: "cat", score: 0.64, firstAt: new Date("2026-06-01T10:00:01Z") },
      { eventId: "ev-mine-1", label: "person", score: 0.88, firstAt: new Date("2026-06-01T10:00:02Z") },
      { eventId: "ev-other-1", label: "car", score: 0.77, firstAt: new Date("2026-06-01T11:00:01Z") },
    ] });
    await db.detection.createMany({ data: [
      { id: "det-a", eventId: "ev-mine-1", at: new Date("2026-06-01T10:00:02Z"), label: "person", score: 0.88, x1: 0.1, y1: 0.2, x2: 0.3, y2: 0.9 },
      { id: "det-b", eventId: "ev-mine-1", at: new Date("2026-06-01T10:00:02Z"), label: "cat", score: 0.64, x1: 0.5, y1: 0.6, x2: 0.7, y2: 0.8, isWrong: true },
      { id: "det-c", eventId: "ev-other-1", at: new Date("2026-06-01T11:00:01Z"), label: "car", score: 0.77, x1: 0, y1: 0, x2: 1, y2: 1 },
    ] });
    await db.detectionCorrection.createMany({ data: [
      { id: "corr-mine", cameraId: CAM_MINE, label: "cat", x1: 0.5, y1: 0.6, x2: 0.7, y2: 0.8, detectionId: "det-b", createdById: MEMBER, createdAt: new Date("2026-06-01T12:00:00Z") },
      { id: "corr-revoked", cameraId: CAM_OTHER, label: "dog", x1: 0.2, y1: 0.2, x2: 0.4, y2: 0.4, createdById: MEMBER, createdAt: new Date("2026-06-04T12:00:00Z") },
      { id: "corr-admin", cameraId: CAM_MINE, label: "horse", x1: 0.11, y1: 0.12, x2: 0.23, y2: 0.24, createdById: ADMIN, createdAt: new Date("2026-06-05T12:00:00Z") },
    ] });
    // The review queue (issue 18): the member reviewed everything up to 31 May, then marked three events one by one
    // (one on the camera since taken from them); the admin marked one. Nobody else's marks are in a member's export.
    await db.user.update({ where: { id: MEMBER }, data: { reviewedUpTo: new Date("2026-05-31T12:00:00Z") } });
    await db.eventReview.createMany({ data: [
      { userId: MEMBER, eventId: "ev-mine-1", reviewedAt: new Date("2026-06-01T12:30:00Z") },
      { userId: MEMBER, eventId: "ev-mine-2", reviewedAt: new Date("2026-06-03T09:00:00Z") },
      { userId: MEMBER, eventId: "ev-other-1", reviewedAt: new Date("2026-06-01T13:00:00Z") },
      { userId: ADMIN, eventId: "ev-mine-1", reviewedAt: new Date("2026-06-02T08:00:00Z") },
    ] });
    await db.cameraDiagnostic.create({ data: { cameraId: CAM_MINE, kind: "online", at: new Date("2026-06-01T09:00:00Z"), data: JSON.stringify({ url: "rtsp://***@192.0.2.10/main" }) } });
    await db.cameraDiagnostic.create({ data: { cameraId: CAM_MINE, kind: "measured", at: new Date("2026-06-05T09:00:00Z"), data: JSON.stringify({ fps: 25 }) } });
    await db.cameraDiagnostic.create({ data: { cameraId: CAM_OTHER, kind: "offline", at: new Date("2026-06-01T09:00:00Z") } });

    // Timelapse (issue 16): CAM_MINE keeps a frame every 5 minutes; a made day (a real H.264 MP4), a day being captured,
    // a span the member asked for and one the admin asked for (queued); the other camera's day (never in the member's).
    await db.camera.update({ where: { id: CAM_MINE }, data: { timelapseEnabled: true, timelapseIntervalSeconds: 300 } });
    const tl = (id: string, cam: string, o: { fromAt: Date; toAt: Date } & Record<string, unknown>) => db.timelapse.create({ data: { id, cameraId: cam, cameraName: cam === CAM_MINE ? "Front door" : "Garden", kind: "day", status: "ready", createdAt: new Date("2026-06-06T00:00:00Z"), ...o } });
    const dayVideo = `${CAM_MINE}/timelapse/2026-06-01.mp4`;
    await tl("tl-mine-day", CAM_MINE, { day: "2026-06-01", fromAt: new Date("2026-06-01T00:00:00Z"), toAt: new Date("2026-06-02T00:00:00Z"), framesDir: `${CAM_MINE}/timelapse/2026-06-01`, framesCaptured: 288, framesBytes: 12_345, path: dayVideo, bytes: place(dayVideo, "clip.mp4"), frameCount: 50, durationMs: 1667, width: 320, height: 240, finishedAt: new Date("2026-06-02T00:05:00Z") });
    await tl("tl-mine-today", CAM_MINE, { day: "2026-06-05", fromAt: new Date("2026-06-05T00:00:00Z"), toAt: new Date("2026-06-06T00:00:00Z"), framesDir: `${CAM_MINE}/timelapse/2026-06-05`, framesCaptured: 100, framesBytes: 5_000, status: "capturing" });
    const rangeVideo = `${CAM_MINE}/timelapse/range-tl-mine-range.mp4`;
    await tl("tl-mine-range", CAM_MINE, { kind: "range", fromAt: new Date("2026-06-02T00:00:00Z"), toAt: new Date("2026-06-04T00:00:00Z"), path: rangeVideo, bytes: place(rangeVideo, "clip.mp4"), frameCount: 50, durationMs: 1667, width: 320, height: 240, requestedById: MEMBER, finishedAt: new Date("2026-06-06T00:01:00Z") });
    await tl("tl-mine-admins", CAM_MINE, { kind: "range", fromAt: new Date("2026-06-03T00:00:00Z"), toAt: new Date("2026-06-04T00:00:00Z"), status: "queued", requestedById: ADMIN });
    const otherVideo = `${CAM_OTHER}/timelapse/2026-06-01.mp4`;
    await tl("tl-other-day", CAM_OTHER, { day: "2026-06-01", fromAt: new Date("2026-06-01T00:00:00Z"), toAt: new Date("2026-06-02T00:00:00Z"), path: otherVideo, bytes: place(otherVideo, "clip.mp4") });

    const act = (action: string, at: string, extra: Record<string, unknown> = {}) => db.activity.create({ data: { action, at: new Date(at), data: "{}", ...extra } });
    await act("auth.sign_in", "2026-06-01T08:00:00Z", { actorId: MEMBER });
    await act("live.view", "2026-06-02T08:00:00Z", { actorId: MEMBER, cameraId: CAM_MINE });
    await act("clip.play", "2026-06-04T08:00:00Z", { actorId: MEMBER, cameraId: CAM_OTHER, targetId: "ev-other-1" }); // access since revoked
    await act("member.changed", "2026-06-02T09:00:00Z", { actorId: ADMIN, subjectId: MEMBER, data: JSON.stringify({ role: "member" }) });
    await act("camera.added", "2026-06-01T07:00:00Z", { actorId: ADMIN, cameraId: CAM_OTHER });
  });
  after(() => t.cleanup());

  test("a member's export: schemas, checksums, playable clips, only the cameras they may see, no secrets", async () => {
    const x = await exportFor(MEMBER);
    assert.deepEqual(x.schemasChecked, ["account.json", "activity.json", "cameras.json", "corrections.json", "diagnostics.json", "events.json", "manifest.json", "notifications.json", "reviews.json", "timelapses.json"]);
    assert.equal(x.manifest.formatVersion, "1");
    assert.equal(x.manifest.accountId, MEMBER);
    assert.equal(x.manifest.mediaIncluded, true);

    const account = x.read<{ account: Record<string, unknown> }>("account.json").account;
    assert.equal(account.email, "member@x.test");
    assert.equal(account.timeZone, "Europe/Amsterdam");
    assert.equal(account.passwordHash, undefined);
    const tokens = x.read<{ apiTokens: Record<string, unknown>[] }>("account.json").apiTokens;
    assert.deepEqual(
      tokens.map((k) => [k.id, k.name, k.prefix, k.scopes, k.cameraIds, k.expiresAt, k.lastUsedAt, k.lastUsedAddress, k.revokedAt]),
      [
        ["tok-1", "Home Assistant", "nj_abcdefg", ["events:read", "live:watch"], null, "2026-09-01T10:00:00.000Z", "2026-06-09T10:00:00.000Z", "192.0.2.5", null],
        ["tok-2", "Old script", "nj_hijklmn", ["events:read"], ["cam-x"], null, null, null, "2026-05-02T10:00:00.000Z"],
      ],
      "their own tokens only, revoked ones included",
    );
    assert.ok(!fs.readFileSync(path.join(x.dir, "account.json"), "utf8").includes("1".repeat(64)), "never the hash");
    // The schemas are strict enough to notice a leak: an extra field fails validation.
    const strict = new Ajv2020({ allowUnionTypes: true, validateFormats: false }).compile(JSON.parse(fs.readFileSync(path.join(x.dir, "schemas/account.schema.json"), "utf8")));
    assert.equal(strict({ formatVersion: "1", account: { ...account, passwordHash: "x" }, apiTokens: tokens }), false);
    assert.equal(strict({ formatVersion: "1", account, apiTokens: [{ ...tokens[0], hash: "x" }] }), false, "nor a token's hash");
    assert.equal(strict({ formatVersion: "1", account, apiTokens: tokens }), true);

    const activity = x.read<{ activity: { action: string; actorId: string | null; subjectId: string | null; cameraId: string | null }[] }>("activity.json").activity;
    assert.deepEqual(activity.map((a) => a.action), ["auth.sign_in", "live.view", "clip.play", "member.changed"], "own records as actor and subject, not the admin's own");

    const cameras = x.read<{ cameras: { id: string; hasCredentials: boolean; mainStreamUrl: string; motion: { sensitivity: number } }[] }>("cameras.json").cameras;
    assert.deepEqual(cameras.map((c) => c.id), [CAM_MINE]);
    assert.equal(cameras[0].hasCredentials, true);
    assert.equal(cameras[0].motion.sensitivity, 70);
    assert.deepEqual((cameras[0] as unknown as { ptz: unknown }).ptz, { hasPtz: true, presets: [{ id: "pp-1", name: "Gate" }], homePresetId: "pp-1", returnAfterMinutes: 15, lastCommandAt: "2026-11-30T10:00:00.000Z" });
    const diagnostics = x.read<{ diagnostics: { cameraId: string }[] }>("diagnostics.json").diagnostics;
    assert.deepEqual(diagnostics.map((d) => d.cameraId), [CAM_MINE, CAM_MINE]);

    const events = x.read<Events>("events.json").events;
    assert.deepEqual(events.map((e) => e.id), ["ev-mine-1", "ev-mine-2"]);
    assert.deepEqual(events[0].clips.map((c) => c.sequence), [1, 2]);
    // The photo that expired is noted, not a failure; its thumbnail made it.
    assert.equal(events[1].photo?.file, null);
    assert.ok(events[1].photo?.thumbnail.file);
    assert.deepEqual(x.manifest.missing, [{ path: `media/${CAM_MINE}/2026/06/03/ev-mine-2.jpg`, reason: "not_found" }]);

    // Every referenced media file is in the archive; media is stored, JSON deflated.
    const referenced = events.flatMap((e) => [...e.clips.map((c) => c.file), e.photo?.file, e.photo?.thumbnail.file]).filter((f): f is string => !!f);
    assert.equal(referenced.length, 6);
    const methods = Object.fromEntries(x.entries.map((e) => [e.name, e.method]));
    for (const f of referenced) {
      assert.ok(f.startsWith(`media/${CAM_MINE}/`), f);
      assert.equal(methods[f], 0, `${f} stored`);
    }
    assert.equal(methods["events.json"], 8);
    assert.ok(x.entries.every((e) => !e.name.startsWith(`media/${CAM_OTHER}`)));

    // Clips play: H.264 video in an MP4 container, 2 seconds.
    for (const clip of referenced.filter((f) => f.endsWith(".mp4"))) {
      const probe = JSON.parse(execFileSync("ffprobe", ["-v", "error", "-show_entries", "format=format_name,duration:stream=codec_name,codec_type", "-of", "json", path.join(x.dir, clip)], { encoding: "utf8" }));
      assert.equal(probe.streams[0].codec_type, "video");
      assert.equal(probe.streams[0].codec_name, "h264");
      assert.match(probe.format.format_name, /mp4/);
      assert.ok(Math.abs(Number(probe.format.duration) - 2) < 0.2, `duration ${probe.format.duration}`);
    }

    // No secrets anywhere (extracted files and the raw archive). Nothing of the other camera either, except the
    // member's own record of once playing one of its clips (their activity is theirs).
    assertAbsent(x.dir, x.zipFile, [PASSWORD_HASH, "TOPSECRETHASH", SEALED, "passwordHash", "sessionVersion", "credentialsEnc", "4242"]);
    assertAbsent(x.dir, null, [CAM_OTHER, "ev-other-1", "Garden", "det-c"], ["activity.json", "corrections.json", "reviews.json"]);
    assert.deepEqual(activity.filter((a) => a.cameraId === CAM_OTHER).map((a) => a.action), ["clip.play"]);
    const readme = fs.readFileSync(path.join(x.dir, "README.txt"), "utf8");
    assert.match(readme, /media\//);
    // Progress counted every byte that went into the archive (uncompressed).
    assert.equal(x.consumed, x.manifest.files.reduce((s, f) => s + f.bytes, 0) + fs.statSync(path.join(x.dir, "manifest.json")).size);
  });

  test("timelapses: those of the cameras the member sees, their videos under timelapses/, who asked only when it was them; cameras.json carries the settings", async () => {
    const x = await exportFor(MEMBER);
    type Tl = { id: string; cameraId: string | null; kind: string; day: string | null; status: string; framesCaptured: number; requestedByYou: boolean; video: { file: string | null; bytes: number; frameCount: number } | null };
    const list = x.read<{ timelapses: Tl[] }>("timelapses.json").timelapses;
    assert.deepEqual(list.map((r) => [r.id, r.kind, r.status, r.requestedByYou]), [
      ["tl-mine-day", "day", "ready", false],
      ["tl-mine-range", "range", "ready", true],
      ["tl-mine-admins", "range", "queued", false],
      ["tl-mine-today", "day", "capturing", false],
    ]);
    assert.deepEqual(list.map((r) => r.video?.file ?? null), [`timelapses/${CAM_MINE}/2026-06-01.mp4`, `timelapses/${CAM_MINE}/range-tl-mine-range.mp4`, null, null]);
    assert.equal(list[0].framesCaptured, 288);
    const methods = Object.fromEntries(x.entries.map((e) => [e.name, e.method]));
    for (const r of list.slice(0, 2)) {
      const file = r.video!.file!;
      assert.equal(methods[file], 0, `${file} stored`);
      assert.equal(fs.statSync(path.join(x.dir, file)).size, r.video!.bytes);
      const probe = JSON.parse(execFileSync("ffprobe", ["-v", "error", "-show_entries", "stream=codec_name", "-of", "json", path.join(x.dir, file)], { encoding: "utf8" }));
      assert.equal(probe.streams[0].codec_name, "h264");
    }
    assert.ok(x.entries.every((e) => !e.name.startsWith(`timelapses/${CAM_OTHER}`) && !e.name.includes("/timelapse/")), "no other camera's video, and no frames");
    assertAbsent(x.dir, null, ["tl-other-day", ADMIN], ["activity.json"]);
    const camera = x.read<{ cameras: { timelapse: unknown }[] }>("cameras.json").cameras[0];
    assert.deepEqual(camera.timelapse, { enabled: true, intervalSeconds: 300 });
    assert.match(fs.readFileSync(path.join(x.dir, "README.txt"), "utf8"), /^timelapses\.json/m);
    // Closed schema: who else asked cannot slip in.
    const valid = new Ajv2020({ allowUnionTypes: true, validateFormats: false }).compile(JSON.parse(fs.readFileSync(path.join(x.dir, "schemas/timelapses.schema.json"), "utf8")));
    assert.equal(valid({ formatVersion: "1", timelapses: list }), true);
    assert.equal(valid({ formatVersion: "1", timelapses: [{ ...list[2], requestedById: ADMIN }] }), false);

    // A video that expired meanwhile is noted as missing, not a failure.
    fs.renameSync(path.join(mediaDir(t.dataDir), `${CAM_MINE}/timelapse/range-tl-mine-range.mp4`), path.join(work, "range.mp4"));
    try {
      const y = await exportFor(MEMBER);
      assert.equal(y.read<{ timelapses: Tl[] }>("timelapses.json").timelapses[1].video?.file, null);
      assert.ok(y.manifest.missing.some((m) => m.path === `timelapses/${CAM_MINE}/range-tl-mine-range.mp4`));
    } finally {
      fs.renameSync(path.join(work, "range.mp4"), path.join(mediaDir(t.dataDir), `${CAM_MINE}/timelapse/range-tl-mine-range.mp4`));
    }

    // Filters: a span overlapping the range (the 06-01 day, not the 06-02…06-04 range); admins get every camera's.
    const filtered = await exportFor(ADMIN, { from: "2026-06-01T00:00:00.000Z", to: "2026-06-02T00:00:00.000Z", cameraIds: [CAM_MINE] });
    assert.deepEqual(filtered.read<{ timelapses: Tl[] }>("timelapses.json").timelapses.map((r) => r.id), ["tl-mine-day"]);
    const admin = await exportFor(ADMIN);
    assert.deepEqual(admin.read<{ timelapses: Tl[] }>("timelapses.json").timelapses.map((r) => [r.id, r.requestedByYou]), [
      ["tl-mine-day", false],
      ["tl-other-day", false],
      ["tl-mine-range", false],
      ["tl-mine-admins", true],
      ["tl-mine-today", false],
    ]);
  });

  test("filters: a date range and a camera narrow events, diagnostics and activity", async () => {
    const x = await exportFor(ADMIN, { from: "2026-06-01T00:00:00.000Z", to: "2026-06-02T00:00:00.000Z", cameraIds: [CAM_MINE] });
    assert.deepEqual(x.read<Events>("events.json").events.map((e) => e.id), ["ev-mine-1"]);
    assert.deepEqual(x.read<{ diagnostics: { kind: string }[] }>("diagnostics.json").diagnostics.map((d) => d.kind), ["online"]);
    assert.deepEqual(x.read<{ cameras: { id: string }[] }>("cameras.json").cameras.map((c) => c.id), [CAM_MINE]);
    // The admin's own records of that day, minus the one about the other camera.
    assert.deepEqual(x.read<{ activity: { action: string }[] }>("activity.json").activity.map((a) => a.action), []);
    assert.deepEqual(x.manifest.filters, { from: "2026-06-01T00:00:00.000Z", to: "2026-06-02T00:00:00.000Z", cameraIds: [CAM_MINE] });
    assert.ok(x.entries.every((e) => !e.name.includes("ev-mine-2") && !e.name.includes(CAM_OTHER)));

    const all = await exportFor(ADMIN);
    assert.deepEqual(all.read<Events>("events.json").events.map((e) => e.id), ["ev-mine-1", "ev-other-1", "ev-mine-2"], "admins: every camera");
    assert.deepEqual(all.read<{ activity: { action: string }[] }>("activity.json").activity.map((a) => a.action), ["member.changed", "camera.added"]);
  });

  test("a camera the member may not see is dropped from the filters", async () => {
    const x = await exportFor(MEMBER, { cameraIds: [CAM_OTHER] });
    assert.deepEqual(x.read<Events>("events.json").events, []);
    assert.deepEqual(x.read<{ cameras: unknown[] }>("cameras.json").cameras, []);
    assertAbsent(x.dir, null, ["Garden"]);
    // Their own records and marks still name the event they once saw there (theirs, like their activity).
    assertAbsent(x.dir, null, ["ev-other-1"], ["activity.json", "reviews.json"]);
  });

  test("object detection: events carry labels, object count and boxes; cameras their settings; corrections.json the member's own marks", async () => {
    const x = await exportFor(MEMBER);
    type Ev = { id: string; objectCount: number; labels: { label: string; score: number; firstAt: string }[]; detections: { id: string; label: string; score: number; at: string; box: Record<string, number>; isWrong: boolean }[] };
    const events = x.read<{ events: Ev[] }>("events.json").events;
    const mine = events.find((e) => e.id === "ev-mine-1")!;
    assert.equal(mine.objectCount, 2);
    assert.deepEqual(mine.labels, [
      { label: "person", score: 0.88, firstAt: "2026-06-01T10:00:02.000Z" },
      { label: "cat", score: 0.64, firstAt: "2026-06-01T10:00:01.000Z" },
    ], "best score first");
    assert.deepEqual(mine.detections, [
      { id: "det-a", label: "person", score: 0.88, at: "2026-06-01T10:00:02.000Z", box: { x1: 0.1, y1: 0.2, x2: 0.3, y2: 0.9 }, isWrong: false },
      { id: "det-b", label: "cat", score: 0.64, at: "2026-06-01T10:00:02.000Z", box: { x1: 0.5, y1: 0.6, x2: 0.7, y2: 0.8 }, isWrong: true },
    ]);
    const second = events.find((e) => e.id === "ev-mine-2")!;
    assert.deepEqual([second.objectCount, second.labels, second.detections], [0, [], []], "an event without detection");
    const camera = x.read<{ cameras: { detection: { enabled: boolean; labels: string[]; record: string; minScore: number } }[] }>("cameras.json").cameras[0];
    assert.deepEqual([camera.detection.enabled, camera.detection.labels, camera.detection.record, camera.detection.minScore], [true, ["person", "animal"], "objects_only", 0.5]);

    // Their own marks, also on the camera taken from them since (theirs, like their activity); never the admin's.
    const corrections = x.read<{ corrections: Record<string, unknown>[] }>("corrections.json").corrections;
    assert.deepEqual(corrections, [
      { id: "corr-mine", cameraId: CAM_MINE, label: "cat", box: { x1: 0.5, y1: 0.6, x2: 0.7, y2: 0.8 }, detectionId: "det-b", createdAt: "2026-06-01T12:00:00.000Z" },
      { id: "corr-revoked", cameraId: CAM_OTHER, label: "dog", box: { x1: 0.2, y1: 0.2, x2: 0.4, y2: 0.4 }, detectionId: null, createdAt: "2026-06-04T12:00:00.000Z" },
    ]);
    assertAbsent(x.dir, null, ["corr-admin"]);
    // The schemas are closed: a field that should not be there fails validation.
    const schema = (name: string) => new Ajv2020({ allowUnionTypes: true, validateFormats: false }).compile(JSON.parse(fs.readFileSync(path.join(x.dir, `schemas/${name}.schema.json`), "utf8")));
    const correctionsValid = schema("corrections");
    assert.equal(correctionsValid({ formatVersion: "1", corrections }), true);
    assert.equal(correctionsValid({ formatVersion: "1", corrections: [{ ...corrections[0], createdById: MEMBER }] }), false, "no member id beyond the exporter's own");
    assert.equal(correctionsValid({ formatVersion: "1", corrections: [{ ...corrections[0], box: { x1: 0, y1: 0, x2: 1.5, y2: 1 } }] }), false, "boxes are fractions");
    const eventsValid = schema("events");
    const doc = x.read<{ formatVersion: string; events: Ev[] }>("events.json");
    assert.equal(eventsValid({ ...doc, events: [{ ...mine, detections: [{ ...mine.detections[0], cameraId: CAM_MINE }] }] }), false);
    assert.equal(eventsValid({ ...doc, events: [{ ...mine, labels: [{ ...mine.labels[0], score: 2 }] }] }), false, "scores are 0–1");

    // Filters narrow corrections like activity: by camera and by the time they were made.
    const filtered = await exportFor(MEMBER, { cameraIds: [CAM_MINE], from: "2026-06-01T00:00:00.000Z", to: "2026-06-02T00:00:00.000Z" });
    assert.deepEqual(filtered.read<{ corrections: { id: string }[] }>("corrections.json").corrections.map((c) => c.id), ["corr-mine"]);
    const admin = await exportFor(ADMIN);
    assert.deepEqual(admin.read<{ corrections: { id: string }[] }>("corrections.json").corrections.map((c) => c.id), ["corr-admin"]);
    assert.deepEqual(admin.read<{ events: Ev[] }>("events.json").events.find((e) => e.id === "ev-other-1")?.labels.map((l) => l.label), ["car"]);
    assert.match(fs.readFileSync(path.join(x.dir, "README.txt"), "utf8"), /^corrections\.json/m);
  });

  test("reviews.json: the member's own marks and \"reviewed up to\" time, never another member's; narrowed by camera and time like corrections", async () => {
    type Reviews = { formatVersion: string; reviewedUpTo: string | null; reviews: { eventId: string; reviewedAt: string }[] };
    const x = await exportFor(MEMBER);
    const doc = x.read<Reviews>("reviews.json");
    assert.deepEqual(doc, {
      formatVersion: "1",
      reviewedUpTo: "2026-05-31T12:00:00.000Z",
      reviews: [
        { eventId: "ev-mine-1", reviewedAt: "2026-06-01T12:30:00.000Z" },
        { eventId: "ev-other-1", reviewedAt: "2026-06-01T13:00:00.000Z" },
        { eventId: "ev-mine-2", reviewedAt: "2026-06-03T09:00:00.000Z" },
      ],
    });
    assert.ok(!fs.readFileSync(path.join(x.dir, "reviews.json"), "utf8").includes("2026-06-02T08:00:00"), "not the admin's mark");
    assert.equal(x.manifest.files.find((f) => f.path === "reviews.json")?.schema, "schemas/reviews.schema.json");
    assert.match(fs.readFileSync(path.join(x.dir, "README.txt"), "utf8"), /^reviews\.json {7}Je lijst om te bekijken/m);
    // Closed schema: whose marks they are cannot slip in, nor a mark without its time.
    const valid = new Ajv2020({ allowUnionTypes: true, validateFormats: false }).compile(JSON.parse(fs.readFileSync(path.join(x.dir, "schemas/reviews.schema.json"), "utf8")));
    assert.equal(valid(doc), true);
    assert.equal(valid({ ...doc, reviews: [{ ...doc.reviews[0], userId: MEMBER }] }), false);
    assert.equal(valid({ ...doc, reviews: [{ eventId: "ev-mine-1" }] }), false);
    assert.equal(valid({ ...doc, reviewedUpTo: null }), true, "null = no mark yet");

    // Filters narrow the marks by the event's camera and by when they were made; "reviewed up to" is the account's and stays.
    const filtered = await exportFor(MEMBER, { cameraIds: [CAM_MINE], from: "2026-06-01T00:00:00.000Z", to: "2026-06-02T00:00:00.000Z" });
    assert.deepEqual(filtered.read<Reviews>("reviews.json"), { formatVersion: "1", reviewedUpTo: "2026-05-31T12:00:00.000Z", reviews: [{ eventId: "ev-mine-1", reviewedAt: "2026-06-01T12:30:00.000Z" }] });
    const admin = await exportFor(ADMIN);
    assert.deepEqual(admin.read<Reviews>("reviews.json"), { formatVersion: "1", reviewedUpTo: null, reviews: [{ eventId: "ev-mine-1", reviewedAt: "2026-06-02T08:00:00.000Z" }] });
  });

  test("notifications.json: the member's settings, notifications, deliveries and push devices, never a device's keys or another member's", async () => {
    const x = await exportFor(MEMBER);
    const n = x.read<{ preferences: Record<string, unknown> | null; notifications: { id: string; readAt: string | null }[]; deliveries: { channel: string; status: string; detail: string | null }[]; pushDevices: Record<string, unknown>[] }>("notifications.json");
    assert.equal(n.preferences?.cooldownSeconds, 120);
    assert.deepEqual(n.notifications.map((r) => [r.id, r.readAt]), [["ntf-1", "2026-06-01T12:00:00.000Z"]]);
    assert.deepEqual(n.deliveries.map((d) => [d.channel, d.status, d.detail]).sort(), [["email", "skipped", "quiet hours"], ["push", "sent", null]]);
    assert.deepEqual(n.pushDevices, [{ id: "push-1", pushService: "push.example.test", label: "Firefox on Linux", createdAt: "2026-06-01T09:00:00.000Z", lastOkAt: null }]);
    assertAbsent(x.dir, null, ["never-exported", "abcdef123", "ntf-admin"]);
    const admin = (await exportFor(ADMIN)).read<{ preferences: unknown; notifications: { id: string }[]; pushDevices: unknown[] }>("notifications.json");
    assert.equal(admin.preferences, null);
    assert.deepEqual(admin.notifications.map((r) => r.id), ["ntf-admin"]);
    assert.deepEqual(admin.pushDevices, []);
  });

  test('exportMediaScope "admin": a member gets account, activity and notifications only; the admin still gets everything', async () => {
    await t.db.household.update({ where: { id: 1 }, data: { exportMediaScope: "admin" } });
    try {
      const x = await exportFor(MEMBER);
      assert.equal(x.manifest.mediaIncluded, false);
      assert.deepEqual(x.entries.map((e) => e.name).sort(), ["README.txt", "account.json", "activity.json", "corrections.json", "manifest.json", "notifications.json", "reviews.json", "schemas/account.schema.json", "schemas/activity.schema.json", "schemas/corrections.schema.json", "schemas/manifest.schema.json", "schemas/notifications.schema.json", "schemas/reviews.schema.json"]);
      // README.txt is in the member's language (the seeded member's is Dutch), English without one.
      assert.match(fs.readFileSync(path.join(x.dir, "README.txt"), "utf8"), /alleen voor beheerders/);
      const seeded = (await t.db.user.findUniqueOrThrow({ where: { id: MEMBER } })).locale;
      await t.db.user.update({ where: { id: MEMBER }, data: { locale: null } });
      assert.match(fs.readFileSync(path.join((await exportFor(MEMBER)).dir, "README.txt"), "utf8"), /admins only/);
      await t.db.user.update({ where: { id: MEMBER }, data: { locale: "de" } });
      const german = fs.readFileSync(path.join((await exportFor(MEMBER)).dir, "README.txt"), "utf8");
      await t.db.user.update({ where: { id: MEMBER }, data: { locale: seeded } });
      assert.match(german, /^Nightjar-Datenexport\n=+\n/);
      assert.match(german, /nur für Admins/);
      assert.match(german, /^manifest\.json {6}Jede andere Datei/m);
      assertAbsent(x.dir, x.zipFile, [PASSWORD_HASH, SEALED]);
      // The notifications they received are theirs (they name the camera and event they were told about).
      // The notifications they received and the events they marked reviewed are theirs (by id).
      assertAbsent(x.dir, null, ["ev-mine-1", "Front door", "det-a"], ["notifications.json", "reviews.json"]);
      assert.equal(x.read<{ reviews: unknown[] }>("reviews.json").reviews.length, 3);
      const admin = await exportFor(ADMIN);
      assert.equal(admin.manifest.mediaIncluded, true);
      assert.equal(admin.read<Events>("events.json").events.length, 3);
    } finally {
      await t.db.household.update({ where: { id: 1 }, data: { exportMediaScope: "visible" } });
    }
  });
});
