"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { api, errorMessage, type FieldErrors } from "@/app/_components/api";
import { Form, useHydrated } from "@/app/_components/hydrated";
import { FormMessage, SelectField, TextField } from "@/app/_components/fields";
import { useFormat, useT } from "@/lib/i18n/client";
import { ROLES } from "@/lib/household/roles";

type Member = { id: string; email: string; displayName: string | null; username: string | null; role: string; isOwner: boolean; isDisabled: boolean; mustChangePassword: boolean };
type Invite = { id: string; role: string; email: string | null; expiresAt: string };

export function HouseholdClient({ viewerId, members, invites }: { viewerId: string; members: Member[]; invites: Invite[] }) {
  const t = useT();
  const hydrated = useHydrated();
  const router = useRouter();
  const [message, setMessage] = useState<{ error?: string; success?: string }>({});

  async function act(path: string, init: { method: string; body?: unknown }, success: string) {
    setMessage({});
    const res = await api(path, init);
    if (!res.ok) return setMessage({ error: errorMessage(res.error, t("common.somethingWentWrong")) });
    setMessage({ success });
    router.refresh();
  }

  return (
    <div className="space-y-8">
      <section className="card" aria-labelledby="members-heading">
        <h2 id="members-heading" className="mb-4 text-lg font-semibold">
          {t("household.members")}
        </h2>
        <FormMessage error={message.error} success={message.success} />
        <div className="relative mt-3 overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className="text-xs uppercase text-zinc-500">
              <tr>
                <th className="py-2 pr-4">{t("household.name")}</th>
                <th className="py-2 pr-4">{t("common.role")}</th>
                <th className="py-2 pr-4">{t("common.status")}</th>
                <th className="py-2">
                  <span className="sr-only">{t("common.actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
              {members.map((m) => {
                const name = m.displayName || m.email;
                const isSelf = m.id === viewerId;
                return (
                  <tr key={m.id} data-testid={`member-${m.email}`}>
                    <td className="py-3 pr-4">
                      <div className="font-medium">
                        {name}
                        {isSelf ? <span className="ml-1 text-zinc-500">({t("household.you")})</span> : null}
                        {m.isOwner ? <span className="ml-2 rounded bg-zinc-100 px-1.5 py-0.5 text-xs dark:bg-zinc-800">{t("household.owner")}</span> : null}
                      </div>
                      <div className="text-xs text-zinc-500">{m.email}</div>
                    </td>
                    <td className="py-3 pr-4">
                      <select
                        disabled={!hydrated}
                        aria-label={t("household.roleOf", { name })}
                        className="rounded-md border border-zinc-300 bg-white px-2 py-1 dark:border-zinc-700 dark:bg-zinc-900"
                        value={m.role}
                        onChange={(e) => act(`/api/household/members/${m.id}`, { method: "PATCH", body: { role: e.target.value } }, t("household.roleChanged", { name, role: t(`roles.${e.target.value}`) }))}
                      >
                        {ROLES.map((r) => (
                          <option key={r} value={r}>
                            {t(`roles.${r}`)}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td className="py-3 pr-4">
                      {m.isDisabled ? (
                        <span className="text-red-600 dark:text-red-400">{t("household.disabled")}</span>
                      ) : m.mustChangePassword ? (
                        <span className="text-amber-700 dark:text-amber-400">{t("household.mustChangePassword")}</span>
                      ) : (
                        <span className="text-emerald-700 dark:text-emerald-400">{t("household.active")}</span>
                      )}
                    </td>
                    <td className="py-3 text-right whitespace-nowrap">
                      {!isSelf ? (
                        <>
                          <button
                            type="button"
                            className="btn-secondary mr-2 px-3 py-1"
                            aria-label={`${m.isDisabled ? t("household.enable") : t("household.disable")}: ${name}`}
                            onClick={() =>
                              act(`/api/household/members/${m.id}`, { method: "PATCH", body: { isDisabled: !m.isDisabled } }, m.isDisabled ? t("household.memberEnabled", { name }) : t("household.memberDisabled", { name }))
                            }
                          >
                            {m.isDisabled ? t("household.enable") : t("household.disable")}
                          </button>
                          {!m.isOwner ? (
                            <button
                              type="button"
                              className="btn-danger px-3 py-1"
                              aria-label={`${t("common.remove")}: ${name}`}
                              onClick={() => {
                                if (window.confirm(t("household.removeConfirm", { name }))) void act(`/api/household/members/${m.id}`, { method: "DELETE" }, t("household.memberRemoved", { name }));
                              }}
                            >
                              {t("common.remove")}
                            </button>
                          ) : null}
                        </>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        <ul className="mt-4 space-y-1 text-xs text-zinc-500">
          {ROLES.map((r) => (
            <li key={r}>
              <strong>{t(`roles.${r}`)}</strong> — {t(`roles.${r}Description`)}
            </li>
          ))}
        </ul>
      </section>
      <InviteSection invites={invites} onChanged={() => router.refresh()} />
      <CreateAccountSection onCreated={() => router.refresh()} />
    </div>
  );
}

function InviteSection({ invites, onChanged }: { invites: Invite[]; onChanged: () => void }) {
  const t = useT();
  const format = useFormat();
  const [created, setCreated] = useState<{ url: string; role: string; expiresAt: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<FieldErrors>({});
  const [copied, setCopied] = useState(false);

  async function create(form: FormData) {
    setError(null);
    setFields({});
    setCopied(false);
    const res = await api<{ url: string; invite: { role: string; expiresAt: string } }>("/api/household/invites", { body: { role: form.get("role"), email: form.get("email") } });
    if (!res.ok) {
      setFields(res.error.fields ?? {});
      return setError(errorMessage(res.error, t("common.somethingWentWrong")));
    }
    setCreated({ url: res.data.url, role: res.data.invite.role, expiresAt: res.data.invite.expiresAt });
    onChanged();
  }

  return (
    <section className="card" aria-labelledby="invite-heading">
      <h2 id="invite-heading" className="mb-1 text-lg font-semibold">
        {t("household.inviteTitle")}
      </h2>
      <p className="mb-4 text-sm text-zinc-600 dark:text-zinc-400">{t("household.inviteIntro")}</p>
      <Form onSubmit={create} className="grid grid-cols-1 gap-4 sm:grid-cols-3 sm:items-end" noValidate>
        <SelectField name="role" label={t("common.role")} defaultValue="member">
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`roles.${r}`)}
            </option>
          ))}
        </SelectField>
        <TextField name="email" type="email" label={t("household.inviteEmail")} optional error={fields.email?.message} />
        <button type="submit" className="btn-primary">
          {t("household.createInvite")}
        </button>
      </Form>
      <div className="mt-4 space-y-3">
        <FormMessage error={error} />
        {created ? (
          <div className="rounded-lg border border-emerald-200 bg-emerald-50 p-3 text-sm dark:border-emerald-900 dark:bg-emerald-950" role="status">
            <p className="mb-2">{t("household.inviteCreated", { role: t(`roles.${created.role}`), date: format.dateTime(created.expiresAt) })}</p>
            <div className="flex gap-2">
              <input readOnly aria-label={t("household.inviteLink")} className="input font-mono text-xs" value={created.url} onFocus={(e) => e.currentTarget.select()} />
              <button
                type="button"
                className="btn-secondary"
                onClick={async () => {
                  await navigator.clipboard?.writeText(created.url).catch(() => undefined);
                  setCopied(true);
                }}
              >
                {copied ? t("common.copied") : t("common.copy")}
              </button>
            </div>
          </div>
        ) : null}
      </div>
      <h3 className="mt-6 mb-2 text-sm font-semibold">{t("household.pendingInvites")}</h3>
      {invites.length === 0 ? (
        <p className="text-sm text-zinc-500">{t("household.noPendingInvites")}</p>
      ) : (
        <ul className="divide-y divide-zinc-200 text-sm dark:divide-zinc-800">
          {invites.map((i) => (
            <li key={i.id} className="flex items-center justify-between gap-3 py-2" data-testid="pending-invite">
              <span>
                {t(`roles.${i.role}`)} · {i.email ?? t("household.anyEmail")} · <span className="text-zinc-500">{t("household.expires", { date: format.dateTime(i.expiresAt) })}</span>
              </span>
              <button
                type="button"
                className="btn-secondary px-3 py-1"
                onClick={async () => {
                  const res = await api(`/api/household/invites/${i.id}`, { method: "DELETE" });
                  if (!res.ok) return setError(errorMessage(res.error, t("common.somethingWentWrong")));
                  onChanged();
                }}
              >
                {t("household.revoke")}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** A random temporary password that meets the rules: 4 groups of 4 from an unambiguous alphabet. */
function generatePassword(): string {
  const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  const chars = Array.from(bytes, (b) => alphabet[b % alphabet.length]);
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join("")).join("-");
}

function CreateAccountSection({ onCreated }: { onCreated: () => void }) {
  const t = useT();
  const [password, setPassword] = useState("");
  const [fields, setFields] = useState<FieldErrors>({});
  const [message, setMessage] = useState<{ error?: string; success?: string }>({});

  async function create(form: FormData, el: HTMLFormElement) {
    setFields({});
    setMessage({});
    const res = await api<{ email: string }>("/api/household/members", {
      body: { email: form.get("email"), displayName: form.get("displayName"), role: form.get("role"), temporaryPassword: form.get("temporaryPassword") },
    });
    if (!res.ok) {
      setFields(res.error.fields ?? {});
      return setMessage({ error: errorMessage(res.error, t("common.somethingWentWrong")) });
    }
    setMessage({ success: t("household.accountCreated", { email: res.data.email }) });
    el.reset();
    setPassword("");
    onCreated();
  }

  return (
    <section className="card" aria-labelledby="create-heading">
      <h2 id="create-heading" className="mb-1 text-lg font-semibold">
        {t("household.createTitle")}
      </h2>
      <p className="mb-4 text-sm text-zinc-600 dark:text-zinc-400">{t("household.createIntro")}</p>
      <Form onSubmit={create} className="grid grid-cols-1 gap-4 sm:grid-cols-2" noValidate>
        <TextField name="email" type="email" label={t("common.email")} required error={fields.email?.message} />
        <TextField name="displayName" label={t("common.displayName")} optional error={fields.displayName?.message} />
        <SelectField name="role" label={t("common.role")} defaultValue="member">
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`roles.${r}`)}
            </option>
          ))}
        </SelectField>
        <div className="flex items-end gap-2">
          <div className="flex-1">
            <TextField
              name="temporaryPassword"
              label={t("household.temporaryPassword")}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              autoComplete="off"
              required
              error={fields.temporaryPassword?.message}
            />
          </div>
          <button type="button" className="btn-secondary" onClick={() => setPassword(generatePassword())}>
            {t("household.generate")}
          </button>
        </div>
        <div className="sm:col-span-2 space-y-3">
          <FormMessage error={message.error} success={message.success} />
          <button type="submit" className="btn-primary">
            {t("household.createAccount")}
          </button>
        </div>
      </Form>
    </section>
  );
}
