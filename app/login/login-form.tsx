"use client";
import { useState } from "react";
import { hardNavigate } from "@/app/_components/api";
import { Form } from "@/app/_components/hydrated";
import { FormMessage, PasswordField, TextField } from "@/app/_components/fields";
import { signInWithPassword } from "@/app/_components/sign-in";
import { useT } from "@/lib/i18n/client";

export function LoginForm() {
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);

  async function submit(form: FormData) {
    setBusy(true);
    setMessage(null);
    const outcome = await signInWithPassword(String(form.get("login")), String(form.get("password")));
    if (outcome.ok) {
      hardNavigate("/live");
      return;
    }
    setBusy(false);
    setMessage(t(`errors.${outcome.code}`, outcome.params));
  }

  return (
    <Form onSubmit={submit} className="space-y-4">
      <TextField name="login" label={t("login.login")} autoComplete="username" required autoFocus />
      <PasswordField name="password" label={t("common.password")} autoComplete="current-password" required />
      <FormMessage error={message} />
      <button type="submit" className="btn-primary w-full" disabled={busy}>
        {busy ? t("login.submitting") : t("login.submit")}
      </button>
    </Form>
  );
}
