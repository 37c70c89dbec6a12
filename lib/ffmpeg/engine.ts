// The media engine: are ffmpeg and ffprobe there, which version, and does it have what Nightjar relies on. Read by
// `npm start` (refuses to start without it), /api/health and the Cameras page. The parse is pure and table-tested.
import { execFile } from "node:child_process";

/**
 * Oldest ffmpeg Nightjar works with: 5.0 renamed the RTSP socket timeout to `-timeout` (µs), which every RTSP argv
 * here uses (4.x reads it as a listen timeout and hangs on an unreachable camera); 5.1 added `-fps_mode`, which the
 * event photo needs (lib/recording/photos.ts). Debian 12 ships 5.1.
 */
export const MIN_FFMPEG_VERSION: readonly [number, number] = [5, 1];

/** Formats, protocols and codecs every Nightjar argv needs (ingest: rtsp → hls fmp4; clips: mp4; motion: h264). */
const REQUIRED = { demuxers: ["rtsp"], muxers: ["hls", "mp4", "image2"], decoders: ["h264", "hevc"], encoders: ["mjpeg"] } as const;

export type MediaEngine = {
  ok: boolean;
  ffmpeg: { path: string; version: string | null };
  ffprobe: { path: string; version: string | null };
  /** What is wrong, in words an admin can act on; empty when ok. */
  problems: string[];
};

/** "ffmpeg version 5.1.6-0+deb12u1 Copyright…" → "5.1.6-0+deb12u1"; "N-110000-g…" (git builds) kept as is. */
export function parseVersionLine(output: string, program: "ffmpeg" | "ffprobe"): string | null {
  const m = new RegExp(`^${program} version (\\S+)`, "m").exec(output);
  return m ? m[1] : null;
}

/** True when `version` is at least MIN_FFMPEG_VERSION; git snapshots ("N-…", "git-…") count as new enough. */
export function isRecentEnough(version: string, min: readonly [number, number] = MIN_FFMPEG_VERSION): boolean {
  const m = /^n?(\d+)\.(\d+)/.exec(version);
  if (!m) return /^(N-|git-)/.test(version);
  const [major, minor] = [Number(m[1]), Number(m[2])];
  return major > min[0] || (major === min[0] && minor >= min[1]);
}

/** Names in the table of `ffmpeg -muxers` / `-demuxers` / `-decoders` / `-encoders` output. */
export function listedNames(output: string): Set<string> {
  const names = new Set<string>();
  for (const line of output.split("\n")) {
    const m = /^\s*[A-Z.]{1,6}\s+([\w,]+)\s/.exec(line);
    if (m) for (const n of m[1].split(",")) names.add(n);
  }
  return names;
}

/** Output of a short run, or null when the program could not be started (not found, not executable). */
const run = (file: string, args: string[]) =>
  new Promise<{ out: string } | null>((resolve) => {
    execFile(file, args, { encoding: "utf8", timeout: 10_000, maxBuffer: 4 * 1024 * 1024 }, (err, stdout) => {
      const code = (err as NodeJS.ErrnoException | null)?.code;
      resolve(typeof code === "string" ? null : { out: stdout ?? "" });
    });
  });

/** Checks the engine (runs ffmpeg a few times, ~100 ms, without blocking). */
export async function checkMediaEngine(ffmpegPath: string, ffprobePath: string): Promise<MediaEngine> {
  const problems: string[] = [];
  const [ff, probe] = await Promise.all([run(ffmpegPath, ["-version"]), run(ffprobePath, ["-version"])]);
  const ffVersion = ff ? parseVersionLine(ff.out, "ffmpeg") : null;
  const probeVersion = probe ? parseVersionLine(probe.out, "ffprobe") : null;
  const install = "install Debian's ffmpeg (sudo apt-get install ffmpeg) or set FFMPEG_PATH and FFPROBE_PATH";
  if (!ff || !ffVersion) problems.push(`ffmpeg not found at "${ffmpegPath}": ${install}`);
  if (!probe || !probeVersion) problems.push(`ffprobe not found at "${ffprobePath}": ${install}`);
  if (ffVersion && !isRecentEnough(ffVersion)) problems.push(`ffmpeg ${ffVersion} is too old: Nightjar needs ${MIN_FFMPEG_VERSION.join(".")} or newer (${install})`);
  if (ffVersion) {
    for (const [kind, names] of Object.entries(REQUIRED)) {
      const listed = listedNames((await run(ffmpegPath, ["-hide_banner", `-${kind}`]))?.out ?? "");
      const missing = names.filter((n) => !listed.has(n));
      if (missing.length) problems.push(`ffmpeg lacks ${kind.replace(/s$/, "")} ${missing.join(", ")}: use a full build such as Debian's`);
    }
  }
  return { ok: problems.length === 0, ffmpeg: { path: ffmpegPath, version: ffVersion }, ffprobe: { path: ffprobePath, version: probeVersion }, problems };
}

const encoderLists = new Map<string, Promise<Set<string>>>();

/** Whether this ffmpeg has an encoder (e.g. "libopus", which WebRTC sound needs and a minimal build may lack); the list is read once per path. */
export async function ffmpegHasEncoder(ffmpegPath: string, name: string): Promise<boolean> {
  let list = encoderLists.get(ffmpegPath);
  if (!list) {
    list = run(ffmpegPath, ["-hide_banner", "-encoders"]).then((r) => listedNames(r?.out ?? ""));
    encoderLists.set(ffmpegPath, list);
  }
  return (await list).has(name);
}

let cached: { at: number; path: string; engine: Promise<MediaEngine> } | null = null;

/** checkMediaEngine, remembered for a minute (health checks and page loads call it often). */
export function mediaEngineStatus(ffmpegPath: string, ffprobePath: string, nowMs = Date.now()): Promise<MediaEngine> {
  if (!cached || nowMs - cached.at > 60_000 || cached.path !== ffmpegPath) cached = { at: nowMs, path: ffmpegPath, engine: checkMediaEngine(ffmpegPath, ffprobePath) };
  return cached.engine;
}
