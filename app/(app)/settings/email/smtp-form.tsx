"use client";
// The SMTP form (PUT /api/household/smtp) with "Send test" (POST /api/household/smtp/test) and the status line.
import { useState } from "react";
import { api, errorMessage } from "@/app/_components/api";
import { FormMessage, PasswordField, SelectField, TextField } from "@/app/_components/fields";
import type { SmtpConfig } from "@/lib/notifications/smtp";
import { useFormat, useT } from "@/lib/i18n/client";

type Props = { initial: { enabled: boolean; hasPassword: boolean; config: SmtpConfig | null }; status: { state: string; detail: string | null; lastOkAt: string | null } | null };

export function SmtpForm({ initial, status: initialStatus }: Props) {
  const t = useT();
  const fmt = useFormat();
  const c = initial.config;
  const [enabled, setEnabled] = useState(initial.enabled);
  const [host, setHost] = useState(c?.host ?? "");
  const [port, setPort] = useState(String(c?.port ?? 587));
  const [security, setSecurity] = useState<SmtpConfig["security"]>(c?.security ?? "starttls");
  const [user, setUser] = useState(c?.user ?? "");
  const [password, setPassword] = useState("");
  const [removePassword, setRemovePassword] = useState(false);
  const [hasPassword, setHasPassword] = useState(initial.hasPassword);
  const [from, setFrom] = useState(c?.from ?? "");
  const [fields, setFields] = useState<Record<string, string>>({});
  const [msg, setMsg] = useState<{ error?: string; success?: string }>({});
  const [status, setStatus] = useState(initialStatus);

  async function save(e: React.FormEvent) {
    e.preventDefault();
    const body = { enabled, host, port: Number(port), security, user, from, ...(removePassword ? { password: "" } : password ? { password } : {}) };
    const res = await api("/api/household/smtp", { method: "PUT", body });
    if (res.ok) {
      setFields({});
      setHasPassword(removePassword ? false : hasPassword || !!password);
      setPassword("");
      setRemovePassword(false);
      setMsg({ success: t("notifications.smtp.saved") });
    } else {
      setFields(Object.fromEntries(Object.entries(res.error.fields ?? {}).map(([k, v]) => [k, v.message])));
      setMsg({ error: errorMessage(res.error, t("errors.internal")) });
    }
  }

  async function sendTest() {
    setMsg({});
    const res = await api<{ ok: boolean; to: string; error?: string }>("/api/household/smtp/test", { body: {} });
    if (!res.ok) return setMsg({ error: errorMessage(res.error, t("errors.internal")) });
    if (res.data.ok) {
      setMsg({ success: t("notifications.smtp.testSent", { email: res.data.to }) });
      setStatus({ state: "connected", detail: null, lastOkAt: new Date().toISOString() });
    } else {
      setMsg({ error: t("notifications.smtp.testFailed", { detail: res.data.error ?? "" }) });
      setStatus((s) => ({ state: "error", detail: res.data.error ?? null, lastOkAt: s?.lastOkAt ?? null }));
    }
  }

  const state = status?.state ?? "never";
  return (
    <form onSubmit={save} className="card max-w-2xl space-y-4" aria-label={t("notifications.smtp.title")}>
      <p className="text-sm" data-testid="smtp-status">
        <span className="font-semibold">{t("notifications.smtp.status")}:</span> {t(`notifications.smtp.states.${state as "never"}`)}
        {status?.detail ? ` — ${status.detail}` : ""}
        {status?.lastOkAt ? ` · ${t("notifications.smtp.lastOk", { time: fmt.dateTime(status.lastOkAt) })}` : ""}
      </p>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
        {t("notifications.smtp.enabled")}
      </label>
      <TextField label={t("notifications.smtp.host")} value={host} onChange={(e) => setHost(e.target.value)} error={fields.host} required />
      <TextField label={t("notifications.smtp.port")} type="number" min={1} max={65535} value={port} onChange={(e) => setPort(e.target.value)} error={fields.port} required />
      <SelectField label={t("notifications.smtp.security")} value={security} onChange={(e) => setSecurity(e.target.value as SmtpConfig["security"])} error={fields.security}>
        <option value="none">{t("notifications.smtp.security_none")}</option>
        <option value="starttls">{t("notifications.smtp.security_starttls")}</option>
        <option value="tls">{t("notifications.smtp.security_tls")}</option>
      </SelectField>
      <TextField label={t("notifications.smtp.user")} value={user} onChange={(e) => setUser(e.target.value)} error={fields.user} optional autoComplete="off" />
      <PasswordField label={t("notifications.smtp.password")} value={password} onChange={(e) => setPassword(e.target.value)} error={fields.password} optional autoComplete="new-password" hint={hasPassword ? t("notifications.smtp.passwordStored") : undefined} />
      {hasPassword ? (
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={removePassword} onChange={(e) => setRemovePassword(e.target.checked)} />
          {t("notifications.smtp.removePassword")}
        </label>
      ) : null}
      <TextField label={t("notifications.smtp.from")} type="email" value={from} onChange={(e) => setFrom(e.target.value)} error={fields.from} required />
      <FormMessage error={msg.error} success={msg.success} />
      <div className="flex gap-3">
        <button type="submit" className="btn-primary">
          {t("notifications.smtp.save")}
        </button>
        <button type="button" className="btn-secondary" onClick={() => void sendTest()}>
          {t("notifications.smtp.sendTest")}
        </button>
      </div>
    </form>
  );
}
