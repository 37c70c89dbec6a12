"use client";
import { useState } from "react";
import { api, errorMessage, hardNavigate, type FieldErrors } from "@/app/_components/api";
import { Form } from "@/app/_components/hydrated";
import { FormMessage, PasswordField, SelectField, TextField } from "@/app/_components/fields";
import { useFormat, useT } from "@/lib/i18n/client";
import { LOCALE_NAMES, LOCALES } from "@/lib/i18n/locales";

type Profile = { email: string; username: string | null; displayName: string | null; locale: string | null; timeZone: string | null; role: string; createdAt: string };

export function AccountClient({ profile, timeZones, serverZone }: { profile: Profile; timeZones: string[]; serverZone: string }) {
  const t = useT();
  const format = useFormat();
  const [fields, setFields] = useState<FieldErrors>({});
  const [message, setMessage] = useState<{ error?: string; success?: string }>({});

  async function saveProfile(form: FormData) {
    setFields({});
    setMessage({});
    const res = await api("/api/account", {
      method: "PATCH",
      body: { displayName: form.get("displayName"), username: form.get("username"), locale: form.get("locale"), timeZone: form.get("timeZone") },
    });
    if (!res.ok) {
      setFields(res.error.fields ?? {});
      return setMessage({ error: errorMessage(res.error, t("common.somethingWentWrong")) });
    }
    // Language and time zone are applied by the server: reload so every string and time follows.
    window.location.reload();
  }

  return (
    <div className="space-y-6">
      <section className="card" aria-labelledby="profile-heading">
        <h2 id="profile-heading" className="mb-1 text-lg font-semibold">
          {t("account.profile")}
        </h2>
        <p className="mb-4 text-xs text-zinc-500">
          {t(`roles.${profile.role}`)} · {t("account.memberSince", { date: format.date(profile.createdAt) })}
        </p>
        <Form onSubmit={saveProfile} className="space-y-4" noValidate>
          <TextField name="displayName" label={t("common.displayName")} defaultValue={profile.displayName ?? ""} maxLength={80} optional error={fields.displayName?.message} />
          <TextField name="username" label={t("common.username")} defaultValue={profile.username ?? ""} maxLength={32} optional error={fields.username?.message} />
          <SelectField name="locale" label={t("common.language")} defaultValue={profile.locale ?? ""} error={fields.locale?.message}>
            <option value="">{t("account.languageAuto")}</option>
            {LOCALES.map((l) => (
              <option key={l} value={l}>
                {LOCALE_NAMES[l]}
              </option>
            ))}
          </SelectField>
          <SelectField name="timeZone" label={t("common.timeZone")} defaultValue={profile.timeZone ?? ""} error={fields.timeZone?.message}>
            <option value="">
              {t("account.timeZoneAuto")} ({serverZone})
            </option>
            {timeZones.map((z) => (
              <option key={z} value={z}>
                {z}
              </option>
            ))}
          </SelectField>
          <FormMessage error={message.error} success={message.success} />
          <button type="submit" className="btn-primary">
            {t("common.save")}
          </button>
        </Form>
      </section>
      <EmailSection email={profile.email} />
      <SessionsSection />
    </div>
  );
}

function EmailSection({ email }: { email: string }) {
  const t = useT();
  const [current, setCurrent] = useState(email);
  const [fields, setFields] = useState<FieldErrors>({});
  const [message, setMessage] = useState<{ error?: string; success?: string }>({});

  async function submit(form: FormData, el: HTMLFormElement) {
    setFields({});
    setMessage({});
    const res = await api<{ email: string }>("/api/account/email", { body: { email: form.get("email"), currentPassword: form.get("currentPassword") } });
    if (!res.ok) {
      setFields(res.error.fields ?? {});
      return setMessage({ error: errorMessage(res.error, t("common.somethingWentWrong")) });
    }
    setCurrent(res.data.email);
    el.reset();
    setMessage({ success: t("account.emailChanged") });
  }

  return (
    <section className="card" aria-labelledby="email-heading">
      <h2 id="email-heading" className="mb-1 text-lg font-semibold">
        {t("account.emailTitle")}
      </h2>
      <p className="mb-4 text-sm text-zinc-600 dark:text-zinc-400" data-testid="current-email">
        {current}
      </p>
      <Form onSubmit={submit} className="space-y-4" noValidate>
        <TextField name="email" type="email" label={t("account.newEmail")} autoComplete="email" required error={fields.email?.message} />
        <PasswordField name="currentPassword" label={t("account.currentPassword")} autoComplete="current-password" required error={fields.currentPassword?.message} />
        <FormMessage error={message.error} success={message.success} />
        <button type="submit" className="btn-primary">
          {t("account.changeEmail")}
        </button>
      </Form>
    </section>
  );
}

function SessionsSection() {
  const t = useT();
  const [error, setError] = useState<string | null>(null);
  return (
    <section className="card" aria-labelledby="sessions-heading">
      <h2 id="sessions-heading" className="mb-1 text-lg font-semibold">
        {t("account.sessionsTitle")}
      </h2>
      <p className="mb-4 text-sm text-zinc-600 dark:text-zinc-400">{t("account.sessionsIntro")}</p>
      <FormMessage error={error} />
      <button
        type="button"
        className="btn-danger"
        onClick={async () => {
          if (!window.confirm(t("account.signOutEverywhereConfirm"))) return;
          const res = await api("/api/account/sign-out-everywhere", { method: "POST" });
          if (!res.ok) return setError(errorMessage(res.error, t("common.somethingWentWrong")));
          hardNavigate("/login");
        }}
      >
        {t("account.signOutEverywhere")}
      </button>
    </section>
  );
}
