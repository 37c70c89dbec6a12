"use client";
// A camera's timelapse settings (admins): on/off and the interval between frames, stored by PUT
// /api/cameras/:id/timelapse; the recorder takes them over within seconds (no new ingest).
import Link from "@/app/_components/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { api, errorMessage } from "@/app/_components/api";
import { FormMessage, SelectField } from "@/app/_components/fields";
import { LiveFieldset } from "@/app/_components/hydrated";
import { useT } from "@/lib/i18n/client";
import { DAY_MS } from "@/lib/time";
import { TIMELAPSE_FPS, TIMELAPSE_INTERVAL_CHOICES_S, type TimelapseSettings } from "@/lib/timelapse/settings";

export function TimelapseSettingsPanel({ cameraId, initial, retentionDays }: { cameraId: string; initial: TimelapseSettings; retentionDays: number }) {
  const t = useT();
  const router = useRouter();
  const [value, setValue] = useState<TimelapseSettings>(initial);
  const [message, setMessage] = useState<{ error?: string; success?: string }>({});
  const [busy, setBusy] = useState(false);
  // A stored interval the form does not offer (set through the API) stays selectable.
  const choices: number[] = TIMELAPSE_INTERVAL_CHOICES_S.includes(value.intervalSeconds as (typeof TIMELAPSE_INTERVAL_CHOICES_S)[number])
    ? [...TIMELAPSE_INTERVAL_CHOICES_S]
    : [...TIMELAPSE_INTERVAL_CHOICES_S, value.intervalSeconds].sort((a, b) => a - b);
  const intervalLabel = (s: number) =>
    s % 3_600 === 0 ? t("timelapse.intervalHours", { n: s / 3_600 }) : s % 60 === 0 ? t("timelapse.intervalMinutes", { n: s / 60 }) : t("timelapse.intervalSeconds", { n: s });
  const framesPerDay = Math.floor(DAY_MS / 1000 / value.intervalSeconds);
  const playSeconds = Math.round((framesPerDay / TIMELAPSE_FPS) * 10) / 10;

  async function save() {
    setMessage({});
    setBusy(true);
    const res = await api(`/api/cameras/${encodeURIComponent(cameraId)}/timelapse`, { method: "PUT", body: value });
    setBusy(false);
    if (!res.ok) return setMessage({ error: errorMessage(res.error, t("common.somethingWentWrong")) });
    setMessage({ success: t("timelapse.saved") });
    router.refresh();
  }

  return (
    <section className="card mt-6 space-y-4" aria-labelledby="timelapse-heading">
      <h2 id="timelapse-heading" className="text-lg font-semibold">
        {t("timelapse.settingsTitle")}
      </h2>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">{t("timelapse.settingsIntro")}</p>
      <LiveFieldset className="space-y-4">
        <label className="flex items-center gap-2 text-sm font-medium">
          <input type="checkbox" role="switch" className="h-4 w-4" checked={value.enabled} aria-checked={value.enabled} onChange={(e) => setValue((v) => ({ ...v, enabled: e.target.checked }))} />
          {t("timelapse.keep")}
        </label>
        <div className="max-w-xs">
          <SelectField label={t("timelapse.interval")} name="timelapse-interval" value={String(value.intervalSeconds)} onChange={(e) => setValue((v) => ({ ...v, intervalSeconds: Number(e.target.value) }))}>
            {choices.map((s) => (
              <option key={s} value={String(s)}>
                {intervalLabel(s)}
              </option>
            ))}
          </SelectField>
          <p className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">
            {t("timelapse.perDay", { frames: framesPerDay, duration: t("timelapse.seconds", { seconds: playSeconds }) })}
          </p>
        </div>
        <p className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="timelapse-note">
          {t("timelapse.settingsNote", { days: retentionDays })}
        </p>
        <FormMessage error={message.error} success={message.success} />
        <div className="flex flex-wrap items-center gap-3">
          <button type="button" className="btn-primary" onClick={save} disabled={busy}>
            {t("timelapse.save")}
          </button>
          <Link href={`/timelapse?camera=${encodeURIComponent(cameraId)}`} className="text-sm text-brand-600 hover:underline">
            {t("timelapse.seeTimelapses")}
          </Link>
        </div>
      </LiveFieldset>
    </section>
  );
}
