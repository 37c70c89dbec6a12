// Scenes: a real video file replayed as a simulated camera. The "motion" clip of a scene camera is the footage itself,
// every decoded frame exactly once, in order, at the file's own frame rate; the "static" clip is its first frame held
// for as many frames. Both are encoded once with ffmpeg per stream (main in the camera's codec, sub in H.264) at the
// stream's width with the footage's aspect ratio, with the GOP duration of the synthetic clips, and cached like them
// under a key made of the file's content hash and the command line. Frame n of the loop is frame n of the file, so
// ground truth written per file frame applies to what the camera sends.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import {
  altClipFileName,
  argvKey,
  clipFileName,
  DEFAULT_ALT_MAIN,
  DEFAULT_CLIP_SPEC,
  ensureGenerated,
  evenAtLeast2,
  HEVC_CLIP_PRESET,
  rawVideoFormat,
  verifyPair,
  videoEncoderArgs,
  type ClipSetSpec,
  type ClipVariant,
  type EnsureClipsOptions,
  type StreamSpec,
} from "./clips";
import type { VideoCodecName } from "./rtp";

/** Highest frame rate accepted from a file, in frames per second (the pacer ticks once per frame). */
const MAX_SCENE_FPS = 60;
/** How long the probe (which decodes the whole file to count its frames) may take, in ms. */
const PROBE_TIMEOUT_MS = 120_000;

/** What replay needs to know of a file: its picture size, frame rate (whole frames per second) and decodable frames. */
export type SceneFacts = { width: number; height: number; fps: number; frames: number };
/** A probed scene file: its facts, where it is and the sha256 of its content (hex). */
export type Scene = SceneFacts & { file: string; sha256: string };

/** One stream of a scene set: the static and motion clip at `size`, encoded by `codec`, into `files`. */
export type SceneStreamOutput = { name: string; size: StreamSpec; codec: VideoCodecName; files: Record<ClipVariant, string> };

/** The clips of one scene camera: main (in `codec`) and sub (H.264) pairs, and the GOP length in frames. */
export type SceneClipSet = {
  dir: string;
  scene: Scene;
  codec: VideoCodecName;
  gopFrames: number;
  sizes: Record<"main" | "sub", StreamSpec>;
  files: Record<"main" | "sub", Record<ClipVariant, string>>;
  isGenerated: boolean;
  waitedMs: number;
};

/** The alternative main pair of a scene camera (resolution switches). */
export type SceneAltClipSet = { dir: string; scene: Scene; codec: VideoCodecName; size: StreamSpec; files: Record<ClipVariant, string>; isGenerated: boolean; waitedMs: number };

export type EnsureSceneOptions = EnsureClipsOptions & { scene: string; codec?: VideoCodecName; ffprobePath?: string };

/**
 * A stream's picture for a scene: the stream's width, the footage's aspect ratio (768×576 at a 640-wide sub stream:
 * 640×480); footage taller than wide is fitted into a square of that width. Even sizes (4:2:0); bitrate as the stream's.
 */
export function sceneStreamSize(stream: StreamSpec, scene: Pick<SceneFacts, "width" | "height">): StreamSpec {
  const scale = Math.min(stream.width / scene.width, stream.width / scene.height);
  return { width: evenAtLeast2(scene.width * scale), height: evenAtLeast2(scene.height * scale), bitrateKbps: stream.bitrateKbps };
}

/** Frames per GOP of a scene at `fps`: the synthetic clips' GOP duration (1 s by default), at least one frame. */
export const sceneGopFrames = (spec: ClipSetSpec, fps: number): number => Math.max(1, Math.round((fps * spec.gopFrames) / spec.fps));

/**
 * The facts of a scene from `ffprobe -count_frames -show_entries stream=width,height,r_frame_rate,nb_read_frames
 * -of json` (first video stream). The frame rate is the stream's nominal one rounded to whole frames per second: a file
 * that dropped frames while it was captured (tree.avi: 68 frames over 29.6 s at a nominal 15 fps) plays its frames at
 * that rate, so faster than life. Pure; throws a message naming `file` on anything unusable.
 */
export function parseSceneProbe(file: string, json: string): SceneFacts {
  let stream: { width?: number; height?: number; r_frame_rate?: string; nb_read_frames?: string } | undefined;
  try {
    stream = (JSON.parse(json) as { streams?: (typeof stream)[] }).streams?.[0];
  } catch {
    throw new Error(`scene ${file}: ffprobe's answer is not JSON`);
  }
  if (!stream) throw new Error(`scene ${file}: no video stream`);
  const [num, den] = (stream.r_frame_rate ?? "").split("/").map(Number);
  const fps = Math.round(num / (den || 1));
  const frames = Number(stream.nb_read_frames);
  const { width = 0, height = 0 } = stream;
  if (!(width > 0 && height > 0)) throw new Error(`scene ${file}: no picture size`);
  if (!Number.isInteger(frames) || frames < 1) throw new Error(`scene ${file}: ffmpeg decodes no frame of it`);
  if (!Number.isFinite(fps) || fps < 1 || fps > MAX_SCENE_FPS) throw new Error(`scene ${file}: frame rate ${stream.r_frame_rate ?? "?"} is not 1..${MAX_SCENE_FPS} fps`);
  return { width, height, fps, frames };
}

/**
 * The one ffmpeg command that makes the clips of `streams` from `input`: each decoded frame once, renumbered to
 * frame n at n / fps (settb + setpts: no frame duplicated or dropped whatever the file's timestamps; the output's
 * fps_mode passthrough keeps it so), split into the motion picture and the still of frame 0 (trim + loop), each scaled
 * to every stream's size and encoded with the synthetic clips' options (a keyframe every `gopFrames`). Pure.
 */
export function buildSceneClipArgs(input: string, scene: SceneFacts, gopFrames: number, streams: readonly SceneStreamOutput[]): string[] {
  const { fps, frames } = scene;
  const k = streams.length;
  const renumber = `settb=1/${fps},setpts=N`;
  const graph = [
    `[0:v:0]${renumber},split=2[motion][first]`,
    `[first]trim=end_frame=1,loop=loop=${frames - 1}:size=1:start=0,${renumber}[still]`,
    `[motion]split=${k}${streams.map((_, i) => `[m${i}]`).join("")}`,
    `[still]split=${k}${streams.map((_, i) => `[s${i}]`).join("")}`,
    ...streams.flatMap((s, i) => [
      `[s${i}]scale=${s.size.width}:${s.size.height},format=yuv420p[${s.name}_static]`,
      `[m${i}]scale=${s.size.width}:${s.size.height},format=yuv420p[${s.name}_motion]`,
    ]),
  ].join(";");
  const out = ["-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-i", input, "-filter_complex", graph];
  for (const s of streams) {
    const preset = s.codec === "h265" ? HEVC_CLIP_PRESET : "veryfast";
    for (const variant of ["static", "motion"] as const) {
      out.push(
        "-map", `[${s.name}_${variant}]`, "-frames:v", String(frames), "-fps_mode", "passthrough",
        ...videoEncoderArgs(s.codec, { fps, gopFrames, bitrateKbps: s.size.bitrateKbps, preset }),
        "-an", "-f", rawVideoFormat(s.codec), s.files[variant],
      );
    }
  }
  return out;
}

/** The main and sub streams of a scene camera whose main stream is `codec`, into `dir`. */
function cameraStreams(scene: SceneFacts, spec: ClipSetSpec, codec: VideoCodecName, dir: string): SceneStreamOutput[] {
  const pair = (profile: "main" | "sub", c: VideoCodecName) => ({ static: path.join(dir, clipFileName(profile, "static", c)), motion: path.join(dir, clipFileName(profile, "motion", c)) });
  return [
    { name: "main", size: sceneStreamSize(spec.main, scene), codec, files: pair("main", codec) },
    { name: "sub", size: sceneStreamSize(spec.sub, scene), codec: "h264", files: pair("sub", "h264") },
  ];
}

/** The alternative main stream of a scene camera at `alt`'s width, into `dir`. */
function altStream(scene: SceneFacts, alt: StreamSpec, codec: VideoCodecName, dir: string): SceneStreamOutput {
  return { name: "main", size: sceneStreamSize(alt, scene), codec, files: { static: path.join(dir, altClipFileName("static", codec)), motion: path.join(dir, altClipFileName("motion", codec)) } };
}

/** The cache key of a scene's clips: the command line (placeholder paths) and the file's content hash. */
export function sceneCacheKey(scene: Pick<Scene, "sha256"> & SceneFacts, gopFrames: number, streams: readonly SceneStreamOutput[]): string {
  return argvKey(buildSceneClipArgs("SCENE", scene, gopFrames, streams), { scene: scene.sha256 });
}

/** Runs a command to completion; resolves with its exit code and output (stderr cut to 8 KiB). */
function runCommand(cmd: string, args: string[], timeoutMs: number, signal?: AbortSignal): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], signal });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => {
      if (stderr.length < 8192) stderr += d.toString();
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/**
 * Reads a scene file: checks that it exists, hashes it and counts its frames with ffprobe (which decodes it all, so a
 * file ffmpeg cannot decode fails here with ffprobe's message).
 */
export async function probeScene(file: string, opts: { ffprobePath?: string; signal?: AbortSignal } = {}): Promise<Scene> {
  const abs = path.resolve(file);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(abs);
  } catch {
    throw new Error(`scene file not found: ${abs}`);
  }
  if (!stat.isFile()) throw new Error(`scene is not a file: ${abs}`);
  const ffprobe = opts.ffprobePath ?? (process.env.FFPROBE_PATH || "ffprobe");
  const args = ["-v", "error", "-select_streams", "v:0", "-count_frames", "-show_entries", "stream=width,height,r_frame_rate,nb_read_frames", "-of", "json", abs];
  const [sha256, probe] = await Promise.all([
    sha256Of(abs),
    runCommand(ffprobe, args, PROBE_TIMEOUT_MS, opts.signal).catch((err: Error) => {
      throw new Error(`scene ${abs}: cannot run ${ffprobe}: ${err.message}`);
    }),
  ]);
  if (probe.code !== 0) throw new Error(`scene ${abs}: ffmpeg cannot decode it: ${probe.stderr.trim().split("\n")[0] || `ffprobe exit ${probe.code}`}`);
  return { file: abs, sha256, ...parseSceneProbe(abs, probe.stdout) };
}

/** Scenes probed in this process, by path and modification time (a probe decodes the whole file). */
const probed = new Map<string, Promise<Scene>>();

function probeOnce(file: string, opts: { ffprobePath?: string; signal?: AbortSignal }): Promise<Scene> {
  const abs = path.resolve(file);
  let id = abs;
  try {
    id += `|${fs.statSync(abs).mtimeMs}`;
  } catch {
    return probeScene(abs, opts); // missing: let probeScene say so
  }
  let p = probed.get(id);
  if (!p) {
    p = probeScene(abs, opts);
    probed.set(id, p);
    p.catch(() => probed.delete(id));
  }
  return p;
}

/** Verifies every stream of a generated scene set: frame count, keyframes, sizes, shared parameter sets. */
function verifyStreams(streams: readonly SceneStreamOutput[], scene: Scene, gopFrames: number) {
  return Object.fromEntries(streams.map((s) => [s.name, verifyPair(s.files, s.size, { frames: scene.frames, gopFrames }, s.codec)]));
}

/** The clips of a scene camera (see the module header), generated on a cache miss; safe across processes like ensureClips. */
export async function ensureSceneClips(opts: EnsureSceneOptions): Promise<SceneClipSet> {
  const spec = opts.spec ?? DEFAULT_CLIP_SPEC;
  const codec = opts.codec ?? "h264";
  const scene = await probeOnce(opts.scene, opts);
  const gopFrames = sceneGopFrames(spec, scene.fps);
  const key = sceneCacheKey(scene, gopFrames, cameraStreams(scene, spec, codec, "OUT"));
  const g = await ensureGenerated(
    key,
    (dir) => buildSceneClipArgs(scene.file, scene, gopFrames, cameraStreams(scene, spec, codec, dir)),
    (dir) => ({ scene, gopFrames, facts: verifyStreams(cameraStreams(scene, spec, codec, dir), scene, gopFrames) }),
    opts,
  );
  const [main, sub] = cameraStreams(scene, spec, codec, g.dir);
  return { dir: g.dir, scene, codec, gopFrames, sizes: { main: main.size, sub: sub.size }, files: { main: main.files, sub: sub.files }, isGenerated: g.isGenerated, waitedMs: g.waitedMs };
}

/** The alternative main pair of a scene camera at `alt`'s width (default 1280): cached like ensureSceneClips. */
export async function ensureSceneAltClips(opts: EnsureSceneOptions & { alt?: StreamSpec }): Promise<SceneAltClipSet> {
  const spec = opts.spec ?? DEFAULT_CLIP_SPEC;
  const codec = opts.codec ?? "h264";
  const alt = opts.alt ?? DEFAULT_ALT_MAIN;
  const scene = await probeOnce(opts.scene, opts);
  const gopFrames = sceneGopFrames(spec, scene.fps);
  const key = sceneCacheKey(scene, gopFrames, [altStream(scene, alt, codec, "OUT")]);
  const g = await ensureGenerated(
    key,
    (dir) => buildSceneClipArgs(scene.file, scene, gopFrames, [altStream(scene, alt, codec, dir)]),
    (dir) => ({ scene, gopFrames, facts: verifyStreams([altStream(scene, alt, codec, dir)], scene, gopFrames) }),
    opts,
  );
  const s = altStream(scene, alt, codec, g.dir);
  return { dir: g.dir, scene, codec, size: s.size, files: s.files, isGenerated: g.isGenerated, waitedMs: g.waitedMs };
}
