import { PageHeader } from "@/app/_components/page-header";
import { requirePageViewer } from "@/lib/auth/guard";
import { db } from "@/lib/db";
import { listPendingInvites } from "@/lib/household/invites";
import { listMembers } from "@/lib/household/members";
import { getT } from "@/lib/http/locale";
import { getPrivacySettings } from "@/lib/privacy/settings";
import { HouseholdClient } from "./household-client";
import { PrivacySettings } from "./privacy-settings";

export async function generateMetadata() {
  return { title: (await getT())("household.title") };
}

export default async function HouseholdPage() {
  const viewer = await requirePageViewer({ permission: "household:manage" });
  const database = await db();
  const [t, members, invites, privacy] = await Promise.all([getT(), listMembers(database), listPendingInvites(database), getPrivacySettings(database)]);
  return (
    <>
      <PageHeader title={t("household.title")} />
      <HouseholdClient
        viewerId={viewer.id}
        members={members.map((m) => ({ ...m, createdAt: m.createdAt.toISOString() }))}
        invites={invites.map((i) => ({ id: i.id, role: i.role, email: i.email, expiresAt: i.expiresAt.toISOString() }))}
      />
      <div className="mt-8">
        <PrivacySettings initial={privacy} />
      </div>
    </>
  );
}
