"use client";
import { useState } from "react";
import { api, errorMessage, hardNavigate, type FieldErrors } from "@/app/_components/api";
import { Form } from "@/app/_components/hydrated";
import { FormMessage, PasswordField, TextField } from "@/app/_components/fields";
import { browserTimeZone, signInWithPassword } from "@/app/_components/sign-in";
import { useT } from "@/lib/i18n/client";

export function SetupForm({ locale }: { locale: string }) {
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
    setMessage(null);
    setFields({});
    const email = String(form.get("email"));
    const res = await api("/api/setup", {
      body: {
        householdName: form.get("householdName"),
        displayName: form.get("displayName"),
        email,
        password,
        locale,
        timeZone: browserTimeZone(),
      },
    });
    if (!res.ok) {
      setBusy(false);
      setFields(res.error.fields ?? {});
      setMessage(errorMessage(res.error, t("common.somethingWentWrong")));
      if (res.error.code === "already_set_up") hardNavigate("/login");
      return;
    }
    await signInWithPassword(email, password);
    hardNavigate("/live");
  }

  return (
    <Form onSubmit={submit} className="space-y-4" noValidate>
      <TextField name="householdName" label={t("setup.householdName")} placeholder={t("setup.householdNamePlaceholder")} required maxLength={80} error={fields.householdName?.message} />
      <TextField name="displayName" label={t("setup.yourName")} autoComplete="name" maxLength={80} optional error={fields.displayName?.message} />
      <TextField name="email" type="email" label={t("common.email")} autoComplete="email" required error={fields.email?.message} />
      <PasswordField name="password" label={t("common.password")} autoComplete="new-password" required hint={t("common.passwordHint", { min: 10 })} error={fields.password?.message} />
      <PasswordField name="confirm" label={t("common.confirmPassword")} autoComplete="new-password" required error={fields.confirm?.message} />
      <FormMessage error={message} />
      <button type="submit" className="btn-primary w-full" disabled={busy}>
        {busy ? t("setup.submitting") : t("setup.submit")}
      </button>
    </Form>
  );
}
