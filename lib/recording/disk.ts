// Free disk space under $DATA_DIR, and the floor below which no new clips are written.
import fs from "node:fs";

export type DiskSpace = { freeBytes: number; totalBytes: number };

export async function readDiskSpace(dir: string): Promise<DiskSpace> {
  const s = await fs.promises.statfs(dir);
  return { freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
}

/** True when a new clip of `neededBytes` would take free space below the floor. */
export function isBelowFloor(space: DiskSpace, floorBytes: number, neededBytes = 0): boolean {
  return space.freeBytes - neededBytes < floorBytes;
}
