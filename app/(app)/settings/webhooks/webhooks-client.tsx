"use client";
// The "Add a webhook" form, the event-type checkboxes it shares with the endpoint page, and the secret display.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { api, errorMessage, type FieldErrors } from "@/app/_components/api";
import { FormMessage, TextField } from "@/app/_components/fields";
import { Form } from "@/app/_components/hydrated";
import Link from "@/app/_components/link";
import { useT } from "@/lib/i18n/client";
import { WEBHOOK_EVENT_TYPES } from "@/lib/webhooks/events";

/** The event types as labelled checkboxes named "eventTypes". */
export function EventTypeChoices({ checked, error }: { checked: readonly string[]; error?: string }) {
  const t = useT();
  return (
    <fieldset aria-describedby={error ? "event-types-error" : undefined}>
      <legend className="label">{t("webhooks.events")}</legend>
      <div className="grid gap-1 sm:grid-cols-2">
        {WEBHOOK_EVENT_TYPES.map((type) => (
          <label key={type} className="flex items-center gap-2 text-sm">
            <input type="checkbox" name="eventTypes" value={type} defaultChecked={checked.includes(type)} className="h-4 w-4" />
            <span>
              {t(`webhooks.types.${type.replace(".", "_") as "event_started"}`)} <code className="text-xs text-zinc-500">{type}</code>
            </span>
          </label>
        ))}
      </div>
      {error ? (
        <p id="event-types-error" className="mt-1 text-xs font-medium text-red-600 dark:text-red-400">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

/** A secret shown to the admin, with a copy button. */
export function SecretBox({ secret }: { secret: string }) {
  const t = useT();
  const [copied, setCopied] = useState(false);
  return (
    <div className="flex gap-2">
      <input readOnly aria-label={t("webhooks.secret")} data-testid="webhook-secret" className="input font-mono text-xs" value={secret} onFocus={(e) => e.currentTarget.select()} />
      <button
        type="button"
        className="btn-secondary"
        onClick={async () => {
          await navigator.clipboard?.writeText(secret).catch(() => undefined);
          setCopied(true);
        }}
      >
        {copied ? t("common.copied") : t("common.copy")}
      </button>
    </div>
  );
}

export function AddWebhook() {
  const t = useT();
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<FieldErrors>({});
  const [created, setCreated] = useState<{ id: string; secret: string } | null>(null);

  async function create(form: FormData, el: HTMLFormElement) {
    setError(null);
    setFields({});
    setCreated(null);
    const res = await api<{ endpoint: { id: string }; secret: string }>("/api/v1/webhooks", {
      body: { url: String(form.get("url") ?? ""), description: String(form.get("description") ?? "") || null, eventTypes: form.getAll("eventTypes").map(String) },
    });
    if (!res.ok) {
      setFields(res.error.fields ?? {});
      return setError(errorMessage(res.error, t("common.somethingWentWrong")));
    }
    setCreated({ id: res.data.endpoint.id, secret: res.data.secret });
    el.reset();
    router.refresh();
  }

  return (
    <section className="card" aria-labelledby="add-webhook-heading">
      <h2 id="add-webhook-heading" className="mb-4 text-lg font-semibold">
        {t("webhooks.addTitle")}
      </h2>
      <Form onSubmit={create} className="grid gap-4" noValidate>
        <TextField name="url" type="url" label={t("webhooks.url")} hint={t("webhooks.urlHint")} required error={fields.url?.message} placeholder="http://homeassistant.local:8123/api/webhook/…" />
        <TextField name="description" label={t("webhooks.description")} optional maxLength={200} error={fields.description?.message} />
        <EventTypeChoices checked={["event.started", "event.ended"]} error={fields.eventTypes?.message} />
        <div>
          <button type="submit" className="btn-primary">
            {t("webhooks.add")}
          </button>
        </div>
      </Form>
      <div className="mt-4 space-y-3">
        <FormMessage error={error} />
        {created ? (
          <div className="space-y-2 rounded-lg border border-emerald-200 bg-emerald-50 p-3 text-sm dark:border-emerald-900 dark:bg-emerald-950" role="status">
            <p>{t("webhooks.added")}</p>
            <SecretBox secret={created.secret} />
            <Link href={`/settings/webhooks/${created.id}`} className="underline">
              {t("webhooks.details")}
            </Link>
          </div>
        ) : null}
      </div>
    </section>
  );
}
