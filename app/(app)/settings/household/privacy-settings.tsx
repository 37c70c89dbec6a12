"use client";
// The household's privacy settings (admins): who may switch privacy mode, whose exports include recordings.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { api, errorMessage } from "@/app/_components/api";
import { Form } from "@/app/_components/hydrated";
import { FormMessage, SelectField } from "@/app/_components/fields";
import { useT } from "@/lib/i18n/client";

type Settings = { privacyModeRole: string; exportMediaScope: string; activityRetentionDays: number; diagnosticsRetentionDays: number };

export function PrivacySettings({ initial }: { initial: Settings }) {
  const t = useT();
  const router = useRouter();
  const [message, setMessage] = useState<{ error?: string; success?: string }>({});

  async function save(form: FormData) {
    setMessage({});
    const res = await api("/api/household/privacy", { method: "PATCH", body: { privacyModeRole: form.get("privacyModeRole"), exportMediaScope: form.get("exportMediaScope") } });
    if (!res.ok) return setMessage({ error: errorMessage(res.error, t("common.somethingWentWrong")) });
    setMessage({ success: t("privacy.settings.saved") });
    router.refresh();
  }

  return (
    <section className="card" aria-labelledby="privacy-settings-heading">
      <h2 id="privacy-settings-heading" className="mb-4 text-lg font-semibold">
        {t("privacy.settings.title")}
      </h2>
      <Form onSubmit={save} className="grid grid-cols-1 gap-4 sm:grid-cols-2" noValidate>
        <SelectField name="privacyModeRole" label={t("privacy.settings.privacyModeRole")} defaultValue={initial.privacyModeRole}>
          <option value="admin">{t("privacy.settings.roleAdmin")}</option>
          <option value="member">{t("privacy.settings.roleMember")}</option>
        </SelectField>
        <SelectField name="exportMediaScope" label={t("privacy.settings.exportMediaScope")} defaultValue={initial.exportMediaScope}>
          <option value="admin">{t("privacy.settings.scopeAdmin")}</option>
          <option value="visible">{t("privacy.settings.scopeVisible")}</option>
        </SelectField>
        <p className="text-xs text-zinc-500 sm:col-span-2">
          {t("privacy.settings.retentionNote", { activity: initial.activityRetentionDays, diagnostics: initial.diagnosticsRetentionDays })}
        </p>
        <div className="space-y-3 sm:col-span-2">
          <FormMessage error={message.error} success={message.success} />
          <button type="submit" className="btn-primary">
            {t("privacy.settings.save")}
          </button>
        </div>
      </Form>
    </section>
  );
}
