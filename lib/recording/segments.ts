// The recorder's view of its rolling segments: the entries of the HLS playlist ffmpeg rewrites after every completed
// segment (read by lib/ffmpeg/hls.ts) turned into wall-clock segment records, and the ring of recent segments that
// gives the pre-roll. All pure: the caller passes the playlist text and the time it saw it; nothing here reads a clock
// or disk. (The stall rule is the ffmpeg supervisor's: lib/ffmpeg/supervise.ts.)
//
// Time model (see SPIKE-REPORT.md): ffmpeg's EXT-X-PROGRAM-DATE-TIME is its wall clock when the muxer started plus the
// sum of the media durations, so consecutive entries are exactly contiguous but the whole run is shifted late by the
// time ffmpeg spent probing the stream before muxing (≈ 1 s measured). A segment is listed the moment the keyframe that
// ends it arrives, so (time we saw it listed) − (PDT + duration) is an upper bound of that shift; the tracker keeps the
// smallest such bound over recent observations and applies it to every PDT. Durations come from EXTINF (media time).
import { parsePlaylist } from "../ffmpeg/hls";

/** A completed segment on disk, placed on the wall clock. */
export type Segment = {
  /** Identifies the ffmpeg run (its output folder): segments of different runs never join into one clip. */
  runId: string;
  seq: number;
  name: string;
  /** Start on the wall clock, ms since the epoch (PDT corrected by the run's shift). */
  startMs: number;
  /** Media duration, ms (µs precision). */
  durationMs: number;
  /** startMs + durationMs. */
  endMs: number;
  /** When the recorder first saw it listed (ms since the epoch). */
  seenAtMs: number;
};

/** How many recent observations the run's shift is estimated from (tracks a camera clock that drifts slowly). */
export const SHIFT_WINDOW = 60;

/**
 * Follows the playlist of one ffmpeg run. Feed it every version of the playlist with the time it was read; it returns
 * the segments that are new since the last call, in order, placed on the wall clock. Pure apart from its own state.
 */
export class SegmentTracker {
  private lastSeq = -1;
  /** Recent upper bounds of (wall end − PDT end), ms; the smallest is the run's shift. */
  private bounds: number[] = [];
  private nextProgramMs: number | null = null;
  initName: string | null = null;
  isEnded = false;

  constructor(readonly runId: string) {}

  /** The current estimate of how much ffmpeg's program date lags the wall clock (ms, usually negative), or null. */
  get shiftMs(): number | null {
    return this.bounds.length ? Math.min(...this.bounds) : null;
  }

  update(playlistText: string, seenAtMs: number): Segment[] {
    const playlist = parsePlaylist(playlistText);
    this.initName = playlist.initName;
    this.isEnded = playlist.isEnded;
    const fresh = playlist.entries.filter((e) => e.seq > this.lastSeq);
    if (!fresh.length) return [];
    // Program dates of the fresh entries (accumulated when ffmpeg wrote none).
    const programs = fresh.map((e) => {
      const start = e.programDateMs ?? this.nextProgramMs ?? seenAtMs - e.durationMs;
      this.nextProgramMs = start + e.durationMs;
      return start;
    });
    // Every fresh entry ended no later than now: each gives a bound. The last one just ended, so it is the tight one.
    // An ended run's last segment is cut by the stream's end, not by a keyframe arriving now: no bound from it.
    fresh.forEach((e, i) => {
      if (playlist.isEnded && i === fresh.length - 1) return;
      this.bounds.push(seenAtMs - (programs[i] + e.durationMs));
    });
    if (this.bounds.length > SHIFT_WINDOW) this.bounds.splice(0, this.bounds.length - SHIFT_WINDOW);
    const shift = this.shiftMs ?? 0;
    this.lastSeq = fresh[fresh.length - 1].seq;
    return fresh.map((e, i) => {
      const startMs = Math.round((programs[i] + shift) * 1000) / 1000;
      return { runId: this.runId, seq: e.seq, name: e.name, startMs, durationMs: e.durationMs, endMs: Math.round((startMs + e.durationMs) * 1000) / 1000, seenAtMs };
    });
  }
}

/**
 * The recent segments of one camera, oldest first, across ffmpeg runs: the pre-roll and the footage of clips being
 * cut. Keeps every segment that ends within `keepMs` of the newest segment's end. ffmpeg deletes the files
 * (delete_segments with a list at least as long as the ring), so eviction here only forgets.
 */
export class SegmentRing {
  private items: Segment[] = [];

  /** How much footage the ring keeps, ms; may change (motion settings applied to a running recorder). */
  constructor(public keepMs: number) {
    if (!(keepMs > 0)) throw new RangeError("keepMs must be > 0");
  }

  /** Adds segments (in order); returns the ones that fell out of the ring. */
  push(...segments: Segment[]): Segment[] {
    for (const s of segments) {
      const last = this.items[this.items.length - 1];
      if (last && last.runId === s.runId && s.seq <= last.seq) continue; // already known
      this.items.push(s);
    }
    return this.prune();
  }

  /** Forgets every segment of a run (its folder was removed). */
  dropRun(runId: string): Segment[] {
    const dropped = this.items.filter((s) => s.runId === runId);
    this.items = this.items.filter((s) => s.runId !== runId);
    return dropped;
  }

  list(): readonly Segment[] {
    return this.items;
  }

  newest(): Segment | null {
    return this.items[this.items.length - 1] ?? null;
  }

  private prune(): Segment[] {
    const newest = this.newest();
    if (!newest) return [];
    const horizon = newest.endMs - this.keepMs;
    const cut = this.items.findIndex((s) => s.endMs >= horizon);
    const evicted = cut === -1 ? this.items : this.items.slice(0, cut);
    this.items = cut === -1 ? [] : this.items.slice(cut);
    return evicted;
  }
}

/** How many segments ffmpeg must keep listed (and on disk) for a ring of `keepMs` plus the time a clip cut takes. */
export function playlistSizeFor(keepMs: number, segmentMs: number, marginMs = 10_000): number {
  if (!(segmentMs > 0)) throw new RangeError("segmentMs must be > 0");
  return Math.ceil((keepMs + marginMs) / segmentMs) + 1;
}
