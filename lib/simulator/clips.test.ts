import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import { loadAudioClip } from "./audio";
import {
  altClipCacheKey,
  audioClipCacheKey,
  audioExpression,
  buildAltClipArgs,
  buildAudioClipArgs,
  buildClipArgs,
  buildHevcClipArgs,
  clipCacheKey,
  DEFAULT_ALT_MAIN,
  DEFAULT_CLIP_SPEC,
  defaultCacheDir,
  drawtextFont,
  ensureAltClips,
  ensureAudioClips,
  ensureHevcClips,
  hevcClipCacheKey,
  sanitizeLabel,
  x264Args,
  x265Args,
  type ClipSetSpec,
} from "./clips";
import { findParameterSets, parseAnnexB, parseSps } from "./h264";
import { hevcNalType, parseHevcAnnexB } from "./h265";

describe("x264Args", () => {
  const cases: { name: string; input: Parameters<typeof x264Args>[0]; expected: string[] }[] = [
    {
      name: "clip: veryfast, 4 Mbit/s",
      input: { fps: 25, gopFrames: 25, bitrateKbps: 4000, preset: "veryfast" },
      expected: ["-c:v", "libx264", "-preset", "veryfast", "-profile:v", "main", "-pix_fmt", "yuv420p", "-r", "25", "-g", "25", "-keyint_min", "25", "-sc_threshold", "0", "-bf", "0", "-b:v", "4000k", "-maxrate", "4000k", "-bufsize", "4000k", "-x264-params", "repeat-headers=1"],
    },
    {
      name: "live: ultrafast zerolatency, 512 kbit/s",
      input: { fps: 25, gopFrames: 50, bitrateKbps: 512, preset: "ultrafast", tune: "zerolatency" },
      expected: ["-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-profile:v", "main", "-pix_fmt", "yuv420p", "-r", "25", "-g", "50", "-keyint_min", "50", "-sc_threshold", "0", "-bf", "0", "-b:v", "512k", "-maxrate", "512k", "-bufsize", "512k", "-x264-params", "repeat-headers=1"],
    },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(x264Args(c.input), c.expected));
});

describe("x265Args", () => {
  test("clip: ultrafast, closed 25-frame GOP of IDRs, no B-frames, parameter sets at every IDR, x265 quiet", () => {
    assert.deepEqual(x265Args({ fps: 25, gopFrames: 25, bitrateKbps: 4000, preset: "ultrafast" }), [
      "-c:v", "libx265", "-preset", "ultrafast", "-profile:v", "main", "-pix_fmt", "yuv420p", "-r", "25", "-b:v", "4000k", "-maxrate", "4000k", "-bufsize", "4000k",
      "-x265-params", "log-level=error:keyint=25:min-keyint=25:scenecut=0:bframes=0:open-gop=0:repeat-headers=1",
    ]);
  });
});

describe("buildHevcClipArgs and the H.265 alternative pair", () => {
  test("the H.265 main pair: two raw HEVC outputs of 250 frames at the main size and bitrate, the main picture", () => {
    const args = buildHevcClipArgs(DEFAULT_CLIP_SPEC, "/out", "/fonts/Mono.ttf");
    assert.deepEqual(args.filter((a) => a.startsWith("/out/")), ["/out/main-static.h265", "/out/main-motion.h265"]);
    assert.deepEqual(args.filter((a, i) => args[i - 1] === "-f"), ["hevc", "hevc"]);
    assert.deepEqual(args.filter((a, i) => args[i - 1] === "-frames:v"), ["250", "250"]);
    assert.deepEqual(args.filter((a, i) => args[i - 1] === "-b:v"), ["4000k", "4000k"]);
    assert.deepEqual(args.filter((a, i) => args[i - 1] === "-c:v"), ["libx265", "libx265"]);
    const graph = args[args.indexOf("-filter_complex") + 1];
    const h264Graph = buildClipArgs(DEFAULT_CLIP_SPEC, "/out", "/fonts/Mono.ttf")[6];
    assert.ok(h264Graph.startsWith(graph.slice(0, graph.indexOf("[moving]") + "[moving]".length)), "the same picture and motion as the H.264 clips");
    assert.match(graph, /text='NIGHTJAR SIM main h265 motion'/);
  });
  test("the alternative pair of an H.265 camera: libx265 at 1280x720 into .h265 files; the H.264 command is unchanged", () => {
    const args = buildAltClipArgs(DEFAULT_CLIP_SPEC, DEFAULT_ALT_MAIN, "/out", "/fonts/Mono.ttf", "h265");
    assert.deepEqual(args.filter((a) => a.startsWith("/out/")), ["/out/main-alt-static.h265", "/out/main-alt-motion.h265"]);
    assert.deepEqual(args.filter((a, i) => args[i - 1] === "-c:v"), ["libx265", "libx265"]);
    assert.match(args[args.indexOf("-filter_complex") + 1], /^testsrc2=size=1280x720:rate=25,/);
    assert.deepEqual(buildAltClipArgs(DEFAULT_CLIP_SPEC, DEFAULT_ALT_MAIN, "/out", null, "h264"), buildAltClipArgs(DEFAULT_CLIP_SPEC, DEFAULT_ALT_MAIN, "/out", null));
  });
});

describe("buildAudioClipArgs", () => {
  const args = buildAudioClipArgs(10, "/out");
  test("AAC over 40 s (625 frames + priming), µ-law and A-law over one 10 s loop", () => {
    assert.deepEqual(args.filter((a) => a.startsWith("/out/")), ["/out/audio.aac", "/out/audio.pcmu", "/out/audio.pcma"]);
    assert.deepEqual(args.filter((a, i) => args[i - 1] === "-c:a"), ["aac", "pcm_mulaw", "pcm_alaw"]);
    assert.deepEqual(args.filter((a, i) => args[i - 1] === "-f"), ["adts", "mulaw", "alaw"]);
    const graph = args[args.indexOf("-filter_complex") + 1];
    assert.match(graph, /^aevalsrc=exprs='[^']+':s=16000:d=40\[aac\];aevalsrc=exprs='[^']+':s=8000:d=10,asplit=2\[pcmu\]\[pcma\]$/);
  });
  test("the sound repeats with the video loop: a 300 → 1200 Hz chirp, a beep each second, noise", () => {
    assert.equal(audioExpression(10), "0.3*sin(2*PI*(300*mod(t,10)+45*mod(t,10)*mod(t,10)))+0.2*sin(2*PI*1000*mod(t,10))*lt(mod(mod(t,10),1),0.1)+0.05*(2*random(0)-1)");
  });
});

describe("buildClipArgs", () => {
  const args = buildClipArgs(DEFAULT_CLIP_SPEC, "/out", "/fonts/Mono.ttf");
  test("four raw H.264 outputs of 250 frames, main and sub, static and motion", () => {
    const outputs = args.filter((a) => a.startsWith("/out/"));
    assert.deepEqual(outputs, ["/out/main-static.h264", "/out/main-motion.h264", "/out/sub-static.h264", "/out/sub-motion.h264"]);
    assert.equal(args.filter((a, i) => args[i - 1] === "-frames:v" && a === "250").length, 4);
    assert.deepEqual(args.filter((a, i) => args[i - 1] === "-b:v"), ["4000k", "4000k", "512k", "512k"]);
    assert.equal(args.filter((a) => a === "h264").length, 4);
  });
  test("the filter graph: frozen noisy pattern, overlay of a checkered box (not drawbox), label, 640x360 sub", () => {
    const graph = args[args.indexOf("-filter_complex") + 1];
    assert.match(graph, /^testsrc2=size=1920x1080:rate=25,format=yuv420p,trim=end_frame=1,loop=loop=-1/);
    assert.match(graph, /noise=alls=6:allf=t/);
    assert.match(graph, /color=c=white:s=160x136.*color=c=black:s=160x136.*\[top\]\[bottom\]vstack\[box\]/);
    assert.match(graph, /\[bm\]\[box\]overlay=x='\(W-w\)\*t\/10'/);
    assert.doesNotMatch(graph, /drawbox/);
    assert.match(graph, /scale=640:360/);
    assert.match(graph, /fontfile=\/fonts\/Mono\.ttf/);
    assert.match(graph, /text='NIGHTJAR SIM main motion'/);
  });
  test("no font file: drawtext asks fontconfig for monospace", () => {
    assert.equal(drawtextFont(null), "font=monospace");
  });
  test("labels cannot break out of the filter graph", () => {
    assert.equal(sanitizeLabel("CAM 1'; [x]:drawtext=%{pts}"), "CAM 1 xdrawtextpts");
  });
});

describe("buildAltClipArgs", () => {
  const args = buildAltClipArgs(DEFAULT_CLIP_SPEC, DEFAULT_ALT_MAIN, "/out", "/fonts/Mono.ttf");
  test("two raw H.264 outputs of 250 frames at 1280x720: the main stream's alternative static and motion clips", () => {
    assert.deepEqual(args.filter((a) => a.startsWith("/out/")), ["/out/main-alt-static.h264", "/out/main-alt-motion.h264"]);
    assert.equal(args.filter((a, i) => args[i - 1] === "-frames:v" && a === "250").length, 2);
    assert.deepEqual(args.filter((a, i) => args[i - 1] === "-b:v"), ["2500k", "2500k"]);
    assert.deepEqual(args.filter((a, i) => args[i - 1] === "-g"), ["25", "25"], "the main clips' GOP layout");
    const graph = args[args.indexOf("-filter_complex") + 1];
    assert.match(graph, /^testsrc2=size=1280x720:rate=25,/);
    assert.match(graph, /color=c=white:s=106x90.*\[top\]\[bottom\]vstack\[box\]/);
    assert.match(graph, /text='NIGHTJAR SIM main 1280x720 motion'/);
  });
  test("its own cache key: stable, not the main set's, changing with the size", () => {
    const k = altClipCacheKey(DEFAULT_CLIP_SPEC, DEFAULT_ALT_MAIN, "/f.ttf");
    assert.equal(k, altClipCacheKey({ ...DEFAULT_CLIP_SPEC }, { ...DEFAULT_ALT_MAIN }, "/f.ttf"));
    assert.notEqual(k, clipCacheKey(DEFAULT_CLIP_SPEC, "/f.ttf"));
    assert.notEqual(k, altClipCacheKey(DEFAULT_CLIP_SPEC, { ...DEFAULT_ALT_MAIN, width: 960, height: 540 }, "/f.ttf"));
  });
});

describe("cache", () => {
  test("the key is stable and changes with any generation parameter", () => {
    const k = clipCacheKey(DEFAULT_CLIP_SPEC, "/f.ttf");
    assert.equal(k, clipCacheKey({ ...DEFAULT_CLIP_SPEC }, "/f.ttf"));
    assert.match(k, /^[0-9a-f]{16}$/);
    for (const other of [{ ...DEFAULT_CLIP_SPEC, seconds: 5 }, { ...DEFAULT_CLIP_SPEC, label: "X" }, { ...DEFAULT_CLIP_SPEC, main: { ...DEFAULT_CLIP_SPEC.main, bitrateKbps: 3000 } }]) {
      assert.notEqual(clipCacheKey(other, "/f.ttf"), k);
    }
    assert.notEqual(clipCacheKey(DEFAULT_CLIP_SPEC, null), k);
  });

  test("H.264 keys are those from before H.265 and sound existed (existing caches stay valid); the new sets have keys of their own", () => {
    // Pinned on purpose: a change here regenerates every H.264 cache; make it only together with CLIP_FORMAT_VERSION.
    assert.equal(clipCacheKey(DEFAULT_CLIP_SPEC, "/f.ttf"), "9d430285ee6378a6");
    assert.equal(altClipCacheKey(DEFAULT_CLIP_SPEC, DEFAULT_ALT_MAIN, "/f.ttf"), "2e6e43f1a83e5a95");
    const keys = [clipCacheKey(DEFAULT_CLIP_SPEC, "/f.ttf"), altClipCacheKey(DEFAULT_CLIP_SPEC, DEFAULT_ALT_MAIN, "/f.ttf"), altClipCacheKey(DEFAULT_CLIP_SPEC, DEFAULT_ALT_MAIN, "/f.ttf", "h265"), hevcClipCacheKey(DEFAULT_CLIP_SPEC, "/f.ttf"), audioClipCacheKey(10)];
    assert.equal(new Set(keys).size, keys.length);
    assert.notEqual(audioClipCacheKey(10), audioClipCacheKey(5));
  });

  test("NIGHTJAR_SIM_CACHE overrides the default folder", () => {
    const before = process.env.NIGHTJAR_SIM_CACHE;
    try {
      process.env.NIGHTJAR_SIM_CACHE = "/tmp/somewhere";
      assert.equal(defaultCacheDir(), "/tmp/somewhere");
      delete process.env.NIGHTJAR_SIM_CACHE;
      assert.equal(defaultCacheDir(), path.resolve(import.meta.dirname, "../../.cache/simulator"));
    } finally {
      if (before === undefined) delete process.env.NIGHTJAR_SIM_CACHE;
      else process.env.NIGHTJAR_SIM_CACHE = before;
    }
  });

  test("alternative clips: generated on request, the same layout as the main clips at the other size, cached", async () => {
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "nightjar-alt-clips-"));
    const tiny: ClipSetSpec = { fps: 25, gopFrames: 10, seconds: 2, main: { width: 192, height: 108, bitrateKbps: 200 }, sub: { width: 96, height: 54, bitrateKbps: 64 }, label: "T" };
    try {
      const set = await ensureAltClips({ cacheDir, spec: tiny, alt: { width: 128, height: 72, bitrateKbps: 100 } });
      assert.equal(set.isGenerated, true);
      for (const file of [set.files.static, set.files.motion]) {
        const aus = parseAnnexB(fs.readFileSync(file));
        assert.equal(aus.length, 50);
        assert.deepEqual(aus.flatMap((au, i) => (au.isKey ? [i] : [])), [0, 10, 20, 30, 40]);
        const { width, height } = parseSps(findParameterSets(aus)!.sps);
        assert.deepEqual([width, height], [128, 72]);
        assert.ok(aus.filter((au) => au.isKey).every((au) => (au.nals[0][0] & 0x1f) === 7), "SPS in-band before every IDR");
      }
      const again = await ensureAltClips({ cacheDir, spec: tiny, alt: { width: 128, height: 72, bitrateKbps: 100 } });
      assert.equal(again.dir, set.dir);
      assert.deepEqual(fs.readdirSync(set.dir).sort(), ["main-alt-motion.h264", "main-alt-static.h264", "manifest.json"]);
    } finally {
      fs.rmSync(cacheDir, { recursive: true, force: true });
    }
  });

  test("H.265 main pair: libx265 clips with the H.264 clips' length and GOP, VPS/SPS/PPS before every IDR, shared by both variants", async () => {
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "nightjar-hevc-clips-"));
    const tiny: ClipSetSpec = { fps: 25, gopFrames: 10, seconds: 2, main: { width: 192, height: 108, bitrateKbps: 200 }, sub: { width: 96, height: 54, bitrateKbps: 64 }, label: "T" };
    try {
      const set = await ensureHevcClips({ cacheDir, spec: tiny });
      assert.equal(set.isGenerated, true);
      const params: string[] = [];
      for (const file of [set.files.static, set.files.motion]) {
        const aus = parseHevcAnnexB(fs.readFileSync(file));
        assert.equal(aus.length, 50);
        assert.deepEqual(aus.flatMap((au, i) => (au.isKey ? [i] : [])), [0, 10, 20, 30, 40]);
        for (const au of aus.filter((a) => a.isKey)) assert.deepEqual(au.nals.slice(0, 3).map(hevcNalType), [32, 33, 34], "VPS, SPS, PPS in-band before every IDR");
        assert.ok(aus.filter((au) => au.isKey).every((au) => [19, 20].includes(hevcNalType(au.nals.at(-1)!))), "keyframes are IDRs (closed GOP)");
        params.push(aus[0].nals.slice(0, 3).map((n) => n.toString("hex")).join());
      }
      assert.equal(params[0], params[1]);
      assert.equal((await ensureHevcClips({ cacheDir, spec: tiny })).dir, set.dir);
      assert.deepEqual(fs.readdirSync(set.dir).sort(), ["main-motion.h265", "main-static.h265", "manifest.json"]);
      const alt = await ensureAltClips({ cacheDir, spec: tiny, alt: { width: 128, height: 72, bitrateKbps: 100 }, codec: "h265" });
      assert.deepEqual(fs.readdirSync(alt.dir).sort(), ["main-alt-motion.h265", "main-alt-static.h265", "manifest.json"]);
      assert.equal(parseHevcAnnexB(fs.readFileSync(alt.files.motion)).length, 50);
    } finally {
      fs.rmSync(cacheDir, { recursive: true, force: true });
    }
  });

  test("audio: AAC frames for whole loops, G.711 of one loop, not silent", async () => {
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "nightjar-audio-clips-"));
    try {
      const set = await ensureAudioClips({ cacheDir, spec: { ...DEFAULT_CLIP_SPEC, seconds: 2 } });
      const aac = loadAudioClip(set.files.aac, "aac", 2);
      assert.deepEqual([aac.frames.length, aac.clockRate, aac.channels, aac.config?.toString("hex")], [125, 16000, 1, "1408"]);
      for (const codec of ["pcmu", "pcma"] as const) {
        const clip = loadAudioClip(set.files[codec], codec, 2);
        assert.deepEqual([clip.frames.length, clip.clockRate, clip.frames[0].length], [100, 8000, 160]);
        assert.ok(new Set(Buffer.concat(clip.frames)).size > 64, `${codec}: varied samples, not silence`);
      }
      const manifest = JSON.parse(fs.readFileSync(path.join(set.dir, "manifest.json"), "utf8"));
      assert.equal(manifest.facts.aac.frames, 125);
    } finally {
      fs.rmSync(cacheDir, { recursive: true, force: true });
    }
  });

  test("three processes asking at once: one generates, all get the same complete set, nothing left behind", async () => {
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "nightjar-clips-"));
    const tiny: ClipSetSpec = { fps: 25, gopFrames: 25, seconds: 2, main: { width: 192, height: 108, bitrateKbps: 200 }, sub: { width: 96, height: 54, bitrateKbps: 64 }, label: "T" };
    const script = `import { ensureClips } from ${JSON.stringify(path.join(import.meta.dirname, "clips.ts"))};
const s = await ensureClips({ cacheDir: ${JSON.stringify(cacheDir)}, spec: ${JSON.stringify(tiny)} });
process.stdout.write(JSON.stringify({ dir: s.dir, isGenerated: s.isGenerated }));`;
    const runOne = () =>
      new Promise<{ dir: string; isGenerated: boolean }>((resolve, reject) => {
        const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "pipe"] });
        let out = "";
        let err = "";
        child.stdout.on("data", (d) => (out += d));
        child.stderr.on("data", (d) => (err += d));
        child.on("close", (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(err))));
      });
    try {
      const results = await Promise.all([runOne(), runOne(), runOne()]);
      assert.equal(new Set(results.map((r) => r.dir)).size, 1);
      assert.equal(results.filter((r) => r.isGenerated).length, 1);
      const names = fs.readdirSync(cacheDir);
      assert.deepEqual(names, [path.basename(results[0].dir)], "no temp folders or locks left");
      assert.deepEqual(fs.readdirSync(results[0].dir).sort(), ["main-motion.h264", "main-static.h264", "manifest.json", "sub-motion.h264", "sub-static.h264"]);
      const manifest = JSON.parse(fs.readFileSync(path.join(results[0].dir, "manifest.json"), "utf8"));
      assert.equal(manifest.facts["main-static"].frames, 50);
      assert.equal(manifest.facts["sub-motion"].width, 96);
    } finally {
      fs.rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});
