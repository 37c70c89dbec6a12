import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { splitAnnexB, type AccessUnit } from "./annexb";
import {
  AnnexBReader,
  buildSdp,
  countRtpPackets,
  findParameterSets,
  NAL_TYPE,
  nalType,
  packetizeAccessUnit,
  parseAnnexB,
  parseSps,
  planRtpPayloads,
  profileLevelId,
  unescapeRbsp,
} from "./h264";
import { buildSenderReport, interleave, rtpTimestamp } from "./rtp";

// SPS/PPS of the simulator's clips (x264, Main profile): 1920x1080 (cropped from 1088) and 640x360.
const SPS_1080 = Buffer.from("Z01AKNoB4AiflwEQAAADABAAAAMDIPGDKg==", "base64");
const SPS_360 = Buffer.from("Z01AHtoCgL/lwEQAAAMABAAAAwDIPFi6gA==", "base64");
const PPS = Buffer.from("aO88gA==", "base64");

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ""), "hex");
/** A NAL of `type` (nal_ref_idc 3) with `size` bytes; for slices the first byte after the header flags first_mb == 0. */
const nal = (type: number, size: number, firstMb0 = true) => {
  const b = Buffer.alloc(size, 0xab);
  b[0] = 0x60 | type;
  if (size > 1 && (type === 1 || type === 5)) b[1] = firstMb0 ? 0x88 : 0x48;
  return b;
};
const annexB = (nals: Buffer[], long = true) => Buffer.concat(nals.flatMap((n) => [hex(long ? "00000001" : "000001"), n]));

describe("splitAnnexB", () => {
  const cases: { name: string; input: Buffer; expected: string[] }[] = [
    { name: "4-byte start codes", input: hex("00000001 6742 00000001 68ce"), expected: ["6742", "68ce"] },
    { name: "3-byte start codes", input: hex("000001 6742 000001 68ce"), expected: ["6742", "68ce"] },
    { name: "mixed, with trailing zero bytes", input: hex("000001 6742 0000 00000001 65aa 00"), expected: ["6742", "65aa"] },
    { name: "leading garbage is ignored", input: hex("ff 000001 0901"), expected: ["0901"] },
    { name: "no start code", input: hex("6742"), expected: [] },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(splitAnnexB(c.input).map((n) => n.toString("hex")), c.expected));
});

describe("access units", () => {
  const cases: { name: string; nals: Buffer[]; expected: { types: number[]; isKey: boolean }[] }[] = [
    {
      name: "SPS PPS IDR | P | P",
      nals: [nal(7, 4), nal(8, 3), nal(5, 10), nal(1, 8), nal(1, 8)],
      expected: [
        { types: [7, 8, 5], isKey: true },
        { types: [1], isKey: false },
        { types: [1], isKey: false },
      ],
    },
    {
      name: "AUDs are dropped and start a new access unit",
      nals: [nal(9, 2), nal(5, 10), nal(9, 2), nal(1, 8)],
      expected: [
        { types: [5], isKey: true },
        { types: [1], isKey: false },
      ],
    },
    {
      name: "several slices of one picture stay together (first_mb_in_slice != 0)",
      nals: [nal(7, 4), nal(8, 3), nal(6, 5), nal(5, 10), nal(5, 10, false), nal(1, 8), nal(1, 8, false)],
      expected: [
        { types: [7, 8, 6, 5, 5], isKey: true },
        { types: [1, 1], isKey: false },
      ],
    },
    { name: "parameter sets without a slice are not a picture", nals: [nal(7, 4), nal(8, 3)], expected: [] },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const aus = parseAnnexB(annexB(c.nals));
      assert.deepEqual(
        aus.map((au) => ({ types: au.nals.map(nalType), isKey: au.isKey })),
        c.expected,
      );
    });
  }

  test("AnnexBReader fed in arbitrary chunks gives the same access units as parseAnnexB", () => {
    const nals = [nal(7, 20), nal(8, 5), nal(5, 3000), nal(1, 700), nal(1, 50), nal(7, 20), nal(8, 5), nal(5, 2000), nal(1, 10)];
    const data = Buffer.concat([annexB(nals.slice(0, 4), true), annexB(nals.slice(4), false)]);
    const whole = parseAnnexB(data).map((au) => au.nals.map((n) => n.toString("hex")));
    for (const chunkSize of [1, 2, 3, 7, 64, 1000, data.length]) {
      const got: AccessUnit[] = [];
      const reader = new AnnexBReader((au) => got.push(au));
      for (let i = 0; i < data.length; i += chunkSize) reader.feed(data.subarray(i, i + chunkSize));
      reader.end();
      assert.deepEqual(got.map((au) => au.nals.map((n) => n.toString("hex"))), whole, `chunk size ${chunkSize}`);
    }
  });

  test("findParameterSets returns the first SPS and PPS", () => {
    const aus = parseAnnexB(annexB([nal(7, 4), nal(8, 3), nal(5, 10)]));
    const ps = findParameterSets(aus);
    assert.equal(ps?.sps.length, 4);
    assert.equal(ps?.pps.length, 3);
    assert.equal(findParameterSets(parseAnnexB(annexB([nal(5, 10)]))), null);
  });
});

describe("SPS", () => {
  test("parseSps reads profile, level and the cropped size", () => {
    assert.deepEqual(parseSps(SPS_1080), { profileIdc: 77, levelIdc: 40, chromaFormatIdc: 1, frameMbsOnly: true, width: 1920, height: 1080 });
    assert.deepEqual(parseSps(SPS_360), { profileIdc: 77, levelIdc: 30, chromaFormatIdc: 1, frameMbsOnly: true, width: 640, height: 360 });
  });
  test("profileLevelId is profile, constraints and level in hex", () => {
    assert.equal(profileLevelId(SPS_1080), "4d4028");
    assert.equal(profileLevelId(SPS_360), "4d401e");
    assert.throws(() => profileLevelId(PPS));
  });
  test("unescapeRbsp removes emulation prevention bytes only after two zeros", () => {
    assert.equal(Buffer.from(unescapeRbsp(hex("00000301 000003 0003"))).toString("hex"), "00000100000003");
  });
});

describe("RTP packetization (RFC 6184)", () => {
  const opts = { sequence: 65534, timestamp: 123456, ssrc: 0xdeadbeef };
  const header = (p: Buffer) => ({ v: p[0] >> 6, marker: p[1] >> 7, pt: p[1] & 0x7f, seq: p.readUInt16BE(2), ts: p.readUInt32BE(4), ssrc: p.readUInt32BE(8) });

  const cases: { name: string; nals: Buffer[]; kinds: string[] }[] = [
    { name: "one small NAL: single NAL unit packet", nals: [nal(1, 100)], kinds: ["single"] },
    { name: "SPS, PPS, SEI and a small IDR: one STAP-A", nals: [nal(7, 20), nal(8, 5), nal(6, 30), nal(5, 200)], kinds: ["aggregate"] },
    { name: "SPS, PPS and a big IDR: STAP-A then FU-A", nals: [nal(7, 20), nal(8, 5), nal(5, 5000)], kinds: ["aggregate", "fragmented"] },
    { name: "exactly max payload: single", nals: [nal(1, 1400)], kinds: ["single"] },
    { name: "one byte over: FU-A", nals: [nal(1, 1401)], kinds: ["fragmented"] },
    { name: "two NALs that do not fit together: two singles", nals: [nal(1, 900), nal(1, 900)], kinds: ["single", "single"] },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const au: AccessUnit = { nals: c.nals, isKey: c.nals.some((n) => nalType(n) === NAL_TYPE.IDR) };
      assert.deepEqual(planRtpPayloads(au).map((p) => p.kind), c.kinds);
      const packets = packetizeAccessUnit(au, opts);
      assert.equal(packets.length, countRtpPackets(au));
      packets.forEach((p, i) => {
        const h = header(p);
        assert.deepEqual(h, { v: 2, marker: i === packets.length - 1 ? 1 : 0, pt: 96, seq: (65534 + i) & 0xffff, ts: 123456, ssrc: 0xdeadbeef });
        assert.ok(p.length <= 12 + 1400);
      });
      assert.deepEqual(depacketize(packets).map((n) => n.toString("hex")), c.nals.map((n) => n.toString("hex")));
    });
  }

  test("FU-A fragments: indicator keeps F/NRI, header has S on the first and E on the last", () => {
    const big = nal(5, 3000);
    const packets = packetizeAccessUnit({ nals: [big], isKey: true }, opts);
    assert.equal(packets.length, Math.ceil(2999 / 1398));
    for (const [i, p] of packets.entries()) {
      assert.equal(p[12], (big[0] & 0xe0) | 28);
      assert.equal(p[13] & 0x1f, 5);
      assert.equal(Boolean(p[13] & 0x80), i === 0);
      assert.equal(Boolean(p[13] & 0x40), i === packets.length - 1);
    }
  });

  test("rtpTimestamp counts 90 kHz ticks per frame and wraps at 2^32", () => {
    assert.equal(rtpTimestamp(0, 1, 25), 3600);
    assert.equal(rtpTimestamp(1000, 25, 25), 91000);
    assert.equal(rtpTimestamp(2 ** 32 - 1800, 1, 25), 1800);
    assert.equal(rtpTimestamp(0, 3, 30), 9000);
  });

  test("interleave frames packets as $ channel length payload", () => {
    const out = interleave([hex("0102"), hex("03")], 4);
    assert.equal(out.toString("hex"), "2404000201022404000103");
  });
});

/** Reassembles NAL units from RTP packets (single, STAP-A, FU-A). */
function depacketize(packets: Buffer[]): Buffer[] {
  const nals: Buffer[] = [];
  let fu: Buffer[] = [];
  for (const p of packets) {
    const payload = p.subarray(12);
    const type = payload[0] & 0x1f;
    if (type === 24) {
      for (let o = 1; o < payload.length; ) {
        const len = payload.readUInt16BE(o);
        nals.push(payload.subarray(o + 2, o + 2 + len));
        o += 2 + len;
      }
    } else if (type === 28) {
      if (payload[1] & 0x80) fu = [Buffer.from([(payload[0] & 0xe0) | (payload[1] & 0x1f)])];
      fu.push(payload.subarray(2));
      if (payload[1] & 0x40) nals.push(Buffer.concat(fu));
    } else nals.push(payload);
  }
  return nals;
}

describe("RTCP sender report", () => {
  test("SR fields and the SDES CNAME", () => {
    const wallMs = Date.UTC(2026, 0, 1, 0, 0, 0, 500);
    const b = buildSenderReport({ ssrc: 0x01020304, wallMs, rtpTimestamp: 90000, packetCount: 7, octetCount: 9000, cname: "main@127.0.0.10" });
    assert.equal(b[0], 0x80);
    assert.equal(b[1], 200);
    assert.equal(b.readUInt16BE(2), 6);
    assert.equal(b.readUInt32BE(4), 0x01020304);
    assert.equal(b.readUInt32BE(8), wallMs / 1000 - 0.5 + 2_208_988_800);
    assert.equal(b.readUInt32BE(12), 2 ** 31); // .5 s
    assert.equal(b.readUInt32BE(16), 90000);
    assert.equal(b.readUInt32BE(20), 7);
    assert.equal(b.readUInt32BE(24), 9000);
    const sdes = b.subarray(28);
    assert.equal(sdes[1], 202);
    assert.equal(sdes.length % 4, 0);
    assert.equal((sdes.readUInt16BE(2) + 1) * 4, sdes.length);
    assert.equal(sdes[8], 1);
    assert.equal(sdes.subarray(10, 10 + sdes[9]).toString(), "main@127.0.0.10");
  });
});

describe("SDP", () => {
  test("one H.264 track with packetization-mode=1, profile-level-id and sprop-parameter-sets", () => {
    const sdp = buildSdp({ address: "127.0.0.10", sessionId: "42", sps: SPS_1080, pps: PPS, fps: 25 });
    const lines = sdp.split("\r\n");
    assert.equal(lines[0], "v=0");
    assert.ok(sdp.endsWith("\r\n"));
    for (const expected of [
      "o=- 42 1 IN IP4 127.0.0.10",
      "c=IN IP4 127.0.0.10",
      "m=video 0 RTP/AVP 96",
      "a=rtpmap:96 H264/90000",
      `a=fmtp:96 packetization-mode=1;profile-level-id=4d4028;sprop-parameter-sets=${SPS_1080.toString("base64")},${PPS.toString("base64")}`,
      "a=framerate:25",
      "a=x-dimensions:1920,1080",
      "a=control:trackID=0",
    ]) {
      assert.ok(lines.includes(expected), expected);
    }
  });
});
