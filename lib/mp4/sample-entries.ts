// H.265 sample entries as Apple devices want them. ffmpeg's MP4 and HLS fMP4 muxers write H.265 as `hev1` (parameter
// sets may also come in-band) unless told `-tag:v hvc1`, which an H.264 stream refuses, so the ingest (which copies
// whatever the camera sends) cannot ask for it. Safari and iOS play only `hvc1` (ISO/IEC 14496-15 §8.4.1: the
// parameter sets are in the hvcC of the sample entry). ffmpeg always puts the VPS, SPS and PPS into hvcC, so an `hev1`
// entry whose hvcC holds all three is renamed `hvc1` — four bytes, in a copy; nothing else changes. An entry whose
// hvcC lacks one of them stays `hev1` (renaming it would make a file that no decoder can start). Pure.
import { bufferSource, childBoxes, findPath, type Box, type ByteSource } from "./boxes";

/** Bytes of a VisualSampleEntry before its child boxes (ISO/IEC 14496-12 §12.1.3), after the box header. */
const VISUAL_SAMPLE_ENTRY_BYTES = 78;
/** NAL unit types of the parameter sets an hvcC must hold for `hvc1` (H.265 table 7-1): VPS, SPS, PPS. */
const REQUIRED_PARAMETER_SETS = [32, 33, 34];
/** Byte of the HEVCDecoderConfigurationRecord that holds numOfArrays (ISO/IEC 14496-15 §8.3.3.1.2). */
const HVCC_ARRAYS_AT = 22;

/** The NAL unit types of the non-empty parameter set arrays of an HEVCDecoderConfigurationRecord (hvcC's body). */
export function hvccParameterSetTypes(record: Uint8Array): Set<number> {
  const types = new Set<number>();
  if (record.length <= HVCC_ARRAYS_AT) return types;
  let at = HVCC_ARRAYS_AT + 1;
  for (let i = 0; i < record[HVCC_ARRAYS_AT] && at + 3 <= record.length; i++) {
    const type = record[at] & 0x3f;
    const count = (record[at + 1] << 8) | record[at + 2];
    at += 3;
    let present = 0;
    for (let n = 0; n < count && at + 2 <= record.length; n++) {
      const len = (record[at] << 8) | record[at + 1];
      if (at + 2 + len > record.length) return types; // truncated: what was complete
      if (len > 0) present++;
      at += 2 + len;
    }
    if (present > 0) types.add(type);
  }
  return types;
}

function renameHev1Entries(src: ByteSource, stsd: Box, out: Uint8Array, base: number): number {
  let renamed = 0;
  // stsd: version/flags (4), entry_count (4), then the sample entries
  for (const entry of childBoxes(src, stsd, 8)) {
    if (entry.type !== "hev1") continue;
    const hvcC = childBoxes(src, entry, VISUAL_SAMPLE_ENTRY_BYTES).find((b) => b.type === "hvcC");
    if (!hvcC) continue;
    const types = hvccParameterSetTypes(src.read(hvcC.body, hvcC.end - hvcC.body));
    if (!REQUIRED_PARAMETER_SETS.every((t) => types.has(t))) continue;
    out.set([0x68, 0x76, 0x63, 0x31], entry.start + 4 - base); // "hvc1"
    renamed++;
  }
  return renamed;
}

/**
 * A copy of an stsd box (its whole bytes) with every `hev1` entry that carries its VPS, SPS and PPS renamed `hvc1`.
 * Other entries (avc1, mp4a, …) are untouched. Throws an Mp4FormatError on a malformed box.
 */
export function stsdWithHvc1(stsd: Uint8Array): Uint8Array {
  const src = bufferSource(stsd);
  const box = findPath(src, ["stsd"]);
  if (!box) return stsd;
  const out = Uint8Array.from(stsd);
  return renameHev1Entries(src, box, out, 0) ? out : stsd;
}

/**
 * A copy of an init segment (ftyp + moov) with each track's `hev1` entries renamed `hvc1` as stsdWithHvc1 does; the
 * input itself when there is nothing to rename (H.264, or no moov). Same length, so every offset stays valid.
 */
export function initWithHvc1(init: Uint8Array): Uint8Array {
  const src = bufferSource(init);
  const moov = findPath(src, ["moov"]);
  if (!moov) return init;
  const out = Uint8Array.from(init);
  let renamed = 0;
  for (const trak of childBoxes(src, moov).filter((b) => b.type === "trak")) {
    const stsd = findPath(src, ["mdia", "minf", "stbl", "stsd"], trak);
    if (stsd) renamed += renameHev1Entries(src, stsd, out, 0);
  }
  return renamed ? out : init;
}
