import { EmptyState, PageHeader } from "@/app/_components/page-header";
import { requirePageViewer } from "@/lib/auth/guard";
import { db } from "@/lib/db";
import { listEvents } from "@/lib/events/events";
import { getT } from "@/lib/i18n/server";
import { EventList } from "./event-list";

export async function generateMetadata() {
  return { title: (await getT())("events.title") };
}

export default async function EventsPage() {
  const viewer = await requirePageViewer();
  const [t, first] = await Promise.all([getT(), listEvents(await db(), viewer)]);
  return (
    <>
      <PageHeader title={t("events.title")} />
      {first.events.length === 0 ? <EmptyState title={t("events.empty")} text={t("events.emptyHint")} /> : <EventList initial={first} />}
    </>
  );
}
