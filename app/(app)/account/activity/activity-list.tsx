"use client";
// An activity log table with "Show older" (keyset pages from GET /api/activity). Used for my activity and, for
// admins, the household's.
import { useState } from "react";
import { api, errorMessage } from "@/app/_components/api";
import { FormMessage } from "@/app/_components/fields";
import { LocalTime } from "@/app/_components/local-time";
import type { ActivityItem, ActivityPage } from "@/lib/activity/list";
import { useT } from "@/lib/i18n/client";
import { localizeModeName } from "@/lib/modes/names";
import { ScrollArea } from "@/app/_components/scroll-area";

export function ActivityList({ initial, viewerId, query }: { initial: ActivityPage; viewerId: string; query: string }) {
  const t = useT();
  const [items, setItems] = useState<ActivityItem[]>(initial.items);
  const [next, setNext] = useState<number | null>(initial.nextBefore);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function more() {
    if (next === null) return;
    setBusy(true);
    setError(null);
    const res = await api<ActivityPage>(`/api/activity?${query}&before=${next}`);
    setBusy(false);
    if (!res.ok) return setError(errorMessage(res.error, t("common.somethingWentWrong")));
    setItems((prev) => [...prev, ...res.data.items]);
    setNext(res.data.nextBefore);
  }

  const label = (action: string) => {
    const key = `privacy.activity.actions.${action.replace(/\./g, "_")}`;
    const text = t(key);
    return text === key ? action : text;
  };
  const person = (p: ActivityItem["actor"], action: string) => {
    if (!p) return action === "account.deleted" ? t("privacy.activity.unknown") : t("privacy.activity.nightjar");
    if (p.id === viewerId) return t("privacy.activity.you");
    return p.name ?? t("privacy.activity.unknown");
  };

  const modeVia = (via: unknown) => ({ ui: "modes.viaUi", api: "modes.viaApi", mqtt: "modes.viaMqtt", schedule: "modes.viaSchedule" } as const)[via as "ui"] ?? null;

  if (!items.length) return <p className="card text-sm text-zinc-500">{t("privacy.activity.empty")}</p>;
  return (
    <ScrollArea className="card overflow-x-auto">
      <table className="w-full text-left text-sm">
        <thead className="text-xs uppercase text-zinc-500">
          <tr>
            <th className="py-2 pr-4">{t("privacy.activity.when")}</th>
            <th className="py-2 pr-4">{t("privacy.activity.who")}</th>
            <th className="py-2 pr-4">{t("privacy.activity.what")}</th>
            <th className="py-2">{t("privacy.activity.camera")}</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
          {items.map((item) => {
            const about = item.subject && item.subject.id !== item.actor?.id ? t("privacy.activity.about", { name: item.subject.id === viewerId ? t("privacy.activity.you").toLowerCase() : (item.subject.name ?? t("privacy.activity.unknown")) }) : null;
            const enabled = typeof item.data.enabled === "boolean" ? (item.data.enabled ? t("privacy.activity.enabled") : t("privacy.activity.disabled")) : null;
            return (
              <tr key={item.id} data-testid="activity-row" data-action={item.action}>
                <td className="py-2 pr-4 whitespace-nowrap">
                  <LocalTime value={item.at} />
                </td>
                <td className="py-2 pr-4">{person(item.actor, item.action)}</td>
                <td className="py-2 pr-4">
                  {label(item.action)}
                  {enabled ? ` (${enabled})` : null}
                  {about ? <span className="text-zinc-500"> · {about}</span> : null}
                  {item.mode ? (
                    <span data-testid="activity-mode">
                      {" · "}
                      {item.mode.name !== null ? localizeModeName({ key: item.mode.key, name: item.mode.name }, t).name : t("privacy.activity.deletedMode")}
                      {modeVia(item.data.via) && !item.via ? <span className="text-zinc-500"> ({t(modeVia(item.data.via)!)})</span> : null}
                    </span>
                  ) : null}
                  {item.via ? (
                    <span className="text-zinc-500" data-testid="activity-via">
                      {" · "}
                      {item.via.kind === "signed_url" ? t("privacy.activity.viaSignedUrl") : item.via.name !== null ? t("privacy.activity.viaToken", { name: item.via.name }) : t("privacy.activity.viaDeletedToken")}
                    </span>
                  ) : null}
                </td>
                <td className="py-2">{item.camera ? (item.camera.name ?? <span className="text-zinc-500">{t("privacy.activity.deletedCamera")}</span>) : "—"}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="mt-4 space-y-3">
        <FormMessage error={error} />
        {next !== null ? (
          <button type="button" className="btn-secondary" onClick={more} disabled={busy}>
            {busy ? t("privacy.activity.loading") : t("privacy.activity.more")}
          </button>
        ) : null}
      </div>
    </ScrollArea>
  );
}
