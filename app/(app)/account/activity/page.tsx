// My activity: what was done with my account, by me or by an admin about me, newest first.
import { PageHeader } from "@/app/_components/page-header";
import { listActivity } from "@/lib/activity/list";
import { requirePageViewer } from "@/lib/auth/guard";
import { db } from "@/lib/db";
import { getT } from "@/lib/http/locale";
import { getPrivacySettings } from "@/lib/privacy/settings";
import { ActivityList } from "./activity-list";

export async function generateMetadata() {
  return { title: (await getT())("privacy.activity.title") };
}

export default async function MyActivityPage() {
  const viewer = await requirePageViewer();
  const database = await db();
  const [t, page, settings] = await Promise.all([getT(), listActivity(database, viewer, { scope: "me" }), getPrivacySettings(database)]);
  return (
    <>
      <PageHeader title={t("privacy.activity.title")} />
      <p className="mb-6 max-w-3xl text-sm text-zinc-600 dark:text-zinc-400">
        {t("privacy.activity.intro")} {t("privacy.activity.retention", { days: settings.activityRetentionDays })}
      </p>
      <ActivityList initial={page} viewerId={viewer.id} query="scope=me" />
    </>
  );
}
