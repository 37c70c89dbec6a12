// The WHEP offer, table-tested with Chromium's offer (trimmed to its video section's H.264 payload types, plus an
// audio section and a data channel): which payload type is chosen for which stream profile, what the library gets,
// and the reasons malformed offers are refused; the audio section's payload type for the stream's sound.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { isAppError } from "../../errors";
import { chooseAudio, chooseVideo, MAX_OFFER_BYTES, offerForLibrary } from "./sdp";

const CHROMIUM = [
  "v=0",
  "o=- 4611731400430051336 2 IN IP4 127.0.0.1",
  "s=-",
  "t=0 0",
  "a=group:BUNDLE 0 1 2",
  "a=msid-semantic: WMS",
  "m=video 9 UDP/TLS/RTP/SAVPF 96 97 102 103 104 105 106 107 108 109 127 125",
  "c=IN IP4 0.0.0.0",
  "a=rtcp:9 IN IP4 0.0.0.0",
  "a=ice-ufrag:abcd",
  "a=ice-pwd:abcdefghijklmnopqrstuvwx",
  "a=fingerprint:sha-256 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF",
  "a=setup:actpass",
  "a=mid:0",
  "a=recvonly",
  "a=rtcp-mux",
  "a=rtpmap:96 VP8/90000",
  "a=rtcp-fb:96 nack",
  "a=rtpmap:97 rtx/90000",
  "a=fmtp:97 apt=96",
  "a=rtpmap:102 H264/90000",
  "a=rtcp-fb:102 nack",
  "a=rtcp-fb:102 nack pli",
  "a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f",
  "a=rtpmap:103 rtx/90000",
  "a=fmtp:103 apt=102",
  "a=rtpmap:104 H264/90000",
  "a=fmtp:104 level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42001f",
  "a=rtpmap:106 H264/90000",
  "a=fmtp:106 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f",
  "a=rtpmap:108 H264/90000",
  "a=fmtp:108 level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42e01f",
  "a=rtpmap:127 H264/90000",
  "a=fmtp:127 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=4d001f",
  "a=rtpmap:125 H264/90000",
  "a=fmtp:125 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=64001f",
  "m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126",
  "c=IN IP4 0.0.0.0",
  "a=mid:1",
  "a=recvonly",
  "a=rtpmap:111 opus/48000/2",
  "a=rtcp-fb:111 transport-cc",
  "a=fmtp:111 minptime=10;useinbandfec=1",
  "a=rtpmap:63 red/48000/2",
  "a=fmtp:63 111/111",
  "a=rtpmap:9 G722/8000",
  "a=rtpmap:0 PCMU/8000",
  "a=rtpmap:8 PCMA/8000",
  "a=rtpmap:13 CN/8000",
  "a=rtpmap:110 telephone-event/48000",
  "a=rtpmap:126 telephone-event/8000",
  "m=application 9 UDP/DTLS/SCTP webrtc-datachannel",
  "c=IN IP4 0.0.0.0",
  "a=mid:2",
  "a=sctp-port:5000",
].join("\r\n") + "\r\n";

describe("chooseVideo", () => {
  const cases: [string, string | null, number][] = [
    ["Main (4d) stream: the Main payload type", "4d0028", 127],
    ["High (64) stream: the High payload type", "640028", 125],
    ["Constrained Baseline stream: the first 42e0 with mode 1", "42e01f", 106],
    ["Baseline (42 00): the first 42 with mode 1", "420028", 102],
    ["an unknown profile (e.g. 7a, High 4:2:2): Constrained Baseline", "7a0028", 106],
    ["profile not known yet: Constrained Baseline", null, 106],
  ];
  for (const [name, profile, pt] of cases) test(name, () => assert.equal(chooseVideo(CHROMIUM, profile).pt, pt));

  test("mid and fmtp as offered; LF line ends work too", () => {
    const c = chooseVideo(CHROMIUM.replace(/\r\n/g, "\n"), "4d0028");
    assert.deepEqual(c, { mid: "0", pt: 127, fmtp: "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=4d001f" });
  });

  const bad: [string, string, string][] = [
    ["empty", "  \r\n", "empty"],
    ["huge", CHROMIUM + "a=x\r\n".repeat(MAX_OFFER_BYTES / 5), "too_large"],
    ["not SDP", "<html></html>", "not_sdp"],
    ["garbage line", CHROMIUM.replace("s=-", "hello"), "not_sdp"],
    ["no video section", CHROMIUM.replace(/m=video[\s\S]*?(?=m=audio)/, ""), "no_video"],
    ["video rejected (port 0)", CHROMIUM.replace("m=video 9", "m=video 0"), "no_video"],
    ["no H.264", CHROMIUM.replace(/H264/g, "VP9"), "no_h264"],
    ["H.264 in packetization-mode 0 only", CHROMIUM.replace(/packetization-mode=1/g, "packetization-mode=0"), "no_h264"],
    ["the browser only sends", CHROMIUM.replace("a=recvonly", "a=sendonly"), "not_receiving"],
  ];
  for (const [name, offer, reason] of bad) {
    test(`refused: ${name}`, () => assert.throws(() => chooseVideo(offer, "4d0028"), (e) => isAppError(e) && e.code === "webrtc_offer_invalid" && e.params.reason === reason));
  }
});

describe("offerForLibrary", () => {
  const out = offerForLibrary(CHROMIUM, chooseVideo(CHROMIUM, "4d0028"));
  const lines = out.split("\r\n");
  test("the video section keeps only the chosen payload type, its rtcp-fb and fmtp", () => {
    assert.ok(lines.includes("m=video 9 UDP/TLS/RTP/SAVPF 127"));
    assert.deepEqual(lines.slice(0, lines.indexOf("a=mid:1")).filter((l) => /^a=(rtpmap|fmtp|rtcp-fb):\d+ /.test(l)), ["a=rtpmap:127 H264/90000", "a=fmtp:127 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=4d001f"]);
    for (const keep of ["a=ice-ufrag:abcd", "a=setup:actpass", "a=mid:0", "a=recvonly", "a=rtcp-mux"]) assert.ok(lines.includes(keep), keep);
  });
  test("audio and data are rejected (port 0) and leave the BUNDLE group", () => {
    assert.ok(lines.includes("m=audio 0 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126"));
    assert.ok(lines.includes("m=application 0 UDP/DTLS/SCTP webrtc-datachannel"));
    assert.ok(lines.includes("a=group:BUNDLE 0"));
    assert.ok(out.endsWith("\r\n"));
  });
});

describe("chooseAudio", () => {
  const cases: [string, "PCMU" | "PCMA" | "OPUS", string, number | null][] = [
    ["Opus: the browser's opus/48000/2", "OPUS", CHROMIUM, 111],
    ["G.711 µ-law: 0", "PCMU", CHROMIUM, 0],
    ["G.711 A-law: 8", "PCMA", CHROMIUM, 8],
    ["static types without rtpmap lines still count", "PCMA", CHROMIUM.replace("a=rtpmap:8 PCMA/8000\r\n", ""), 8],
    ["Opus renumbered by the browser", "OPUS", CHROMIUM.replace(/(\b)111\b/g, "$1109"), 109],
    ["no audio section: none", "OPUS", CHROMIUM.replace(/m=audio[\s\S]*?(?=m=application)/, ""), null],
    ["audio rejected by the browser (port 0): none", "OPUS", CHROMIUM.replace("m=audio 9", "m=audio 0"), null],
    ["the browser only sends audio: none", "PCMU", CHROMIUM.replace(/(a=mid:1\r\n)a=recvonly/, "$1a=sendonly"), null],
    ["the codec is not offered: none", "PCMU", CHROMIUM.replace("a=rtpmap:0 PCMU/8000", "a=rtpmap:0 PCMU/16000"), null],
  ];
  for (const [name, codec, offer, pt] of cases) test(name, () => assert.equal(chooseAudio(offer, codec)?.pt ?? null, pt));

  test("mid and fmtp as offered", () => assert.deepEqual(chooseAudio(CHROMIUM, "OPUS"), { mid: "1", pt: 111, codec: "OPUS", fmtp: "minptime=10;useinbandfec=1" }));

  test("offerForLibrary keeps the audio section with only the chosen payload type, in BUNDLE", () => {
    const out = offerForLibrary(CHROMIUM, chooseVideo(CHROMIUM, "4d0028"), chooseAudio(CHROMIUM, "PCMU")).split("\r\n");
    const audio = out.slice(out.findIndex((l) => l.startsWith("m=audio")), out.findIndex((l) => l.startsWith("m=application")));
    assert.equal(audio[0], "m=audio 9 UDP/TLS/RTP/SAVPF 0");
    assert.deepEqual(audio.filter((l) => /^a=(rtpmap|fmtp|rtcp-fb):/.test(l)), ["a=rtpmap:0 PCMU/8000"]);
    assert.ok(audio.includes("a=recvonly"));
    assert.ok(out.includes("a=group:BUNDLE 0 1"));
    assert.ok(out.includes("m=application 0 UDP/DTLS/SCTP webrtc-datachannel"));
  });
});
