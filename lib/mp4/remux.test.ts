// remuxFragmentedToMp4 against real media: fMP4 HLS runs written by Debian's ffmpeg with the recorder's HLS options
// (H.264 without and with B-frames, H.265, H.264 + AAC), cut into clips of consecutive segments and checked by
// ffprobe and ffmpeg, which parse MP4 independently of us: codec, sample count = the packets of those segments, the
// video's duration = the segments' EXTINF sum within one frame, moov before mdat, every frame decodes without an
// error, and the decoded frames (`-f framemd5`: timestamps and md5) equal those of ffmpeg's own `-c copy` remux of the
// same segments. The same samples re-fragmented into the layouts ffmpeg does not write (fragment-writer.ts) must give
// the same frames. Media is generated once per run into a temp folder (≈ 2 MB, a few seconds).
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { bufferSource, findPath, listBoxes, Mp4FormatError } from "./boxes";
import { type FragmentSample, type TrafSpec, writeFragment } from "./fragment-writer";
import { readInitSegment, readSegmentRuns, SAMPLE_IS_NON_SYNC } from "./fragments";
import { remuxFragmentedToMp4 } from "./remux";

const FPS = 25;
const FRAME_S = 1 / FPS;
/** Length of each generated run: clips take segments 1–3, never the run's last (its last AAC frame is a short one). */
const SECONDS = 5;

type Run = { dir: string; init: string; segments: { file: string; seconds: number }[] };

/**
 * The recorder's HLS output options (lib/ffmpeg/ingest-args.ts buildIngestArgs: -hls_time half the 1 s GOP, fmp4,
 * independent_segments, temp_file, init.mp4, seg-%d.m4s), after an encoder instead of the camera's -c copy.
 */
function hlsArgs(dir: string): string[] {
  return ["-f", "hls", "-hls_segment_type", "fmp4", "-hls_time", "0.5", "-hls_list_size", "0", "-hls_flags", "independent_segments+program_date_time+temp_file", "-hls_fmp4_init_filename", "init.mp4", "-hls_segment_filename", path.join(dir, "seg-%d.m4s"), path.join(dir, "index.m3u8")];
}

const VIDEO_IN = ["-f", "lavfi", "-i", `testsrc2=size=640x360:rate=${FPS}`];
const AUDIO_IN = ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000"];
const X264 = (bframes: number) => ["-c:v", "libx264", "-preset", "ultrafast", "-g", String(FPS), "-keyint_min", String(FPS), "-sc_threshold", "0", "-bf", String(bframes), "-pix_fmt", "yuv420p"];
const RUNS: Record<string, string[]> = {
  h264: [...VIDEO_IN, "-t", String(SECONDS), ...X264(0)],
  h264b: [...VIDEO_IN, "-t", String(SECONDS), ...X264(2)],
  h265: [...VIDEO_IN, "-t", String(SECONDS), "-c:v", "libx265", "-preset", "ultrafast", "-x265-params", `log-level=error:keyint=${FPS}:min-keyint=${FPS}:scenecut=0:bframes=2`, "-tag:v", "hvc1"],
  // As the recorder's ingest writes an H.265 camera: ffmpeg's default hev1 entry (-c copy cannot ask for hvc1).
  hev1: [...VIDEO_IN, "-t", String(SECONDS), "-c:v", "libx265", "-preset", "ultrafast", "-x265-params", `log-level=error:keyint=${FPS}:min-keyint=${FPS}:scenecut=0:bframes=0`],
  aac: [...VIDEO_IN, ...AUDIO_IN, "-t", String(SECONDS), "-map", "0:v", "-map", "1:a", ...X264(2), "-c:a", "aac", "-b:a", "64k"],
};

function runFfmpeg(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("ffmpeg", ["-hide_banner", "-nostdin", "-loglevel", "error", ...args], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg exited ${code}: ${stderr}`))));
  });
}

function readRun(dir: string): Run {
  const lines = fs.readFileSync(path.join(dir, "index.m3u8"), "utf8").split("\n");
  const segments: Run["segments"] = [];
  let seconds = NaN;
  for (const line of lines) {
    if (line.startsWith("#EXTINF:")) seconds = parseFloat(line.slice(8));
    else if (line.endsWith(".m4s")) segments.push({ file: path.join(dir, line.trim()), seconds });
  }
  return { dir, init: path.join(dir, "init.mp4"), segments };
}

function tool(cmd: string, args: string[], input?: Buffer): { stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { input, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return { stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

type Probe = { streams: { index: number; codec_type: string; codec_name: string; duration?: string; nb_read_packets?: string }[]; format: { duration: string } };
const probe = (file: string): Probe => JSON.parse(tool("ffprobe", ["-v", "error", "-count_packets", "-show_entries", "stream=index,codec_type,codec_name,duration,nb_read_packets:format=duration", "-of", "json", file]).stdout);
/** Decoded frames of every stream: stream, dts, pts, duration, size and md5 per frame (ffmpeg's framemd5 muxer). */
const framemd5 = (file: string) => tool("ffmpeg", ["-v", "error", "-i", file, "-map", "0", "-f", "framemd5", "-"]);
/** ffmpeg's remux of the same bytes, as lib/recording/clip-writer.ts does it today (the reference). */
function ffmpegRemux(init: string | Buffer, segments: (string | Buffer)[], out: string): void {
  const bytes = Buffer.concat([init, ...segments].map((x) => (typeof x === "string" ? fs.readFileSync(x) : x)));
  tool("ffmpeg", ["-hide_banner", "-nostdin", "-loglevel", "error", "-f", "mp4", "-i", "pipe:0", "-map", "0", "-c", "copy", "-movflags", "+faststart", "-f", "mp4", "-y", out], bytes);
}

let tmp: string;
const runs: Record<string, Run> = {};
let outCount = 0;
const outFile = () => path.join(tmp, `out-${++outCount}.mp4`);

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "nightjar-mp4-remux-"));
  await Promise.all(
    Object.entries(RUNS).map(async ([name, input]) => {
      const dir = path.join(tmp, name);
      fs.mkdirSync(dir);
      await runFfmpeg([...input, ...hlsArgs(dir)]);
      runs[name] = readRun(dir);
    }),
  );
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("remux of real ffmpeg HLS runs, checked by ffprobe and ffmpeg", () => {
  const cases: [string, string, number, number, Record<string, string>][] = [
    ["H.264, no B-frames", "h264", 1, 3, { video: "h264" }],
    ["H.264 with B-frames (composition offsets, the init's edit list)", "h264b", 1, 3, { video: "h264" }],
    ["H.265 (hvc1) with B-frames", "h265", 1, 3, { video: "hevc" }],
    ["H.265 written as hev1 by the ingest (the clip says hvc1)", "hev1", 1, 3, { video: "hevc" }],
    ["H.264 + AAC (two tracks, the run's audio/video offset kept)", "aac", 1, 3, { video: "h264", audio: "aac" }],
    ["H.264 + AAC from the run's first segment (AAC priming, the init's empty edits)", "aac", 0, 2, { video: "h264", audio: "aac" }],
  ];
  for (const [name, runName, first, count, codecs] of cases) {
    test(name, async () => {
      const run = runs[runName];
      const segments = run.segments.slice(first, first + count);
      assert.equal(segments.length, count, "the run has enough segments");
      const out = outFile();
      const result = await remuxFragmentedToMp4({ init: run.init, segments: segments.map((s) => s.file), outFile: out });

      // The packets ffmpeg finds in the input itself (init + the segments, byte-concatenated).
      const input = path.join(tmp, `in-${outCount}.mp4`);
      fs.writeFileSync(input, Buffer.concat([run.init, ...segments.map((s) => s.file)].map((f) => fs.readFileSync(f))));
      const expectedPackets = Object.fromEntries(probe(input).streams.map((s) => [s.codec_type, Number(s.nb_read_packets)]));

      const p = probe(out);
      assert.deepEqual(Object.fromEntries(p.streams.map((s) => [s.codec_type, s.codec_name])), codecs);
      assert.deepEqual(Object.fromEntries(p.streams.map((s) => [s.codec_type, Number(s.nb_read_packets)])), expectedPackets);
      assert.deepEqual(Object.fromEntries(result.tracks.map((t) => [t.handler === "vide" ? "video" : "audio", t.samples])), expectedPackets);
      const planned = segments.reduce((sum, s) => sum + s.seconds, 0);
      const video = p.streams.find((s) => s.codec_type === "video")!;
      assert.ok(Math.abs(Number(video.duration) - planned) <= FRAME_S + 1e-6, `video ${video.duration} s, segments ${planned} s`);
      assert.equal(fs.statSync(out).size, result.bytes);

      const tags = JSON.parse(tool("ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=codec_tag_string", "-of", "json", out]).stdout).streams[0].codec_tag_string;
      if (codecs.video === "hevc") assert.equal(tags, "hvc1", "H.265 clips carry the hvc1 sample entry (Safari, iOS)");
      const top = listBoxes(bufferSource(fs.readFileSync(out))).map((b) => b.type);
      assert.deepEqual(top, ["ftyp", "moov", "mdat"]);

      const decoded = tool("ffmpeg", ["-v", "error", "-i", out, "-map", "0", "-f", "null", "-"]);
      assert.equal(decoded.stderr, "", "every frame decodes without an error");
      const ours = framemd5(out);
      assert.equal(ours.stderr, "");
      const frames = ours.stdout.split("\n").filter((l) => l && !l.startsWith("#"));
      for (const [index, s] of p.streams.entries()) assert.equal(frames.filter((l) => l.startsWith(`${index},`)).length, Number(s.nb_read_packets), `decoded ${s.codec_type} frames`);

      const reference = outFile();
      ffmpegRemux(run.init, segments.map((s) => s.file), reference);
      assert.equal(ours.stdout, framemd5(reference).stdout, "the same frames at the same times as ffmpeg's -c copy");
      assert.ok(Math.abs(Number(p.format.duration) - Number(probe(reference).format.duration)) <= 0.0011, `movie length ${p.format.duration} s, ffmpeg ${probe(reference).format.duration} s`);
      // The summary agrees with what ffprobe read.
      assert.ok(Math.abs(result.durationMs / 1000 - Number(p.format.duration)) <= 0.0011);
    });
  }
});

test("a gap between segments (tfdt 10 ms late): the frame before it lasts longer, the same frames as ffmpeg's", async () => {
  const run = runs.h264;
  const late = Buffer.from(fs.readFileSync(run.segments[2].file));
  const tfdt = findPath(bufferSource(late), ["moof", "traf", "tfdt"])!;
  late.writeBigUInt64BE(late.readBigUInt64BE(tfdt.body + 4) + 128n, tfdt.body + 4); // version 1: 64-bit time after version/flags
  const file = path.join(tmp, "seg-late.m4s");
  fs.writeFileSync(file, late);
  const out = outFile();
  const result = await remuxFragmentedToMp4({ init: run.init, segments: [run.segments[1].file, file], outFile: out });
  assert.equal(result.tracks[0].mediaDuration, 50 * 512 + 128);
  const reference = outFile();
  ffmpegRemux(run.init, [run.segments[1].file, file], reference);
  assert.equal(framemd5(out).stdout, framemd5(reference).stdout);
});

describe("the same samples in the layouts ffmpeg does not write", () => {
  type TrackPart = { trackId: number; decodeTime: number; samples: FragmentSample[] };
  /** Each segment's samples per track, with their bytes (read with our reader; ffmpeg judges the result). */
  function samplesOf(init: Buffer, file: string): TrackPart[] {
    const seg = fs.readFileSync(file);
    const trex = new Map(readInitSegment(bufferSource(init)).tracks.map((t) => [t.trackId, t.defaults]));
    const parts = new Map<number, TrackPart>();
    for (const r of readSegmentRuns(bufferSource(seg), trex)) {
      const part = parts.get(r.trackId) ?? { trackId: r.trackId, decodeTime: r.decodeTime!, samples: [] };
      parts.set(r.trackId, part);
      for (let i = 0, at = r.dataOffset; i < r.samples.count; at += r.samples.sizes[i], i++) {
        part.samples.push({ duration: r.samples.durations[i], flags: r.samples.flags[i], compositionOffset: r.samples.compositionOffsets?.[i] ?? 0, data: seg.subarray(at, at + r.samples.sizes[i]) });
      }
    }
    return [...parts.values()];
  }
  /** A segment from fragments: a styp, then each moof + mdat written at its offset. */
  function segmentOf(moofs: TrafSpec[][]): Buffer {
    const parts: Buffer[] = [Buffer.from([0, 0, 0, 16, ...Buffer.from("stypmsdh"), 0, 0, 0, 0])];
    let at = 16;
    moofs.forEach((trafs, i) => {
      parts.push(writeFragment(trafs, { sequence: i + 1, fileOffset: at }));
      at += parts[parts.length - 1].length;
    });
    return Buffer.concat(parts);
  }
  /** The init with a track's trex defaults or its first edit's media time replaced (in place: same sizes). */
  function patchInit(init: Buffer, trackId: number, patch: { trex?: [duration: number, size: number, flags: number]; elstMediaTime?: number }): Buffer {
    const out = Buffer.from(init);
    const src = bufferSource(out);
    const parsed = readInitSegment(src);
    if (patch.trex) {
      const trex = listBoxes(src, findPath(src, ["mvex"], parsed.moov)!.body, findPath(src, ["mvex"], parsed.moov)!.end).find((b) => b.type === "trex" && out.readUInt32BE(b.body + 4) === trackId)!;
      patch.trex.forEach((v, i) => out.writeUInt32BE(v, trex.body + 12 + 4 * i));
    }
    if (patch.elstMediaTime !== undefined) {
      const elst = findPath(src, ["edts", "elst"], parsed.tracks.find((t) => t.trackId === trackId)!.boxes.trak)!;
      assert.equal(out.readUInt8(elst.body), 0, "a version 0 elst");
      const entries = out.readUInt32BE(elst.body + 4);
      for (let i = 0; i < entries; i++) if (out.readInt32BE(elst.body + 8 + 12 * i + 4) !== -1) out.writeInt32BE(patch.elstMediaTime, elst.body + 8 + 12 * i + 4);
    }
    return out;
  }
  const NON_KEY = 0x0101_0000;
  const SIZE_ONLY = { duration: false, size: true, flags: false, compositionOffset: false };

  const variants: [string, (parts: TrackPart[]) => TrafSpec[][], (init: Buffer) => Buffer][] = [
    [
      "durations and flags from trex, first-sample-flags, implicit base, audio following the video's data",
      ([v, a]) => [
        [
          { trackId: v.trackId, samples: v.samples, decodeTime: v.decodeTime, base: "implicit", fields: { ...SIZE_ONLY, compositionOffset: true }, hasFirstSampleFlags: true },
          { trackId: a.trackId, samples: a.samples, decodeTime: a.decodeTime, base: "implicit", fields: SIZE_ONLY, dataOffsets: "none" },
        ],
      ],
      (init) => patchInit(patchInit(init, 1, { trex: [512, 0, NON_KEY] }), 2, { trex: [1024, 0, 0x0200_0000] }),
    ],
    [
      "base-data-offset, every field per sample, trun version 1, two runs per track fragment (the second without data_offset)",
      (parts) => [parts.map((p) => ({ trackId: p.trackId, samples: p.samples, decodeTime: p.decodeTime, base: "explicit", trunVersion: 1, runs: [3, p.samples.length - 3], dataOffsets: "first" }))],
      (init) => init,
    ],
    [
      "two moofs per segment, tfdt version 0, tfhd defaults, tracks in the other order",
      (parts) => {
        const halves = parts.map((p) => {
          const k = Math.floor(p.samples.length / 2);
          const d0 = p.samples.slice(0, k).reduce((s, x) => s + x.duration, 0);
          return [
            { ...p, samples: p.samples.slice(0, k) },
            { ...p, samples: p.samples.slice(k), decodeTime: p.decodeTime + d0 },
          ];
        });
        return [0, 1].map((h) =>
          halves
            .map((x) => x[h])
            .reverse()
            .map((p) => ({ trackId: p.trackId, samples: p.samples, decodeTime: p.decodeTime, tfdtVersion: 0 as const, defaults: { sampleDuration: p.samples[0].duration, sampleFlags: p.trackId === 1 ? NON_KEY : 0x0200_0000 }, fields: { ...SIZE_ONLY, compositionOffset: p.trackId === 1 }, hasFirstSampleFlags: p.trackId === 1 })),
        );
      },
      (init) => init,
    ],
    [
      "negative composition offsets (trun version 1), the init's edit list moved by the same amount",
      (parts) => [parts.map((p) => ({ trackId: p.trackId, samples: p.trackId === 1 ? p.samples.map((s) => ({ ...s, compositionOffset: s.compositionOffset - 1024 })) : p.samples, decodeTime: p.decodeTime, trunVersion: 1 }))],
      (init) => patchInit(init, 1, { elstMediaTime: 0 }),
    ],
  ];

  for (const [name, layout, changeInit] of variants) {
    test(name, async () => {
      const run = runs.aac;
      const original = fs.readFileSync(run.init);
      const segments = run.segments.slice(1, 4).map((s) => s.file);
      const parts = segments.map((f) => samplesOf(original, f));
      // The layouts that leave values to defaults need them uniform in this input: check that first.
      for (const p of parts.flat()) {
        assert.ok(p.samples.every((s) => s.duration === p.samples[0].duration), "constant frame durations");
        if (p.trackId === 1) assert.deepEqual(p.samples.map((s) => (s.flags & SAMPLE_IS_NON_SYNC) !== 0), p.samples.map((_, i) => i > 0), "one keyframe, first");
      }
      const dir = path.join(tmp, `variant-${++outCount}`);
      fs.mkdirSync(dir);
      const init = changeInit(original);
      const files = parts.map((p, i) => {
        const file = path.join(dir, `seg-${i}.m4s`);
        fs.writeFileSync(file, segmentOf(layout(p)));
        return file;
      });
      const out = outFile();
      const result = await remuxFragmentedToMp4({ init, segments: files, outFile: out });
      assert.deepEqual(result.tracks.map((t) => t.samples), [parts.reduce((n, p) => n + p[0].samples.length, 0), parts.reduce((n, p) => n + p[1].samples.length, 0)]);
      const reference = outFile();
      ffmpegRemux(run.init, segments, reference);
      const ours = framemd5(out);
      assert.equal(ours.stderr, "");
      assert.equal(ours.stdout, framemd5(reference).stdout);
    });
  }
});

describe("failures write nothing that looks like a clip", () => {
  test("a truncated segment: a clear error, no output file", async () => {
    const run = runs.h264;
    const cut = path.join(tmp, "seg-cut.m4s");
    const whole = fs.readFileSync(run.segments[2].file);
    fs.writeFileSync(cut, whole.subarray(0, Math.floor(whole.length / 2)));
    const out = outFile();
    await assert.rejects(remuxFragmentedToMp4({ init: run.init, segments: [run.segments[1].file, cut, run.segments[3].file], outFile: out }), (e: Error) => e instanceof Mp4FormatError && /^seg-cut\.m4s: box 'mdat' at \d+ is \d+ bytes but only \d+ remain \(truncated input\)$/.test(e.message));
    assert.equal(fs.existsSync(out), false);
  });

  test("a truncated init segment", async () => {
    const run = runs.h264;
    const init = fs.readFileSync(run.init);
    const out = outFile();
    await assert.rejects(remuxFragmentedToMp4({ init: init.subarray(0, init.length - 10), segments: [run.segments[1].file], outFile: out }), /^Mp4FormatError: init segment: box 'moov' at \d+ is \d+ bytes but only \d+ remain \(truncated input\)$/);
    assert.equal(fs.existsSync(out), false);
  });

  test("a segment of another run (another track): refused", async () => {
    const out = outFile();
    await assert.rejects(remuxFragmentedToMp4({ init: runs.h264.init, segments: [runs.aac.segments[1].file], outFile: out }), /seg-1\.m4s: traf at \d+: track 2 is not in the init segment/);
    assert.equal(fs.existsSync(out), false);
  });

  test("a missing segment: ENOENT, no output file", async () => {
    const out = outFile();
    await assert.rejects(remuxFragmentedToMp4({ init: runs.h264.init, segments: [runs.h264.segments[1].file, path.join(tmp, "gone.m4s")], outFile: out }), { code: "ENOENT" });
    assert.equal(fs.existsSync(out), false);
  });

  test("aborted", async () => {
    const out = outFile();
    await assert.rejects(remuxFragmentedToMp4({ init: runs.h264.init, segments: [runs.h264.segments[1].file], outFile: out, signal: AbortSignal.abort() }), { name: "AbortError" });
    assert.equal(fs.existsSync(out), false);
  });
});
