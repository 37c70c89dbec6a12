// The RFC 6381 `codecs` parameter of each track of an MP4 (an init segment or a whole file: whatever holds the moov),
// read from the sample entries' decoder configuration, so that a browser can be asked exactly what it will be given
// (`MediaSource.isTypeSupported('video/mp4; codecs="hvc1.1.6.L93.B0,mp4a.40.2"')`, `video.canPlayType(…)`):
//   H.264  `avc1.PPCCLL` (also avc3): AVCProfileIndication, profile_compatibility (the constraint flags) and
//          AVCLevelIndication of the avcC, two hex digits each (RFC 6381 §3.3).
//   H.265  `hvc1.<A|B|C or nothing><profile_idc>.<compatibility flags, bits reversed, hex>.<L|H><level_idc>.<constraint
//          bytes, hex, trailing zero bytes left out>` (also hev1), from the hvcC (ISO/IEC 14496-15 Annex E.3).
//   AAC    `mp4a.40.<audioObjectType>` from the esds: the ES_Descriptor's DecoderConfigDescriptor (objectTypeIndication
//          0x40, MPEG-4 audio) and its AudioSpecificConfig (ISO/IEC 14496-1 §7.2.6, 14496-3 §1.6.2.1); other object
//          types as `mp4a.<OTI hex>` (RFC 6381 §3.3: e.g. mp4a.6B for MP3).
// Any other sample entry gives its four characters (e.g. "Opus", "fLaC"), which is what browsers expect for those.
// Only box headers and the small configuration boxes are read: cheap on a whole clip file too. Pure over a ByteSource.
import { type Box, type ByteSource, childBoxes, FieldReader, findPath, Mp4FormatError, readBody, readFullBox, withFileSource } from "./boxes";

/** Bytes of a VisualSampleEntry before its child boxes (ISO/IEC 14496-12 §12.1.3), after the box header. */
const VISUAL_SAMPLE_ENTRY_BYTES = 78;
/** Bytes of an AudioSampleEntry before its child boxes (§12.2.3): version 0; QuickTime versions 1 and 2 have more. */
const AUDIO_SAMPLE_ENTRY_BYTES = 28;
const QUICKTIME_SOUND_V1_EXTRA = 16;
const QUICKTIME_SOUND_V2_EXTRA = 36;
/** objectTypeIndication of MPEG-4 audio (ISO/IEC 14496-1 table 5), the "40" of mp4a.40.x. */
const OTI_MPEG4_AUDIO = 0x40;
/** Descriptor tags (ISO/IEC 14496-1 §7.2.2.1). */
const ES_DESCR_TAG = 0x03;
const DECODER_CONFIG_DESCR_TAG = 0x04;
const DEC_SPECIFIC_INFO_TAG = 0x05;

export type TrackKind = "video" | "audio" | "other";

export type TrackCodec = {
  trackId: number;
  kind: TrackKind;
  /** The sample entry's four characters: "avc1", "hvc1", "hev1", "mp4a", … */
  sampleEntry: string;
  /** The RFC 6381 codecs value of this track, e.g. "avc1.64001F", "hvc1.1.6.L93.B0", "mp4a.40.2". */
  codec: string;
  /** Video only: the sample entry's width and height, pixels. */
  width?: number;
  height?: number;
};

const hex2 = (n: number) => n.toString(16).toUpperCase().padStart(2, "0");

/** `avc1.PPCCLL` from an AVCDecoderConfigurationRecord (the avcC box's payload). */
export function avcCodecString(sampleEntry: string, avcC: Uint8Array): string {
  const f = new FieldReader(avcC, "avcC");
  f.u8("configurationVersion");
  const profile = f.u8("AVCProfileIndication");
  const compatibility = f.u8("profile_compatibility");
  const level = f.u8("AVCLevelIndication");
  return `${sampleEntry}.${hex2(profile)}${hex2(compatibility)}${hex2(level)}`;
}

/** The 32 bits of `n` in reverse order (bit 0 becomes bit 31). */
function reverseBits32(n: number): number {
  let out = 0;
  for (let i = 0; i < 32; i++) out = (out << 1) | ((n >>> i) & 1);
  return out >>> 0;
}

/** The fields Annex E's codec string is made of, from an HEVCDecoderConfigurationRecord (the hvcC box's payload). */
export function parseHvcc(hvcC: Uint8Array): { profileSpace: number; tierFlag: boolean; profileIdc: number; compatibilityFlags: number; constraintBytes: number[]; levelIdc: number } {
  const f = new FieldReader(hvcC, "hvcC");
  f.u8("configurationVersion");
  const b = f.u8("general_profile_space/tier/profile_idc");
  const compatibilityFlags = f.u32("general_profile_compatibility_flags");
  const constraintBytes = Array.from(f.slice(6, "general_constraint_indicator_flags"));
  const levelIdc = f.u8("general_level_idc");
  return { profileSpace: b >> 6, tierFlag: (b & 0x20) !== 0, profileIdc: b & 0x1f, compatibilityFlags, constraintBytes, levelIdc };
}

/** `hvc1.1.6.L93.B0` from an hvcC payload (ISO/IEC 14496-15 Annex E.3). */
export function hevcCodecString(sampleEntry: string, hvcC: Uint8Array): string {
  const h = parseHvcc(hvcC);
  const space = ["", "A", "B", "C"][h.profileSpace];
  const constraints = [...h.constraintBytes];
  while (constraints.length && constraints[constraints.length - 1] === 0) constraints.pop();
  const parts = [sampleEntry, `${space}${h.profileIdc}`, reverseBits32(h.compatibilityFlags).toString(16).toUpperCase(), `${h.tierFlag ? "H" : "L"}${h.levelIdc}`, ...constraints.map(hex2)];
  return parts.join(".");
}

/** One descriptor (ISO/IEC 14496-1 §8.3.3): its tag and payload; the size is 1–4 bytes of 7 bits, high bit = more. */
function readDescriptor(f: FieldReader): { tag: number; body: FieldReader } {
  const tag = f.u8("descriptor tag");
  let size = 0;
  for (let i = 0; i < 4; i++) {
    const b = f.u8("descriptor size");
    size = (size << 7) | (b & 0x7f);
    if (!(b & 0x80)) break;
  }
  return { tag, body: new FieldReader(f.slice(Math.min(size, f.remaining), "descriptor payload"), `descriptor 0x${hex2(tag)}`) };
}

/**
 * `mp4a.40.<audioObjectType>` (or `mp4a.<OTI>` for other object types) from an esds payload (version/flags first).
 * An esds without an AudioSpecificConfig gives `mp4a.40` for MPEG-4 audio.
 */
export function mp4aCodecString(esds: Uint8Array): string {
  const f = new FieldReader(esds, "esds");
  f.skip(4, "version/flags");
  const es = readDescriptor(f);
  if (es.tag !== ES_DESCR_TAG) throw new Mp4FormatError(`esds: expected an ES_Descriptor (tag 3), found tag ${es.tag}`);
  const e = es.body;
  e.u16("ES_ID");
  const flags = e.u8("ES flags");
  if (flags & 0x80) e.u16("dependsOn_ES_ID");
  if (flags & 0x40) e.skip(e.u8("URLlength"), "URLstring");
  if (flags & 0x20) e.u16("OCR_ES_Id");
  // The DecoderConfigDescriptor comes first among the ES_Descriptor's children in every writer; look for it anyway.
  while (e.remaining > 0) {
    const d = readDescriptor(e);
    if (d.tag !== DECODER_CONFIG_DESCR_TAG) continue;
    const c = d.body;
    const oti = c.u8("objectTypeIndication");
    c.skip(12, "streamType, bufferSizeDB, maxBitrate, avgBitrate");
    if (oti !== OTI_MPEG4_AUDIO) return `mp4a.${hex2(oti)}`;
    while (c.remaining > 0) {
      const s = readDescriptor(c);
      if (s.tag !== DEC_SPECIFIC_INFO_TAG || s.body.remaining === 0) continue;
      // AudioSpecificConfig: audioObjectType (5 bits); 31 = escape, then 32 + the next 6 bits.
      const b0 = s.body.u8("audioObjectType");
      let aot = b0 >> 3;
      if (aot === 31) aot = 32 + (((b0 & 0x07) << 3) | (s.body.u8("audioObjectTypeExt") >> 5));
      return `mp4a.40.${aot}`;
    }
    return "mp4a.40";
  }
  throw new Mp4FormatError("esds: no DecoderConfigDescriptor");
}

function kindOf(handler: string): TrackKind {
  return handler === "vide" ? "video" : handler === "soun" ? "audio" : "other";
}

/** The codec of one sample entry (a child of stsd). */
function entryCodec(src: ByteSource, entry: Box, kind: TrackKind): Pick<TrackCodec, "codec" | "width" | "height"> {
  const type = entry.type;
  if (kind === "video" || ["avc1", "avc3", "hvc1", "hev1"].includes(type)) {
    const head = new FieldReader(src.read(entry.body, VISUAL_SAMPLE_ENTRY_BYTES), `${type} sample entry`);
    head.skip(24, "reserved, data_reference_index, pre_defined");
    const width = head.u16("width");
    const height = head.u16("height");
    const children = entry.end - entry.body >= VISUAL_SAMPLE_ENTRY_BYTES ? childBoxes(src, entry, VISUAL_SAMPLE_ENTRY_BYTES) : [];
    const config = (name: string) => {
      const box = children.find((b) => b.type === name);
      if (!box) throw new Mp4FormatError(`${type} sample entry at ${entry.start}: no ${name}`);
      return readBody(src, box);
    };
    if (type === "avc1" || type === "avc3") return { codec: avcCodecString(type, config("avcC")), width, height };
    if (type === "hvc1" || type === "hev1") return { codec: hevcCodecString(type, config("hvcC")), width, height };
    return { codec: type, width, height };
  }
  if (type === "mp4a") {
    const version = new FieldReader(src.read(entry.body + 8, 2), "mp4a sample entry").u16("version");
    const skip = AUDIO_SAMPLE_ENTRY_BYTES + (version === 1 ? QUICKTIME_SOUND_V1_EXTRA : version === 2 ? QUICKTIME_SOUND_V2_EXTRA : 0);
    const children = childBoxes(src, entry, skip);
    // QuickTime files may put the esds inside a `wave` box.
    const esds = children.find((b) => b.type === "esds") ?? (children.find((b) => b.type === "wave") ? childBoxes(src, children.find((b) => b.type === "wave")!).find((b) => b.type === "esds") : undefined);
    if (!esds) throw new Mp4FormatError(`mp4a sample entry at ${entry.start}: no esds`);
    return { codec: mp4aCodecString(readBody(src, esds)) };
  }
  return { codec: type };
}

/**
 * Every track of the moov (an init segment or a whole MP4), in file order, with the codec string of its first sample
 * entry. Throws an Mp4FormatError when there is no moov or a configuration box is malformed.
 */
export function readTrackCodecs(src: ByteSource): TrackCodec[] {
  const moov = findPath(src, ["moov"]);
  if (!moov) throw new Mp4FormatError("no moov");
  const tracks: TrackCodec[] = [];
  for (const trak of childBoxes(src, moov).filter((b) => b.type === "trak")) {
    const tkhd = findPath(src, ["tkhd"], trak);
    const hdlr = findPath(src, ["mdia", "hdlr"], trak);
    const stsd = findPath(src, ["mdia", "minf", "stbl", "stsd"], trak);
    if (!tkhd || !hdlr || !stsd) throw new Mp4FormatError(`trak at ${trak.start}: no tkhd, hdlr or stsd`);
    const t = readFullBox(src, tkhd);
    t.fields.uv(t.version, "creation_time");
    t.fields.uv(t.version, "modification_time");
    const trackId = t.fields.u32("track_ID");
    const h = readFullBox(src, hdlr);
    h.fields.u32("pre_defined");
    const handler = String.fromCharCode(...h.fields.slice(4, "handler_type"));
    const entry = childBoxes(src, stsd, 8)[0]; // version/flags, entry_count
    if (!entry) throw new Mp4FormatError(`stsd at ${stsd.start}: no sample entry`);
    const kind = kindOf(handler);
    tracks.push({ trackId, kind, sampleEntry: entry.type, ...entryCodec(src, entry, kind) });
  }
  return tracks;
}

/** readTrackCodecs of a file on disk (reads the box headers and configuration boxes only). */
export function readFileTrackCodecs(file: string): TrackCodec[] {
  return withFileSource(file, readTrackCodecs);
}

/** The MIME type with every video and audio track's codec: `video/mp4; codecs="hvc1.1.6.L93.B0,mp4a.40.2"`. */
export function mp4MimeType(tracks: readonly TrackCodec[]): string {
  const codecs = tracks.filter((t) => t.kind !== "other").map((t) => t.codec);
  return codecs.length ? `video/mp4; codecs="${codecs.join(",")}"` : "video/mp4";
}
