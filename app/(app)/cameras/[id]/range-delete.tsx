"use client";
// Admins, on a camera's page: delete every event of this camera that started in a time range, given as local times
// in the member's zone. A DST change is never guessed: a time the clocks skip is refused with the jump named, a time
// that happens twice asks which of the two is meant. Before it asks for confirmation, the server counts what goes and
// what is kept (GET …/delete-range), for exactly the instants the deletion will use.
import { useState } from "react";
import { api, errorMessage, type FieldErrors } from "@/app/_components/api";
import { Form } from "@/app/_components/hydrated";
import { FormMessage, TextField } from "@/app/_components/fields";
import { formatUtcOffset, readLocalDateTime, zoneOffsetMs, type LocalDateTimeReading } from "@/lib/time";
import { useT } from "@/lib/i18n/client";
import { useEventFormats } from "../../events/formats";
import { ConfirmDialog, Modal } from "../../events/modal";

/** A range waiting for confirmation, with what it would touch (null while being counted). */
type Pending = { from: Date; to: Date; includeProtected: boolean; counts: { events: number; protected: number } | null };
type End = "from" | "to";

export function RangeDelete({ cameraId, cameraName }: { cameraId: string; cameraName: string }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  return (
    <section className="card mt-6 space-y-3" aria-labelledby="range-title">
      <h2 id="range-title" className="text-lg font-semibold">
        {t("events.rangeTitle")}
      </h2>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">{t("events.rangeCardText")}</p>
      <button type="button" className="btn-danger" aria-haspopup="dialog" onClick={() => setOpen(true)}>
        {t("events.rangeOpen")}
      </button>
      {done && !open ? (
        <p role="status" className="text-sm text-zinc-700 dark:text-zinc-300">
          {done}
        </p>
      ) : null}
      {open ? <RangeDeleteDialog cameraId={cameraId} cameraName={cameraName} onDone={setDone} onClose={() => setOpen(false)} /> : null}
    </section>
  );
}

function RangeDeleteDialog({ cameraId, cameraName, onDone, onClose }: { cameraId: string; cameraName: string; onDone: (text: string) => void; onClose: () => void }) {
  const t = useT();
  const format = useEventFormats();
  const zone = format.timeZone;
  const [values, setValues] = useState<Record<End, string>>({ from: "", to: "" });
  /** Which of a repeated time is meant: 0 the earlier (default), 1 the later. */
  const [which, setWhich] = useState<Record<End, 0 | 1>>({ from: 0, to: 0 });
  const [fields, setFields] = useState<Partial<Record<End, string>>>({});
  const [pending, setPending] = useState<Pending | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [success, setSuccess] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const readings: Record<End, LocalDateTimeReading> = { from: readLocalDateTime(values.from, zone), to: readLocalDateTime(values.to, zone) };
  const timeOf = (v: string) => v.slice(11);

  /** The instant an end stands for, or the message that says why there is none. */
  function resolve(end: End): { instant: Date } | { error: string } {
    const r = readings[end];
    if (r.kind === "exact") return { instant: r.instant };
    if (r.kind === "repeated") return { instant: r.instants[which[end]] };
    if (r.kind === "skipped") return { error: t("events.rangeSkipped", { time: timeOf(values[end]), zone, before: formatUtcOffset(r.offsetsMs[0]), after: formatUtcOffset(r.offsetsMs[1]) }) };
    return { error: t("events.invalidDate") };
  }

  function check(form: FormData) {
    setError(null);
    setSuccess(null);
    const from = resolve("from");
    const to = resolve("to");
    const bad: Partial<Record<End, string>> = {};
    if ("error" in from) bad.from = from.error;
    if ("error" in to) bad.to = to.error;
    setFields(bad);
    if ("error" in from || "error" in to) return;
    if (to.instant.getTime() <= from.instant.getTime()) return setError(t("errors.invalid_date_range"));
    const next: Pending = { from: from.instant, to: to.instant, includeProtected: form.get("includeProtected") === "on", counts: null };
    setPending(next);
    void count(next);
  }

  /** Asks what the deletion would touch, so that the confirmation says how many events go and how many are kept. */
  async function count(p: Pending) {
    const q = new URLSearchParams({ from: p.from.toISOString(), to: p.to.toISOString() });
    const res = await api<{ events: number; protected: number }>(`/api/cameras/${encodeURIComponent(cameraId)}/events/delete-range?${q}`);
    if (!res.ok) {
      setPending(null);
      return setError(errorMessage(res.error, t("common.somethingWentWrong")));
    }
    setPending((now) => (now === p ? { ...p, counts: res.data } : now));
  }

  async function run(p: Pending) {
    setBusy(true);
    const res = await api<{ count: number; skippedProtected: number }>(`/api/cameras/${encodeURIComponent(cameraId)}/events/delete-range`, {
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

  /** A time with its offset, so that either side of a DST change reads unambiguously. */
  const stated = (d: Date) => `${format.dateTime(d)} (${formatUtcOffset(zoneOffsetMs(d, zone))})`;

  function endField(end: End) {
    const r = readings[end];
    const label = end === "from" ? t("events.from") : t("events.to");
    return (
      <div className="space-y-2">
        <TextField
          label={label}
          name={end}
          type="datetime-local"
          step={1}
          required
          value={values[end]}
          error={fields[end] ?? (r.kind === "skipped" ? (resolve(end) as { error: string }).error : undefined)}
          onChange={(e) => {
            const v = e.target.value;
            setValues((now) => ({ ...now, [end]: v }));
            setWhich((now) => ({ ...now, [end]: 0 }));
            setFields((now) => ({ ...now, [end]: undefined }));
          }}
        />
        {r.kind === "repeated" ? (
          <fieldset className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100" data-testid={`${end}-repeated`}>
            <legend className="px-1 font-medium">{t("events.rangeRepeated", { time: timeOf(values[end]), zone })}</legend>
            {([0, 1] as const).map((i) => (
              <label key={i} className="flex min-h-11 items-center gap-2 lg:min-h-0">
                <input type="radio" name={`${end}-which`} checked={which[end] === i} onChange={() => setWhich((now) => ({ ...now, [end]: i }))} />
                {t(i === 0 ? "events.rangeFirst" : "events.rangeSecond", { offset: formatUtcOffset(r.offsetsMs[i]) })}
              </label>
            ))}
          </fieldset>
        ) : null}
      </div>
    );
  }

  // The confirmation is the dialog's sibling, not its child: each <dialog> gets its own Escape and backdrop.
  return (
    <>
      <Modal labelledBy="range-dialog-title" describedBy="range-dialog-intro" onClose={onClose}>
        <h2 id="range-dialog-title" className="text-lg font-semibold">
          {t("events.rangeTitle")}
        </h2>
        <p id="range-dialog-intro" className="text-sm text-zinc-600 dark:text-zinc-400">
          {t("events.rangeIntro", { camera: cameraName, zone })}
        </p>
        <Form onSubmit={check} className="grid gap-4" noValidate>
          {endField("from")}
          {endField("to")}
          <label className="flex min-h-11 items-center gap-2 text-sm lg:min-h-0">
            <input type="checkbox" name="includeProtected" />
            {t("events.includeProtected")}
          </label>
          <FormMessage error={error} success={success} />
          <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
            <button type="button" className="btn-secondary" onClick={onClose}>
              {t("events.close")}
            </button>
            <button type="submit" className="btn-danger">
              {t("events.rangeSubmit")}
            </button>
          </div>
        </Form>
      </Modal>
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
          <p>{t("events.rangeConfirm", { camera: cameraName, from: stated(pending.from), to: stated(pending.to) })}</p>
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
    </>
  );
}
