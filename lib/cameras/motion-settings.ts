// A camera's motion settings (Camera.motionConfig, JSON): read with defaults filled in, replaced as a whole after
// validation. The recorder picks up the change within seconds (recorder-pool restarts on updatedAt).
import type { Db } from "../db";
import { AppError } from "../errors";
import { emitCameraChanged } from "./camera-changed";
import { parseMotionConfig, type MotionConfig, type MotionZone } from "../motion/config";
import { recordDiagnostic } from "./diagnostics";

export async function getMotionSettings(db: Db, cameraId: string): Promise<MotionConfig> {
  const cam = await db.camera.findUnique({ where: { id: cameraId }, select: { motionConfig: true } });
  if (!cam) throw new AppError("not_found");
  return parseMotionConfig(cam.motionConfig).config;
}

export async function setMotionSettings(db: Db, cameraId: string, config: MotionConfig, actorId: string | null): Promise<MotionConfig> {
  // The camera's own motion events come over ONVIF: a camera added by its stream address has none.
  if (config.trigger !== "nightjar") {
    const cam = await db.camera.findUnique({ where: { id: cameraId }, select: { onvifUrl: true } });
    if (cam && !cam.onvifUrl) throw new AppError("validation", {}, { trigger: "needs_onvif" });
  }
  const res = await db.camera.updateMany({ where: { id: cameraId }, data: { motionConfig: JSON.stringify(config) } });
  if (res.count === 0) throw new AppError("not_found");
  await recordDiagnostic(db, cameraId, "changed", { by: actorId, fields: ["motion"] });
  return config;
}

/**
 * Changes part of a camera's motion settings: read, change, write in one transaction (two programs arming and moving
 * a zone at once both land), then a "changed" diagnostic. The recorder picks it up like setMotionSettings.
 */
async function changeMotionSettings<T>(db: Db, cameraId: string, change: (config: MotionConfig) => { config: MotionConfig; result: T }, actorId: string | null): Promise<T> {
  const result = await db.$transaction(async (tx) => {
    const cam = await tx.camera.findUnique({ where: { id: cameraId }, select: { motionConfig: true } });
    if (!cam) throw new AppError("not_found");
    const changed = change(parseMotionConfig(cam.motionConfig).config);
    await tx.camera.update({ where: { id: cameraId }, data: { motionConfig: JSON.stringify(changed.config) } });
    return changed.result;
  });
  await recordDiagnostic(db, cameraId, "changed", { by: actorId, fields: ["motion"] });
  return result;
}

/** Arms or disarms motion detection (MotionConfig.armed, the master switch: no events while false, whatever the schedule). */
export async function setCameraArmed(db: Db, cameraId: string, armed: boolean, actorId: string | null): Promise<MotionConfig> {
  const config = await changeMotionSettings(db, cameraId, (c) => ({ config: { ...c, armed }, result: { ...c, armed } }), actorId);
  await emitCameraChanged(db, cameraId, { armed });
  return config;
}

/** Enables or disables one zone and/or sets its sensitivity (1–100); not_found for an unknown zone id. Returns the zone. */
export async function updateMotionZone(db: Db, cameraId: string, zoneId: string, change: { enabled?: boolean; sensitivity?: number }, actorId: string | null): Promise<MotionZone> {
  return changeMotionSettings(
    db,
    cameraId,
    (c) => {
      const zone = c.zones.find((z) => z.id === zoneId);
      if (!zone) throw new AppError("not_found");
      const next = { ...zone, ...(change.enabled !== undefined ? { enabled: change.enabled } : {}), ...(change.sensitivity !== undefined ? { sensitivity: change.sensitivity } : {}) };
      return { config: { ...c, zones: c.zones.map((z) => (z.id === zoneId ? next : z)) }, result: next };
    },
    actorId,
  );
}

/** The newest permanent-alarm guard record of a camera, when it is engaged (else null). */
export async function activeAlarmGuard(db: Db, cameraId: string) {
  const last = await db.cameraDiagnostic.findFirst({ where: { cameraId, kind: "guard" }, orderBy: { id: "desc" } });
  if (!last) return null;
  const data = JSON.parse(last.data) as { engaged?: boolean; reason?: string; alarmFraction?: number };
  return data.engaged ? { since: last.at.toISOString(), reason: data.reason ?? "alarm_fraction", alarmFraction: data.alarmFraction ?? null } : null;
}
