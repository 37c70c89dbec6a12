// Cameras as the household manages them: create, change, delete, list what a member may see. Credentials are sealed
// here and never leave lib/ except as `hasCredentials`; URLs are stored without user info.
import type { Viewer } from "../auth/viewer";
import type { Db } from "../db";
import { AppError } from "../errors";
import { newId } from "../ids";
import { deleteCameraWithRecordings } from "../deletion/recordings";
import { CAMERA_ORDER, requireCameraAccess, visibleCameraWhere } from "./access";
import { openCredentials, sealCredentials, type CameraCredentials } from "./credentials";
import { emitCameraChanged } from "./camera-changed";
import { recordDiagnostic } from "./diagnostics";
import { parseStreamUrl, StreamUrlError } from "./stream-url";

export const DEFAULT_RETENTION_DAYS = 30;

export type CameraInput = {
  name: string;
  mainStreamUrl: string;
  subStreamUrl?: string | null;
  /** undefined: keep (on update) / none (on create); null: remove; object: replace. Credentials in a URL win. */
  credentials?: CameraCredentials | null;
  onvifUrl?: string | null;
  /** The camera's PTZ service and the profile that steers it (from identifyCamera); ignored without onvifUrl or on another host. */
  ptz?: { xaddr: string; profileToken: string } | null;
  manufacturer?: string | null;
  model?: string | null;
  firmware?: string | null;
  serial?: string | null;
  retentionDays?: number;
  isEnabled?: boolean;
  /** false = not recorded; live view starts an ingest on request. */
  recordingEnabled?: boolean;
  /** The camera's sound kept in clips and played live (off by default; see the Camera model). */
  recordSound?: boolean;
};

const include = { status: true } as const;
type CameraRow = NonNullable<Awaited<ReturnType<Db["camera"]["findFirst"]>>>;
type CameraWithStatus = CameraRow & { status: Awaited<ReturnType<Db["cameraStatus"]["findFirst"]>> };

/** What the browser may see of a camera: no credentials. */
export function publicCamera(c: CameraWithStatus) {
  const s = c.status;
  return {
    id: c.id,
    name: c.name,
    isEnabled: c.isEnabled,
    recordingEnabled: c.recordingEnabled,
    recordSound: c.recordSound,
    privacyMode: c.privacyMode,
    mainStreamUrl: c.mainStreamUrl,
    subStreamUrl: c.subStreamUrl,
    onvifUrl: c.onvifUrl,
    /** The camera can pan, tilt or zoom (ONVIF PTZ): the live view shows its controls. */
    hasPtz: c.onvifUrl !== null && c.ptzXaddr !== null && c.ptzProfileToken !== null,
    manufacturer: c.manufacturer,
    model: c.model,
    firmware: s?.firmware ?? c.firmware,
    serial: c.serial,
    hasCredentials: c.credentialsEnc !== null,
    retentionDays: c.retentionDays,
    createdAt: c.createdAt.toISOString(),
    status: {
      state: (s?.state ?? "unknown") as "unknown" | "online" | "offline",
      since: s?.since.toISOString() ?? null,
      lastSeenAt: s?.lastSeenAt?.toISOString() ?? null,
      checkedAt: s?.checkedAt?.toISOString() ?? null,
      lastError: s?.lastError ?? null,
      videoCodec: s?.videoCodec ?? null,
      width: s?.width ?? null,
      height: s?.height ?? null,
      fps: s?.fps ?? null,
      bitrateKbps: s?.bitrateKbps ?? null,
      audioCodec: s?.audioCodec ?? null,
      /** Why the last clip could not be written (null: clips are written): "Recording fails: …" on the camera's page. */
      recordingProblem: s?.recordingProblem ?? null,
      recordingProblemSince: s?.recordingProblemAt?.toISOString() ?? null,
    },
  };
}
export type PublicCamera = ReturnType<typeof publicCamera>;

/** Splits embedded credentials off a stream URL; a clear field error for the form when it is not a stream URL. */
export function normalizeStreamUrl(input: string, field: string): { url: string; credentials: CameraCredentials | null } {
  try {
    const parsed = parseStreamUrl(input);
    return { url: parsed.url, credentials: parsed.credentials };
  } catch (err) {
    if (err instanceof StreamUrlError) throw new AppError("invalid_stream_url", {}, { [field]: err.problem });
    throw err;
  }
}

/** PTZ columns from the input: only with an ONVIF device URL, and only a PTZ service on the same host (no other target). */
function ptzOf(input: Pick<CameraInput, "onvifUrl" | "ptz">): { ptzXaddr: string | null; ptzProfileToken: string | null } {
  if (!input.onvifUrl || !input.ptz) return { ptzXaddr: null, ptzProfileToken: null };
  try {
    const device = new URL(input.onvifUrl);
    const ptz = new URL(input.ptz.xaddr);
    if (!/^https?:$/.test(ptz.protocol) || ptz.hostname.toLowerCase() !== device.hostname.toLowerCase()) return { ptzXaddr: null, ptzProfileToken: null };
    return { ptzXaddr: ptz.toString(), ptzProfileToken: input.ptz.profileToken };
  } catch {
    return { ptzXaddr: null, ptzProfileToken: null };
  }
}

export async function createCamera(db: Db, input: CameraInput, key: Buffer, actorId: string | null) {
  const main = normalizeStreamUrl(input.mainStreamUrl, "mainStreamUrl");
  const sub = input.subStreamUrl ? normalizeStreamUrl(input.subStreamUrl, "subStreamUrl") : null;
  const credentials = main.credentials ?? sub?.credentials ?? input.credentials ?? null;
  const camera = await db.camera.create({
    data: {
      id: newId(),
      name: input.name,
      isEnabled: input.isEnabled ?? true,
      recordingEnabled: input.recordingEnabled ?? true,
      recordSound: input.recordSound ?? false,
      mainStreamUrl: main.url,
      subStreamUrl: sub?.url ?? null,
      onvifUrl: input.onvifUrl ?? null,
      ...ptzOf(input),
      manufacturer: input.manufacturer ?? null,
      model: input.model ?? null,
      firmware: input.firmware ?? null,
      serial: input.serial ?? null,
      credentialsEnc: credentials && (credentials.username || credentials.password) ? sealCredentials(credentials, key) : null,
      retentionDays: input.retentionDays ?? DEFAULT_RETENTION_DAYS,
    },
    include,
  });
  await recordDiagnostic(db, camera.id, "added", { by: actorId, url: main.url, via: input.onvifUrl ? "onvif" : "url" });
  return publicCamera(camera);
}

export async function updateCamera(db: Db, id: string, input: Partial<CameraInput>, key: Buffer, actorId: string | null) {
  const existing = await db.camera.findUnique({ where: { id } });
  if (!existing) throw new AppError("not_found");
  const main = input.mainStreamUrl !== undefined ? normalizeStreamUrl(input.mainStreamUrl, "mainStreamUrl") : null;
  const sub = input.subStreamUrl ? normalizeStreamUrl(input.subStreamUrl, "subStreamUrl") : null;
  const newCredentials = main?.credentials ?? sub?.credentials ?? input.credentials;
  const data: Record<string, unknown> = {};
  for (const k of ["name", "onvifUrl", "manufacturer", "model", "firmware", "serial", "retentionDays", "isEnabled", "recordingEnabled", "recordSound"] as const) if (input[k] !== undefined) data[k] = input[k];
  if (main) data.mainStreamUrl = main.url;
  if (input.subStreamUrl !== undefined) data.subStreamUrl = sub?.url ?? null;
  if (newCredentials !== undefined) data.credentialsEnc = newCredentials && (newCredentials.username || newCredentials.password) ? sealCredentials(newCredentials, key) : null;
  const camera = await db.camera.update({ where: { id }, data, include });
  const changed = Object.keys(data).map((k) => (k === "credentialsEnc" ? "credentials" : k));
  if (changed.length) await recordDiagnostic(db, id, "changed", { by: actorId, fields: changed });
  if (input.recordingEnabled !== undefined && input.recordingEnabled !== existing.recordingEnabled) await emitCameraChanged(db, id, { recordingEnabled: input.recordingEnabled });
  return publicCamera(camera);
}

/** The credentials of a camera, for the processes that connect to it (status checks, recorder). */
export function cameraCredentials(camera: { credentialsEnc: string | null }, key: Buffer): CameraCredentials | null {
  return camera.credentialsEnc ? openCredentials(camera.credentialsEnc, key) : null;
}

export type DeleteRecordings = "keep" | "delete";

/**
 * Deletes a camera with its access grants, status and diagnostics. `recordings`: "keep" leaves its events, clips and
 * photos to expire by the retention rules (the events keep the camera's name; their cameraId becomes null);
 * "delete" removes them now through the deletion module (batched like retention, rows first, files after).
 */
export async function deleteCamera(db: Db, id: string, recordings: DeleteRecordings, dataDir: string) {
  const r = await deleteCameraWithRecordings(db, dataDir, id, recordings === "delete");
  if (!r.found) throw new AppError("not_found");
  return { deletedFiles: r.files + r.missingFiles + r.failedFiles };
}

/** Cameras the viewer may see, with status: every camera for admins, the granted ones for others. */
export async function listCamerasFor(db: Db, viewer: Pick<Viewer, "id" | "role">) {
  const cameras = await db.camera.findMany({ where: visibleCameraWhere(viewer), include, orderBy: CAMERA_ORDER });
  return cameras.map(publicCamera);
}

export async function getCameraFor(db: Db, viewer: Pick<Viewer, "id" | "role">, id: string) {
  await requireCameraAccess(db, viewer, id);
  return publicCamera(await db.camera.findUniqueOrThrow({ where: { id }, include }));
}
