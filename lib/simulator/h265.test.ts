import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { AccessUnit } from "./annexb";
import {
  countHevcRtpPackets,
  findHevcParameterSets,
  h265SdpMedia,
  HevcAnnexBReader,
  hevcNalType,
  packetizeHevcAccessUnit,
  parseHevcAnnexB,
  planHevcPayloads,
} from "./h265";

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ""), "hex");
/**
 * An H.265 NAL of `type` with `size` bytes (nuh_layer_id 0, TemporalId 0 unless given). For slices, the byte after
 * the 2-byte header carries first_slice_segment_in_pic_flag in its top bit.
 */
const nal = (type: number, size: number, opts: { firstSlice?: boolean; layer?: number; tidPlus1?: number } = {}) => {
  const b = Buffer.alloc(size, 0xab);
  const layer = opts.layer ?? 0;
  b[0] = (type << 1) | (layer >> 5);
  b[1] = ((layer & 0x1f) << 3) | (opts.tidPlus1 ?? 1);
  if (type <= 31 && size > 2) b[2] = opts.firstSlice === false ? 0x40 : 0xc0;
  return b;
};
const annexB = (nals: Buffer[], long = true) => Buffer.concat(nals.flatMap((n) => [hex(long ? "00000001" : "000001"), n]));
const [VPS, SPS, PPS, AUD, PREFIX_SEI, SUFFIX_SEI, IDR_W_RADL, IDR_N_LP, CRA, TRAIL_R, TRAIL_N] = [32, 33, 34, 35, 39, 40, 19, 20, 21, 1, 0];

describe("hevcNalType", () => {
  const cases: [string, string, number][] = [
    ["VPS", "4001", 32],
    ["SPS", "4201", 33],
    ["PPS", "4401", 34],
    ["prefix SEI", "4e01", 39],
    ["IDR_N_LP (x265's keyframes)", "2801", 20],
    ["TRAIL_R", "0201", 1],
    ["the forbidden bit and layer bits are not part of the type", "8301", 1],
  ];
  for (const [name, header, type] of cases) test(name, () => assert.equal(hevcNalType(hex(header)), type));
});

describe("HEVC access units (H.265 §7.4.2.4.4)", () => {
  const cases: { name: string; nals: Buffer[]; expected: { types: number[]; isKey: boolean }[] }[] = [
    {
      name: "VPS SPS PPS SEI IDR | P | P (x265 with repeat-headers)",
      nals: [nal(VPS, 20), nal(SPS, 40), nal(PPS, 8), nal(PREFIX_SEI, 30), nal(IDR_N_LP, 500), nal(TRAIL_R, 80), nal(TRAIL_R, 80)],
      expected: [
        { types: [VPS, SPS, PPS, PREFIX_SEI, IDR_N_LP], isKey: true },
        { types: [TRAIL_R], isKey: false },
        { types: [TRAIL_R], isKey: false },
      ],
    },
    {
      name: "slice segments of one picture stay together (first_slice_segment_in_pic_flag 0)",
      nals: [nal(IDR_W_RADL, 300), nal(IDR_W_RADL, 300, { firstSlice: false }), nal(TRAIL_N, 50), nal(TRAIL_N, 50, { firstSlice: false })],
      expected: [
        { types: [IDR_W_RADL, IDR_W_RADL], isKey: true },
        { types: [TRAIL_N, TRAIL_N], isKey: false },
      ],
    },
    {
      name: "AUDs start an access unit and are dropped",
      nals: [nal(AUD, 3), nal(CRA, 100), nal(AUD, 3), nal(TRAIL_R, 20)],
      expected: [
        { types: [CRA], isKey: true },
        { types: [TRAIL_R], isKey: false },
      ],
    },
    {
      name: "a suffix SEI belongs to the picture before it; a prefix SEI to the next",
      nals: [nal(IDR_N_LP, 100), nal(SUFFIX_SEI, 10), nal(PREFIX_SEI, 10), nal(TRAIL_R, 20)],
      expected: [
        { types: [IDR_N_LP, SUFFIX_SEI], isKey: true },
        { types: [PREFIX_SEI, TRAIL_R], isKey: false },
      ],
    },
    {
      name: "IRAP types 16–23 are keyframes (BLA, IDR, CRA); others are not",
      nals: [nal(16, 10), nal(21, 10), nal(23, 10), nal(15, 10), nal(24, 10)],
      expected: [
        { types: [16], isKey: true },
        { types: [21], isKey: true },
        { types: [23], isKey: true },
        { types: [15], isKey: false },
        { types: [24], isKey: false },
      ],
    },
    { name: "parameter sets without a slice are not a picture", nals: [nal(VPS, 20), nal(SPS, 40), nal(PPS, 8)], expected: [] },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const aus = parseHevcAnnexB(annexB(c.nals));
      assert.deepEqual(
        aus.map((au) => ({ types: au.nals.map(hevcNalType), isKey: au.isKey })),
        c.expected,
      );
    });
  }

  test("HevcAnnexBReader fed in arbitrary chunks gives the same access units as parseHevcAnnexB", () => {
    const nals = [nal(VPS, 20), nal(SPS, 40), nal(PPS, 8), nal(IDR_N_LP, 3000), nal(TRAIL_R, 700), nal(TRAIL_R, 50), nal(VPS, 20), nal(SPS, 40), nal(PPS, 8), nal(IDR_N_LP, 2000), nal(TRAIL_R, 10)];
    const data = Buffer.concat([annexB(nals.slice(0, 5), true), annexB(nals.slice(5), false)]);
    const whole = parseHevcAnnexB(data).map((au) => au.nals.map((n) => n.toString("hex")));
    assert.equal(whole.length, 5);
    for (const chunkSize of [1, 2, 3, 7, 64, 1000, data.length]) {
      const got: AccessUnit[] = [];
      const reader = new HevcAnnexBReader((au) => got.push(au));
      for (let i = 0; i < data.length; i += chunkSize) reader.feed(data.subarray(i, i + chunkSize));
      reader.end();
      assert.deepEqual(got.map((au) => au.nals.map((n) => n.toString("hex"))), whole, `chunk size ${chunkSize}`);
    }
  });

  test("findHevcParameterSets needs all three", () => {
    const ps = findHevcParameterSets(parseHevcAnnexB(annexB([nal(VPS, 20), nal(SPS, 40), nal(PPS, 8), nal(IDR_N_LP, 10)])));
    assert.deepEqual([ps?.vps.length, ps?.sps.length, ps?.pps.length], [20, 40, 8]);
    assert.equal(findHevcParameterSets(parseHevcAnnexB(annexB([nal(SPS, 40), nal(PPS, 8), nal(IDR_N_LP, 10)]))), null);
  });
});

/** Reassembles NAL units from RFC 7798 packets (single NAL unit, AP, FU), checking each FU's headers on the way. */
function depacketize(packets: Buffer[]): Buffer[] {
  const nals: Buffer[] = [];
  let fu: Buffer[] = [];
  for (const p of packets) {
    const payload = p.subarray(12);
    const type = hevcNalType(payload);
    if (type === 48) {
      for (let o = 2; o < payload.length; ) {
        const len = payload.readUInt16BE(o);
        nals.push(payload.subarray(o + 2, o + 2 + len));
        o += 2 + len;
      }
    } else if (type === 49) {
      // The NAL header: F, LayerId and TID from the payload header, the type from the FU header.
      if (payload[2] & 0x80) fu = [Buffer.from([(payload[0] & 0x81) | ((payload[2] & 0x3f) << 1), payload[1]])];
      fu.push(payload.subarray(3));
      if (payload[2] & 0x40) nals.push(Buffer.concat(fu));
    } else nals.push(payload);
  }
  return nals;
}

describe("RTP packetization (RFC 7798)", () => {
  const opts = { sequence: 65534, timestamp: 123456, ssrc: 0xdeadbeef };
  const header = (p: Buffer) => ({ v: p[0] >> 6, marker: p[1] >> 7, pt: p[1] & 0x7f, seq: p.readUInt16BE(2), ts: p.readUInt32BE(4), ssrc: p.readUInt32BE(8) });

  const cases: { name: string; nals: Buffer[]; kinds: string[] }[] = [
    { name: "one small NAL: single NAL unit packet", nals: [nal(TRAIL_R, 100)], kinds: ["single"] },
    { name: "VPS, SPS, PPS, SEI and a small IDR: one aggregation packet", nals: [nal(VPS, 24), nal(SPS, 44), nal(PPS, 8), nal(PREFIX_SEI, 30), nal(IDR_N_LP, 200)], kinds: ["aggregate"] },
    { name: "VPS, SPS, PPS and a big IDR: AP then FUs", nals: [nal(VPS, 24), nal(SPS, 44), nal(PPS, 8), nal(IDR_N_LP, 5000)], kinds: ["aggregate", "fragmented"] },
    { name: "exactly max payload: single", nals: [nal(TRAIL_R, 1400)], kinds: ["single"] },
    { name: "one byte over: FU", nals: [nal(TRAIL_R, 1401)], kinds: ["fragmented"] },
    { name: "two NALs that do not fit together: two singles", nals: [nal(TRAIL_R, 900), nal(TRAIL_R, 900)], kinds: ["single", "single"] },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const au: AccessUnit = { nals: c.nals, isKey: c.nals.some((n) => hevcNalType(n) === IDR_N_LP) };
      assert.deepEqual(planHevcPayloads(au).map((p) => p.kind), c.kinds);
      const packets = packetizeHevcAccessUnit(au, opts);
      assert.equal(packets.length, countHevcRtpPackets(au));
      packets.forEach((p, i) => {
        assert.deepEqual(header(p), { v: 2, marker: i === packets.length - 1 ? 1 : 0, pt: 96, seq: (65534 + i) & 0xffff, ts: 123456, ssrc: 0xdeadbeef });
        assert.ok(p.length <= 12 + 1400);
      });
      assert.deepEqual(depacketize(packets).map((n) => n.toString("hex")), c.nals.map((n) => n.toString("hex")));
    });
  }

  test("FU: payload header is the NAL header with type 49; FU header has S on the first, E on the last, and the NAL type", () => {
    const big = nal(IDR_N_LP, 3000, { tidPlus1: 1 });
    big[0] |= 0x80; // F set: must be kept
    const packets = packetizeHevcAccessUnit({ nals: [big], isKey: true }, opts);
    assert.equal(packets.length, Math.ceil((3000 - 2) / (1400 - 3)));
    for (const [i, p] of packets.entries()) {
      assert.equal(p[12], 0x80 | (49 << 1), "F kept, type 49, LayerId high bit 0");
      assert.equal(p[13], big[1], "LayerId low bits and TID kept");
      assert.equal(p[14] & 0x3f, IDR_N_LP);
      assert.equal(Boolean(p[14] & 0x80), i === 0, "S");
      assert.equal(Boolean(p[14] & 0x40), i === packets.length - 1, "E");
      assert.ok(i === 0 || p.subarray(15).length > 0);
    }
    assert.deepEqual(Buffer.concat(packets.map((p) => p.subarray(15))), big.subarray(2), "the fragments carry the NAL without its header");
  });

  test("AP: type 48 with the lowest LayerId and TID of its NAL units and the OR of their F bits", () => {
    const a = nal(VPS, 10, { layer: 3, tidPlus1: 2 });
    const b = nal(SPS, 10, { layer: 1, tidPlus1: 3 });
    b[0] |= 0x80;
    const [p] = packetizeHevcAccessUnit({ nals: [a, b], isKey: false }, opts);
    assert.equal(hevcNalType(p.subarray(12)), 48);
    assert.equal(p[12] & 0x80, 0x80, "F");
    assert.equal(((p[12] & 1) << 5) | (p[13] >> 3), 1, "LayerId");
    assert.equal(p[13] & 7, 2, "TID");
    assert.deepEqual([p.readUInt16BE(14), p.readUInt16BE(14 + 2 + 10)], [10, 10], "16-bit sizes, no DON fields");
  });
});

describe("SDP", () => {
  test("an H.265 track: rtpmap H265/90000 and base64 sprop-vps/sps/pps", () => {
    const [vps, sps, pps] = [hex("40010c01"), hex("42010101"), hex("4401c172")];
    assert.deepEqual(h265SdpMedia({ vps, sps, pps, fps: 25 }), [
      "m=video 0 RTP/AVP 96",
      "a=rtpmap:96 H265/90000",
      "a=fmtp:96 sprop-vps=QAEMAQ==;sprop-sps=QgEBAQ==;sprop-pps=RAHBcg==",
      "a=framerate:25",
    ]);
  });
});
