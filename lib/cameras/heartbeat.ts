// The measured volume of our status checks ("heartbeat") per camera, for the camera page and the data statement.
import type { Db } from "../db";

/** Bytes per hour exchanged by status checks since counting began; null before a minute of data. */
export async function heartbeatBytesPerHour(db: Db, cameraId: string, now: Date = new Date()): Promise<number | null> {
  const s = await db.cameraStatus.findUnique({ where: { cameraId }, select: { checkBytes: true, bytesSince: true } });
  if (!s) return null;
  const hours = (now.getTime() - s.bytesSince.getTime()) / 3_600_000;
  if (hours < 1 / 60) return null;
  return Math.round(s.checkBytes / hours);
}
