// Settings → Webhooks (admins): the household's webhook endpoints and the form to add one.
import Link from "@/app/_components/link";
import { LocalTime } from "@/app/_components/local-time";
import { PageHeader } from "@/app/_components/page-header";
import { requirePageViewer } from "@/lib/auth/guard";
import { db } from "@/lib/db";
import { getT } from "@/lib/http/locale";
import { listWebhookEndpoints } from "@/lib/webhooks/endpoints";
import { AddWebhook } from "./webhooks-client";
import { ScrollArea } from "@/app/_components/scroll-area";

export async function generateMetadata() {
  return { title: (await getT())("webhooks.title") };
}

export default async function WebhooksPage() {
  await requirePageViewer({ permission: "household:manage" });
  const [t, endpoints] = await Promise.all([getT(), listWebhookEndpoints(await db())]);
  const typeName = (type: string) => t(`webhooks.types.${type.replace(".", "_") as "event_started"}`);
  return (
    <>
      <PageHeader title={t("webhooks.title")} />
      <p className="mb-2 max-w-3xl text-sm text-zinc-600 dark:text-zinc-400">{t("webhooks.intro")}</p>
      <p className="mb-6 max-w-3xl text-sm text-zinc-600 dark:text-zinc-400">{t("webhooks.verifyHint")}</p>
      <section className="card mb-8" aria-labelledby="endpoints-heading">
        <h2 id="endpoints-heading" className="mb-4 text-lg font-semibold">
          {t("webhooks.endpoints")}
        </h2>
        {endpoints.length === 0 ? (
          <p className="text-sm text-zinc-500">{t("webhooks.none")}</p>
        ) : (
          <ScrollArea className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <thead className="text-xs uppercase text-zinc-500">
                <tr>
                  <th className="py-2 pr-4">{t("webhooks.url")}</th>
                  <th className="py-2 pr-4">{t("webhooks.events")}</th>
                  <th className="py-2 pr-4">{t("webhooks.status")}</th>
                  <th className="py-2 pr-4">{t("webhooks.lastDelivery")}</th>
                  <th className="py-2">
                    <span className="sr-only">{t("common.actions")}</span>
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
                {endpoints.map((e) => (
                  <tr key={e.id} data-testid="webhook-endpoint">
                    <td className="py-3 pr-4">
                      <div className="font-mono text-xs break-all">{e.url}</div>
                      {e.description ? <div className="text-xs text-zinc-500">{e.description}</div> : null}
                    </td>
                    <td className="py-3 pr-4 text-xs">{e.eventTypes.join(", ")}</td>
                    <td className="py-3 pr-4">
                      {e.enabled ? (
                        <span className="text-emerald-700 dark:text-emerald-400">{t("webhooks.enabled")}</span>
                      ) : (
                        <span className="text-red-600 dark:text-red-400">{e.disabledReason === "failing" ? t("webhooks.disabledFailing") : t("webhooks.disabled")}</span>
                      )}
                    </td>
                    <td className="py-3 pr-4 text-xs">
                      {e.lastDelivery ? (
                        <>
                          {t(`webhooks.statuses.${e.lastDelivery.status as "pending"}`)} · {typeName(e.lastDelivery.eventType)} · <LocalTime value={e.lastDelivery.at} />
                        </>
                      ) : (
                        t("webhooks.never")
                      )}
                    </td>
                    <td className="py-3 text-right">
                      <Link href={`/settings/webhooks/${e.id}`} className="btn-secondary px-3 py-1" aria-label={`${t("webhooks.details")}: ${e.url}`}>
                        {t("webhooks.details")}
                      </Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollArea>
        )}
      </section>
      <AddWebhook />
    </>
  );
}
