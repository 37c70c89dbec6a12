// What a live stream holds, read from its run's init segment (no simulator: an HLS run written by ffmpeg from a test
// source, H.265 as the ingest writes it — `hev1` — with AAC, made live by a fresh playlist without ENDLIST): the exact
// codec strings as served (`hvc1`: the init segment is served through initWithHvc1), the picture size, the sound, which
// stream is ingested; an unreadable init is "not up yet" (503). And the on-request ingest takes the camera's sound as the
// recorder does (soundModeFor: none unless "record sound" is on; AAC copied, anything else converted).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { recorderLiveDir } from "../data-dir";
import { isAppError } from "../errors";
import { bufferSource } from "../mp4/boxes";
import { readTrackCodecs } from "../mp4/codec-string";
import { createTestDb, type TestDb } from "../testing/db";
import type { LiveIngestManager, OnRequestIngest } from "./ingest-manager";
import { getLiveCameraFor, readLivePlaylist, readLiveStreamInfo, readServedInitSegment, type LiveContext } from "./live";

const key = crypto.randomBytes(32);
const ADMIN = { id: "admin", role: "admin" as const };

describe("live stream info", { timeout: 60_000 }, () => {
  let t: TestDb;
  let template = "";

  before(async () => {
    t = await createTestDb();
    template = fs.mkdtempSync(path.join(os.tmpdir(), "nightjar-live-run-"));
    const r = spawnSync(
      "ffmpeg",
      [
        ...["-hide_banner", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=16000", "-t", "2"],
        ...["-map", "0:v", "-map", "1:a", "-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=error:keyint=25", "-c:a", "aac"],
        ...["-f", "hls", "-hls_segment_type", "fmp4", "-hls_time", "1", "-hls_list_size", "0", "-hls_flags", "independent_segments+program_date_time+omit_endlist", "-hls_fmp4_init_filename", "init.mp4"],
        ...["-hls_segment_filename", path.join(template, "seg-%d.m4s"), path.join(template, "index.m3u8")],
      ],
      { encoding: "utf8" },
    );
    assert.equal(r.status, 0, r.stderr);
  });
  after(async () => {
    fs.rmSync(template, { recursive: true, force: true });
    await t.cleanup();
  });

  async function camera(id: string, opts: { recorded: boolean; sub?: boolean; recordSound?: boolean; audioCodec?: string | null }) {
    await t.db.camera.create({
      data: { id, name: id, mainStreamUrl: `rtsp://192.0.2.1/${id}/main`, subStreamUrl: opts.sub ? `rtsp://192.0.2.1/${id}/sub` : null, recordingEnabled: opts.recorded, recordSound: opts.recordSound ?? false },
    });
    if (opts.audioCodec !== undefined) await t.db.cameraStatus.create({ data: { cameraId: id, audioCodec: opts.audioCodec } });
    return getLiveCameraFor(t.db, ADMIN, id);
  }

  /** A copy of the template run as `<root>/<runId>`, its playlist just written (live). */
  function liveRun(root: string): { runId: string; dir: string } {
    const runId = String(Date.now());
    const dir = path.join(root, runId);
    fs.cpSync(template, dir, { recursive: true });
    const now = new Date();
    fs.utimesSync(path.join(dir, "index.m3u8"), now, now);
    return { runId, dir };
  }

  /** A manager stand-in: records what the live view asks it to ingest and answers with `run`. */
  function stubManager(run: { runId: string; dir: string } | null) {
    const asked: OnRequestIngest[] = [];
    const manager = { touch: (ingest: OnRequestIngest) => (asked.push(ingest), { run }), stopCamera: () => undefined } as unknown as LiveIngestManager;
    return { asked, ctx: { dataDir: t.dataDir, manager, credentialsKey: key, waitMs: 300 } satisfies LiveContext };
  }

  test("a recorded H.265 camera with sound: exact strings as served (hvc1), size and sound, from the recorder's run", async () => {
    const cam = await camera("rec", { recorded: true, sub: true, recordSound: true, audioCodec: "aac" });
    const run = liveRun(recorderLiveDir(t.dataDir, cam.id));
    const { ctx, asked } = stubManager(null);
    const info = await readLiveStreamInfo(cam, "main", ctx);
    assert.deepEqual(info, {
      stream: "main",
      hasSubStream: true,
      runId: run.runId,
      mimeType: 'video/mp4; codecs="hvc1.1.6.L63.90,mp4a.40.2"',
      video: { codec: "hvc1.1.6.L63.90", width: 640, height: 360 },
      audio: { codec: "mp4a.40.2" },
    });
    assert.deepEqual(asked, [], "a recorded main stream starts nothing");

    // The init segment as served: hev1 (ffmpeg's) renamed hvc1, same length, everything else unchanged.
    const file = path.join(run.dir, "init.mp4");
    const raw = fs.readFileSync(file);
    const served = readServedInitSegment(file);
    assert.equal(served.bytes.length, raw.length);
    assert.equal(served.stat.size, raw.length);
    assert.deepEqual(readTrackCodecs(bufferSource(raw)).map((tr) => tr.sampleEntry), ["hev1", "mp4a"]);
    assert.deepEqual(readTrackCodecs(bufferSource(served.bytes)).map((tr) => tr.sampleEntry), ["hvc1", "mp4a"]);
    const differing = [...raw].flatMap((b, i) => (b === served.bytes[i] ? [] : [i]));
    assert.ok(differing.length > 0 && differing.length <= 4, `only the four characters change (${differing.length} bytes)`);

    // Not up yet: the run's init segment is missing (or cut short) → 503 like a stream that is starting.
    fs.rmSync(file);
    await assert.rejects(readLiveStreamInfo(cam, "main", ctx), (e) => isAppError(e) && e.code === "live_unavailable");
    assert.throws(() => readServedInitSegment(file), (e) => isAppError(e) && e.code === "not_found");
  });

  test("the sub stream asked of a camera without one: the main stream is ingested, and says so", async () => {
    const cam = await camera("nosub", { recorded: false, sub: false });
    const run = liveRun(fs.mkdtempSync(path.join(os.tmpdir(), "nightjar-ondemand-")));
    const { ctx, asked } = stubManager(run);
    const info = await readLiveStreamInfo(cam, "sub", ctx);
    assert.equal(info.stream, "main");
    assert.equal(info.hasSubStream, false);
    assert.equal(asked[0].stream, "main");
    fs.rmSync(path.dirname(run.dir), { recursive: true, force: true });
  });

  test("the on-request ingest takes the camera's sound as the recorder does", async () => {
    const cases: [string, boolean, string | null | undefined, string][] = [
      ["sound off", false, "aac", "none"],
      ["sound on, AAC: copied", true, "aac", "copy"],
      ["sound on, G.711: converted", true, "pcm_mulaw", "aac"],
      ["sound on, not probed yet: converted", true, undefined, "aac"],
    ];
    for (const [name, recordSound, audioCodec, sound] of cases) {
      const cam = await camera(`snd-${sound}-${recordSound}-${audioCodec}`, { recorded: false, sub: true, recordSound, audioCodec });
      const { ctx, asked } = stubManager(null);
      await assert.rejects(readLivePlaylist(cam, "sub", ctx), (e) => isAppError(e) && e.code === "live_unavailable");
      assert.equal(asked[0]?.sound, sound, name);
      assert.equal(asked[0]?.stream, "sub");
    }
  });
});
