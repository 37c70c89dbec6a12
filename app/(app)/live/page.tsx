import { EmptyState, PageHeader } from "@/app/_components/page-header";
import { requirePageViewer } from "@/lib/auth/guard";
import { listCamerasFor } from "@/lib/cameras/cameras";
import { db } from "@/lib/db";
import { can } from "@/lib/household/roles";
import { getT } from "@/lib/http/locale";
import { LiveGrid } from "./live-grid";

export async function generateMetadata() {
  return { title: (await getT())("live.title") };
}

// The cameras the viewer may see, live: disabled cameras are left out; each tile plays only while it is on screen.
export default async function LivePage() {
  const viewer = await requirePageViewer();
  const [t, cameras] = await Promise.all([getT(), listCamerasFor(await db(), viewer)]);
  const visible = cameras.filter((c) => c.isEnabled).map((c) => ({ id: c.id, name: c.name, privacyMode: c.privacyMode, state: c.status.state }));
  return (
    <>
      <PageHeader title={t("live.title")} />
      {visible.length === 0 ? (
        <EmptyState title={t("live.empty")} text={can(viewer.role, "cameras:manage") ? t("live.emptyAdmin") : t("live.emptyMember")} />
      ) : (
        <LiveGrid cameras={visible} />
      )}
    </>
  );
}
