"use client";
// The table of personal access tokens, shared by Account → API tokens (mine) and Settings → API tokens (the
// household's, with a member column): name, prefix, scopes, cameras, dates, last use and status, and Revoke.
import { useState } from "react";
import { api, errorMessage } from "@/app/_components/api";
import { FormMessage } from "@/app/_components/fields";
import { useHydrated } from "@/app/_components/hydrated";
import { useFormat, useT } from "@/lib/i18n/client";
import type { ApiTokenJson as TokenRow } from "@/lib/auth/api-tokens";
import { ScrollArea } from "@/app/_components/scroll-area";

export function TokenTable({ tokens, cameras, revokePath, onChanged }: { tokens: TokenRow[]; cameras: { id: string; name: string }[]; revokePath: string; onChanged: () => void }) {
  const t = useT();
  const format = useFormat();
  const hydrated = useHydrated();
  const [message, setMessage] = useState<{ error?: string; success?: string }>({});
  const names = new Map(cameras.map((c) => [c.id, c.name]));
  const showMember = tokens.some((x) => x.member);

  async function revoke(token: TokenRow) {
    if (!window.confirm(t("tokens.revokeConfirm", { name: token.name }))) return;
    setMessage({});
    const res = await api(`${revokePath}/${token.id}`, { method: "DELETE" });
    if (!res.ok) return setMessage({ error: errorMessage(res.error, t("common.somethingWentWrong")) });
    setMessage({ success: t("tokens.revoked", { name: token.name }) });
    onChanged();
  }

  if (tokens.length === 0) return <p className="text-sm text-zinc-500">{t("tokens.none")}</p>;
  return (
    <>
      <FormMessage error={message.error} success={message.success} />
      <ScrollArea className="mt-3 overflow-x-auto">
        <table className="w-full text-left text-sm">
          <thead className="text-xs uppercase text-zinc-500">
            <tr>
              <th className="py-2 pr-4">{t("tokens.name")}</th>
              {showMember ? <th className="py-2 pr-4">{t("tokens.member")}</th> : null}
              <th className="py-2 pr-4">{t("tokens.prefix")}</th>
              <th className="py-2 pr-4">{t("tokens.scopes")}</th>
              <th className="py-2 pr-4">{t("tokens.cameras")}</th>
              <th className="py-2 pr-4">{t("tokens.created")}</th>
              <th className="py-2 pr-4">{t("tokens.expires")}</th>
              <th className="py-2 pr-4">{t("tokens.lastUsed")}</th>
              <th className="py-2 pr-4">{t("tokens.status")}</th>
              <th className="py-2">
                <span className="sr-only">{t("common.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
            {tokens.map((x) => (
              <tr key={x.id} data-testid="token-row" data-token-name={x.name}>
                <td className="py-3 pr-4 font-medium">{x.name}</td>
                {showMember ? <td className="py-3 pr-4">{x.member ? x.member.displayName || x.member.email : ""}</td> : null}
                <td className="py-3 pr-4 font-mono text-xs">{x.prefix}…</td>
                <td className="py-3 pr-4">
                  <ul>
                    {x.scopes.map((s) => (
                      <li key={s} title={t(`tokens.scope.${s.replace(":", "_")}`)}>
                        <code className="text-xs">{s}</code>
                      </li>
                    ))}
                  </ul>
                </td>
                <td className="py-3 pr-4">{x.cameraIds ? x.cameraIds.map((id) => names.get(id) ?? id).join(", ") : t("tokens.allCameras")}</td>
                <td className="py-3 pr-4 whitespace-nowrap">{format.dateTime(x.createdAt)}</td>
                <td className="py-3 pr-4 whitespace-nowrap">{x.expiresAt ? format.dateTime(x.expiresAt) : t("tokens.never")}</td>
                <td className="py-3 pr-4">{x.lastUsedAt ? t("tokens.lastUsedFrom", { date: format.dateTime(x.lastUsedAt), address: x.lastUsedAddress ?? "?" }) : t("tokens.notUsed")}</td>
                <td className="py-3 pr-4" data-testid="token-status">
                  <span className={x.status === "active" ? "text-emerald-700 dark:text-emerald-400" : "text-zinc-500"}>{t(`tokens.statuses.${x.status}`)}</span>
                </td>
                <td className="py-3 text-right">
                  {x.status !== "revoked" ? (
                    <button type="button" disabled={!hydrated} className="btn-danger px-3 py-1" aria-label={t("tokens.revokeLabel", { name: x.name })} onClick={() => void revoke(x)}>
                      {t("tokens.revoke")}
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollArea>
    </>
  );
}
