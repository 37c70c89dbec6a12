// The live view's server side against simulated cameras with real ffmpeg: the on-request ingest starts on the first
// playlist request, serves a playable window (init + segments decode as H.264), stays while asked for, and stops and
// removes its folder after the idle time; an unreachable camera is a quick 503 and recovers; a recorded camera is
// served from the recorder's newest run without starting anything; a new web process ends a predecessor's ffmpeg.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { createCamera } from "../cameras/cameras";
import { withCredentials } from "../cameras/stream-url";
import { isAppError } from "../errors";
import { buildIngestArgs } from "../ffmpeg/ingest-args";
import { findOrphanIngests } from "../ffmpeg/orphans";
import { startSimulator, type Simulator } from "../simulator/simulator";
import { createTestDb, type TestDb } from "../testing/db";
import { LiveIngestManager } from "./ingest-manager";
import { assertStrictHls } from "../testing/playlists";
import { getLiveCameraFor, liveMediaFile, readLivePlaylist as readServed, type LiveCameraRow } from "./live";
import { LIVE_WINDOW_SEGMENTS } from "./playlist";
import { recorderLiveDir, onRequestStreamDir, onRequestCameraDir } from "../data-dir";

const key = crypto.randomBytes(32);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const IDLE_MS = 2_000;

async function waitFor<T>(what: string, fn: () => T | null | undefined | false, timeoutMs: number): Promise<T> {
  const started = Date.now();
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** The served playlist, checked by an independent strict parser every time. */
async function readLivePlaylist(...args: Parameters<typeof readServed>): Promise<string> {
  const text = await readServed(...args);
  assertStrictHls(text);
  return text;
}

const uris = (playlist: string) => playlist.split("\n").filter((l) => l && !l.startsWith("#"));
const mediaSequence = (playlist: string) => Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(playlist)?.[1]);

async function rejectsWith(code: string, p: Promise<unknown>): Promise<void> {
  await assert.rejects(p, (err) => isAppError(err) && err.code === code);
}

describe("live view with simulated cameras", { timeout: 120_000 }, () => {
  let sim: Simulator;
  let t: TestDb;
  let manager: LiveIngestManager;
  let ctx: Parameters<typeof readLivePlaylist>[2];

  before(async () => {
    sim = await startSimulator({ cameras: 3, baseAddress: "127.0.0.176", rtspPort: 37554, onvifPort: 37000, discoveryPort: 47902, withOnvif: false, withDiscovery: false, controlPort: null });
    t = await createTestDb();
    manager = new LiveIngestManager({ dataDir: t.dataDir, ffmpegPath: "ffmpeg", idleMs: IDLE_MS });
    ctx = { dataDir: t.dataDir, manager, credentialsKey: key };
  });
  after(async () => {
    await manager?.close();
    await sim?.close();
    await t?.cleanup();
  });

  async function camera(i: number, recordingEnabled: boolean): Promise<LiveCameraRow> {
    const c = await createCamera(t.db, { name: `Live ${i}`, mainStreamUrl: sim.cameras[i].rtspUrl.main, subStreamUrl: sim.cameras[i].rtspUrl.sub, credentials: { username: sim.username, password: sim.password }, recordingEnabled }, key, null);
    return getLiveCameraFor(t.db, { id: "admin", role: "admin" }, c.id);
  }

  test("on request: starts on the first playlist request, plays, stays while asked for, stops when idle", async () => {
    const cam = await camera(0, false);
    const started = Date.now();
    const first = await readLivePlaylist(cam, "sub", ctx);
    const firstMs = Date.now() - started;
    assert.ok(firstMs < 4_000, `first playlist after ${firstMs} ms`);
    assert.deepEqual(manager.sessions().map((s) => [s.cameraId, s.stream]), [[cam.id, "sub"]]);
    const [runId] = uris(first)[0].split("/");
    assert.match(first, new RegExp(`#EXT-X-MAP:URI="${runId}/init.mp4"`));
    assert.ok(fs.existsSync(path.join(onRequestStreamDir(t.dataDir, cam.id, "sub"), runId)), "run folder under live-ondemand/<camera>/sub");

    // The files the URIs name (checked below: spawnSync would block the requests that keep the ingest alive).
    const init = liveMediaFile(cam, "sub", runId, "init.mp4", t.dataDir, manager);
    const segment = liveMediaFile(cam, "sub", runId, uris(first)[0].split("/")[1], t.dataDir, manager);
    const joined = path.join(t.dataDir, "joined.mp4");
    fs.writeFileSync(joined, Buffer.concat([fs.readFileSync(init), fs.readFileSync(segment)]));

    // Asked for every 0.5 s for longer than the idle time and the window (6 × 1 s): it keeps running and moves on.
    for (let i = 0; i < 16; i++) {
      await sleep(500);
      await readLivePlaylist(cam, "sub", ctx);
    }
    const later = await readLivePlaylist(cam, "sub", ctx);
    assert.ok(mediaSequence(later) > mediaSequence(first), `window moved: ${mediaSequence(first)} → ${mediaSequence(later)}`);
    assert.equal(uris(later)[0].split("/")[0], runId, "same run");
    assert.ok(uris(later).length >= 3 && uris(later).length <= LIVE_WINDOW_SEGMENTS, `${uris(later).length} segments served`);

    // Nobody asks: gone within the idle time (+ sweep and ffmpeg's exit), folder and process included.
    const quietFrom = Date.now();
    await waitFor("the session to stop", () => manager.sessions().length === 0, IDLE_MS + 3_000);
    await waitFor("the folder to go", () => !fs.existsSync(onRequestCameraDir(t.dataDir, cam.id)), 3_000);
    const stoppedAfter = Date.now() - quietFrom;
    assert.ok(stoppedAfter >= IDLE_MS - 100, `stopped after ${stoppedAfter} ms, not before the idle time`);
    assert.deepEqual(findOrphanIngests(manager.root), [], "no ffmpeg left");
    assert.throws(() => liveMediaFile(cam, "sub", "not-a-run", "init.mp4", t.dataDir, manager), (e) => isAppError(e) && e.code === "not_found");

    // init + first segment is a playable fMP4 of the sub stream: 640×360 H.264 that decodes without an error.
    const probe = JSON.parse(spawnSync("ffprobe", ["-v", "error", "-show_entries", "stream=codec_name,width,height", "-of", "json", joined], { encoding: "utf8" }).stdout);
    assert.deepEqual(probe.streams[0], { codec_name: "h264", width: 640, height: 360 });
    assert.equal(spawnSync("ffmpeg", ["-v", "error", "-i", joined, "-f", "null", "-"], { encoding: "utf8" }).stderr.trim(), "", "decodes cleanly");
  });

  test("an unreachable camera is a quick 503; once it is back, the stream comes back", async () => {
    const cam = await camera(1, false);
    await sim.setOutage(1, "refuse");
    try {
      const started = Date.now();
      await rejectsWith("live_unavailable", readLivePlaylist(cam, "main", ctx));
      assert.ok(Date.now() - started <= 4_500, `503 after ${Date.now() - started} ms`);
      // While ffmpeg waits for its restart, a request answers at once.
      await sleep(300);
      const again = Date.now();
      await rejectsWith("live_unavailable", readLivePlaylist(cam, "main", ctx));
      assert.ok(Date.now() - again < 4_500);
    } finally {
      await sim.setOutage(1, "off");
    }
    // Viewers keep asking (the player retries); the restart with backoff brings it back.
    let text: string | null = null;
    for (const deadline = Date.now() + 20_000; !text && Date.now() < deadline; ) {
      try {
        text = await readLivePlaylist(cam, "main", ctx);
      } catch (err) {
        if (!isAppError(err) || err.code !== "live_unavailable") throw err;
        await sleep(1000);
      }
    }
    assert.ok(text && uris(text).length >= 1, "the stream is back");
    manager.stopCamera(cam.id, "test done");
  });

  test("a request waiting for a silent camera keeps the ingest alive past the idle time, then is a 503", async () => {
    const cam = await camera(1, false);
    await sim.setOutage(1, "stall"); // connects, then sends nothing: ffmpeg waits (5 s socket timeout)
    try {
      const started = Date.now();
      await rejectsWith("live_unavailable", readLivePlaylist(cam, "sub", { ...ctx, waitMs: IDLE_MS + 1_500 }));
      assert.ok(Date.now() - started >= IDLE_MS + 1_500, "waited the whole time");
      assert.deepEqual(manager.sessions().map((s) => s.cameraId), [cam.id], "not stopped as idle while a request waited");
    } finally {
      await sim.setOutage(1, "off");
      manager.stopCamera(cam.id, "test done");
    }
  });

  test("a recorded camera's main stream is served from the recorder's newest run; nothing is started", async () => {
    const cam = await camera(2, true);
    const root = recorderLiveDir(t.dataDir, cam.id);
    // An old run that ended, and the current one, written by the recorder's own ingest argv.
    const oldRun = path.join(root, "1000");
    fs.mkdirSync(oldRun, { recursive: true });
    fs.writeFileSync(path.join(oldRun, "index.m3u8"), "#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXT-X-MEDIA-SEQUENCE:0\n#EXTINF:1.0,\nseg-0.m4s\n#EXT-X-ENDLIST\n");
    const runId = String(Date.now());
    fs.mkdirSync(path.join(root, runId));
    const url = withCredentials(sim.cameras[2].rtspUrl.main, { username: sim.username, password: sim.password });
    const ingest = spawn("ffmpeg", buildIngestArgs({ inputUrl: url, outputDir: path.join(root, runId), segmentSeconds: 0.5, listSize: 41 }), { stdio: "ignore" });
    try {
      const text = await readLivePlaylist(cam, "main", ctx);
      assert.ok(uris(text).every((u) => u.startsWith(`${runId}/seg-`)), text);
      assert.deepEqual(manager.sessions(), [], "no on-request ingest for a recorded main stream");
      // A few seconds in, the recorder's long list is cut to the live window.
      await sleep(6_000);
      const later = await readLivePlaylist(cam, "main", ctx);
      assert.equal(uris(later).length, LIVE_WINDOW_SEGMENTS);
      const newest = uris(later)[LIVE_WINDOW_SEGMENTS - 1].split("/")[1];
      assert.ok(fs.statSync(liveMediaFile(cam, "main", runId, newest, t.dataDir, manager)).size > 10_000, "a 1080p segment");
      // Program dates are on the server's clock: the newest segment ended (was listed) within the last second or so.
      const pdts = later.split("\n").filter((l) => l.startsWith("#EXT-X-PROGRAM-DATE-TIME:")).map((l) => Date.parse(l.slice(25)));
      const newestEnd = pdts[LIVE_WINDOW_SEGMENTS - 1] + 1000;
      assert.ok(Date.now() - newestEnd >= -100 && Date.now() - newestEnd < 2_000, `newest segment ended ${Date.now() - newestEnd} ms ago`);
    } finally {
      ingest.kill("SIGTERM");
      await new Promise((r) => ingest.once("exit", r));
    }
    // The recorder's ffmpeg ended (ENDLIST) and no new run came: not live.
    await rejectsWith("live_unavailable", readLivePlaylist(cam, "main", { ...ctx, waitMs: 300 }));
    // The sub stream of the same camera is on request.
    await readLivePlaylist(cam, "sub", ctx);
    assert.deepEqual(manager.sessions().map((s) => [s.cameraId, s.stream]), [[cam.id, "sub"]]);
    manager.stopCamera(cam.id, "test done");
  });

  test("privacy mode and disabled cameras: refused, and their on-request ingest stops at once", async () => {
    const cam = await camera(0, false);
    await readLivePlaylist(cam, "sub", ctx);
    assert.equal(manager.sessions().length, 1);
    // The route reads the camera on every request: as the next request after an admin turned privacy mode on.
    await rejectsWith("privacy_mode", readLivePlaylist({ ...cam, privacyMode: true }, "sub", ctx));
    assert.deepEqual(manager.sessions(), []);
    assert.throws(() => liveMediaFile({ ...cam, privacyMode: true }, "sub", "1", "init.mp4", t.dataDir, manager), (e) => isAppError(e) && e.code === "privacy_mode");
    await rejectsWith("not_found", readLivePlaylist({ ...cam, isEnabled: false }, "main", ctx));
    assert.deepEqual(manager.sessions(), []);
  });

  test("per-camera access: unknown camera 404, not granted 403", async () => {
    const cam = await camera(0, false);
    await rejectsWith("forbidden", getLiveCameraFor(t.db, { id: "someone", role: "member" }, cam.id));
    await rejectsWith("not_found", getLiveCameraFor(t.db, { id: "someone", role: "member" }, "no-such-camera"));
  });

  test("a new web process ends the ffmpeg and folders its predecessor left behind", async () => {
    const cam = await camera(0, false);
    await readLivePlaylist(cam, "sub", ctx);
    const pids = findOrphanIngests(manager.root);
    assert.equal(pids.length, 1);
    const successor = new LiveIngestManager({ dataDir: t.dataDir, ffmpegPath: "ffmpeg", idleMs: IDLE_MS });
    try {
      assert.equal(fs.existsSync(successor.root), false, "folder removed");
      await waitFor("the old ffmpeg to end", () => findOrphanIngests(manager.root).length === 0, 3_000);
    } finally {
      await manager.close();
      await successor.close();
    }
    manager = new LiveIngestManager({ dataDir: t.dataDir, ffmpegPath: "ffmpeg", idleMs: IDLE_MS });
  });
});
