// Real footage for detection tests and benchmarks: the clips of Debian's opencv-doc (read where the package puts them,
// never copied into the repo: see footage/LICENCE.md), their ground truth written by hand (footage/*.truth.json), and
// the pure scoring of a detector's per-frame output against it. Frame n is the n-th decoded frame of the file, which is
// also frame n of a simulator scene camera's loop (lib/simulator/scene.ts).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { groupOf, isLabel, LABELS, type Label } from "../detection/labels";
import type { RgbFrame } from "../detection/resize";

/** Where Debian's opencv-doc installs its sample data. */
export const FOOTAGE_DIR = "/usr/share/doc/opencv-doc/examples/data";
export const FOOTAGE_NAMES = ["vtest.avi", "tree.avi"] as const;
export type FootageName = (typeof FOOTAGE_NAMES)[number];

const TRUTH_DIR = path.join(import.meta.dirname, "footage");

/** Whether the clip is installed (tests that need it skip with a reason otherwise). */
export const hasFootage = (name: FootageName): boolean => fs.existsSync(path.join(FOOTAGE_DIR, name));

/** The clip's path; throws saying how to install it when it is missing. */
export function footagePath(name: FootageName): string {
  const file = path.join(FOOTAGE_DIR, name);
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: the test footage comes from Debian's opencv-doc package (apt-get install opencv-doc)`);
  return file;
}

/** Indices per ffmpeg run: a longer select expression is refused by ffmpeg's parser. */
const SELECT_CHUNK = 40;

/** Frames numbered `indices` (0-based, any order; returned ascending) of a clip, decoded by ffmpeg to rgb24. */
export function readFrames(name: FootageName, indices: readonly number[], ffmpeg = process.env.FFMPEG_PATH || "ffmpeg"): RgbFrame[] {
  const file = footagePath(name);
  const ffprobe = ffmpeg.replace(/ffmpeg$/, "ffprobe");
  const probe = spawnSync(ffprobe, ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height", "-of", "csv=p=0", file], { encoding: "utf8" });
  if (probe.status !== 0) throw new Error(`${ffprobe} could not read ${file} (${probe.error?.message ?? probe.stderr.trim()}): install ffmpeg`);
  const [width, height] = probe.stdout.trim().split(",").map(Number);
  const sorted = [...new Set(indices)].sort((a, b) => a - b);
  const frameBytes = width * height * 3;
  const frames: RgbFrame[] = [];
  for (let start = 0; start < sorted.length; start += SELECT_CHUNK) {
    const chunk = sorted.slice(start, start + SELECT_CHUNK);
    const select = chunk.map((i) => `eq(n\\,${i})`).join("+");
    const run = spawnSync(ffmpeg, ["-hide_banner", "-nostdin", "-loglevel", "error", "-i", file, "-vf", `select=${select}`, "-frames:v", String(chunk.length), "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"], { maxBuffer: frameBytes * chunk.length + 1024 });
    if (run.status !== 0) throw new Error(`ffmpeg could not decode ${file}: ${run.error?.message ?? run.stderr.toString().trim()}`);
    if (run.stdout.length !== frameBytes * chunk.length) throw new Error(`ffmpeg gave ${run.stdout.length} bytes for ${chunk.length} frames of ${width}×${height} from ${file}`);
    frames.push(...chunk.map((_, k) => ({ rgb: new Uint8Array(run.stdout.buffer, run.stdout.byteOffset + k * frameBytes, frameBytes), width, height })));
  }
  return frames;
}

const labelSchema = z.string().refine(isLabel, { message: "not a Nightjar label" }).transform((l) => l as Label);

const truthSchema = z.object({
  clip: z.enum(FOOTAGE_NAMES),
  source: z.object({ package: z.string(), version: z.string(), path: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/), licence: z.string() }),
  /** Frames per second of the file (and of a scene camera replaying it). */
  fps: z.number().positive(),
  /** Frames ffmpeg decodes from the file. */
  decodedFrames: z.number().int().positive(),
  /** How persons were counted and labels given. */
  rule: z.string().min(1),
  /** Objects that stay put through the clip (they are in the per-frame labels too). */
  stationary: z.array(z.object({ label: labelSchema, what: z.string() })),
  frames: z
    .array(z.object({ frame: z.number().int().nonnegative(), labels: z.array(labelSchema), persons: z.number().int().nonnegative(), note: z.string().optional() }))
    .min(1),
});

/** The ground truth of a clip: per labelled frame, the labels present and the number of persons. */
export type FootageTruth = z.infer<typeof truthSchema>;
export type TruthFrame = FootageTruth["frames"][number];

/** Reads and checks footage/<clip>.truth.json: frames ascending and within the clip, persons ⇔ "person" label. */
export function loadTruth(name: FootageName): FootageTruth {
  const file = path.join(TRUTH_DIR, `${path.parse(name).name}.truth.json`);
  const truth = truthSchema.parse(JSON.parse(fs.readFileSync(file, "utf8")));
  if (truth.clip !== name) throw new Error(`${file}: is the truth of ${truth.clip}`);
  truth.frames.forEach((f, i) => {
    if (i > 0 && f.frame <= truth.frames[i - 1].frame) throw new Error(`${file}: frame ${f.frame} out of order`);
    if (f.frame >= truth.decodedFrames) throw new Error(`${file}: frame ${f.frame} beyond the clip's ${truth.decodedFrames}`);
    if (f.labels.includes("person") !== f.persons > 0) throw new Error(`${file}: frame ${f.frame}: "person" label and person count disagree`);
  });
  return truth;
}

/** Counts and the ratios made of them; a ratio with nothing to count (0 / 0) is 1: no claim was wrong, nothing was missed. */
export type Score = { tp: number; fp: number; fn: number; precision: number; recall: number };

const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);
const scoreOf = (tp: number, fp: number, fn: number): Score => ({ tp, fp, fn, precision: ratio(tp, tp + fp), recall: ratio(tp, tp + fn) });

/** Truth frames by frame number, the predictions joined to them; a prediction for a frame twice is an error. */
function joinFrames<P extends { frame: number }>(truth: readonly TruthFrame[], predictions: readonly P[]): { truth: TruthFrame; prediction: P }[] {
  const byFrame = new Map<number, P>();
  for (const p of predictions) {
    if (byFrame.has(p.frame)) throw new Error(`two predictions for frame ${p.frame}`);
    byFrame.set(p.frame, p);
  }
  return truth.flatMap((t) => {
    const prediction = byFrame.get(t.frame);
    return prediction ? [{ truth: t, prediction }] : [];
  });
}

/**
 * Person counting against the truth, over the frames that have both a truth and a prediction (a prediction for a frame
 * without truth is ignored; give `persons: 0` for a frame where nothing was found). Per frame: TP = min(predicted,
 * truth), FP = max(0, predicted − truth), FN = max(0, truth − predicted); summed over frames. Pure.
 */
export function personCountScore(truth: readonly TruthFrame[], predictions: readonly { frame: number; persons: number }[]): Score & { frames: number } {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const joined = joinFrames(truth, predictions);
  for (const { truth: t, prediction: p } of joined) {
    tp += Math.min(p.persons, t.persons);
    fp += Math.max(0, p.persons - t.persons);
    fn += Math.max(0, t.persons - p.persons);
  }
  return { frames: joined.length, ...scoreOf(tp, fp, fn) };
}

/**
 * Frame-level presence per label (or per group with `by: "group"`: "car" and "truck" both count as "vehicle", so a
 * detector calling the white van either is right): for every label that the truth or a prediction names on a scored
 * frame, TP = frames where both have it, FP = predicted but not true, FN = true but not predicted. Frames are joined
 * as in personCountScore. Labels Nightjar does not report (e.g. "sports ball") are ignored. Pure.
 */
export function frameLabelScore(truth: readonly TruthFrame[], predictions: readonly { frame: number; labels: readonly string[] }[], opts: { by?: "label" | "group" } = {}): Record<string, Score> {
  const keyOf = (label: string): string | null => (opts.by === "group" ? groupOf(label) : isLabel(label) ? label : null);
  const keys = (labels: readonly string[]) => new Set(labels.map(keyOf).filter((k): k is string => k !== null));
  const counts = new Map<string, { tp: number; fp: number; fn: number }>();
  const bump = (key: string, field: "tp" | "fp" | "fn") => {
    const c = counts.get(key) ?? { tp: 0, fp: 0, fn: 0 };
    c[field]++;
    counts.set(key, c);
  };
  for (const { truth: t, prediction: p } of joinFrames(truth, predictions)) {
    const expected = keys(t.labels);
    const got = keys(p.labels);
    for (const k of got) bump(k, expected.has(k) ? "tp" : "fp");
    for (const k of expected) if (!got.has(k)) bump(k, "fn");
  }
  const order = opts.by === "group" ? ["person", "animal", "vehicle"] : LABELS.map((l) => l.label as string);
  return Object.fromEntries([...counts].sort(([a], [b]) => order.indexOf(a) - order.indexOf(b)).map(([k, c]) => [k, scoreOf(c.tp, c.fp, c.fn)]));
}
