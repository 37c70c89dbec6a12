import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  aacHbrPayload,
  aacLoopFrames,
  audioFramesDue,
  audioPacket,
  audioSdpMedia,
  audioSpecificConfig,
  AudioStream,
  parseAdts,
  splitG711,
  type AudioClip,
  type AudioCodecName,
} from "./audio";
import { MediaStream, type RtpFrame } from "./rtsp-server";

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ""), "hex");

/** One ADTS frame (MPEG-4, AAC-LC unless given) around `payload`; with a CRC field when `crc`. */
function adts(payload: Buffer, o: { frequencyIndex?: number; channels?: number; crc?: boolean; blocks?: number } = {}): Buffer {
  const headerBytes = o.crc ? 9 : 7;
  const len = headerBytes + payload.length;
  const h = Buffer.alloc(headerBytes);
  h[0] = 0xff;
  h[1] = 0xf0 | (o.crc ? 0 : 1);
  h[2] = (1 << 6) | ((o.frequencyIndex ?? 8) << 2) | ((o.channels ?? 1) >> 2);
  h[3] = (((o.channels ?? 1) & 3) << 6) | (len >> 11);
  h[4] = (len >> 3) & 0xff;
  h[5] = ((len & 7) << 5) | 0x1f;
  h[6] = 0xfc | ((o.blocks ?? 1) - 1);
  return Buffer.concat([h, payload]);
}

describe("ADTS", () => {
  test("frames are split and their headers stripped (with and without CRC)", () => {
    const data = Buffer.concat([adts(hex("0102")), adts(hex("030405"), { crc: true }), adts(hex("06"))]);
    const { config, frames } = parseAdts(data);
    assert.deepEqual(config, { objectType: 2, frequencyIndex: 8, sampleRate: 16000, channels: 1 });
    assert.deepEqual(frames.map((f) => f.toString("hex")), ["0102", "030405", "06"]);
  });
  const bad: [string, Buffer, RegExp][] = [
    ["no sync word", hex("00112233445566"), /sync word/],
    ["several raw data blocks", adts(hex("01"), { blocks: 2 }), /several raw data blocks/],
    ["configuration changes", Buffer.concat([adts(hex("01")), adts(hex("02"), { channels: 2 })]), /configuration changes/],
    ["truncated frame", adts(hex("010203")).subarray(0, 8), /bad frame length/],
    ["empty", Buffer.alloc(0), /no frames/],
  ];
  for (const [name, data, error] of bad) test(`refused: ${name}`, () => assert.throws(() => parseAdts(data), error));
});

describe("AudioSpecificConfig", () => {
  const cases: [string, Parameters<typeof audioSpecificConfig>[0], string][] = [
    ["AAC-LC 16 kHz mono (the simulator's)", { objectType: 2, frequencyIndex: 8, channels: 1 }, "1408"],
    ["AAC-LC 48 kHz stereo", { objectType: 2, frequencyIndex: 3, channels: 2 }, "1190"],
    ["AAC-LC 8 kHz mono", { objectType: 2, frequencyIndex: 11, channels: 1 }, "1588"],
  ];
  for (const [name, c, expected] of cases) test(name, () => assert.equal(audioSpecificConfig(c).toString("hex"), expected));
});

describe("RFC 3640 AAC-hbr payload", () => {
  const cases: [string, Buffer[], string][] = [
    ["one AU: AU-headers-length 16 bits, size 5 << 3, index 0", [hex("0102030405")], "0010 0028 0102030405"],
    ["two AUs: 32 bits of headers, index-delta 0", [hex("aabbcc"), hex("dd")], "0020 0018 0008 aabbcc dd"],
    ["the largest AU a 13-bit size holds", [Buffer.alloc(8191)], "0010 fff8" + "00".repeat(8191)],
  ];
  for (const [name, aus, expected] of cases) test(name, () => assert.equal(aacHbrPayload(aus).toString("hex"), expected.replace(/\s+/g, "")));
  test("an AU over 8191 bytes is refused", () => assert.throws(() => aacHbrPayload([Buffer.alloc(8192)]), /13-bit/));
});

describe("G.711", () => {
  test("160-byte packets (20 ms at 8 kHz); a short tail is dropped", () => {
    const packets = splitG711(Buffer.alloc(400, 0x55));
    assert.deepEqual(packets.map((p) => p.length), [160, 160]);
  });
});

describe("audio timing", () => {
  const cases: { name: string; args: [tick: number, fps: number, clockRate: number, samplesPerFrame: number]; expected: { first: number; end: number; sample: number } }[] = [
    { name: "AAC 16 kHz @ 25 fps, tick 0: frame 0 starts with video frame 0", args: [0, 25, 16000, 1024], expected: { first: 0, end: 1, sample: 0 } },
    { name: "AAC tick 1 (640 samples): nothing new", args: [1, 25, 16000, 1024], expected: { first: 1, end: 1, sample: 640 } },
    { name: "AAC tick 2 (1280 samples): frame 1 (starts at 1024)", args: [2, 25, 16000, 1024], expected: { first: 1, end: 2, sample: 1280 } },
    { name: "AAC tick 250 (10 s): frame 156 starts at 159744", args: [250, 25, 16000, 1024], expected: { first: 156, end: 157, sample: 160000 } },
    { name: "G.711 8 kHz @ 25 fps, tick 0: packet 0", args: [0, 25, 8000, 160], expected: { first: 0, end: 1, sample: 0 } },
    { name: "G.711 tick 1 (320 samples): packets 1 and 2", args: [1, 25, 8000, 160], expected: { first: 1, end: 3, sample: 320 } },
    { name: "G.711 @ 30 fps, tick 1 (266 samples): packet 1", args: [1, 30, 8000, 160], expected: { first: 1, end: 2, sample: 266 } },
    { name: "G.711 @ 30 fps, tick 2 (533 samples): packets 2 and 3", args: [2, 30, 8000, 160], expected: { first: 2, end: 4, sample: 533 } },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(audioFramesDue(...c.args), c.expected));

  test("every frame is due exactly once, in order", () => {
    for (const [fps, rate, spf] of [[25, 16000, 1024], [25, 8000, 160], [30, 8000, 160], [15, 16000, 1024]]) {
      let next = 0;
      for (let tick = 0; tick < 1000; tick++) {
        const d = audioFramesDue(tick, fps, rate, spf);
        assert.equal(d.first, next, `fps ${fps} rate ${rate} tick ${tick}`);
        assert.ok(d.end >= d.first);
        next = d.end;
      }
    }
  });

  const loops: [number, number, { frames: number; loops: number }][] = [
    [10, 16000, { frames: 625, loops: 4 }],
    [8, 16000, { frames: 125, loops: 1 }],
    [2, 16000, { frames: 125, loops: 4 }],
    [10, 8000, { frames: 625, loops: 8 }],
  ];
  for (const [seconds, rate, expected] of loops) {
    test(`aacLoopFrames: ${seconds} s at ${rate} Hz → ${expected.frames} frames over ${expected.loops} loop(s)`, () => {
      assert.deepEqual(aacLoopFrames(seconds, rate), expected);
      assert.equal(expected.frames * 1024, seconds * rate * expected.loops);
    });
  }
  test("aacLoopFrames refuses a length that is not a whole number of samples", () => assert.throws(() => aacLoopFrames(0.00001, 16000)));
});

const aacClip = (frames: number): AudioClip => ({
  codec: "aac",
  clockRate: 16000,
  channels: 1,
  samplesPerFrame: 1024,
  frames: Array.from({ length: frames }, (_, i) => Buffer.from([i >> 8, i & 0xff, 0x21])),
  config: hex("1408"),
});
const g711Clip = (codec: AudioCodecName, packets: number): AudioClip => ({
  codec,
  clockRate: 8000,
  channels: 1,
  samplesPerFrame: 160,
  frames: Array.from({ length: packets }, (_, i) => Buffer.alloc(160, i & 0xff)),
});

describe("audio SDP and packets", () => {
  test("AAC: MPEG4-GENERIC/16000/1 with AAC-hbr fmtp and the config in hex", () => {
    assert.deepEqual(audioSdpMedia(aacClip(1)), [
      "m=audio 0 RTP/AVP 97",
      "a=rtpmap:97 MPEG4-GENERIC/16000/1",
      "a=fmtp:97 streamtype=5;profile-level-id=15;mode=AAC-hbr;config=1408;sizelength=13;indexlength=3;indexdeltalength=3",
    ]);
  });
  test("G.711: static payload types 0 and 8 with rtpmap and a 20 ms ptime", () => {
    assert.deepEqual(audioSdpMedia(g711Clip("pcmu", 1)), ["m=audio 0 RTP/AVP 0", "a=rtpmap:0 PCMU/8000", "a=ptime:20"]);
    assert.deepEqual(audioSdpMedia(g711Clip("pcma", 1)), ["m=audio 0 RTP/AVP 8", "a=rtpmap:8 PCMA/8000", "a=ptime:20"]);
  });

  const h = { sequence: 7, timestamp: 1000, ssrc: 0x01020304 };
  const cases: { name: string; clip: AudioClip; index: number; expected: { pt: number; marker: number; payload: string } }[] = [
    { name: "AAC: one AU with its AU header, marker set", clip: aacClip(3), index: 1, expected: { pt: 97, marker: 1, payload: "0010 0018 000121" } },
    { name: "AAC: frame index wraps around the clip", clip: aacClip(3), index: 4, expected: { pt: 97, marker: 1, payload: "0010 0018 000121" } },
    { name: "PCMU: the stream's first packet has the marker", clip: g711Clip("pcmu", 2), index: 0, expected: { pt: 0, marker: 1, payload: "00".repeat(160) } },
    { name: "PCMA: later packets have none", clip: g711Clip("pcma", 2), index: 3, expected: { pt: 8, marker: 0, payload: "01".repeat(160) } },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const p = audioPacket(c.clip, c.index, h);
      assert.deepEqual(
        { v: p[0] >> 6, pt: p[1] & 0x7f, marker: p[1] >> 7, seq: p.readUInt16BE(2), ts: p.readUInt32BE(4), ssrc: p.readUInt32BE(8), payload: p.subarray(12).toString("hex") },
        { v: 2, seq: 7, ts: 1000, ssrc: 0x01020304, ...c.expected, payload: c.expected.payload.replace(/\s+/g, "") },
      );
    });
  }
});

describe("AudioStream", () => {
  test("AAC over 1100 video frames (44 s, past the 40 s audio loop): continuous timestamps and sequence numbers, content looping", () => {
    const clip = aacClip(625);
    const audio = new AudioStream("audio", clip, 25);
    const sent: RtpFrame[] = [];
    audio.listen((f) => sent.push(f));
    for (let i = 0; i < 1100; i++) audio.tick();
    assert.equal(sent.length, Math.floor((1099 * 640) / 1024) + 1);
    sent.forEach((f, k) => {
      if (k) {
        assert.equal((f.rtpTime - sent[k - 1].rtpTime) >>> 0, 1024, `timestamp step at ${k}`);
        assert.equal((f.firstSeq - sent[k - 1].firstSeq) & 0xffff, 1, `sequence step at ${k}`);
      }
      assert.equal(f.mediaMs, k * 64);
      const payload = audio.packetsOf(f)[0].subarray(12 + 4);
      assert.equal(payload.readUInt16BE(0), k % 625, `frame ${k} plays clip frame ${k % 625}`);
    });
  });

  test("G.711: two packets per 40 ms video frame, 160 samples apart", () => {
    const audio = new AudioStream("audio", g711Clip("pcmu", 500), 25);
    const sent: RtpFrame[] = [];
    audio.listen((f) => sent.push(f));
    for (let i = 0; i < 3; i++) audio.tick();
    assert.deepEqual(sent.map((f) => (f.rtpTime - sent[0].rtpTime) >>> 0), [0, 160, 320, 480, 640]);
    assert.deepEqual(sent.map((f) => f.mediaMs), [0, 20, 40, 60, 80]);
  });

  test("backlog: the kept frames from a media time on (a player's sound starts with its first video frame)", () => {
    const audio = new AudioStream("audio", g711Clip("pcma", 500), 25);
    for (let i = 0; i < 50; i++) audio.tick();
    // 50 video frames: media time 0 … 1960 ms (the last tick is frame 49 at 1960 ms)
    assert.deepEqual(audio.backlog(1900).map((f) => f.mediaMs), [1900, 1920, 1940, 1960]);
    assert.deepEqual(audio.backlog(null), []);
    for (let i = 0; i < 300; i++) audio.tick();
    assert.equal(audio.backlog(0)[0].mediaMs, 13960 - 5000, "5 s of media time are kept");
  });

  test("locked to the video: at any wall-clock instant both RTP clocks give the same media time, late frames and a stall included", () => {
    const video = new MediaStream("main", 25);
    const audio = new AudioStream("audio", aacClip(625), 25);
    const first: { video?: number; audio?: number } = {};
    video.listen((f) => (first.video ??= f.rtpTime));
    audio.listen((f) => (first.audio ??= f.rtpTime));
    const key = { nals: [hex("674d4028da01e0089f970110000003001000000303"), hex("68ee3c80"), hex("658800")], isKey: true };
    // Sent as a busy machine's pacer would: 0–57 ms late, and from frame 100 on after a 1.5 s stall (the one instant
    // for both tracks, as the simulator's sources give it).
    const t0 = 1_700_000_000_000;
    const sentAt = (i: number) => t0 + i * 40 + ((i * 37) % 58) + (i >= 100 ? 1_500 : 0);
    const mediaS = (wall: number) => ({ video: ((video.rtpTimeAt(wall) - first.video!) >>> 0) / 90000, audio: ((audio.rtpTimeAt(wall) - first.audio!) >>> 0) / 16000 });
    for (let i = 0; i < 100; i++) {
      video.push(i === 0 ? key : { nals: [hex("419a00")], isKey: false }, sentAt(i));
      audio.tick(sentAt(i));
    }
    const before = mediaS(t0 + 4_020);
    assert.equal(before.video, 4.02, "late frames did not move the line through the first frame");
    assert.ok(Math.abs(before.video - before.audio) < 0.001, `video ${before.video} s, audio ${before.audio} s`);
    for (let i = 100; i < 137; i++) {
      video.push({ nals: [hex("419a00")], isKey: false }, sentAt(i));
      audio.tick(sentAt(i));
    }
    const after = mediaS(sentAt(100) + 1_000);
    assert.equal(after.video, 5, "after the stall the line runs through the first frame sent after it (frame 100, 4 s)");
    assert.ok(Math.abs(after.video - after.audio) < 0.001, `video ${after.video} s, audio ${after.audio} s`);
  });
});
