// What a simulated PTZ camera sees: a window onto a large still scene (a 3840×2160 test pattern with a little temporal
// noise), placed by the head's pan and tilt and sized by its zoom. Positions are quantized (VIEW_STEPS) so that views
// can be encoded once and cached like the other clips (a view is a main and a sub clip of the clip spec's length and
// GOP layout, H.264, so replay can switch to it at any keyframe). Pure geometry and argv here; generation through
// clips.ts's ensureGenerated.
import path from "node:path";
import crypto from "node:crypto";
import { drawtextFont, ensureGenerated, findFontFile, sanitizeLabel, verifyPair, x264Args, type ClipSetSpec, type EnsureClipsOptions } from "./clips";
import type { PtzVector } from "./ptz";

/** The scene the head looks at, in pixels (16:9, like the views). */
export const PANORAMA = { width: 3840, height: 2160 } as const;
/** Quantization of a view: pan and tilt in 1/8 steps (17 positions each), zoom in 1/4 steps (5). */
export const VIEW_STEPS = { panTilt: 8, zoom: 4 } as const;
/** The window at zoom 0 (widest) and 1 (tele), as a fraction of the scene's width. */
export const VIEW_WIDTH = { wide: 0.5, tele: 0.125 } as const;

export type ViewKey = { pan: number; tilt: number; zoom: number };

/** The view shown for a head position: each axis rounded to its step. */
export function quantizeView(p: PtzVector): ViewKey {
  const round = (v: number, steps: number) => Math.round(v * steps) / steps;
  return { pan: round(p.pan, VIEW_STEPS.panTilt), tilt: round(p.tilt, VIEW_STEPS.panTilt), zoom: round(p.zoom, VIEW_STEPS.zoom) };
}

export const viewId = (v: ViewKey) => `p${v.pan}_t${v.tilt}_z${v.zoom}`;

/**
 * The window of a view on the scene, in even pixels: pan −1 … 1 moves it from the left edge to the right edge, tilt
 * −1 … 1 from the bottom to the top, zoom 0 … 1 narrows it from VIEW_WIDTH.wide to VIEW_WIDTH.tele of the scene.
 */
export function viewCrop(v: ViewKey, scene: { width: number; height: number } = PANORAMA): { x: number; y: number; w: number; h: number } {
  const even = (n: number) => 2 * Math.round(n / 2);
  const fraction = VIEW_WIDTH.wide + (VIEW_WIDTH.tele - VIEW_WIDTH.wide) * v.zoom;
  const w = even(scene.width * fraction);
  const h = even(scene.height * fraction);
  const x = even(((scene.width - w) / 2) * (1 + v.pan));
  const y = even(((scene.height - h) / 2) * (1 - v.tilt));
  return { x, y, w, h };
}

/** The ffmpeg command that encodes a view's main and sub clips into `outDir` (main.h264, sub.h264). Pure. */
export function buildViewArgs(spec: ClipSetSpec, v: ViewKey, outDir: string, fontFile: string | null): string[] {
  const { fps, seconds } = spec;
  const c = viewCrop(v);
  const font = drawtextFont(fontFile);
  const label = (size: number) => `drawtext=${font}:fontsize=${size}:fontcolor=white:box=1:boxcolor=black@0.5:boxborderw=4:x=8:y=h-th-12:text='${sanitizeLabel(`${spec.label} PTZ pan ${v.pan} tilt ${v.tilt} zoom ${v.zoom}`)}'`;
  const graph = [
    `testsrc2=size=${PANORAMA.width}x${PANORAMA.height}:rate=${fps},format=yuv420p,trim=end_frame=1,loop=loop=-1:size=1:start=0,setpts=N/${fps}/TB`,
    `crop=${c.w}:${c.h}:${c.x}:${c.y},noise=alls=6:allf=t,split=2[a][b]`,
  ].join(",");
  const full = `${graph};[a]scale=${spec.main.width}:${spec.main.height},${label(Math.round(spec.main.height / 40))}[main];[b]scale=${spec.sub.width}:${spec.sub.height},${label(Math.max(10, Math.round(spec.sub.height / 30)))}[sub]`;
  const out = ["-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-filter_complex", full];
  for (const profile of ["main", "sub"] as const) {
    out.push("-map", `[${profile}]`, "-frames:v", String(fps * seconds), ...x264Args({ fps, gopFrames: spec.gopFrames, bitrateKbps: spec[profile].bitrateKbps, preset: "ultrafast" }), "-an", "-f", "h264", path.join(outDir, `${profile}.h264`));
  }
  return out;
}

/** The cache folder name of a view: what its clips depend on. */
export function viewCacheKey(spec: ClipSetSpec, v: ViewKey, fontFile: string | null): string {
  const hash = crypto.createHash("sha256").update(JSON.stringify({ v: 1, spec, fontFile, view: v, scene: PANORAMA })).digest("hex").slice(0, 16);
  return `ptz-${viewId(v)}-${hash}`;
}

/** A view's clips, encoded on first use and cached (about a second of one core per view). */
export async function ensureView(opts: EnsureClipsOptions & { spec: ClipSetSpec; view: ViewKey }): Promise<{ main: string; sub: string; isGenerated: boolean }> {
  const fontFile = findFontFile();
  const filesAt = (dir: string) => ({ main: path.join(dir, "main.h264"), sub: path.join(dir, "sub.h264") });
  const loop = { frames: opts.spec.fps * opts.spec.seconds, gopFrames: opts.spec.gopFrames };
  const g = await ensureGenerated(
    viewCacheKey(opts.spec, opts.view, fontFile),
    (dir) => buildViewArgs(opts.spec, opts.view, dir, fontFile),
    (dir) => ({
      view: opts.view,
      main: verifyPair({ static: filesAt(dir).main, motion: filesAt(dir).main }, opts.spec.main, loop),
      sub: verifyPair({ static: filesAt(dir).sub, motion: filesAt(dir).sub }, opts.spec.sub, loop),
    }),
    opts,
  );
  return { ...filesAt(g.dir), isGenerated: g.isGenerated };
}
