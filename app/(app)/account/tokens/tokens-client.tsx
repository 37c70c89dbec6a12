"use client";
// Account → API tokens: the form (name, scopes within my role, optional cameras, expiry), the new token shown once
// with a copy button, and my tokens.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { api, errorMessage, type FieldErrors } from "@/app/_components/api";
import { FormMessage, SelectField, TextField } from "@/app/_components/fields";
import { Form } from "@/app/_components/hydrated";
import { useT } from "@/lib/i18n/client";
import type { ApiTokenJson as TokenRow } from "@/lib/auth/api-tokens";
import { TokenTable } from "./token-table";

/** Expiry choices, days; "never" = no expiry. */
const EXPIRY_DAYS = ["30", "90", "365", "never"] as const;

export function TokensClient({ allowedScopes, cameras, tokens }: { allowedScopes: string[]; cameras: { id: string; name: string }[]; tokens: TokenRow[] }) {
  const t = useT();
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<FieldErrors>({});
  const [created, setCreated] = useState<{ token: string; name: string } | null>(null);
  const [copied, setCopied] = useState(false);

  async function create(form: FormData, el: HTMLFormElement) {
    setError(null);
    setFields({});
    setCopied(false);
    const expiry = String(form.get("expiry") ?? "90");
    const res = await api<{ token: string; item: { name: string } }>("/api/account/tokens", {
      body: {
        name: String(form.get("name") ?? ""),
        scopes: form.getAll("scopes").map(String),
        cameraIds: form.getAll("cameraIds").map(String),
        expiresInDays: expiry === "never" ? null : Number(expiry),
      },
    });
    if (!res.ok) {
      setFields(res.error.fields ?? {});
      return setError(errorMessage(res.error, t("common.somethingWentWrong")));
    }
    setCreated({ token: res.data.token, name: res.data.item.name });
    el.reset();
    router.refresh();
  }

  return (
    <div className="space-y-8">
      <section className="card" aria-labelledby="new-token-heading">
        <h2 id="new-token-heading" className="mb-4 text-lg font-semibold">
          {t("tokens.newToken")}
        </h2>
        <Form onSubmit={create} className="space-y-4" noValidate>
          <TextField name="name" label={t("tokens.name")} required maxLength={60} error={fields.name?.message} />
          <fieldset>
            <legend className="label">{t("tokens.scopes")}</legend>
            <ul className="space-y-1">
              {allowedScopes.map((s) => (
                <li key={s}>
                  <label className="flex items-center gap-2 text-sm">
                    <input type="checkbox" name="scopes" value={s} defaultChecked={s === "events:read"} className="h-4 w-4" />
                    <span>{t(`tokens.scope.${s.replace(":", "_")}`)}</span>
                    <code className="text-xs text-zinc-500">{s}</code>
                  </label>
                </li>
              ))}
            </ul>
            {fields.scopes ? <p className="mt-1 text-xs font-medium text-red-600 dark:text-red-400">{fields.scopes.message}</p> : null}
          </fieldset>
          {cameras.length > 0 ? (
            <fieldset>
              <legend className="label">{t("tokens.cameras")}</legend>
              <p className="mb-1 text-xs text-zinc-500">{t("tokens.camerasHint")}</p>
              <ul className="space-y-1">
                {cameras.map((c) => (
                  <li key={c.id}>
                    <label className="flex items-center gap-2 text-sm">
                      <input type="checkbox" name="cameraIds" value={c.id} className="h-4 w-4" />
                      <span>{c.name}</span>
                    </label>
                  </li>
                ))}
              </ul>
              {fields.cameraIds ? <p className="mt-1 text-xs font-medium text-red-600 dark:text-red-400">{fields.cameraIds.message}</p> : null}
            </fieldset>
          ) : null}
          <SelectField name="expiry" label={t("tokens.expiry")} defaultValue="90">
            {EXPIRY_DAYS.map((d) => (
              <option key={d} value={d}>
                {d === "never" ? t("tokens.never") : t("tokens.expiresIn", { days: d })}
              </option>
            ))}
          </SelectField>
          <FormMessage error={error} />
          <button type="submit" className="btn-primary">
            {t("tokens.create")}
          </button>
        </Form>
        {created ? (
          <div className="mt-4 rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm dark:border-amber-800 dark:bg-amber-950" role="status" aria-labelledby="created-token-heading">
            <p id="created-token-heading" className="font-semibold">
              {t("tokens.createdTitle", { name: created.name })}
            </p>
            <p className="mb-2">{t("tokens.createdWarning")}</p>
            <div className="flex flex-wrap items-center gap-2">
              <code data-testid="new-token" className="break-all rounded bg-white px-2 py-1 font-mono text-xs select-all dark:bg-zinc-900">
                {created.token}
              </code>
              <button
                type="button"
                className="btn-secondary"
                onClick={async () => {
                  await navigator.clipboard?.writeText(created.token).catch(() => undefined);
                  setCopied(true);
                }}
              >
                {t("common.copy")}
              </button>
              {copied ? <span className="text-xs text-emerald-700 dark:text-emerald-400">{t("common.copied")}</span> : null}
              <button type="button" className="btn-secondary" onClick={() => setCreated(null)}>
                {t("tokens.done")}
              </button>
            </div>
          </div>
        ) : null}
      </section>
      <section className="card" aria-labelledby="my-tokens-heading">
        <h2 id="my-tokens-heading" className="mb-4 text-lg font-semibold">
          {t("tokens.mine")}
        </h2>
        <TokenTable tokens={tokens} cameras={cameras} revokePath="/api/account/tokens" onChanged={() => router.refresh()} />
      </section>
    </div>
  );
}
