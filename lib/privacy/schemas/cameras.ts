// cameras.json: the configuration of the cameras in the export, without credentials.
import { dateTime, DRAFT, formatVersion, id, nullableString } from "./common";

/** A URL without user information (no "user:password@"). */
const urlWithoutCredentials = { type: "string", pattern: "^[a-z][a-z0-9+.-]*://[^/@?#]+([/?#].*)?$" } as const;
const nullableUrl = { anyOf: [urlWithoutCredentials, { type: "null" }] } as const;
const sensitivity = { type: "integer", minimum: 1, maximum: 100, description: "1 = least, 100 = most sensitive." } as const;

const motion = {
  type: "object",
  description: "Motion detection settings (open for fields added later).",
  additionalProperties: true,
  required: ["sensitivity", "minMotionMs", "quietMs", "preRollMs", "postRollMs", "maxClipMs", "armed", "schedule", "zones"],
  properties: {
    sensitivity,
    minMotionMs: { type: "integer", minimum: 0, description: "Motion must last this long before an event starts, ms." },
    quietMs: { type: "integer", minimum: 0, description: "An event ends after this long without motion, ms." },
    preRollMs: { type: "integer", minimum: 0, description: "Footage kept before the first motion, ms." },
    postRollMs: { type: "integer", minimum: 0, description: "Footage kept after the last motion, ms." },
    maxClipMs: { type: "integer", minimum: 0, description: "Longest clip; longer events continue in numbered clips, ms." },
    armed: { type: "boolean" },
    trigger: { enum: ["nightjar", "camera", "both"], description: "What starts events: Nightjar's motion detection, the camera's own (ONVIF events), or either." },
    schedule: {
      type: "array",
      description: "Weekly windows in which the camera is armed (camera's local time); empty = always.",
      items: {
        type: "object",
        required: ["day", "from", "to"],
        properties: { day: { type: "integer", minimum: 0, maximum: 6, description: "0 = Sunday." }, from: { type: "string" }, to: { type: "string" } },
      },
    },
    zones: {
      type: "array",
      items: {
        type: "object",
        required: ["id", "points", "kind"],
        properties: {
          id: { type: "string" },
          name: { type: "string" },
          points: { type: "array", items: { type: "array", prefixItems: [{ type: "number" }, { type: "number" }], minItems: 2, maxItems: 2 }, description: "Polygon in frame coordinates 0–1 (x from the left, y from the top)." },
          enabled: { type: "boolean" },
          sensitivity,
          kind: { enum: ["detect", "mask"] },
        },
      },
    },
  },
} as const;

const ptz = {
  type: "object",
  additionalProperties: false,
  description: "Pan, tilt and zoom: whether the camera can, its saved positions (their positions are kept in the camera), where it returns to, and when it was last steered (not by whom).",
  required: ["hasPtz", "presets", "homePresetId", "returnAfterMinutes", "lastCommandAt"],
  properties: {
    hasPtz: { type: "boolean" },
    presets: { type: "array", items: { type: "object", additionalProperties: false, required: ["id", "name"], properties: { id, name: { type: "string", minLength: 1, maxLength: 64 } } } },
    homePresetId: { anyOf: [id, { type: "null" }] },
    returnAfterMinutes: { anyOf: [{ type: "integer", minimum: 1, maximum: 1440 }, { type: "null" }], description: "Minutes without steering before the camera goes home; null = never." },
    lastCommandAt: { anyOf: [dateTime, { type: "null" }] },
  },
} as const;

const timelapse = {
  type: "object",
  additionalProperties: false,
  description: "Timelapse: whether the camera keeps one keyframe of its main stream every intervalSeconds while it records (off by default), made into a video per day.",
  required: ["enabled", "intervalSeconds"],
  properties: {
    enabled: { type: "boolean" },
    intervalSeconds: { type: "integer", minimum: 10, maximum: 3600, description: "Seconds between two frames." },
  },
} as const;

const labelOrGroup = { type: "string", minLength: 1, description: "A label (person, cat, car…) or a group (person, animal, vehicle)." } as const;
const minScore = { type: "number", minimum: 0, maximum: 1 } as const;

const detection = {
  type: "object",
  description: "Object detection settings (open for fields added later). Detection runs on this server only.",
  additionalProperties: true,
  required: ["enabled", "labels", "minScore", "minScoreByLabel", "record", "fps", "zoneLabels"],
  properties: {
    enabled: { type: "boolean", description: "Off by default: an admin turns detection on per camera." },
    labels: { type: "array", items: labelOrGroup, description: "Labels or groups of interest." },
    minScore: { ...minScore, description: "Detections below this score are ignored, 0–1." },
    minScoreByLabel: { type: "object", additionalProperties: minScore, description: "Per label: its own minimum score." },
    record: { enum: ["all_motion", "objects_only"], description: "all_motion: every motion event is kept; objects_only: only events with an object of interest." },
    fps: { type: "integer", minimum: 1, description: "Frames examined per second while there is motion." },
    zoneLabels: { type: "object", additionalProperties: { type: "array", items: labelOrGroup }, description: "Motion zone id → the labels it requires." },
  },
} as const;

export const camerasSchema = {
  $schema: DRAFT,
  title: "Nightjar export: cameras.json",
  description: "Configuration of the cameras in this export. Camera passwords are never exported; hasCredentials tells whether the camera has any.",
  type: "object",
  additionalProperties: false,
  required: ["formatVersion", "cameras"],
  properties: {
    formatVersion,
    cameras: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["id", "name", "isEnabled", "recordingEnabled", "recordSound", "privacyMode", "mainStreamUrl", "subStreamUrl", "onvifUrl", "manufacturer", "model", "firmware", "serial", "hasCredentials", "retentionDays", "motion", "detection", "ptz", "timelapse", "createdAt", "updatedAt"],
        properties: {
          id,
          name: { type: "string" },
          isEnabled: { type: "boolean" },
          recordingEnabled: { type: "boolean" },
          recordSound: { type: "boolean", description: "The camera's sound is kept in clips and played live (off by default)." },
          privacyMode: { type: "boolean" },
          mainStreamUrl: urlWithoutCredentials,
          subStreamUrl: nullableUrl,
          onvifUrl: nullableUrl,
          manufacturer: nullableString,
          model: nullableString,
          firmware: nullableString,
          serial: nullableString,
          hasCredentials: { type: "boolean" },
          retentionDays: { type: "integer", minimum: 1, description: "Recordings expire after this many days." },
          motion,
          detection,
          ptz,
          timelapse,
          createdAt: dateTime,
          updatedAt: dateTime,
        },
      },
    },
  },
} as const;
