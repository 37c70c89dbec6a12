// Sound over WebRTC, table-tested: the sound a stream's DESCRIBE announces (cameras' SDPs: AAC as mpeg4-generic, G.711
// with and without rtpmap lines, Opus), what the viewers get, and the ingest's ffmpeg options for it.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { audioCodecArgs, describedAudio, webRtcAudioFor, type DescribedAudio } from "./audio";
import { AUDIO_SSRC, buildRtpIngestArgs, isSoundFailure } from "./rtp-ingest";

const sdp = (...audio: string[]) =>
  ["v=0", "o=- 1 1 IN IP4 192.168.1.20", "s=Media Presentation", "t=0 0", "m=video 0 RTP/AVP 96", "a=rtpmap:96 H264/90000", "a=control:trackID=0", ...audio].join("\r\n") + "\r\n";

describe("describedAudio", () => {
  const cases: [string, string, DescribedAudio | null][] = [
    ["no audio section", sdp(), null],
    ["AAC (mpeg4-generic, 16 kHz mono)", sdp("m=audio 0 RTP/AVP 97", "a=rtpmap:97 mpeg4-generic/16000/1", "a=fmtp:97 streamtype=5; mode=AAC-hbr; config=1408"), { encoding: "MPEG4-GENERIC", clockRate: 16_000, channels: 1 }],
    ["G.711 µ-law by its static type alone", sdp("m=audio 0 RTP/AVP 0", "a=control:trackID=1"), { encoding: "PCMU", clockRate: 8_000, channels: 1 }],
    ["G.711 A-law with an rtpmap", sdp("m=audio 0 RTP/AVP 8", "a=rtpmap:8 PCMA/8000"), { encoding: "PCMA", clockRate: 8_000, channels: 1 }],
    ["G.711 at 16 kHz (dynamic type)", sdp("m=audio 0 RTP/AVP 98", "a=rtpmap:98 PCMU/16000"), { encoding: "PCMU", clockRate: 16_000, channels: 1 }],
    ["Opus", sdp("m=audio 0 RTP/AVP 111", "a=rtpmap:111 opus/48000/2"), { encoding: "OPUS", clockRate: 48_000, channels: 2 }],
    ["only the first payload type counts", sdp("m=audio 0 RTP/AVP 8 0", "a=rtpmap:0 PCMU/8000"), { encoding: "PCMA", clockRate: 8_000, channels: 1 }],
    ["a dynamic type without rtpmap: unknown, none", sdp("m=audio 0 RTP/AVP 99"), null],
    ["LF line ends", sdp("m=audio 0 RTP/AVP 0").replace(/\r\n/g, "\n"), { encoding: "PCMU", clockRate: 8_000, channels: 1 }],
  ];
  for (const [name, text, want] of cases) test(name, () => assert.deepEqual(describedAudio(text), want));
});

describe("webRtcAudioFor", () => {
  const a = (encoding: string, clockRate: number, channels = 1): DescribedAudio => ({ encoding, clockRate, channels });
  const cases: [string, DescribedAudio | null, boolean, ReturnType<typeof webRtcAudioFor>][] = [
    ["no sound", null, true, null],
    ["G.711 µ-law at 8 kHz passes through", a("PCMU", 8_000), true, { codec: "PCMU", isCopy: true }],
    ["G.711 A-law at 8 kHz passes through, even without libopus", a("PCMA", 8_000), false, { codec: "PCMA", isCopy: true }],
    ["G.711 at 16 kHz is converted", a("PCMU", 16_000), true, { codec: "OPUS", isCopy: false }],
    ["AAC is converted to Opus", a("MPEG4-GENERIC", 16_000), true, { codec: "OPUS", isCopy: false }],
    ["AAC without an Opus encoder: no sound", a("MPEG4-GENERIC", 16_000), false, null],
    ["Opus passes through", a("OPUS", 48_000, 2), false, { codec: "OPUS", isCopy: true }],
  ];
  for (const [name, audio, canEncodeOpus, want] of cases) test(name, () => assert.deepEqual(webRtcAudioFor(audio, canEncodeOpus), want));
});

describe("the ingest's argv with sound", () => {
  const base = { inputUrl: "rtsp://cam/main", port: 40000 };
  test("without sound: one RTP output, video only", () => {
    const argv = buildRtpIngestArgs(base);
    assert.equal(argv.filter((x) => x === "rtp").length, 1);
    assert.ok(argv.includes("-an"));
    assert.ok(!argv.includes("0:a:0"));
  });
  test("G.711: a second output copies the first sound track with payload type 0 and its own SSRC", () => {
    const argv = buildRtpIngestArgs({ ...base, audio: { codec: "PCMU", isCopy: true } });
    const second = argv.slice(argv.lastIndexOf("-map"));
    assert.deepEqual(second, ["-map", "0:a:0", "-vn", "-c:a", "copy", "-f", "rtp", "-payload_type", "0", "-ssrc", String(AUDIO_SSRC), "rtp://127.0.0.1:40000?pkt_size=1200"]);
  });
  test("AAC: converted with libopus (48 kHz mono, 20 ms frames), payload type 111", () => {
    const argv = buildRtpIngestArgs({ ...base, audio: { codec: "OPUS", isCopy: false } });
    assert.deepEqual(audioCodecArgs({ codec: "OPUS", isCopy: false }).slice(0, 2), ["-c:a", "libopus"]);
    const second = argv.slice(argv.lastIndexOf("-map"));
    assert.ok(second.join(" ").includes("-c:a libopus -b:a 32000 -ac 1 -ar 48000"));
    assert.equal(second[second.indexOf("-payload_type") + 1], "111");
  });
});

describe("isSoundFailure: the ingest's next runs go without sound", () => {
  const cases: [string, boolean][] = [
    ["Stream map '0:a:0' matches no streams.\nTo ignore this, add a trailing '?' to the map.", true],
    ["Unknown encoder 'libopus'", true],
    ["Error initializing output stream 1:0 -- Error while opening encoder for output stream #1:0 - maybe incorrect parameters", true],
    // The picture's own troubles are not the sound's.
    ["Error initializing output stream 0:0 -- Error while opening encoder for output stream #0:0", false],
    ["rtsp://cam/main: Connection refused", false],
    ["", false],
  ];
  for (const [detail, want] of cases) test(JSON.stringify(detail.slice(0, 50)), () => assert.equal(isSoundFailure(detail), want));
});
