// "Download event": one MP4 of all of an event's clips, made without re-encoding (lib/ffmpeg/concat.ts) when their
// sample descriptions are equal (same codec, parameter sets and sound — always so within one ingest run; a camera
// that changed its stream mid-event gives event_not_joinable, and its per-clip downloads stay). A one-clip event is
// its clip. The joined file is written to a private temp folder, opened, and unlinked at once: the open descriptor is
// the only way to it, so a download that is cancelled or never read leaves nothing behind.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Viewer } from "../auth/viewer";
import { mediaDir } from "../data-dir";
import type { Db } from "../db";
import { AppError } from "../errors";
import { concatListText, runConcat } from "../ffmpeg/concat";
import { childBoxes, findPath, listBoxes, readBody, withFileSource } from "../mp4/boxes";
import { mediaFile, requireEventAccess } from "./events";
import { cleanUpMissingClips } from "./media";

type Who = Pick<Viewer, "id" | "role">;

/** Longest a join may take, ms (a long alarm's clips are minutes of video: copying them is seconds). */
const JOIN_TIMEOUT_MS = 120_000;

/** Bytes of a sample entry before its child boxes (ISO/IEC 14496-12 §12.1.3 visual, §12.2.3 audio), after the box header. */
const ENTRY_FIELDS_BYTES: Record<string, number> = { vide: 78, soun: 28 };

/**
 * What must be equal for clips to join by copying: per track, its sample entries (type, fixed fields such as the
 * picture size, and child boxes such as avcC/hvcC/esds) — without what a muxer measured for that file: `btrt`, and in
 * `esds` the buffer size and the maximum and average bitrate (see esdsWithoutMeasures).
 */
export function readSampleDescriptions(file: string): string[] {
  return withFileSource(file, (src) => {
    const moov = findPath(src, ["moov"]);
    if (!moov) throw new Error("no moov");
    const out: string[] = [];
    for (const trak of childBoxes(src, moov).filter((b) => b.type === "trak")) {
      const hdlr = findPath(src, ["mdia", "hdlr"], trak);
      const handler = hdlr ? Buffer.from(readBody(src, hdlr).subarray(8, 12)).toString("latin1") : "";
      const stsd = findPath(src, ["mdia", "minf", "stbl", "stsd"], trak);
      if (!stsd) continue;
      const fields = ENTRY_FIELDS_BYTES[handler];
      // stsd: version/flags (4), entry_count (4), then the sample entries.
      for (const entry of listBoxes(src, stsd.body + 8, stsd.end)) {
        if (fields === undefined) {
          out.push(`${handler}:${Buffer.from(readBody(src, entry)).toString("base64")}`);
          continue;
        }
        const kept = listBoxes(src, entry.body + fields, entry.end).filter((b) => b.type !== "btrt");
        const parts = [src.read(entry.body, fields), ...kept.map((b) => (b.type === "esds" ? esdsWithoutMeasures(src.read(b.start, b.end - b.start)) : src.read(b.start, b.end - b.start)))];
        out.push(`${handler}:${entry.type}:${parts.map((p) => Buffer.from(p).toString("base64")).join(".")}`);
      }
    }
    return out;
  });
}

/** A descriptor's tag and length (ISO/IEC 14496-1 §8.3.3: the length in 1–4 bytes of 7 bits, high bit "more"). */
function descriptorAt(b: Uint8Array, at: number): { tag: number; body: number } | null {
  if (at >= b.length) return null;
  let i = at + 1;
  for (let n = 0; n < 4 && i < b.length; n++) if (!(b[i++] & 0x80)) return { tag: b[at], body: i };
  return null;
}

/**
 * An `esds` box (whole, header included) with its DecoderConfigDescriptor's bufferSizeDB, maxBitrate and avgBitrate
 * zeroed: a muxer writes what it measured in each file (two copies of one stream's clips differ there), and none of
 * it is needed to decode (ISO/IEC 14496-1 §7.2.6.6). The rest — the object type and the decoder-specific info (AAC's
 * AudioSpecificConfig) — stays compared. A box it cannot read is returned as it is.
 */
export function esdsWithoutMeasures(box: Uint8Array): Uint8Array {
  const out = Uint8Array.from(box);
  const es = descriptorAt(out, 12); // size (4), "esds" (4), version and flags (4)
  if (!es || es.tag !== 0x03) return out;
  const flags = out[es.body + 2];
  let at = es.body + 3; // ES_ID (2), flags (1)
  if (flags & 0x80) at += 2; // dependsOn_ES_ID
  if (flags & 0x40) at += 1 + (out[at] ?? 0); // URL
  if (flags & 0x20) at += 2; // OCR_ES_Id
  const config = descriptorAt(out, at);
  if (!config || config.tag !== 0x04 || config.body + 13 > out.length) return out;
  out.fill(0, config.body + 2, config.body + 13); // after objectTypeIndication and streamType: 3 + 4 + 4 bytes
  return out;
}

/** Whether these clips join by copying: every one's sample descriptions equal the first's. Throws when one is unreadable. */
export function haveEqualFormats(files: readonly string[]): boolean {
  const formats = files.map((f) => readSampleDescriptions(f).join("|"));
  return formats.every((f) => f === formats[0]);
}

/**
 * Whether the event downloads whole: false when its clips' formats differ (the page then offers the clips only).
 * Reads only the clips' headers. not_found / forbidden as for the event.
 */
export async function isEventJoinable(db: Db, dataDir: string, viewer: Who, eventId: string): Promise<boolean> {
  const event = await requireEventAccess(db, viewer, eventId);
  const files = event.clips.map((c) => mediaFile(mediaDir(dataDir), c.path));
  try {
    return files.length > 0 && haveEqualFormats(files);
  } catch {
    return false; // a clip missing or unreadable: the download would answer 404
  }
}

export type EventFile = { fd: number; size: number; cameraId: string | null; cameraName: string; startedAt: Date; clips: number };

type EventWithMedia = Awaited<ReturnType<typeof requireEventAccess>>;

/** The event's clip files in order, all present: not_found when there is none or one is gone (their rows are cleaned up). */
export async function presentClipFiles(db: Db, dataDir: string, event: EventWithMedia): Promise<string[]> {
  const files = event.clips.map((c) => mediaFile(mediaDir(dataDir), c.path));
  if (!files.length || files.some((f) => !fs.existsSync(f))) {
    if (files.length) await cleanUpMissingClips(db, dataDir, event);
    throw new AppError("not_found");
  }
  return files;
}

/**
 * Joins clip files (equal formats: the caller checked) into `output` by copying. The concat list is written beside
 * the output as `listFile` and removed afterwards; on a failure the output may be half written: the caller removes it.
 */
export async function joinClipFiles(ffmpegPath: string, files: readonly string[], output: string, listFile: string): Promise<void> {
  try {
    fs.writeFileSync(listFile, concatListText(files));
    await runConcat(ffmpegPath, { listFile, output, timeoutMs: JOIN_TIMEOUT_MS });
  } finally {
    fs.rmSync(listFile, { force: true });
  }
}

/**
 * The event's whole video, open for reading (the caller streams and closes `fd`). not_found: no clip (or their files
 * are gone: their rows are cleaned up); event_not_joinable: the clips' formats differ.
 */
export async function openEventFile(db: Db, dataDir: string, ffmpegPath: string, viewer: Who, eventId: string): Promise<EventFile> {
  const event = await requireEventAccess(db, viewer, eventId);
  const files = await presentClipFiles(db, dataDir, event);
  const base = { cameraId: event.cameraId, cameraName: event.cameraName, startedAt: event.startedAt, clips: files.length };
  if (files.length === 1) {
    const fd = fs.openSync(files[0], "r");
    return { fd, size: fs.fstatSync(fd).size, ...base };
  }
  if (!haveEqualFormats(files)) throw new AppError("event_not_joinable");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nightjar-event-"));
  try {
    const out = path.join(dir, "event.mp4");
    await joinClipFiles(ffmpegPath, files, out, path.join(dir, "clips.ffconcat"));
    const fd = fs.openSync(out, "r");
    return { fd, size: fs.fstatSync(fd).size, ...base };
  } finally {
    // The joined file lives on through its open descriptor only.
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Timing of a clip's video read from its moov: length (mvhd) and the first frame's length (the video track's stts), ms. */
export function readClipTiming(file: string): { durationMs: number; frameMs: number | null } {
  return withFileSource(file, (src) => {
    const mvhd = findPath(src, ["moov", "mvhd"]);
    if (!mvhd) throw new Error("no mvhd");
    const m = Buffer.from(readBody(src, mvhd));
    // mvhd version 0: times 4+4, timescale 4, duration 4; version 1: times 8+8, timescale 4, duration 8.
    const v1 = m[0] === 1;
    const timescale = m.readUInt32BE(v1 ? 20 : 12);
    const duration = v1 ? Number(m.readBigUInt64BE(24)) : m.readUInt32BE(16);
    let frameMs: number | null = null;
    const moov = findPath(src, ["moov"])!;
    for (const trak of childBoxes(src, moov).filter((b) => b.type === "trak")) {
      const hdlr = findPath(src, ["mdia", "hdlr"], trak);
      if (!hdlr || Buffer.from(readBody(src, hdlr).subarray(8, 12)).toString("latin1") !== "vide") continue;
      const mdhd = findPath(src, ["mdia", "mdhd"], trak);
      const stts = findPath(src, ["mdia", "minf", "stbl", "stts"], trak);
      if (!mdhd || !stts) break;
      const h = Buffer.from(readBody(src, mdhd));
      const trackScale = h.readUInt32BE(h[0] === 1 ? 20 : 12);
      const t = Buffer.from(readBody(src, stts));
      // stts: version/flags 4, entry_count 4, then (sample_count 4, sample_delta 4) per entry.
      if (t.readUInt32BE(4) > 0 && trackScale > 0) frameMs = (t.readUInt32BE(12) / trackScale) * 1000;
      break;
    }
    return { durationMs: timescale > 0 ? (duration / timescale) * 1000 : 0, frameMs };
  });
}
