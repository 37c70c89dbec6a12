// Household modes (Home, Away, Night, and any an admin adds): per camera whether motion is armed and whether
// notifications go out, a weekly schedule, and the one mode in force (Household.activeModeId). Switching is one call,
// switchMode, for every way in (app, API, MQTT, schedule): it applies each camera's `armed` through setCameraArmed,
// records "mode.switch" in the activity log and emits the "mode.changed" fact. The `notify` flag is read by
// lib/notifications through cameraModeSettings(getActiveMode(db), cameraId).
import { z } from "zod";
import { recordActivity } from "../activity/record";
import { setCameraArmed } from "../cameras/motion-settings";
import type { Db } from "../db";
import { AppError } from "../errors";
import { emitFact } from "../facts/emit";
import { isCleanName } from "../household/identity";
import { newId } from "../ids";
import { logger } from "../log";
import { parseMotionConfig } from "../motion/config";
import { BUILT_IN_MODES } from "./names";
import { parseSchedule, scheduleSchema, type ScheduleEntry } from "./schedule";

const log = logger("modes");

export { BUILT_IN_MODES, localizeModeName, type BuiltInModeKey } from "./names";

/** Modes in all, at most (built in included). */
export const MAX_MODES = 12;
/** A mode's name, characters. */
export const MAX_MODE_NAME = 40;

export const SWITCH_VIA = ["ui", "api", "mqtt", "schedule"] as const;
export type SwitchVia = (typeof SWITCH_VIA)[number];

export type CameraModeSettings = { armed: boolean; notify: boolean };

export type Mode = {
  id: string;
  /** "home" | "away" | "night" for the built-in modes; null for added ones. */
  key: string | null;
  name: string;
  position: number;
  /** cameraId → settings; a camera not listed is armed and notifies. */
  cameras: Record<string, CameraModeSettings>;
  schedule: ScheduleEntry[];
};

/** The mode in force and how it got there. */
export type ModeState = {
  modes: Mode[];
  active: Mode;
  changedAt: Date | null;
  changedVia: SwitchVia | null;
  /** The member who switched last (name looked up now: records hold ids only); null = Nightjar or nobody. */
  changedBy: { id: string; name: string | null } | null;
};

// ── Validation ───────────────────────────────────────────────────────────────────────────────────────────────────

export const modeNameSchema = z.string().trim().min(1).max(MAX_MODE_NAME).refine(isCleanName, "invalid_characters");
export const cameraModeSettingsSchema = z.object({ armed: z.boolean(), notify: z.boolean() });
export const modeCamerasSchema = z.record(z.string().min(1).max(64), cameraModeSettingsSchema);

export const createModeInput = z.object({ name: modeNameSchema });
export type CreateModeInput = z.output<typeof createModeInput>;

/** A change: the name, some cameras' settings (merged into the stored ones), the whole schedule. */
export const updateModeInput = z
  .object({ name: modeNameSchema.optional(), cameras: modeCamerasSchema.optional(), schedule: scheduleSchema.optional() })
  .refine((b) => b.name !== undefined || b.cameras !== undefined || b.schedule !== undefined, "nothing_to_change");
export type UpdateModeInput = z.output<typeof updateModeInput>;

// ── Reading ──────────────────────────────────────────────────────────────────────────────────────────────────────

type ModeRow = { id: string; key: string | null; name: string; position: number; cameras: string; schedule: string };

function parseCameras(text: string): Record<string, CameraModeSettings> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return {};
  }
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return {};
  const out: Record<string, CameraModeSettings> = {};
  for (const [id, v] of Object.entries(raw)) {
    const parsed = cameraModeSettingsSchema.safeParse(v);
    if (parsed.success) out[id] = parsed.data;
  }
  return out;
}

function toMode(row: ModeRow): Mode {
  return { id: row.id, key: row.key, name: row.name, position: row.position, cameras: parseCameras(row.cameras), schedule: parseSchedule(row.schedule) };
}

/** Puts back a built-in mode that is missing (after a factory reset emptied the table). */
async function ensureBuiltInModes(db: Db): Promise<void> {
  const present = await db.householdMode.findMany({ where: { key: { in: BUILT_IN_MODES.map((m) => m.key) } }, select: { key: true } });
  if (present.length === BUILT_IN_MODES.length) return;
  for (const m of BUILT_IN_MODES) {
    if (present.some((p) => p.key === m.key)) continue;
    await db.householdMode.upsert({ where: { key: m.key }, create: { ...m }, update: {} });
  }
}

/** Every mode, by position (then creation). */
export async function listModes(db: Db): Promise<Mode[]> {
  await ensureBuiltInModes(db);
  const rows = await db.householdMode.findMany({ orderBy: [{ position: "asc" }, { createdAt: "asc" }] });
  return rows.map(toMode);
}

/** The mode in force: Household.activeModeId, or the first by position when none was chosen (or it was deleted). */
export async function getActiveMode(db: Db): Promise<Mode> {
  return (await getModeState(db, { withChangedBy: false })).active;
}

/**
 * All modes, the one in force, and when/how it last changed; the newest "mode.switch" record names who (skipped with
 * withChangedBy: false, e.g. for the header on every page).
 */
export async function getModeState(db: Db, options: { withChangedBy?: boolean } = {}): Promise<ModeState> {
  const [modes, household] = await Promise.all([listModes(db), db.household.findUnique({ where: { id: 1 }, select: { activeModeId: true, modeChangedAt: true, modeChangedVia: true } })]);
  const active = modes.find((m) => m.id === household?.activeModeId) ?? modes[0];
  const via = SWITCH_VIA.find((v) => v === household?.modeChangedVia) ?? null;
  let changedBy: ModeState["changedBy"] = null;
  if (household?.modeChangedAt && options.withChangedBy !== false) {
    const last = await db.activity.findFirst({ where: { action: "mode.switch" }, orderBy: { id: "desc" }, select: { actorId: true } });
    if (last?.actorId) {
      const user = await db.user.findUnique({ where: { id: last.actorId }, select: { displayName: true, email: true } });
      changedBy = { id: last.actorId, name: user ? user.displayName || user.email : null };
    }
  }
  return { modes, active, changedAt: household?.modeChangedAt ?? null, changedVia: via, changedBy };
}

/** One camera's settings in a mode; a camera the mode does not list is armed and notifies. */
export function cameraModeSettings(mode: Pick<Mode, "cameras">, cameraId: string): CameraModeSettings {
  return mode.cameras[cameraId] ?? { armed: true, notify: true };
}

/** A mode by id, key ("away") or name (case-insensitive); not_found otherwise. */
export async function findMode(db: Db, idOrKeyOrName: string): Promise<Mode> {
  const modes = await listModes(db);
  const wanted = idOrKeyOrName.trim();
  const lower = wanted.toLowerCase();
  const mode = modes.find((m) => m.id === wanted) ?? modes.find((m) => m.key === lower) ?? modes.find((m) => m.name.toLowerCase() === lower);
  if (!mode) throw new AppError("not_found");
  return mode;
}

// ── Switching ────────────────────────────────────────────────────────────────────────────────────────────────────

export type SwitchOptions = {
  via: SwitchVia;
  /** The member who switched; null for the schedule and MQTT (Nightjar itself). */
  actorId: string | null;
  now?: Date;
  /** The API token that switched (goes into the activity record, like route() does for tokens). */
  tokenId?: string;
};

/**
 * Makes `idOrKeyOrName` the mode in force: Household.activeModeId/modeChangedAt/modeChangedVia, then each camera's
 * `armed` through setCameraArmed (only cameras whose state differs, so recorders restart only where something changed),
 * then the activity record and the "mode.changed" fact. Switching to the mode already in force re-applies its arming.
 */
export async function switchMode(db: Db, idOrKeyOrName: string, opts: SwitchOptions): Promise<Mode> {
  const now = opts.now ?? new Date();
  const mode = await findMode(db, idOrKeyOrName);
  const previousModeId = await db.$transaction(async (tx) => {
    const h = await tx.household.findUnique({ where: { id: 1 }, select: { activeModeId: true } });
    if (!h) throw new AppError("setup_required");
    await tx.household.update({ where: { id: 1 }, data: { activeModeId: mode.id, modeChangedAt: now, modeChangedVia: opts.via } });
    return h.activeModeId;
  });
  await applyArming(db, mode, opts.actorId);
  await recordActivity(
    db,
    { action: "mode.switch", actorId: opts.actorId, targetId: mode.id, data: { via: opts.via, previousModeId, ...(opts.tokenId ? { tokenId: opts.tokenId } : {}) } },
    now.getTime(),
  );
  await emitFact(db, "mode.changed", { modeId: mode.id, modeName: mode.name, previousModeId, via: opts.via, actorId: opts.actorId }, { now });
  return mode;
}

/** Sets every camera's MotionConfig.armed to the mode's, where it differs. A camera failing does not stop the rest. */
async function applyArming(db: Db, mode: Mode, actorId: string | null, onlyCameraIds?: string[]): Promise<void> {
  const cameras = await db.camera.findMany({ where: onlyCameraIds ? { id: { in: onlyCameraIds } } : {}, select: { id: true, motionConfig: true } });
  for (const camera of cameras) {
    const armed = cameraModeSettings(mode, camera.id).armed;
    if (parseMotionConfig(camera.motionConfig).config.armed === armed) continue;
    try {
      await setCameraArmed(db, camera.id, armed, actorId);
    } catch (err) {
      // A camera deleted meanwhile: nothing to arm.
      if (!(err instanceof AppError && err.code === "not_found")) throw err;
      log.info("camera gone while switching mode", { cameraId: camera.id });
    }
  }
}

// ── Editing (admins) ─────────────────────────────────────────────────────────────────────────────────────────────

async function requireUniqueName(db: Db, name: string, exceptId: string | null): Promise<void> {
  const modes = await db.householdMode.findMany({ select: { id: true, name: true } });
  if (modes.some((m) => m.id !== exceptId && m.name.toLowerCase() === name.toLowerCase())) throw new AppError("validation", {}, { name: "mode_name_taken" });
}

/** Adds a mode at the end: every camera armed and notifying, no schedule. */
export async function createMode(db: Db, input: CreateModeInput): Promise<Mode> {
  const name = createModeInput.parse(input).name;
  await listModes(db);
  await requireUniqueName(db, name, null);
  const row = await db.$transaction(async (tx) => {
    const count = await tx.householdMode.count();
    if (count >= MAX_MODES) throw new AppError("validation", { max: MAX_MODES }, { name: "too_many_modes" });
    const last = await tx.householdMode.findFirst({ orderBy: { position: "desc" }, select: { position: true } });
    return tx.householdMode.create({ data: { id: newId(), key: null, name, position: (last?.position ?? -1) + 1 } });
  });
  return toMode(row);
}

/**
 * Renames a mode, changes some cameras' settings (merged: cameras not given keep theirs; only existing cameras) or
 * replaces its schedule. When it is the mode in force, changed `armed` flags apply at once. Returns the mode and the
 * names of the fields that changed.
 */
export async function updateMode(db: Db, id: string, input: UpdateModeInput, actorId: string | null): Promise<{ mode: Mode; changed: string[] }> {
  const change = updateModeInput.parse(input);
  const existing = await db.householdMode.findUnique({ where: { id } });
  if (!existing) throw new AppError("not_found");
  if (change.name !== undefined) await requireUniqueName(db, change.name, id);
  const data: { name?: string; cameras?: string; schedule?: string } = {};
  const changed: string[] = [];
  if (change.name !== undefined && change.name !== existing.name) {
    data.name = change.name;
    changed.push("name");
  }
  let changedCameraIds: string[] = [];
  if (change.cameras !== undefined) {
    const ids = Object.keys(change.cameras);
    const known = new Set((await db.camera.findMany({ where: { id: { in: ids } }, select: { id: true } })).map((c) => c.id));
    const unknown = ids.find((c) => !known.has(c));
    if (unknown) throw new AppError("validation", {}, { [`cameras.${unknown}`]: "unknown_camera" });
    const merged = { ...parseCameras(existing.cameras), ...change.cameras };
    data.cameras = JSON.stringify(merged);
    changedCameraIds = ids;
    changed.push("cameras");
  }
  if (change.schedule !== undefined) {
    data.schedule = JSON.stringify(change.schedule);
    changed.push("schedule");
  }
  const row = await db.householdMode.update({ where: { id }, data });
  const mode = toMode(row);
  if (changedCameraIds.length && (await getActiveMode(db)).id === id) await applyArming(db, mode, actorId, changedCameraIds);
  return { mode, changed };
}

/** Deletes a mode an admin added. The built-in three cannot be deleted, nor the mode in force (switch first). */
export async function deleteMode(db: Db, id: string): Promise<void> {
  const existing = await db.householdMode.findUnique({ where: { id }, select: { key: true } });
  if (!existing) throw new AppError("not_found");
  if (existing.key !== null) throw new AppError("validation", {}, { mode: "mode_built_in" });
  if ((await getActiveMode(db)).id === id) throw new AppError("validation", {}, { mode: "mode_active" });
  await db.householdMode.delete({ where: { id } });
}
