import { EmptyState, PageHeader } from "@/app/_components/page-header";
import { requirePageViewer } from "@/lib/auth/guard";
import { getT } from "@/lib/i18n/server";

export async function generateMetadata() {
  return { title: (await getT())("events.title") };
}

export default async function EventsPage() {
  await requirePageViewer();
  const t = await getT();
  return (
    <>
      <PageHeader title={t("events.title")} />
      <EmptyState title={t("events.empty")} />
    </>
  );
}
