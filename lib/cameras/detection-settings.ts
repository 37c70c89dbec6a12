// A camera's object detection settings (Camera.detectionConfig, JSON; lib/detection/settings.ts has the schema and the
// rule): read with defaults filled in, replaced as a whole after validation. The recorder picks a change up within
// seconds without a restart (recorder-pool reconfigures the running recorder when the camera's updatedAt changes), and
// reads the camera's corrections (DetectionCorrection) again at the same moment: `reloadCameraRecorder` asks for that.
import type { Db } from "../db";
import { AppError } from "../errors";
import { MODEL } from "../detection/model";
import { LABELS, type Label, type LabelGroup } from "../detection/labels";
import { defaultDetectionSettings, parseDetectionSettings, type DetectionSettings } from "../detection/settings";
import { parseMotionConfig, type MotionConfig } from "../motion/config";
import { recordDiagnostic } from "./diagnostics";

/** What the settings form needs: the settings, what was wrong with the stored ones, the catalogue and the detector. */
export type DetectionSettingsView = {
  settings: DetectionSettings;
  /** "path: message" for each stored field that could not be read (it shows its default instead). */
  problems: string[];
  /** The labels Nightjar reports, in the order the settings list them. */
  labels: { label: Label; group: LabelGroup }[];
  /** The groups, in order (a group in `settings.labels` stands for all of its labels). */
  groups: LabelGroup[];
  defaults: DetectionSettings;
  /** The camera's detection zones (motion settings), the ones `settings.zoneLabels` may name. */
  zones: { id: string; name: string }[];
  detector: { modelName: string; modelBytes: number; licence: string };
};

const CATALOGUE = LABELS.map((l) => ({ label: l.label, group: l.group }));
const GROUPS = [...new Set(LABELS.map((l) => l.group))];

/** Zones that may require labels: enabled or not, detect zones only (a mask never counts motion). */
const detectZones = (motion: MotionConfig) => motion.zones.filter((z) => z.kind === "detect");

export async function getDetectionSettings(db: Db, cameraId: string): Promise<DetectionSettingsView> {
  const cam = await db.camera.findUnique({ where: { id: cameraId }, select: { detectionConfig: true, motionConfig: true } });
  if (!cam) throw new AppError("not_found");
  const { settings, problems } = parseDetectionSettings(cam.detectionConfig);
  const zones = detectZones(parseMotionConfig(cam.motionConfig).config);
  // A zone deleted from the motion settings after it was given labels: the rule ignores it; the form should say so.
  for (const id of Object.keys(settings.zoneLabels)) if (!zones.some((z) => z.id === id)) problems.push(`zoneLabels.${id}: unknown zone`);
  return {
    settings,
    problems,
    labels: CATALOGUE,
    groups: GROUPS,
    defaults: defaultDetectionSettings(),
    zones: zones.map((z) => ({ id: z.id, name: z.name })),
    detector: { modelName: MODEL.name, modelBytes: MODEL.bytes, licence: MODEL.licence },
  };
}

/**
 * Zone ids of `zoneLabels` that the motion settings do not have as detection zones: { "zoneLabels.<id>": code }
 * (unknown_zone, or mask_zone for a mask).
 */
export function zoneLabelProblems(settings: Pick<DetectionSettings, "zoneLabels">, motion: MotionConfig): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const id of Object.keys(settings.zoneLabels)) {
    const zone = motion.zones.find((z) => z.id === id);
    if (!zone) fields[`zoneLabels.${id}`] = "unknown_zone";
    else if (zone.kind !== "detect") fields[`zoneLabels.${id}`] = "mask_zone";
  }
  return fields;
}

/**
 * Replaces a camera's detection settings (validated by detectionSettingsSchema in the route). Zones named in
 * `zoneLabels` must be detection zones of the camera's motion settings, read in the same transaction (validation with
 * a field per bad zone otherwise). Leaves a "changed" diagnostic; the write bumps updatedAt, which the recorder follows.
 */
export async function setDetectionSettings(db: Db, cameraId: string, settings: DetectionSettings, actorId: string | null): Promise<DetectionSettings> {
  await db.$transaction(async (tx) => {
    const cam = await tx.camera.findUnique({ where: { id: cameraId }, select: { motionConfig: true } });
    if (!cam) throw new AppError("not_found");
    const fields = zoneLabelProblems(settings, parseMotionConfig(cam.motionConfig).config);
    if (Object.keys(fields).length) throw new AppError("validation", {}, fields);
    await tx.camera.update({ where: { id: cameraId }, data: { detectionConfig: JSON.stringify(settings) } });
  });
  await recordDiagnostic(db, cameraId, "changed", { by: actorId, fields: ["detection"] });
  return settings;
}

/**
 * Asks the camera's running recorder to read the camera again — its settings and its corrections — without a
 * restart: bumps Camera.updatedAt, which recorder-pool polls (POLL_MS) and answers with reconfigure(). A camera that
 * is gone is no error (there is no recorder to tell).
 */
export async function reloadCameraRecorder(db: Db, cameraId: string): Promise<void> {
  const cam = await db.camera.findUnique({ where: { id: cameraId }, select: { updatedAt: true } });
  if (!cam) return;
  // Strictly later than the stored stamp, so that the pool sees a change even within the same millisecond.
  const updatedAt = new Date(Math.max(Date.now(), cam.updatedAt.getTime() + 1));
  await db.camera.updateMany({ where: { id: cameraId }, data: { updatedAt } });
}
