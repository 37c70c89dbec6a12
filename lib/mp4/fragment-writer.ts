// Writing one fMP4 fragment (moof + mdat, ISO/IEC 14496-12 §8.8) from samples, in any of the layouts the standard
// allows: per-sample fields or defaults (tfhd, or left to the init's trex), first-sample-flags, several runs per track
// fragment with or without data_offset, base-data-offset / default-base-is-moof / the implicit base, trun and tfdt
// versions 0 and 1. ffmpeg writes only one of these layouts; the tests use this to check the reader against the rest.
import { box, ByteWriter, fullBox } from "./box-writer";
import { TFHD_BASE_DATA_OFFSET, TFHD_DEFAULT_BASE_IS_MOOF, TFHD_DEFAULT_DURATION, TFHD_DEFAULT_FLAGS, TFHD_DEFAULT_SIZE, TFHD_SAMPLE_DESCRIPTION_INDEX, TRUN_DATA_OFFSET, TRUN_FIRST_SAMPLE_FLAGS, TRUN_SAMPLE_COMPOSITION_OFFSET, TRUN_SAMPLE_DURATION, TRUN_SAMPLE_FLAGS, TRUN_SAMPLE_SIZE, type SampleDefaults } from "./fragments";

export type FragmentSample = { duration: number; flags: number; compositionOffset: number; data: Uint8Array };

/** Which values each trun carries per sample; the others come from the tfhd or trex defaults. */
export type TrunFields = { duration: boolean; size: boolean; flags: boolean; compositionOffset: boolean };

export type TrafSpec = {
  trackId: number;
  samples: readonly FragmentSample[];
  /** tfdt (null: no tfdt box), and its version. */
  decodeTime: number | null;
  tfdtVersion?: 0 | 1;
  /** Defaults stated in the tfhd (the rest come from trex). */
  defaults?: Partial<SampleDefaults>;
  /** "moof": default-base-is-moof; "explicit": base-data-offset (the mdat payload's absolute offset); "implicit": neither. */
  base?: "moof" | "explicit" | "implicit";
  /** Sample counts of the runs (default: one run with all samples). */
  runs?: readonly number[];
  fields?: TrunFields;
  /** The first sample's flags as first-sample-flags (only where fields.flags is false). */
  hasFirstSampleFlags?: boolean;
  /** data_offset on every run, on the first only (the rest follow), or on none. */
  dataOffsets?: "every" | "first" | "none";
  trunVersion?: 0 | 1;
};

const ALL_FIELDS: TrunFields = { duration: true, size: true, flags: true, compositionOffset: true };

/**
 * moof + mdat. `fileOffset` is where the moof will be in its file (for base-data-offset); the mdat payload holds the
 * samples of each traf in order, so an implicit base (the end of the previous traf's data) is where the next one begins.
 */
export function writeFragment(trafs: readonly TrafSpec[], options: { sequence: number; fileOffset?: number }): Buffer {
  const fileOffset = options.fileOffset ?? 0;
  const build = (mdatBody: number) => {
    let at = mdatBody; // the next traf's first byte, in the file
    const trafBoxes = trafs.map((t, index) => {
      const baseMode = t.base ?? "moof";
      const base = baseMode === "explicit" ? at : baseMode === "moof" || index === 0 ? fileOffset : at;
      const d = t.defaults ?? {};
      let tfhdFlags = baseMode === "moof" ? TFHD_DEFAULT_BASE_IS_MOOF : baseMode === "explicit" ? TFHD_BASE_DATA_OFFSET : 0;
      const tfhd = new ByteWriter().u32(t.trackId);
      if (baseMode === "explicit") tfhd.u64(base);
      const stated: [number | undefined, number][] = [
        [d.sampleDescriptionIndex, TFHD_SAMPLE_DESCRIPTION_INDEX],
        [d.sampleDuration, TFHD_DEFAULT_DURATION],
        [d.sampleSize, TFHD_DEFAULT_SIZE],
        [d.sampleFlags, TFHD_DEFAULT_FLAGS],
      ];
      for (const [value, flag] of stated) {
        if (value === undefined) continue;
        tfhdFlags |= flag;
        tfhd.u32(value);
      }
      const children = [fullBox("tfhd", 0, tfhdFlags, tfhd.toBuffer())];
      if (t.decodeTime !== null) children.push(fullBox("tfdt", t.tfdtVersion ?? 1, 0, new ByteWriter().uv(t.tfdtVersion ?? 1, t.decodeTime).toBuffer()));
      const fields = t.fields ?? ALL_FIELDS;
      const version = t.trunVersion ?? 0;
      let first = 0;
      (t.runs ?? [t.samples.length]).forEach((count, r) => {
        const samples = t.samples.slice(first, first + count);
        first += count;
        const hasOffset = (t.dataOffsets ?? "every") === "every" || (t.dataOffsets === "first" && r === 0);
        const hasFirstFlags = !!t.hasFirstSampleFlags && !fields.flags && samples.length > 0;
        const flags = (hasOffset ? TRUN_DATA_OFFSET : 0) | (hasFirstFlags ? TRUN_FIRST_SAMPLE_FLAGS : 0) | (fields.duration ? TRUN_SAMPLE_DURATION : 0) | (fields.size ? TRUN_SAMPLE_SIZE : 0) | (fields.flags ? TRUN_SAMPLE_FLAGS : 0) | (fields.compositionOffset ? TRUN_SAMPLE_COMPOSITION_OFFSET : 0);
        const w = new ByteWriter().u32(samples.length);
        if (hasOffset) w.i32(at - base);
        if (hasFirstFlags) w.u32(samples[0].flags);
        for (const s of samples) {
          if (fields.duration) w.u32(s.duration);
          if (fields.size) w.u32(s.data.length);
          if (fields.flags) w.u32(s.flags);
          if (fields.compositionOffset && version) w.i32(s.compositionOffset);
          else if (fields.compositionOffset) w.u32(s.compositionOffset);
          at += s.data.length;
        }
        children.push(fullBox("trun", version, flags, w.toBuffer()));
      });
      return box("traf", ...children);
    });
    return box("moof", fullBox("mfhd", 0, 0, new ByteWriter().u32(options.sequence).toBuffer()), ...trafBoxes);
  };
  const moofBytes = build(0).length; // offsets do not change any size
  const moof = build(fileOffset + moofBytes + 8);
  return Buffer.concat([moof, box("mdat", ...trafs.flatMap((t) => t.samples.map((s) => s.data)))]);
}
