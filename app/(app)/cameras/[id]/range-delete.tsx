"use client";
// Admins: delete every event of one camera in a time range (local times in the member's zone), after a confirmation.
import { useState } from "react";
import { api, errorMessage, type FieldErrors } from "@/app/_components/api";
import { Form } from "@/app/_components/hydrated";
import { FormMessage, SelectField, TextField } from "@/app/_components/fields";
import { parseLocalDateTime } from "@/lib/time";
import { useT } from "@/lib/i18n/client";
import { useEventFormats } from "./formats";
import { ConfirmDialog } from "./modal";

/** A range waiting for confirmation, with what it would touch (null while being counted). */
type Pending = { cameraId: string; cameraName: string; from: Date; to: Date; includeProtected: boolean; counts: { events: number; protected: number } | null };

export function RangeDelete({ cameras, onDone }: { cameras: { id: string; name: string }[]; onDone: (text: string) => void }) {
  const t = useT();
  const format = useEventFormats();
  const [pending, setPending] = useState<Pending | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [success, setSuccess] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  function check(form: FormData) {
    setError(null);
    setSuccess(null);
    const cameraId = String(form.get("camera") ?? "");
    const from = parseLocalDateTime(String(form.get("from") ?? ""), format.timeZone);
    const to = parseLocalDateTime(String(form.get("to") ?? ""), format.timeZone);
    const bad: Record<string, string> = {};
    if (!from) bad.from = t("events.invalidDate");
    if (!to) bad.to = t("events.invalidDate");
    setFields(bad);
    const camera = cameras.find((c) => c.id === cameraId);
    if (!from || !to || !camera) return;
    if (to.getTime() <= from.getTime()) return setError(t("errors.invalid_date_range"));
    const next: Pending = { cameraId, cameraName: camera.name, from, to, includeProtected: form.get("includeProtected") === "on", counts: null };
    setPending(next);
    void count(next);
  }

  /** Asks what the deletion would touch, so that the confirmation says how many events go and how many are kept. */
  async function count(p: Pending) {
    const q = new URLSearchParams({ from: p.from.toISOString(), to: p.to.toISOString() });
    const res = await api<{ events: number; protected: number }>(`/api/cameras/${encodeURIComponent(p.cameraId)}/events/delete-range?${q}`);
    if (!res.ok) {
      setPending(null);
      return setError(errorMessage(res.error, t("common.somethingWentWrong")));
    }
    setPending((now) => (now === p ? { ...p, counts: res.data } : now));
  }

  async function run(p: Pending) {
    setBusy(true);
    const res = await api<{ count: number; skippedProtected: number }>(`/api/cameras/${encodeURIComponent(p.cameraId)}/events/delete-range`, {
      body: { from: p.from.toISOString(), to: p.to.toISOString(), includeProtected: p.includeProtected },
    });
    setBusy(false);
    setPending(null);
    if (!res.ok) {
      const f: FieldErrors = res.error.fields ?? {};
      setFields(Object.fromEntries(Object.entries(f).map(([k, v]) => [k, v.message])));
      return setError(errorMessage(res.error, t("common.somethingWentWrong")));
    }
    const text = [t("events.bulkDeleted", { n: res.data.count }), res.data.skippedProtected ? t("events.keptProtected", { n: res.data.skippedProtected }) : ""].filter(Boolean).join(" ");
    setSuccess(text);
    onDone(text);
  }

  return (
    <section className="card space-y-3" aria-labelledby="range-title">
      <h2 id="range-title" className="text-lg font-semibold">
        {t("events.rangeTitle")}
      </h2>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">{t("events.rangeIntro", { zone: format.timeZone })}</p>
      <Form onSubmit={check} className="grid gap-4 md:grid-cols-3" noValidate>
        <SelectField label={t("events.camera")} name="camera" required>
          {cameras.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </SelectField>
        <TextField label={t("events.from")} name="from" type="datetime-local" step={1} required error={fields.from} />
        <TextField label={t("events.to")} name="to" type="datetime-local" step={1} required error={fields.to} />
        <label className="flex items-center gap-2 text-sm md:col-span-3">
          <input type="checkbox" name="includeProtected" />
          {t("events.includeProtected")}
        </label>
        <div className="space-y-3 md:col-span-3">
          <FormMessage error={error} success={success} />
          <button type="submit" className="btn-danger" disabled={cameras.length === 0}>
            {t("events.rangeSubmit")}
          </button>
        </div>
      </Form>
      {pending ? (
        <ConfirmDialog
          id="delete-range"
          title={t("events.rangeConfirmTitle")}
          confirmLabel={t("events.confirmDelete")}
          cancelLabel={t("events.cancel")}
          busy={busy || pending.counts === null}
          onConfirm={() => run(pending)}
          onCancel={() => setPending(null)}
        >
          <p>{t("events.rangeConfirm", { camera: pending.cameraName, from: format.dateTime(pending.from), to: format.dateTime(pending.to) })}</p>
          <p>{pending.includeProtected ? t("events.rangeConfirmProtected") : t("events.rangeConfirmKeep")}</p>
          <p data-testid="range-count" aria-live="polite">
            {pending.counts === null
              ? t("events.rangeCounting")
              : [
                  t("events.rangeWillDelete", { n: pending.includeProtected ? pending.counts.events : pending.counts.events - pending.counts.protected }),
                  !pending.includeProtected && pending.counts.protected > 0 ? t("events.rangeWillKeep", { n: pending.counts.protected }) : "",
                ]
                  .filter(Boolean)
                  .join(" ")}
          </p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
