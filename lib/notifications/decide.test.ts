// Table tests of the notification rule (decide.ts): each case pairs an input with the exact decision.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { decideNotification, inQuietHours, labelsMatch, type Decision, type DecideInput } from "./decide";
import { DEFAULT_PREFS, parsePrefs, type NotificationPrefs } from "./prefs";

const NOW = new Date("2026-06-01T12:00:00Z"); // 14:00 in Europe/Amsterdam (summer time)
const all = (p: Partial<NotificationPrefs>): NotificationPrefs => ({ ...DEFAULT_PREFS, channels: { inApp: true, push: true, email: true }, ...p });
const base: DecideInput = {
  kind: "event",
  cameraId: "cam1",
  labels: ["motion"],
  member: { isAdmin: false, seesCamera: true, timeZone: "Europe/Amsterdam" },
  prefs: all({}),
  mode: { id: "mode_home", notify: true },
  now: NOW,
  lastNotifiedAt: null,
};
const SENT = { send: true } as const;
const skip = (reason: string) => ({ send: false, reason });
const everything: Decision = { notify: true, inApp: SENT, push: SENT, email: { send: true, when: "now" } };

const cases: [string, Partial<DecideInput>, Decision][] = [
  ["defaults: in the app only", { prefs: DEFAULT_PREFS }, { notify: true, inApp: SENT, push: skip("channel_off"), email: skip("channel_off") } as Decision],
  ["every channel on", {}, everything],
  ["in-app off: the row is still written (read)", { prefs: all({ channels: { inApp: false, push: true, email: false } }) }, { notify: true, inApp: skip("channel_off"), push: SENT, email: skip("channel_off") } as Decision],
  ["camera not visible", { member: { ...base.member, seesCamera: false } }, { notify: false, reason: "camera_not_visible" }],
  ["camera not chosen", { prefs: all({ cameraIds: ["cam2"] }) }, { notify: false, reason: "camera_not_chosen" }],
  ["camera chosen", { prefs: all({ cameraIds: ["cam2", "cam1"] }) }, everything],
  ["label not chosen", { prefs: all({ labels: ["person"] }) }, { notify: false, reason: "label_not_chosen" }],
  ["label chosen (detection)", { prefs: all({ labels: ["person"] }), labels: ["motion", "person"] }, everything],
  ["any motion matches every event", { prefs: all({ labels: ["motion"] }), labels: ["motion", "car"] }, everything],
  ["mode not chosen", { prefs: all({ modeIds: ["mode_away"] }) }, { notify: false, reason: "mode_not_chosen" }],
  ["mode chosen", { prefs: all({ modeIds: ["mode_away"] }), mode: { id: "mode_away", notify: true } }, everything],
  ["the mode mutes the camera", { mode: { id: "mode_home", notify: false } }, { notify: false, reason: "mode_mutes_camera" }],
  ["quiet hours 13:00–15:00 (14:00 local)", { prefs: all({ quietHours: { from: "13:00", to: "15:00" } }) }, { notify: true, inApp: SENT, push: skip("quiet_hours"), email: skip("quiet_hours") } as Decision],
  ["quiet hours end at 14:00 (to is exclusive)", { prefs: all({ quietHours: { from: "08:00", to: "14:00" } }) }, everything],
  ["quiet hours over midnight 22:00–07:00 at 14:00", { prefs: all({ quietHours: { from: "22:00", to: "07:00" } }) }, everything],
  ["quiet hours in the member's zone (UTC 12:00 is inside 11:30–12:30 in UTC)", { prefs: all({ quietHours: { from: "11:30", to: "12:30" } }), member: { ...base.member, timeZone: "UTC" } }, { notify: true, inApp: SENT, push: skip("quiet_hours"), email: skip("quiet_hours") } as Decision],
  ["within the cool-down", { lastNotifiedAt: new Date(NOW.getTime() - 59_000) }, { notify: true, inApp: SENT, push: skip("cooldown"), email: skip("cooldown") } as Decision],
  ["cool-down over (exactly 60 s)", { lastNotifiedAt: new Date(NOW.getTime() - 60_000) }, everything],
  ["cool-down 0 = off", { prefs: all({ cooldownSeconds: 0 }), lastNotifiedAt: new Date(NOW.getTime() - 1_000) }, everything],
  ["quiet hours beat cool-down as the reason", { prefs: all({ quietHours: { from: "13:00", to: "15:00" } }), lastNotifiedAt: NOW }, { notify: true, inApp: SENT, push: skip("quiet_hours"), email: skip("quiet_hours") } as Decision],
  ["photo wanted: e-mail at the end", { prefs: all({ emailPhoto: true }) }, { notify: true, inApp: SENT, push: SENT, email: { send: true, when: "at_end" } }],
  ["camera offline: not for members", { kind: "camera", labels: [] }, { notify: false, reason: "not_admin" }],
  ["camera offline: admins, no cool-down, modes do not apply", { kind: "camera", labels: [], member: { ...base.member, isAdmin: true }, lastNotifiedAt: NOW, mode: { id: "x", notify: false }, prefs: all({ modeIds: ["y"], emailPhoto: true }) }, everything],
  ["storage low: admins, no camera", { kind: "storage", cameraId: null, labels: [], member: { ...base.member, isAdmin: true, seesCamera: false } }, everything],
  ["recording stopped: the camera filter applies", { kind: "recording", labels: [], member: { ...base.member, isAdmin: true }, prefs: all({ cameraIds: [] }) }, { notify: false, reason: "camera_not_chosen" }],
  ["recording stopped: quiet hours apply", { kind: "recording", labels: [], member: { ...base.member, isAdmin: true }, prefs: all({ quietHours: { from: "00:00", to: "23:59" } }) }, { notify: true, inApp: SENT, push: skip("quiet_hours"), email: skip("quiet_hours") } as Decision],
];

describe("decideNotification", () => {
  for (const [name, change, expected] of cases) test(name, () => assert.deepEqual(decideNotification({ ...base, ...change }), expected));
});

describe("helpers", () => {
  test("quiet hours from = to are none", () => assert.equal(inQuietHours({ from: "10:00", to: "10:00" }, NOW, "UTC"), false));
  test("quiet hours over midnight include 23:30 and 06:59, not 07:00", () => {
    const q = { from: "22:00", to: "07:00" };
    assert.equal(inQuietHours(q, new Date("2026-06-01T23:30:00Z"), "UTC"), true);
    assert.equal(inQuietHours(q, new Date("2026-06-01T06:59:00Z"), "UTC"), true);
    assert.equal(inQuietHours(q, new Date("2026-06-01T07:00:00Z"), "UTC"), false);
  });
  test("labels: null is any", () => assert.equal(labelsMatch(null, []), true));
  test("prefs: unreadable JSON gives the defaults; a bad field falls back alone", () => {
    assert.deepEqual(parsePrefs("{not json"), DEFAULT_PREFS);
    const p = parsePrefs(JSON.stringify({ cooldownSeconds: -5, emailPhoto: true }));
    assert.equal(p.cooldownSeconds, DEFAULT_PREFS.cooldownSeconds);
    assert.equal(p.emailPhoto, true);
  });
  test("defaults: in-app on, push and e-mail off, every camera, 60 s cool-down", () => {
    assert.deepEqual(DEFAULT_PREFS, { cameraIds: null, labels: null, modeIds: null, quietHours: null, cooldownSeconds: 60, channels: { inApp: true, push: false, email: false }, emailPhoto: false, pushThumbnail: false });
  });
});
