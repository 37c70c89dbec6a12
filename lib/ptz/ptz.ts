// Steering a camera that can pan, tilt and zoom, and its saved positions (presets), for the people who may: who sees
// the camera is lib/cameras/access.ts's rule, who may steer is the route's permission (ptz:control: admins and members,
// never viewers). Commands go straight to the camera over ONVIF (lib/onvif); the last command wins when two members
// steer at once, and both see where it points (getPtz). A preset's position lives in the camera; its name is Nightjar's
// (PtzPreset), since ONVIF cannot rename a preset without moving it. A disabled camera or one in privacy mode cannot be
// steered (nobody may see what it would show).
import { recordActivity } from "../activity/record";
import type { Db } from "../db";
import { AppError } from "../errors";
import { newId } from "../ids";
import { logger } from "../log";
import { requireCameraAccess, type CameraViewer } from "../cameras/access";
import { emitCameraChanged } from "../cameras/camera-changed";
import { cameraCredentials } from "../cameras/cameras";
import { isCleanName } from "../household/identity";
import { requirePictureAllowed } from "../cameras/snapshot";
import { createOnvifClient, identifyCamera, isOnvifError, type OnvifClient } from "../onvif/client";
import type { PtzVector } from "../onvif/ptz";
import { JUMP_MS, MAX_MOVE_TIMEOUT_MS, MAX_PRESET_NAME, parsePtzSettings, SETTLE_MS, type PtzSettings } from "./settings";

/** How long a PTZ request to the camera may take, in ms. */
export const PTZ_REQUEST_TIMEOUT_MS = 4_000;

export type PtzCommand =
  /** Moves at a velocity (each axis in [-1, 1]) until stop or timeoutMs (at most MAX_MOVE_TIMEOUT_MS). */
  | { action: "continuous"; pan?: number; tilt?: number; zoom?: number; timeoutMs?: number }
  | { action: "stop" }
  /** Moves by a step (pan/tilt in [-2, 2], zoom in [-1, 1]). */
  | { action: "relative"; pan?: number; tilt?: number; zoom?: number }
  /** Moves to a position (pan/tilt in [-1, 1], zoom in [0, 1]). */
  | { action: "absolute"; pan?: number; tilt?: number; zoom?: number };

export type PtzPresetView = { id: string; name: string };
export type PtzView = {
  cameraId: string;
  /** Where the camera points (null if it does not say). */
  position: PtzVector | null;
  moving: boolean;
  presets: PtzPresetView[];
  settings: PtzSettings;
};

type Who = CameraViewer;

const log = logger("ptz");

/** The camera, checked: it exists, the viewer sees it, pictures are allowed, and it can pan, tilt or zoom. */
async function steerable(db: Db, viewer: Who, cameraId: string) {
  await requireCameraAccess(db, viewer, cameraId);
  const camera = await db.camera.findUnique({ where: { id: cameraId } });
  if (!camera) throw new AppError("not_found");
  requirePictureAllowed(camera);
  if (!camera.onvifUrl || !camera.ptzXaddr || !camera.ptzProfileToken) throw new AppError("no_ptz");
  return camera;
}

type Steerable = Awaited<ReturnType<typeof steerable>>;

function headOf(camera: Steerable, credentialsKey: Buffer) {
  const credentials = cameraCredentials(camera, credentialsKey);
  const client = createOnvifClient({ xaddr: camera.onvifUrl!, ptzXaddr: camera.ptzXaddr!, username: credentials?.username, password: credentials?.password, timeoutMs: PTZ_REQUEST_TIMEOUT_MS });
  return { client, ptz: client.ptz(camera.ptzProfileToken!) };
}

/** Runs commands against the camera (clock synced first); its failures become errors a person can act on. */
async function withHead<T>(camera: Steerable, credentialsKey: Buffer, fn: (ptz: ReturnType<OnvifClient["ptz"]>) => Promise<T>): Promise<T> {
  const { client, ptz } = headOf(camera, credentialsKey);
  try {
    await client.syncClock();
    return await fn(ptz);
  } catch (err) {
    throw ptzError(err);
  }
}

/** An ONVIF failure as the AppError the route answers with. */
export function ptzError(err: unknown): unknown {
  if (!isOnvifError(err)) return err;
  if (err.code === "auth_failed") return new AppError("camera_auth_failed");
  if (err.fault) return new AppError("ptz_refused", { reason: err.fault.reason.slice(0, 200) || err.fault.subcodes.join(", ") });
  return new AppError("ptz_unavailable");
}

const inRange = (v: number | undefined, min: number, max: number) => v === undefined || (Number.isFinite(v) && v >= min && v <= max);

/** Checks a command's numbers: out of range → validation error with the field. */
export function validateCommand(command: PtzCommand): void {
  if (command.action === "stop") return;
  const [pt, z] = command.action === "continuous" ? [[-1, 1], [-1, 1]] : command.action === "relative" ? [[-2, 2], [-1, 1]] : [[-1, 1], [0, 1]];
  const fields: Record<string, string> = {};
  if (!inRange(command.pan, pt[0], pt[1])) fields.pan = "invalid";
  if (!inRange(command.tilt, pt[0], pt[1])) fields.tilt = "invalid";
  if (!inRange(command.zoom, z[0], z[1])) fields.zoom = "invalid";
  if (command.action === "continuous" && command.timeoutMs !== undefined && !(Number.isInteger(command.timeoutMs) && command.timeoutMs > 0 && command.timeoutMs <= MAX_MOVE_TIMEOUT_MS)) fields.timeoutMs = "invalid";
  if (command.pan === undefined && command.tilt === undefined && command.zoom === undefined) fields.pan = "invalid_type";
  if (Object.keys(fields).length) throw new AppError("validation", {}, fields);
}

/** Where the camera points, whether it moves, its saved positions and settings. Anyone who may see the camera. */
export async function getPtz(db: Db, viewer: Who, cameraId: string, credentialsKey: Buffer): Promise<PtzView> {
  const camera = await steerable(db, viewer, cameraId);
  const status = await withHead(camera, credentialsKey, (ptz) => ptz.getStatus());
  const presets = await db.ptzPreset.findMany({ where: { cameraId }, orderBy: [{ name: "asc" }, { id: "asc" }], select: { id: true, name: true } });
  return { cameraId, position: status.position, moving: status.moving.panTilt || status.moving.zoom, presets, settings: parsePtzSettings(camera.ptzConfig) };
}

/**
 * Notes a command before it goes out: when, and until when the camera's motion must not count (the recorder reads it,
 * lib/recording/recorder-pool.ts). A stop ends the pause SETTLE_MS from now; a move pauses for as long as it may last.
 */
export async function notePtzCommand(db: Db, cameraId: string, moveMs: number, now = new Date()): Promise<void> {
  const pauseUntil = new Date(now.getTime() + moveMs + SETTLE_MS);
  await db.ptzMove.upsert({ where: { cameraId }, create: { cameraId, lastCommandAt: now, pauseUntil }, update: { lastCommandAt: now, pauseUntil } });
}

/** How long a command may keep the head moving, ms. */
export function moveDurationMs(command: PtzCommand): number {
  if (command.action === "stop") return 0;
  if (command.action === "continuous") return command.timeoutMs ?? MAX_MOVE_TIMEOUT_MS;
  return JUMP_MS;
}

/** Sends one move (or stop) to the camera. */
export async function movePtz(db: Db, viewer: Who, cameraId: string, command: PtzCommand, credentialsKey: Buffer): Promise<{ cameraId: string; action: PtzCommand["action"] }> {
  validateCommand(command);
  const camera = await steerable(db, viewer, cameraId);
  await notePtzCommand(db, cameraId, moveDurationMs(command));
  await withHead(camera, credentialsKey, async (ptz) => {
    const v = { pan: command.action === "stop" ? undefined : command.pan, tilt: command.action === "stop" ? undefined : command.tilt, zoom: command.action === "stop" ? undefined : command.zoom };
    const axes = Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined)) as Partial<PtzVector>;
    if (command.action === "stop") await ptz.stop();
    else if (command.action === "continuous") await ptz.continuousMove(axes, command.timeoutMs ?? MAX_MOVE_TIMEOUT_MS);
    else if (command.action === "relative") await ptz.relativeMove(axes);
    else await ptz.absoluteMove(axes);
  });
  return { cameraId, action: command.action };
}

/** A preset name: trimmed, 1–MAX_PRESET_NAME characters, no control characters, not used by another preset of the camera. */
async function checkName(db: Db, cameraId: string, raw: string, exceptId: string | null): Promise<string> {
  const name = raw.trim();
  if (!isCleanName(name)) throw new AppError("validation", {}, { name: "invalid_characters" });
  if (name.length === 0) throw new AppError("validation", {}, { name: "too_small" });
  if (name.length > MAX_PRESET_NAME) throw new AppError("validation", {}, { name: "too_big" });
  const others = await db.ptzPreset.findMany({ where: { cameraId, ...(exceptId ? { id: { not: exceptId } } : {}) }, select: { name: true } });
  if (others.some((p) => p.name.toLocaleLowerCase() === name.toLocaleLowerCase())) throw new AppError("validation", {}, { name: "name_taken" });
  return name;
}

/** Saves where the camera points now as a new position called `name`. */
export async function savePreset(db: Db, viewer: Who, cameraId: string, rawName: string, credentialsKey: Buffer): Promise<PtzPresetView> {
  const camera = await steerable(db, viewer, cameraId);
  const name = await checkName(db, cameraId, rawName, null);
  const token = await withHead(camera, credentialsKey, (ptz) => ptz.setPreset(name));
  // A camera may hand back the token of a preset we had forgotten (removed behind our back): ours is replaced.
  const row = await db.ptzPreset.upsert({ where: { cameraId_token: { cameraId, token } }, create: { id: newId(), cameraId, token, name }, update: { name }, select: { id: true, name: true } });
  await emitCameraChanged(db, cameraId, {}); // integrations list the saved positions (MQTT discovery)
  return row;
}

async function presetOf(db: Db, cameraId: string, presetId: string) {
  const preset = await db.ptzPreset.findFirst({ where: { id: presetId, cameraId } });
  if (!preset) throw new AppError("not_found");
  return preset;
}

/** Renames a saved position (the camera does not move). */
export async function renamePreset(db: Db, viewer: Who, cameraId: string, presetId: string, rawName: string): Promise<PtzPresetView> {
  await steerable(db, viewer, cameraId);
  await presetOf(db, cameraId, presetId);
  const name = await checkName(db, cameraId, rawName, presetId);
  const row = await db.ptzPreset.update({ where: { id: presetId }, data: { name }, select: { id: true, name: true } });
  await emitCameraChanged(db, cameraId, {});
  return row;
}

/** Sends the camera to a saved position. */
export async function gotoPreset(db: Db, viewer: Who, cameraId: string, presetId: string, credentialsKey: Buffer): Promise<PtzPresetView> {
  const camera = await steerable(db, viewer, cameraId);
  const preset = await presetOf(db, cameraId, presetId);
  await notePtzCommand(db, cameraId, JUMP_MS);
  await withHead(camera, credentialsKey, (ptz) => ptz.gotoPreset(preset.token));
  return { id: preset.id, name: preset.name };
}

/**
 * Deletes a saved position, in the camera and here. One the camera no longer has is deleted here all the same. When it
 * was the camera's home position, the camera has none from then on.
 */
export async function deletePreset(db: Db, viewer: Who, cameraId: string, presetId: string, credentialsKey: Buffer): Promise<PtzPresetView> {
  const camera = await steerable(db, viewer, cameraId);
  const preset = await presetOf(db, cameraId, presetId);
  try {
    await withHead(camera, credentialsKey, (ptz) => ptz.removePreset(preset.token));
  } catch (err) {
    // The camera refused because it does not know the token: it is gone already. Anything else keeps our row.
    if (!(err instanceof AppError && err.code === "ptz_refused")) throw err;
    const still = await withHead(camera, credentialsKey, (ptz) => ptz.getPresets());
    if (still.some((p) => p.token === preset.token)) throw err;
  }
  await db.$transaction(async (tx) => {
    await tx.ptzPreset.delete({ where: { id: presetId } });
    const cam = await tx.camera.findUnique({ where: { id: cameraId }, select: { ptzConfig: true } });
    const settings = parsePtzSettings(cam?.ptzConfig ?? "{}");
    if (settings.homePresetId === presetId) await tx.camera.update({ where: { id: cameraId }, data: { ptzConfig: JSON.stringify({ ...settings, homePresetId: null }) } });
  });
  await emitCameraChanged(db, cameraId, {});
  return { id: preset.id, name: preset.name };
}

/** Sets the home position and the idle time after which the camera returns to it (admins; the route checks). */
export async function setPtzSettings(db: Db, viewer: Who, cameraId: string, settings: PtzSettings): Promise<PtzSettings> {
  await steerable(db, viewer, cameraId);
  if (settings.homePresetId !== null) await presetOf(db, cameraId, settings.homePresetId).catch(() => {
    throw new AppError("validation", {}, { homePresetId: "invalid_value" });
  });
  if (settings.returnAfterMinutes !== null && settings.homePresetId === null) throw new AppError("validation", {}, { homePresetId: "invalid_type" });
  await db.camera.update({ where: { id: cameraId }, data: { ptzConfig: JSON.stringify(settings) } });
  return settings;
}

/**
 * Asks an ONVIF camera again whether it can pan, tilt or zoom (a camera added before Nightjar knew PTZ, or a new
 * firmware) and stores the answer (admins; the route checks). A camera added by stream address has nobody to ask.
 */
export async function detectPtz(db: Db, cameraId: string, credentialsKey: Buffer): Promise<{ hasPtz: boolean }> {
  const camera = await db.camera.findUnique({ where: { id: cameraId } });
  if (!camera) throw new AppError("not_found");
  if (!camera.onvifUrl) throw new AppError("no_ptz");
  const credentials = cameraCredentials(camera, credentialsKey);
  let found;
  try {
    found = (await identifyCamera({ xaddr: camera.onvifUrl, username: credentials?.username ?? "", password: credentials?.password ?? "", timeoutMs: 3 * PTZ_REQUEST_TIMEOUT_MS })).ptz;
  } catch (err) {
    throw ptzError(err);
  }
  await db.camera.update({ where: { id: cameraId }, data: { ptzXaddr: found?.xaddr ?? null, ptzProfileToken: found?.profileToken ?? null } });
  await emitCameraChanged(db, cameraId, {}); // integrations show or drop its PTZ controls
  return { hasPtz: found !== null };
}

/**
 * Sends cameras home that nobody has steered for their idle time (scheduler, every minute): a camera with a home
 * position and returnAfterMinutes whose last command is that old and that has not gone home since. A disabled camera
 * or one in privacy mode stays where it is; one that does not answer is tried again next time. The move pauses motion
 * like any other and is logged as Nightjar's own.
 */
export async function returnIdleCamerasHome(db: Db, now: Date, credentialsKey: Buffer): Promise<{ returned: number; failed: number }> {
  const rows = await db.ptzMove.findMany({ include: { camera: true } });
  let returned = 0;
  let failed = 0;
  for (const row of rows) {
    const camera = row.camera;
    const settings = parsePtzSettings(camera.ptzConfig);
    if (!settings.homePresetId || settings.returnAfterMinutes === null) continue;
    if (row.returnedAt && row.returnedAt >= row.lastCommandAt) continue;
    if (now.getTime() - row.lastCommandAt.getTime() < settings.returnAfterMinutes * 60_000) continue;
    if (!camera.isEnabled || camera.privacyMode || !camera.onvifUrl || !camera.ptzXaddr || !camera.ptzProfileToken) continue;
    const home = await db.ptzPreset.findFirst({ where: { id: settings.homePresetId, cameraId: camera.id } });
    if (!home) continue;
    try {
      await db.ptzMove.update({ where: { cameraId: camera.id }, data: { pauseUntil: new Date(now.getTime() + JUMP_MS + SETTLE_MS) } });
      await withHead(camera, credentialsKey, (ptz) => ptz.gotoPreset(home.token));
      await db.ptzMove.update({ where: { cameraId: camera.id }, data: { returnedAt: now } });
      await recordActivity(db, { action: "ptz.returned_home", actorId: null, cameraId: camera.id, targetId: home.id });
      returned++;
    } catch (err) {
      failed++;
      log.warn("camera not sent home", { camera: camera.id, error: String(err) });
    }
  }
  return { returned, failed };
}
