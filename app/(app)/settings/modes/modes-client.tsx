"use client";
// One mode's editor (name, per camera armed/notify, schedule; delete for added modes) and the "Add a mode" form.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { api, errorMessage, type ApiError } from "@/app/_components/api";
import { FormMessage, TextField } from "@/app/_components/fields";
import { Form, LiveFieldset } from "@/app/_components/hydrated";
import { useFormat, useT } from "@/lib/i18n/client";
import type { Mode } from "@/lib/modes/modes";
import { ScrollArea } from "@/app/_components/scroll-area";

type Entry = { days: number[]; at: string };
type Settings = Record<string, { armed: boolean; notify: boolean }>;
/** Monday first, as the motion schedule. */
const DAYS = [1, 2, 3, 4, 5, 6, 0];

/** The message for a refusal: a known field code of ours, else the server's message. */
function useErrorText() {
  const t = useT();
  return (error: ApiError) => {
    const code = Object.values(error.fields ?? {})[0]?.code;
    const key = `modes.errors.${code}`;
    const text = code ? t(key, (error.params ?? {}) as Record<string, string | number>) : key;
    return text !== key ? text : errorMessage(error, t("common.somethingWentWrong"));
  };
}

export function ModeEditor({ mode, cameras, timeZone, isActive }: { mode: Mode; cameras: { id: string; name: string }[]; timeZone: string; isActive: boolean }) {
  const t = useT();
  const { locale } = useFormat();
  const router = useRouter();
  const errorText = useErrorText();
  const [name, setName] = useState(mode.name);
  const [settings, setSettings] = useState<Settings>(() => Object.fromEntries(cameras.map((c) => [c.id, mode.cameras[c.id] ?? { armed: true, notify: true }])));
  const [schedule, setSchedule] = useState<Entry[]>(mode.schedule);
  const [message, setMessage] = useState<{ error?: string; success?: string }>({});
  const [busy, setBusy] = useState(false);
  const dayName = (d: number) => new Intl.DateTimeFormat(locale, { weekday: "short", timeZone: "UTC" }).format(new Date(Date.UTC(2026, 0, 4 + d)));
  const headingId = `mode-${mode.id}-heading`;

  const setCamera = (id: string, patch: Partial<{ armed: boolean; notify: boolean }>) => setSettings((s) => ({ ...s, [id]: { ...s[id], ...patch } }));
  const setEntry = (i: number, patch: Partial<Entry>) => setSchedule((s) => s.map((e, j) => (j === i ? { ...e, ...patch } : e)));
  const toggleDay = (i: number, day: number, on: boolean) => setEntry(i, { days: on ? [...schedule[i].days, day].sort((a, b) => a - b) : schedule[i].days.filter((d) => d !== day) });

  async function save() {
    setBusy(true);
    setMessage({});
    const res = await api(`/api/household/modes/${encodeURIComponent(mode.id)}`, { method: "PATCH", body: { name, cameras: settings, schedule } });
    setBusy(false);
    if (!res.ok) return setMessage({ error: errorText(res.error) });
    setMessage({ success: t("modes.saved") });
    router.refresh();
  }

  async function remove() {
    if (!window.confirm(t("modes.deleteConfirm", { mode: mode.name }))) return;
    setBusy(true);
    setMessage({});
    const res = await api(`/api/household/modes/${encodeURIComponent(mode.id)}`, { method: "DELETE" });
    setBusy(false);
    if (!res.ok) return setMessage({ error: errorText(res.error) });
    router.refresh();
  }

  return (
    <section className="card space-y-5" aria-labelledby={headingId} data-testid="mode-editor" data-mode-id={mode.id}>
      <h2 id={headingId} className="text-lg font-semibold">
        {mode.name}
        {mode.key ? <span className="ml-2 text-xs font-normal text-zinc-500"> ({t("modes.builtIn")})</span> : null}
        {isActive ? <span className="ml-2 rounded bg-brand-600 px-2 py-0.5 text-xs font-medium text-white"> {t("modes.inForce")}</span> : null}
      </h2>
      <LiveFieldset className="space-y-5" disabled={busy}>
        <div className="max-w-sm">
          <TextField label={t("modes.name")} value={name} maxLength={40} onChange={(e) => setName(e.target.value)} />
        </div>

        <div>
          <h3 className="label">{t("modes.cameras")}</h3>
          {cameras.length === 0 ? (
            <p className="text-sm text-zinc-500">{t("modes.noCameras")}</p>
          ) : (
            <ScrollArea className="overflow-x-auto">
              <table className="w-full max-w-xl text-left text-sm">
                <thead className="text-xs uppercase text-zinc-500">
                  <tr>
                    <th className="py-2 pr-4">{t("modes.camera")}</th>
                    <th className="py-2 pr-4">{t("modes.armed")}</th>
                    <th className="py-2">{t("modes.notify")}</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
                  {cameras.map((c) => (
                    <tr key={c.id}>
                      <td className="py-2 pr-4">{c.name}</td>
                      <td className="py-2 pr-4">
                        <input type="checkbox" className="h-4 w-4" aria-label={t("modes.armedFor", { mode: mode.name, camera: c.name })} checked={settings[c.id]?.armed ?? true} onChange={(e) => setCamera(c.id, { armed: e.target.checked })} />
                      </td>
                      <td className="py-2">
                        <input type="checkbox" className="h-4 w-4" aria-label={t("modes.notifyFor", { mode: mode.name, camera: c.name })} checked={settings[c.id]?.notify ?? true} onChange={(e) => setCamera(c.id, { notify: e.target.checked })} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollArea>
          )}
        </div>

        <div>
          <h3 className="label">{t("modes.schedule")}</h3>
          <p className="mb-2 text-xs text-zinc-500">{t("modes.scheduleHint", { zone: timeZone })}</p>
          {schedule.length === 0 ? <p className="text-sm text-zinc-500">{t("modes.scheduleNone")}</p> : null}
          <ul className="space-y-3">
            {schedule.map((entry, i) => (
              <li key={i}>
                <fieldset className="flex flex-wrap items-end gap-3">
                  <legend className="sr-only">{t("modes.timeFor", { n: i + 1 })}</legend>
                  <label className="text-sm">
                    <span className="label">{t("modes.time")}</span>
                    <input type="time" className="input" required value={entry.at} onChange={(e) => setEntry(i, { at: e.target.value })} />
                  </label>
                  <div role="group" aria-label={t("modes.days")} className="flex flex-wrap gap-2">
                    {DAYS.map((d) => (
                      <label key={d} className="flex items-center gap-1 text-sm">
                        <input type="checkbox" className="h-4 w-4" checked={entry.days.includes(d)} onChange={(e) => toggleDay(i, d, e.target.checked)} />
                        {dayName(d)}
                      </label>
                    ))}
                  </div>
                  <button type="button" className="btn-secondary px-3 py-1" onClick={() => setSchedule((s) => s.filter((_, j) => j !== i))}>
                    {t("modes.removeTime", { n: i + 1 })}
                  </button>
                </fieldset>
              </li>
            ))}
          </ul>
          <button type="button" className="btn-secondary mt-3 px-3 py-1" onClick={() => setSchedule((s) => [...s, { days: [1, 2, 3, 4, 5], at: "08:00" }])}>
            {t("modes.addTime")}
          </button>
        </div>

        <FormMessage error={message.error} success={message.success} />
        <div className="flex flex-wrap gap-3">
          <button type="button" className="btn-primary" onClick={save}>
            {t("modes.save", { mode: mode.name })}
          </button>
          {mode.key === null ? (
            <button type="button" className="btn-danger" onClick={remove}>
              {t("modes.delete", { mode: mode.name })}
            </button>
          ) : null}
        </div>
      </LiveFieldset>
    </section>
  );
}

export function AddMode() {
  const t = useT();
  const router = useRouter();
  const errorText = useErrorText();
  const [message, setMessage] = useState<{ error?: string; success?: string }>({});

  async function add(form: FormData, el: HTMLFormElement) {
    setMessage({});
    const res = await api("/api/household/modes", { body: { name: String(form.get("name") ?? "") } });
    if (!res.ok) return setMessage({ error: errorText(res.error) });
    setMessage({ success: t("modes.added") });
    el.reset();
    router.refresh();
  }

  return (
    <section className="card mt-8" aria-labelledby="add-mode-heading">
      <h2 id="add-mode-heading" className="mb-4 text-lg font-semibold">
        {t("modes.add")}
      </h2>
      <Form onSubmit={add} className="flex max-w-lg flex-wrap items-end gap-3">
        <div className="grow">
          <TextField name="name" label={t("modes.name")} required maxLength={40} />
        </div>
        <button type="submit" className="btn-primary">
          {t("modes.addButton")}
        </button>
      </Form>
      <div className="mt-3">
        <FormMessage error={message.error} success={message.success} />
      </div>
    </section>
  );
}
