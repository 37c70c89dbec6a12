// Every MQTT topic and payload Nightjar publishes or obeys, as pure functions of the base topic (default
// "nightjar"). The bridge (bridge.ts) and Home Assistant discovery (discovery.ts) build their topics only here.
//
//   <base>/status                      "online" | "offline" (retained; "offline" is the last will)
//   <base>/mode                        the household mode's name (retained)     <base>/mode/set  ← id, key or name
//   <base>/storage/used_bytes|free_bytes|total_bytes   integers, bytes (retained, every 60 s)
//   <base>/<cameraId>/motion           "ON" | "OFF" (retained)
//   <base>/<cameraId>/availability     "online" | "offline" (retained)
//   <base>/<cameraId>/event            JSON EventMessage (not retained)
//   <base>/<cameraId>/snapshot         JPEG bytes of the latest event photo (retained)
//   <base>/<cameraId>/<label>/count    object count per label, integer (retained; "motion": 0/1)
//   <base>/<cameraId>/armed|recording|privacy        "ON" | "OFF" (retained)  …/set ← "ON" | "OFF" (any case)
//   <base>/<cameraId>/ptz/preset       the saved position last gone to (retained)  …/set ← its name (any case) or id
//   <base>/<cameraId>/ptz/move/set     ← LEFT | RIGHT | UP | DOWN | ZOOM_IN | ZOOM_OUT (any case): one step (PTZ_STEPS)

/** Switches a camera exposes; each has a state topic and a …/set command topic. */
export const CAMERA_SWITCHES = ["armed", "recording", "privacy"] as const;
export type CameraSwitch = (typeof CAMERA_SWITCHES)[number];

/** Labels of an event today; the detection issue adds object labels ("person", "car"). */
export const MOTION_LABEL = "motion";

/** The PTZ steps over MQTT: a relative move of one button press, in ONVIF's generic translation space. */
export const PTZ_STEPS = {
  LEFT: { pan: -0.125 },
  RIGHT: { pan: 0.125 },
  UP: { tilt: 0.125 },
  DOWN: { tilt: -0.125 },
  ZOOM_IN: { zoom: 0.25 },
  ZOOM_OUT: { zoom: -0.25 },
} as const;
export type PtzStep = keyof typeof PTZ_STEPS;

export const ON = "ON";
export const OFF = "OFF";
export const ONLINE = "online";
export const OFFLINE = "offline";

/** Storage figures published under <base>/storage/, bytes. */
export const STORAGE_FIGURES = ["used_bytes", "free_bytes", "total_bytes"] as const;
export type StorageFigure = (typeof STORAGE_FIGURES)[number];

/** Topic segments a label may not take (they name other camera topics). */
const RESERVED = new Set(["motion_any", "availability", "event", "snapshot", "ptz", ...CAMERA_SWITCHES]);

/** A label as a topic segment: lower case [a-z0-9_], reserved names prefixed "label_". */
export function labelSegment(label: string): string {
  const s = label.toLowerCase().replace(/[^a-z0-9_]+/g, "_").replace(/^_+|_+$/g, "") || "label";
  return RESERVED.has(s) ? `label_${s}` : s;
}

export function bridgeTopics(base: string) {
  return {
    status: `${base}/status`,
    mode: `${base}/mode`,
    modeSet: `${base}/mode/set`,
    storage: (figure: StorageFigure) => `${base}/storage/${figure}`,
    /** Subscriptions for every command (camera switches and the mode). */
    commandFilters: [...CAMERA_SWITCHES.map((s) => `${base}/+/${s}/set`), `${base}/mode/set`, `${base}/+/ptz/preset/set`, `${base}/+/ptz/move/set`],
  };
}

export function cameraTopics(base: string, cameraId: string) {
  const c = `${base}/${cameraId}`;
  return {
    motion: `${c}/motion`,
    availability: `${c}/availability`,
    event: `${c}/event`,
    snapshot: `${c}/snapshot`,
    count: (label: string) => `${c}/${labelSegment(label)}/count`,
    /** ON/OFF of a label other than motion (motion's is `motion`). */
    label: (label: string) => (label === MOTION_LABEL ? `${c}/motion` : `${c}/${labelSegment(label)}`),
    state: (s: CameraSwitch) => `${c}/${s}`,
    command: (s: CameraSwitch) => `${c}/${s}/set`,
    ptzPreset: `${c}/ptz/preset`,
    ptzPresetSet: `${c}/ptz/preset/set`,
    ptzMoveSet: `${c}/ptz/move/set`,
  };
}

export const onOff = (on: boolean) => (on ? ON : OFF);

/** "ON"/"OFF" in any case, surrounding spaces ignored; null for anything else. */
export function parseOnOff(payload: string): boolean | null {
  const p = payload.trim().toUpperCase();
  return p === ON ? true : p === OFF ? false : null;
}

/** The JSON on <base>/<camera>/event. Times ISO-8601 UTC; score 0–1 (the event's peak, null before its end). */
export type EventMessage = { type: "new" | "update" | "end"; eventId: string; cameraId: string; startedAt: string; endedAt: string | null; labels: string[]; score: number | null };

export function eventMessage(m: EventMessage): string {
  return JSON.stringify({ type: m.type, eventId: m.eventId, cameraId: m.cameraId, startedAt: m.startedAt, endedAt: m.endedAt, labels: m.labels, score: m.score });
}

export type Command =
  | { kind: "switch"; cameraId: string; switch: CameraSwitch; on: boolean }
  | { kind: "mode"; mode: string }
  | { kind: "ptzPreset"; cameraId: string; preset: string }
  | { kind: "ptzMove"; cameraId: string; step: PtzStep }
  | { kind: "invalid"; reason: string };

/** What a message on a command topic asks; null when the topic is not one of ours. */
export function parseCommand(base: string, topic: string, payload: string): Command | null {
  if (!topic.startsWith(`${base}/`)) return null;
  const rest = topic.slice(base.length + 1).split("/");
  if (rest.length === 2 && rest[0] === "mode" && rest[1] === "set") {
    const mode = payload.trim();
    if (!mode || mode.length > 200) return { kind: "invalid", reason: "empty or too long mode" };
    return { kind: "mode", mode };
  }
  if (rest.length === 4 && rest[0] && rest[1] === "ptz" && rest[3] === "set") {
    const text = payload.trim();
    if (rest[2] === "preset") {
      if (!text || text.length > 200) return { kind: "invalid", reason: "empty or too long preset name" };
      return { kind: "ptzPreset", cameraId: rest[0], preset: text };
    }
    if (rest[2] === "move") {
      const step = text.toUpperCase();
      if (!Object.hasOwn(PTZ_STEPS, step)) return { kind: "invalid", reason: `payload must be one of ${Object.keys(PTZ_STEPS).join(", ")}` };
      return { kind: "ptzMove", cameraId: rest[0], step: step as PtzStep };
    }
    return null;
  }
  if (rest.length === 3 && rest[2] === "set" && (CAMERA_SWITCHES as readonly string[]).includes(rest[1]) && rest[0]) {
    const on = parseOnOff(payload);
    if (on === null) return { kind: "invalid", reason: `payload must be ON or OFF` };
    return { kind: "switch", cameraId: rest[0], switch: rest[1] as CameraSwitch, on };
  }
  return null;
}

/** A base topic or discovery prefix: no wildcards (+ #), no leading/trailing or double slash, no NUL, 1–100 chars. */
export function topicPrefixProblem(value: string): string | null {
  if (value.length === 0) return "required";
  if (value.length > 100) return "too_long";
  if (/[+#\u0000]/.test(value)) return "wildcard";
  if (value.startsWith("/") || value.endsWith("/") || value.includes("//")) return "slash";
  if (value.startsWith("$")) return "reserved";
  return null;
}
