// The data export (format "1"): everything Nightjar holds about a member, as a ZIP of documented JSON files (each with
// its JSON Schema) plus the event media, and a manifest listing every file with its SHA-256. Written as a stream
// (lib/privacy/zip.ts): database rows are read in pages and media files as streams, so memory stays bounded whatever
// the size. Events, clips, photos, camera configuration and diagnostics are included for admins, and for everyone
// else only when the household allows it (Household.exportMediaScope = "visible") and only for the cameras they may
// see (lib/cameras/access.ts rules); each event carries what object detection saw (labels, the boxes of its best
// frame). The detection corrections a member made are theirs (corrections.json), like their activity, and so is their
// review queue (reviews.json: the events they marked reviewed and their "reviewed up to" time). Timelapses of
// the same cameras go with the events (timelapses.json and their MP4s under timelapses/; not the frames they are made
// of); whether a range was asked for by the member is told, never who else asked. A media file that vanished
// meanwhile (retention) is noted, not a failure.
import { DATA_LAYOUT } from "../data-dir";
import type { Db } from "../db";
import { listApiTokens, apiTokenJson } from "../auth/api-tokens";
import { mediaFile } from "../events/events";
import { isRole, type Role } from "../household/roles";
import { parseMotionConfig } from "../motion/config";
import { parseDetectionSettings } from "../detection/settings";
import { parsePtzSettings } from "../ptz/settings";
import { DEFAULT_LOCALE, isLocale, type Locale } from "../i18n/locales";
import { translate, type MessageParams } from "../i18n/translate";
import { accountFields } from "./my-data";
import { EXPORT_SCHEMAS, schemaPath, type ExportJsonFile } from "./schemas";
import { mayExportMedia } from "./settings";
import { ZipWriter } from "./zip";
import { listVisibleCameras, seesAllCameras } from "../cameras/access";

export const EXPORT_FORMAT_VERSION = "1";

/** What a member chose to export. Instants are ISO-8601; the range is [from, to). */
export type ExportFilters = { from?: string; to?: string; cameraIds?: string[] };

export type ExportScope = {
  user: { id: string; email: string; username: string | null; displayName: string | null; role: Role; isOwner: boolean; locale: string | null; timeZone: string | null; createdAt: Date; passwordChangedAt: Date };
  /** Events, clips, photos, cameras and diagnostics are part of the export. */
  mediaAllowed: boolean;
  /** Cameras whose data is exported; null = every camera and also events of deleted cameras (admins, no filter). */
  cameraIds: string[] | null;
  filters: ExportFilters;
};

export type ManifestFile = { path: string; bytes: number; sha256: string; schema?: string };
export type MissingFile = { path: string; reason: "not_found" };

/** Rows read per query (keeps each query and the memory it holds small). */
const PAGE = 500;
/** Chunks of JSON text handed to the ZIP writer, bytes (batched so deflate gets a useful amount at a time). */
const JSON_CHUNK = 64 * 1024;
/** Estimated JSON bytes per row, for the progress total before anything is written. */
const ESTIMATE = { base: 40_000, activity: 220, diagnostic: 200, camera: 1_500, event: 450, clip: 190, photo: 260, label: 70, detection: 190, correction: 230, review: 80, timelapse: 520 };

/** Whether a member's exports include events and media: admins always; others when the household allows it. */
export async function mediaAllowedFor(db: Db, role: Role): Promise<boolean> {
  const household = await db.household.findUnique({ where: { id: 1 }, select: { exportMediaScope: true } });
  return mayExportMedia(role, household?.exportMediaScope === "admin" ? "admin" : "visible");
}


/**
 * What an export of `userId` covers now: null when the account no longer exists. Camera ids in the filters that the
 * member may no longer see are dropped (access can change between the request and the run).
 */
export async function resolveScope(db: Db, userId: string, filters: ExportFilters): Promise<ExportScope | null> {
  const u = await db.user.findUnique({ where: { id: userId } });
  if (!u || !isRole(u.role)) return null;
  const user = { id: u.id, email: u.email, username: u.username, displayName: u.displayName, role: u.role, isOwner: u.isOwner, locale: u.locale, timeZone: u.timeZone, createdAt: u.createdAt, passwordChangedAt: u.passwordChangedAt };
  const mediaAllowed = await mediaAllowedFor(db, u.role);
  let cameraIds: string[] | null = null;
  if (mediaAllowed) {
    if (!seesAllCameras(user) || filters.cameraIds) {
      const visible = new Set((await listVisibleCameras(db, user)).map((c) => c.id));
      cameraIds = filters.cameraIds ? filters.cameraIds.filter((id) => visible.has(id)) : [...visible];
    }
  }
  return { user, mediaAllowed, cameraIds, filters };
}

function range(filters: ExportFilters) {
  if (!filters.from && !filters.to) return undefined;
  return { ...(filters.from ? { gte: new Date(filters.from) } : {}), ...(filters.to ? { lt: new Date(filters.to) } : {}) };
}

function eventWhere(scope: ExportScope) {
  return { ...(scope.cameraIds ? { cameraId: { in: scope.cameraIds } } : {}), ...(range(scope.filters) ? { startedAt: range(scope.filters) } : {}) };
}

/**
 * Timelapses of the scope's cameras (null = every camera, deleted ones too) whose span overlaps the range, and that
 * began before `until` (the export's start). A day is a span: overlapping (rather than starting in) the range keeps a
 * day whose local midnight falls just before `from`.
 */
function timelapseWhere(scope: ExportScope, until: Date) {
  const f = scope.filters;
  return {
    ...(scope.cameraIds ? { cameraId: { in: scope.cameraIds } } : {}),
    fromAt: { lt: f.to ? new Date(Math.min(Date.parse(f.to), until.getTime())) : until },
    ...(f.from ? { toAt: { gt: new Date(f.from) } } : {}),
  };
}

function cameraWhere(scope: ExportScope) {
  return scope.cameraIds ? { id: { in: scope.cameraIds } } : {};
}

function diagnosticWhere(scope: ExportScope) {
  return { ...(scope.cameraIds ? { cameraId: { in: scope.cameraIds } } : {}), ...(range(scope.filters) ? { at: range(scope.filters) } : {}) };
}

/** The member's own records (as actor or subject); the camera filter drops records about other cameras only. */
function activityWhere(scope: ExportScope) {
  const cameras = scope.filters.cameraIds;
  return {
    AND: [
      { OR: [{ actorId: scope.user.id }, { subjectId: scope.user.id }] },
      ...(cameras ? [{ OR: [{ cameraId: null }, { cameraId: { in: cameras } }] }] : []),
      ...(range(scope.filters) ? [{ at: range(scope.filters) }] : []),
    ],
  };
}

/** The member's own detection corrections; the camera filter and the range (on createdAt) narrow them, like activity. */
function correctionWhere(scope: ExportScope) {
  const cameras = scope.filters.cameraIds;
  return { createdById: scope.user.id, ...(cameras ? { cameraId: { in: cameras } } : {}), ...(range(scope.filters) ? { createdAt: range(scope.filters) } : {}) };
}

/** The member's own review marks; the camera filter (the event's camera) and the range (on reviewedAt) narrow them, like corrections. */
function reviewWhere(scope: ExportScope) {
  const cameras = scope.filters.cameraIds;
  return { userId: scope.user.id, ...(cameras ? { event: { cameraId: { in: cameras } } } : {}), ...(range(scope.filters) ? { reviewedAt: range(scope.filters) } : {}) };
}

/** The member's review marks in (reviewedAt, eventId) order, PAGE at a time (a member may mark many events one by one). */
async function* reviewsOf(db: Db, scope: ExportScope) {
  let after: { reviewedAt: Date; eventId: string } | null = null;
  for (;;) {
    const rows: { eventId: string; reviewedAt: Date }[] = await db.eventReview.findMany({
      where: { AND: [reviewWhere(scope), ...(after ? [{ OR: [{ reviewedAt: { gt: after.reviewedAt } }, { reviewedAt: after.reviewedAt, eventId: { gt: after.eventId } }] }] : [])] },
      orderBy: [{ reviewedAt: "asc" }, { eventId: "asc" }],
      take: PAGE,
      select: { eventId: true, reviewedAt: true },
    });
    yield* rows;
    if (rows.length < PAGE) return;
    after = rows[rows.length - 1];
  }
}

/** Bytes the export will read (media sizes from the database plus an estimate of the JSON), for the progress bar. */
export async function estimateExport(db: Db, scope: ExportScope): Promise<{ bytesTotal: number; mediaFiles: number }> {
  let total = ESTIMATE.base + (await db.activity.count({ where: activityWhere(scope) })) * ESTIMATE.activity + (await db.detectionCorrection.count({ where: correctionWhere(scope) })) * ESTIMATE.correction + (await db.eventReview.count({ where: reviewWhere(scope) })) * ESTIMATE.review;
  let mediaFiles = 0;
  if (scope.mediaAllowed) {
    const events = { event: eventWhere(scope) };
    const [cameras, diagnostics, eventCount, clips, photos, labels, detections, timelapses] = await Promise.all([
      db.camera.count({ where: cameraWhere(scope) }),
      db.cameraDiagnostic.count({ where: diagnosticWhere(scope) }),
      db.event.count({ where: eventWhere(scope) }),
      db.clip.aggregate({ where: events, _sum: { bytes: true }, _count: true }),
      db.photo.aggregate({ where: events, _sum: { bytes: true, thumbBytes: true }, _count: true }),
      db.eventLabel.count({ where: events }),
      db.detection.count({ where: events }),
      db.timelapse.aggregate({ where: timelapseWhere(scope, new Date()), _sum: { bytes: true }, _count: true }),
    ]);
    total += cameras * ESTIMATE.camera + diagnostics * ESTIMATE.diagnostic + eventCount * ESTIMATE.event + labels * ESTIMATE.label + detections * ESTIMATE.detection;
    total += clips._count * ESTIMATE.clip + (clips._sum.bytes ?? 0);
    total += photos._count * ESTIMATE.photo + (photos._sum.bytes ?? 0) + (photos._sum.thumbBytes ?? 0);
    total += timelapses._count * ESTIMATE.timelapse + (timelapses._sum.bytes ?? 0);
    mediaFiles = clips._count + 2 * photos._count + timelapses._count;
  }
  return { bytesTotal: total, mediaFiles };
}

/** notifications.json (lib/privacy/schemas/notifications.ts): settings, the centre, the delivery log, push devices. */
async function notificationsExport(db: Db, userId: string) {
  const [prefs, notifications, deliveries, devices] = await Promise.all([
    db.notificationPrefs.findUnique({ where: { userId } }),
    db.notification.findMany({ where: { userId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] }),
    db.notificationDelivery.findMany({ where: { userId }, orderBy: [{ at: "asc" }, { id: "asc" }] }),
    db.pushSubscription.findMany({ where: { userId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] }),
  ]);
  return {
    formatVersion: EXPORT_FORMAT_VERSION,
    preferences: prefs ? parseObject(prefs.prefs) : null,
    notifications: notifications.map((n) => ({ id: n.id, kind: n.kind, eventId: n.eventId, cameraId: n.cameraId, data: parseObject(n.data), createdAt: n.createdAt.toISOString(), updatedAt: n.updatedAt.toISOString(), readAt: n.readAt?.toISOString() ?? null })),
    deliveries: deliveries.map((d) => ({ id: d.id, notificationId: d.notificationId, channel: d.channel, status: d.status, detail: d.detail, at: d.at.toISOString() })),
    pushDevices: devices.map((d) => ({ id: d.id, pushService: hostOf(d.endpoint), label: d.label, createdAt: d.createdAt.toISOString(), lastOkAt: d.lastOkAt?.toISOString() ?? null })),
  };
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "";
  }
}

/** A JSON document { ...head, [key]: [rows…] } as text chunks, one row per line. */
async function* jsonDocument(head: Record<string, unknown>, key: string, rows: AsyncIterable<unknown>): AsyncGenerator<string> {
  const headText = JSON.stringify(head);
  let buffer = `${headText.slice(0, -1)}${headText.length > 2 ? "," : ""}${JSON.stringify(key)}:[`;
  let first = true;
  for await (const row of rows) {
    buffer += (first ? "\n" : ",\n") + JSON.stringify(row);
    first = false;
    if (buffer.length >= JSON_CHUNK) {
      yield buffer;
      buffer = "";
    }
  }
  yield buffer + (first ? "]}\n" : "\n]}\n");
}

/** Rows of a table in id order, PAGE at a time (keyset on the integer id). */
async function* pagedById<T extends { id: number }>(fetch: (afterId: number) => Promise<T[]>): AsyncGenerator<T> {
  let after = 0;
  for (;;) {
    const rows = await fetch(after);
    yield* rows;
    if (rows.length < PAGE) return;
    after = rows[rows.length - 1].id;
  }
}

function parseObject(json: string): Record<string, unknown> {
  try {
    const v = JSON.parse(json);
    return typeof v === "object" && v !== null && !Array.isArray(v) ? v : {};
  } catch {
    return {};
  }
}

/** A URL without "user:password@" (stored URLs have none; this makes sure nothing slips through). */
function stripUserInfo(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@?#]*@/i, "$1");
}

const eventInclude = {
  clips: { orderBy: { sequence: "asc" as const } },
  photo: true,
  labels: { orderBy: [{ score: "desc" as const }, { label: "asc" as const }] },
  detections: { orderBy: [{ at: "asc" as const }, { id: "asc" as const }] },
};

function eventsPage(db: Db, where: ReturnType<typeof eventWhere>, until: Date, after: { startedAt: Date; id: string } | null) {
  return db.event.findMany({
    where: {
      AND: [where, { startedAt: { lt: until } }, ...(after ? [{ OR: [{ startedAt: { gt: after.startedAt } }, { startedAt: after.startedAt, id: { gt: after.id } }] }] : [])],
    },
    orderBy: [{ startedAt: "asc" }, { id: "asc" }],
    take: PAGE,
    include: eventInclude,
  });
}

/** Events of the scope in (startedAt, id) order, PAGE at a time, started before `until` (the export's start). */
async function* eventsOf(db: Db, scope: ExportScope, until: Date) {
  let after: { startedAt: Date; id: string } | null = null;
  for (;;) {
    const rows: Awaited<ReturnType<typeof eventsPage>> = await eventsPage(db, eventWhere(scope), until, after);
    yield* rows;
    if (rows.length < PAGE) return;
    after = { startedAt: rows[rows.length - 1].startedAt, id: rows[rows.length - 1].id };
  }
}

/** Path of a media file inside the archive: media/<stored path>, i.e. media/<cameraId>/<yyyy>/<mm>/<dd>/<file>. */
/** The folder of clips and photos inside the ZIP (the export's own layout, not the data folder's). */
const ZIP_MEDIA_FOLDER = "media";
const zipMediaPath = (stored: string) => [ZIP_MEDIA_FOLDER, ...stored.split(/[\\/]+/).filter(Boolean)].join("/");
/** The folder of timelapse videos inside the ZIP: timelapses/<camera id>/<day>.mp4 or range-<id>.mp4. */
const ZIP_TIMELAPSE_FOLDER = "timelapses";
/** A timelapse video's stored path (<camera>/timelapse/<name>.mp4, relative to media/) inside the archive. */
const zipTimelapsePath = (stored: string) => {
  const parts = stored.split(/[\\/]+/).filter(Boolean);
  return [ZIP_TIMELAPSE_FOLDER, ...parts.filter((p, i) => !(i === 1 && p === DATA_LAYOUT.timelapse && parts.length > 2))].join("/");
};

export type WriteExportOptions = {
  scope: ExportScope;
  /** $DATA_DIR/media. */
  mediaDir: string;
  /** The archive goes here (a file stream); the caller ends it. */
  out: NodeJS.WritableStream;
  /** When the export was made: manifest time and the cut-off for events recorded while it runs. */
  now: Date;
  /** Uncompressed bytes consumed, as they go (progress). */
  onData?: (bytes: number) => void;
  /** Tests only: write the archive in ZIP64 form. */
  forceZip64?: boolean;
};

export type WriteExportResult = { bytes: number; files: number; missing: MissingFile[] };

/** Writes the whole export archive to `out`. Throws on database or output errors (the runner marks the job failed). */
export async function writeExport(db: Db, options: WriteExportOptions): Promise<WriteExportResult> {
  const { scope, now } = options;
  const zip = new ZipWriter(options.out, { forceZip64: options.forceZip64, onData: options.onData });
  const files: ManifestFile[] = [];
  const missing: MissingFile[] = [];
  const json = async (file: ExportJsonFile, chunks: AsyncIterable<string> | string) => {
    const r = await zip.add(file, chunks, { mtime: now });
    files.push({ path: file, bytes: r.bytes, sha256: r.sha256, schema: schemaPath(file) });
  };
  const version = { formatVersion: EXPORT_FORMAT_VERSION };

  const readme = readmeText(scope, now);
  const r = await zip.add("README.txt", readme, { mtime: now });
  files.push({ path: "README.txt", bytes: r.bytes, sha256: r.sha256 });

  const { user } = scope;
  await json(
    "account.json",
    JSON.stringify(
      {
        ...version,
        account: { id: user.id, ...accountFields(user) },
        // The export's own shape (lib/privacy/schemas/account.ts): without the status, which is derived.
        apiTokens: (await listApiTokens(db, user.id, now)).map((x) => {
          const { status, ...json } = apiTokenJson(x);
          void status;
          return json;
        }),
      },
      null,
      2,
    ) + "\n",
  );

  const activityRows = pagedById((after) => db.activity.findMany({ where: { AND: [activityWhere(scope), { id: { gt: after } }] }, orderBy: { id: "asc" }, take: PAGE }));
  await json(
    "activity.json",
    jsonDocument(version, "activity", map(activityRows, (a) => ({ id: a.id, at: a.at.toISOString(), action: a.action, actorId: a.actorId, subjectId: a.subjectId, cameraId: a.cameraId, targetId: a.targetId, data: parseObject(a.data) }))),
  );

  await json("notifications.json", JSON.stringify(await notificationsExport(db, user.id), null, 2) + "\n");

  const corrections = await db.detectionCorrection.findMany({ where: correctionWhere(scope), orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  await json(
    "corrections.json",
    JSON.stringify(
      {
        ...version,
        corrections: corrections.map((c) => ({ id: c.id, cameraId: c.cameraId, label: c.label, box: { x1: c.x1, y1: c.y1, x2: c.x2, y2: c.y2 }, detectionId: c.detectionId, createdAt: c.createdAt.toISOString() })),
      },
      null,
      2,
    ) + "\n",
  );

  // The review queue: "reviewed up to" is one value of the account (not narrowed by the filters), the marks are rows.
  const reviewedUpTo = (await db.user.findUnique({ where: { id: user.id }, select: { reviewedUpTo: true } }))?.reviewedUpTo ?? null;
  await json("reviews.json", jsonDocument({ ...version, reviewedUpTo: reviewedUpTo?.toISOString() ?? null }, "reviews", map(reviewsOf(db, scope), (r) => ({ eventId: r.eventId, reviewedAt: r.reviewedAt.toISOString() }))));

  if (scope.mediaAllowed) {
    const cameras = await db.camera.findMany({ where: cameraWhere(scope), orderBy: [{ createdAt: "asc" }, { id: "asc" }], include: { ptzPresets: { select: { id: true, name: true }, orderBy: [{ name: "asc" }, { id: "asc" }] }, ptzMove: { select: { lastCommandAt: true } } } });
    await json(
      "cameras.json",
      jsonDocument(
        version,
        "cameras",
        map(iterate(cameras), (c) => ({
          id: c.id,
          name: c.name,
          isEnabled: c.isEnabled,
          recordingEnabled: c.recordingEnabled,
          recordSound: c.recordSound,
          privacyMode: c.privacyMode,
          mainStreamUrl: stripUserInfo(c.mainStreamUrl),
          subStreamUrl: c.subStreamUrl === null ? null : stripUserInfo(c.subStreamUrl),
          onvifUrl: c.onvifUrl === null ? null : stripUserInfo(c.onvifUrl),
          manufacturer: c.manufacturer,
          model: c.model,
          firmware: c.firmware,
          serial: c.serial,
          hasCredentials: c.credentialsEnc !== null,
          retentionDays: c.retentionDays,
          motion: parseMotionConfig(c.motionConfig).config,
          detection: parseDetectionSettings(c.detectionConfig).settings,
          ptz: {
            hasPtz: c.onvifUrl !== null && c.ptzXaddr !== null && c.ptzProfileToken !== null,
            presets: c.ptzPresets,
            ...parsePtzSettings(c.ptzConfig),
            lastCommandAt: c.ptzMove?.lastCommandAt.toISOString() ?? null,
          },
          timelapse: { enabled: c.timelapseEnabled, intervalSeconds: c.timelapseIntervalSeconds },
          createdAt: c.createdAt.toISOString(),
          updatedAt: c.updatedAt.toISOString(),
        })),
      ),
    );

    const diagnostics = pagedById((after) => db.cameraDiagnostic.findMany({ where: { AND: [diagnosticWhere(scope), { id: { gt: after } }] }, orderBy: { id: "asc" }, take: PAGE }));
    await json("diagnostics.json", jsonDocument(version, "diagnostics", map(diagnostics, (d) => ({ id: d.id, cameraId: d.cameraId, at: d.at.toISOString(), kind: d.kind, data: parseObject(d.data) }))));

    // Media first, so events.json can say which files made it: true = in the archive, false = vanished. Files of
    // clips that appear after this pass (an event still recording) are not in the map and not listed.
    const attempted = new Map<string, boolean>();
    const addMedia = async (stored: string, inZip = zipMediaPath(stored)) => {
      if (attempted.has(inZip)) return;
      try {
        const r = await zip.addFile(inZip, mediaFile(options.mediaDir, stored), { method: "store" });
        files.push({ path: inZip, bytes: r.bytes, sha256: r.sha256 });
        attempted.set(inZip, true);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== "ENOENT" && code !== "not_found" && code !== "ENOTDIR") throw err;
        missing.push({ path: inZip, reason: "not_found" });
        attempted.set(inZip, false);
      }
    };
    for await (const e of eventsOf(db, scope, now)) {
      for (const c of e.clips) await addMedia(c.path);
      if (e.photo) {
        await addMedia(e.photo.path);
        await addMedia(e.photo.thumbPath);
      }
    }
    const fileOf = (stored: string) => {
      const p = zipMediaPath(stored);
      return attempted.get(p) ? p : null;
    };
    await json(
      "events.json",
      jsonDocument(
        version,
        "events",
        map(eventsOf(db, scope, now), (e) => ({
          id: e.id,
          cameraId: e.cameraId,
          cameraName: e.cameraName,
          startedAt: e.startedAt.toISOString(),
          endedAt: e.endedAt?.toISOString() ?? null,
          peakScore: e.peakScore,
          peakAt: e.peakAt?.toISOString() ?? null,
          zones: parseStringArray(e.zones),
          isProtected: e.isProtected,
          objectCount: e.objectCount,
          labels: e.labels.map((l) => ({ label: l.label, score: l.score, firstAt: l.firstAt.toISOString() })),
          detections: e.detections.map((d) => ({ id: d.id, label: d.label, score: d.score, at: d.at.toISOString(), box: { x1: d.x1, y1: d.y1, x2: d.x2, y2: d.y2 }, isWrong: d.isWrong })),
          clips: e.clips
            .filter((c) => attempted.has(zipMediaPath(c.path)))
            .map((c) => ({ id: c.id, sequence: c.sequence, startedAt: c.startedAt.toISOString(), durationMs: c.durationMs, videoCodec: c.videoCodec, audioCodec: c.audioCodec, file: fileOf(c.path), bytes: c.bytes })),
          photo:
            e.photo && attempted.has(zipMediaPath(e.photo.path))
              ? {
                  takenAt: e.photo.takenAt.toISOString(),
                  width: e.photo.width,
                  height: e.photo.height,
                  file: fileOf(e.photo.path),
                  bytes: e.photo.bytes,
                  thumbnail: { width: e.photo.thumbWidth, height: e.photo.thumbHeight, file: fileOf(e.photo.thumbPath), bytes: e.photo.thumbBytes },
                }
              : null,
        })),
      ),
    );

    // Timelapses: their videos (ready ones), then timelapses.json saying which made it. A handful of rows per camera-day.
    const timelapses = await db.timelapse.findMany({ where: timelapseWhere(scope, now), orderBy: [{ fromAt: "asc" }, { id: "asc" }] });
    for (const r of timelapses) if (r.status === "ready" && r.path) await addMedia(r.path, zipTimelapsePath(r.path));
    await json(
      "timelapses.json",
      jsonDocument(
        version,
        "timelapses",
        map(iterate(timelapses), (r) => {
          const inZip = r.status === "ready" && r.path ? zipTimelapsePath(r.path) : null;
          return {
            id: r.id,
            cameraId: r.cameraId,
            cameraName: r.cameraName,
            kind: r.kind === "range" ? "range" : "day",
            day: r.day,
            from: r.fromAt.toISOString(),
            to: r.toAt.toISOString(),
            status: r.status,
            framesCaptured: r.framesCaptured,
            framesBytes: r.framesBytes,
            requestedByYou: r.requestedById === user.id,
            createdAt: r.createdAt.toISOString(),
            finishedAt: r.finishedAt?.toISOString() ?? null,
            video: inZip ? { file: attempted.get(inZip) ? inZip : null, bytes: r.bytes, frameCount: r.frameCount, durationMs: r.durationMs, width: r.width, height: r.height } : null,
          };
        }),
      ),
    );
  }

  const present = new Set(files.map((f) => f.path));
  for (const [file, schema] of Object.entries(EXPORT_SCHEMAS) as [ExportJsonFile, object][]) {
    if (!present.has(file) && file !== "manifest.json") continue;
    const p = schemaPath(file);
    const r = await zip.add(p, JSON.stringify(schema, null, 2) + "\n", { mtime: now });
    files.push({ path: p, bytes: r.bytes, sha256: r.sha256 });
  }

  const manifest = {
    formatVersion: EXPORT_FORMAT_VERSION,
    createdAt: now.toISOString(),
    generator: "Nightjar",
    accountId: user.id,
    mediaIncluded: scope.mediaAllowed,
    filters: { from: scope.filters.from ?? null, to: scope.filters.to ?? null, cameraIds: scope.filters.cameraIds ?? null },
    files,
    missing,
  };
  await zip.add("manifest.json", JSON.stringify(manifest, null, 2) + "\n", { mtime: now });
  const summary = await zip.finish();
  return { bytes: summary.bytes, files: summary.entries, missing };
}

function parseStringArray(json: string): string[] {
  try {
    const v = JSON.parse(json);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
}

async function* iterate<T>(items: T[]): AsyncGenerator<T> {
  yield* items;
}

async function* map<T, U>(items: AsyncIterable<T>, fn: (item: T) => U): AsyncGenerator<U> {
  for await (const item of items) yield fn(item);
}

/** README.txt in the member's language (their account's, else English); file names and conventions stay as they are. */
function readmeText(scope: ExportScope, now: Date): string {
  const locale: Locale = isLocale(scope.user.locale) ? scope.user.locale : DEFAULT_LOCALE;
  const t = (key: string, params?: MessageParams) => translate(locale, `exports.readme.${key}`, params);
  const f = scope.filters;
  const file = (name: string, key: string) => `${name.padEnd(19)}${t(key)}`;
  const heading = (text: string) => [text, "-".repeat(text.length)];
  const title = t("title");
  const lines = [
    title,
    "=".repeat(title.length),
    "",
    t("made", { time: now.toISOString(), account: scope.user.id, version: EXPORT_FORMAT_VERSION }),
    t("range", { from: f.from ?? t("fromBeginning"), to: f.to ?? t("now") }),
    t("cameras", { cameras: f.cameraIds ? f.cameraIds.join(", ") || t("noCameras") : t("allCameras") }),
    "",
    ...heading(t("files")),
    file("manifest.json", "manifest"),
    file("account.json", "account"),
    file("activity.json", "activity"),
    file("notifications.json", "notifications"),
    file("corrections.json", "corrections"),
    file("reviews.json", "reviews"),
  ];
  if (scope.mediaAllowed) {
    lines.push(file("cameras.json", "camerasFile"), file("diagnostics.json", "diagnostics"), file("events.json", "events"), file("media/", "media"), file("timelapses.json", "timelapses"), file("timelapses/", "timelapseFiles"));
  } else {
    lines.push("", t("noMedia"));
  }
  lines.push(file("schemas/", "schemas"), "", ...heading(t("conventions")), t("times"), t("ids"), t("check"), "");
  return lines.join("\n");
}
