import { EmptyState, PageHeader } from "@/app/_components/page-header";
import { requirePageViewer } from "@/lib/auth/guard";
import { can } from "@/lib/household/roles";
import { getT } from "@/lib/i18n/server";

export async function generateMetadata() {
  return { title: (await getT())("cameras.title") };
}

export default async function CamerasPage() {
  const viewer = await requirePageViewer();
  const t = await getT();
  return (
    <>
      <PageHeader title={t("cameras.title")} />
      <EmptyState title={t("cameras.empty")} text={can(viewer.role, "cameras:manage") ? undefined : t("live.emptyMember")} />
    </>
  );
}
