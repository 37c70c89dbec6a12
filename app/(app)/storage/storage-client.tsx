"use client";
// The Storage page's controls (admins): "Run expiry now", and the expiry settings form.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { api, errorMessage, type FieldErrors } from "@/app/_components/api";
import { Form } from "@/app/_components/hydrated";
import { FormMessage, TextField } from "@/app/_components/fields";
import { useFormat, useT } from "@/lib/i18n/client";
import { formatBytes, BYTES_PER_GB, MIB } from "@/lib/i18n/format";

type RunResult = { deleted: { events: number; timelapses: number; bytes: number } };

export function RunExpiryButton() {
  const t = useT();
  const { locale } = useFormat();
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ error?: string; success?: string }>({});

  async function run() {
    setBusy(true);
    setMessage({});
    const res = await api<RunResult>("/api/storage/retention", { method: "POST" });
    setBusy(false);
    if (!res.ok) return setMessage({ error: errorMessage(res.error, t("common.somethingWentWrong")) });
    const { events, timelapses, bytes } = res.data.deleted;
    const size = formatBytes(locale, bytes);
    setMessage({ success: timelapses > 0 ? t("storage.runDoneWithTimelapses", { events, timelapses, size }) : t("storage.runDone", { events, size }) });
    router.refresh();
  }

  return (
    <div className="flex flex-col items-end gap-2">
      <button type="button" className="btn-primary" onClick={run} disabled={busy} aria-busy={busy}>
        {t("storage.runNow")}
      </button>
      {busy ? (
        <p role="status" className="text-sm text-zinc-500">
          {t("storage.running")}
        </p>
      ) : (
        <FormMessage error={message.error} success={message.success} />
      )}
    </div>
  );
}

type Settings = { storageQuotaMb: number | null; diagnosticsRetentionDays: number; activityRetentionDays: number };

export function StorageSettingsForm({ initial }: { initial: Settings }) {
  const t = useT();
  const router = useRouter();
  const [fields, setFields] = useState<FieldErrors>({});
  const [message, setMessage] = useState<{ error?: string; success?: string }>({});

  async function save(form: FormData, el: HTMLFormElement) {
    setFields({});
    setMessage({});
    const quotaInput = el.elements.namedItem("quotaGb") as HTMLInputElement;
    const quotaText = String(form.get("quotaGb") ?? "").trim();
    // A number field that holds something unreadable reports "" — that must not silently mean "no quota".
    if (quotaInput.validity.badInput || (quotaText !== "" && !(Number(quotaText) > 0))) {
      const invalid = t("fieldErrors.invalid");
      setFields({ storageQuotaMb: { code: "invalid", message: invalid } });
      return setMessage({ error: t("errors.validation") });
    }
    const res = await api<Settings>("/api/storage/settings", {
      method: "PATCH",
      body: {
        storageQuotaMb: quotaText === "" ? null : Math.round((Number(quotaText) * BYTES_PER_GB) / MIB),
        diagnosticsRetentionDays: Number(form.get("diagnosticsRetentionDays")),
        activityRetentionDays: Number(form.get("activityRetentionDays")),
      },
    });
    if (!res.ok) {
      setFields(res.error.fields ?? {});
      return setMessage({ error: errorMessage(res.error, t("common.somethingWentWrong")) });
    }
    setMessage({ success: t("storage.settingsSaved") });
    router.refresh();
  }

  // The quota is stored in MiB (storageQuotaMb) and typed in GB (SI, like every size on the page).
  const quotaGb = initial.storageQuotaMb === null ? "" : String(Math.round(((initial.storageQuotaMb * MIB) / BYTES_PER_GB) * 100) / 100);
  return (
    <section className="card" aria-labelledby="expiry-settings-heading">
      <h2 id="expiry-settings-heading" className="mb-1 text-lg font-semibold">
        {t("storage.settingsHeading")}
      </h2>
      <p className="mb-4 text-sm text-zinc-600 dark:text-zinc-400">{t("storage.settingsIntro")}</p>
      <Form onSubmit={save} className="space-y-4" noValidate>
        <TextField name="quotaGb" type="number" min={0.1} step={0.1} inputMode="decimal" label={t("storage.quotaField")} defaultValue={quotaGb} hint={t("storage.quotaHint")} error={fields.storageQuotaMb?.message} />
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField name="diagnosticsRetentionDays" type="number" min={1} max={3650} step={1} required label={t("storage.diagnosticsDays")} defaultValue={initial.diagnosticsRetentionDays} error={fields.diagnosticsRetentionDays?.message} />
          <TextField name="activityRetentionDays" type="number" min={1} max={3650} step={1} required label={t("storage.activityDays")} defaultValue={initial.activityRetentionDays} error={fields.activityRetentionDays?.message} />
        </div>
        <FormMessage error={message.error} success={message.success} />
        <button type="submit" className="btn-primary">
          {t("storage.saveSettings")}
        </button>
      </Form>
    </section>
  );
}
