// Keeping a timelapse frame (the recorder's side): a keyframe already copied out of a ring segment (Annex B, see
// frames.ts) is written into its day's folder — temp name, then rename — and counted on the day's Timelapse row,
// which the first frame of a day creates (status "capturing"). The day is the server's calendar day of the frame.
// A frame of a day that is no longer capturing (already queued or made: a frame seen late) is dropped.
import fs from "node:fs/promises";
import path from "node:path";
import { mediaDir, resolveInside, timelapseFramesRelativeDir } from "../data-dir";
import type { Db } from "../db";
import { newId } from "../ids";
import { dayOf, dayRange } from "../time";
import { frameFileName, type FrameCodec } from "./frames";

export type CapturedFrame = { cameraId: string; cameraName: string; atMs: number; codec: FrameCodec; data: Uint8Array; timeZone: string };

/** What happened to a frame: kept (with its path relative to media/), or dropped because its day is no longer open. */
export type CaptureOutcome = { kept: true; relativePath: string; day: string } | { kept: false; day: string };

export async function keepTimelapseFrame(db: Db, dataDir: string, f: CapturedFrame): Promise<CaptureOutcome> {
  const day = dayOf(f.atMs, f.timeZone);
  const { from, to } = dayRange(day, f.timeZone);
  const framesDir = timelapseFramesRelativeDir(f.cameraId, day);
  const existing = await db.timelapse.findUnique({ where: { cameraId_day: { cameraId: f.cameraId, day } }, select: { status: true } });
  if (existing && existing.status !== "capturing") return { kept: false, day };
  const dir = resolveInside(mediaDir(dataDir), framesDir);
  if (!dir) throw new Error(`timelapse folder outside media/: ${framesDir}`);
  await fs.mkdir(dir, { recursive: true });
  const name = frameFileName(f.atMs, f.codec);
  const tmp = path.join(dir, `.tmp-${name}`);
  await fs.writeFile(tmp, f.data);
  await fs.rename(tmp, path.join(dir, name));
  // The file is there before the row counts it: a crash in between leaves a frame that is kept but not counted (the
  // encode reads the folder, not the count).
  await db.timelapse.upsert({
    where: { cameraId_day: { cameraId: f.cameraId, day } },
    create: { id: newId(), cameraId: f.cameraId, cameraName: f.cameraName, kind: "day", day, fromAt: from, toAt: to, status: "capturing", framesDir, framesCaptured: 1, framesBytes: f.data.length },
    update: { framesCaptured: { increment: 1 }, framesBytes: { increment: f.data.length } },
  });
  return { kept: true, relativePath: `${framesDir}/${name}`, day };
}
