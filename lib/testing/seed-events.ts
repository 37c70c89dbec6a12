// Test and benchmark support: writes many events with their clips and photos straight into the SQLite file (raw
// better-sqlite3 in large transactions, ~10× faster than Prisma row by row), optionally with real small files under
// $DATA_DIR/media at the paths the recorder would use. Never used by the product itself.
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";

export type SeedEvent = {
  id: string;
  cameraId: string | null;
  cameraName?: string;
  startedAt: Date;
  endedAt: Date | null;
  isProtected?: boolean;
  /** Number of clips (each clipMs long, touching) and whether the event has a photo and thumbnail. */
  clips: number;
  clipMs?: number;
  photo?: boolean;
};

export type SeedOptions = {
  /** Write a file for each clip/photo/thumbnail under this media folder; without it only rows are written. */
  mediaDir?: string;
  /** Bytes of each clip file (and row), photo and thumbnail. */
  clipBytes?: number;
  photoBytes?: number;
  thumbBytes?: number;
  /** Events per transaction. */
  transactionSize?: number;
};

/** The adapter's DateTime text format (ISO-8601 UTC with +00:00). */
export const sqlTime = (d: Date) => d.toISOString().replace("Z", "+00:00");

/** Media path of a clip, relative to the media folder, like lib/recording/clip-writer.ts clipFilePath. */
export function seedClipPath(cameraId: string | null, eventId: string, seq: number, startMs: number): string {
  const iso = new Date(startMs).toISOString();
  return `${cameraId ?? "deleted-camera"}/${iso.slice(0, 4)}/${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(11, 19).replaceAll(":", "")}-${eventId}-${seq}.mp4`;
}

/** Inserts the events (any iterable, so a generator can feed millions) and returns how many rows and files. */
export function seedEvents(sqliteFile: string, events: Iterable<SeedEvent>, opts: SeedOptions = {}): { events: number; clips: number; photos: number; files: number } {
  const clipBytes = opts.clipBytes ?? 1024;
  const photoBytes = opts.photoBytes ?? 512;
  const thumbBytes = opts.thumbBytes ?? 128;
  const buffers = new Map<number, Buffer>();
  const bufferOf = (n: number) => buffers.get(n) ?? buffers.set(n, Buffer.alloc(n, 7)).get(n)!;
  const madeDirs = new Set<string>();
  let files = 0;
  const writeFile = (rel: string, bytes: number) => {
    if (!opts.mediaDir) return;
    const full = path.join(opts.mediaDir, rel);
    const dir = path.dirname(full);
    if (!madeDirs.has(dir)) {
      fs.mkdirSync(dir, { recursive: true });
      madeDirs.add(dir);
    }
    fs.writeFileSync(full, bufferOf(bytes));
    files++;
  };

  const db = new Database(sqliteFile, { timeout: 5_000 });
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  const insEvent = db.prepare(`INSERT INTO Event (id, cameraId, cameraName, startedAt, endedAt, peakScore, peakAt, zones, isProtected) VALUES (?, ?, ?, ?, ?, ?, ?, '[]', ?)`);
  const insClip = db.prepare(`INSERT INTO Clip (id, eventId, sequence, path, bytes, startedAt, durationMs) VALUES (?, ?, ?, ?, ?, ?, ?)`);
  const insPhoto = db.prepare(
    `INSERT INTO Photo (eventId, path, bytes, width, height, thumbPath, thumbBytes, thumbWidth, thumbHeight, takenAt) VALUES (?, ?, ?, 1920, 1080, ?, ?, 320, 180, ?)`,
  );
  const counts = { events: 0, clips: 0, photos: 0, files: 0 };
  const size = opts.transactionSize ?? 20_000;
  let batch: SeedEvent[] = [];
  const flush = db.transaction((list: SeedEvent[]) => {
    for (const e of list) {
      const clipMs = e.clipMs ?? 10_000;
      const start = e.startedAt.getTime();
      insEvent.run(e.id, e.cameraId, e.cameraName ?? e.cameraId ?? "Deleted camera", sqlTime(e.startedAt), e.endedAt ? sqlTime(e.endedAt) : null, 50, sqlTime(e.startedAt), e.isProtected ? 1 : 0);
      for (let s = 1; s <= e.clips; s++) {
        const clipStart = start + (s - 1) * clipMs;
        const rel = seedClipPath(e.cameraId, e.id, s, clipStart);
        insClip.run(`${e.id}-c${s}`, e.id, s, rel, clipBytes, sqlTime(new Date(clipStart)), clipMs);
        writeFile(rel, clipBytes);
        counts.clips++;
      }
      if (e.photo) {
        const base = seedClipPath(e.cameraId, e.id, 1, start).replace(/\.mp4$/, "");
        insPhoto.run(e.id, `${base}-photo.jpg`, photoBytes, `${base}-thumb.jpg`, thumbBytes, sqlTime(e.startedAt));
        writeFile(`${base}-photo.jpg`, photoBytes);
        writeFile(`${base}-thumb.jpg`, thumbBytes);
        counts.photos++;
      }
      counts.events++;
    }
  });
  try {
    for (const e of events) {
      batch.push(e);
      if (batch.length >= size) {
        flush(batch);
        batch = [];
      }
    }
    if (batch.length) flush(batch);
  } finally {
    db.close();
  }
  counts.files = files;
  return counts;
}
