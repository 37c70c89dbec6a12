// Reading fragmented MP4 (ISO/IEC 14496-12 §8.8): the tracks an init segment declares (handler, timescale, sample
// descriptions, trex defaults, the start of its edit list) and the samples of media segments (moof → traf → tfhd,
// tfdt, trun → sample sizes, durations, flags, composition offsets and where their bytes are). The defaulting rules
// (trun field → first-sample-flags → tfhd default → trex default; data offsets from base-data-offset, the moof, or
// the previous run) are pure functions over box payloads.
import { type Box, type ByteSource, childBoxes, FieldReader, findPath, listBoxes, Mp4FormatError, readBody, readFullBox, requirePath } from "./boxes";

/** sample_is_non_sync_sample in sample flags (§8.8.3.1): clear on sync samples (keyframes). */
export const SAMPLE_IS_NON_SYNC = 0x0001_0000;
export const isSyncSample = (sampleFlags: number) => (sampleFlags & SAMPLE_IS_NON_SYNC) === 0;

/** Per-sample values a track fragment falls back to (trex in the init, overridden per fragment by tfhd). */
export type SampleDefaults = { sampleDescriptionIndex: number; sampleDuration: number; sampleSize: number; sampleFlags: number };

// ── Pure: box payloads ──────────────────────────────────────────────────────────────────────────────────────────

/** trex (§8.8.3): the track's sample defaults. `payload` is the full box payload (version and flags first). */
export function parseTrex(payload: Uint8Array): SampleDefaults & { trackId: number } {
  const f = new FieldReader(payload, "trex");
  f.skip(4, "version/flags");
  return { trackId: f.u32("track_ID"), sampleDescriptionIndex: f.u32("default_sample_description_index"), sampleDuration: f.u32("default_sample_duration"), sampleSize: f.u32("default_sample_size"), sampleFlags: f.u32("default_sample_flags") };
}

export const TFHD_BASE_DATA_OFFSET = 0x00_0001;
export const TFHD_SAMPLE_DESCRIPTION_INDEX = 0x00_0002;
export const TFHD_DEFAULT_DURATION = 0x00_0008;
export const TFHD_DEFAULT_SIZE = 0x00_0010;
export const TFHD_DEFAULT_FLAGS = 0x00_0020;
export const TFHD_DURATION_IS_EMPTY = 0x01_0000;
export const TFHD_DEFAULT_BASE_IS_MOOF = 0x02_0000;

export type Tfhd = {
  trackId: number;
  /** Absolute offset in the segment's bytes that data offsets count from, when stated. */
  baseDataOffset: number | null;
  /** The fragment's overrides of the trex defaults (null: not stated). */
  sampleDescriptionIndex: number | null;
  sampleDuration: number | null;
  sampleSize: number | null;
  sampleFlags: number | null;
  isDurationEmpty: boolean;
  isDefaultBaseMoof: boolean;
};

/** tfhd (§8.8.7). */
export function parseTfhd(payload: Uint8Array): Tfhd {
  const f = new FieldReader(payload, "tfhd");
  f.skip(1, "version");
  const flags = f.u24("flags");
  const opt = (bit: number, read: () => number) => (flags & bit ? read() : null);
  return {
    trackId: f.u32("track_ID"),
    baseDataOffset: opt(TFHD_BASE_DATA_OFFSET, () => f.u64("base_data_offset")),
    sampleDescriptionIndex: opt(TFHD_SAMPLE_DESCRIPTION_INDEX, () => f.u32("sample_description_index")),
    sampleDuration: opt(TFHD_DEFAULT_DURATION, () => f.u32("default_sample_duration")),
    sampleSize: opt(TFHD_DEFAULT_SIZE, () => f.u32("default_sample_size")),
    sampleFlags: opt(TFHD_DEFAULT_FLAGS, () => f.u32("default_sample_flags")),
    isDurationEmpty: (flags & TFHD_DURATION_IS_EMPTY) !== 0,
    isDefaultBaseMoof: (flags & TFHD_DEFAULT_BASE_IS_MOOF) !== 0,
  };
}

/** tfdt (§8.8.12): the decode time of the fragment's first sample, in the track's timescale. */
export function parseTfdt(payload: Uint8Array): number {
  const f = new FieldReader(payload, "tfdt");
  const version = f.u8("version");
  f.skip(3, "flags");
  return f.uv(version, "baseMediaDecodeTime");
}

export const TRUN_DATA_OFFSET = 0x00_0001;
export const TRUN_FIRST_SAMPLE_FLAGS = 0x00_0004;
export const TRUN_SAMPLE_DURATION = 0x00_0100;
export const TRUN_SAMPLE_SIZE = 0x00_0200;
export const TRUN_SAMPLE_FLAGS = 0x00_0400;
export const TRUN_SAMPLE_COMPOSITION_OFFSET = 0x00_0800;

export type Trun = {
  sampleCount: number;
  /** Signed, relative to the fragment's base data offset; null: the run follows the previous one. */
  dataOffset: number | null;
  firstSampleFlags: number | null;
  /** Per-sample fields, null where the run does not carry them. */
  durations: Uint32Array | null;
  sizes: Uint32Array | null;
  flags: Uint32Array | null;
  /** Version 0: unsigned; version 1: signed. */
  compositionOffsets: Float64Array | null;
};

/** trun (§8.8.8). */
export function parseTrun(payload: Uint8Array): Trun {
  const f = new FieldReader(payload, "trun");
  const version = f.u8("version");
  const flags = f.u24("flags");
  const sampleCount = f.u32("sample_count");
  const dataOffset = flags & TRUN_DATA_OFFSET ? f.i32("data_offset") : null;
  const firstSampleFlags = flags & TRUN_FIRST_SAMPLE_FLAGS ? f.u32("first_sample_flags") : null;
  const fields = [TRUN_SAMPLE_DURATION, TRUN_SAMPLE_SIZE, TRUN_SAMPLE_FLAGS, TRUN_SAMPLE_COMPOSITION_OFFSET].filter((b) => flags & b).length;
  if (sampleCount * fields * 4 > f.remaining) throw new Mp4FormatError(`trun: ${sampleCount} samples × ${fields * 4} bytes do not fit in the ${f.remaining} bytes left`);
  const durations = flags & TRUN_SAMPLE_DURATION ? new Uint32Array(sampleCount) : null;
  const sizes = flags & TRUN_SAMPLE_SIZE ? new Uint32Array(sampleCount) : null;
  const sampleFlags = flags & TRUN_SAMPLE_FLAGS ? new Uint32Array(sampleCount) : null;
  const offsets = flags & TRUN_SAMPLE_COMPOSITION_OFFSET ? new Float64Array(sampleCount) : null;
  for (let i = 0; i < sampleCount; i++) {
    if (durations) durations[i] = f.u32("sample_duration");
    if (sizes) sizes[i] = f.u32("sample_size");
    if (sampleFlags) sampleFlags[i] = f.u32("sample_flags");
    if (offsets) offsets[i] = version === 0 ? f.u32("sample_composition_time_offset") : f.i32("sample_composition_time_offset");
  }
  return { sampleCount, dataOffset, firstSampleFlags, durations, sizes, flags: sampleFlags, compositionOffsets: offsets };
}

/** The defaults a track fragment's runs fall back to: the tfhd's where it states them, else the track's trex. */
export function resolveDefaults(tfhd: Tfhd, trex: SampleDefaults): SampleDefaults {
  return {
    sampleDescriptionIndex: tfhd.sampleDescriptionIndex ?? trex.sampleDescriptionIndex,
    sampleDuration: tfhd.sampleDuration ?? trex.sampleDuration,
    sampleSize: tfhd.sampleSize ?? trex.sampleSize,
    sampleFlags: tfhd.sampleFlags ?? trex.sampleFlags,
  };
}

/** The samples of one run with every field resolved. `compositionOffsets` is null when the run has none (all 0). */
export type Samples = { count: number; durations: Uint32Array; sizes: Uint32Array; flags: Uint32Array; compositionOffsets: Float64Array | null };

/**
 * Resolves each sample's fields: the run's per-sample value, else (flags of the first sample) first-sample-flags,
 * else the fragment's defaults (resolveDefaults). Per-sample flags win over first-sample-flags when a run has both
 * (the standard does not say; ffmpeg's reader does the same).
 */
export function expandTrun(trun: Trun, defaults: SampleDefaults): Samples {
  const n = trun.sampleCount;
  let flags = trun.flags;
  if (!flags) {
    flags = new Uint32Array(n).fill(defaults.sampleFlags);
    if (n > 0 && trun.firstSampleFlags !== null) flags[0] = trun.firstSampleFlags;
  }
  return {
    count: n,
    durations: trun.durations ?? new Uint32Array(n).fill(defaults.sampleDuration),
    sizes: trun.sizes ?? new Uint32Array(n).fill(defaults.sampleSize),
    flags,
    compositionOffsets: trun.compositionOffsets,
  };
}

// ── Media segments ──────────────────────────────────────────────────────────────────────────────────────────────

/** One trun's samples: contiguous bytes of one track in the segment. */
export type TrackRun = {
  trackId: number;
  sampleDescriptionIndex: number;
  /** The traf's tfdt when this is the traf's first run (track timescale); null otherwise or without tfdt. */
  decodeTime: number | null;
  /** Where the run's bytes are in the segment, and how many. */
  dataOffset: number;
  dataBytes: number;
  samples: Samples;
};

/** Boxes inside a traf that mean the samples are encrypted (Common Encryption, ISO/IEC 23001-7). */
const ENCRYPTION_BOXES = new Set(["senc", "saiz", "saio"]);

/**
 * The runs of every track fragment of a media segment (one or more moof + mdat pairs; styp, sidx, prft, emsg, free
 * and others are skipped), in file order. `trex` gives each track's defaults (readInitSegment). Throws an
 * Mp4FormatError on a truncated or malformed segment, a track the init does not declare, or a run whose bytes are
 * not inside an mdat.
 */
export function readSegmentRuns(src: ByteSource, trex: ReadonlyMap<number, SampleDefaults>): TrackRun[] {
  const top = listBoxes(src, 0, src.size);
  const mdats = top.filter((b) => b.type === "mdat");
  const runs: TrackRun[] = [];
  let moofs = 0;
  for (const moof of top) {
    if (moof.type !== "moof") continue;
    moofs++;
    let previousTrafEnd = moof.start;
    for (const traf of childBoxes(src, moof)) {
      if (traf.type !== "traf") continue;
      const children = childBoxes(src, traf);
      const encrypted = children.find((b) => ENCRYPTION_BOXES.has(b.type));
      if (encrypted) throw new Mp4FormatError(`traf at ${traf.start}: encrypted samples ('${encrypted.type}') are not supported`);
      const tfhdBox = children.find((b) => b.type === "tfhd");
      if (!tfhdBox) throw new Mp4FormatError(`traf at ${traf.start} has no tfhd`);
      const tfhd = parseTfhd(readBody(src, tfhdBox));
      const defaults = trex.get(tfhd.trackId);
      if (!defaults) throw new Mp4FormatError(`traf at ${traf.start}: track ${tfhd.trackId} is not in the init segment`);
      const resolved = resolveDefaults(tfhd, defaults);
      const tfdtBox = children.find((b) => b.type === "tfdt");
      let decodeTime = tfdtBox ? parseTfdt(readBody(src, tfdtBox)) : null;
      // §8.8.7.1: the base is base-data-offset if stated, else the moof (default-base-is-moof, or the first traf),
      // else the end of the data of the previous track fragment.
      const base = tfhd.baseDataOffset ?? (tfhd.isDefaultBaseMoof ? moof.start : previousTrafEnd);
      let next = base; // §8.8.8: a run without data_offset follows the previous run, or starts at the base
      for (const trunBox of children) {
        if (trunBox.type !== "trun") continue;
        const trun = parseTrun(readBody(src, trunBox));
        const samples = expandTrun(trun, resolved);
        const dataOffset = trun.dataOffset === null ? next : base + trun.dataOffset;
        let dataBytes = 0;
        for (let i = 0; i < samples.count; i++) dataBytes += samples.sizes[i];
        if (samples.count > 0) {
          if (!mdats.some((m) => dataOffset >= m.body && dataOffset + dataBytes <= m.end)) {
            throw new Mp4FormatError(`track ${tfhd.trackId}: ${samples.count} samples at ${dataOffset}+${dataBytes} are not inside an mdat (${mdats.map((m) => `${m.body}..${m.end}`).join(", ") || "none"})`);
          }
          runs.push({ trackId: tfhd.trackId, sampleDescriptionIndex: resolved.sampleDescriptionIndex, decodeTime, dataOffset, dataBytes, samples });
          decodeTime = null;
        }
        next = dataOffset + dataBytes;
      }
      previousTrafEnd = next;
    }
  }
  if (!moofs) throw new Mp4FormatError(`no moof: not an fMP4 media segment (${top.map((b) => b.type).join(",") || "empty"})`);
  return runs;
}

// ── Init segment ────────────────────────────────────────────────────────────────────────────────────────────────

export type InitTrack = {
  trackId: number;
  /** hdlr handler_type: "vide", "soun", … */
  handler: string;
  /** mdhd timescale: ticks per second of the track's sample times. */
  timescale: number;
  /** The sample entry types of stsd, e.g. ["avc1"], ["hvc1"], ["mp4a"]. */
  sampleEntries: string[];
  defaults: SampleDefaults;
  /** The start of the init's edit list: the leading empty edit (movie timescale) and the first edit's media time (track timescale); zeros without one. */
  edit: { emptyTicks: number; mediaTime: number };
  boxes: { trak: Box; tkhd: Box; mdia: Box; mdhd: Box; minf: Box; stbl: Box; stsd: Box };
};

export type InitSegment = {
  moov: Box;
  mvhd: Box;
  /** mvhd timescale: ticks per second of the movie's durations and edit lists. */
  movieTimescale: number;
  tracks: InitTrack[];
};

/** Sample entry types of protected (encrypted) tracks (ISO/IEC 14496-12 §8.12). */
const ENCRYPTED_ENTRIES = new Set(["encv", "enca", "enct", "encs", "encm", "encf", "resv"]);

/** mdhd/mvhd (§8.4.2, §8.2.2): the timescale, after the creation and modification times. */
function readTimescale(src: ByteSource, box: Box): number {
  const { version, fields } = readFullBox(src, box);
  fields.skip(version === 1 ? 16 : 8, "creation/modification time");
  return fields.u32("timescale");
}

/**
 * The start of an edit list (elst, §8.6.6): leading empty edits (media_time −1) add up to `emptyTicks`; the first real
 * edit's media_time is `mediaTime`. Later entries are not needed for clips cut from the media.
 */
export function parseEditStart(payload: Uint8Array): { emptyTicks: number; mediaTime: number } {
  const f = new FieldReader(payload, "elst");
  const version = f.u8("version");
  f.skip(3, "flags");
  const entries = f.u32("entry_count");
  let emptyTicks = 0;
  for (let i = 0; i < entries; i++) {
    const duration = f.uv(version, "segment_duration");
    let mediaTime: number;
    if (version === 1) {
      const hi = f.u32("media_time");
      const lo = f.u32("media_time");
      mediaTime = hi === 0xffff_ffff && lo === 0xffff_ffff ? -1 : hi >= 0x20_0000 ? NaN : hi * 0x1_0000_0000 + lo;
    } else mediaTime = f.i32("media_time");
    f.skip(4, "media_rate");
    if (mediaTime === -1) emptyTicks += duration;
    else if (Number.isFinite(mediaTime) && mediaTime >= 0) return { emptyTicks, mediaTime };
    else throw new Mp4FormatError(`elst: media_time ${mediaTime} of entry ${i}`);
  }
  return { emptyTicks, mediaTime: 0 };
}

/** The tracks of a fragmented MP4's init segment (ftyp + moov with mvex). Throws an Mp4FormatError on anything else. */
export function readInitSegment(src: ByteSource): InitSegment {
  const moov = requirePath(src, ["moov"]);
  const mvhd = requirePath(src, ["mvhd"], moov);
  const mvex = findPath(src, ["mvex"], moov);
  if (!mvex) throw new Mp4FormatError("moov has no mvex: not a fragmented MP4 init segment");
  const trex = new Map<number, SampleDefaults>();
  for (const b of childBoxes(src, mvex)) {
    if (b.type !== "trex") continue;
    const t = parseTrex(readBody(src, b));
    trex.set(t.trackId, t);
  }
  const tracks: InitTrack[] = [];
  for (const trak of childBoxes(src, moov)) {
    if (trak.type !== "trak") continue;
    const tkhd = requirePath(src, ["tkhd"], trak);
    const { version, fields } = readFullBox(src, tkhd);
    fields.skip(version === 1 ? 16 : 8, "creation/modification time");
    const trackId = fields.u32("track_ID");
    const mdia = requirePath(src, ["mdia"], trak);
    const mdhd = requirePath(src, ["mdhd"], mdia);
    const hdlr = requirePath(src, ["hdlr"], mdia);
    const minf = requirePath(src, ["minf"], mdia);
    const stbl = requirePath(src, ["stbl"], minf);
    const stsd = requirePath(src, ["stsd"], stbl);
    const handlerFields = readFullBox(src, hdlr).fields;
    handlerFields.skip(4, "pre_defined");
    const handler = String.fromCharCode(...handlerFields.slice(4, "handler_type"));
    // stsd: version/flags, entry_count, then the sample entries (boxes)
    const sampleEntries = childBoxes(src, stsd, 8).map((b) => b.type);
    const encrypted = sampleEntries.find((t) => ENCRYPTED_ENTRIES.has(t));
    if (encrypted) throw new Mp4FormatError(`track ${trackId}: protected or restricted sample entry '${encrypted}' is not supported`);
    const defaults = trex.get(trackId);
    if (!defaults) throw new Mp4FormatError(`track ${trackId} has no trex in mvex`);
    const elst = findPath(src, ["edts", "elst"], trak);
    tracks.push({
      trackId,
      handler,
      timescale: readTimescale(src, mdhd),
      sampleEntries,
      defaults,
      edit: elst ? parseEditStart(readBody(src, elst)) : { emptyTicks: 0, mediaTime: 0 },
      boxes: { trak, tkhd, mdia, mdhd, minf, stbl, stsd },
    });
  }
  if (!tracks.length) throw new Mp4FormatError("moov has no tracks");
  return { moov, mvhd, movieTimescale: readTimescale(src, mvhd), tracks };
}
