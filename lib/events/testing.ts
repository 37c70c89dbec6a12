// Test support for lib/events: people, cameras and events with small real files under $DATA_DIR/media.
import fs from "node:fs";
import path from "node:path";
import type { TestDb } from "../testing/db";
import { mediaDir } from "../data-dir";

export const ADMIN = { id: "a", role: "admin" as const };
export const MEMBER = { id: "m", role: "member" as const };
export const VIEWER = { id: "v", role: "viewer" as const };

/** An admin, a member granted cam1 and a viewer granted cam1; cameras cam1 and cam2. */
export async function seedHousehold(t: TestDb): Promise<void> {
  for (const u of [ADMIN, MEMBER, VIEWER]) await t.db.user.create({ data: { id: u.id, email: `${u.id}@x.test`, passwordHash: "x", role: u.role } });
  for (const id of ["cam1", "cam2"]) await t.db.camera.create({ data: { id, name: `Camera ${id.slice(3)}`, mainStreamUrl: `rtsp://192.0.2.1/${id}` } });
  await t.db.cameraAccess.createMany({ data: [{ cameraId: "cam1", userId: MEMBER.id }, { cameraId: "cam1", userId: VIEWER.id }] });
}

export type SeededEvent = { id: string; files: string[] };

/** An event with `clips` clip files (bytes "clip-<n>") and, unless photo is false, a photo and thumbnail. */
export async function createEventWithFiles(
  t: TestDb,
  id: string,
  cameraId: string,
  opts: { startedAt?: Date; clips?: number; photo?: boolean; isProtected?: boolean; isRecording?: boolean } = {},
): Promise<SeededEvent> {
  const startedAt = opts.startedAt ?? new Date(Date.UTC(2026, 5, 1, 12));
  const rel = (name: string) => `${cameraId}/2026/06/01/${id}-${name}`;
  const files: string[] = [];
  const write = (relative: string, body: string) => {
    const full = path.join(mediaDir(t.dataDir), relative);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, body);
    files.push(full);
  };
  await t.db.event.create({
    data: { id, cameraId, cameraName: `Camera ${cameraId.slice(3)}`, startedAt, endedAt: opts.isRecording ? null : new Date(startedAt.getTime() + 20_000), isProtected: opts.isProtected ?? false },
  });
  for (let n = 1; n <= (opts.clips ?? 1); n++) {
    write(rel(`${n}.mp4`), `clip-${n}`);
    await t.db.clip.create({ data: { id: `${id}-c${n}`, eventId: id, sequence: n, path: rel(`${n}.mp4`), bytes: 6, startedAt: new Date(startedAt.getTime() + (n - 1) * 10_000), durationMs: 10_000 } });
  }
  if (opts.photo !== false) {
    write(rel("photo.jpg"), "photo");
    write(rel("thumb.jpg"), "thumb");
    await t.db.photo.create({ data: { eventId: id, path: rel("photo.jpg"), bytes: 5, width: 1920, height: 1080, thumbPath: rel("thumb.jpg"), thumbBytes: 5, thumbWidth: 320, thumbHeight: 180, takenAt: startedAt } });
  }
  return { id, files };
}

export const existing = (files: string[]) => files.filter((f) => fs.existsSync(f));
