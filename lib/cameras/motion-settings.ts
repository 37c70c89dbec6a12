// A camera's motion settings (Camera.motionConfig, JSON): read with defaults filled in, replaced as a whole after
// validation. The recorder picks up the change within seconds (recorder-pool restarts on updatedAt).
import type { Db } from "../db";
import { AppError } from "../errors";
import { parseMotionConfig, type MotionConfig } from "../motion/config";
import { recordDiagnostic } from "./diagnostics";

export async function getMotionSettings(db: Db, cameraId: string): Promise<MotionConfig> {
  const cam = await db.camera.findUnique({ where: { id: cameraId }, select: { motionConfig: true } });
  if (!cam) throw new AppError("not_found");
  return parseMotionConfig(cam.motionConfig).config;
}

export async function setMotionSettings(db: Db, cameraId: string, config: MotionConfig, actorId: string | null): Promise<MotionConfig> {
  const res = await db.camera.updateMany({ where: { id: cameraId }, data: { motionConfig: JSON.stringify(config) } });
  if (res.count === 0) throw new AppError("not_found");
  await recordDiagnostic(db, cameraId, "changed", { by: actorId, fields: ["motion"] });
  return config;
}

/** The newest permanent-alarm guard record of a camera, when it is engaged (else null). */
export async function activeAlarmGuard(db: Db, cameraId: string) {
  const last = await db.cameraDiagnostic.findFirst({ where: { cameraId, kind: "guard" }, orderBy: { id: "desc" } });
  if (!last) return null;
  const data = JSON.parse(last.data) as { engaged?: boolean; reason?: string; alarmFraction?: number };
  return data.engaged ? { since: last.at.toISOString(), reason: data.reason ?? "alarm_fraction", alarmFraction: data.alarmFraction ?? null } : null;
}
