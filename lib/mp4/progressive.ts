// From fragmented to progressive MP4, without I/O: the index (ftyp, moov, the mdat header) of a faststart MP4 holding
// the samples of an init segment's media segments, and the byte ranges of the segments to copy after it, in order.
// The sample descriptions (stsd) are copied byte for byte from the init, so any codec the init declares works
// (avc1/avc3, hvc1/hev1, mp4a, …), except that an H.265 `hev1` entry becomes `hvc1` (sample-entries.ts); the sample tables are built from the fragments (sample-tables.ts) and the edit lists
// by planEdits (edit-lists.ts). Memory is the index: a few numbers per sample, never the sample data.
import { ByteWriter, box, boxHeader, fullBox, U32_MAX } from "./box-writer";
import { type Box, type ByteSource, childBoxes, Mp4FormatError, readFullBox } from "./boxes";
import { needsEditList, planEdits, type TrackEdit } from "./edit-lists";
import { type InitSegment, type InitTrack, isSyncSample, readSegmentRuns, type SampleDefaults, type TrackRun } from "./fragments";
import { stsdWithHvc1 } from "./sample-entries";
import { buildChunkOffsets, buildCtts, buildStsc, buildStss, buildStsz, buildStts, type Chunk } from "./sample-tables";

/** Bytes to copy from segment `segment` (its index in the input list), in output order. */
export type CopyRange = { segment: number; offset: number; bytes: number };

export type ProgressiveTrack = {
  trackId: number;
  /** hdlr handler type: "vide", "soun", … */
  handler: string;
  /** The first sample entry type of stsd: "avc1", "hvc1", "mp4a", … */
  sampleEntry: string;
  samples: number;
  syncSamples: number;
  chunks: number;
  timescale: number;
  /** Sum of the sample durations (mdhd), track ticks. */
  mediaDuration: number;
  /** When the track starts after the movie's start (its empty edit), and how long it plays, ms (unrounded). */
  startMs: number;
  durationMs: number;
};

export type ProgressivePlan = {
  /** ftyp + moov + the mdat header: the file's first bytes. */
  header: Buffer;
  /** Then these ranges of the segments, in order: the mdat's payload. */
  copies: CopyRange[];
  /** The file's size when written. */
  bytes: number;
  /** The movie's length (latest track end), ms, unrounded. */
  durationMs: number;
  /** Tracks with samples, in the init's order (tracks without samples in these segments are left out). */
  tracks: ProgressiveTrack[];
};

/** The samples of one track gathered from the segments (decode order). */
class TrackSamples {
  readonly durations: number[] = [];
  readonly sizes: number[] = [];
  readonly compositionOffsets: number[] = [];
  readonly isSync: boolean[] = [];
  readonly chunks: Chunk[] = [];
  /** Index into the plan's output chunk list of each of this track's chunks. */
  readonly chunkOrder: number[] = [];
  firstDecodeTime: number | null = null;
  nextDecodeTime = 0;

  constructor(readonly init: InitTrack) {}
}

/** ftyp of the output: a plain ISO MP4 (isom, iso2, mp41; avc1 with an H.264 track), like ffmpeg's mp4 muxer writes. */
function buildFtyp(tracks: readonly InitTrack[]): Buffer {
  const brands = ["isom", "iso2", ...(tracks.some((t) => t.sampleEntries.some((e) => e === "avc1" || e === "avc3")) ? ["avc1"] : []), "mp41"];
  return box("ftyp", Buffer.from("isom", "latin1"), Uint8Array.of(0, 0, 2, 0), Buffer.from(brands.join(""), "latin1"));
}

/**
 * Reads the fragments of `segments` (each the bytes of one media segment of `init`'s run, in order) and lays out the
 * progressive MP4. Throws an Mp4FormatError naming the segment (by `names`) on malformed or truncated input, on
 * decode times that go backwards, or when there are no samples at all.
 */
export function planProgressiveMp4(initSrc: ByteSource, init: InitSegment, segments: readonly ByteSource[], names: readonly string[] = segments.map((_, i) => `segment ${i}`)): ProgressivePlan {
  const tracks = new Map<number, TrackSamples>(init.tracks.map((t) => [t.trackId, new TrackSamples(t)]));
  const trex = new Map<number, SampleDefaults>(init.tracks.map((t) => [t.trackId, t.defaults]));
  const copies: CopyRange[] = [];
  let chunkCount = 0;

  segments.forEach((src, segment) => {
    const name = names[segment];
    let runs: TrackRun[];
    try {
      runs = readSegmentRuns(src, trex);
    } catch (err) {
      if (err instanceof Mp4FormatError) throw new Mp4FormatError(`${name}: ${err.message}`);
      throw err;
    }
    for (const run of runs) {
      const t = tracks.get(run.trackId)!;
      const { samples } = run;
      if (run.sampleDescriptionIndex < 1 || run.sampleDescriptionIndex > t.init.sampleEntries.length) {
        throw new Mp4FormatError(`${name}: track ${run.trackId} refers to sample description ${run.sampleDescriptionIndex} of ${t.init.sampleEntries.length}`);
      }
      if (t.firstDecodeTime === null) {
        t.firstDecodeTime = t.nextDecodeTime = run.decodeTime ?? 0;
      } else if (run.decodeTime !== null && run.decodeTime !== t.nextDecodeTime) {
        // The fragment says where it starts: the previous sample lasts until then (as a -c copy remux does), so a
        // small gap or overlap between fragments moves no later sample.
        const last = t.durations.length - 1;
        const stretched = t.durations[last] + run.decodeTime - t.nextDecodeTime;
        if (stretched < 0 || stretched > U32_MAX) throw new Mp4FormatError(`${name}: track ${run.trackId} starts at decode time ${run.decodeTime}, the previous fragment ends at ${t.nextDecodeTime}`);
        t.durations[last] = stretched;
        t.nextDecodeTime = run.decodeTime;
      }
      for (let i = 0; i < samples.count; i++) {
        t.durations.push(samples.durations[i]);
        t.sizes.push(samples.sizes[i]);
        t.compositionOffsets.push(samples.compositionOffsets ? samples.compositionOffsets[i] : 0);
        t.isSync.push(isSyncSample(samples.flags[i]));
        t.nextDecodeTime += samples.durations[i];
      }
      t.chunks.push({ samples: samples.count, sampleDescriptionIndex: run.sampleDescriptionIndex });
      t.chunkOrder.push(chunkCount++);
      const previous = copies[copies.length - 1];
      if (previous && previous.segment === segment && previous.offset + previous.bytes === run.dataOffset) previous.bytes += run.dataBytes;
      else copies.push({ segment, offset: run.dataOffset, bytes: run.dataBytes });
    }
  });

  const kept = [...tracks.values()].filter((t) => t.durations.length > 0);
  if (!kept.length) throw new Mp4FormatError(`no samples in ${segments.length} segment(s)`);

  const edits = planEdits(
    kept.map((t) => {
      let start = Infinity;
      let end = -Infinity;
      for (let i = 0, dts = 0; i < t.durations.length; dts += t.durations[i], i++) {
        start = Math.min(start, dts + t.compositionOffsets[i]);
        end = Math.max(end, dts + t.compositionOffsets[i] + t.durations[i]);
      }
      return { timescale: t.init.timescale, firstDecodeTime: t.firstDecodeTime!, presentationStart: start, presentationEnd: end, initEdit: t.init.edit };
    }),
    init.movieTimescale,
  );
  kept.forEach((t, i) => {
    const shift = edits[i].compositionShift;
    if (shift) for (let k = 0; k < t.compositionOffsets.length; k++) t.compositionOffsets[k] += shift;
  });

  // Chunk sizes in output order, then each chunk's offset once the index's size is known.
  const chunkBytes = new Array<number>(chunkCount).fill(0);
  for (const t of kept) {
    let sample = 0;
    t.chunks.forEach((c, k) => {
      let bytes = 0;
      for (let i = 0; i < c.samples; i++) bytes += t.sizes[sample + i];
      sample += c.samples;
      chunkBytes[t.chunkOrder[k]] = bytes;
    });
  }
  const dataBytes = chunkBytes.reduce((a, b) => a + b, 0);
  const ftyp = buildFtyp(kept.map((t) => t.init));
  const mdatHeader = boxHeader("mdat", dataBytes);
  const offsetsAt = (mdatBody: number): number[] => {
    const at = new Array<number>(chunkCount);
    for (let k = 0, o = mdatBody; k < chunkCount; o += chunkBytes[k], k++) at[k] = o;
    return at;
  };
  const build = (chunkOffsets: number[], isLarge: boolean) => buildMoov(initSrc, init, kept, edits, chunkOffsets, isLarge);
  // The index's size depends on stco vs co64, which depends on the offsets, which depend on the index's size: size it
  // with stco first; only if an offset then passes 4 GiB, size it again with co64 (which fits any offset).
  // Sizing passes use placeholder offsets (0): the values do not change the size, only stco vs co64 does.
  const placeholders = new Array<number>(chunkCount).fill(0);
  let isLarge = false;
  let moovBytes = build(placeholders, false).length;
  let offsets = offsetsAt(ftyp.length + moovBytes + mdatHeader.length);
  if (offsets.some((o) => o > U32_MAX)) {
    isLarge = true;
    moovBytes = build(placeholders, true).length;
    offsets = offsetsAt(ftyp.length + moovBytes + mdatHeader.length);
  }
  const moov = build(offsets, isLarge);
  const header = Buffer.concat([ftyp, moov, mdatHeader]);

  return {
    header,
    copies,
    bytes: header.length + dataBytes,
    durationMs: Math.max(...edits.map((e) => (e.startSeconds + e.durationSeconds) * 1000)),
    tracks: kept.map((t, i) => ({
      trackId: t.init.trackId,
      handler: t.init.handler,
      sampleEntry: t.init.sampleEntries[0],
      samples: t.durations.length,
      syncSamples: t.isSync.filter(Boolean).length,
      chunks: t.chunks.length,
      timescale: t.init.timescale,
      mediaDuration: t.durations.reduce((a, b) => a + b, 0),
      startMs: edits[i].startSeconds * 1000,
      durationMs: edits[i].durationSeconds * 1000,
    })),
  };
}

// ── moov ────────────────────────────────────────────────────────────────────────────────────────────────────────

const bytesOf = (src: ByteSource, b: Box) => src.read(b.start, b.end - b.start);

/**
 * mvhd, tkhd and mdhd with a new duration, everything else as the init had it. Version 1 (64-bit times) only when a
 * value needs it. Between the times and the duration, mvhd and mdhd have the timescale, tkhd track_ID and 4 reserved bytes.
 */
function withDuration(src: ByteSource, b: Box, duration: number, kind: "mvhd" | "tkhd" | "mdhd"): Buffer {
  const { version, flags, fields } = readFullBox(src, b);
  const creation = fields.uv(version, "creation_time");
  const modification = fields.uv(version, "modification_time");
  const middle = fields.slice(kind === "tkhd" ? 8 : 4, kind === "tkhd" ? "track_ID" : "timescale"); // tkhd: track_ID + reserved; else timescale
  fields.uv(version, "duration");
  const rest = fields.slice(fields.remaining);
  const v = Math.max(creation, modification, duration) > U32_MAX ? 1 : 0;
  return fullBox(kind, v, flags, new ByteWriter().uv(v, creation).uv(v, modification).bytes(middle).uv(v, duration).bytes(rest).toBuffer());
}

function buildEdts(edit: TrackEdit): Buffer {
  const entries: [number, number][] = [...(edit.emptyTicks > 0 ? [[edit.emptyTicks, -1] as [number, number]] : []), [edit.durationTicks, edit.mediaTime]];
  const v = entries.some(([d, m]) => d > U32_MAX || m > 0x7fff_ffff) ? 1 : 0;
  const w = new ByteWriter().u32(entries.length);
  for (const [duration, mediaTime] of entries) {
    w.uv(v, duration);
    if (v === 1) w.bytes(mediaTime < 0 ? Buffer.alloc(8, 0xff) : new ByteWriter().u64(mediaTime).toBuffer());
    else w.i32(mediaTime);
    w.u16(1).u16(0); // media_rate 1.0
  }
  return box("edts", fullBox("elst", v, 0, w.toBuffer()));
}

function buildMoov(src: ByteSource, init: InitSegment, tracks: readonly TrackSamples[], edits: readonly TrackEdit[], chunkOffsets: readonly number[], isLarge: boolean): Buffer {
  const trackEnd = edits.map((e) => e.emptyTicks + e.durationTicks); // movie ticks
  const children: Uint8Array[] = [];
  for (const b of childBoxes(src, init.moov)) {
    if (b.type === "mvhd") children.push(withDuration(src, b, Math.max(...trackEnd), "mvhd"));
    else if (b.type === "trak") {
      const i = tracks.findIndex((t) => t.init.boxes.trak.start === b.start);
      if (i >= 0) children.push(buildTrak(src, tracks[i], edits[i], trackEnd[i], tracks[i].chunkOrder.map((k) => chunkOffsets[k]), isLarge));
    } else if (b.type !== "mvex") children.push(bytesOf(src, b)); // udta, meta, …: as they were
  }
  return box("moov", ...children);
}

function buildTrak(src: ByteSource, t: TrackSamples, edit: TrackEdit, movieDuration: number, chunkOffsets: number[], isLarge: boolean): Buffer {
  const { boxes } = t.init;
  const children: Uint8Array[] = [];
  for (const b of childBoxes(src, boxes.trak)) {
    if (b.type === "tkhd") {
      children.push(withDuration(src, b, movieDuration, "tkhd"));
      if (needsEditList(edit)) children.push(buildEdts(edit));
    } else if (b.type === "mdia") children.push(replaceChildren(src, b, { mdhd: () => withDuration(src, boxes.mdhd, t.durations.reduce((a, c) => a + c, 0), "mdhd"), minf: () => replaceChildren(src, boxes.minf, { stbl: () => buildStbl(src, t, chunkOffsets, isLarge) }) }));
    else if (b.type !== "edts") children.push(bytesOf(src, b)); // tref, udta, …: as they were
  }
  return box("trak", ...children);
}

/** A container box with some children rebuilt and the rest copied, in the original order. */
function replaceChildren(src: ByteSource, parent: Box, replace: Record<string, () => Uint8Array>): Buffer {
  return box(parent.type, ...childBoxes(src, parent).map((b) => (replace[b.type] ? replace[b.type]() : bytesOf(src, b))));
}

function buildStbl(src: ByteSource, t: TrackSamples, chunkOffsets: number[], isLarge: boolean): Buffer {
  // hev1 → hvc1 where the parameter sets are in hvcC (sample-entries.ts): Safari and iOS play only hvc1.
  const parts = [stsdWithHvc1(bytesOf(src, t.init.boxes.stsd)), buildStts(t.durations), buildStss(t.isSync), buildCtts(t.compositionOffsets), buildStsc(t.chunks), buildStsz(t.sizes), buildChunkOffsets(chunkOffsets, isLarge)];
  return box("stbl", ...parts.filter((p): p is Uint8Array => p !== null));
}
