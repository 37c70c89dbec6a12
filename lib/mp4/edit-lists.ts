// Pure: where each track of a clip starts and how long it plays, as edit lists (ISO/IEC 14496-12 §8.6.6).
//
// The rule. A clip's samples keep their decode order and durations; the first sample's decode time becomes 0 (a
// progressive MP4 has no tfdt). What the run showed is kept:
//   - Within a track, presentation starts at the clip's earliest composition time (with B-frames, the first keyframe
//     is shown a few frames after it is decoded), but never before the media time at which the init's edit list starts
//     presentation (e.g. AAC priming at the start of a run). That media time becomes the edit's media_time; tracks
//     whose media_time is 0 and that need no delay get no edit list at all.
//   - Between tracks, the offsets the run had are kept: each track's start on the run's presentation timeline (the
//     init's leading empty edit + media time since the init's edit start) is compared with the earliest track's, and a
//     later track gets an empty edit of the difference (rounded down to the movie timescale, as ffmpeg does). So audio
//     and video stay in sync, and a single-track clip always starts at 0.
// Negative composition offsets (trun version 1) cannot be expressed by media_time (which has no negative values), so
// all of a track's composition offsets are shifted up by the same amount (`compositionShift`) and media_time with it.

export type TrackTiming = {
  /** Ticks per second of the track's times. */
  timescale: number;
  /** The decode time (tfdt) of the clip's first sample on the run's media timeline, ticks. */
  firstDecodeTime: number;
  /** The earliest composition time of the clip's samples, relative to firstDecodeTime (may be negative), ticks. */
  presentationStart: number;
  /** The latest composition end (composition time + duration), relative to firstDecodeTime, ticks. */
  presentationEnd: number;
  /** The start of the init's edit list: its leading empty edit (movie ticks) and first media time (track ticks). */
  initEdit: { emptyTicks: number; mediaTime: number };
};

export type TrackEdit = {
  /** Empty edit before the media, movie ticks (0: none). */
  emptyTicks: number;
  /** The media time (track ticks, after the shift, ≥ 0) presented first. */
  mediaTime: number;
  /** How long the media plays, movie ticks. */
  durationTicks: number;
  /** Added to every composition offset of the track (0 unless some are negative). */
  compositionShift: number;
  /** Where the track starts and how long it plays, in seconds (unrounded, for reporting). */
  startSeconds: number;
  durationSeconds: number;
};

/** Whether a track needs an edts box: a delay, or presentation that does not start at media time 0. */
export const needsEditList = (edit: TrackEdit) => edit.emptyTicks > 0 || edit.mediaTime !== 0;

/** Slack for float rounding when converting between timescales: far below one tick of any timescale. */
const EPSILON = 1e-6;

export function planEdits(tracks: readonly TrackTiming[], movieTimescale: number): TrackEdit[] {
  if (!(movieTimescale > 0)) throw new RangeError("movieTimescale must be positive");
  const starts = tracks.map((t) => {
    if (!(t.timescale > 0)) throw new RangeError("timescale must be positive");
    const shownFrom = Math.max(t.firstDecodeTime + t.presentationStart, t.initEdit.mediaTime); // run media time
    const mediaTime = shownFrom - t.firstDecodeTime;
    const durationMedia = Math.max(0, t.firstDecodeTime + t.presentationEnd - shownFrom);
    const startSeconds = t.initEdit.emptyTicks / movieTimescale + (shownFrom - t.initEdit.mediaTime) / t.timescale;
    return { mediaTime, durationMedia, startSeconds, timescale: t.timescale };
  });
  const first = Math.min(...starts.map((s) => s.startSeconds));
  return starts.map((s) => {
    const compositionShift = Math.max(0, -s.mediaTime);
    const delaySeconds = s.startSeconds - first;
    const durationSeconds = s.durationMedia / s.timescale;
    return {
      emptyTicks: Math.floor(delaySeconds * movieTimescale + EPSILON),
      mediaTime: s.mediaTime + compositionShift,
      durationTicks: Math.ceil(durationSeconds * movieTimescale - EPSILON),
      compositionShift,
      startSeconds: delaySeconds,
      durationSeconds,
    };
  });
}
