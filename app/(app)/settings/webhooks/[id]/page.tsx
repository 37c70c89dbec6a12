// One webhook endpoint (admins): its settings, the actions (send test, enable/disable, reveal or rotate the secret,
// delete) and the delivery log. An endpoint Nightjar disabled after repeated failure shows a notice.
import { notFound } from "next/navigation";
import Link from "@/app/_components/link";
import { PageHeader } from "@/app/_components/page-header";
import { requirePageViewer } from "@/lib/auth/guard";
import { db } from "@/lib/db";
import { isAppError } from "@/lib/errors";
import { getRequestLocale, getT } from "@/lib/http/locale";
import { formatDateTime } from "@/lib/i18n/format";
import { getWebhookEndpoint, listWebhookDeliveries } from "@/lib/webhooks/endpoints";
import { DISABLE_AFTER_FAILURES } from "@/lib/webhooks/deliver";
import { EndpointClient } from "./endpoint-client";

export async function generateMetadata() {
  return { title: (await getT())("webhooks.title") };
}

export default async function WebhookPage({ params }: { params: Promise<{ id: string }> }) {
  const viewer = await requirePageViewer({ permission: "household:manage" });
  const { id } = await params;
  const database = await db();
  const endpoint = await getWebhookEndpoint(database, id).catch((err) => {
    if (isAppError(err) && err.code === "not_found") notFound();
    throw err;
  });
  const [t, locale, deliveries] = await Promise.all([getT(), getRequestLocale(), listWebhookDeliveries(database, id)]);
  return (
    <>
      <PageHeader title={t("webhooks.title")}>
        <Link href="/settings/webhooks" className="text-sm underline">
          {t("webhooks.back")}
        </Link>
      </PageHeader>
      <p className="mb-4 font-mono text-sm break-all" data-testid="webhook-url">
        {endpoint.url}
      </p>
      {endpoint.disabledReason === "failing" ? (
        <div role="alert" data-testid="webhook-failing" className="mb-6 max-w-3xl rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
          {t("webhooks.failingNotice", { date: endpoint.disabledAt ? formatDateTime(locale, viewer.timeZone, endpoint.disabledAt) : "—", count: Math.max(endpoint.failureStreak, DISABLE_AFTER_FAILURES) })}
        </div>
      ) : null}
      <EndpointClient endpoint={endpoint} initialDeliveries={deliveries} />
    </>
  );
}
