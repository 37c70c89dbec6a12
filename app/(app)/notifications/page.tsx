// The notification centre: the member's notifications, newest first, updated live (Server-Sent Events).
import { PageHeader } from "@/app/_components/page-header";
import { requirePageViewer } from "@/lib/auth/guard";
import { db } from "@/lib/db";
import { getT } from "@/lib/http/locale";
import { listNotifications } from "@/lib/notifications/centre";
import { CentreClient } from "./centre-client";

export async function generateMetadata() {
  return { title: (await getT())("notifications.centre.title") };
}

export default async function NotificationsPage() {
  const viewer = await requirePageViewer();
  const [t, page] = await Promise.all([getT(), listNotifications(await db(), viewer.id)]);
  return (
    <>
      <PageHeader title={t("notifications.centre.title")} />
      <CentreClient initial={page} timeZone={viewer.timeZone} />
    </>
  );
}
