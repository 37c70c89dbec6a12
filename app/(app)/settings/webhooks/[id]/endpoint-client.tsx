"use client";
// One endpoint's actions, settings form and delivery log (polled every LOG_POLL_MS while the tab is visible).
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useState } from "react";
import { api, errorMessage, type FieldErrors } from "@/app/_components/api";
import { FormMessage, TextField } from "@/app/_components/fields";
import { Form, useHydrated } from "@/app/_components/hydrated";
import { LocalTime } from "@/app/_components/local-time";
import { useFormat, useT } from "@/lib/i18n/client";
import type { WebhookDeliveryView, WebhookEndpointView } from "@/lib/webhooks/endpoints";
import { EventTypeChoices, SecretBox } from "../webhooks-client";
import { ScrollArea } from "@/app/_components/scroll-area";

/** How often the open log asks for new rows, ms. */
const LOG_POLL_MS = 2_000;

export function EndpointClient({ endpoint, initialDeliveries }: { endpoint: WebhookEndpointView; initialDeliveries: WebhookDeliveryView[] }) {
  const t = useT();
  const router = useRouter();
  const hydrated = useHydrated();
  const [message, setMessage] = useState<{ error?: string; success?: string }>({});
  const [secret, setSecret] = useState<string | null>(null);
  const [fields, setFields] = useState<FieldErrors>({});
  const [deliveries, setDeliveries] = useState(initialDeliveries);
  const base = `/api/v1/webhooks/${endpoint.id}`;

  const reload = useCallback(async () => {
    const res = await api<{ deliveries: WebhookDeliveryView[] }>(`${base}/deliveries`);
    if (res.ok) setDeliveries(res.data.deliveries);
  }, [base]);

  useEffect(() => {
    const id = setInterval(() => {
      if (document.visibilityState === "visible") void reload();
    }, LOG_POLL_MS);
    return () => clearInterval(id);
  }, [reload]);

  async function act(path: string, init: { method: string; body?: unknown }, success: string, after?: (data: unknown) => void) {
    setMessage({});
    const res = await api(path, init);
    if (!res.ok) return setMessage({ error: errorMessage(res.error, t("common.somethingWentWrong")) });
    setMessage({ success });
    after?.(res.data);
    router.refresh();
    void reload();
  }

  async function save(form: FormData) {
    setFields({});
    setMessage({});
    const res = await api(base, { method: "PATCH", body: { url: String(form.get("url") ?? ""), description: String(form.get("description") ?? "") || null, eventTypes: form.getAll("eventTypes").map(String) } });
    if (!res.ok) {
      setFields(res.error.fields ?? {});
      return setMessage({ error: errorMessage(res.error, t("common.somethingWentWrong")) });
    }
    setMessage({ success: t("webhooks.saved") });
    router.refresh();
  }

  return (
    <div className="space-y-8">
      <section className="card" aria-labelledby="endpoint-actions-heading">
        <h2 id="endpoint-actions-heading" className="sr-only">
          {t("common.actions")}
        </h2>
        <p className="mb-3 text-sm">
          {t("webhooks.status")}:{" "}
          <strong data-testid="webhook-status">{endpoint.enabled ? t("webhooks.enabled") : endpoint.disabledReason === "failing" ? t("webhooks.disabledFailing") : t("webhooks.disabled")}</strong>
        </p>
        <div className="flex flex-wrap gap-2">
          <button type="button" disabled={!hydrated} className="btn-primary" onClick={() => act(`${base}/test`, { method: "POST" }, t("webhooks.testQueued"))}>
            {t("webhooks.sendTest")}
          </button>
          <button
            type="button"
            disabled={!hydrated}
            className="btn-secondary"
            onClick={() => act(base, { method: "PATCH", body: { enabled: !endpoint.enabled } }, endpoint.enabled ? t("webhooks.disabledMessage") : t("webhooks.enabledMessage"))}
          >
            {endpoint.enabled ? t("webhooks.disable") : t("webhooks.enable")}
          </button>
          <button
            type="button"
            disabled={!hydrated}
            className="btn-secondary"
            aria-expanded={secret !== null}
            onClick={async () => {
              if (secret !== null) return setSecret(null);
              const res = await api<{ secret: string }>(`${base}/secret`);
              if (!res.ok) return setMessage({ error: errorMessage(res.error, t("common.somethingWentWrong")) });
              setSecret(res.data.secret);
            }}
          >
            {secret !== null ? t("webhooks.hideSecret") : t("webhooks.revealSecret")}
          </button>
          <button
            type="button"
            disabled={!hydrated}
            className="btn-secondary"
            onClick={() => {
              if (window.confirm(t("webhooks.rotateConfirm"))) void act(`${base}/rotate-secret`, { method: "POST" }, t("webhooks.rotated"), (data) => setSecret((data as { secret: string }).secret));
            }}
          >
            {t("webhooks.rotateSecret")}
          </button>
          <button
            type="button"
            disabled={!hydrated}
            className="btn-danger"
            onClick={async () => {
              if (!window.confirm(t("webhooks.deleteConfirm", { url: endpoint.url }))) return;
              const res = await api(base, { method: "DELETE" });
              if (!res.ok) return setMessage({ error: errorMessage(res.error, t("common.somethingWentWrong")) });
              router.push("/settings/webhooks");
              router.refresh();
            }}
          >
            {t("webhooks.delete")}
          </button>
        </div>
        {secret !== null ? (
          <div className="mt-3">
            <SecretBox secret={secret} />
          </div>
        ) : null}
        <div className="mt-3">
          <FormMessage error={message.error} success={message.success} />
        </div>
      </section>

      <section className="card" aria-labelledby="endpoint-settings-heading">
        <h2 id="endpoint-settings-heading" className="mb-4 text-lg font-semibold">
          {t("webhooks.details")}
        </h2>
        <Form onSubmit={save} className="grid gap-4" noValidate>
          <TextField name="url" type="url" label={t("webhooks.url")} hint={t("webhooks.urlHint")} defaultValue={endpoint.url} required error={fields.url?.message} />
          <TextField name="description" label={t("webhooks.description")} optional maxLength={200} defaultValue={endpoint.description ?? ""} error={fields.description?.message} />
          <EventTypeChoices checked={endpoint.eventTypes} error={fields.eventTypes?.message} />
          <div>
            <button type="submit" className="btn-primary">
              {t("webhooks.save")}
            </button>
          </div>
        </Form>
      </section>

      <DeliveryLog deliveries={deliveries} onRefresh={reload} />
    </div>
  );
}

function DeliveryLog({ deliveries, onRefresh }: { deliveries: WebhookDeliveryView[]; onRefresh: () => void }) {
  const t = useT();
  const format = useFormat();
  return (
    <section className="card" aria-labelledby="delivery-log-heading">
      <div className="mb-2 flex items-center justify-between gap-3">
        <h2 id="delivery-log-heading" className="text-lg font-semibold">
          {t("webhooks.log")}
        </h2>
        <button type="button" className="btn-secondary px-3 py-1" onClick={onRefresh}>
          {t("webhooks.refresh")}
        </button>
      </div>
      <p className="mb-3 text-xs text-zinc-500">{t("webhooks.logRetention")}</p>
      {deliveries.length === 0 ? (
        <p className="text-sm text-zinc-500">{t("webhooks.logEmpty")}</p>
      ) : (
        <ScrollArea className="overflow-x-auto">
          <table className="w-full text-left text-sm" aria-labelledby="delivery-log-heading">
            <thead className="text-xs uppercase text-zinc-500">
              <tr>
                <th className="py-2 pr-4">{t("webhooks.time")}</th>
                <th className="py-2 pr-4">{t("webhooks.eventType")}</th>
                <th className="py-2 pr-4">{t("webhooks.status")}</th>
                <th className="py-2 pr-4">{t("webhooks.response")}</th>
                <th className="py-2 pr-4">{t("webhooks.latency")}</th>
                <th className="py-2 pr-4">{t("webhooks.attempts")}</th>
                <th className="py-2">{t("webhooks.error")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
              {deliveries.map((d) => (
                <tr key={d.id} data-testid="webhook-delivery" data-type={d.eventType} data-status={d.status} data-message-id={d.id}>
                  <td className="py-2 pr-4 whitespace-nowrap">
                    <LocalTime value={d.createdAt} />
                  </td>
                  <td className="py-2 pr-4">
                    <code className="text-xs">{d.eventType}</code>
                  </td>
                  <td className="py-2 pr-4">
                    <span className={d.status === "delivered" ? "text-emerald-700 dark:text-emerald-400" : d.status === "failed" ? "text-red-600 dark:text-red-400" : "text-amber-700 dark:text-amber-400"}>
                      {t(`webhooks.statuses.${d.status as "pending"}`)}
                    </span>
                    {d.status === "pending" && d.nextAttemptAt && d.attempts > 0 ? <div className="text-xs text-zinc-500">{t("webhooks.nextAttempt", { time: format.dateTime(d.nextAttemptAt) })}</div> : null}
                  </td>
                  <td className="py-2 pr-4">{d.responseStatus ?? "—"}</td>
                  <td className="py-2 pr-4 whitespace-nowrap">{d.latencyMs === null ? "—" : t("webhooks.latencyMs", { ms: d.latencyMs })}</td>
                  <td className="py-2 pr-4">{d.attempts}</td>
                  <td className="py-2 text-xs break-all">{d.error ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollArea>
      )}
    </section>
  );
}
