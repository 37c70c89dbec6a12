// The household's activity log (admins): what every member did, newest first, optionally by or about one member.
import { ActivityList } from "@/app/(app)/account/activity/activity-list";
import { PageHeader } from "@/app/_components/page-header";
import { listActivity } from "@/lib/activity/list";
import { requirePageViewer } from "@/lib/auth/guard";
import { db } from "@/lib/db";
import { listMembers } from "@/lib/household/members";
import { getT } from "@/lib/http/locale";
import { getPrivacySettings } from "@/lib/privacy/settings";

export async function generateMetadata() {
  return { title: (await getT())("privacy.activity.householdTitle") };
}

export default async function HouseholdActivityPage({ searchParams }: { searchParams: Promise<{ member?: string }> }) {
  const viewer = await requirePageViewer({ permission: "activity:household" });
  const database = await db();
  const members = await listMembers(database);
  const wanted = (await searchParams).member;
  const member = members.some((m) => m.id === wanted) ? wanted! : null;
  const [t, page, settings] = await Promise.all([getT(), listActivity(database, viewer, { scope: "household", memberId: member }), getPrivacySettings(database)]);
  const query = new URLSearchParams({ scope: "household", ...(member ? { member } : {}) }).toString();
  return (
    <>
      <PageHeader title={t("privacy.activity.householdTitle")} />
      <p className="mb-4 max-w-3xl text-sm text-zinc-600 dark:text-zinc-400">
        {t("privacy.activity.householdIntro")} {t("privacy.activity.retention", { days: settings.activityRetentionDays })}
      </p>
      {/* A plain GET form: works without JavaScript, and the URL can be bookmarked. */}
      <form method="get" className="mb-4 flex flex-wrap items-end gap-3">
        <div>
          <label htmlFor="member" className="label">
            {t("privacy.activity.member")}
          </label>
          <select id="member" name="member" defaultValue={member ?? ""} className="input">
            <option value="">{t("privacy.activity.everyone")}</option>
            {members.map((m) => (
              <option key={m.id} value={m.id}>
                {m.displayName || m.email}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="btn-secondary">
          {t("privacy.activity.filter")}
        </button>
      </form>
      <ActivityList key={member ?? "all"} initial={page} viewerId={viewer.id} query={query} />
    </>
  );
}
