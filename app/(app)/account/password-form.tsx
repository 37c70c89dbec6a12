"use client";
// Password change. The server ends every session of the account; this browser signs in again with the new password.
import { useState } from "react";
import { api, errorMessage, hardNavigate, type FieldErrors } from "@/app/_components/api";
import { Form } from "@/app/_components/hydrated";
import { FormMessage, PasswordField } from "@/app/_components/fields";
import { signInWithPassword } from "@/app/_components/sign-in";
import { useT } from "@/lib/i18n/client";

export function PasswordForm({ after }: { after?: string }) {
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [fields, setFields] = useState<FieldErrors>({});
  const [message, setMessage] = useState<{ error?: string; success?: string }>({});

  async function submit(form: FormData, el: HTMLFormElement) {
    const newPassword = String(form.get("newPassword"));
    if (newPassword !== String(form.get("confirm"))) {
      setFields({ confirm: { code: "mismatch", message: t("fieldErrors.mismatch") } });
      return;
    }
    setBusy(true);
    setFields({});
    setMessage({});
    const res = await api<{ email: string }>("/api/account/password", { body: { currentPassword: form.get("currentPassword"), newPassword } });
    if (!res.ok) {
      setBusy(false);
      setFields(res.error.fields ?? {});
      return setMessage({ error: errorMessage(res.error, t("common.somethingWentWrong")) });
    }
    await signInWithPassword(res.data.email, newPassword);
    if (after) return hardNavigate(after);
    setBusy(false);
    el.reset();
    setMessage({ success: t("account.passwordChanged") });
  }

  return (
    <Form onSubmit={submit} className="space-y-4" noValidate>
      <PasswordField name="currentPassword" label={t("account.currentPassword")} autoComplete="current-password" required error={fields.currentPassword?.message} />
      <PasswordField name="newPassword" label={t("account.newPassword")} autoComplete="new-password" required hint={t("common.passwordHint", { min: 10 })} error={fields.newPassword?.message} />
      <PasswordField name="confirm" label={t("common.confirmPassword")} autoComplete="new-password" required error={fields.confirm?.message} />
      <FormMessage error={message.error} success={message.success} />
      <button type="submit" className="btn-primary" disabled={busy}>
        {busy ? t("common.saving") : t("account.changePassword")}
      </button>
    </Form>
  );
}
