// The H.265 (HEVC) sequence parameter set: the profile, tier, level, chroma format, bit depths and picture size a
// stream declares (H.265 §7.3.2.2.1 seq_parameter_set_rbsp up to bit_depth_chroma_minus8, with §7.3.3
// profile_tier_level), read without decoding anything. Emulation prevention and Exp-Golomb: lib/h264/rbsp.ts (the
// same rules as H.264's). Used by the recorder to notice resolution changes (lib/recording/video-format.ts). Pure.
import { BitReader, unescapeRbsp } from "../h264/rbsp";

/** NAL unit types (H.265 table 7-1): 0–31 are slices (VCL), 32 VPS, 33 SPS, 34 PPS. */
export const HEVC_NAL_VPS = 32;
export const HEVC_NAL_SPS = 33;
export const HEVC_NAL_PPS = 34;
/** Bytes of an H.265 NAL unit header (§7.3.1.2): forbidden_zero_bit, nal_unit_type (6), nuh_layer_id (6), temporal id (3). */
export const HEVC_NAL_HEADER_BYTES = 2;

/** nal_unit_type of a NAL unit whose first header byte is `b` (H.265 §7.3.1.2). */
export const hevcNalType = (b: number): number => (b >> 1) & 0x3f;
/** nuh_layer_id of a NAL unit whose header bytes are `b0`, `b1`: 0 for the base layer, the only one a single-layer stream has. */
export const hevcLayerId = (b0: number, b1: number): number => ((b0 & 1) << 5) | (b1 >> 3);

export type HevcSpsInfo = {
  /** general_profile_space: 0 in every stream of the current standard. */
  generalProfileSpace: number;
  /** general_profile_idc: 1 Main, 2 Main 10, 3 Main Still Picture, 4 format range extensions (RExt: 4:2:2, 4:4:4, …). */
  generalProfileIdc: number;
  /** general_tier_flag: false the Main tier, true the High tier. */
  generalTierFlag: boolean;
  /** general_level_idc: 30 × the level number (93 = level 3.1, 120 = level 4). */
  generalLevelIdc: number;
  /** sps_max_sub_layers_minus1 + 1: temporal sub-layers, 1 to 7. */
  maxSubLayers: number;
  /** 0 monochrome, 1 4:2:0, 2 4:2:2, 3 4:4:4. */
  chromaFormatIdc: number;
  /** 4:4:4 coded as three separate monochrome planes. */
  separateColourPlane: boolean;
  /** Bits per sample, 8 to 16. */
  bitDepthLuma: number;
  bitDepthChroma: number;
  /** Decoded picture size in luma samples (pic_width/height_in_luma_samples), a multiple of the minimum coding block. */
  codedWidth: number;
  codedHeight: number;
  /** Output picture size in pixels: the coded size less the conformance window. */
  width: number;
  height: number;
};

/** Bits of the profile part of profile_tier_level (§7.3.3): space 2, tier 1, idc 5, 32 compatibility flags, 4 source and constraint flags, 43 + 1 more. */
const PROFILE_BITS = 2 + 1 + 5 + 32 + 4 + 43 + 1;
/** sps_max_sub_layers_minus1 is 0 to 6 (§7.4.3.2.1). */
const MAX_SUB_LAYERS_MINUS1 = 6;
/** bit_depth_luma/chroma_minus8 are 0 to 8 (§7.4.3.2.1). */
const MAX_BIT_DEPTH_MINUS8 = 8;

/** SubWidthC and SubHeightC (H.265 table 6-1): the conformance window counts chroma samples, these many luma ones each. */
function chromaSubsampling(chromaFormatIdc: number, separateColourPlane: boolean): { subWidthC: number; subHeightC: number } {
  if (separateColourPlane) return { subWidthC: 1, subHeightC: 1 };
  switch (chromaFormatIdc) {
    case 1:
      return { subWidthC: 2, subHeightC: 2 };
    case 2:
      return { subWidthC: 2, subHeightC: 1 };
    default: // 0 monochrome, 3 4:4:4
      return { subWidthC: 1, subHeightC: 1 };
  }
}

/** profile_tier_level(1, maxSubLayersMinus1) (§7.3.3): the general profile, tier and level; the sub-layers' are skipped. */
function readProfileTierLevel(bits: BitReader, maxSubLayersMinus1: number) {
  const generalProfileSpace = bits.u(2);
  const generalTierFlag = bits.u(1) === 1;
  const generalProfileIdc = bits.u(5);
  bits.skip(PROFILE_BITS - 8); // compatibility flags, progressive/interlaced/non-packed/frame-only, constraint flags
  const generalLevelIdc = bits.u(8);
  const subLayers: { profilePresent: number; levelPresent: number }[] = [];
  for (let i = 0; i < maxSubLayersMinus1; i++) subLayers.push({ profilePresent: bits.u(1), levelPresent: bits.u(1) });
  if (maxSubLayersMinus1 > 0) bits.skip(2 * (8 - maxSubLayersMinus1)); // reserved_zero_2bits up to 8 entries
  for (const s of subLayers) {
    if (s.profilePresent) bits.skip(PROFILE_BITS); // sub_layer_profile_space … sub_layer_inbld_flag
    if (s.levelPresent) bits.skip(8); // sub_layer_level_idc
  }
  return { generalProfileSpace, generalTierFlag, generalProfileIdc, generalLevelIdc };
}

/**
 * Decodes an H.265 SPS NAL unit, given with its 2-byte NAL header and without a start code or length prefix. Only
 * base-layer SPS (nuh_layer_id 0) are read: the multi-layer extension's (Annex F) have another syntax. Throws on
 * another NAL unit type, truncated data or out-of-range values.
 */
export function parseHevcSps(nal: Uint8Array): HevcSpsInfo {
  if (!nal.length) throw new Error("not an H.265 SPS NAL unit: no bytes");
  if (hevcNalType(nal[0]) !== HEVC_NAL_SPS) throw new Error(`not an H.265 SPS NAL unit: type ${hevcNalType(nal[0])}, not ${HEVC_NAL_SPS}`);
  if (nal.length < HEVC_NAL_HEADER_BYTES) throw new Error("H.265 SPS truncated: 1 byte of its 2-byte NAL unit header");
  const layerId = hevcLayerId(nal[0], nal[1]);
  if (layerId !== 0) throw new Error(`H.265 SPS of layer ${layerId}: only base-layer SPS are read`);
  const bits = new BitReader(unescapeRbsp(nal.subarray(HEVC_NAL_HEADER_BYTES)), "H.265 SPS");
  bits.skip(4); // sps_video_parameter_set_id
  const maxSubLayersMinus1 = bits.u(3);
  if (maxSubLayersMinus1 > MAX_SUB_LAYERS_MINUS1) throw new Error(`bad sps_max_sub_layers_minus1 ${maxSubLayersMinus1}`);
  bits.skip(1); // sps_temporal_id_nesting_flag
  const ptl = readProfileTierLevel(bits, maxSubLayersMinus1);
  bits.ue(); // sps_seq_parameter_set_id
  const chromaFormatIdc = bits.ue();
  if (chromaFormatIdc > 3) throw new Error(`bad chroma_format_idc ${chromaFormatIdc}`);
  const separateColourPlane = chromaFormatIdc === 3 && bits.u(1) === 1;
  const codedWidth = bits.ue();
  const codedHeight = bits.ue();
  let window = { left: 0, right: 0, top: 0, bottom: 0 };
  if (bits.u(1)) window = { left: bits.ue(), right: bits.ue(), top: bits.ue(), bottom: bits.ue() };
  const lumaMinus8 = bits.ue();
  const chromaMinus8 = bits.ue();
  if (lumaMinus8 > MAX_BIT_DEPTH_MINUS8 || chromaMinus8 > MAX_BIT_DEPTH_MINUS8) throw new Error(`bad bit depth ${lumaMinus8 + 8}/${chromaMinus8 + 8}`);
  // Conformance window offsets are in chroma sample units (§7.4.3.2.1).
  const { subWidthC, subHeightC } = chromaSubsampling(chromaFormatIdc, separateColourPlane);
  const width = codedWidth - subWidthC * (window.left + window.right);
  const height = codedHeight - subHeightC * (window.top + window.bottom);
  if (codedWidth === 0 || codedHeight === 0 || width <= 0 || height <= 0) throw new Error(`H.265 SPS: ${codedWidth}x${codedHeight} less the conformance window leaves no picture`);
  return {
    ...ptl,
    maxSubLayers: maxSubLayersMinus1 + 1,
    chromaFormatIdc,
    separateColourPlane,
    bitDepthLuma: lumaMinus8 + 8,
    bitDepthChroma: chromaMinus8 + 8,
    codedWidth,
    codedHeight,
    width,
    height,
  };
}
