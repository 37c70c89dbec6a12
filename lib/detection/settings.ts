// Per-camera detection settings: the zod schema with defaults and a parser that never throws (a bad field falls back
// to its default and is listed as a problem), and the rule that says which detections matter to a camera. Pure.
//
// Off by default: detection is a processing choice the household makes per camera. Labels of interest are labels
// ("cat") or groups ("animal"); a minimum score per label (else the camera's default); what to record: every motion
// (as without detection) or only motion with an object of interest (the rest is discarded, not stored). A zone of the
// motion settings (by its id) may require labels: a detection counts in that zone only when its label is one of them.
import { z } from "zod";
import { readStoredObject } from "../stored-json";
import type { Box } from "./geometry";
import { expandLabels, isLabel, LABELS, type Label, type LabelGroup } from "./labels";
import { DEFAULT_DETECT_FPS, DEFAULT_MIN_SCORE, MAX_DETECT_FPS } from "./limits";

export { DEFAULT_DETECT_FPS, DEFAULT_MIN_SCORE, MAX_DETECT_FPS };

const GROUPS: readonly LabelGroup[] = ["person", "animal", "vehicle"];
const labelOrGroup = z.string().refine((v) => isLabel(v) || GROUPS.includes(v as LabelGroup), "unknown label");
const score = z.number().min(0.05).max(0.99);

const fields = {
  enabled: z.boolean().default(false),
  /** Labels or groups of interest. */
  labels: z.array(labelOrGroup).max(LABELS.length + GROUPS.length).default(["person", "animal", "vehicle"]),
  minScore: score.default(DEFAULT_MIN_SCORE),
  /** Per label (not group): its own minimum score. */
  minScoreByLabel: z
    .record(z.string(), score)
    .superRefine((rec, ctx) => {
      for (const key of Object.keys(rec)) if (!isLabel(key)) ctx.addIssue({ code: "custom", path: [key], message: "unknown label" });
    })
    .default({}),
  record: z.enum(["all_motion", "objects_only"]).default("all_motion"),
  fps: z.number().int().min(1).max(MAX_DETECT_FPS).default(DEFAULT_DETECT_FPS),
  /** Motion zone id → the labels or groups it requires. */
  zoneLabels: z.record(z.string().regex(/^[A-Za-z0-9_-]{1,40}$/), z.array(labelOrGroup).min(1)).default({}),
};

export const detectionSettingsSchema = z.object(fields);
export type DetectionSettings = z.output<typeof detectionSettingsSchema>;

export const defaultDetectionSettings = (): DetectionSettings => detectionSettingsSchema.parse({});

/** Parses stored settings; never throws: bad JSON gives the defaults, a bad field its default ("path: message" listed). */
export function parseDetectionSettings(json: string | null | undefined): { settings: DetectionSettings; problems: string[] } {
  const stored = readStoredObject(json);
  if ("problem" in stored) return { settings: defaultDetectionSettings(), problems: [stored.problem] };
  const settings = defaultDetectionSettings() as Record<string, unknown>;
  const problems: string[] = [];
  for (const [key, schema] of Object.entries(fields)) {
    const r = schema.safeParse(stored.raw[key]);
    if (r.success) settings[key] = r.data;
    else problems.push(...r.error.issues.map((i) => `${[key, ...i.path.map(String)].join(".")}: ${i.message}`));
  }
  return { settings: settings as DetectionSettings, problems };
}

/** A detection as the rule sees it: its label, score, and the motion zones its box lies in (ids). */
export type Candidate = Box & { label: Label; score: number; zones: readonly string[] };

/**
 * True when the detection matters to the camera: a label of interest, at or above its minimum score, and — when it
 * lies only in zones that require labels — one of those zones accepts its label. A detection in no zone, or in any
 * zone without a requirement, needs only the first two.
 */
export function isOfInterest(settings: DetectionSettings, d: Candidate): boolean {
  if (!expandLabels(settings.labels).has(d.label)) return false;
  if (d.score < (settings.minScoreByLabel[d.label] ?? settings.minScore)) return false;
  if (d.zones.length === 0) return true;
  return d.zones.some((zone) => {
    const required = settings.zoneLabels[zone];
    return !required || expandLabels(required).has(d.label);
  });
}
