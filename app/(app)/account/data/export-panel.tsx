"use client";
// The data export on My data: filters (dates in the member's time zone, cameras), "Export my data", a progress bar
// while the scheduler worker prepares the ZIP (polled every second), then a download link until it expires.
// Props: the cameras the member may see and whether media is exported for them (lib/privacy/export.ts exportPanelProps).
import { useCallback, useEffect, useId, useState } from "react";
import { api, errorMessage, type FieldErrors } from "@/app/_components/api";
import { Form } from "@/app/_components/hydrated";
import { FormMessage, TextField } from "@/app/_components/fields";
import { addDays, dayStart, isDay } from "@/lib/time";
import { useFormat, useT } from "@/lib/i18n/client";
import type { ExportJobView } from "@/lib/privacy/export-jobs";
import { formatBytes } from "@/lib/i18n/format";

export type ExportPanelProps = {
  /** Cameras the member may see (admins: all); offered as a filter when media is exported. */
  cameras: { id: string; name: string }[];
  /** Whether this member's exports include events, clips, photos, cameras and diagnostics. */
  mediaAllowed: boolean;
};

/** How often the list is refreshed while an export is being prepared, ms. */
const POLL_MS = 1_000;

export function ExportPanel({ cameras, mediaAllowed }: ExportPanelProps) {
  const t = useT();
  const format = useFormat();
  const headingId = useId();
  const [jobs, setJobs] = useState<ExportJobView[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [fields, setFields] = useState<FieldErrors>({});
  const [message, setMessage] = useState<{ error?: string; success?: string }>({});

  const refresh = useCallback(async () => {
    const res = await api<{ jobs: ExportJobView[] }>("/api/account/exports");
    if (res.ok) setJobs(res.data.jobs);
  }, []);

  const preparing = jobs?.some((j) => j.status === "queued" || j.status === "running") ?? false;
  useEffect(() => {
    // Load once, then poll while an export is being prepared.
    if (jobs === null || preparing) {
      const timer = setTimeout(() => void refresh(), jobs === null ? 0 : POLL_MS);
      return () => clearTimeout(timer);
    }
  }, [jobs, preparing, refresh]);

  async function start(form: FormData) {
    setFields({});
    setMessage({});
    const from = String(form.get("from") ?? "");
    const to = String(form.get("to") ?? "");
    const bad: FieldErrors = {};
    if (from && !isDay(from)) bad.from = { code: "invalid", message: t("fieldErrors.invalid") };
    if (to && !isDay(to)) bad.to = { code: "invalid", message: t("fieldErrors.invalid") };
    if (Object.keys(bad).length) return setFields(bad);
    const chosen = form.getAll("cameraIds").map(String);
    const body = {
      ...(from ? { from: dayStart(from, format.timeZone).toISOString() } : {}),
      // "Until" includes that whole day: the range ends where the next day starts.
      ...(to ? { to: dayStart(addDays(to, 1), format.timeZone).toISOString() } : {}),
      ...(mediaAllowed && chosen.length < cameras.length ? { cameraIds: chosen } : {}),
    };
    setBusy(true);
    const res = await api<{ job: ExportJobView }>("/api/account/exports", { method: "POST", body });
    setBusy(false);
    if (!res.ok) {
      setFields(res.error.fields ?? {});
      return setMessage({ error: errorMessage(res.error, t("common.somethingWentWrong")) });
    }
    setMessage({ success: t("exports.started") });
    setJobs((list) => [res.data.job, ...(list ?? [])]);
  }

  async function remove(id: string) {
    setMessage({});
    const res = await api(`/api/account/exports/${encodeURIComponent(id)}`, { method: "DELETE" });
    if (!res.ok && res.status !== 404) return setMessage({ error: errorMessage(res.error, t("common.somethingWentWrong")) });
    setJobs((list) => (list ?? []).filter((j) => j.id !== id));
  }

  function describe(job: ExportJobView): string {
    const { from, to, cameraIds } = job.filters;
    // `to` is the start of the day after the last one chosen.
    const last = to ? format.date(new Date(new Date(to).getTime() - 1)) : null;
    const first = from ? format.date(from) : null;
    const dates = first && last ? t("exports.range", { from: first, to: last }) : first ? t("exports.since", { from: first }) : last ? t("exports.until", { to: last }) : t("exports.allTime");
    if (!mediaAllowed) return dates;
    return `${dates} · ${cameraIds ? t("exports.someCameras", { count: cameraIds.length }) : t("exports.allCameras")}`;
  }

  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId} className="mb-1 text-lg font-semibold">
        {t("exports.title")}
      </h2>
      <p className="mb-4 text-sm text-zinc-600 dark:text-zinc-400">{mediaAllowed ? t("exports.introMedia") : t("exports.introNoMedia")}</p>
      {!mediaAllowed ? <p className="mb-4 text-sm text-zinc-600 dark:text-zinc-400">{t("exports.noMedia")}</p> : null}
      <Form onSubmit={start} className="space-y-4" noValidate>
        <div className="grid gap-3 sm:grid-cols-2">
          <TextField name="from" type="date" label={t("exports.from")} optional error={fields.from?.message} />
          <TextField name="to" type="date" label={t("exports.to")} optional error={fields.to?.message} />
        </div>
        <p className="text-xs text-zinc-500 dark:text-zinc-400">{t("exports.datesHint", { zone: format.timeZone })}</p>
        {mediaAllowed && cameras.length > 0 ? (
          <fieldset className="space-y-2">
            <legend className="label">{t("exports.cameras")}</legend>
            <p className="text-xs text-zinc-500 dark:text-zinc-400">{t("exports.camerasHint")}</p>
            <ul className="grid gap-1 sm:grid-cols-2">
              {cameras.map((c) => (
                <li key={c.id}>
                  <label className="flex items-center gap-2 text-sm">
                    <input type="checkbox" name="cameraIds" value={c.id} defaultChecked className="h-4 w-4" />
                    {c.name}
                  </label>
                </li>
              ))}
            </ul>
            {fields.cameraIds ? <p className="text-xs font-medium text-red-600 dark:text-red-400">{fields.cameraIds.message}</p> : null}
          </fieldset>
        ) : null}
        <FormMessage error={message.error} success={message.success} />
        <button type="submit" className="btn-primary" disabled={busy || preparing}>
          {busy ? t("exports.submitting") : t("exports.submit")}
        </button>
      </Form>

      <h3 className="mb-2 mt-6 text-base font-semibold">{t("exports.listTitle")}</h3>
      {jobs !== null && jobs.length === 0 ? <p className="text-sm text-zinc-500">{t("exports.empty")}</p> : null}
      <ul className="divide-y divide-zinc-200 dark:divide-zinc-800">
        {(jobs ?? []).map((job) => (
          <li key={job.id} className="flex flex-wrap items-center justify-between gap-3 py-3">
            <div className="min-w-0 flex-1 space-y-1 text-sm">
              <p>
                {t("exports.requested", { time: format.dateTime(job.createdAt) })}
                <span className="text-zinc-500"> · {describe(job)}</span>
              </p>
              <JobStatus job={job} />
            </div>
            {job.status === "queued" || job.status === "running" ? null : (
              <button type="button" className="btn-secondary" onClick={() => void remove(job.id)} aria-label={t("exports.deleteLabel", { time: format.dateTime(job.createdAt) })}>
                {t("exports.delete")}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function JobStatus({ job }: { job: ExportJobView }) {
  const t = useT();
  const { locale, dateTime } = useFormat();
  if (job.status === "queued" || job.status === "running") {
    const percent = job.bytesTotal > 0 ? Math.min(99, Math.floor((job.bytesDone / job.bytesTotal) * 100)) : 0;
    return (
      <div className="space-y-1">
        <progress className="h-2 w-full max-w-md accent-brand-600" aria-label={t("exports.progress")} max={job.bytesTotal > 0 ? job.bytesTotal : 1} value={job.status === "running" ? Math.min(job.bytesDone, job.bytesTotal) : undefined} />
        <p className="text-xs text-zinc-500" aria-live="polite">
          {job.status === "queued" ? t("exports.queued") : t("exports.running", { percent })}
        </p>
      </div>
    );
  }
  if (job.status === "failed") return <p className="text-xs font-medium text-red-600 dark:text-red-400">{t(job.error === "no_space" ? "exports.failedNoSpace" : "exports.failed")}</p>;
  if (!job.downloadable) return <p className="text-xs text-zinc-500">{t("exports.expired")}</p>;
  const size = formatBytes(locale, job.bytesTotal);
  return (
    <p className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-zinc-600 dark:text-zinc-400">
      <a href={`/api/account/exports/${encodeURIComponent(job.id)}/download`} download className="btn-primary px-3 py-1 text-xs">
        {t("exports.download")}
      </a>
      <span>{t("exports.ready", { size })}</span>
      <span>{t("exports.availableUntil", { time: dateTime(job.expiresAt!) })}</span>
    </p>
  );
}
