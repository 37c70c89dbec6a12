"use client";
// Object detection settings of a camera (admins): on/off (off by default), the objects of interest (groups and their
// kinds), minimum confidence (per kind if wanted), what to record, the detection rate, and the motion areas that
// require certain objects. Stored by PUT /api/cameras/:id/detection; the recorder reads them within seconds.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { api, errorMessage, type FieldErrors } from "@/app/_components/api";
import { FormMessage, TextField } from "@/app/_components/fields";
import { LiveFieldset } from "@/app/_components/hydrated";
import { LABELS, expandLabels, type Label, type LabelGroup } from "@/lib/detection/labels";
import type { DetectionSettingsView } from "@/lib/cameras/detection-settings";
import { MAX_DETECT_FPS } from "@/lib/detection/limits";
import type { DetectionSettings } from "@/lib/detection/settings";
import { formatBytes } from "@/lib/i18n/format";
import { useFormat, useT } from "@/lib/i18n/client";

const GROUPS: LabelGroup[] = ["person", "animal", "vehicle"];
const MIN_PERCENT = 5;
const MAX_PERCENT = 99;

/** The settings as the form edits them: kinds as sets, scores as percent text (so a field can be empty or wrong). */
type Form = {
  enabled: boolean;
  labels: Set<Label>;
  minScore: string;
  minScoreByLabel: Partial<Record<Label, string>>;
  record: DetectionSettings["record"];
  fps: string;
  zoneLabels: Record<string, Set<Label>>;
};

const toPercent = (score: number) => String(Math.round(score * 100));

function toForm(s: DetectionSettings): Form {
  return {
    enabled: s.enabled,
    labels: expandLabels(s.labels),
    minScore: toPercent(s.minScore),
    minScoreByLabel: Object.fromEntries(Object.entries(s.minScoreByLabel).map(([label, score]) => [label, toPercent(score)])),
    record: s.record,
    fps: String(s.fps),
    zoneLabels: Object.fromEntries(Object.entries(s.zoneLabels).map(([zone, labels]) => [zone, expandLabels(labels)])),
  };
}

/** Kinds as the settings store them: a whole group by its name (it then also covers kinds added later), else each kind. */
function compress(labels: Set<Label>): string[] {
  const out: string[] = [];
  for (const group of GROUPS) {
    const kinds = LABELS.filter((l) => l.group === group).map((l) => l.label);
    if (kinds.every((k) => labels.has(k))) out.push(group);
    else out.push(...kinds.filter((k) => labels.has(k)));
  }
  return out;
}

const isPercent = (text: string) => /^\d+$/.test(text.trim()) && Number(text) >= MIN_PERCENT && Number(text) <= MAX_PERCENT;

/** `view` is GET /api/cameras/:id/detection's answer; its zones (the motion areas that detect) follow a refresh. */
export function DetectionSettingsPanel({ cameraId, view }: { cameraId: string; view: DetectionSettingsView }) {
  const t = useT();
  const { locale } = useFormat();
  const router = useRouter();
  const { zones, detector, problems } = view;
  const maxFps = MAX_DETECT_FPS;
  const [form, setForm] = useState<Form>(() => toForm(view.settings));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ error?: string; success?: string }>({});
  const set = (patch: Partial<Form>) => setForm((f) => ({ ...f, ...patch }));
  const labelName = (l: string) => t(`detection.label.${l}`);
  const chosen = LABELS.filter((l) => form.labels.has(l.label));

  function check(): Record<string, string> {
    const out: Record<string, string> = {};
    if (form.enabled && form.labels.size === 0) out.labels = t("detection.errorLabels");
    if (!isPercent(form.minScore)) out.minScore = t("detection.errorScore");
    for (const [label, text] of Object.entries(form.minScoreByLabel)) if (text?.trim() && !isPercent(text)) out[`minScoreByLabel.${label}`] = t("detection.errorScore");
    if (!/^\d+$/.test(form.fps.trim()) || Number(form.fps) < 1 || Number(form.fps) > maxFps) out.fps = t("detection.errorFps", { max: maxFps });
    return out;
  }

  /** The server's field errors, in this form's words where it has them. */
  function fromServer(fields: FieldErrors): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [path, error] of Object.entries(fields)) {
      const key = path.startsWith("minScoreByLabel.") ? path.split(".").slice(0, 2).join(".") : path.startsWith("zoneLabels.") ? path.split(".").slice(0, 2).join(".") : path.split(".")[0];
      out[key] ??= key === "minScore" || key.startsWith("minScoreByLabel.") ? t("detection.errorScore") : key === "fps" ? t("detection.errorFps", { max: maxFps }) : error.message;
    }
    return out;
  }

  async function save() {
    setMessage({});
    const found = check();
    setErrors(found);
    if (Object.keys(found).length) return;
    const known = new Set(zones.map((z) => z.id));
    const body: DetectionSettings = {
      enabled: form.enabled,
      labels: compress(form.labels),
      minScore: Number(form.minScore) / 100,
      minScoreByLabel: Object.fromEntries(
        chosen.flatMap((l) => {
          const text = form.minScoreByLabel[l.label]?.trim();
          return text ? [[l.label, Number(text) / 100]] : [];
        }),
      ),
      record: form.record,
      fps: Number(form.fps),
      zoneLabels: Object.fromEntries(Object.entries(form.zoneLabels).flatMap(([zone, labels]) => (known.has(zone) && labels.size ? [[zone, compress(labels)]] : []))),
    };
    const res = await api(`/api/cameras/${cameraId}/detection`, { method: "PUT", body });
    if (!res.ok) {
      if (res.error.fields) setErrors(fromServer(res.error.fields));
      return setMessage({ error: errorMessage(res.error, t("common.somethingWentWrong")) });
    }
    setMessage({ success: t("detection.saved") });
    router.refresh();
  }

  const fieldError = (key: string) =>
    errors[key] ? (
      <p id={`detection-${key.replace(/\W/g, "-")}-error`} className="mt-1 text-xs font-medium text-red-600 dark:text-red-400">
        {errors[key]}
      </p>
    ) : null;
  const describedBy = (key: string, hint?: string) => [hint, errors[key] ? `detection-${key.replace(/\W/g, "-")}-error` : null].filter(Boolean).join(" ") || undefined;

  return (
    <section className="card mt-6 space-y-5" aria-labelledby="detection-heading">
      <h2 id="detection-heading" className="text-lg font-semibold">
        {t("detection.title")}
      </h2>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">{t("detection.intro")}</p>
      <p className="rounded-lg border border-zinc-200 bg-zinc-50 px-3 py-2 text-sm dark:border-zinc-800 dark:bg-zinc-900" data-testid="detection-local">
        {t("detection.local", { model: detector.modelName, size: formatBytes(locale, detector.modelBytes), licence: detector.licence })}
      </p>
      {problems.length ? (
        <p role="alert" className="rounded-lg border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200">
          {t("detection.problems", { problems: problems.join("; ") })}
        </p>
      ) : null}
      <LiveFieldset className="space-y-5">
        <label className="flex items-center gap-2 text-sm font-medium">
          <input type="checkbox" role="switch" className="h-4 w-4" checked={form.enabled} aria-checked={form.enabled} onChange={(e) => set({ enabled: e.target.checked })} />
          {t("detection.enabled")}
        </label>

        <fieldset aria-describedby={describedBy("labels", "detection-labels-hint")}>
          <legend className="label">{t("detection.labels")}</legend>
          <p id="detection-labels-hint" className="mb-2 text-xs text-zinc-500 dark:text-zinc-400">
            {t("detection.labelsHint")}
          </p>
          <LabelPicker value={form.labels} onChange={(labels) => set({ labels })} />
          {fieldError("labels")}
        </fieldset>

        <div className="grid gap-4 sm:grid-cols-3">
          <TextField
            label={t("detection.minScore")}
            hint={t("detection.minScoreHint", { percent: toPercent(view.defaults.minScore) })}
            error={errors.minScore}
            type="number"
            inputMode="numeric"
            min={MIN_PERCENT}
            max={MAX_PERCENT}
            value={form.minScore}
            onChange={(e) => set({ minScore: e.target.value })}
          />
          <TextField label={t("detection.fps")} error={errors.fps} type="number" inputMode="numeric" min={1} max={maxFps} value={form.fps} onChange={(e) => set({ fps: e.target.value })} />
          <fieldset>
            <legend className="label">{t("detection.record")}</legend>
            {(["all_motion", "objects_only"] as const).map((r) => (
              <label key={r} className="flex items-start gap-2 text-sm">
                <input type="radio" name={`detection-record-${cameraId}`} className="mt-1" checked={form.record === r} onChange={() => set({ record: r })} />
                {r === "all_motion" ? t("detection.recordAll") : t("detection.recordObjects")}
              </label>
            ))}
            {fieldError("record")}
          </fieldset>
        </div>

        <details className="text-sm" open={Object.keys(form.minScoreByLabel).length > 0 || Object.keys(errors).some((k) => k.startsWith("minScoreByLabel."))}>
          <summary className="cursor-pointer font-medium">{t("detection.minScoreByLabel")}</summary>
          <p className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">{t("detection.minScoreByLabelHint")}</p>
          <div className="mt-2 grid gap-3 sm:grid-cols-3 lg:grid-cols-5">
            {chosen.map((l) => {
              const key = `minScoreByLabel.${l.label}`;
              return (
                <TextField
                  key={l.label}
                  label={labelName(l.label)}
                  aria-label={t("detection.minScoreFor", { label: labelName(l.label) })}
                  error={errors[key]}
                  type="number"
                  inputMode="numeric"
                  min={MIN_PERCENT}
                  max={MAX_PERCENT}
                  placeholder={form.minScore}
                  value={form.minScoreByLabel[l.label] ?? ""}
                  onChange={(e) => set({ minScoreByLabel: { ...form.minScoreByLabel, [l.label]: e.target.value } })}
                />
              );
            })}
          </div>
        </details>

        <div className="space-y-3">
          <h3 className="label">{t("detection.zones")}</h3>
          {zones.length === 0 ? (
            <p className="text-xs text-zinc-500 dark:text-zinc-400">{t("detection.noZones")}</p>
          ) : (
            <>
              <p className="text-xs text-zinc-500 dark:text-zinc-400">{t("detection.zonesHint")}</p>
              {zones.map((z) => (
                <fieldset key={z.id} className="rounded-lg border border-zinc-200 p-3 dark:border-zinc-800" data-testid="detection-zone">
                  <legend className="px-1 text-sm font-medium">{t("detection.zoneLabels", { zone: z.name })}</legend>
                  <LabelPicker value={form.zoneLabels[z.id] ?? new Set()} onChange={(labels) => set({ zoneLabels: { ...form.zoneLabels, [z.id]: labels } })} />
                  {fieldError(`zoneLabels.${z.id}`)}
                </fieldset>
              ))}
            </>
          )}
        </div>

        <FormMessage error={message.error} success={message.success} />
        <button type="button" className="btn-primary" onClick={save}>
          {t("detection.save")}
        </button>
      </LiveFieldset>
    </section>
  );
}

/**
 * Checkboxes per group (Person, Animal, Vehicle) with their kinds beneath; a group with one kind (person) is one box.
 * A group's box is ticked when all its kinds are, mixed when some are; ticking it ticks them all.
 */
function LabelPicker({ value, onChange }: { value: Set<Label>; onChange: (labels: Set<Label>) => void }) {
  const t = useT();
  const toggle = (labels: Label[], on: boolean) => {
    const next = new Set(value);
    for (const l of labels) {
      if (on) next.add(l);
      else next.delete(l);
    }
    onChange(next);
  };
  return (
    <div className="grid gap-3 sm:grid-cols-3">
      {GROUPS.map((group) => {
        const kinds = LABELS.filter((l) => l.group === group).map((l) => l.label);
        const count = kinds.filter((k) => value.has(k)).length;
        return (
          <div key={group} className="space-y-1">
            <label className="flex items-center gap-2 text-sm font-medium">
              <input
                type="checkbox"
                className="h-4 w-4"
                checked={count === kinds.length}
                ref={(el) => {
                  if (el) el.indeterminate = count > 0 && count < kinds.length;
                }}
                onChange={(e) => toggle(kinds, e.target.checked)}
              />
              {t(`detection.group.${group}`)}
            </label>
            {kinds.length > 1 ? (
              <div className="ml-6 flex flex-wrap gap-x-3 gap-y-1">
                {kinds.map((k) => (
                  <label key={k} className="flex items-center gap-1.5 text-sm">
                    <input type="checkbox" checked={value.has(k)} onChange={(e) => toggle([k], e.target.checked)} />
                    {t(`detection.label.${k}`)}
                  </label>
                ))}
              </div>
            ) : null}
          </div>
        );
      })}
    </div>
  );
}
