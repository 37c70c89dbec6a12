// The "camera.changed" fact (lib/facts): told after a camera's switches changed — armed, recording, privacy mode —
// whoever changed them (app, API, MQTT, a mode switch), so that MQTT republishes the camera's state.
import type { Db } from "../db";
import { emitFact } from "../facts/emit";
import type { FactData } from "../facts/types";

export type CameraSwitches = Pick<FactData["camera.changed"], "armed" | "recordingEnabled" | "privacyMode">;

/** Emits "camera.changed" with the camera's current name and the switches that changed. Never throws. */
export async function emitCameraChanged(db: Db, cameraId: string, switches: CameraSwitches): Promise<void> {
  const camera = await db.camera.findUnique({ where: { id: cameraId }, select: { name: true } }).catch(() => null);
  if (!camera) return;
  await emitFact(db, "camera.changed", { cameraId, cameraName: camera.name, ...switches });
}
