// Which segments make a clip: the fewest whole segments that cover [fromMs, toMs], cut at segment boundaries (so the
// clip is a byte-exact copy of the camera's stream), contiguous within one ffmpeg run. A gap (an outage, a restart,
// footage not recorded yet or already gone) is never spanned: the clip stops at it and the plan says what is missing.
import type { Segment } from "./segments";

export type TimeRange = { fromMs: number; toMs: number };

export type ClipPlan = {
  /** In order, one run, consecutive sequence numbers. Empty when nothing of the range was recorded. */
  segments: Segment[];
  /** Wall-clock span of the chosen segments (may reach beyond the request to the enclosing boundaries); null if empty. */
  startMs: number | null;
  endMs: number | null;
  /** Sum of the segments' media durations: what the written clip must measure, in ms. */
  durationMs: number;
  /** Parts of the requested range the clip does not cover (at most one before and one after). */
  missing: TimeRange[];
  /** Holes in the recording inside the requested range: why something is missing. */
  gaps: TimeRange[];
  isComplete: boolean;
};

export type PlanOptions = {
  /**
   * The instant the clip must contain if it can (e.g. the start of motion): when the range has several recorded
   * stretches, the one containing it is chosen, else the first after it, else the last before it. Default: fromMs.
   */
  anchorMs?: number;
  /** A segment that overlaps the range by at most this much is not taken (timestamp jitter), in ms. Default 20. */
  toleranceMs?: number;
  /** Longest clip: segments are dropped from the end (never from the start) beyond this, in ms. */
  maxDurationMs?: number;
};

function isContiguous(a: Segment, b: Segment): boolean {
  return a.runId === b.runId && b.seq === a.seq + 1;
}

/** Pure: plans one clip from the ring's segments (oldest first). */
export function planClip(segments: readonly Segment[], fromMs: number, toMs: number, options: PlanOptions = {}): ClipPlan {
  if (!(toMs > fromMs)) throw new RangeError("toMs must be after fromMs");
  const tol = options.toleranceMs ?? 20;
  const anchor = Math.min(Math.max(options.anchorMs ?? fromMs, fromMs), toMs);
  const overlapping = segments.filter((s) => s.endMs - fromMs > tol && toMs - s.startMs > tol);

  // Split into contiguous stretches.
  const stretches: Segment[][] = [];
  for (const s of overlapping) {
    const current = stretches[stretches.length - 1];
    if (current && isContiguous(current[current.length - 1], s)) current.push(s);
    else stretches.push([s]);
  }
  const gaps: TimeRange[] = [];
  let covered = fromMs;
  for (const st of stretches) {
    const start = st[0].startMs;
    if (start - covered > tol) gaps.push({ fromMs: covered, toMs: Math.min(start, toMs) });
    covered = Math.max(covered, st[st.length - 1].endMs);
  }
  if (toMs - covered > tol) gaps.push({ fromMs: covered, toMs });

  const chosen =
    stretches.find((st) => st[0].startMs <= anchor + tol && st[st.length - 1].endMs > anchor) ??
    stretches.find((st) => st[0].startMs > anchor) ??
    stretches[stretches.length - 1] ??
    [];
  let picked = chosen;
  if (options.maxDurationMs !== undefined) {
    picked = [];
    let total = 0;
    for (const s of chosen) {
      if (picked.length && total + s.durationMs > options.maxDurationMs + tol) break;
      picked.push(s);
      total += s.durationMs;
    }
  }
  if (!picked.length) return { segments: [], startMs: null, endMs: null, durationMs: 0, missing: [{ fromMs, toMs }], gaps, isComplete: false };
  const startMs = picked[0].startMs;
  const endMs = picked[picked.length - 1].endMs;
  const missing: TimeRange[] = [];
  if (startMs - fromMs > tol) missing.push({ fromMs, toMs: startMs });
  if (toMs - endMs > tol) missing.push({ fromMs: endMs, toMs });
  const durationMs = Math.round(picked.reduce((sum, s) => sum + s.durationMs, 0) * 1000) / 1000;
  return { segments: picked, startMs, endMs, durationMs, missing, gaps, isComplete: missing.length === 0 };
}
