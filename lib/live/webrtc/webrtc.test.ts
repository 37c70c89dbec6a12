// Live over WebRTC end to end in Node, with the project's camera simulator: the hub answers offers from a WebRTC
// client (node-datachannel as the browser), one ffmpeg RTP ingest per stream feeds every viewer, the client's RTP is
// depacketized (RFC 6184: single NAL, STAP-A, FU-A) into an Annex B stream and ffmpeg decodes it. Also: the GOP burst
// starts with SPS/PPS and an IDR, H.265 cameras are refused (415), the limits (429), privacy mode ends the peers, a
// closed peer frees its place and stops nothing else, and a viewer frozen mid-stream (its process stopped) does not
// hold up the others.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import path from "node:path";
import readline from "node:readline";
import crypto from "node:crypto";
import { after, before, describe, test } from "node:test";
import nodeDataChannel, { type PeerConnection } from "node-datachannel";
import { createCamera } from "../../cameras/cameras";
import { isAppError } from "../../errors";
import { startSimulator, type Simulator } from "../../simulator/simulator";
import { createTestDb, type TestDb } from "../../testing/db";
import { getLiveCameraFor, type LiveCameraRow } from "../live";
import { WebRtcHub } from "./hub";
import { NAL, rtpPayload } from "./rtp";

const key = crypto.randomBytes(32);
const ADMIN = { id: "admin", role: "admin" as const };
/** libjuice declares a silent peer failed after its ICE consent timeout: 30 s (measured 30.0 s). */
const ICE_GONE_MS = 40_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What Chromium offers for H.264, in short: packetization-mode 0 and 1, Constrained Baseline and Main. */
const OFFERED = [
  [102, "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f"],
  [127, "level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42e01f"],
  [125, "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=4d001f"],
] as const;

type Client = { pc: PeerConnection; packets: Buffer[]; offer: string; close(): void };

async function client(): Promise<Client> {
  const pc = new nodeDataChannel.PeerConnection("test-client", { iceServers: [] });
  const video = new nodeDataChannel.Video("0", "RecvOnly");
  for (const [pt, fmtp] of OFFERED) video.addH264Codec(pt, fmtp);
  const track = pc.addTrack(video);
  const packets: Buffer[] = [];
  track.onMessage((msg) => packets.push(Buffer.from(msg)));
  const gathered = new Promise<void>((r) => pc.onGatheringStateChange((s) => s === "complete" && r()));
  pc.setLocalDescription();
  await gathered;
  return {
    pc,
    packets,
    offer: pc.localDescription()!.sdp,
    close: () => {
      track.onMessage(() => {});
      pc.onGatheringStateChange(() => {});
      pc.close();
    },
  };
}

/** RTP (H.264, packetization-mode 1) → Annex B, in arrival order; RTCP is skipped. */
function annexB(packets: Buffer[]): { stream: Buffer; nalTypes: number[] } {
  const out: Buffer[] = [];
  const nalTypes: number[] = [];
  const start = Buffer.from([0, 0, 0, 1]);
  for (const pkt of packets) {
    if (pkt[1] >= 200 && pkt[1] <= 206) continue; // RTCP (rtcp-mux)
    const p = rtpPayload(pkt);
    if (!p || p.length < 2) continue;
    const type = p[0] & 0x1f;
    if (type === NAL.STAP_A) {
      for (let i = 1; i + 2 < p.length; ) {
        const size = (p[i] << 8) | p[i + 1];
        out.push(start, Buffer.from(p.subarray(i + 2, i + 2 + size)));
        nalTypes.push(p[i + 2] & 0x1f);
        i += 2 + size;
      }
    } else if (type === NAL.FU_A) {
      if (p[1] & 0x80) {
        out.push(start, Buffer.from([(p[0] & 0xe0) | (p[1] & 0x1f)]));
        nalTypes.push(p[1] & 0x1f);
      }
      out.push(Buffer.from(p.subarray(2)));
    } else {
      out.push(start, Buffer.from(p));
      nalTypes.push(type);
    }
  }
  return { stream: Buffer.concat(out), nalTypes };
}

/** Frames ffmpeg decodes from an Annex B H.264 stream, and its error output. */
function decode(stream: Buffer): { frames: number; errors: string } {
  const r = spawnSync("ffmpeg", ["-hide_banner", "-nostdin", "-loglevel", "error", "-f", "h264", "-i", "pipe:0", "-f", "framemd5", "-"], { input: stream, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  return { frames: r.stdout.split("\n").filter((l) => /^0,/.test(l)).length, errors: r.stderr };
}

async function waitFor(what: string, fn: () => boolean, ms: number): Promise<void> {
  const started = Date.now();
  while (!fn()) {
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe("live over WebRTC with simulated cameras", { timeout: 180_000 }, () => {
  let sim: Simulator;
  let t: TestDb;
  let hub: WebRtcHub;
  const live = new Map<string, boolean>();

  before(async () => {
    sim = await startSimulator({ cameras: 2, codecs: ["h264", "h265"], baseAddress: "127.0.0.246", rtspPort: 40254, withOnvif: false, withDiscovery: false, controlPort: null });
    t = await createTestDb();
    hub = new WebRtcHub({ ffmpegPath: "ffmpeg", credentialsKey: key, bindAddress: "127.0.0.1", maxPeersPerCamera: 3, maxPeersPerMember: 4, isCameraLive: async (id) => live.get(id) ?? true });
  });
  after(async () => {
    await hub?.closeAll();
    await sim?.close();
    await t?.cleanup();
    // libdatachannel's threads keep the process alive until cleaned up.
    nodeDataChannel.cleanup();
  });

  async function camera(i: number): Promise<LiveCameraRow> {
    const c = await createCamera(t.db, { name: `WebRTC ${i}`, mainStreamUrl: sim.cameras[i].rtspUrl.main, subStreamUrl: sim.cameras[i].rtspUrl.sub, credentials: { username: sim.username, password: sim.password }, recordingEnabled: false }, key, null);
    return getLiveCameraFor(t.db, ADMIN, c.id);
  }

  /** A connected viewer; its close() ends the session as the player does (WHEP DELETE), then the client. */
  async function connect(cam: LiveCameraRow, stream: "main" | "sub", member: { id: string; role: "admin" } = ADMIN): Promise<Client & { sessionId: string; hangUp(): void }> {
    const c = await client();
    const { sessionId, answer } = await hub.answer(cam, stream, member, c.offer);
    c.pc.setRemoteDescription(answer, "answer");
    const close = () => {
      try {
        hub.close(sessionId, member, cam.id);
      } catch {
        // already gone
      }
      c.close();
    };
    return { ...c, sessionId, close, hangUp: c.close };
  }

  test("two viewers of one stream share one ingest; each receives H.264 that ffmpeg decodes, starting at a keyframe", async () => {
    const cam = await camera(0);
    const a = await connect(cam, "sub");
    const b = await connect(cam, "sub");
    try {
      assert.equal(hub.stats().ingests, 1, "one ingest for both");
      assert.equal(hub.stats().peers, 2);
      // The simulator's 1 s GOP at 25 fps: 3 s of video is 75 frames; ask for two GOPs' worth.
      await waitFor("two seconds of video on both", () => [a, b].every((c) => decode(annexB(c.packets).stream).frames >= 50), 20_000);
      for (const c of [a, b]) {
        const { stream, nalTypes } = annexB(c.packets);
        assert.deepEqual(nalTypes.slice(0, 3), [NAL.SPS, NAL.PPS, NAL.IDR], "the burst starts with SPS, PPS and an IDR");
        const { errors } = decode(stream);
        assert.equal(errors, "", "decodes without errors");
        // The answer carried the payload type chosen from the offer: packetization-mode 1, the stream's profile or
        // Constrained Baseline, never the mode-0 one.
        const pts = new Set(c.packets.filter((p) => p[1] < 200 || p[1] > 206).map((p) => p[1] & 0x7f));
        assert.ok(pts.size === 1 && (pts.has(102) || pts.has(125)), `payload types ${[...pts]}`);
      }
      // One viewer leaves: the other goes on, the ingest stays.
      assert.throws(() => hub.close(a.sessionId, { id: "someone-else" }, cam.id), (e) => isAppError(e) && e.code === "not_found", "only its own member ends a session");
      hub.close(a.sessionId, ADMIN, cam.id);
      assert.equal(hub.stats().peers, 1);
      const before = b.packets.length;
      await waitFor("more packets for the remaining viewer", () => b.packets.length > before + 50, 5_000);
      assert.equal(hub.stats().ingests, 1);
    } finally {
      a.close();
      b.close();
    }
    assert.equal(hub.stats().peers, 0);
  });

  test("a client that disappears (no DELETE, no goodbye) is freed when ICE gives up on it", async () => {
    const cam = await camera(0);
    const c = await connect(cam, "main");
    await waitFor("video", () => c.packets.length > 20, 10_000);
    c.hangUp();
    await waitFor("the peer to be freed", () => hub.stats().perCamera[cam.id] === undefined, ICE_GONE_MS);
  });

  test("a viewer that stalls (its process stopped: it reads nothing, answers nothing) never stalls another viewer", async () => {
    const cam = await camera(0);
    // The stalled one runs in its own process (lib/testing/webrtc-client-process.ts), so SIGSTOP freezes it alone.
    const child = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "../../testing/webrtc-client-process.ts")], { stdio: ["pipe", "pipe", "inherit"] });
    let childPackets = 0;
    const offered = new Promise<string>((resolve, reject) => {
      child.once("exit", (code) => reject(new Error(`the client process exited (${code})`)));
      readline.createInterface({ input: child.stdout! }).on("line", (line) => {
        const msg = JSON.parse(line) as { offer?: string; packets?: number };
        if (msg.offer) resolve(msg.offer);
        if (msg.packets !== undefined) childPackets = msg.packets;
      });
    });
    let stalled: { sessionId: string } | null = null;
    const b = await connect(cam, "sub");
    try {
      const { sessionId, answer } = await hub.answer(cam, "sub", ADMIN, await offered);
      stalled = { sessionId };
      child.stdin!.write(`${JSON.stringify({ answer })}\n`);
      await waitFor("video on both viewers", () => childPackets > 50 && b.packets.length > 50, 20_000);
      child.kill("SIGSTOP");
      // While the other viewer is frozen, this one gets two more seconds of video (50 frames at 25 fps) that decode.
      const framesBefore = decode(annexB(b.packets).stream).frames;
      await waitFor("two more seconds of video for the viewer that reads", () => decode(annexB(b.packets).stream).frames >= framesBefore + 50, 20_000);
      assert.equal(decode(annexB(b.packets).stream).errors, "", "what it got decodes without errors");
      assert.equal(hub.stats().peers, 2, "the frozen viewer keeps its place until ICE gives up on it (tested above)");
    } finally {
      child.kill("SIGKILL");
      if (stalled) hub.close(stalled.sessionId, ADMIN, cam.id);
      b.close();
    }
    assert.equal(hub.stats().peers, 0);
  });

  test("an H.265 camera is refused with 415 (Chromium has no H.265 over WebRTC), from its status or from the stream", async () => {
    const cam = await camera(1);
    const c = await client();
    try {
      await assert.rejects(hub.answer({ ...cam, videoCodec: "hevc" }, "main", ADMIN, c.offer), (e) => isAppError(e) && e.code === "webrtc_codec_unsupported" && e.params.codec === "HEVC");
      await assert.rejects(hub.answer(cam, "main", ADMIN, c.offer), (e) => isAppError(e) && e.code === "webrtc_codec_unsupported" && e.params.codec === "H265");
    } finally {
      c.close();
    }
  });

  test("limits: per camera and per member, 429", async () => {
    const cam = await camera(0);
    const other = await camera(0);
    const clients = [await connect(cam, "sub"), await connect(cam, "sub"), await connect(cam, "main")];
    const extra = await client();
    try {
      await assert.rejects(hub.answer(cam, "sub", ADMIN, extra.offer), (e) => isAppError(e) && e.code === "webrtc_limit" && e.params.limit === 3);
      clients.push(await connect(other, "sub"));
      await assert.rejects(hub.answer(other, "sub", ADMIN, extra.offer), (e) => isAppError(e) && e.code === "webrtc_limit" && e.params.limit === 4);
      // Another member still may.
      clients.push(await connect(other, "sub", { id: "someone-else", role: "admin" }));
    } finally {
      for (const c of [...clients, extra]) c.close();
    }
    assert.equal(hub.stats().peers, 0);
  });

  test("privacy mode and disabled cameras: refused up front, and privacy mode ends running peers", async () => {
    const cam = await camera(0);
    const c = await client();
    try {
      await assert.rejects(hub.answer({ ...cam, privacyMode: true }, "sub", ADMIN, c.offer), (e) => isAppError(e) && e.code === "privacy_mode");
      await assert.rejects(hub.answer({ ...cam, isEnabled: false }, "sub", ADMIN, c.offer), (e) => isAppError(e) && e.code === "not_found");
    } finally {
      c.close();
    }
    const v = await connect(cam, "sub");
    try {
      await waitFor("video", () => v.packets.length > 20, 10_000);
      live.set(cam.id, false);
      await waitFor("the peer to be closed by the recheck", () => hub.stats().perCamera[cam.id] === undefined, 6_000);
    } finally {
      live.delete(cam.id);
      v.close();
    }
  });

  test("malformed offers are refused with a reason before anything starts", async () => {
    const cam = await camera(0);
    const ingestsBefore = hub.stats().ingests;
    const cases: [string, string][] = [
      ["", "empty"],
      ["hello", "not_sdp"],
      ["v=0\r\n" + "a=x\r\n".repeat(5000), "too_large"],
      ["v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=rtpmap:0 PCMU/8000\r\n", "no_video"],
      ["v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:0\r\na=rtpmap:96 VP8/90000\r\n", "no_h264"],
    ];
    for (const [offer, reason] of cases) await assert.rejects(hub.answer(cam, "main", ADMIN, offer), (e) => isAppError(e) && e.code === "webrtc_offer_invalid" && e.params.reason === reason, reason);
    assert.equal(hub.stats().ingests, ingestsBefore);
  });
});
