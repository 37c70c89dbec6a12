// After a crash (SIGKILL, power cut, OOM) the recorder worker starts with events still open: their rows exist, but the
// clips of their last seconds were never cut, and the footage is still in the live ring on disk. Before live/ is
// emptied, each open event gets clips cut from what the ring still holds (from where its last clip ended, or its start
// minus the pre-roll, to the newest footage), a photo if it has none, and an end. Whatever could not be saved is a
// camera diagnostic ("footage_lost"); an event with nothing at all is removed (through lib/deletion). After this, no
// event is open: a recorder that is gone leaves none behind.
import fs from "node:fs";
import path from "node:path";
import { recordDiagnostic } from "../cameras/diagnostics";
import { recorderLiveDir } from "../data-dir";
import { deleteEvents } from "../deletion/recordings";
import { PLAYLIST_NAME } from "../ffmpeg/ingest-args";
import { logger } from "../log";
import { parseMotionConfig } from "../motion/config";
import { planClip } from "./clip-plan";
import { writeEventClip, writeEventPhotoFor, type EventMediaDeps, type WrittenEventClip } from "./event-media";
import { SegmentTracker, type Segment } from "./segments";

const log = logger("recorder");

/**
 * The segments of one camera's live folder as they are on disk, oldest first, every run: each run's playlist read
 * once, with the playlist file's modification time as the moment its newest segment was listed.
 */
export function readRingFromDisk(liveDir: string): Segment[] {
  let runs: string[] = [];
  try {
    runs = fs.readdirSync(liveDir).filter((r) => /^\d+$/.test(r));
  } catch {
    return [];
  }
  const out: Segment[] = [];
  for (const runId of runs.sort((a, b) => Number(a) - Number(b))) {
    const playlist = path.join(liveDir, runId, PLAYLIST_NAME);
    try {
      const text = fs.readFileSync(playlist, "utf8");
      const seenAt = fs.statSync(playlist).mtimeMs;
      out.push(...new SegmentTracker(runId).update(text, seenAt).filter((s) => fs.existsSync(path.join(liveDir, runId, s.name))));
    } catch {
      /* a run without a playlist (ffmpeg killed before its first segment): nothing to take */
    }
  }
  return out.sort((a, b) => a.startMs - b.startMs);
}

export type SalvageResult = { events: number; clips: number; savedMs: number; removed: number };

/** Cuts, photographs and closes every open event (see the file comment). Safe to run twice. */
export async function salvageOpenEvents(deps: EventMediaDeps, nowMs: number): Promise<SalvageResult> {
  const result: SalvageResult = { events: 0, clips: 0, savedMs: 0, removed: 0 };
  const open = await deps.db.event.findMany({ where: { endedAt: null }, include: { clips: { orderBy: { sequence: "asc" } }, photo: true, camera: { select: { motionConfig: true } } } });
  const rings = new Map<string, Segment[]>();
  for (const ev of open) {
    result.events++;
    const config = parseMotionConfig(ev.camera?.motionConfig ?? "{}").config;
    const liveDir = ev.cameraId ? recorderLiveDir(deps.dataDir, ev.cameraId) : null;
    if (liveDir && ev.cameraId && !rings.has(ev.cameraId)) rings.set(ev.cameraId, readRingFromDisk(liveDir));
    const segments = ev.cameraId ? (rings.get(ev.cameraId) ?? []) : [];
    const existing: WrittenEventClip[] = ev.clips.map((c) => ({ sequence: c.sequence, startMs: c.startedAt.getTime(), endMs: c.startedAt.getTime() + c.durationMs, file: "" }));
    const last = existing[existing.length - 1];
    const wantFrom = last ? last.endMs : ev.startedAt.getTime() - config.preRollMs;
    const newest = segments[segments.length - 1];
    const written: WrittenEventClip[] = [];
    let sequence = last?.sequence ?? 0;
    let from = wantFrom;
    const to = newest ? Math.min(newest.endMs, nowMs) : wantFrom;
    while (liveDir && ev.cameraId && to - from > 20) {
      const plan = planClip(segments, from, to, { anchorMs: from, maxDurationMs: config.maxClipMs });
      if (!plan.segments.length || plan.endMs === null || plan.endMs <= from) break;
      try {
        written.push(await writeEventClip(deps, { cameraId: ev.cameraId, eventId: ev.id, sequence: ++sequence, plan, liveDir }));
      } catch (err) {
        log.error("salvage: clip not written", { event: ev.id, error: String(err) });
        break;
      }
      from = plan.endMs;
    }
    const savedMs = written.reduce((n, c) => n + (c.endMs - c.startMs), 0);
    result.clips += written.length;
    result.savedMs += savedMs;
    const allClips = [...existing, ...written];
    const endMs = allClips.length ? Math.max(...allClips.map((c) => c.endMs)) : ev.startedAt.getTime();
    if (ev.cameraId && to > wantFrom && from < to - 1_000) {
      await recordDiagnostic(deps.db, ev.cameraId, "error", { source: "recorder", problem: "footage_lost", event: ev.id, from: new Date(from).toISOString(), to: new Date(to).toISOString(), seconds: Math.round((to - from) / 100) / 10 }).catch(() => undefined);
    }
    if (!allClips.length) {
      // Nothing of the event is on disk any more: a diagnostic says what was lost, and the empty event goes.
      if (ev.cameraId) await recordDiagnostic(deps.db, ev.cameraId, "error", { source: "recorder", problem: "footage_lost", event: ev.id, from: new Date(wantFrom).toISOString(), to: new Date(Math.max(wantFrom, to)).toISOString(), seconds: null }).catch(() => undefined);
      await deleteEvents(deps.db, deps.dataDir, [ev.id], "event_delete");
      result.removed++;
      continue;
    }
    await deps.db.event.update({ where: { id: ev.id }, data: { endedAt: new Date(endMs) } });
    if (!ev.photo && written.length) {
      const peakAt = ev.peakAt?.getTime() ?? ev.startedAt.getTime();
      await writeEventPhotoFor(deps, ev.id, written, peakAt).catch((err) => log.warn("salvage: photo failed", { event: ev.id, error: String(err) }));
    }
    if (ev.cameraId && written.length) await recordDiagnostic(deps.db, ev.cameraId, "recovered", { event: ev.id, clips: written.length, seconds: Math.round(savedMs / 100) / 10 }).catch(() => undefined);
  }
  if (result.events) log.warn("open events closed after an unclean stop", { ...result });
  return result;
}
