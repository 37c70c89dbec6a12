// Topics and Home Assistant discovery, table-tested; every discovery config is checked against the keys Home
// Assistant documents for its platform. The key lists below were taken from the Home Assistant documentation source
// (github.com/home-assistant/home-assistant.io, source/_integrations/<platform>.mqtt.markdown, the
// {% configuration %} block of each): binary_sensor.mqtt @fbc3a3b, image.mqtt @2347259, select.mqtt @2347259,
// switch.mqtt @5382163, sensor.mqtt @9e4a69a; button.mqtt (home-assistant.io/integrations/button.mqtt, its
// Configuration Variables, read 2026-12-06); the discovery topic rule and `origin` keys from integrations/mqtt
// (#discovery-topic: <prefix>/<component>/[<node_id>/]<object_id>/config, ids of [a-zA-Z0-9_-]; origin: name
// required, sw_version, support_url). `platform` is documented as allowed only in device-based discovery, so a
// single-component config must not carry it.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { discoveryMessages } from "./discovery";
import { cameraTopics, bridgeTopics, parseCommand, parseOnOff, topicPrefixProblem, labelSegment } from "./topics";

const COMMON = ["availability", "availability_mode", "availability_template", "availability_topic", "device", "enabled_by_default", "encoding", "entity_category", "entity_picture", "icon", "json_attributes_template", "json_attributes_topic", "name", "object_id", "unique_id", "origin"];
const PLATFORMS: Record<string, { required: string[]; allowed: string[] }> = {
  binary_sensor: { required: ["state_topic"], allowed: [...COMMON, "device_class", "expire_after", "force_update", "off_delay", "payload_available", "payload_not_available", "payload_off", "payload_on", "qos", "state_topic", "value_template"] },
  sensor: { required: ["state_topic"], allowed: [...COMMON, "device_class", "expire_after", "force_update", "last_reset_value_template", "options", "payload_available", "payload_not_available", "suggested_display_precision", "qos", "state_class", "state_topic", "unit_of_measurement", "value_template"] },
  switch: { required: ["command_topic"], allowed: [...COMMON, "command_template", "command_topic", "device_class", "optimistic", "payload_available", "payload_not_available", "payload_off", "payload_on", "qos", "retain", "state_off", "state_on", "state_topic", "value_template"] },
  select: { required: ["command_topic", "options"], allowed: [...COMMON, "command_template", "command_topic", "optimistic", "options", "qos", "retain", "state_topic", "value_template", "payload_available", "payload_not_available"] },
  image: { required: [], allowed: [...COMMON, "content_type", "image_encoding", "image_topic", "url_template", "url_topic"] },
  button: { required: ["command_topic"], allowed: [...COMMON, "command_template", "command_topic", "device_class", "payload_available", "payload_not_available", "payload_press", "qos", "retain"] },
};
const DEVICE_KEYS = ["configuration_url", "connections", "hw_version", "identifiers", "manufacturer", "model", "model_id", "name", "serial_number", "suggested_area", "sw_version", "via_device"];
const AVAILABILITY_KEYS = ["payload_available", "payload_not_available", "topic", "value_template"];
const ORIGIN_KEYS = ["name", "sw_version", "support_url"];

/** Problems of one discovery message against the documented keys (empty = valid). */
function checkDiscovery(topic: string, payload: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const parts = topic.startsWith("homeassistant/") ? topic.slice("homeassistant/".length).split("/") : [];
  const ids = parts.slice(1, -1);
  if (parts.at(-1) !== "config" || ids.length < 1 || ids.length > 2 || !ids.every((id) => /^[a-zA-Z0-9_-]+$/.test(id))) return [`bad topic ${topic}`];
  const m = [topic, topic, parts[0]];
  const spec = PLATFORMS[m[2]];
  if (!spec) return [`unknown platform ${m[2]}`];
  for (const k of Object.keys(payload)) if (!spec.allowed.includes(k)) problems.push(`${m[2]}: key ${k} not documented`);
  for (const k of spec.required) if (!(k in payload)) problems.push(`${m[2]}: ${k} required`);
  if (m[2] === "image" && !("image_topic" in payload) === !("url_topic" in payload)) problems.push("image: exactly one of image_topic/url_topic");
  if ("availability" in payload && "availability_topic" in payload) problems.push("availability and availability_topic together");
  const dev = payload.device as Record<string, unknown> | undefined;
  if (dev) {
    for (const k of Object.keys(dev)) if (!DEVICE_KEYS.includes(k)) problems.push(`device.${k} not documented`);
    if (!dev.identifiers && !dev.connections) problems.push("device needs identifiers or connections");
    if (!payload.unique_id) problems.push("device requires unique_id");
  }
  for (const a of (payload.availability as Record<string, unknown>[] | undefined) ?? []) {
    for (const k of Object.keys(a)) if (!AVAILABILITY_KEYS.includes(k)) problems.push(`availability.${k} not documented`);
    if (!a.topic) problems.push("availability.topic required");
  }
  if (payload.availability_mode !== undefined && !["all", "any", "latest"].includes(String(payload.availability_mode))) problems.push("availability_mode");
  const origin = payload.origin as Record<string, unknown> | undefined;
  if (origin) {
    for (const k of Object.keys(origin)) if (!ORIGIN_KEYS.includes(k)) problems.push(`origin.${k} not documented`);
    if (!origin.name) problems.push("origin.name required");
  }
  return problems;
}

describe("topics", () => {
  test("camera and bridge topics", () => {
    const t = cameraTopics("nightjar", "abc");
    assert.deepEqual([t.motion, t.availability, t.event, t.snapshot, t.count("motion"), t.count("Person"), t.state("armed"), t.command("privacy"), t.label("car")], ["nightjar/abc/motion", "nightjar/abc/availability", "nightjar/abc/event", "nightjar/abc/snapshot", "nightjar/abc/motion/count", "nightjar/abc/person/count", "nightjar/abc/armed", "nightjar/abc/privacy/set", "nightjar/abc/car"]);
    const b = bridgeTopics("home/nvr");
    assert.deepEqual([b.status, b.mode, b.modeSet, b.storage("free_bytes")], ["home/nvr/status", "home/nvr/mode", "home/nvr/mode/set", "home/nvr/storage/free_bytes"]);
    assert.equal(labelSegment("event"), "label_event");
  });
  const cases: [string, string, ReturnType<typeof parseCommand>][] = [
    ["nightjar/c1/armed/set", "ON", { kind: "switch", cameraId: "c1", switch: "armed", on: true }],
    ["nightjar/c1/recording/set", " off ", { kind: "switch", cameraId: "c1", switch: "recording", on: false }],
    ["nightjar/c1/privacy/set", "On", { kind: "switch", cameraId: "c1", switch: "privacy", on: true }],
    ["nightjar/c1/privacy/set", "1", { kind: "invalid", reason: "payload must be ON or OFF" }],
    ["nightjar/mode/set", "Away", { kind: "mode", mode: "Away" }],
    ["nightjar/mode/set", "  ", { kind: "invalid", reason: "empty or too long mode" }],
    ["nightjar/c1/ptz/set", "ON", null],
    ["nightjar/c1/ptz/preset/set", " Gate ", { kind: "ptzPreset", cameraId: "c1", preset: "Gate" }],
    ["nightjar/c1/ptz/preset/set", "", { kind: "invalid", reason: "empty or too long preset name" }],
    ["nightjar/c1/ptz/move/set", "zoom_in", { kind: "ptzMove", cameraId: "c1", step: "ZOOM_IN" }],
    ["nightjar/c1/ptz/move/set", "sideways", { kind: "invalid", reason: "payload must be one of LEFT, RIGHT, UP, DOWN, ZOOM_IN, ZOOM_OUT" }],
    ["nightjar/c1/ptz/home/set", "ON", null],
    ["other/c1/armed/set", "ON", null],
    ["nightjar/c1/armed", "ON", null],
  ];
  for (const [topic, payload, want] of cases) test(`command ${topic} ${JSON.stringify(payload)}`, () => assert.deepEqual(parseCommand("nightjar", topic, payload), want));
  test("on/off and prefixes", () => {
    assert.deepEqual(["ON", "off", "x"].map(parseOnOff), [true, false, null]);
    assert.deepEqual(["nightjar", "a/b", "", "a/+", "a/#", "/a", "a/", "a//b", "$SYS"].map(topicPrefixProblem), [null, null, "required", "wildcard", "wildcard", "slash", "slash", "slash", "reserved"]);
  });
});

describe("Home Assistant discovery", () => {
  const messages = discoveryMessages({ base: "nightjar", prefix: "homeassistant", version: "1.0", modeNames: ["Home", "Away", "Night"], cameras: [
      { id: "cam-1_A", name: "Garden", manufacturer: null, model: null, firmware: "2.10", labels: ["motion", "person"] },
      { id: "mast", name: "Mast", manufacturer: "Acme", model: "PTZ", firmware: null, labels: ["motion"], ptzPresets: ["Drive", "Gate"] },
      { id: "bare", name: "Bare", manufacturer: null, model: null, firmware: null, labels: ["motion"], ptzPresets: [] },
    ],
  });
  test("every config uses only documented keys and has the required ones", () => {
    for (const m of messages) assert.deepEqual(checkDiscovery(m.topic, m.payload), [], m.topic);
  });
  test("the checker catches what it should", () => {
    assert.ok(checkDiscovery("homeassistant/switch/n/x/config", { state_topic: "a", platform: "switch" }).length >= 2);
    assert.ok(checkDiscovery("homeassistant/sensor/n/x y/config", { state_topic: "a" }).length > 0);
  });
  test("a PTZ camera: six step buttons and its saved positions as a select; none without positions or PTZ", () => {
    const topics = messages.map((m) => m.topic);
    const buttons = topics.filter((t) => t.startsWith("homeassistant/button/nightjar_nightjar/mast_ptz_"));
    assert.equal(buttons.length, 6);
    const select = messages.find((m) => m.topic === "homeassistant/select/nightjar_nightjar/mast_ptz_preset/config")!.payload;
    assert.deepEqual([select.options, select.command_topic, select.state_topic], [["Drive", "Gate"], "nightjar/mast/ptz/preset/set", "nightjar/mast/ptz/preset"]);
    assert.equal(topics.filter((t) => t.startsWith("homeassistant/button/nightjar_nightjar/bare_ptz_")).length, 6);
    assert.ok(!topics.includes("homeassistant/select/nightjar_nightjar/bare_ptz_preset/config"), "a select needs options");
    assert.ok(!topics.some((t) => t.includes("cam-1_A_ptz")), "no PTZ, no buttons");
  });

  test("the entities and their topics", () => {
    const by = (topic: string) => messages.find((m) => m.topic === topic)?.payload as Record<string, unknown>;
    const motion = by("homeassistant/binary_sensor/nightjar_nightjar/cam-1_A_motion/config");
    assert.equal(motion.device_class, "motion");
    assert.equal(motion.availability_mode, "all");
    assert.deepEqual(motion.availability, [{ topic: "nightjar/status" }, { topic: "nightjar/cam-1_A/availability" }]);
    assert.deepEqual(motion.device, { identifiers: ["nightjar_nightjar_cam-1_A"], name: "Garden", manufacturer: "Nightjar", model: "Camera", sw_version: "2.10", via_device: "nightjar_nightjar" });
    assert.equal(by("homeassistant/binary_sensor/nightjar_nightjar/cam-1_A_label_person/config").state_topic, "nightjar/cam-1_A/person");
    const image = by("homeassistant/image/nightjar_nightjar/cam-1_A_snapshot/config");
    assert.equal(image.image_topic, "nightjar/cam-1_A/snapshot");
    assert.equal(image.content_type, "image/jpeg");
    for (const s of ["armed", "recording", "privacy"]) {
      const sw = by(`homeassistant/switch/nightjar_nightjar/cam-1_A_${s}/config`);
      assert.equal(sw.command_topic, `nightjar/cam-1_A/${s}/set`);
      assert.equal(sw.state_topic, `nightjar/cam-1_A/${s}`);
      assert.equal(sw.payload_on, "ON");
    }
    const select = by("homeassistant/select/nightjar_nightjar/mode/config");
    assert.deepEqual(select.options, ["Home", "Away", "Night"]);
    assert.equal(select.command_topic, "nightjar/mode/set");
    const used = by("homeassistant/sensor/nightjar_nightjar/storage_used_bytes/config");
    assert.deepEqual([used.unit_of_measurement, used.device_class, used.state_class], ["B", "data_size", "measurement"]);
    const uniq = messages.map((m) => m.payload.unique_id);
    assert.equal(new Set(uniq).size, uniq.length, "unique ids are unique");
  });
});
