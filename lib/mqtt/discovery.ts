// Home Assistant MQTT discovery (pure): the retained `<prefix>/<component>/<node>/<object>/config` messages that make
// one device per camera (via the Nightjar hub device) and the hub itself appear in Home Assistant with no custom
// integration. Single-component discovery: one config per entity; an empty retained payload removes one.
import { bridgeTopics, cameraTopics, MOTION_LABEL, OFF, OFFLINE, ON, ONLINE, PTZ_STEPS, STORAGE_FIGURES, type CameraSwitch, type PtzStep, type StorageFigure } from "./topics";

/** `ptzPresets`: the names of a PTZ camera's saved positions (null: the camera cannot pan, tilt or zoom). */
export type DiscoveryCamera = { id: string; name: string; manufacturer: string | null; model: string | null; firmware: string | null; labels: string[]; ptzPresets?: string[] | null };
export type DiscoveryInput = { base: string; prefix: string; version: string; cameras: DiscoveryCamera[]; modeNames: string[]; configurationUrl?: string | null };
export type DiscoveryMessage = { topic: string; payload: Record<string, unknown> };

/** [a-zA-Z0-9_-] only (node_id and object_id of a discovery topic). */
export const slug = (s: string) => s.replace(/[^a-zA-Z0-9_-]+/g, "_");

/** The hub device's identifier: one per base topic (two installations on one broker need two base topics anyway). */
export const hubIdentifier = (base: string) => `nightjar_${slug(base)}`;
export const cameraIdentifier = (base: string, cameraId: string) => `${hubIdentifier(base)}_${slug(cameraId)}`;

const SWITCH_NAMES: Record<CameraSwitch, { name: string; icon: string }> = {
  armed: { name: "Motion detection", icon: "mdi:motion-sensor" },
  recording: { name: "Recording", icon: "mdi:record-rec" },
  privacy: { name: "Privacy mode", icon: "mdi:eye-off" },
};
const PTZ_STEP_NAMES: Record<PtzStep, { name: string; icon: string }> = {
  LEFT: { name: "Pan left", icon: "mdi:arrow-left-bold" },
  RIGHT: { name: "Pan right", icon: "mdi:arrow-right-bold" },
  UP: { name: "Tilt up", icon: "mdi:arrow-up-bold" },
  DOWN: { name: "Tilt down", icon: "mdi:arrow-down-bold" },
  ZOOM_IN: { name: "Zoom in", icon: "mdi:magnify-plus" },
  ZOOM_OUT: { name: "Zoom out", icon: "mdi:magnify-minus" },
};
const STORAGE_NAMES: Record<StorageFigure, string> = { used_bytes: "Storage used", free_bytes: "Disk free", total_bytes: "Disk size" };

export function discoveryMessages(input: DiscoveryInput): DiscoveryMessage[] {
  const { base, prefix } = input;
  const hub = hubIdentifier(base);
  const node = slug(hub);
  const bridge = bridgeTopics(base);
  const origin = { name: "Nightjar", sw_version: input.version };
  const hubDevice = { identifiers: [hub], name: "Nightjar", manufacturer: "Nightjar", model: "NVR", sw_version: input.version, ...(input.configurationUrl ? { configuration_url: input.configurationUrl } : {}) };
  const out: DiscoveryMessage[] = [];
  const topic = (component: string, object: string) => `${prefix}/${component}/${node}/${slug(object)}/config`;

  out.push({
    topic: topic("select", "mode"),
    payload: { name: "Household mode", unique_id: `${hub}_mode`, object_id: `${node}_mode`, icon: "mdi:home-switch", options: input.modeNames, command_topic: bridge.modeSet, state_topic: bridge.mode, availability_topic: bridge.status, payload_available: ONLINE, payload_not_available: OFFLINE, device: hubDevice, origin },
  });
  for (const figure of STORAGE_FIGURES) {
    out.push({
      topic: topic("sensor", `storage_${figure}`),
      payload: { name: STORAGE_NAMES[figure], unique_id: `${hub}_storage_${figure}`, object_id: `${node}_storage_${figure}`, state_topic: bridge.storage(figure), unit_of_measurement: "B", device_class: "data_size", state_class: "measurement", availability_topic: bridge.status, payload_available: ONLINE, payload_not_available: OFFLINE, device: hubDevice, origin },
    });
  }

  for (const camera of input.cameras) {
    const t = cameraTopics(base, camera.id);
    const id = cameraIdentifier(base, camera.id);
    const device = { identifiers: [id], name: camera.name, manufacturer: camera.manufacturer || "Nightjar", model: camera.model || "Camera", ...(camera.firmware ? { sw_version: camera.firmware } : {}), via_device: hub };
    // The entity is available only while the bridge is connected AND the camera is online.
    const common = { availability: [{ topic: bridge.status }, { topic: t.availability }], availability_mode: "all", payload_available: ONLINE, payload_not_available: OFFLINE, device, origin };
    const obj = (suffix: string) => `${camera.id}_${suffix}`;
    out.push({ topic: topic("binary_sensor", obj("motion")), payload: { name: "Motion", unique_id: `${id}_motion`, object_id: `${node}_${slug(obj("motion"))}`, state_topic: t.motion, payload_on: ON, payload_off: OFF, device_class: "motion", ...common } });
    for (const label of camera.labels) {
      const l = slug(label.toLowerCase());
      if (label !== MOTION_LABEL) {
        out.push({ topic: topic("binary_sensor", obj(`label_${l}`)), payload: { name: label, unique_id: `${id}_label_${l}`, object_id: `${node}_${slug(obj(`label_${l}`))}`, state_topic: t.label(label), payload_on: ON, payload_off: OFF, device_class: "occupancy", ...common } });
      }
      out.push({ topic: topic("sensor", obj(`count_${l}`)), payload: { name: `${label} count`, unique_id: `${id}_count_${l}`, object_id: `${node}_${slug(obj(`count_${l}`))}`, state_topic: t.count(label), state_class: "measurement", icon: "mdi:counter", ...common } });
    }
    out.push({ topic: topic("image", obj("snapshot")), payload: { name: "Latest event", unique_id: `${id}_snapshot`, object_id: `${node}_${slug(obj("snapshot"))}`, image_topic: t.snapshot, content_type: "image/jpeg", ...withoutPayloads(common) } });
    for (const s of ["armed", "recording", "privacy"] as const) {
      out.push({ topic: topic("switch", obj(s)), payload: { name: SWITCH_NAMES[s].name, unique_id: `${id}_${s}`, object_id: `${node}_${slug(obj(s))}`, icon: SWITCH_NAMES[s].icon, command_topic: t.command(s), state_topic: t.state(s), payload_on: ON, payload_off: OFF, optimistic: false, ...common } });
    }
    // A PTZ camera: a button per step, and its saved positions as a select (when it has any).
    if (camera.ptzPresets) {
      for (const step of Object.keys(PTZ_STEPS) as PtzStep[]) {
        const o = obj(`ptz_${step.toLowerCase()}`);
        out.push({ topic: topic("button", o), payload: { name: PTZ_STEP_NAMES[step].name, unique_id: `${id}_ptz_${step.toLowerCase()}`, object_id: `${node}_${slug(o)}`, icon: PTZ_STEP_NAMES[step].icon, command_topic: t.ptzMoveSet, payload_press: step, ...common } });
      }
      if (camera.ptzPresets.length > 0) {
        out.push({ topic: topic("select", obj("ptz_preset")), payload: { name: "Position", unique_id: `${id}_ptz_preset`, object_id: `${node}_${slug(obj("ptz_preset"))}`, icon: "mdi:crosshairs-gps", options: camera.ptzPresets, command_topic: t.ptzPresetSet, state_topic: t.ptzPreset, optimistic: false, ...common } });
      }
    }
  }
  return out;
}

/** The image platform documents no top-level payload_available/not_available (only inside `availability`). */
function withoutPayloads<T extends { payload_available: string; payload_not_available: string; availability: { topic: string }[] }>(c: T) {
  const { payload_available, payload_not_available, availability, ...rest } = c;
  return { ...rest, availability: availability.map((a) => ({ ...a, payload_available, payload_not_available })) };
}

/** The discovery topic filter for this installation's configs (to find and clear those of deleted cameras). */
export const discoveryFilter = (prefix: string, base: string) => `${prefix}/+/${slug(hubIdentifier(base))}/+/config`;
