// Integration: H.265 main streams and sound. One replay simulator with camera 0 = H.265 main + AAC and camera 1 =
// H.264 main + G.711 µ-law (127.0.0.242-243, high ports), pulled by the real ffmpeg/ffprobe. The first run on a cold
// cache generates the H.265 clips (≈ 15 s) and, in the last test, the H.265 1280x720 pair (≈ 8 s).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { createSimulatorClient } from "./control";
import { startSimulator, type Simulator } from "./simulator";

const BASE = "127.0.0.242";
const RTSP_PORT = 28754;

type Run = { code: number | null; stdout: string; stderr: string };
/** Runs a command to completion (killed after timeoutMs). */
function run(cmd: string, args: string[], timeoutMs = 30_000): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let sim: Simulator;
let tmp: string;
const withAuth = (url: string) => url.replace("rtsp://", `rtsp://${sim.username}:${encodeURIComponent(sim.password)}@`);

type ProbedStream = { codec_type: string; codec_name: string; profile?: string; width?: number; height?: number; sample_rate?: string; channels?: number };
async function probe(url: string): Promise<ProbedStream[]> {
  const r = await run("ffprobe", ["-v", "error", "-rtsp_transport", "tcp", "-show_entries", "stream=codec_type,codec_name,profile,width,height,sample_rate,channels", "-of", "json", url]);
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as { streams: ProbedStream[] }).streams;
}

/** UDP receive buffer for an RTP-over-UDP pull, bytes: ffmpeg's own 64 KB is less than one 1080p H.265 keyframe burst,
 * which a pull starved of CPU for a moment then loses (the kernel caps it at net.core.rmem_max: 208 KB by default,
 * 4 MB on these machines). */
const UDP_BUFFER_BYTES = 4 * 1024 * 1024;

/** Pulls `seconds` of a stream with stream copy into `name` (its extension picks the container). */
async function pull(url: string, seconds: number, name: string, transport: "tcp" | "udp", extra: string[] = []): Promise<string> {
  const file = path.join(tmp, name);
  const udp = transport === "udp" ? ["-buffer_size", String(UDP_BUFFER_BYTES)] : [];
  const r = await run("ffmpeg", ["-v", "error", "-y", "-rtsp_transport", transport, ...udp, "-timeout", "3000000", "-i", url, "-t", String(seconds), "-c", "copy", ...extra, file]);
  assert.equal(r.code, 0, r.stderr);
  return file;
}

type FileStream = { codec_type: string; codec_name: string; codec_tag_string: string; profile?: string; width?: number; height?: number; start_time: string; duration: string };
/** Streams, decode errors, audio loudness (dBFS) and audio packet timestamps of a recorded file. */
async function inspect(file: string) {
  const info = JSON.parse((await run("ffprobe", ["-v", "error", "-show_entries", "stream=codec_type,codec_name,codec_tag_string,profile,width,height,start_time,duration", "-of", "json", file])).stdout) as { streams: FileStream[] };
  const video = info.streams.find((s) => s.codec_type === "video")!;
  const audio = info.streams.find((s) => s.codec_type === "audio")!;
  const decode = await run("ffmpeg", ["-v", "error", "-i", file, "-f", "null", "-"]);
  const volume = await run("ffmpeg", ["-v", "info", "-nostats", "-i", file, "-map", "0:a", "-af", "volumedetect", "-f", "null", "-"]);
  const meanDb = Number(/mean_volume: (-?[\d.]+) dB/.exec(volume.stderr)?.[1]);
  const audioPts = (await run("ffprobe", ["-v", "error", "-select_streams", "a", "-show_entries", "packet=pts", "-of", "csv=p=0", file])).stdout.trim().split("\n").map(Number);
  return { video, audio, decodeErrors: decode.stderr.trim(), meanDb, audioPts };
}

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "nightjar-sim-av-"));
  sim = await startSimulator({ cameras: 2, baseAddress: BASE, rtspPort: RTSP_PORT, withOnvif: false, withDiscovery: false, controlPort: 0, codecs: ["h265", "h264"], audios: ["aac", "pcmu"] });
});
after(async () => {
  await sim?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("H.265 and sound with ffmpeg", { concurrency: true }, () => {
  test("the handle and the control API report each camera's main codec and sound", async () => {
    assert.deepEqual(sim.cameras.map((c) => [c.codec, c.audio]), [["h265", "aac"], ["h264", "pcmu"]]);
    const views = await createSimulatorClient(sim.controlUrl!).cameras();
    assert.deepEqual(views.map((v) => [v.codec, v.audio]), [["h265", "aac"], ["h264", "pcmu"]]);
  });

  test("ffprobe: hevc Main 1920x1080 + aac 16 kHz mono; h264 + pcm_mulaw 8 kHz; the sub streams are H.264 with the same sound", async () => {
    const pick = (streams: ProbedStream[]) => streams.map((s) => (s.codec_type === "video" ? [s.codec_name, s.profile, s.width, s.height] : [s.codec_name, s.sample_rate, s.channels]));
    const [main0, main1, sub0] = await Promise.all([probe(withAuth(sim.cameras[0].rtspUrl.main)), probe(withAuth(sim.cameras[1].rtspUrl.main)), probe(withAuth(sim.cameras[0].rtspUrl.sub))]);
    assert.deepEqual(pick(main0), [["hevc", "Main", 1920, 1080], ["aac", "16000", 1]]);
    assert.deepEqual(pick(main1), [["h264", "Main", 1920, 1080], ["pcm_mulaw", "8000", 1]]);
    assert.deepEqual(pick(sub0), [["h264", "Main", 640, 360], ["aac", "16000", 1]]);
  });

  test("H.265 + AAC over TCP, across a motion switch: an hvc1 MP4 that decodes, with audible sound as long as the video and continuous", async () => {
    const pulling = pull(withAuth(sim.cameras[0].rtspUrl.main), 4, "hevc-aac.mp4", "tcp", ["-tag:v", "hvc1"]);
    await sleep(1500);
    sim.setMotion(0, true);
    const f = await inspect(await pulling);
    sim.setMotion(0, false);
    assert.equal(f.decodeErrors, "");
    assert.deepEqual([f.video.codec_name, f.video.codec_tag_string, f.video.profile, f.video.width, f.video.height], ["hevc", "hvc1", "Main", 1920, 1080]);
    assert.equal(f.audio.codec_name, "aac");
    assert.ok(Math.abs(Number(f.audio.duration) - Number(f.video.duration)) <= 0.25, `audio ${f.audio.duration} s, video ${f.video.duration} s`);
    assert.ok(Math.abs(Number(f.audio.start_time) - Number(f.video.start_time)) <= 0.1, `audio starts at ${f.audio.start_time} s, video at ${f.video.start_time} s`);
    assert.ok(f.meanDb > -30, `mean volume ${f.meanDb} dB: the sound was recorded`);
    const steps = new Set(f.audioPts.slice(1).map((v, i) => v - f.audioPts[i]));
    assert.deepEqual([...steps], [1024], "one AAC frame after the other, no gap or overlap");
  });

  test("H.264 + PCMU over TCP: a MOV (ffmpeg 5.1's MP4 muxer has no G.711) that decodes, sound as long as the video", async () => {
    const f = await inspect(await pull(withAuth(sim.cameras[1].rtspUrl.main), 4, "h264-pcmu.mov", "tcp"));
    assert.equal(f.decodeErrors, "");
    assert.deepEqual([f.video.codec_name, f.video.width, f.audio.codec_name], ["h264", 1920, "pcm_mulaw"]);
    assert.ok(Math.abs(Number(f.audio.duration) - Number(f.video.duration)) <= 0.25, `audio ${f.audio.duration} s, video ${f.video.duration} s`);
    assert.ok(f.meanDb > -30, `mean volume ${f.meanDb} dB`);
  });

  test("H.265 + AAC over UDP", async () => {
    const f = await inspect(await pull(withAuth(sim.cameras[0].rtspUrl.main), 3, "hevc-aac-udp.mp4", "udp", ["-tag:v", "hvc1"]));
    assert.equal(f.decodeErrors, "");
    assert.deepEqual([f.video.codec_name, f.audio.codec_name], ["hevc", "aac"]);
    assert.ok(Math.abs(Number(f.audio.duration) - Number(f.video.duration)) <= 0.25, `audio ${f.audio.duration} s, video ${f.video.duration} s`);
  });
});

describe("resolution change of an H.265 camera (after the pulls)", () => {
  test("1920x1080 → 1280x720 at a keyframe with in-band VPS/SPS/PPS, still H.265 with sound; new clients see the new size; and back", async () => {
    const client = createSimulatorClient(sim.controlUrl!);
    const url = withAuth(sim.cameras[0].rtspUrl.main);
    // The H.265 1280x720 clips are made on the first switch: make them first, and be back at 1920x1080.
    await client.setResolution(0, "alt");
    await client.setResolution(0, "default");
    await sleep(1500);
    const frames = run("ffprobe", ["-v", "error", "-rtsp_transport", "tcp", "-read_intervals", "%+3", "-select_streams", "v", "-show_entries", "frame=width,height,key_frame", "-of", "json", url]);
    await sleep(1000);
    assert.equal((await client.setResolution(0, "alt")).resolution, "alt");
    const r = await frames;
    assert.equal(r.code, 0, r.stderr);
    const list = (JSON.parse(r.stdout) as { frames: { width: number; height: number; key_frame: number }[] }).frames.map((f) => [f.width, f.height, f.key_frame]);
    assert.deepEqual([...new Set(list.map(([w, h]) => `${w}x${h}`))], ["1920x1080", "1280x720"], "one switch, from the first size to the second");
    const first720 = list.findIndex(([w]) => w === 1280);
    assert.equal(list[first720][2], 1, "the first 1280x720 frame is a keyframe");
    const streams = await probe(url);
    assert.deepEqual(streams.map((s) => [s.codec_name, s.width ?? s.sample_rate]), [["hevc", 1280], ["aac", "16000"]], "a new DESCRIBE announces the new size");
    await client.setResolution(0, "default");
    await sleep(1200); // the next keyframe
    assert.equal((await probe(url))[0].width, 1920);
  });
});
