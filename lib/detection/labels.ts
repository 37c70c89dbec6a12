// What the detector's classes mean to a household: the COCO-80 class ids of NanoDet-m (0-based) that Nightjar keeps,
// their label names and groups (person, animal, vehicle). Every other class ("cup", "kite", "sports ball") is ignored:
// it is not something a home camera is asked to report. Pure; the one owner of label names.

export type LabelGroup = "person" | "animal" | "vehicle";

/** Labels Nightjar reports, in the order the settings list them. */
export const LABELS = [
  { id: 0, label: "person", group: "person" },
  { id: 14, label: "bird", group: "animal" },
  { id: 15, label: "cat", group: "animal" },
  { id: 16, label: "dog", group: "animal" },
  { id: 17, label: "horse", group: "animal" },
  { id: 18, label: "sheep", group: "animal" },
  { id: 19, label: "cow", group: "animal" },
  { id: 21, label: "bear", group: "animal" },
  { id: 1, label: "bicycle", group: "vehicle" },
  { id: 2, label: "car", group: "vehicle" },
  { id: 3, label: "motorcycle", group: "vehicle" },
  { id: 5, label: "bus", group: "vehicle" },
  { id: 7, label: "truck", group: "vehicle" },
] as const satisfies readonly { id: number; label: string; group: LabelGroup }[];

export type Label = (typeof LABELS)[number]["label"];

const byClass = new Map<number, (typeof LABELS)[number]>(LABELS.map((l) => [l.id, l]));
const byName = new Map<string, (typeof LABELS)[number]>(LABELS.map((l) => [l.label, l]));

/** The label of a COCO class id, or null for a class Nightjar ignores. */
export function labelOfClass(classId: number): Label | null {
  return byClass.get(classId)?.label ?? null;
}

/** The group of a label ("cat" → "animal"); null for an unknown name. */
export function groupOf(label: string): LabelGroup | null {
  return byName.get(label)?.group ?? null;
}

export function isLabel(value: unknown): value is Label {
  return typeof value === "string" && byName.has(value);
}

/** A setting's entries ("person", "animal", "car") as the labels they cover: a group stands for all of its labels. */
export function expandLabels(entries: readonly string[]): Set<Label> {
  const out = new Set<Label>();
  for (const e of entries) {
    if (isLabel(e)) out.add(e);
    else for (const l of LABELS) if (l.group === e) out.add(l.label);
  }
  return out;
}
