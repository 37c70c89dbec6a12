// `npm run bench:live -- --webrtc-cycles N`: N WebRTC connect → first video → DELETE cycles against the WebRTC hub
// (lib/live/webrtc/hub.ts, in this process) fed by a simulated camera, with node-datachannel as the browser; prints the
// process's RSS, JS heap, external memory and open file descriptors (sockets included) before, every quarter and after,
// each after a forced GC. What it answers: does a viewer that comes and goes leave memory or sockets behind
// (lib/live/WEBRTC-SPIKE-REPORT.md: RSS +25–68 KB per cycle before callbacks were reset on close)?
import crypto from "node:crypto";
import fs from "node:fs";
import v8 from "node:v8";
import vm from "node:vm";
import nodeDataChannel from "node-datachannel";
import { createCamera } from "../lib/cameras/cameras";
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
    const pc = new nodeDataChannel.PeerConnection("bench", { iceServers: [] });
    const video = new nodeDataChannel.Video("0", "RecvOnly");
    video.addH264Codec(102, "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f");
    const track = pc.addTrack(video);
    let packets = 0;
    track.onMessage(() => packets++);
    const gathered = new Promise<void>((r) => pc.onGatheringStateChange((s) => s === "complete" && r()));
    pc.setLocalDescription();
    await gathered;
    const { sessionId, answer } = await hub.answer(camera, "sub", admin, pc.localDescription()!.sdp);
    pc.setRemoteDescription(answer, "answer");
    const deadline = Date.now() + 10_000;
    while (packets < 10 && Date.now() < deadline) await sleep(10);
    if (packets < 10) failures++;
    return {
      sessionId,
      close: () => {
        track.onMessage(() => {});
        pc.onGatheringStateChange(() => {});
        pc.close();
      },
    };
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
      const pc = new nodeDataChannel.PeerConnection(`load-${i}`, { iceServers: [] });
      const video = new nodeDataChannel.Video("0", "RecvOnly");
      video.addH264Codec(102, "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f");
      video.addH264Codec(125, "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=4d001f");
      const track = pc.addTrack(video);
      let last = 0;
      let stalled = false;
      track.onMessage((msg) => {
        const now = Date.now();
        const buf = msg as Buffer;
        if (buf[1] >= 200 && buf[1] <= 206) return; // RTCP
        if (last && now - last > WEBRTC_STALL_MS && now < endAt) {
          stats.stalls++;
          stalled = true;
        }
        if (last) stats.longestGapMs = Math.max(stats.longestGapMs, now - last);
        last = now;
        stats.packets++;
        stats.bytes += buf.length;
        if (buf[1] & 0x80) stats.frames++;
      });
      const gathered = new Promise<void>((r) => pc.onGatheringStateChange((s) => s === "complete" && r()));
      pc.setLocalDescription();
      await gathered;
      const res = await fetch(`${base}/api/cameras/${encodeURIComponent(cameraIds[i % cameraIds.length])}/live/main/whep`, {
        method: "POST",
        headers: { "content-type": "application/sdp", cookie, origin: base },
        body: pc.localDescription()!.sdp,
      });
      if (res.status !== 201) {
        stats.refused.push(`${res.status} ${(await res.text()).slice(0, 120)}`);
        pc.close();
        return;
      }
      pc.setRemoteDescription(await res.text(), "answer");
      const location = res.headers.get("location");
      peers.push({ resource: location ? new URL(location, base).toString() : null, close: () => pc.close() });
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
