"use client";
// The Timelapse page's browser side: the camera filter, the list (each with its status, Play in a dialog, Download,
// Delete after a confirmation) and the form that asks for a time range (local times in the member's zone).
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { api, errorMessage } from "@/app/_components/api";
import { FormMessage, SelectField, TextField } from "@/app/_components/fields";
import { Form, LiveFieldset } from "@/app/_components/hydrated";
import { EmptyState } from "@/app/_components/page-header";
import { formatBytes } from "@/lib/i18n/format";
import { useT } from "@/lib/i18n/client";
import { parseLocalDateTime } from "@/lib/time";
import type { TimelapseView as Timelapse } from "@/lib/timelapse/timelapses";
import { useEventFormats } from "../events/formats";
import { ConfirmDialog, Modal } from "../events/modal";

type Props = {
  cameras: { id: string; name: string }[];
  /** The camera the list is narrowed to ("" = all I see). */
  cameraId: string;
  timelapses: Timelapse[];
  maxRangeDays: number;
  can: { make: boolean; delete: boolean; download: boolean };
};

/** A day as stored ("YYYY-MM-DD", the server's calendar day) in the member's language, e.g. "Friday, 1 May 2026". */
function useDayLabel() {
  const { locale } = useEventFormats();
  return useMemo(() => {
    const f = new Intl.DateTimeFormat(locale, { dateStyle: "full", timeZone: "UTC" });
    return (day: string) => {
      const [y, m, d] = day.split("-").map(Number);
      return f.format(new Date(Date.UTC(y, m - 1, d, 12)));
    };
  }, [locale]);
}

export function TimelapseView({ cameras, cameraId, timelapses, maxRangeDays, can }: Props) {
  const t = useT();
  const router = useRouter();
  const format = useEventFormats();
  const dayLabel = useDayLabel();
  const [playing, setPlaying] = useState<Timelapse | null>(null);
  const [deleting, setDeleting] = useState<Timelapse | null>(null);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  const when = (x: Timelapse) => (x.kind === "day" && x.day ? dayLabel(x.day) : t("timelapse.span", { from: format.dateTime(x.from), to: format.dateTime(x.to) }));
  const cameraLabel = (x: Timelapse) => (x.cameraId ? x.cameraName : t("events.deletedCamera", { camera: x.cameraName }));

  function status(x: Timelapse): string {
    switch (x.status) {
      case "capturing":
        return t("timelapse.capturing", { count: x.framesCaptured });
      case "queued":
      case "encoding":
        return t("timelapse.making");
      case "ready": {
        const seconds = new Intl.NumberFormat(format.locale, { maximumFractionDigits: 1 }).format(x.durationMs / 1000);
        return t("timelapse.ready", { duration: t("timelapse.seconds", { seconds }), frames: x.frameCount, size: formatBytes(format.locale, x.bytes) });
      }
      case "failed":
        return t("timelapse.failed", { error: x.error ?? "" });
      default:
        return t("timelapse.emptyStatus");
    }
  }

  async function remove(x: Timelapse) {
    setBusy(true);
    setDeleteError(null);
    const res = await api(`/api/timelapses/${encodeURIComponent(x.id)}`, { method: "DELETE" });
    setBusy(false);
    if (!res.ok && res.status !== 404) return setDeleteError(errorMessage(res.error, t("common.somethingWentWrong"))); // 404: already gone
    setDeleting(null);
    setNotice(t("timelapse.deleted"));
    router.refresh();
  }

  return (
    <div className="space-y-6">
      <p className="text-sm text-zinc-600 dark:text-zinc-400">{t("timelapse.intro", { zone: format.timeZone })}</p>

      <LiveFieldset className="max-w-xs">
        <SelectField
          label={t("timelapse.camera")}
          name="camera-filter"
          value={cameraId}
          onChange={(e) => router.push(e.target.value ? `/timelapse?camera=${encodeURIComponent(e.target.value)}` : "/timelapse")}
        >
          <option value="">{t("timelapse.allCameras")}</option>
          {cameras.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </SelectField>
      </LiveFieldset>

      <section aria-labelledby="timelapse-list-title" className="space-y-3">
        <h2 id="timelapse-list-title" className="text-lg font-semibold">
          {t("timelapse.listTitle")}
        </h2>
        {notice ? (
          <p role="status" className="text-sm text-emerald-700 dark:text-emerald-400">
            {notice}
          </p>
        ) : null}
        {timelapses.length === 0 ? (
          <EmptyState title={t("timelapse.empty")} text={t("timelapse.emptyHint")} />
        ) : (
          <ul className="space-y-3">
            {timelapses.map((x) => (
              <li key={x.id} role="listitem" data-testid="timelapse" data-status={x.status} data-kind={x.kind} data-day={x.day ?? undefined} className="card flex flex-wrap items-center justify-between gap-3">
                <div className="min-w-0">
                  <h3 className="font-medium">
                    {cameraLabel(x)} · {when(x)}
                  </h3>
                  <p className="text-sm text-zinc-600 dark:text-zinc-400">
                    <span className="mr-2 rounded bg-zinc-100 px-1.5 py-0.5 text-xs dark:bg-zinc-800">{x.kind === "day" ? t("timelapse.kindDay") : t("timelapse.kindRange")}</span>
                    <span data-testid="timelapse-status" role={x.status === "queued" || x.status === "encoding" ? "status" : undefined}>
                      {status(x)}
                    </span>
                  </p>
                </div>
                <div className="flex flex-wrap gap-2">
                  {x.status === "ready" ? (
                    <>
                      <button type="button" className="btn-primary" onClick={() => setPlaying(x)}>
                        {t("timelapse.play")}
                      </button>
                      {can.download ? (
                        <a className="btn-secondary" href={`/api/timelapses/${encodeURIComponent(x.id)}/video?download=1`} download>
                          {t("timelapse.download")}
                        </a>
                      ) : null}
                    </>
                  ) : null}
                  {can.delete ? (
                    <button
                      type="button"
                      className="btn-secondary"
                      onClick={() => {
                        setDeleteError(null);
                        setDeleting(x);
                      }}
                    >
                      {t("timelapse.delete")}
                    </button>
                  ) : null}
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>

      {can.make ? <MakeTimelapse cameras={cameras} cameraId={cameraId} maxRangeDays={maxRangeDays} onRequested={() => router.refresh()} /> : null}

      {playing ? (
        <Modal labelledBy="timelapse-player-title" onClose={() => setPlaying(null)} wide>
          <div className="flex items-start justify-between gap-3">
            <h2 id="timelapse-player-title" className="font-semibold">
              {t("timelapse.playerTitle", { camera: cameraLabel(playing), when: when(playing) })}
            </h2>
            <button type="button" className="btn-secondary px-3 py-1" onClick={() => setPlaying(null)}>
              {t("timelapse.close")}
            </button>
          </div>
          <video
            key={playing.id}
            controls
            autoPlay
            muted
            playsInline
            preload="auto"
            className="aspect-video w-full rounded-lg bg-black"
            src={`/api/timelapses/${encodeURIComponent(playing.id)}/video`}
            data-testid="timelapse-video"
          />
        </Modal>
      ) : null}

      {deleting ? (
        <ConfirmDialog
          id="timelapse-delete"
          title={t("timelapse.deleteTitle")}
          confirmLabel={t("timelapse.confirmDelete")}
          cancelLabel={t("timelapse.cancel")}
          busy={busy}
          error={<FormMessage error={deleteError} />}
          onConfirm={() => remove(deleting)}
          onCancel={() => setDeleting(null)}
        >
          <p>{t("timelapse.deleteText", { camera: cameraLabel(deleting), when: when(deleting) })}</p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}

/** Admins and members: ask for a timelapse of one camera from one local time to another. */
function MakeTimelapse({ cameras, cameraId, maxRangeDays, onRequested }: { cameras: { id: string; name: string }[]; cameraId: string; maxRangeDays: number; onRequested: () => void }) {
  const t = useT();
  const format = useEventFormats();
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [success, setSuccess] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(form: FormData) {
    setError(null);
    setSuccess(null);
    const camera = String(form.get("camera") ?? "");
    const from = parseLocalDateTime(String(form.get("from") ?? ""), format.timeZone);
    const to = parseLocalDateTime(String(form.get("to") ?? ""), format.timeZone);
    const bad: Record<string, string> = {};
    if (!from) bad.from = t("timelapse.errorDate");
    if (!to) bad.to = t("timelapse.errorDate");
    if (from && to && to.getTime() <= from.getTime()) bad.to = t("timelapse.errorRange");
    setFields(bad);
    if (!from || !to || Object.keys(bad).length) return;
    setBusy(true);
    const res = await api(`/api/timelapses`, { body: { cameraId: camera, from: from.toISOString(), to: to.toISOString() } });
    setBusy(false);
    if (!res.ok) {
      // The range's own problems belong to its fields; the rest (no frames in that time…) to the form.
      if (res.error.code === "invalid_timelapse_range") return setFields({ to: t("timelapse.errorRange") });
      if (res.error.code === "timelapse_range_too_large") return setFields({ to: t("timelapse.errorTooLong", { days: maxRangeDays }) });
      if (res.error.fields) {
        const f = res.error.fields;
        setFields({
          ...(f.cameraId ? { camera: f.cameraId.message } : {}),
          ...(f.from ? { from: t("timelapse.errorDate") } : {}),
          ...(f.to ? { to: t("timelapse.errorDate") } : {}),
        });
      }
      return setError(errorMessage(res.error, t("common.somethingWentWrong")));
    }
    setFields({});
    setSuccess(t("timelapse.requested"));
    onRequested();
  }

  return (
    <section className="card space-y-3" aria-labelledby="timelapse-make-title">
      <h2 id="timelapse-make-title" className="text-lg font-semibold">
        {t("timelapse.makeTitle")}
      </h2>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">{t("timelapse.makeIntro", { days: maxRangeDays, zone: format.timeZone })}</p>
      {cameras.length === 0 ? <p className="text-sm">{t("timelapse.noCameras")}</p> : null}
      <Form onSubmit={submit} className="grid gap-4 md:grid-cols-3" noValidate>
        <SelectField label={t("timelapse.camera")} name="camera" defaultValue={cameraId || cameras[0]?.id} required error={fields.camera}>
          {cameras.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </SelectField>
        <TextField label={t("timelapse.from")} name="from" type="datetime-local" step={60} required error={fields.from} />
        <TextField label={t("timelapse.to")} name="to" type="datetime-local" step={60} required error={fields.to} />
        <div className="space-y-3 md:col-span-3">
          <FormMessage error={error} success={success} />
          <button type="submit" className="btn-primary" disabled={cameras.length === 0 || busy}>
            {t("timelapse.make")}
          </button>
        </div>
      </Form>
    </section>
  );
}
