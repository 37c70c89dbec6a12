import { EmptyState, PageHeader } from "@/app/_components/page-header";
import { requirePageViewer } from "@/lib/auth/guard";
import { can } from "@/lib/household/roles";
import { getT } from "@/lib/i18n/server";

export async function generateMetadata() {
  return { title: (await getT())("live.title") };
}

export default async function LivePage() {
  const viewer = await requirePageViewer();
  const t = await getT();
  return (
    <>
      <PageHeader title={t("live.title")} />
      <EmptyState title={t("live.empty")} text={can(viewer.role, "cameras:manage") ? t("live.emptyAdmin") : t("live.emptyMember")} />
    </>
  );
}
