// The H.264 sequence parameter set (SPS): the picture size, profile and level a stream declares (H.264 §7.3.2.1.1,
// Exp-Golomb coded), read without decoding anything. Shared by the recorder (resolution changes,
// lib/recording/video-format.ts) and the camera simulator (SDP and clip checks, lib/simulator/h264.ts). Bit reading:
// lib/h264/rbsp.ts, which the H.265 parser shares. Pure.
import { BitReader, unescapeRbsp } from "./rbsp";

export { unescapeRbsp };

/** NAL unit type of a sequence parameter set (H.264 table 7-1). */
export const NAL_SPS = 7;

export type SpsInfo = {
  profileIdc: number;
  levelIdc: number;
  /** 0 monochrome, 1 4:2:0, 2 4:2:2, 3 4:4:4. */
  chromaFormatIdc: number;
  /** 0: the stream may be interlaced (field pictures or MBAFF). */
  frameMbsOnly: boolean;
  /** Displayed picture size in pixels, after frame cropping. */
  width: number;
  height: number;
};

/** Profiles whose SPS carries chroma_format_idc, bit depths and scaling matrices (H.264 §7.3.2.1.1). */
const HIGH_PROFILES = new Set([100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135]);

function skipScalingList(bits: BitReader, size: number): void {
  let last = 8;
  let next = 8;
  for (let j = 0; j < size; j++) {
    if (next !== 0) next = (last + bits.se() + 256) % 256;
    last = next === 0 ? last : next;
  }
}

/** parseSps plus the sample bit depths (8 to 14; 8 for profiles whose SPS does not state them). */
export type SpsDetails = SpsInfo & { bitDepthLuma: number; bitDepthChroma: number };

/** Decodes an SPS NAL unit (with its one-byte NAL header, without a start code or length prefix). Throws if malformed. */
export function parseSps(nal: Uint8Array): SpsInfo {
  const { profileIdc, levelIdc, chromaFormatIdc, frameMbsOnly, width, height } = parseSpsDetails(nal);
  return { profileIdc, levelIdc, chromaFormatIdc, frameMbsOnly, width, height };
}

/** parseSps with the bit depths. Throws if malformed. */
export function parseSpsDetails(nal: Uint8Array): SpsDetails {
  if (nal.length < 4 || (nal[0] & 0x1f) !== NAL_SPS) throw new Error("not an SPS NAL unit");
  const bits = new BitReader(unescapeRbsp(nal.subarray(1)), "SPS");
  const profileIdc = bits.u(8);
  bits.u(8); // constraint_set0..5 flags + reserved_zero_2bits
  const levelIdc = bits.u(8);
  bits.ue(); // seq_parameter_set_id
  let chromaFormatIdc = 1;
  let separateColourPlane = 0;
  let bitDepthLuma = 8;
  let bitDepthChroma = 8;
  if (HIGH_PROFILES.has(profileIdc)) {
    chromaFormatIdc = bits.ue();
    if (chromaFormatIdc > 3) throw new Error(`bad chroma_format_idc ${chromaFormatIdc}`);
    if (chromaFormatIdc === 3) separateColourPlane = bits.u(1);
    bitDepthLuma = 8 + bits.ue(); // bit_depth_luma_minus8
    bitDepthChroma = 8 + bits.ue(); // bit_depth_chroma_minus8
    bits.u(1); // qpprime_y_zero_transform_bypass_flag
    if (bits.u(1)) {
      // seq_scaling_matrix_present_flag: 8 lists (12 for 4:4:4), 4×4 ones first
      for (let i = 0; i < (chromaFormatIdc !== 3 ? 8 : 12); i++) if (bits.u(1)) skipScalingList(bits, i < 6 ? 16 : 64);
    }
  }
  bits.ue(); // log2_max_frame_num_minus4
  const pocType = bits.ue();
  if (pocType === 0) bits.ue(); // log2_max_pic_order_cnt_lsb_minus4
  else if (pocType === 1) {
    bits.u(1); // delta_pic_order_always_zero_flag
    bits.se(); // offset_for_non_ref_pic
    bits.se(); // offset_for_top_to_bottom_field
    const cycle = bits.ue();
    for (let i = 0; i < cycle; i++) bits.se();
  }
  bits.ue(); // max_num_ref_frames
  bits.u(1); // gaps_in_frame_num_value_allowed_flag
  const widthMbs = bits.ue() + 1;
  const heightMapUnits = bits.ue() + 1;
  const frameMbsOnly = bits.u(1);
  if (!frameMbsOnly) bits.u(1); // mb_adaptive_frame_field_flag
  bits.u(1); // direct_8x8_inference_flag
  let crop = { left: 0, right: 0, top: 0, bottom: 0 };
  if (bits.u(1)) crop = { left: bits.ue(), right: bits.ue(), top: bits.ue(), bottom: bits.ue() };
  // Crop offsets count chroma samples (§7.4.2.1.1): 2 luma columns in 4:2:0/4:2:2, 2 rows in 4:2:0; × 2 for fields.
  const chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc;
  const cropUnitX = chromaArrayType === 1 || chromaArrayType === 2 ? 2 : 1;
  const cropUnitY = (chromaArrayType === 1 ? 2 : 1) * (2 - frameMbsOnly);
  const width = widthMbs * 16 - cropUnitX * (crop.left + crop.right);
  const height = (2 - frameMbsOnly) * heightMapUnits * 16 - cropUnitY * (crop.top + crop.bottom);
  if (width <= 0 || height <= 0) throw new Error("SPS cropping leaves no picture");
  return { profileIdc, levelIdc, chromaFormatIdc, frameMbsOnly: frameMbsOnly === 1, width, height, bitDepthLuma, bitDepthChroma };
}
