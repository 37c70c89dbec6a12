// `npm run bench:live -- --webrtc-cycles N`: N WebRTC connect → first video → DELETE cycles against the WebRTC hub
// (lib/live/webrtc/hub.ts, in this process) fed by a simulated camera, with node-datachannel as the browser; prints the
// process's RSS, JS heap, external memory and open file descriptors (sockets included) before, every quarter and after,
// each after a forced GC. What it answers: does a viewer that comes and goes leave memory or sockets behind
// (lib/live/WEBRTC-SPIKE-REPORT.md: RSS +25–68 KB per cycle before callbacks were reset on close)?
// `npm run bench:live -- --webrtc-sound [N]`: what sound over WebRTC costs. One viewer on a simulated 1080p camera per
// case, the RTP ingest's ffmpeg CPU read from /proc over SOUND_SECONDS: without sound (the baseline, same run), G.711
// copied, AAC converted to Opus (libopus); N rounds, the cases interleaved so that machine noise hits each alike.
import crypto from "node:crypto";
import fs from "node:fs";
import v8 from "node:v8";
import vm from "node:vm";
import nodeDataChannel from "node-datachannel";
import { createCamera } from "../lib/cameras/cameras";
import { ffmpegHasEncoder } from "../lib/ffmpeg/engine";
import { childProcesses, readArgv } from "../lib/testing/proc-stats";
import { getLiveCameraFor } from "../lib/live/live";
import { WebRtcHub } from "../lib/live/webrtc/hub";
import { startSimulator } from "../lib/simulator/simulator";
import { createTestDb } from "../lib/testing/db";

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Reading = { cycle: number; rssMb: number; heapMb: number; externalMb: number; fds: number };

async function reading(cycle: number): Promise<Reading> {
  for (let i = 0; i < 3; i++) {
    gc();
    await sleep(100);
  }
  const m = process.memoryUsage();
  const mb = (b: number) => Math.round((b / 1024 / 1024) * 10) / 10;
  return { cycle, rssMb: mb(m.rss), heapMb: mb(m.heapUsed), externalMb: mb(m.external + m.arrayBuffers), fds: fs.readdirSync("/proc/self/fd").length };
}

/** H.264 profiles a bench viewer offers: constrained baseline (the simulator's) and main, level 3.1; payload type → fmtp. */
const H264_OFFERS: [number, string][] = [
  [102, "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f"],
  [125, "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=4d001f"],
];

/**
 * A node-datachannel peer standing in for a browser: receive-only H.264 video and, with `onAudio`, Opus or µ-law sound.
 * The callbacks get every message of their track, RTCP included. `offer()` gathers and returns the SDP offer;
 * `close()` drops the callbacks (the library would keep them alive) and closes.
 */
function benchViewer(name: string, onVideo: (msg: Buffer) => void, onAudio?: (msg: Buffer) => void) {
  const pc = new nodeDataChannel.PeerConnection(name, { iceServers: [] });
  const video = new nodeDataChannel.Video("0", "RecvOnly");
  for (const [pt, fmtp] of H264_OFFERS) video.addH264Codec(pt, fmtp);
  const track = pc.addTrack(video);
  track.onMessage((m) => onVideo(m as Buffer));
  let audioTrack: ReturnType<typeof pc.addTrack> | null = null;
  if (onAudio) {
    const audio = new nodeDataChannel.Audio("1", "RecvOnly");
    audio.addOpusCodec(111);
    audio.addAudioCodec(0, "PCMU/8000");
    audioTrack = pc.addTrack(audio);
    audioTrack.onMessage((m) => onAudio(m as Buffer));
  }
  return {
    async offer(): Promise<string> {
      const gathered = new Promise<void>((r) => pc.onGatheringStateChange((s) => s === "complete" && r()));
      pc.setLocalDescription();
      await gathered;
      return pc.localDescription()!.sdp;
    },
    answer: (sdp: string) => pc.setRemoteDescription(sdp, "answer"),
    close(): void {
      track.onMessage(() => {});
      audioTrack?.onMessage(() => {});
      pc.onGatheringStateChange(() => {});
      pc.close();
    },
  };
}

/** RTCP shares the tracks' messages: packet types 200–206 in the second byte (RTP's marker bit and payload type there never give those for the payload types offered here: 102, 125, 0, 111). */
const isRtcp = (msg: Buffer) => msg[1] >= 200 && msg[1] <= 206;

export async function runWebRtcCycles(cycles: number): Promise<number> {
  const sim = await startSimulator({ cameras: 1, baseAddress: "127.0.0.52", rtspPort: 40354, withOnvif: false, withDiscovery: false, controlPort: null });
  const t = await createTestDb();
  const key = crypto.randomBytes(32);
  const hub = new WebRtcHub({ ffmpegPath: process.env.FFMPEG_PATH ?? "ffmpeg", credentialsKey: key, bindAddress: "127.0.0.1", maxPeersPerCamera: 4, maxPeersPerMember: 4 });
  const admin = { id: "admin", role: "admin" as const };
  const created = await createCamera(t.db, { name: "cycles", mainStreamUrl: sim.cameras[0].rtspUrl.main, subStreamUrl: sim.cameras[0].rtspUrl.sub, credentials: { username: sim.username, password: sim.password }, recordingEnabled: false }, key, null);
  const camera = await getLiveCameraFor(t.db, admin, created.id);
  const readings: Reading[] = [];
  const cycleMs: number[] = [];
  let failures = 0;
  // One viewer stays for the whole run: the ingest keeps running, so only the per-viewer cost is measured.
  const keeper = await connect();
  const cycle = async () => {
    const started = performance.now();
    const c = await connect();
    hub.close(c.sessionId, admin, camera.id);
    c.close();
    cycleMs.push(performance.now() - started);
  };
  async function connect(): Promise<{ sessionId: string; close(): void }> {
    let packets = 0;
    const viewer = benchViewer("bench", () => packets++);
    const { sessionId, answer } = await hub.answer(camera, "sub", admin, await viewer.offer());
    viewer.answer(answer);
    const deadline = Date.now() + 10_000;
    while (packets < 10 && Date.now() < deadline) await sleep(10);
    if (packets < 10) failures++;
    return { sessionId, close: viewer.close };
  }
  try {
    for (let i = 0; i < 10; i++) await cycle(); // warm-up: first-use allocations of the library
    readings.push(await reading(0));
    for (let i = 1; i <= cycles; i++) {
      await cycle();
      if (i % Math.max(1, Math.floor(cycles / 4)) === 0 || i === cycles) readings.push(await reading(i));
    }
  } finally {
    keeper.close();
    await hub.closeAll();
    await sim.close();
    await t.cleanup();
  }
  const sorted = [...cycleMs].sort((a, b) => a - b);
  const p = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor((q / 100) * sorted.length))]);
  console.log(`WebRTC connect/disconnect cycles: ${cycles} (after 10 warm-up), cycle (offer → 10 RTP packets received → DELETE) p50 ${p(50)} ms, p95 ${p(95)} ms; ${failures} without video`);
  console.log("cycle     RSS MB   heap MB   external MB   fds");
  for (const r of readings) console.log(`${String(r.cycle).padStart(5)} ${String(r.rssMb).padStart(9)} ${String(r.heapMb).padStart(9)} ${String(r.externalMb).padStart(13)} ${String(r.fds).padStart(5)}`);
  const first = readings[0];
  const last = readings[readings.length - 1];
  console.log(`growth over ${cycles} cycles: RSS ${(last.rssMb - first.rssMb).toFixed(1)} MB (${(((last.rssMb - first.rssMb) * 1024) / cycles).toFixed(1)} KB per cycle), heap ${(last.heapMb - first.heapMb).toFixed(1)} MB, fds ${last.fds - first.fds}; peers left ${hub.stats().peers}`);
  return failures === 0 ? 0 : 1;
}

export type WebRtcLoadStats = { clients: number; connected: number; refused: string[]; packets: number; bytes: number; frames: number; stalls: number; clientsStalled: number; longestGapMs: number };

/** No RTP packet for longer than this is a stall (a 25 fps stream sends ≥ 25 packets a second), ms. */
export const WEBRTC_STALL_MS = 1_000;

/**
 * `clients` WebRTC viewers (node-datachannel, as a browser would: WHEP through the server's HTTP with the session
 * cookie) on `cameraIds` round robin, main streams, for `seconds`: RTP packets, frames (marker bits), stalls.
 */
export async function runWebRtcLoad(base: string, cookie: string, cameraIds: string[], clients: number, seconds: number): Promise<WebRtcLoadStats> {
  const stats: WebRtcLoadStats = { clients, connected: 0, refused: [], packets: 0, bytes: 0, frames: 0, stalls: 0, clientsStalled: 0, longestGapMs: 0 };
  const peers: { close(): void; resource: string | null }[] = [];
  const endAt = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async (_, i) => {
      await sleep(i * 50);
      let last = 0;
      let stalled = false;
      const viewer = benchViewer(`load-${i}`, (msg) => {
        const now = Date.now();
        if (isRtcp(msg)) return;
        if (last && now - last > WEBRTC_STALL_MS && now < endAt) {
          stats.stalls++;
          stalled = true;
        }
        if (last) stats.longestGapMs = Math.max(stats.longestGapMs, now - last);
        last = now;
        stats.packets++;
        stats.bytes += msg.length;
        if (msg[1] & 0x80) stats.frames++;
      });
      const offer = await viewer.offer();
      const res = await fetch(`${base}/api/cameras/${encodeURIComponent(cameraIds[i % cameraIds.length])}/live/main/whep`, {
        method: "POST",
        headers: { "content-type": "application/sdp", cookie, origin: base },
        body: offer,
      });
      if (res.status !== 201) {
        stats.refused.push(`${res.status} ${(await res.text()).slice(0, 120)}`);
        viewer.close();
        return;
      }
      viewer.answer(await res.text());
      const location = res.headers.get("location");
      peers.push({ resource: location ? new URL(location, base).toString() : null, close: viewer.close });
      stats.connected++;
      while (Date.now() < endAt) await sleep(200);
      if (stalled) stats.clientsStalled++;
    }),
  );
  for (const p of peers) {
    if (p.resource) await fetch(p.resource, { method: "DELETE", headers: { cookie, origin: base } }).catch(() => undefined);
    p.close();
  }
  return stats;
}

/** How long each case of --webrtc-sound is measured, s (after SOUND_WARMUP_MS). */
const SOUND_SECONDS = 20;
const SOUND_WARMUP_MS = 3_000;

export async function runWebRtcSound(rounds: number): Promise<number> {
  const ffmpeg = process.env.FFMPEG_PATH ?? "ffmpeg";
  const sim = await startSimulator({ cameras: 3, audios: ["aac", "pcmu", "aac"], baseAddress: "127.0.0.56", rtspPort: 40358, withOnvif: false, withDiscovery: false, controlPort: null });
  const t = await createTestDb();
  const key = crypto.randomBytes(32);
  const hub = new WebRtcHub({ ffmpegPath: ffmpeg, credentialsKey: key, bindAddress: "127.0.0.1", maxPeersPerCamera: 4, maxPeersPerMember: 4, canEncodeOpus: () => ffmpegHasEncoder(ffmpeg, "libopus") });
  const admin = { id: "admin", role: "admin" as const };
  // Camera 0 without "record sound" is the baseline: the same AAC stream, video only.
  const cases = [
    { name: "video only (baseline)", sim: 0, recordSound: false },
    { name: "G.711 µ-law copied", sim: 1, recordSound: true },
    { name: "AAC → Opus (libopus)", sim: 2, recordSound: true },
  ];
  const cams = [];
  for (const c of cases) {
    const created = await createCamera(t.db, { name: c.name, mainStreamUrl: sim.cameras[c.sim].rtspUrl.main, credentials: { username: sim.username, password: sim.password }, recordingEnabled: false, recordSound: c.recordSound }, key, null);
    cams.push(await getLiveCameraFor(t.db, admin, created.id));
  }
  const results: number[][] = cases.map(() => []);
  const soundPackets: number[][] = cases.map(() => []);
  let failures = 0;
  try {
    for (let round = 1; round <= rounds; round++) {
      for (const [i, camera] of cams.entries()) {
        let heard = 0;
        const viewer = benchViewer("sound", () => undefined, (m) => !isRtcp(m) && heard++);
        const { sessionId, answer } = await hub.answer(camera, "main", admin, await viewer.offer());
        viewer.answer(answer);
        await sleep(SOUND_WARMUP_MS);
        const url = sim.cameras[cases[i].sim].rtspUrl.main;
        const ingest = childProcesses(process.pid).find((p) => (readArgv(p.pid) ?? []).some((a) => a.includes(new URL(url).host)) && (readArgv(p.pid) ?? []).includes("rtp"));
        if (!ingest) {
          failures++;
          console.log(`round ${round}, ${cases[i].name}: no ingest ffmpeg found`);
        } else {
          const before = ingest.cpuMs;
          const heardBefore = heard;
          await sleep(SOUND_SECONDS * 1000);
          const after = childProcesses(process.pid).find((p) => p.pid === ingest.pid && p.startTicks === ingest.startTicks);
          if (!after) failures++;
          else results[i].push(((after.cpuMs - before) / (SOUND_SECONDS * 1000)) * 100);
          soundPackets[i].push((heard - heardBefore) / SOUND_SECONDS);
        }
        hub.close(sessionId, admin, camera.id);
        viewer.close();
        // The ingest stops IDLE_MS after its viewer left; the next case's measurement must not include it.
        await sleep(11_000);
      }
    }
  } finally {
    await hub.closeAll();
    await sim.close();
    await t.cleanup();
  }
  const range = (xs: number[], digits = 1) => (xs.length ? `${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)}` : "—");
  console.log(`Sound over WebRTC: the RTP ingest's ffmpeg CPU, % of one core, over ${SOUND_SECONDS} s per case, ${rounds} rounds (1080p H.264 simulated camera, one viewer)`);
  console.log("case                      CPU % (range)   extra over the baseline   sound packets/s");
  cases.forEach((c, i) => {
    const extra = results[i].map((x, r) => x - (results[0][r] ?? NaN));
    console.log(`${c.name.padEnd(26)}${range(results[i]).padStart(13)}   ${(i === 0 ? "—" : range(extra, 2)).padStart(23)}   ${range(soundPackets[i], 0).padStart(15)}`);
  });
  return failures === 0 ? 0 : 1;
}
