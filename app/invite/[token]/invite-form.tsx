"use client";
import { useState } from "react";
import { api, errorMessage, hardNavigate, type FieldErrors } from "@/app/_components/api";
import { Form } from "@/app/_components/hydrated";
import { FormMessage, PasswordField, TextField } from "@/app/_components/fields";
import { browserTimeZone, signInWithPassword } from "@/app/_components/sign-in";
import { useT } from "@/lib/i18n/client";

export function InviteForm({ token, fixedEmail, locale }: { token: string; fixedEmail: string | null; locale: string }) {
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [fields, setFields] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string | null>(null);

  async function submit(form: FormData) {
    const password = String(form.get("password"));
    if (password !== String(form.get("confirm"))) {
      setFields({ confirm: { code: "mismatch", message: t("fieldErrors.mismatch") } });
      return;
    }
    setBusy(true);
    setFields({});
    setMessage(null);
    const email = fixedEmail ?? String(form.get("email"));
    const res = await api("/api/invites/accept", {
      body: { token, email, password, displayName: form.get("displayName"), locale, timeZone: browserTimeZone() },
    });
    if (!res.ok) {
      setBusy(false);
      setFields(res.error.fields ?? {});
      setMessage(errorMessage(res.error, t("common.somethingWentWrong")));
      return;
    }
    await signInWithPassword(email, password);
    hardNavigate("/live");
  }

  return (
    <Form onSubmit={submit} className="space-y-4" noValidate>
      {fixedEmail ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">{t("invite.emailFixed", { email: fixedEmail })}</p>
      ) : (
        <TextField name="email" type="email" label={t("common.email")} autoComplete="email" required error={fields.email?.message} />
      )}
      <TextField name="displayName" label={t("common.displayName")} autoComplete="name" maxLength={80} optional error={fields.displayName?.message} />
      <PasswordField name="password" label={t("common.password")} autoComplete="new-password" required hint={t("common.passwordHint", { min: 10 })} error={fields.password?.message} />
      <PasswordField name="confirm" label={t("common.confirmPassword")} autoComplete="new-password" required error={fields.confirm?.message} />
      <FormMessage error={message} />
      <button type="submit" className="btn-primary w-full" disabled={busy}>
        {busy ? t("invite.submitting") : t("invite.submit")}
      </button>
    </Form>
  );
}
