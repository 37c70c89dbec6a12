// The replay clips of the camera simulator: raw H.264 (Annex-B) files made once with the system ffmpeg and cached
// by a hash of their ffmpeg command line. A clip set is a static and a motion clip for the main (1080p) and sub
// (360p) stream, with identical encoder settings so that switching between them at a keyframe is seamless. An
// alternative main-stream pair at another size (a camera whose resolution is changed mid-stream) is a set of its own,
// made only when first asked for (ensureAltClips), so a machine's first start does not pay for it. Cameras whose main
// stream is H.265 get the main pair (and the alternative pair) encoded by libx265 as sets of their own (ensureHevcClips),
// and cameras with sound one shared audio set (ensureAudioClips: AAC, G.711 µ-law and A-law): each set has its own
// cache key, so adding them leaves the H.264 sets' keys, and existing caches, as they were.
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { AAC_SAMPLE_RATE, aacLoopFrames, G711_SAMPLE_RATE, loadAudioClip, type AudioCodecName } from "./audio";
import { findParameterSets, parseAnnexB, parseSps } from "./h264";
import { findHevcParameterSets, parseHevcAnnexB } from "./h265";
import type { ParameterSets, VideoCodecName } from "./rtp";

/** Bumped when the clip layout or checks change, so old caches are not reused. */
const CLIP_FORMAT_VERSION = 1;
/** A lock older than this is considered abandoned, in ms. */
const STALE_LOCK_MS = 10 * 60_000;
/** How often a process waiting for another one's generation looks again, in ms. */
const LOCK_POLL_MS = 200;

export type StreamProfile = "main" | "sub";
export type ClipVariant = "static" | "motion";
export type StreamSpec = { width: number; height: number; bitrateKbps: number };
export type ClipSetSpec = {
  fps: number;
  /** Frames per GOP (one IDR every gopFrames frames). */
  gopFrames: number;
  seconds: number;
  main: StreamSpec;
  sub: StreamSpec;
  /** Small text burned into the top-left corner, e.g. "NIGHTJAR SIM"; the stream and variant are appended. */
  label: string;
};

export const DEFAULT_CLIP_SPEC: ClipSetSpec = {
  fps: 25,
  gopFrames: 25,
  seconds: 10,
  main: { width: 1920, height: 1080, bitrateKbps: 4000 },
  sub: { width: 640, height: 360, bitrateKbps: 512 },
  label: "NIGHTJAR SIM",
};

/** The main stream's other picture size for resolution switches (ensureAltClips). */
export const DEFAULT_ALT_MAIN: StreamSpec = { width: 1280, height: 720, bitrateKbps: 2500 };

export type ClipSet = {
  dir: string;
  spec: ClipSetSpec;
  files: Record<StreamProfile, Record<ClipVariant, string>>;
  /** True when this call ran ffmpeg (a cache miss). */
  isGenerated: boolean;
  /** Wall time this call spent generating or waiting for another process's generation, in ms. */
  waitedMs: number;
};

/** Debian: fonts-dejavu-core. Other common locations follow; the first that exists is used. */
const FONT_CANDIDATES = [
  "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
  "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
  "/usr/share/fonts/truetype/liberation/LiberationMono-Regular.ttf",
  "/usr/share/fonts/truetype/noto/NotoSansMono-Regular.ttf",
  "/usr/share/fonts/TTF/DejaVuSansMono.ttf",
  "/usr/share/fonts/dejavu/DejaVuSansMono.ttf",
  "/System/Library/Fonts/Menlo.ttc",
];

/** A TrueType font file for drawtext, or null (then drawtext falls back to fontconfig's "monospace"). */
export function findFontFile(): string | null {
  const fromEnv = process.env.NIGHTJAR_SIM_FONT;
  if (fromEnv && fs.existsSync(fromEnv)) return fromEnv;
  return FONT_CANDIDATES.find((f) => fs.existsSync(f)) ?? null;
}

/** drawtext font selection as a filter option. Paths contain no characters that need filtergraph escaping. */
export function drawtextFont(fontFile: string | null): string {
  return fontFile ? `fontfile=${fontFile}` : "font=monospace";
}

/** `<project>/.cache/simulator`, or $NIGHTJAR_SIM_CACHE. */
export function defaultCacheDir(): string {
  const fromEnv = process.env.NIGHTJAR_SIM_CACHE;
  if (fromEnv && fromEnv.trim()) return path.resolve(fromEnv);
  return path.resolve(import.meta.dirname, "../../.cache/simulator");
}

/** The libx264 options shared by every clip and by live mode: Main profile, no B-frames, fixed GOP, SPS/PPS at every IDR. */
export function x264Args(o: { fps: number; gopFrames: number; bitrateKbps: number; preset: string; tune?: string }): string[] {
  const rate = `${o.bitrateKbps}k`;
  return [
    "-c:v", "libx264", "-preset", o.preset, ...(o.tune ? ["-tune", o.tune] : []), "-profile:v", "main", "-pix_fmt", "yuv420p",
    "-r", String(o.fps), "-g", String(o.gopFrames), "-keyint_min", String(o.gopFrames), "-sc_threshold", "0", "-bf", "0",
    "-b:v", rate, "-maxrate", rate, "-bufsize", rate, "-x264-params", "repeat-headers=1",
  ];
}

/**
 * The libx265 options of the H.265 clips and of live mode, matching x264Args: Main profile, no B-frames, a closed GOP
 * of exactly gopFrames (IDR, no scene cuts), VPS/SPS/PPS before every IDR; x265's own log quiet but for errors.
 */
export function x265Args(o: { fps: number; gopFrames: number; bitrateKbps: number; preset: string; tune?: string }): string[] {
  const rate = `${o.bitrateKbps}k`;
  const g = o.gopFrames;
  return [
    "-c:v", "libx265", "-preset", o.preset, ...(o.tune ? ["-tune", o.tune] : []), "-profile:v", "main", "-pix_fmt", "yuv420p",
    "-r", String(o.fps), "-b:v", rate, "-maxrate", rate, "-bufsize", rate,
    "-x265-params", `log-level=error:keyint=${g}:min-keyint=${g}:scenecut=0:bframes=0:open-gop=0:repeat-headers=1`,
  ];
}

/** The encoder options of `codec` (x264Args or x265Args). */
export function videoEncoderArgs(codec: VideoCodecName, o: Parameters<typeof x264Args>[0]): string[] {
  return codec === "h265" ? x265Args(o) : x264Args(o);
}

/** ffmpeg's raw elementary stream muxer of a codec (Annex B). */
export const rawVideoFormat = (codec: VideoCodecName): string => (codec === "h265" ? "hevc" : "h264");

/**
 * The one ffmpeg command that makes all four clips of a set into `outDir`: a test pattern frozen on its first frame
 * with temporal noise (so the bitrate is realistic), and the same with a black and white checkered box crossing the
 * picture (overlay: drawbox cannot animate in ffmpeg 5.1), each at main and sub size. Pure; table-tested.
 */
export function buildClipArgs(spec: ClipSetSpec, outDir: string, fontFile: string | null): string[] {
  const { fps, main, sub, seconds } = spec;
  const frames = fps * seconds;
  const font = drawtextFont(fontFile);
  const label = (text: string, size: number) =>
    `drawtext=${font}:fontsize=${size}:fontcolor=white:box=1:boxcolor=black@0.5:boxborderw=4:x=8:y=h-th-12:text='${sanitizeLabel(text)}'`;
  const graph = [
    ...pictureGraph(main, fps, seconds),
    `[bs]split=2[s0][s1]`,
    `[moving]split=2[m0][m1]`,
    `[s0]${label(`${spec.label} main static`, Math.round(main.height / 40))}[main_static]`,
    `[m0]${label(`${spec.label} main motion`, Math.round(main.height / 40))}[main_motion]`,
    `[s1]scale=${sub.width}:${sub.height},${label(`${spec.label} sub static`, Math.max(10, Math.round(sub.height / 30)))}[sub_static]`,
    `[m1]scale=${sub.width}:${sub.height},${label(`${spec.label} sub motion`, Math.max(10, Math.round(sub.height / 30)))}[sub_motion]`,
  ].join(";");
  const out: string[] = ["-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-filter_complex", graph];
  for (const profile of ["main", "sub"] as const) {
    for (const variant of ["static", "motion"] as const) {
      out.push(
        "-map", `[${profile}_${variant}]`, "-frames:v", String(frames),
        ...x264Args({ fps, gopFrames: spec.gopFrames, bitrateKbps: spec[profile].bitrateKbps, preset: "veryfast" }),
        "-an", "-f", "h264", path.join(outDir, clipFileName(profile, variant)),
      );
    }
  }
  return out;
}

/**
 * Filter graph lines that make [bs] (the frozen noisy pattern) and [moving] (the same with a checkered box crossing it)
 * at `size`.
 */
function pictureGraph(size: { width: number; height: number }, fps: number, seconds: number): string[] {
  // A 2×2 checker of white and black: motion detection sees luma only, and a one-colour box vanishes over bars of
  // similar luma (a white box over the yellow bar: 235 vs 210, under the default noise threshold of 33 levels: 15 % of
  // its path went unseen); with both colours in each column, some cell always contrasts. 1/6 × 1/4 of the picture:
  // each cell is ~24 pixels at the motion detector's 64×36.
  const cell = { w: evenAtLeast2(size.width / 12), h: evenAtLeast2(size.height / 8) };
  const colour = (c: string, name: string) => `color=c=${c}:s=${cell.w}x${cell.h}:r=${fps},format=yuv420p[${name}]`;
  const background = `testsrc2=size=${size.width}x${size.height}:rate=${fps},format=yuv420p,trim=end_frame=1,loop=loop=-1:size=1:start=0,setpts=N/${fps}/TB,noise=alls=6:allf=t`;
  const motion = `overlay=x='(W-w)*t/${seconds}':y='H/3+H/6*sin(2*PI*t/2.5)':shortest=1`;
  return [
    `${background},split=2[bs][bm]`,
    colour("white", "w1"),
    colour("black", "k1"),
    colour("black", "k2"),
    colour("white", "w2"),
    `[w1][k1]hstack[top]`,
    `[k2][w2]hstack[bottom]`,
    `[top][bottom]vstack[box]`,
    `[bm][box]${motion}[moving]`,
  ];
}

/**
 * The command that makes a main-stream pair (static and motion) at `size` into `files`: the picture and motion of the
 * main clips, the same frame count, GOP layout and encoder settings, encoded by `codec`, so replay can switch between
 * them at any keyframe.
 */
function mainPairArgs(spec: ClipSetSpec, size: StreamSpec, fontFile: string | null, codec: VideoCodecName, labelOf: (variant: ClipVariant) => string, fileOf: (variant: ClipVariant) => string): string[] {
  const { fps, seconds } = spec;
  const font = drawtextFont(fontFile);
  const fontSize = Math.round(size.height / 40);
  const label = (text: string) => `drawtext=${font}:fontsize=${fontSize}:fontcolor=white:box=1:boxcolor=black@0.5:boxborderw=4:x=8:y=h-th-12:text='${sanitizeLabel(text)}'`;
  const graph = [...pictureGraph(size, fps, seconds), `[bs]${label(labelOf("static"))}[main_static]`, `[moving]${label(labelOf("motion"))}[main_motion]`].join(";");
  const out: string[] = ["-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-filter_complex", graph];
  const preset = codec === "h265" ? HEVC_CLIP_PRESET : "veryfast";
  for (const variant of ["static", "motion"] as const) {
    out.push(
      "-map", `[main_${variant}]`, "-frames:v", String(fps * seconds),
      ...videoEncoderArgs(codec, { fps, gopFrames: spec.gopFrames, bitrateKbps: size.bitrateKbps, preset }),
      "-an", "-f", rawVideoFormat(codec), fileOf(variant),
    );
  }
  return out;
}

/**
 * libx265's cheapest preset: 2 × 250 frames of 1080p take ≈ 2.5× x264 veryfast's time (a one-off, then cached). The
 * clips carry the same picture and bitrate as the H.264 ones, only their efficiency differs.
 */
export const HEVC_CLIP_PRESET = "ultrafast";

/**
 * The command that makes the alternative main-stream pair (static and motion) at `alt`'s size into `outDir`: the
 * same picture, frame count, GOP layout and encoder settings as the main clips, so replay can switch to it at any
 * keyframe; its IDRs carry their (different) parameter sets in-band as a camera's do after a resolution change. For
 * an H.265 camera `codec` is "h265" (its own files and cache key; the H.264 command is unchanged). Pure.
 */
export function buildAltClipArgs(spec: ClipSetSpec, alt: StreamSpec, outDir: string, fontFile: string | null, codec: VideoCodecName = "h264"): string[] {
  const tag = codec === "h265" ? " h265" : "";
  return mainPairArgs(spec, alt, fontFile, codec, (variant) => `${spec.label} main ${alt.width}x${alt.height}${tag} ${variant}`, (variant) => path.join(outDir, altClipFileName(variant, codec)));
}

/** The command that makes the H.265 main pair (static and motion) of a set into `outDir` (libx265; see mainPairArgs). Pure. */
export function buildHevcClipArgs(spec: ClipSetSpec, outDir: string, fontFile: string | null): string[] {
  return mainPairArgs(spec, spec.main, fontFile, "h265", (variant) => `${spec.label} main h265 ${variant}`, (variant) => path.join(outDir, clipFileName("main", variant, "h265")));
}

/**
 * The sound of the audio clips as an ffmpeg expression of t (s): periodic with the video loop (`periodS`), so the
 * sound at any moment matches the picture's place in its loop: a chirp rising from 300 to 1200 Hz over the loop, a
 * 1 kHz beep in the first 100 ms of every second, and a little white noise. Peak amplitude 0.55 of full scale.
 */
export function audioExpression(periodS: number): string {
  const u = `mod(t,${periodS})`;
  const sweep = `0.3*sin(2*PI*(300*${u}+${(1200 - 300) / (2 * periodS)}*${u}*${u}))`;
  const beep = `0.2*sin(2*PI*1000*${u})*lt(mod(${u},1),0.1)`;
  return `${sweep}+${beep}+0.05*(2*random(0)-1)`;
}

/**
 * The command that makes the audio set into `outDir`: AAC-LC (ffmpeg's encoder, 16 kHz mono, 32 kbit/s, ADTS) long
 * enough for a whole number of AAC frames to fill a whole number of video loops (aacLoopFrames: 40 s for a 10 s loop)
 * plus the encoder's priming frame, and G.711 µ-law and A-law (8 kHz mono, raw) of one loop. Pure.
 */
export function buildAudioClipArgs(seconds: number, outDir: string): string[] {
  const expr = audioExpression(seconds);
  const { loops } = aacLoopFrames(seconds, AAC_SAMPLE_RATE);
  const graph = [`aevalsrc=exprs='${expr}':s=${AAC_SAMPLE_RATE}:d=${loops * seconds}[aac]`, `aevalsrc=exprs='${expr}':s=${G711_SAMPLE_RATE}:d=${seconds},asplit=2[pcmu][pcma]`].join(";");
  return [
    "-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-filter_complex", graph,
    "-map", "[aac]", "-c:a", "aac", "-b:a", "32k", "-ac", "1", "-f", "adts", path.join(outDir, audioClipFileName("aac")),
    "-map", "[pcmu]", "-c:a", "pcm_mulaw", "-f", "mulaw", path.join(outDir, audioClipFileName("pcmu")),
    "-map", "[pcma]", "-c:a", "pcm_alaw", "-f", "alaw", path.join(outDir, audioClipFileName("pcma")),
  ];
}

/** Letters, digits, space and -_.# only: nothing that drawtext or the filtergraph would interpret. */
export function sanitizeLabel(s: string): string {
  return s.replace(/[^A-Za-z0-9 _.#-]/g, "").slice(0, 48);
}

/** Rounds to an even size of at least 2 (4:2:0 chroma needs even dimensions). */
export const evenAtLeast2 = (n: number) => Math.max(2, Math.round(n / 2) * 2);

export const clipFileName = (profile: StreamProfile, variant: ClipVariant, codec: VideoCodecName = "h264") => `${profile}-${variant}.${codec}`;
export const altClipFileName = (variant: ClipVariant, codec: VideoCodecName = "h264") => `main-alt-${variant}.${codec}`;
export const audioClipFileName = (codec: AudioCodecName) => `audio.${codec}`;

/** The cache key: a hash of the command line (with a placeholder folder) and the format version. */
export function clipCacheKey(spec: ClipSetSpec, fontFile: string | null): string {
  const argv = buildClipArgs(spec, "OUT", fontFile);
  return createHash("sha256").update(JSON.stringify({ v: CLIP_FORMAT_VERSION, argv })).digest("hex").slice(0, 16);
}

/** The cache key of an alternative main-stream pair. */
export function altClipCacheKey(spec: ClipSetSpec, alt: StreamSpec, fontFile: string | null, codec: VideoCodecName = "h264"): string {
  return argvKey(buildAltClipArgs(spec, alt, "OUT", fontFile, codec));
}

/** The cache key of an H.265 main pair. */
export function hevcClipCacheKey(spec: ClipSetSpec, fontFile: string | null): string {
  return argvKey(buildHevcClipArgs(spec, "OUT", fontFile));
}

/** The cache key of an audio set. */
export function audioClipCacheKey(seconds: number): string {
  return argvKey(buildAudioClipArgs(seconds, "OUT"));
}

/** A cache key: a hash of the command line (with placeholder paths), the format version and `extra` (e.g. an input file's hash). */
export const argvKey = (argv: string[], extra: object = {}) => createHash("sha256").update(JSON.stringify({ v: CLIP_FORMAT_VERSION, argv, ...extra })).digest("hex").slice(0, 16);

function clipSetAt(dir: string, spec: ClipSetSpec, isGenerated: boolean, waitedMs: number): ClipSet {
  const files = { main: {}, sub: {} } as ClipSet["files"];
  for (const profile of ["main", "sub"] as const) for (const variant of ["static", "motion"] as const) files[profile][variant] = path.join(dir, clipFileName(profile, variant));
  return { dir, spec, files, isGenerated, waitedMs };
}

export type EnsureClipsOptions = { cacheDir?: string; spec?: ClipSetSpec; ffmpegPath?: string; signal?: AbortSignal };

export type AltClipSet = {
  dir: string;
  spec: ClipSetSpec;
  alt: StreamSpec;
  codec: VideoCodecName;
  files: Record<ClipVariant, string>;
  isGenerated: boolean;
  waitedMs: number;
};

/** A main-stream pair of a set in another codec (the H.265 main clips). */
export type MainPairSet = { dir: string; spec: ClipSetSpec; codec: VideoCodecName; files: Record<ClipVariant, string>; isGenerated: boolean; waitedMs: number };

/** The audio clips (all three codecs, one loop of `seconds`: see buildAudioClipArgs). */
export type AudioClipSet = { dir: string; seconds: number; files: Record<AudioCodecName, string>; isGenerated: boolean; waitedMs: number };

export type Generated = { dir: string; isGenerated: boolean; waitedMs: number };
const inProcess = new Map<string, Promise<Generated>>();

/**
 * Returns the clip set for `spec`, generating it on a cache miss. Safe across processes: generation writes into a
 * private temporary folder that is renamed into place complete (a folder rename is atomic and fails if another
 * process got there first); an O_EXCL lock file keeps concurrent callers from doing the work twice.
 */
export async function ensureClips(opts: EnsureClipsOptions = {}): Promise<ClipSet> {
  const spec = opts.spec ?? DEFAULT_CLIP_SPEC;
  const fontFile = findFontFile();
  const g = await ensureGenerated(clipCacheKey(spec, fontFile), (dir) => buildClipArgs(spec, dir, fontFile), (dir) => ({ spec, fontFile, facts: verifyClipSet(clipSetAt(dir, spec, true, 0)) }), opts);
  return clipSetAt(g.dir, spec, g.isGenerated, g.waitedMs);
}

/**
 * The alternative main-stream pair for `spec` at `alt`'s size (default 1280x720), H.264 or (`codec` "h265") H.265:
 * cached like ensureClips.
 */
export async function ensureAltClips(opts: EnsureClipsOptions & { alt?: StreamSpec; codec?: VideoCodecName } = {}): Promise<AltClipSet> {
  const spec = opts.spec ?? DEFAULT_CLIP_SPEC;
  const alt = opts.alt ?? DEFAULT_ALT_MAIN;
  const codec = opts.codec ?? "h264";
  const fontFile = findFontFile();
  const filesAt = (dir: string) => ({ static: path.join(dir, altClipFileName("static", codec)), motion: path.join(dir, altClipFileName("motion", codec)) });
  const g = await ensureGenerated(altClipCacheKey(spec, alt, fontFile, codec), (dir) => buildAltClipArgs(spec, alt, dir, fontFile, codec), (dir) => ({ spec, alt, fontFile, facts: verifyPair(filesAt(dir), alt, loopOf(spec), codec) }), opts);
  return { dir: g.dir, spec, alt, codec, files: filesAt(g.dir), isGenerated: g.isGenerated, waitedMs: g.waitedMs };
}

/** The H.265 main pair of `spec` (libx265, same picture, GOP and length as the H.264 main clips): cached like ensureClips. */
export async function ensureHevcClips(opts: EnsureClipsOptions = {}): Promise<MainPairSet> {
  const spec = opts.spec ?? DEFAULT_CLIP_SPEC;
  const fontFile = findFontFile();
  const filesAt = (dir: string) => ({ static: path.join(dir, clipFileName("main", "static", "h265")), motion: path.join(dir, clipFileName("main", "motion", "h265")) });
  const g = await ensureGenerated(hevcClipCacheKey(spec, fontFile), (dir) => buildHevcClipArgs(spec, dir, fontFile), (dir) => ({ spec, fontFile, facts: verifyPair(filesAt(dir), spec.main, loopOf(spec), "h265") }), opts);
  return { dir: g.dir, spec, codec: "h265", files: filesAt(g.dir), isGenerated: g.isGenerated, waitedMs: g.waitedMs };
}

/** The audio set for clips of `spec.seconds` (AAC, µ-law, A-law; see buildAudioClipArgs): cached like ensureClips. */
export async function ensureAudioClips(opts: EnsureClipsOptions = {}): Promise<AudioClipSet> {
  const { seconds } = opts.spec ?? DEFAULT_CLIP_SPEC;
  const filesAt = (dir: string) => ({ aac: path.join(dir, audioClipFileName("aac")), pcmu: path.join(dir, audioClipFileName("pcmu")), pcma: path.join(dir, audioClipFileName("pcma")) });
  const verify = (dir: string) => {
    const files = filesAt(dir);
    const facts = Object.fromEntries((Object.keys(files) as AudioCodecName[]).map((codec) => [codec, { frames: loadAudioClip(files[codec], codec, seconds).frames.length, bytes: fs.statSync(files[codec]).size }]));
    return { seconds, facts };
  };
  const g = await ensureGenerated(audioClipCacheKey(seconds), (dir) => buildAudioClipArgs(seconds, dir), verify, opts);
  return { dir: g.dir, seconds, files: filesAt(g.dir), isGenerated: g.isGenerated, waitedMs: g.waitedMs };
}

/** One cached generation: `argv(dir)` run into a temporary folder, `verify(dir)` → manifest, renamed into place. */
export function ensureGenerated(key: string, argv: (dir: string) => string[], verify: (dir: string) => object, opts: EnsureClipsOptions): Promise<Generated> {
  const cacheDir = path.resolve(opts.cacheDir ?? defaultCacheDir());
  const id = `${cacheDir}/${key}`;
  let p = inProcess.get(id);
  if (!p) {
    p = generateUncached(cacheDir, key, argv, verify, opts);
    inProcess.set(id, p);
    p.catch(() => inProcess.delete(id));
  }
  return p;
}

async function generateUncached(cacheDir: string, key: string, argv: (dir: string) => string[], verify: (dir: string) => object, opts: EnsureClipsOptions): Promise<Generated> {
  const started = performance.now();
  const finalDir = path.join(cacheDir, key);
  const manifest = path.join(finalDir, "manifest.json");
  const lockFile = path.join(cacheDir, `${key}.lock`);
  fs.mkdirSync(cacheDir, { recursive: true });
  for (;;) {
    opts.signal?.throwIfAborted();
    if (fs.existsSync(manifest)) return { dir: finalDir, isGenerated: false, waitedMs: performance.now() - started };
    let lock: number | undefined;
    try {
      lock = fs.openSync(lockFile, "wx");
      fs.writeSync(lock, String(process.pid));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      if (isStaleLock(lockFile)) fs.rmSync(lockFile, { force: true });
      else await sleep(LOCK_POLL_MS, opts.signal);
      continue;
    }
    try {
      if (fs.existsSync(manifest)) return { dir: finalDir, isGenerated: false, waitedMs: performance.now() - started };
      const tmp = path.join(cacheDir, `.tmp-${key}-${process.pid}-${randomBytes(4).toString("hex")}`);
      fs.mkdirSync(tmp);
      try {
        await runFfmpeg(opts.ffmpegPath ?? "ffmpeg", argv(tmp), opts.signal);
        const facts = verify(tmp);
        const generationMs = Math.round(performance.now() - started);
        fs.writeFileSync(path.join(tmp, "manifest.json"), JSON.stringify({ key, ...facts, generationMs, createdAt: new Date().toISOString() }, null, 2));
        try {
          fs.renameSync(tmp, finalDir);
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          if (code !== "ENOTEMPTY" && code !== "EEXIST") throw err; // another process won the race: use theirs
        }
      } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
      }
      return { dir: finalDir, isGenerated: true, waitedMs: performance.now() - started };
    } finally {
      fs.closeSync(lock);
      fs.rmSync(lockFile, { force: true });
    }
  }
}

function isStaleLock(file: string): boolean {
  try {
    const pid = Number(fs.readFileSync(file, "utf8"));
    if (Date.now() - fs.statSync(file).mtimeMs > STALE_LOCK_MS) return true;
    if (!pid) return Date.now() - fs.statSync(file).mtimeMs > 5000; // being written
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "ESRCH" || (err as NodeJS.ErrnoException).code === "ENOENT";
  }
}

/**
 * Checks what replay relies on: every clip starts with an IDR, has fps × seconds frames, a keyframe exactly every
 * gopFrames frames, the right size, and static and motion clips of a stream carry byte-identical SPS and PPS.
 */
export type ClipFacts = Record<string, { frames: number; bytes: number; width: number; height: number }>;

export function verifyClipSet(set: ClipSet): ClipFacts {
  const facts: ClipFacts = {};
  for (const profile of ["main", "sub"] as const) {
    for (const [variant, f] of Object.entries(verifyPair(set.files[profile], set.spec[profile], loopOf(set.spec)))) facts[`${profile}-${variant}`] = f;
  }
  return facts;
}

/** The frame count and GOP length every clip of a synthetic set has. */
const loopOf = (spec: ClipSetSpec): ClipLoop => ({ frames: spec.fps * spec.seconds, gopFrames: spec.gopFrames });

/** What a clip pair must have: `frames` access units, a keyframe exactly at every multiple of `gopFrames`. */
export type ClipLoop = { frames: number; gopFrames: number };

/**
 * The checks of verifyClipSet for one stream's static and motion clip at `size`. The size of an H.265 clip is not read
 * back (no HEVC SPS parser here): it is the size it was encoded at.
 */
export function verifyPair(files: Record<ClipVariant, string>, size: { width: number; height: number }, loop: ClipLoop, codec: VideoCodecName = "h264"): ClipFacts {
  const facts: ClipFacts = {};
  const params: string[] = [];
  for (const variant of ["static", "motion"] as const) {
    const file = files[variant];
    const data = fs.readFileSync(file);
    const aus = codec === "h265" ? parseHevcAnnexB(data) : parseAnnexB(data);
    const ps: ParameterSets | null = codec === "h265" ? findHevcParameterSets(aus) : findParameterSets(aus);
    if (!ps) throw new Error(`${file}: missing parameter sets`);
    const { width, height } = codec === "h265" ? size : parseSps(ps.sps);
    if (width !== size.width || height !== size.height) throw new Error(`${file}: ${width}x${height}, expected ${size.width}x${size.height}`);
    if (aus.length !== loop.frames) throw new Error(`${file}: ${aus.length} frames, expected ${loop.frames}`);
    aus.forEach((au, i) => {
      if (au.isKey !== (i % loop.gopFrames === 0)) throw new Error(`${file}: frame ${i} keyframe=${au.isKey}`);
    });
    params.push([ps.vps, ps.sps, ps.pps].map((b) => b?.toString("hex") ?? "").join(":"));
    facts[variant] = { frames: aus.length, bytes: data.length, width, height };
  }
  if (params[0] !== params[1]) throw new Error(`${files.static}: static and motion clips have different SPS/PPS`);
  return facts;
}

/** Runs ffmpeg to completion; rejects with its stderr on failure; kills it when `signal` aborts. */
export function runFfmpeg(ffmpeg: string, args: string[], signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpeg, args, { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => {
      if (stderr.length < 8192) stderr += d.toString();
    });
    const onAbort = () => child.kill("SIGKILL");
    signal?.addEventListener("abort", onAbort, { once: true });
    child.on("error", reject);
    child.on("exit", (code, sig) => {
      signal?.removeEventListener("abort", onAbort);
      if (code === 0) resolve();
      else reject(new Error(`ffmpeg clip generation failed (${code ?? sig}): ${stderr.trim().slice(0, 2000)}`));
    });
  });
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(t);
      reject(signal.reason);
    }, { once: true });
  });
}
