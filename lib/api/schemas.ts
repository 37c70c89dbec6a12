// The zod schemas of the public API /api/v1: requests (what the routes validate) and responses (what the routes send,
// parsed through the schema on the way out, so a response cannot carry a field the document does not list). Named
// schemas are registered in `apiSchemas` and become components of the OpenAPI document (lib/api/openapi.ts).
import { z } from "zod";
import { API_SCOPES } from "../auth/scopes";
import { SIGNED_URL_MAX_SECONDS } from "../auth/signed-url";
import { LABELS } from "../detection/labels";
import { ERROR_STATUS } from "../errors";
import { motionConfigSchema, motionZoneSchema } from "../motion/config";
import { MAX_MOVE_TIMEOUT_MS, MAX_PRESET_NAME } from "../ptz/settings";
import { TIMELAPSE_LIST_LIMIT, type TimelapseStatus } from "../timelapse/timelapses";
import { DISABLED_FAILING } from "../webhooks/deliver";
import { MAX_DESCRIPTION_CHARS } from "../webhooks/endpoints";
import { TEST_EVENT_TYPE, WEBHOOK_EVENT_TYPES } from "../webhooks/events";
import { MAX_WEBHOOK_URL_CHARS } from "../webhooks/url";

/** The registry of named schemas: `id` is the component name in #/components/schemas. */
export const apiSchemas = z.registry<{ id: string; description?: string }>();
const named = <T extends z.ZodType>(id: string, schema: T, description?: string): T => {
  apiSchemas.add(schema, { id, description });
  return schema;
};

const instant = z.iso.datetime({ offset: true });
const id = z.string().min(1).max(64);

// ── Errors ───────────────────────────────────────────────────────────────────────────────────────────────────────

/** The error envelope of every refusal (lib/http/route.ts errorResponse). `message` is in the caller's language. */
export const errorSchema = named(
  "Error",
  z.object({
    error: z.object({
      code: z.enum(Object.keys(ERROR_STATUS) as [keyof typeof ERROR_STATUS, ...(keyof typeof ERROR_STATUS)[]]).meta({ description: "Stable machine-readable code; switch on this, not on the message." }),
      message: z.string().meta({ description: "Human-readable, in the language of Accept-Language (or the member's profile)." }),
      params: z.record(z.string(), z.union([z.string(), z.number()])).meta({ description: "Values in the message, e.g. { seconds: 30 } for throttled." }),
      fields: z
        .record(z.string(), z.object({ code: z.string(), message: z.string() }))
        .optional()
        .meta({ description: "validation only: per field (dotted path, e.g. zones.0.sensitivity) a code and a message." }),
    }),
  }),
  "Every 4xx/5xx answer. Programs switch on error.code.",
);

// ── Path parameters ──────────────────────────────────────────────────────────────────────────────────────────────

export const cameraParams = z.object({ id: id.meta({ description: "Camera id.", example: "q3Yk1vX0Qm2cT5rJb8nL0a" }) });
export const zoneParams = z.object({ id: cameraParams.shape.id, zoneId: motionZoneSchema.shape.id.meta({ description: "Zone id (MotionSettings.zones[].id).", example: "driveway" }) });
export const eventParams = z.object({ id: id.meta({ description: "Event id.", example: "Wc1xPz0q8m3nV2s4T6yU7a" }) });
export const clipParams = z.object({
  id: eventParams.shape.id,
  seq: z.coerce.number().int().min(0).max(100_000).meta({ description: "Clip number within the event (Event.clips[].sequence), from 1.", example: 1 }),
});
export const LIVE_STREAM_NAMES = ["main", "sub"] as const;
export const liveParams = z.object({
  id: cameraParams.shape.id,
  stream: z.enum(LIVE_STREAM_NAMES).meta({ description: "main: full resolution; sub: the camera's second, smaller stream." }),
  path: z.string().meta({
    description: "index.m3u8 (the playlist), info.json (codecs, size, sound), or <run>/init.mp4 and <run>/seg-<n>.m4s as the playlist names them.",
    example: "index.m3u8",
  }),
});

export const whepParams = z.object({ id: cameraParams.shape.id, stream: liveParams.shape.stream });
export const whepSessionParams = z.object({
  id: cameraParams.shape.id,
  stream: liveParams.shape.stream,
  session: z.string().meta({ description: "The session, as the Location of its POST names it (22 characters).", example: "h2Jd8Qm1xT0pL4sW9cVb3A" }),
});

// ── Cameras ──────────────────────────────────────────────────────────────────────────────────────────────────────

export const cameraSchema = named(
  "Camera",
  z.object({
    id,
    name: z.string(),
    isEnabled: z.boolean().meta({ description: "false: not recorded, no live view, not checked." }),
    recordingEnabled: z.boolean().meta({ description: "false: never recorded (live view only)." }),
    privacyMode: z.boolean().meta({ description: "true: no recording and no live view until it is switched off." }),
    armed: z.boolean().meta({ description: "Motion detection armed (MotionSettings.armed): false = no events at all." }),
    hasSchedule: z.boolean().meta({ description: "Armed only inside weekly windows (MotionSettings.schedule)." }),
    status: z.object({
      state: z.enum(["unknown", "online", "offline"]),
      since: instant.nullable(),
      lastSeenAt: instant.nullable(),
      recordingProblem: z.string().nullable().meta({ description: "Why the last clip could not be written; null while clips are written." }),
    }),
    video: z.object({
      codec: z.string().nullable(),
      width: z.number().int().nullable(),
      height: z.number().int().nullable(),
      fps: z.number().nullable(),
    }),
    retentionDays: z.number().int(),
    createdAt: instant,
  }),
  "A camera the caller may see.",
);
export const cameraListSchema = named("CameraList", z.object({ cameras: z.array(cameraSchema) }));

/** The motion/alarm settings: the same schema the app's motion form is validated with (lib/motion/config.ts). */
export const motionSettingsSchema = named(
  "MotionSettings",
  motionConfigSchema,
  "Motion detection and alarm settings of one camera. Times in milliseconds; sensitivity 1 (least) to 100 (most). A PUT replaces the whole set: omitted fields take their defaults.",
);
export const motionZoneResponseSchema = named("MotionZone", motionZoneSchema, "A polygon in normalized frame coordinates (0–1). kind detect: motion inside counts with this zone's sensitivity; mask: never counts.");

export const armedBody = z.object({ armed: z.boolean().meta({ description: "true: motion starts events (within the schedule, if any); false: no events." }) });
export const armedSchema = named("ArmedState", z.object({ cameraId: id, armed: z.boolean() }));

export const zonePatchBody = z
  .object({
    enabled: z.boolean().optional().meta({ description: "false: the zone is ignored (a mask no longer masks, a detect zone no longer fires)." }),
    sensitivity: motionZoneSchema.shape.sensitivity.unwrap().optional().meta({ description: "1 (least) to 100 (most sensitive)." }),
  })
  .refine((b) => b.enabled !== undefined || b.sensitivity !== undefined, { message: "nothing_to_change" });

export const privacyBody = z.object({ enabled: z.boolean().meta({ description: "true: stop recording and live view of this camera now." }) });
export const privacySchema = named("PrivacyState", z.object({ cameraId: id, privacyMode: z.boolean() }));

export const SIGNED_URL_TARGETS = ["live", "snapshot"] as const;
export const signedUrlBody = z.object({
  path: z.enum(SIGNED_URL_TARGETS).default("live").meta({ description: "live: the HLS playlist of `stream`; snapshot: a JPEG." }),
  stream: z.enum(LIVE_STREAM_NAMES).default("main"),
  ttlSeconds: z.number().int().min(30).max(SIGNED_URL_MAX_SECONDS).optional().meta({ description: "Life of the URL, s (default 300)." }),
});
export const signedUrlSchema = named(
  "SignedUrl",
  z.object({
    url: z.string().meta({ description: "Absolute URL with its signature in the query; read-only, one camera, every GET under /api/v1/cameras/{id}/." }),
    expiresAt: instant,
  }),
);

// ── PTZ ──────────────────────────────────────────────────────────────────────────────────────────────────────────

export const ptzPresetParams = z.object({ id: cameraParams.shape.id, presetId: id.meta({ description: "Saved position id (PtzState.presets[].id).", example: "Zt2mQ8rN4vK1pX6cL0sD3a" }) });
const panTilt = (min: number, max: number, what: string) => z.number().min(min).max(max).optional().meta({ description: what });
/** One command to a camera's PTZ head, in ONVIF's generic spaces (pan and tilt −1 … 1, zoom 0 … 1). */
export const ptzCommandBody = named(
  "PtzCommand",
  z.discriminatedUnion("action", [
    z.object({
      action: z.literal("continuous").meta({ description: "Move at a velocity until stop, another command, or timeoutMs." }),
      pan: panTilt(-1, 1, "Velocity left (−) or right (+), a fraction of full speed."),
      tilt: panTilt(-1, 1, "Velocity down (−) or up (+)."),
      zoom: panTilt(-1, 1, "Velocity out (−) or in (+)."),
      timeoutMs: z.number().int().min(1).max(MAX_MOVE_TIMEOUT_MS).optional().meta({ description: `Stop by itself after this many ms (default and most ${MAX_MOVE_TIMEOUT_MS}).` }),
    }),
    z.object({ action: z.literal("stop").meta({ description: "Stop pan, tilt and zoom." }) }),
    z.object({
      action: z.literal("relative").meta({ description: "Move by a step." }),
      pan: panTilt(-2, 2, "Step left (−) or right (+); 2 is the whole range."),
      tilt: panTilt(-2, 2, "Step down (−) or up (+)."),
      zoom: panTilt(-1, 1, "Step out (−) or in (+)."),
    }),
    z.object({
      action: z.literal("absolute").meta({ description: "Move to a position." }),
      pan: panTilt(-1, 1, "Position from left (−1) to right (1)."),
      tilt: panTilt(-1, 1, "Position from down (−1) to up (1)."),
      zoom: panTilt(0, 1, "Position from wide (0) to tele (1)."),
    }),
  ]),
  "An axis left out does not move; at least one axis (except for stop).",
);
const ptzVector = z.object({ pan: z.number(), tilt: z.number(), zoom: z.number() });
export const ptzPresetSchema = named("PtzPreset", z.object({ id, name: z.string().min(1).max(MAX_PRESET_NAME) }));
export const ptzStateSchema = named(
  "PtzState",
  z.object({
    cameraId: id,
    position: ptzVector.nullable().meta({ description: "Where the camera points now (null when it does not say)." }),
    moving: z.boolean(),
    presets: z.array(ptzPresetSchema).meta({ description: "Saved positions, by name." }),
    settings: z.object({
      homePresetId: id.nullable().meta({ description: "The saved position the camera goes back to; null: none." }),
      returnAfterMinutes: z.number().int().min(1).nullable().meta({ description: "Minutes without a command before it goes back; null: never." }),
    }),
  }),
);
export const ptzMovedSchema = named("PtzMoved", z.object({ cameraId: id, action: z.enum(["continuous", "stop", "relative", "absolute"]) }));

// ── Events ───────────────────────────────────────────────────────────────────────────────────────────────────────

const LABEL_NAMES = LABELS.map((l) => l.label).join(", ");
const GROUP_NAMES = [...new Set(LABELS.map((l) => l.group))].join(", ");

export const eventSchema = named(
  "Event",
  z.object({
    id,
    cameraId: id.nullable().meta({ description: "null: the camera was deleted with its recordings kept." }),
    cameraName: z.string(),
    startedAt: instant.meta({ description: "First motion (pre-roll starts before it)." }),
    endedAt: instant.nullable().meta({ description: "Last motion + post-roll; null while the event is still recording." }),
    peakScore: z.number(),
    zones: z.array(z.string()).meta({ description: "Ids of the zones that fired; empty: the whole picture." }),
    isProtected: z.boolean().meta({ description: "Protected events never expire." }),
    clips: z.array(z.object({ sequence: z.number().int(), durationMs: z.number().int(), bytes: z.number().int(), videoCodec: z.string() })),
    hasPhoto: z.boolean(),
    labels: z
      .array(
        z.object({
          label: z.string().meta({ description: `What the object detector saw: ${LABEL_NAMES}.`, example: "person" }),
          score: z.number().min(0).max(1).meta({ description: "The label's best score during the event, 0–1." }),
        }),
      )
      .meta({ description: "Objects seen during the event (object detection), best score first; empty when the camera does not detect objects." }),
    objectCount: z.number().int().min(0).meta({ description: "Most objects of interest seen at once; 0 without object detection." }),
  }),
  "One motion event, with the objects seen in it.",
);
export const eventPageSchema = named(
  "EventPage",
  z.object({ events: z.array(eventSchema), nextBefore: z.string().nullable().meta({ description: "Pass as `before` for the next (older) page; null on the last page." }) }),
);

export const eventsQuery = z.object({
  camera: z.array(id).max(100).optional().meta({ description: "Only these cameras (repeat the parameter)." }),
  from: z.string().max(40).optional().meta({ description: "YYYY-MM-DD (start of that day in `tz`) or an ISO 8601 instant; events that started at or after it." }),
  to: z.string().max(40).optional().meta({ description: "YYYY-MM-DD (that whole day included) or an ISO 8601 instant (exclusive)." }),
  protected: z.enum(["yes", "no"]).optional().meta({ description: "yes: protected only; no: unprotected only." }),
  label: z
    .array(z.string().max(40))
    .max(32)
    .optional()
    .meta({
      description: `Only events in which any of these was seen (repeat the parameter): a label (${LABEL_NAMES}) or a group (${GROUP_NAMES}: all of its labels). 400 validation on \`label\` (unknown_label) for anything else.`,
    }),
  tz: z.string().max(64).optional().meta({ description: "IANA time zone for day bounds (default: the member's profile, else the server's)." }),
  before: z.string().max(100).optional().meta({ description: "Cursor: nextBefore of the previous page." }),
  limit: z.coerce.number().int().min(1).max(200).optional().meta({ description: "Page size (default 50)." }),
});
export const photoQuery = z.object({ size: z.enum(["full", "thumb"]).optional().meta({ description: "thumb: a small thumbnail." }) });

// ── Timelapses ───────────────────────────────────────────────────────────────────────────────────────────────────

/** What each status means (a Record, so that a status added in lib/timelapse fails to compile here until documented). */
const TIMELAPSE_STATUS_MEANING: Record<TimelapseStatus, string> = {
  capturing: "a day still being captured (frames are kept; no video yet)",
  queued: "waiting to be made",
  encoding: "being made now",
  ready: "the video can be downloaded",
  failed: "making it failed (error says why)",
  empty: "no frames: nothing to make",
};
const TIMELAPSE_STATUSES = Object.keys(TIMELAPSE_STATUS_MEANING) as [TimelapseStatus, ...TimelapseStatus[]];
const timelapseStatus = z.enum(TIMELAPSE_STATUSES).meta({ description: Object.entries(TIMELAPSE_STATUS_MEANING).map(([s, m]) => `${s}: ${m}`).join("; ") + "." });

export const timelapseParams = z.object({ id: id.meta({ description: "Timelapse id.", example: "Tl4vB7nQ2xK9mR1sD5wZ3a" }) });
export const timelapsesQuery = z.object({
  camera: id.optional().meta({ description: "Only this camera's timelapses (none for a camera the caller may not see)." }),
  status: timelapseStatus.optional().meta({ description: "Only timelapses in this status, e.g. ready (the ones with a video)." }),
});

export const timelapseSchema = named(
  "Timelapse",
  z.object({
    id,
    cameraId: id.nullable().meta({ description: "null: the camera was deleted with its recordings kept (admins only see these)." }),
    cameraName: z.string().meta({ description: "The camera's name when the timelapse was made." }),
    kind: z.enum(["day", "range"]).meta({ description: "day: one a day per camera with timelapse on, made after the day ends; range: a span a member asked for." }),
    day: z.string().nullable().meta({ description: "kind day: the date (YYYY-MM-DD, the server's time zone); null for a range.", example: "2026-12-04" }),
    from: instant.meta({ description: "Start of the span covered." }),
    to: instant.meta({ description: "End of the span covered (exclusive)." }),
    status: timelapseStatus,
    framesCaptured: z.number().int().meta({ description: "kind day: frames kept so far." }),
    frameCount: z.number().int().meta({ description: "Frames in the video (0 until it is made)." }),
    bytes: z.number().int().meta({ description: "The video's size, bytes (0 until it is made)." }),
    framesBytes: z.number().int().meta({ description: "kind day: the kept frames' size on disk, bytes." }),
    durationMs: z.number().int().meta({ description: "The video's length, ms." }),
    width: z.number().int().nullable().meta({ description: "The video's picture size, pixels; null until it is made." }),
    height: z.number().int().nullable(),
    error: z.string().nullable().meta({ description: "status failed: why (English)." }),
    createdAt: instant,
    finishedAt: instant.nullable().meta({ description: "When the video was made (or making it gave up)." }),
  }),
  "A timelapse of one camera: a day, or a span a member asked for. Its video (MP4, H.264) is at /api/v1/timelapses/{id}/video once status is ready.",
);
export const timelapseListSchema = named(
  "TimelapseList",
  z.object({ timelapses: z.array(timelapseSchema).meta({ description: `Newest span first; at most ${TIMELAPSE_LIST_LIMIT} (the newest ones, before the status filter).` }) }),
);

// ── Storage ──────────────────────────────────────────────────────────────────────────────────────────────────────

export const storageSchema = named(
  "StorageStatus",
  z.object({
    usedBytes: z.number().meta({ description: "Bytes of recordings stored: clips, photos and timelapses (videos and their frames)." }),
    protectedBytes: z.number().meta({ description: "Of which protected (never expire)." }),
    timelapse: z
      .object({
        bytes: z.number().meta({ description: "videoBytes + framesBytes." }),
        videoBytes: z.number().meta({ description: "The timelapse videos (MP4)." }),
        framesBytes: z.number().meta({ description: "The frames kept to make them (and ranges from them)." }),
        count: z.number().int().meta({ description: "Timelapses (days and ranges)." }),
      })
      .meta({ description: "Timelapses in all (part of usedBytes)." }),
    quotaBytes: z.number().nullable().meta({ description: "The household's quota for recordings; null: none." }),
    freeBytes: z.number().nullable().meta({ description: "Free on the data folder's disk; null when it cannot be read." }),
    totalBytes: z.number().nullable(),
    floorBytes: z.number().meta({ description: "Below this free space the recorder writes no clips." }),
    isBelowFloor: z.boolean(),
    bytesPerDay: z.number().meta({ description: "Recorded per day (clips, photos and timelapses), measured over the last days." }),
    daysUntilFull: z.number().nullable().meta({ description: "Days until the quota or the disk (down to the floor) is full at that rate; null: not filling." }),
    fullBy: z.enum(["quota", "disk"]).nullable(),
    cameras: z.array(
      z.object({
        cameraId: id.nullable().meta({ description: "null: events and timelapses of deleted cameras, together." }),
        name: z.string().nullable(),
        events: z.number().int(),
        bytes: z.number().meta({ description: "All of the camera's recordings: events and timelapses." }),
        timelapseBytes: z.number().meta({ description: "Of which timelapses (videos and frames)." }),
        oldest: instant.nullable().meta({ description: "The oldest event's start (timelapses not counted)." }),
        retentionDays: z.number().int().nullable(),
      }),
    ),
    warnings: z.array(z.enum(["protected_over_quota", "quota_unreachable", "floor_unreachable"])),
  }),
  "Use, free space, quota and days until full.",
);

// ── Webhooks ─────────────────────────────────────────────────────────────────────────────────────────────────────

export const webhookParams = z.object({ id: id.meta({ description: "Webhook endpoint id.", example: "ep_2Fq8kTn1vX0pLm3sR5wY7a" }) });

const webhookEventTypes = z
  .array(z.enum(WEBHOOK_EVENT_TYPES))
  .min(1)
  .max(WEBHOOK_EVENT_TYPES.length)
  .meta({ description: "The event types sent to this endpoint (each once)." });
const webhookUrl = z.string().max(MAX_WEBHOOK_URL_CHARS).meta({ description: "http(s), no user name or password; the host must resolve when saved (400 validation on `url` otherwise)." });
const webhookDescription = z.string().max(MAX_DESCRIPTION_CHARS).nullish().meta({ description: "A note for people; empty or null: none." });

/** POST /api/v1/webhooks. */
export const createWebhookBody = z.object({ url: webhookUrl, description: webhookDescription, eventTypes: webhookEventTypes });

/** PATCH /api/v1/webhooks/:id: any of the fields; enabling starts afresh, disabling fails what is still queued. */
export const updateWebhookBody = z
  .object({
    url: webhookUrl.optional(),
    description: webhookDescription,
    eventTypes: webhookEventTypes.optional(),
    enabled: z.boolean().optional().meta({ description: "true starts afresh (no failure streak); false fails the messages still queued (Send test excepted)." }),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: "nothing_to_change" });

export const deliveriesQuery = z.object({
  before: instant.optional().meta({ description: "Older rows: the createdAt of the last row of the previous page (exclusive)." }),
});

export const webhookEndpointSchema = named(
  "WebhookEndpoint",
  z.object({
    id,
    url: z.string(),
    description: z.string().nullable(),
    eventTypes: z.array(z.enum(WEBHOOK_EVENT_TYPES)),
    enabled: z.boolean(),
    disabledReason: z.enum([DISABLED_FAILING]).nullable().meta({ description: `"${DISABLED_FAILING}": Nightjar disabled it after repeated failure; null: enabled, or disabled by an admin.` }),
    disabledAt: instant.nullable(),
    failureStreak: z.number().int().meta({ description: "Failed attempts in a row since the last success." }),
    createdAt: instant,
    lastDelivery: z
      .object({ status: z.enum(["pending", "delivered", "failed"]), eventType: z.string(), at: instant, responseStatus: z.number().int().nullable() })
      .nullable()
      .meta({ description: "The newest message to this endpoint; null: none yet." }),
  }),
  "A receiver of signed webhook messages (Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature).",
);
export const webhookEndpointListSchema = named("WebhookEndpointList", z.object({ endpoints: z.array(webhookEndpointSchema) }));
export const webhookCreatedSchema = named(
  "WebhookCreated",
  z.object({ endpoint: webhookEndpointSchema, secret: z.string().meta({ description: "The signing secret (whsec_…), for the receiver. GET …/secret shows it again." }) }),
);
export const webhookEndpointOneSchema = named("WebhookEndpointOne", z.object({ endpoint: webhookEndpointSchema }));
export const webhookUpdatedSchema = named(
  "WebhookUpdated",
  z.object({ endpoint: webhookEndpointSchema, changed: z.array(z.enum(["url", "description", "eventTypes", "enabled"])).meta({ description: "The fields that changed (empty: none)." }) }),
);
export const webhookSecretSchema = named("WebhookSecret", z.object({ secret: z.string().meta({ description: "The signing secret (whsec_…)." }) }));
export const webhookTestSchema = named("WebhookTestQueued", z.object({ deliveryId: z.string().meta({ description: "The queued message's id (its webhook-id header)." }) }));
export const webhookDeliveriesSchema = named(
  "WebhookDeliveries",
  z.object({
    deliveries: z.array(
      z.object({
        id: z.string(),
        eventType: z.union([z.enum(WEBHOOK_EVENT_TYPES), z.literal(TEST_EVENT_TYPE)]),
        status: z.enum(["pending", "delivered", "failed"]).meta({ description: "pending: queued or waiting for a retry; failed: given up (24 h of retries, or the endpoint disabled)." }),
        attempts: z.number().int(),
        createdAt: instant,
        lastAttemptAt: instant.nullable(),
        nextAttemptAt: instant.nullable().meta({ description: "When pending: the next attempt." }),
        deliveredAt: instant.nullable(),
        responseStatus: z.number().int().nullable().meta({ description: "The receiver's HTTP status of the last attempt; null: no answer." }),
        latencyMs: z.number().int().nullable().meta({ description: "Time to the receiver's answer, ms." }),
        error: z.string().nullable(),
      }),
    ),
  }),
  "The delivery log, newest first (kept 7 days).",
);
export const deletedSchema = named("Deleted", z.object({ ok: z.literal(true) }));

// ── Household modes ──────────────────────────────────────────────────────────────────────────────────────────────

export const modeSchema = named(
  "Mode",
  z.object({
    id,
    key: z.enum(["home", "away", "night"]).nullable().meta({ description: "The three built in (renamable, not deletable); null for modes an admin added." }),
    name: z.string(),
    position: z.number().int(),
    active: z.boolean().meta({ description: "The mode in force." }),
    cameras: z
      .record(z.string(), z.object({ armed: z.boolean(), notify: z.boolean() }))
      .meta({ description: "Per camera the caller may see: motion armed, notifications sent. A camera not listed is armed and notifies." }),
    schedule: z
      .array(z.object({ days: z.array(z.number().int().min(0).max(6)).meta({ description: "0 = Sunday … 6 = Saturday." }), at: z.string().meta({ description: "HH:MM, 24 h." }) }))
      .meta({ description: "When the schedule switches to this mode, in the household's time zone (timeZone)." }),
  }),
  "A household mode (Home, Away, Night, or one an admin added).",
);
export const modeListSchema = named(
  "ModeList",
  z.object({
    modes: z.array(modeSchema),
    activeModeId: id,
    changedAt: instant.nullable().meta({ description: "When the mode in force last changed; null = never switched (the first mode is in force)." }),
    changedVia: z.enum(["ui", "api", "mqtt", "schedule"]).nullable(),
    timeZone: z.string().meta({ description: "The household's time zone (IANA) the schedules are in." }),
  }),
  "The household's modes by position and the one in force.",
);
export const switchModeBody = z.object({
  mode: z.string().trim().min(1).max(80).meta({ description: "The mode's id, key (home, away, night) or name (any case)." }),
});

// ── Meta ─────────────────────────────────────────────────────────────────────────────────────────────────────────

export const scopeSchema = z.enum(API_SCOPES);
