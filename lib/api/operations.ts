// The operations of the public API /api/v1: one entry per route method, holding what the route enforces (access:
// permission, token scope, signed URL) and validates (path, query, body schemas) and what it answers. Routes under
// app/api/v1 take `access` and `body` from here, and lib/api/openapi.ts writes the document from the same entries, so
// the two cannot drift (lib/api/openapi.test.ts checks that every route file and every entry match).
import type { z } from "zod";
import { ROLE_NEEDED, type ApiScope } from "../auth/scopes";
import type { Permission } from "../household/roles";
import {
  armedBody,
  armedSchema,
  cameraListSchema,
  cameraParams,
  cameraSchema,
  clipParams,
  createWebhookBody,
  deletedSchema,
  deliveriesQuery,
  eventPageSchema,
  eventParams,
  eventSchema,
  eventsQuery,
  liveParams,
  modeListSchema,
  motionSettingsSchema,
  motionZoneResponseSchema,
  photoQuery,
  privacyBody,
  privacySchema,
  ptzCommandBody,
  ptzMovedSchema,
  ptzPresetParams,
  ptzPresetSchema,
  ptzStateSchema,
  signedUrlBody,
  signedUrlSchema,
  storageSchema,
  switchModeBody,
  timelapseListSchema,
  timelapseParams,
  timelapseSchema,
  timelapsesQuery,
  updateWebhookBody,
  webhookCreatedSchema,
  webhookDeliveriesSchema,
  webhookEndpointListSchema,
  webhookEndpointOneSchema,
  webhookParams,
  webhookSecretSchema,
  webhookTestSchema,
  webhookUpdatedSchema,
  whepParams,
  whepSessionParams,
  zoneParams,
  zonePatchBody,
} from "./schemas";

export const API_TAGS = [
  { name: "Cameras", description: "Cameras the caller may see, their status, arming and privacy mode." },
  { name: "PTZ", description: "Cameras that can pan, tilt and zoom: where they point, moving them, sending them to saved positions. Admins and members who see the camera (ptz:control)." },
  { name: "Motion", description: "Motion detection and alarm settings: sensitivity, zones, schedule, pre- and post-roll." },
  { name: "Live", description: "Live video (HLS) and snapshots, also through short-lived signed URLs for players without headers." },
  { name: "Events", description: "Motion events with the objects seen in them and the Events page's filters (camera, time, protection, label), their clips (MP4) and photos (JPEG)." },
  {
    name: "Timelapse",
    description:
      "Timelapses of cameras with timelapse on: one a day per camera (a keyframe every 10 s to 1 h, made into an H.264 MP4 after the day ends) and spans members asked for in the app; their status and their videos (MP4).",
  },
  { name: "Storage", description: "Space used and free (timelapses among it), quota, days until full." },
  {
    name: "Webhooks",
    description:
      "Endpoints that receive signed messages (Standard Webhooks) when events start, change and end, cameras go offline or online, storage runs low or recording stops; their secrets, a test message, the delivery log. Admins (household:manage).",
  },
  { name: "Modes", description: "Household modes (Home, Away, Night, and modes an admin added): per camera armed and notifying; the mode in force and switching it." },
  { name: "Meta", description: "This document." },
] as const;
export type ApiTag = (typeof API_TAGS)[number]["name"];

export type ApiMethod = "GET" | "PUT" | "PATCH" | "POST" | "DELETE";
/** What route() enforces: the member's permission, the token scope that opens the route, and whether a signed URL does. */
export type ApiAccess = { permission: Permission; token: ApiScope; signedUrl?: true };

export type ApiResponse = {
  description: string;
  /** A JSON body validated by this schema (named in lib/api/schemas.ts). */
  json?: z.ZodType;
  /** Other media types (binary or text), e.g. "video/mp4". */
  media?: string[];
  example?: unknown;
  headers?: Record<string, string>;
};

export type ApiOperation = {
  operationId: string;
  method: ApiMethod;
  /** OpenAPI path: {id} for the folder [id], {path} for [...path]. */
  path: string;
  tag: ApiTag;
  summary: string;
  description?: string;
  /** "public": no authentication (the document itself). */
  access: ApiAccess | "public";
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  bodyExample?: unknown;
  /** A body that is not JSON (the route reads and checks it itself): its media type and an example. */
  bodyMedia?: { type: string; example: string };
  responses: Record<number, ApiResponse>;
  /** Error statuses besides the ones every operation of its kind has (see openapi.ts errorStatusesOf). */
  errors?: number[];
  /** The activity log action the operation records (documentation). */
  activity?: string;
};

/** The permission of the camera controls: the one a role needs to hold the cameras:control scope (admins'). */
const CONTROL_PERMISSION = ROLE_NEEDED["cameras:control"];

/** Keeps each entry's literal types (body schema, access) so that routes get typed bodies. */
const op = <const O extends ApiOperation>(o: O): O => o;

const cameraExample = {
  id: "q3Yk1vX0Qm2cT5rJb8nL0a",
  name: "Front door",
  isEnabled: true,
  recordingEnabled: true,
  privacyMode: false,
  armed: true,
  hasSchedule: false,
  status: { state: "online", since: "2026-12-05T08:00:00.000Z", lastSeenAt: "2026-12-05T12:00:00.000Z", recordingProblem: null },
  video: { codec: "h264", width: 1920, height: 1080, fps: 15 },
  retentionDays: 30,
  createdAt: "2026-11-01T10:00:00.000Z",
};
const eventExample = {
  id: "Wc1xPz0q8m3nV2s4T6yU7a",
  cameraId: "q3Yk1vX0Qm2cT5rJb8nL0a",
  cameraName: "Front door",
  startedAt: "2026-12-05T11:58:03.120Z",
  endedAt: "2026-12-05T11:58:21.400Z",
  peakScore: 0.42,
  zones: ["driveway"],
  isProtected: false,
  clips: [{ sequence: 1, durationMs: 23280, bytes: 4120000, videoCodec: "avc1.64002a" }],
  hasPhoto: true,
  labels: [
    { label: "person", score: 0.81 },
    { label: "dog", score: 0.64 },
  ],
  objectCount: 2,
};
const zoneExample = { id: "driveway", name: "Driveway", points: [[0.1, 0.5], [0.9, 0.5], [0.9, 1], [0.1, 1]], enabled: true, sensitivity: 60, kind: "detect" };
const motionExample = { sensitivity: 50, minMotionMs: 500, quietMs: 5000, preRollMs: 5000, postRollMs: 5000, maxClipMs: 20000, armed: true, trigger: "nightjar", schedule: [{ day: 1, from: "22:00", to: "06:00" }], zones: [zoneExample] };

export const listCameras = op({
  operationId: "listCameras",
  method: "GET",
  path: "/api/v1/cameras",
  tag: "Cameras",
  summary: "List the cameras I may see",
  description: "Admins see every camera, members and viewers the cameras granted to them; a token limited to some cameras sees only those.",
  access: { permission: "video:watch", token: "events:read" },
  responses: { 200: { description: "The cameras, by name.", json: cameraListSchema, example: { cameras: [cameraExample] } } },
});

export const getCamera = op({
  operationId: "getCamera",
  method: "GET",
  path: "/api/v1/cameras/{id}",
  tag: "Cameras",
  summary: "One camera",
  access: { permission: "video:watch", token: "events:read" },
  params: cameraParams,
  responses: { 200: { description: "The camera.", json: cameraSchema, example: cameraExample } },
});

export const getMotion = op({
  operationId: "getMotionSettings",
  method: "GET",
  path: "/api/v1/cameras/{id}/motion",
  tag: "Motion",
  summary: "Read a camera's motion and alarm settings",
  access: { permission: CONTROL_PERMISSION, token: "cameras:control" },
  params: cameraParams,
  responses: { 200: { description: "The settings, defaults filled in.", json: motionSettingsSchema, example: motionExample } },
});

export const putMotion = op({
  operationId: "putMotionSettings",
  method: "PUT",
  path: "/api/v1/cameras/{id}/motion",
  tag: "Motion",
  summary: "Replace a camera's motion and alarm settings",
  description: "The whole set: omitted fields take their defaults. The recorder applies it within seconds. To change one thing, use the arming and zone operations.",
  access: { permission: CONTROL_PERMISSION, token: "cameras:control" },
  params: cameraParams,
  body: motionSettingsSchema,
  bodyExample: motionExample,
  activity: "camera.motion_changed",
  responses: { 200: { description: "The settings as stored.", json: motionSettingsSchema, example: motionExample } },
});

export const putArmed = op({
  operationId: "setCameraArmed",
  method: "PUT",
  path: "/api/v1/cameras/{id}/armed",
  tag: "Motion",
  summary: "Arm or disarm motion detection",
  description: "Sets MotionSettings.armed, the master switch: disarmed, motion starts no events whatever the schedule (an event under way ends after its post-roll). Live view and the schedule are not changed.",
  access: { permission: CONTROL_PERMISSION, token: "cameras:control" },
  params: cameraParams,
  body: armedBody,
  bodyExample: { armed: false },
  activity: "camera.armed / camera.disarmed",
  responses: { 200: { description: "The new state.", json: armedSchema, example: { cameraId: cameraExample.id, armed: false } } },
});

export const patchZone = op({
  operationId: "updateMotionZone",
  method: "PATCH",
  path: "/api/v1/cameras/{id}/zones/{zoneId}",
  tag: "Motion",
  summary: "Enable or disable a zone, set its sensitivity",
  description: "A disabled detect zone no longer fires; a disabled mask no longer masks. 404 for an unknown zone id.",
  access: { permission: CONTROL_PERMISSION, token: "cameras:control" },
  params: zoneParams,
  body: zonePatchBody,
  bodyExample: { enabled: false, sensitivity: 70 },
  activity: "zone.changed",
  responses: { 200: { description: "The zone as stored.", json: motionZoneResponseSchema, example: { ...zoneExample, enabled: false, sensitivity: 70 } } },
});

export const putPrivacy = op({
  operationId: "setPrivacyMode",
  method: "PUT",
  path: "/api/v1/cameras/{id}/privacy",
  tag: "Cameras",
  summary: "Privacy mode on or off",
  description:
    "On: no recording and no live view of this camera until it is off (the recorder stops within seconds, live view at once). Admins always; with a session, members too when the household allows it (Settings → Household).",
  access: { permission: "video:watch", token: "cameras:control" },
  params: cameraParams,
  body: privacyBody,
  bodyExample: { enabled: true },
  activity: "camera.privacy_mode",
  errors: [409],
  responses: { 200: { description: "The new state.", json: privacySchema, example: { cameraId: cameraExample.id, privacyMode: true } } },
});

const ptzExample = { cameraId: cameraExample.id, position: { pan: 0.25, tilt: -0.1, zoom: 0 }, moving: false, presets: [{ id: "Zt2mQ8rN4vK1pX6cL0sD3a", name: "Gate" }], settings: { homePresetId: "Zt2mQ8rN4vK1pX6cL0sD3a", returnAfterMinutes: 10 } };

export const getPtzOp = op({
  operationId: "getCameraPtz",
  method: "GET",
  path: "/api/v1/cameras/{id}/ptz",
  tag: "PTZ",
  summary: "Where a PTZ camera points, its saved positions",
  description: "Asks the camera where it points now. 409 no_ptz for a camera that cannot pan, tilt or zoom; 503 ptz_unavailable when the camera does not answer.",
  access: { permission: "ptz:control", token: "ptz:control" },
  params: cameraParams,
  errors: [409, 503],
  responses: { 200: { description: "The camera's PTZ state.", json: ptzStateSchema, example: ptzExample } },
});

export const movePtzOp = op({
  operationId: "moveCameraPtz",
  method: "POST",
  path: "/api/v1/cameras/{id}/ptz",
  tag: "PTZ",
  summary: "Move a PTZ camera (or stop it)",
  description:
    "One command, sent to the camera at once: the last command wins when several programs or members steer. A continuous move stops by itself after timeoutMs. Motion detection of the camera pauses while it moves. 409 no_ptz, 422 ptz_refused (the camera said no), 503 ptz_unavailable.",
  access: { permission: "ptz:control", token: "ptz:control" },
  params: cameraParams,
  body: ptzCommandBody,
  bodyExample: { action: "continuous", pan: 0.5, timeoutMs: 2000 },
  errors: [409, 422, 503],
  activity: "ptz.move (once a minute per member and camera; stop is not recorded)",
  responses: { 200: { description: "The command was taken.", json: ptzMovedSchema, example: { cameraId: cameraExample.id, action: "continuous" } } },
});

export const gotoPtzPresetOp = op({
  operationId: "gotoCameraPtzPreset",
  method: "POST",
  path: "/api/v1/cameras/{id}/ptz/presets/{presetId}/goto",
  tag: "PTZ",
  summary: "Send a PTZ camera to a saved position",
  description: "404 for a saved position of another camera or none. 409 no_ptz, 422 ptz_refused, 503 ptz_unavailable.",
  access: { permission: "ptz:control", token: "ptz:control" },
  params: ptzPresetParams,
  errors: [409, 422, 503],
  activity: "ptz.goto_preset",
  responses: { 200: { description: "The position the camera was sent to.", json: ptzPresetSchema, example: ptzExample.presets[0] } },
});

export const getSnapshot = op({
  operationId: "getSnapshot",
  method: "GET",
  path: "/api/v1/cameras/{id}/snapshot",
  tag: "Live",
  summary: "A JPEG of the camera's picture now",
  description: "Refused for a disabled camera (404) and in privacy mode (409). Also through a signed URL.",
  access: { permission: "video:watch", token: "live:watch", signedUrl: true },
  params: cameraParams,
  activity: "camera.snapshot",
  errors: [409, 503],
  responses: { 200: { description: "The picture.", media: ["image/jpeg"] } },
});

export const getLive = op({
  operationId: "getLive",
  method: "GET",
  path: "/api/v1/cameras/{id}/live/{stream}/{path}",
  tag: "Live",
  summary: "Live video (HLS): playlist, stream description, segments",
  description:
    "Start with {path} = index.m3u8: an HLS playlist (fMP4) whose init and media segments are named relative to it ({run}/init.mp4, {run}/seg-{n}.m4s) and served here too, with range requests. Fetched through a signed URL, every URI in the playlist carries the same signature. 503 with Retry-After while the stream starts; 409 in privacy mode.",
  access: { permission: "video:watch", token: "live:watch", signedUrl: true },
  params: liveParams,
  activity: "live.view (playlist, once per 10 minutes)",
  errors: [409, 503],
  responses: {
    200: { description: "The playlist, info.json, or a segment.", media: ["application/vnd.apple.mpegurl", "application/json", "video/mp4", "video/iso.segment"] },
    206: { description: "Part of a segment (Range).", media: ["video/mp4", "video/iso.segment"] },
  },
});

export const postWhep = op({
  operationId: "startWebRtc",
  method: "POST",
  path: "/api/v1/cameras/{id}/live/{stream}/whep",
  tag: "Live",
  summary: "Live video over WebRTC (WHEP, RFC 9725): an SDP offer in, the SDP answer out",
  description:
    "Send a receive-only SDP offer with H.264 (packetization-mode 1) as application/sdp; the answer has the server's own host candidates only (no STUN or TURN server is ever contacted) and the camera's H.264 without re-encoding, DTLS-SRTP. Location names the session: DELETE it when done (it also ends when ICE or DTLS fails). 400 webrtc_offer_invalid with params.reason (malformed, too_large, no_video, no_h264, …); 415 for a body that is not application/sdp or a camera stream that is not H.264; 429 webrtc_limit past the peers per member or camera; 409 in privacy mode; 503 with Retry-After while the stream starts.",
  access: { permission: "video:watch", token: "live:watch" },
  params: whepParams,
  bodyMedia: { type: "application/sdp", example: "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n…" },
  activity: "live.view",
  errors: [409, 503],
  responses: {
    201: {
      description: "The SDP answer.",
      media: ["application/sdp"],
      headers: { Location: "The session: /api/v1/cameras/{id}/live/{stream}/whep/{session}, for DELETE." },
    },
  },
});

export const deleteWhep = op({
  operationId: "stopWebRtc",
  method: "DELETE",
  path: "/api/v1/cameras/{id}/live/{stream}/whep/{session}",
  tag: "Live",
  summary: "Ends a WebRTC live session (WHEP)",
  description: "Only the session's own member (any of their tokens with live:watch, or their session) may end it; any other session id is 404.",
  access: { permission: "video:watch", token: "live:watch" },
  params: whepSessionParams,
  responses: { 200: { description: "Ended." } },
});

export const postSignedUrl = op({
  operationId: "createSignedUrl",
  method: "POST",
  path: "/api/v1/cameras/{id}/signed-url",
  tag: "Live",
  summary: "A short-lived URL for players that cannot send headers",
  description: "For VLC, Home Assistant's stream component and the like: the URL works without Authorization for `ttlSeconds`, read-only, for this camera's live video and snapshot only.",
  access: { permission: "video:watch", token: "live:watch" },
  params: cameraParams,
  body: signedUrlBody,
  bodyExample: { path: "live", stream: "main", ttlSeconds: 300 },
  responses: {
    200: {
      description: "The URL and when it stops working.",
      json: signedUrlSchema,
      example: { url: "https://nvr.example/api/v1/cameras/q3Yk1vX0Qm2cT5rJb8nL0a/live/main/index.m3u8?exp=1796471100&uid=u1&sig=…", expiresAt: "2026-12-05T12:05:00.000Z" },
    },
  },
});

export const getStorage = op({
  operationId: "getStorage",
  method: "GET",
  path: "/api/v1/storage",
  tag: "Storage",
  summary: "Storage status",
  description: "Admins only (the Storage page's permission).",
  access: { permission: "storage:view", token: "events:read" },
  responses: {
    200: {
      description: "Use, free space, quota, days until full.",
      json: storageSchema,
      example: {
        usedBytes: 52e9,
        protectedBytes: 1.2e9,
        quotaBytes: 200e9,
        freeBytes: 310e9,
        totalBytes: 500e9,
        floorBytes: 1e9,
        isBelowFloor: false,
        bytesPerDay: 2.1e9,
        daysUntilFull: 70.5,
        fullBy: "quota",
        timelapse: { bytes: 0.9e9, videoBytes: 0.1e9, framesBytes: 0.8e9, count: 31 },
        cameras: [{ cameraId: cameraExample.id, name: "Front door", events: 812, bytes: 52e9, timelapseBytes: 0.9e9, oldest: "2026-11-05T00:12:00.000Z", retentionDays: 30 }],
        warnings: [],
      },
    },
  },
});

export const listEventsOp = op({
  operationId: "listEvents",
  method: "GET",
  path: "/api/v1/events",
  tag: "Events",
  summary: "List events, newest first",
  description:
    "The Events page's filters; pages by cursor (pass nextBefore as before). `label` keeps events in which any of the given labels or groups was seen (label=person&label=vehicle). 400 invalid_date_range when `to` is not after `from`; 403 when `camera` names a camera the caller may not see.",
  access: { permission: "video:watch", token: "events:read" },
  query: eventsQuery,
  responses: { 200: { description: "One page.", json: eventPageSchema, example: { events: [eventExample], nextBefore: "1796471883120.Wc1xPz0q8m3nV2s4T6yU7a" } } },
});

export const getEventOp = op({
  operationId: "getEvent",
  method: "GET",
  path: "/api/v1/events/{id}",
  tag: "Events",
  summary: "One event",
  access: { permission: "video:watch", token: "events:read" },
  params: eventParams,
  responses: { 200: { description: "The event.", json: eventSchema, example: eventExample } },
});

export const getClip = op({
  operationId: "downloadClip",
  method: "GET",
  path: "/api/v1/events/{id}/clips/{seq}",
  tag: "Events",
  summary: "Download a clip (MP4)",
  description: "A progressive MP4 with its index in front, as an attachment named after the camera and time. Range requests resume or seek.",
  access: { permission: "events:download", token: "events:read" },
  params: clipParams,
  activity: "clip.download",
  errors: [416],
  responses: {
    200: { description: "The clip.", media: ["video/mp4"], headers: { "content-disposition": "attachment; filename=…" } },
    206: { description: "The requested range.", media: ["video/mp4"] },
  },
});

export const getPhoto = op({
  operationId: "getEventPhoto",
  method: "GET",
  path: "/api/v1/events/{id}/photo",
  tag: "Events",
  summary: "The event photo (JPEG)",
  access: { permission: "video:watch", token: "events:read" },
  params: eventParams,
  query: photoQuery,
  responses: { 200: { description: "The photo at the motion's peak.", media: ["image/jpeg"] } },
});

const timelapseExample = {
  id: "Tl4vB7nQ2xK9mR1sD5wZ3a",
  cameraId: cameraExample.id,
  cameraName: "Front door",
  kind: "day",
  day: "2026-12-04",
  from: "2026-12-03T23:00:00.000Z",
  to: "2026-12-04T23:00:00.000Z",
  status: "ready",
  framesCaptured: 8640,
  frameCount: 8640,
  bytes: 61_400_000,
  framesBytes: 702_000_000,
  durationMs: 288_000,
  width: 1280,
  height: 720,
  error: null,
  createdAt: "2026-12-03T23:00:04.120Z",
  finishedAt: "2026-12-04T23:06:31.800Z",
};

export const listTimelapsesOp = op({
  operationId: "listTimelapses",
  method: "GET",
  path: "/api/v1/timelapses",
  tag: "Timelapse",
  summary: "List timelapses, newest first",
  description: "Those of the cameras the caller may see (a token limited to some cameras: those only); those of deleted cameras only for admins.",
  access: { permission: "video:watch", token: "events:read" },
  query: timelapsesQuery,
  responses: { 200: { description: "The timelapses.", json: timelapseListSchema, example: { timelapses: [timelapseExample] } } },
});

export const getTimelapseOp = op({
  operationId: "getTimelapse",
  method: "GET",
  path: "/api/v1/timelapses/{id}",
  tag: "Timelapse",
  summary: "One timelapse",
  description: "404 also for a timelapse of a camera the caller may not see.",
  access: { permission: "video:watch", token: "events:read" },
  params: timelapseParams,
  responses: { 200: { description: "The timelapse.", json: timelapseSchema, example: timelapseExample } },
});

export const getTimelapseVideo = op({
  operationId: "downloadTimelapse",
  method: "GET",
  path: "/api/v1/timelapses/{id}/video",
  tag: "Timelapse",
  summary: "Download a timelapse (MP4)",
  description:
    "A progressive H.264 MP4 with its index in front, as an attachment named after the camera and the day (\"Front door timelapse 2026-12-04.mp4\") or the span, in the member's time zone. Range requests resume or seek. 404 until status is ready, when it failed, and for a camera the caller may not see.",
  access: { permission: "events:download", token: "events:read" },
  params: timelapseParams,
  activity: "timelapse.download",
  errors: [416],
  responses: {
    200: { description: "The video.", media: ["video/mp4"], headers: { "content-disposition": "attachment; filename=…" } },
    206: { description: "The requested range.", media: ["video/mp4"] },
  },
});

const webhookExample = {
  id: "ep_2Fq8kTn1vX0pLm3sR5wY7a",
  url: "http://homeassistant.local:8123/api/webhook/nightjar-front-door",
  description: "Home Assistant",
  eventTypes: ["event.started", "event.ended"],
  enabled: true,
  disabledReason: null,
  disabledAt: null,
  failureStreak: 0,
  createdAt: "2026-12-01T09:00:00.000Z",
  lastDelivery: { status: "delivered", eventType: "event.ended", at: "2026-12-05T11:58:22.010Z", responseStatus: 200 },
};
const secretExample = "whsec_8pv1h7DJpavU9OoMb5M30+T0grxNZVbTV/wRqJlkhCo=";
/** The webhook operations' access: the household's admins; tokens with household:manage. */
const WEBHOOK_ACCESS = { permission: "household:manage", token: "household:manage" } as const;

export const listWebhooks = op({
  operationId: "listWebhooks",
  method: "GET",
  path: "/api/v1/webhooks",
  tag: "Webhooks",
  summary: "List the household's webhook endpoints",
  access: WEBHOOK_ACCESS,
  responses: { 200: { description: "The endpoints, oldest first.", json: webhookEndpointListSchema, example: { endpoints: [webhookExample] } } },
});

export const createWebhook = op({
  operationId: "createWebhook",
  method: "POST",
  path: "/api/v1/webhooks",
  tag: "Webhooks",
  summary: "Add a webhook endpoint",
  description: "The URL is checked (http or https, no user name or password, the host resolves): 400 validation on `url` otherwise. Nightjar generates the signing secret and returns it here.",
  access: WEBHOOK_ACCESS,
  body: createWebhookBody,
  bodyExample: { url: webhookExample.url, description: "Home Assistant", eventTypes: ["event.started", "event.ended"] },
  activity: "webhook.created",
  responses: { 201: { description: "The endpoint and its signing secret.", json: webhookCreatedSchema, example: { endpoint: { ...webhookExample, lastDelivery: null }, secret: secretExample } } },
});

export const getWebhook = op({
  operationId: "getWebhook",
  method: "GET",
  path: "/api/v1/webhooks/{id}",
  tag: "Webhooks",
  summary: "One webhook endpoint",
  access: WEBHOOK_ACCESS,
  params: webhookParams,
  responses: { 200: { description: "The endpoint.", json: webhookEndpointOneSchema, example: { endpoint: webhookExample } } },
});

export const updateWebhook = op({
  operationId: "updateWebhook",
  method: "PATCH",
  path: "/api/v1/webhooks/{id}",
  tag: "Webhooks",
  summary: "Change an endpoint, enable or disable it",
  description: "Any of the fields. Enabling starts afresh (no failure streak); disabling fails the messages still queued for it.",
  access: WEBHOOK_ACCESS,
  params: webhookParams,
  body: updateWebhookBody,
  bodyExample: { enabled: false },
  activity: "webhook.changed (field names only)",
  responses: { 200: { description: "The endpoint as stored and what changed.", json: webhookUpdatedSchema, example: { endpoint: { ...webhookExample, enabled: false, disabledAt: "2026-12-05T12:00:00.000Z" }, changed: ["enabled"] } } },
});

export const deleteWebhook = op({
  operationId: "deleteWebhook",
  method: "DELETE",
  path: "/api/v1/webhooks/{id}",
  tag: "Webhooks",
  summary: "Remove an endpoint and its delivery log",
  access: WEBHOOK_ACCESS,
  params: webhookParams,
  activity: "webhook.deleted",
  responses: { 200: { description: "Removed.", json: deletedSchema, example: { ok: true } } },
});

export const testWebhook = op({
  operationId: "sendWebhookTest",
  method: "POST",
  path: "/api/v1/webhooks/{id}/test",
  tag: "Webhooks",
  summary: "Queue a test message (webhook.test) to this endpoint",
  description: "Sent to this endpoint only, also when it is disabled (to check it before enabling). Its outcome shows in the delivery log.",
  access: WEBHOOK_ACCESS,
  params: webhookParams,
  responses: { 202: { description: "Queued.", json: webhookTestSchema, example: { deliveryId: "msg_2Fq8kTn1vX0pLm3sR5wY7a" } } },
});

export const rotateWebhookSecretOp = op({
  operationId: "rotateWebhookSecret",
  method: "POST",
  path: "/api/v1/webhooks/{id}/rotate-secret",
  tag: "Webhooks",
  summary: "A new signing secret",
  description: "Every attempt from now on, retries included, is signed with the new secret.",
  access: WEBHOOK_ACCESS,
  params: webhookParams,
  activity: "webhook.changed (secret)",
  responses: { 200: { description: "The new secret.", json: webhookSecretSchema, example: { secret: secretExample } } },
});

export const getWebhookSecret = op({
  operationId: "getWebhookSecret",
  method: "GET",
  path: "/api/v1/webhooks/{id}/secret",
  tag: "Webhooks",
  summary: "The endpoint's signing secret",
  description: "For the receiver, to verify signatures. Never cached.",
  access: WEBHOOK_ACCESS,
  params: webhookParams,
  responses: { 200: { description: "The secret.", json: webhookSecretSchema, example: { secret: secretExample } } },
});

export const listWebhookDeliveriesOp = op({
  operationId: "listWebhookDeliveries",
  method: "GET",
  path: "/api/v1/webhooks/{id}/deliveries",
  tag: "Webhooks",
  summary: "The endpoint's delivery log, newest first",
  description: "50 rows a page; pass the last row's createdAt as `before` for older ones. Kept 7 days.",
  access: WEBHOOK_ACCESS,
  params: webhookParams,
  query: deliveriesQuery,
  responses: {
    200: {
      description: "One page of the log.",
      json: webhookDeliveriesSchema,
      example: {
        deliveries: [
          {
            id: "msg_2Fq8kTn1vX0pLm3sR5wY7a",
            eventType: "event.ended",
            status: "delivered",
            attempts: 1,
            createdAt: "2026-12-05T11:58:21.900Z",
            lastAttemptAt: "2026-12-05T11:58:22.010Z",
            nextAttemptAt: null,
            deliveredAt: "2026-12-05T11:58:22.010Z",
            responseStatus: 200,
            latencyMs: 42,
            error: null,
          },
        ],
      },
    },
  },
});

const modesExample = {
  modes: [
    { id: "mode_home", key: "home", name: "Home", position: 0, active: false, cameras: {}, schedule: [{ days: [1, 2, 3, 4, 5], at: "07:00" }] },
    { id: "mode_away", key: "away", name: "Away", position: 1, active: true, cameras: {}, schedule: [] },
    { id: "mode_night", key: "night", name: "Night", position: 2, active: false, cameras: { [cameraExample.id]: { armed: true, notify: false } }, schedule: [{ days: [0, 1, 2, 3, 4, 5, 6], at: "23:00" }] },
  ],
  activeModeId: "mode_away",
  changedAt: "2026-12-05T08:12:00.000Z",
  changedVia: "api",
  timeZone: "Europe/Amsterdam",
};

export const listModesOp = op({
  operationId: "listModes",
  method: "GET",
  path: "/api/v1/modes",
  tag: "Modes",
  summary: "The household's modes and the one in force",
  description: "Per-camera settings list only the cameras the caller may see.",
  access: { permission: "video:watch", token: "events:read" },
  responses: { 200: { description: "The modes by position.", json: modeListSchema, example: modesExample } },
});

export const switchModeOp = op({
  operationId: "switchMode",
  method: "POST",
  path: "/api/v1/modes/active",
  tag: "Modes",
  summary: "Switch the household mode",
  description:
    "Makes the mode (id, key or name) the one in force and arms or disarms each camera as the mode says (only where it differs). Switching to the mode in force applies its arming again. Recorded in the activity log as mode.switch. 404 for an unknown mode.",
  access: { permission: "modes:switch", token: "cameras:control" },
  body: switchModeBody,
  bodyExample: { mode: "away" },
  activity: "mode.switch",
  errors: [404],
  responses: { 200: { description: "The modes after the switch.", json: modeListSchema, example: modesExample } },
});

export const getOpenApi = op({
  operationId: "getOpenApiDocument",
  method: "GET",
  path: "/api/v1/openapi.json",
  tag: "Meta",
  summary: "This document (also at /api/openapi.json)",
  access: "public",
  responses: { 200: { description: "The OpenAPI 3.1 document.", media: ["application/json"] } },
});

/** Every operation, in the document's order. */
export const API_OPERATIONS: readonly ApiOperation[] = [
  listCameras,
  getCamera,
  putPrivacy,
  getMotion,
  putMotion,
  putArmed,
  patchZone,
  getPtzOp,
  movePtzOp,
  gotoPtzPresetOp,
  getLive,
  postWhep,
  deleteWhep,
  getSnapshot,
  postSignedUrl,
  listEventsOp,
  getEventOp,
  getClip,
  getPhoto,
  listTimelapsesOp,
  getTimelapseOp,
  getTimelapseVideo,
  getStorage,
  listWebhooks,
  createWebhook,
  getWebhook,
  updateWebhook,
  deleteWebhook,
  testWebhook,
  rotateWebhookSecretOp,
  getWebhookSecret,
  listWebhookDeliveriesOp,
  listModesOp,
  switchModeOp,
  getOpenApi,
];
