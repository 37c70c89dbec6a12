"use client";
// Deleting my account (password re-entered, confirmed), or for the owner the whole household (factory reset: the
// household's name typed as well). After a reset the server restarts; this page waits for it and goes to setup.
import { useState } from "react";
import { api, errorMessage, hardNavigate, type FieldErrors } from "@/app/_components/api";
import { Form } from "@/app/_components/hydrated";
import { FormMessage, PasswordField, TextField } from "@/app/_components/fields";
import { useT } from "@/lib/i18n/client";

/** How long to wait for a restarted server before saying it has stopped, ms. */
const RESTART_PATIENCE_MS = 90_000;

async function waitForRestart(): Promise<boolean> {
  const started = Date.now();
  let wentDown = false;
  await new Promise((r) => setTimeout(r, 2500));
  while (Date.now() - started < RESTART_PATIENCE_MS) {
    try {
      const res = await fetch("/api/health", { cache: "no-store" });
      // Answers again after having been down (or never seen down: the restart was quicker than the first poll).
      if (res.status === 200 || res.status === 503) {
        if (wentDown || Date.now() - started > 8000) return true;
      }
    } catch {
      wentDown = true;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  return false;
}

export function DeleteAccount({ isOwner, householdName, isLastAdmin }: { isOwner: boolean; householdName: string; isLastAdmin: boolean }) {
  const t = useT();
  const [fields, setFields] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [state, setState] = useState<"idle" | "busy" | "restarting" | "stalled">("idle");

  async function submit(form: FormData) {
    setFields({});
    setError(null);
    if (!window.confirm(isOwner ? t("privacy.deletion.ownerConfirm") : t("privacy.deletion.confirm"))) return;
    setState("busy");
    const res = await api<{ reset: boolean; restarting: boolean }>("/api/account", {
      method: "DELETE",
      body: { password: form.get("password"), ...(isOwner ? { confirmation: form.get("confirmation") } : {}) },
    });
    if (!res.ok) {
      setState("idle");
      setFields(res.error.fields ?? {});
      return setError(errorMessage(res.error, t("common.somethingWentWrong")));
    }
    if (!res.data.restarting) return hardNavigate(res.data.reset ? "/" : "/login");
    setState("restarting");
    if (await waitForRestart()) hardNavigate("/");
    else setState("stalled");
  }

  if (state === "restarting" || state === "stalled")
    return (
      <p role="status" className="rounded-lg border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200">
        {state === "restarting" ? t("privacy.deletion.restarting") : t("privacy.deletion.stalled")}
      </p>
    );

  return (
    <Form onSubmit={submit} className="space-y-4" noValidate>
      {isLastAdmin && !isOwner ? <p className="text-sm font-medium text-amber-700 dark:text-amber-400">{t("privacy.deletion.lastAdminNote")}</p> : null}
      <PasswordField name="password" label={t("privacy.deletion.password")} autoComplete="current-password" required error={fields.password?.message} />
      {isOwner ? (
        <TextField name="confirmation" label={t("privacy.deletion.confirmation", { name: householdName })} autoComplete="off" required error={fields.confirmation?.message} />
      ) : null}
      <FormMessage error={error} />
      <button type="submit" className="btn-danger" disabled={state === "busy"}>
        {isOwner ? t("privacy.deletion.ownerButton") : t("privacy.deletion.button")}
      </button>
    </Form>
  );
}
