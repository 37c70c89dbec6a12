// The data statement as data: each kind of data Nightjar keeps, with its measured volume (from the database and the
// disk of this installation, now), where it is stored, how long it is kept (from the actual settings), who can see
// it, and what the member can do about it. The page (/account/statement) and GET /api/privacy/statement render the
// same object; lib/privacy/statement-text.ts puts it into words in the member's language.
import fs from "node:fs";
import path from "node:path";
import type { Viewer } from "../auth/viewer";
import { heartbeatBytesPerHour } from "../cameras/heartbeat";
import type { Db } from "../db";
import { parseMotionConfig } from "../motion/config";
import { DAY_MS } from "../time";
import { mediaDir, recorderLiveRoot, onRequestLiveRoot, exportsDir, databaseFile, secretFile, secretPathInDataDir, exportPathInDataDir } from "../data-dir";
import { CAMERA_ORDER, canManageCameras, visibleCameraIds } from "../cameras/access";
import { listWebhookDestinations } from "../webhooks/endpoints";
import { FACT_KEEP_MS } from "../facts/read";
import { NOTIFICATION_KEEP_DAYS } from "../retention/settings";
import { MODEL, modelPath } from "../detection/model";
import { parseDetectionSettings } from "../detection/settings";
import { modelState, type ModelState } from "../health";

export const STATEMENT_KINDS = [
  "account",
  "passwordHash",
  "sessions",
  "apiTokens",
  "cameraConfig",
  "cameraCredentials",
  "diagnostics",
  "activity",
  "eventClips",
  "sound",
  "eventPhotos",
  "timelapse",
  "detections",
  "detectionCorrections",
  "eventReviews",
  "liveVideo",
  "exports",
  "notificationSettings",
  "notifications",
  "pushDevices",
  "integrationSettings",
  "householdModes",
  "factOutbox",
] as const;
export type StatementKind = (typeof STATEMENT_KINDS)[number];

/**
 * Who can see a kind of data. "granted" = members and viewers an admin gave the camera; "household" = everyone with an
 * account; "processes" = only Nightjar's own processes.
 */
export type Audience = "self" | "admins" | "granted" | "household" | "nobody" | "processes";

export type Retention =
  | { rule: "untilDeleted" }
  | { rule: "untilChanged" }
  | { rule: "session"; days: number }
  | { rule: "days"; days: number }
  /**
   * `withEvent`: kept exactly as long as the event it belongs to (deleted with it). `fromSpanEnd`: a timelapse, counted
   * from the end of the day or range it shows (no protection: the note on protected events does not apply).
   */
  | { rule: "perCamera"; minDays: number | null; maxDays: number | null; quotaMb: number | null; withEvent?: true; fromSpanEnd?: true }
  /** A correction (DetectionCorrection): until the mark is taken back or the camera is deleted; the maker is forgotten
   *  when their account goes (createdById set to null), the correction stays with the camera. */
  | { rule: "correction" }
  /** The review queue (EventReview, User.reviewedUpTo): a mark until the member takes it back or its event is deleted;
   *  marking everything up to now replaces the single marks before that time; all of it goes with the account. */
  | { rule: "review" }
  | { rule: "ring"; seconds: number }
  | { rule: "hours"; hours: number }
  /** A browser's push subscription: until the member removes it, the push service answers "gone", or the account goes. */
  | { rule: "device" }
  /** Household settings: until an admin deletes or changes them, or a factory reset. */
  | { rule: "household" };

export type StatementAction = "editProfile" | "changePassword" | "export" | "deleteAccount" | "signOutEverywhere" | "manageTokens" | "viewActivity" | "manageCameras" | "viewEvents" | "privacyMode" | "manageNotifications" | "manageMqtt" | "manageEmail" | "manageModes" | "viewTimelapses" | "reviewEvents";

/** Figure units, by figure name (the name carries the unit as a suffix where it is not a count). */
export type FigureUnit = "count" | "bytes" | "bytesPerHour" | "bytesPerDay" | "megabytes" | "seconds" | "days" | "hours" | "pixels" | "kibibytes" | "kbps";

export type Figure = { name: string; unit: FigureUnit; value: number | null };

/**
 * Where data is computed, for kinds made on this server (object detection): on this server's CPU by the model in
 * lib/detection/model.ts, never by a service elsewhere. `labelsSentTo`: the enabled integrations (ids of `integrations`)
 * whose messages carry events' labels; frames, boxes and corrections go to none.
 */
export type Processing = {
  runsOn: "serverCpu";
  threads: number;
  model: {
    name: string;
    fileName: string;
    /** Size of the pinned model file, bytes. */
    bytes: number;
    /** The file on this server: its state and size on disk now (null when missing). */
    file: ModelState;
    licence: string;
    author: string;
    sourcePackage: string;
    sourceVersion: string;
    sourceLicence: string;
  };
  camerasWithDetection: number;
  cameras: number;
  labelsSentTo: string[];
};

export type StatementItem = {
  kind: StatementKind;
  figures: Figure[];
  processing?: Processing;
  /** Database tables (in $DATA_DIR/nightjar.db) and file patterns (relative to $DATA_DIR) that hold it. */
  storage: { tables: string[]; files: string[] };
  retention: Retention;
  visibleTo: Audience[];
  actions: { action: StatementAction; href: string }[];
};

export type CameraVolume = {
  id: string;
  name: string;
  retentionDays: number;
  privacyMode: boolean;
  recordingEnabled: boolean;
  /** Clip and photo bytes of the observed window, and the window in days (up to STATEMENT_WINDOW_DAYS). */
  windowDays: number;
  clipBytes: number;
  photoBytes: number;
  bytesPerDay: number;
  heartbeatBytesPerHour: number | null;
  /** The camera's timelapse: on or off, seconds between frames, and the bytes of its timelapses now (videos + frames). */
  timelapse: { enabled: boolean; intervalSeconds: number; bytes: number };
};

export type DataStatement = {
  generatedAt: string;
  dataDir: string;
  /** Whether anything is sent off this server: only by the integrations below (no cloud, no telemetry). */
  leavesServer: boolean;
  /**
   * Configured places data goes (computed from the database): the household's webhooks, MQTT broker and SMTP server,
   * and the push services of the browsers members turned push on in.
   */
  integrations: Integration[];
  totals: { databaseBytes: number; mediaBytes: number; exportsBytes: number; liveBytes: number };
  items: StatementItem[];
  /** The cameras the viewer may see, with their own figures. */
  cameras: CameraVolume[];
};

/** The window of the per-day figures, days. */
export const STATEMENT_WINDOW_DAYS = 7;
/** How long an export stays downloadable, hours (lib/privacy/export*: ready + 24 h). */
export const EXPORT_LIFETIME_HOURS = 24;
/**
 * The live segment ring of a camera is its pre-roll + longest clip + post-roll + 20 s of slack (camera-recorder.ts)
 * plus the 10 s the playlist keeps for a clip cut (playlistSizeFor): ms added to the three motion settings.
 */
const RING_EXTRA_MS = 20_000 + 10_000;

export type StatementOptions = {
  viewer: Pick<Viewer, "id" | "role">;
  sessionDays: number;
  /** Seconds between status checks of a camera (CAMERA_CHECK_SECONDS). */
  checkSeconds: number;
  /** Keys given in the environment rather than generated files. */
  keysFromEnvironment: { sessionSecret: boolean; credentialsKey: boolean; vapidPrivateKey?: boolean };
  /** Size of the session cookie of this request, bytes, when known. */
  sessionCookieBytes?: number | null;
  /** Threads of the object detector (DETECTOR_THREADS; default 1). */
  detectorThreads?: number;
  /** The detection model file (default modelPath()). */
  modelFile?: string;
  now?: Date;
};

/** Bytes of every file under `dir` (0 when it does not exist); `filter` picks files by name. */
export function folderBytes(dir: string, filter: (name: string) => boolean = () => true): number {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  let total = 0;
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) total += folderBytes(p, filter);
    else if (e.isFile() && filter(e.name)) {
      try {
        total += fs.statSync(p).size;
      } catch {
        /* removed meanwhile */
      }
    }
  }
  return total;
}

function fileBytes(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/** Bytes each table takes in the database file, its indexes included (SQLite's dbstat). */
export async function tableBytes(db: Db): Promise<Record<string, number>> {
  const rows = await db.$queryRawUnsafe<{ tbl: string; bytes: bigint | number }[]>(
    `SELECT m.tbl_name AS tbl, SUM(s.pgsize) AS bytes FROM dbstat AS s JOIN sqlite_master AS m ON m.name = s.name GROUP BY m.tbl_name`,
  );
  return Object.fromEntries(rows.map((r) => [r.tbl, Number(r.bytes)]));
}

/** argon2 parameters of a PHC string ("$argon2id$v=19$m=19456,t=2,p=1$…"). */
export function argon2Params(phc: string | undefined): { memoryKiB: number | null; iterations: number | null; parallelism: number | null } {
  const m = /\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(phc ?? "");
  return m ? { memoryKiB: Number(m[1]), iterations: Number(m[2]), parallelism: Number(m[3]) } : { memoryKiB: null, iterations: null, parallelism: null };
}

const avg = (values: number[]): number | null => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : null);
const round = (n: number | null, digits = 0): number | null => (n === null ? null : Math.round(n * 10 ** digits) / 10 ** digits);

export async function buildDataStatement(db: Db, dataDir: string, options: StatementOptions): Promise<DataStatement> {
  const now = options.now ?? new Date();
  const since = new Date(now.getTime() - STATEMENT_WINDOW_DAYS * DAY_MS);
  const isAdmin = canManageCameras(options.viewer);
  const me = options.viewer.id;

  const [visibleIds, household, tables, users, cameras, grants, diagnostics, diagnostics7d, activity, activity7d, myActivity, clips, photos, exportsAll, myExports, soundClips] = await Promise.all([
    visibleCameraIds(db, options.viewer),
    db.household.findUnique({ where: { id: 1 } }),
    tableBytes(db),
    db.user.findMany({ select: { passwordHash: true } }),
    db.camera.findMany({ select: { id: true, name: true, retentionDays: true, privacyMode: true, recordingEnabled: true, recordSound: true, credentialsEnc: true, motionConfig: true, detectionConfig: true, timelapseEnabled: true, timelapseIntervalSeconds: true, createdAt: true, status: { select: { bitrateKbps: true } } }, orderBy: CAMERA_ORDER }),
    db.cameraAccess.count(),
    db.cameraDiagnostic.count(),
    db.cameraDiagnostic.count({ where: { at: { gte: since } } }),
    db.activity.count(),
    db.activity.count({ where: { at: { gte: since } } }),
    db.activity.count({ where: { OR: [{ actorId: me }, { subjectId: me }] } }),
    db.clip.aggregate({ _count: { _all: true }, _sum: { bytes: true, durationMs: true } }),
    db.photo.aggregate({ _count: { _all: true }, _sum: { bytes: true, thumbBytes: true }, _avg: { bytes: true, thumbBytes: true, width: true, height: true } }),
    db.exportJob.count(),
    db.exportJob.count({ where: { userId: me } }),
    db.clip.aggregate({ where: { audioCodec: { not: null } }, _count: { _all: true }, _sum: { durationMs: true } }),
  ]);
  const t = (...names: string[]) => names.reduce((n, name) => n + (tables[name] ?? 0), 0);
  const [prefs, notificationCount, myNotifications, notifications7d, deliveries, pushDevices, myPushDevices, integrationRows, modes, facts, facts7d] = await Promise.all([
    db.notificationPrefs.findMany({ where: { user: { isDisabled: false } }, select: { prefs: true } }),
    db.notification.count(),
    db.notification.count({ where: { userId: me } }),
    db.notification.count({ where: { createdAt: { gte: since } } }),
    db.notificationDelivery.count(),
    db.pushSubscription.count(),
    db.pushSubscription.count({ where: { userId: me } }),
    db.integrationSettings.count(),
    db.householdMode.count(),
    db.fact.count(),
    db.fact.count({ where: { createdAt: { gte: since } } }),
  ]);
  const [eventsWithLabels, labelRows, boxes, boxesWrong, corrections, myCorrections, correctionCameras, correctionsWithoutMaker] = await Promise.all([
    db.event.count({ where: { labels: { some: {} } } }),
    db.eventLabel.count(),
    db.detection.count(),
    db.detection.count({ where: { isWrong: true } }),
    db.detectionCorrection.count(),
    db.detectionCorrection.count({ where: { createdById: me } }),
    db.detectionCorrection.groupBy({ by: ["cameraId"] }),
    db.detectionCorrection.count({ where: { createdById: null } }),
  ]);
  // The review queue: one member's marks; "yours" and the number of members with a "reviewed up to" time of their own.
  const [reviewMarks, myReviewMarks, membersWithReviewedUpTo] = await Promise.all([
    db.eventReview.count(),
    db.eventReview.count({ where: { userId: me } }),
    db.user.count({ where: { reviewedUpTo: { not: null } } }),
  ]);
  // Timelapses: a row per camera-day and per range asked for (few), summed here; per camera for the camera table.
  const [timelapseTotals, timelapseDays, timelapseRanges, myRanges, timelapseByCamera] = await Promise.all([
    db.timelapse.aggregate({ _count: { _all: true }, _sum: { bytes: true, framesBytes: true, framesCaptured: true } }),
    db.timelapse.count({ where: { kind: "day" } }),
    db.timelapse.count({ where: { kind: "range" } }),
    db.timelapse.count({ where: { kind: "range", requestedById: me } }),
    db.timelapse.groupBy({ by: ["cameraId"], _sum: { bytes: true, framesBytes: true } }),
  ]);
  const timelapseBytesOf = new Map(timelapseByCamera.map((r) => [r.cameraId ?? "", (r._sum.bytes ?? 0) + (r._sum.framesBytes ?? 0)]));
  const channels = prefs.map((p) => readChannels(p.prefs));
  const integrations = await configuredIntegrations(db);
  const vapidFromEnv = options.keysFromEnvironment.vapidPrivateKey ?? false;

  // Per camera: recordings of the last days and the status-check volume.
  const volumes: CameraVolume[] = [];
  const heartbeat: number[] = [];
  for (const c of cameras) {
    const windowMs = Math.min(STATEMENT_WINDOW_DAYS * DAY_MS, Math.max(DAY_MS / 24, now.getTime() - c.createdAt.getTime()));
    const from = new Date(now.getTime() - windowMs);
    const [clipSum, photoSum, perHour] = await Promise.all([
      db.clip.aggregate({ where: { startedAt: { gte: from }, event: { cameraId: c.id } }, _sum: { bytes: true } }),
      db.photo.aggregate({ where: { takenAt: { gte: from }, event: { cameraId: c.id } }, _sum: { bytes: true, thumbBytes: true } }),
      heartbeatBytesPerHour(db, c.id, now),
    ]);
    if (perHour !== null) heartbeat.push(perHour);
    const clipBytes = clipSum._sum.bytes ?? 0;
    const photoBytes = (photoSum._sum.bytes ?? 0) + (photoSum._sum.thumbBytes ?? 0);
    const windowDays = windowMs / DAY_MS;
    const visible = visibleIds === "all" || visibleIds.includes(c.id);
    if (visible) {
      volumes.push({
        id: c.id,
        name: c.name,
        retentionDays: c.retentionDays,
        privacyMode: c.privacyMode,
        recordingEnabled: c.recordingEnabled,
        windowDays: round(windowDays, 2)!,
        clipBytes,
        photoBytes,
        bytesPerDay: Math.round((clipBytes + photoBytes) / windowDays),
        heartbeatBytesPerHour: perHour,
        timelapse: { enabled: c.timelapseEnabled, intervalSeconds: c.timelapseIntervalSeconds, bytes: timelapseBytesOf.get(c.id) ?? 0 },
      });
    }
  }

  const hashes = users.map((u) => u.passwordHash);
  const argon = argon2Params(hashes[0]);
  const sealed = cameras.map((c) => c.credentialsEnc).filter((s): s is string => !!s);
  const clipCount = clips._count._all;
  const clipBytes = clips._sum.bytes ?? 0;
  const clipMs = clips._sum.durationMs ?? 0;
  const photoCount = photos._count._all;
  const retentionDays = cameras.map((c) => c.retentionDays);
  const ringSeconds = cameras.map((c) => {
    const m = parseMotionConfig(c.motionConfig).config;
    return (m.preRollMs + m.maxClipMs + m.postRollMs + RING_EXTRA_MS) / 1000;
  });
  const bitrates = cameras.map((c) => c.status?.bitrateKbps).filter((b): b is number => typeof b === "number");
  const mediaFolder = mediaDir(dataDir);
  const liveBytes = folderBytes(recorderLiveRoot(dataDir)) + folderBytes(onRequestLiveRoot(dataDir));
  const exportsBytes = folderBytes(exportsDir(dataDir));
  const dbFile = databaseFile(dataDir);
  const keyFile = secretFile(dataDir, "credentialsKey");
  const model = modelState(options.modelFile ?? modelPath());
  const camerasWithDetection = cameras.filter((c) => parseDetectionSettings(c.detectionConfig).settings.enabled).length;
  const timelapseIntervals = cameras.filter((c) => c.timelapseEnabled).map((c) => c.timelapseIntervalSeconds);
  const processing: Processing = {
    runsOn: "serverCpu",
    threads: options.detectorThreads ?? 1,
    model: { name: MODEL.name, fileName: MODEL.fileName, bytes: MODEL.bytes, file: model, licence: MODEL.licence, author: MODEL.upstreamAuthor, sourcePackage: MODEL.source.package, sourceVersion: MODEL.source.version, sourceLicence: MODEL.source.licence },
    camerasWithDetection,
    cameras: cameras.length,
    labelsSentTo: integrations.filter((i) => i.enabled && carriesLabels(i)).map((i) => i.id),
  };
  const recordingsPerDay = volumes.length ? Math.round(volumes.reduce((n, v) => n + v.bytesPerDay, 0) / volumes.length) : null;

  const fig = (name: string, unit: FigureUnit, value: number | null): Figure => ({ name, unit, value });
  const recordingActions = (): StatementItem["actions"] => [
    { action: "viewEvents", href: "/events" },
    { action: "export", href: "/account/data#export" },
  ];
  const cameraAction = (): StatementItem["actions"] => (isAdmin ? [{ action: "manageCameras", href: "/cameras" }] : []);

  const items: StatementItem[] = [
    {
      kind: "account",
      figures: [fig("accounts", "count", users.length), fig("tableBytes", "bytes", t("User", "Invite"))],
      storage: { tables: ["User", "Invite"], files: [] },
      retention: { rule: "untilDeleted" },
      visibleTo: ["self", "admins"],
      actions: [
        { action: "editProfile", href: "/account" },
        { action: "export", href: "/account/data#export" },
        { action: "deleteAccount", href: "/account/data#delete" },
      ],
    },
    {
      kind: "passwordHash",
      figures: [
        fig("hashes", "count", hashes.length),
        fig("bytesPerHash", "bytes", round(avg(hashes.map((h) => Buffer.byteLength(h))))),
        fig("memoryKiB", "kibibytes", argon.memoryKiB),
        fig("iterations", "count", argon.iterations),
      ],
      storage: { tables: ["User"], files: [] },
      retention: { rule: "untilChanged" },
      visibleTo: ["nobody"],
      actions: [
        { action: "changePassword", href: "/account" },
        { action: "deleteAccount", href: "/account/data#delete" },
      ],
    },
    {
      kind: "sessions",
      figures: [fig("cookieBytes", "bytes", options.sessionCookieBytes ?? null), fig("lifetimeDays", "days", options.sessionDays), fig("throttleRows", "count", await db.loginThrottle.count())],
      storage: { tables: ["User", "LoginThrottle", "RevokedSession"], files: options.keysFromEnvironment.sessionSecret ? [] : [secretPathInDataDir("sessionSecret")] },
      retention: { rule: "session", days: options.sessionDays },
      visibleTo: ["self"],
      actions: [{ action: "signOutEverywhere", href: "/account" }],
    },
    {
      kind: "apiTokens",
      figures: [fig("activeTokens", "count", await db.apiToken.count({ where: { revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] } })), fig("yourTokens", "count", await db.apiToken.count({ where: { userId: me } })), fig("tableBytes", "bytes", t("ApiToken"))],
      storage: { tables: ["ApiToken"], files: [] },
      retention: { rule: "untilDeleted" },
      visibleTo: ["self", "admins"],
      actions: [
        { action: "manageTokens", href: "/account/tokens" },
        { action: "deleteAccount", href: "/account/data#delete" },
      ],
    },
    {
      kind: "cameraConfig",
      figures: [fig("cameras", "count", cameras.length), fig("accessGrants", "count", grants), fig("tableBytes", "bytes", t("Camera", "CameraAccess", "CameraStatus", "PtzPreset", "PtzMove"))],
      storage: { tables: ["Camera", "CameraAccess", "CameraStatus", "PtzPreset", "PtzMove"], files: [] },
      retention: { rule: "untilDeleted" },
      visibleTo: ["admins", "granted"],
      actions: cameraAction(),
    },
    {
      kind: "cameraCredentials",
      figures: [
        fig("camerasWithCredentials", "count", sealed.length),
        fig("bytesPerCamera", "bytes", round(avg(sealed.map((s) => Buffer.byteLength(s))))),
        fig("keyBytes", "bytes", options.keysFromEnvironment.credentialsKey ? null : fileBytes(keyFile) || null),
      ],
      storage: { tables: ["Camera"], files: options.keysFromEnvironment.credentialsKey ? [] : [secretPathInDataDir("credentialsKey")] },
      retention: { rule: "untilChanged" },
      visibleTo: ["processes"],
      actions: cameraAction(),
    },
    {
      kind: "diagnostics",
      figures: [
        fig("rows", "count", diagnostics),
        fig("rowsPerDay", "count", round(diagnostics7d / STATEMENT_WINDOW_DAYS, 1)),
        fig("tableBytes", "bytes", t("CameraDiagnostic", "WorkerHeartbeat")),
        fig("heartbeatBytesPerHour", "bytesPerHour", round(avg(heartbeat))),
        fig("checkSeconds", "seconds", options.checkSeconds),
      ],
      storage: { tables: ["CameraDiagnostic", "CameraStatus", "WorkerHeartbeat"], files: [] },
      retention: { rule: "days", days: household?.diagnosticsRetentionDays ?? 90 },
      visibleTo: ["admins", "granted"],
      actions: cameraAction(),
    },
    {
      kind: "activity",
      figures: [fig("rows", "count", activity), fig("yourRows", "count", myActivity), fig("rowsPerDay", "count", round(activity7d / STATEMENT_WINDOW_DAYS, 1)), fig("tableBytes", "bytes", t("Activity"))],
      storage: { tables: ["Activity"], files: [] },
      retention: { rule: "days", days: household?.activityRetentionDays ?? 90 },
      visibleTo: ["self", "admins"],
      actions: [
        { action: "viewActivity", href: "/account/activity" },
        { action: "export", href: "/account/data#export" },
        { action: "deleteAccount", href: "/account/data#delete" },
      ],
    },
    {
      kind: "eventClips",
      figures: [
        fig("clips", "count", clipCount),
        fig("totalBytes", "bytes", clipBytes),
        fig("totalSeconds", "seconds", round(clipMs / 1000, 1)),
        fig("megabytesPer10s", "megabytes", clipMs > 0 ? round((clipBytes / clipMs) * 10_000 / 1_000_000, 2) : null),
        fig("bytesPerDayPerCamera", "bytesPerDay", recordingsPerDay),
      ],
      // event-cache/: an event's clips joined for playing (lib/events/event-cache.ts), a day at most, gone with the event.
      storage: { tables: ["Event", "Clip"], files: ["media/<camera>/<yyyy>/<mm>/<dd>/*.mp4", "event-cache/<event>/<key>.mp4", "event-cache/<event>/<key>-h264.mp4"] },
      retention: { rule: "perCamera", minDays: retentionDays.length ? Math.min(...retentionDays) : null, maxDays: retentionDays.length ? Math.max(...retentionDays) : null, quotaMb: household?.storageQuotaMb ?? null },
      visibleTo: ["admins", "granted"],
      actions: recordingActions(),
    },
    {
      // The camera's microphone: its own kind of data (conversations), kept only where an admin turned it on.
      kind: "sound",
      figures: [
        fig("camerasWithSound", "count", cameras.filter((c) => c.recordSound).length),
        fig("clipsWithSound", "count", soundClips._count._all),
        fig("secondsWithSound", "seconds", round((soundClips._sum.durationMs ?? 0) / 1000, 1)),
      ],
      storage: { tables: ["Camera", "Clip"], files: ["media/<camera>/<yyyy>/<mm>/<dd>/*.mp4"] },
      retention: { rule: "perCamera", minDays: retentionDays.length ? Math.min(...retentionDays) : null, maxDays: retentionDays.length ? Math.max(...retentionDays) : null, quotaMb: household?.storageQuotaMb ?? null },
      visibleTo: ["admins", "granted"],
      actions: recordingActions(),
    },
    {
      kind: "eventPhotos",
      figures: [
        fig("photos", "count", photoCount),
        fig("totalBytes", "bytes", (photos._sum.bytes ?? 0) + (photos._sum.thumbBytes ?? 0)),
        fig("averagePhotoBytes", "bytes", round(photos._avg.bytes)),
        fig("averageThumbBytes", "bytes", round(photos._avg.thumbBytes)),
        fig("averageWidth", "pixels", round(photos._avg.width)),
        fig("averageHeight", "pixels", round(photos._avg.height)),
      ],
      storage: { tables: ["Photo"], files: ["media/<camera>/<yyyy>/<mm>/<dd>/*-photo.jpg", "media/<camera>/<yyyy>/<mm>/<dd>/*-thumb.jpg"] },
      retention: { rule: "perCamera", minDays: retentionDays.length ? Math.min(...retentionDays) : null, maxDays: retentionDays.length ? Math.max(...retentionDays) : null, quotaMb: household?.storageQuotaMb ?? null },
      visibleTo: ["admins", "granted"],
      actions: recordingActions(),
    },
    {
      // A camera's day in one keyframe every N seconds (lib/timelapse), and the videos made of days and of ranges asked for.
      kind: "timelapse",
      figures: [
        fig("camerasWithTimelapse", "count", timelapseIntervals.length),
        fig("shortestTimelapseInterval", "seconds", timelapseIntervals.length ? Math.min(...timelapseIntervals) : null),
        fig("timelapseDays", "count", timelapseDays),
        fig("timelapseRanges", "count", timelapseRanges),
        fig("yourTimelapseRanges", "count", myRanges),
        fig("timelapseFrames", "count", timelapseTotals._sum.framesCaptured ?? 0),
        fig("timelapseFramesBytes", "bytes", timelapseTotals._sum.framesBytes ?? 0),
        fig("timelapseVideoBytes", "bytes", timelapseTotals._sum.bytes ?? 0),
        fig("tableBytes", "bytes", t("Timelapse")),
      ],
      storage: { tables: ["Timelapse", "Camera"], files: ["media/<camera>/timelapse/<yyyy-mm-dd>/<ms>.h264", "media/<camera>/timelapse/<yyyy-mm-dd>/<ms>.h265", "media/<camera>/timelapse/<yyyy-mm-dd>.mp4", "media/<camera>/timelapse/range-<id>.mp4"] },
      retention: { rule: "perCamera", minDays: retentionDays.length ? Math.min(...retentionDays) : null, maxDays: retentionDays.length ? Math.max(...retentionDays) : null, quotaMb: household?.storageQuotaMb ?? null, fromSpanEnd: true },
      visibleTo: ["admins", "granted"],
      actions: [{ action: "viewTimelapses", href: "/timelapse" }, { action: "export", href: "/account/data#export" }, ...cameraAction()],
    },
    {
      // What the object detector saw: labels per event and the boxes of the event's best frame (its photo).
      kind: "detections",
      figures: [
        fig("camerasWithDetection", "count", camerasWithDetection),
        fig("eventsWithLabels", "count", eventsWithLabels),
        fig("labels", "count", labelRows),
        fig("boxes", "count", boxes),
        fig("boxesMarkedWrong", "count", boxesWrong),
        fig("tableBytes", "bytes", t("EventLabel", "Detection")),
        fig("modelBytes", "bytes", model.bytes),
      ],
      storage: { tables: ["EventLabel", "Detection", "Event"], files: [] },
      retention: { rule: "perCamera", minDays: retentionDays.length ? Math.min(...retentionDays) : null, maxDays: retentionDays.length ? Math.max(...retentionDays) : null, quotaMb: household?.storageQuotaMb ?? null, withEvent: true },
      visibleTo: ["admins", "granted"],
      actions: [...recordingActions(), ...cameraAction()],
      processing,
    },
    {
      // "This is not a cat": a member's mark, kept per camera to suppress the same false detection from then on.
      kind: "detectionCorrections",
      figures: [
        fig("corrections", "count", corrections),
        fig("yourCorrections", "count", myCorrections),
        fig("camerasWithCorrections", "count", correctionCameras.length),
        fig("correctionsWithoutMaker", "count", correctionsWithoutMaker),
        fig("tableBytes", "bytes", t("DetectionCorrection")),
      ],
      storage: { tables: ["DetectionCorrection", "Detection"], files: [] },
      retention: { rule: "correction" },
      visibleTo: ["admins", "granted"],
      actions: recordingActions(),
    },
    {
      // The review queue (lib/events/review.ts): which events each member has looked at. Personal: only they see it.
      kind: "eventReviews",
      figures: [
        fig("reviewMarks", "count", reviewMarks),
        fig("yourReviewMarks", "count", myReviewMarks),
        fig("membersWithReviewedUpTo", "count", membersWithReviewedUpTo),
        fig("tableBytes", "bytes", t("EventReview")),
      ],
      storage: { tables: ["EventReview", "User"], files: [] },
      retention: { rule: "review" },
      visibleTo: ["self"],
      actions: [
        { action: "reviewEvents", href: "/events" },
        { action: "export", href: "/account/data#export" },
        { action: "deleteAccount", href: "/account/data#delete" },
      ],
    },
    {
      kind: "liveVideo",
      figures: [fig("bytesOnDisk", "bytes", liveBytes), fig("ringSeconds", "seconds", ringSeconds.length ? Math.max(...ringSeconds) : null), fig("bitrateKbps", "kbps", round(avg(bitrates)))],
      storage: { tables: [], files: ["live/<camera>/<run>/seg-*.m4s", "live-ondemand/<camera>/<run>/seg-*.m4s"] },
      retention: { rule: "ring", seconds: ringSeconds.length ? Math.max(...ringSeconds) : (5_000 + 20_000 + 5_000 + RING_EXTRA_MS) / 1000 },
      visibleTo: ["admins", "granted"],
      actions: [{ action: "privacyMode", href: "/cameras" }],
    },
    {
      kind: "exports",
      figures: [fig("exports", "count", exportsAll), fig("yourExports", "count", myExports), fig("bytesOnDisk", "bytes", exportsBytes)],
      storage: { tables: ["ExportJob"], files: [exportPathInDataDir("<export>.zip")] },
      retention: { rule: "hours", hours: EXPORT_LIFETIME_HOURS },
      visibleTo: ["self"],
      actions: [{ action: "export", href: "/account/data#export" }],
    },
    {
      kind: "notificationSettings",
      figures: [
        fig("membersWithSettings", "count", prefs.length),
        fig("membersWithEmail", "count", channels.filter((c) => c.email).length),
        fig("membersWithPush", "count", channels.filter((c) => c.push).length),
        fig("tableBytes", "bytes", t("NotificationPrefs")),
      ],
      storage: { tables: ["NotificationPrefs"], files: [] },
      retention: { rule: "untilChanged" },
      visibleTo: ["self"],
      actions: [
        { action: "manageNotifications", href: "/account/notifications" },
        { action: "deleteAccount", href: "/account/data#delete" },
      ],
    },
    {
      kind: "notifications",
      figures: [
        fig("notifications", "count", notificationCount),
        fig("yourNotifications", "count", myNotifications),
        fig("notificationsPerDay", "count", round(notifications7d / STATEMENT_WINDOW_DAYS, 1)),
        fig("deliveries", "count", deliveries),
        fig("tableBytes", "bytes", t("Notification", "NotificationDelivery")),
      ],
      storage: { tables: ["Notification", "NotificationDelivery"], files: [] },
      retention: { rule: "days", days: NOTIFICATION_KEEP_DAYS },
      visibleTo: ["self"],
      actions: [
        { action: "manageNotifications", href: "/account/notifications" },
        { action: "export", href: "/account/data#export" },
        { action: "deleteAccount", href: "/account/data#delete" },
      ],
    },
    {
      kind: "pushDevices",
      figures: [
        fig("devices", "count", pushDevices),
        fig("yourDevices", "count", myPushDevices),
        fig("pushServices", "count", integrations.filter((i) => i.kind === "push").length),
        fig("keyBytes", "bytes", vapidFromEnv ? null : fileBytes(secretFile(dataDir, "vapidPrivateKey")) || null),
        fig("tableBytes", "bytes", t("PushSubscription")),
      ],
      storage: { tables: ["PushSubscription"], files: vapidFromEnv ? [] : [secretPathInDataDir("vapidPrivateKey")] },
      retention: { rule: "device" },
      visibleTo: ["self"],
      actions: [
        { action: "manageNotifications", href: "/account/notifications" },
        { action: "export", href: "/account/data#export" },
      ],
    },
    {
      kind: "integrationSettings",
      figures: [fig("integrationsConfigured", "count", integrationRows), fig("tableBytes", "bytes", t("IntegrationSettings", "IntegrationStatus"))],
      storage: { tables: ["IntegrationSettings", "IntegrationStatus"], files: options.keysFromEnvironment.credentialsKey ? [] : [secretPathInDataDir("credentialsKey")] },
      retention: { rule: "household" },
      visibleTo: ["admins"],
      actions: isAdmin
        ? [
            { action: "manageMqtt", href: "/settings/mqtt" },
            { action: "manageEmail", href: "/settings/email" },
          ]
        : [],
    },
    {
      kind: "householdModes",
      figures: [fig("modes", "count", modes), fig("tableBytes", "bytes", t("HouseholdMode"))],
      storage: { tables: ["HouseholdMode", "Household"], files: [] },
      retention: { rule: "household" },
      visibleTo: ["household"],
      actions: isAdmin ? [{ action: "manageModes", href: "/settings/modes" }] : [],
    },
    {
      kind: "factOutbox",
      figures: [fig("rows", "count", facts), fig("rowsPerDay", "count", round(facts7d / STATEMENT_WINDOW_DAYS, 1)), fig("tableBytes", "bytes", t("Fact", "FactCursor"))],
      storage: { tables: ["Fact", "FactCursor"], files: [] },
      retention: { rule: "days", days: FACT_KEEP_MS / DAY_MS },
      visibleTo: ["processes"],
      actions: [],
    },
  ];

  return {
    generatedAt: now.toISOString(),
    dataDir,
    leavesServer: integrations.some((i) => i.enabled),
    integrations,
    totals: {
      databaseBytes: fileBytes(dbFile) + fileBytes(`${dbFile}-wal`),
      mediaBytes: folderBytes(mediaFolder),
      exportsBytes,
      liveBytes,
    },
    items,
    cameras: volumes,
  };
}

/**
 * A place data goes. A webhook endpoint an admin added (its host only: the path may hold the receiver's token), whether
 * it is on, and the event types it is sent; what a message holds is fixed (ids and facts, lib/webhooks/events.ts).
 * The household's MQTT broker (host:port, TLS or not) and SMTP server (host:port, how many members get e-mail and how
 * many of them the event photo). The push service of members' browsers (host of the subscription endpoints, devices
 * and members there): the browser chose it, the message is end-to-end encrypted (RFC 8291).
 */
export type Integration =
  | { id: string; kind: "webhook"; destination: string; enabled: boolean; eventTypes: string[] }
  | { id: "mqtt"; kind: "mqtt"; destination: string; enabled: boolean; tls: boolean }
  | { id: "smtp"; kind: "smtp"; destination: string; enabled: boolean; recipients: number; photoRecipients: number }
  | { id: string; kind: "push"; destination: string; enabled: true; devices: number; members: number };

/** Whether an integration's messages carry events' labels: MQTT, e-mail and push notifications, webhooks of event types. */
function carriesLabels(i: Integration): boolean {
  return i.kind === "webhook" ? i.eventTypes.some((type) => type.startsWith("event.")) : true;
}

/** A JSON object from a stored text, or {} when it is missing or malformed (a broken row never breaks the statement). */
function jsonObject(text: string | null | undefined): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text || "{}");
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The channels a member turned on, read from NotificationPrefs.prefs (lib/notifications/prefs.ts; off unless true). */
function readChannels(prefsJson: string): { email: boolean; push: boolean; emailPhoto: boolean } {
  const p = jsonObject(prefsJson);
  const c = p.channels && typeof p.channels === "object" ? (p.channels as Record<string, unknown>) : {};
  return { email: c.email === true, push: c.push === true, emailPhoto: c.email === true && p.emailPhoto === true };
}

/** "host:port" of an integration's stored config, or null without a host (not set up). */
function hostPort(config: Record<string, unknown>): string | null {
  const host = typeof config.host === "string" ? config.host.trim() : "";
  if (!host) return null;
  const port = typeof config.port === "number" && Number.isInteger(config.port) ? config.port : null;
  const h = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host; // an IPv6 address
  return port === null ? h : `${h}:${port}`;
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).host || null;
  } catch {
    return null;
  }
}

/**
 * Places data goes, from the database: webhooks, the MQTT broker and the SMTP server when an admin entered a host
 * (listed on or off), and each push service that holds at least one subscription. Besides these Nightjar sends
 * nothing: no cloud, telemetry or update check; PUBLIC_URL only names this server. These are household data (not one
 * member's), so they appear here and not in a member's export.
 */
export async function configuredIntegrations(db: Db): Promise<Integration[]> {
  const [webhooks, settings, members, subscriptions] = await Promise.all([
    listWebhookDestinations(db),
    db.integrationSettings.findMany({ where: { id: { in: ["mqtt", "smtp"] } } }),
    db.notificationPrefs.findMany({ where: { user: { isDisabled: false } }, select: { prefs: true } }),
    db.pushSubscription.findMany({ select: { endpoint: true, userId: true } }),
  ]);
  const out: Integration[] = webhooks.map((w) => ({ id: w.id, kind: "webhook", destination: w.host, enabled: w.enabled, eventTypes: w.eventTypes }));
  const mqtt = settings.find((r) => r.id === "mqtt");
  const mqttConfig = jsonObject(mqtt?.config);
  const mqttHost = hostPort(mqttConfig);
  if (mqtt && mqttHost) out.push({ id: "mqtt", kind: "mqtt", destination: mqttHost, enabled: mqtt.enabled, tls: mqttConfig.tls === true });
  const smtp = settings.find((r) => r.id === "smtp");
  const smtpHost = hostPort(jsonObject(smtp?.config));
  if (smtp && smtpHost) {
    const channels = members.map((m) => readChannels(m.prefs));
    out.push({ id: "smtp", kind: "smtp", destination: smtpHost, enabled: smtp.enabled, recipients: channels.filter((c) => c.email).length, photoRecipients: channels.filter((c) => c.emailPhoto).length });
  }
  const byHost = new Map<string, { devices: number; members: Set<string> }>();
  for (const s of subscriptions) {
    const host = hostOf(s.endpoint);
    if (!host) continue;
    const entry = byHost.get(host) ?? { devices: 0, members: new Set<string>() };
    entry.devices += 1;
    entry.members.add(s.userId);
    byHost.set(host, entry);
  }
  for (const [host, e] of [...byHost].sort(([a], [b]) => a.localeCompare(b))) out.push({ id: `push:${host}`, kind: "push", destination: host, enabled: true, devices: e.devices, members: e.members.size });
  return out;
}

/** Size of the session cookie in bytes (name=value, all chunks next-auth split it into). */
export function sessionCookieBytes(cookies: { name: string; value: string }[], cookieName: string): number | null {
  const parts = cookies.filter((c) => c.name === cookieName || c.name.startsWith(`${cookieName}.`));
  return parts.length ? parts.reduce((n, c) => n + Buffer.byteLength(c.name) + 1 + Buffer.byteLength(c.value), 0) : null;
}

/** The options every caller derives the same way from the configuration. */
export function statementOptionsFromEnv(env: { SESSION_DAYS: number; CAMERA_CHECK_SECONDS: number; SESSION_SECRET?: string; CREDENTIALS_KEY?: string; VAPID_PRIVATE_KEY?: string; DETECTOR_THREADS?: number; DETECTION_MODEL_PATH?: string }) {
  return {
    sessionDays: env.SESSION_DAYS,
    checkSeconds: env.CAMERA_CHECK_SECONDS,
    detectorThreads: env.DETECTOR_THREADS,
    modelFile: modelPath(env.DETECTION_MODEL_PATH),
    keysFromEnvironment: { sessionSecret: !!env.SESSION_SECRET, credentialsKey: !!env.CREDENTIALS_KEY, vapidPrivateKey: !!env.VAPID_PRIVATE_KEY },
  };
}
