import Link from "next/link";
import { EmptyState, PageHeader } from "@/app/_components/page-header";
import { requirePageViewer } from "@/lib/auth/guard";
import { listCamerasFor } from "@/lib/cameras/cameras";
import { db } from "@/lib/db";
import { can } from "@/lib/household/roles";
import { getT } from "@/lib/i18n/server";
import { StatusBadge } from "../cameras/status-badge";
import { StillImage } from "./still-image";

export async function generateMetadata() {
  return { title: (await getT())("live.title") };
}

// Until the HLS live view arrives (live view issue), each camera shows a still refreshed while this page is open:
// pictures are taken only on request, never in the background.
export default async function LivePage() {
  const viewer = await requirePageViewer();
  const [t, cameras] = await Promise.all([getT(), listCamerasFor(await db(), viewer)]);
  const visible = cameras.filter((c) => c.isEnabled);
  return (
    <>
      <PageHeader title={t("live.title")} />
      {visible.length === 0 ? (
        <EmptyState title={t("live.empty")} text={can(viewer.role, "cameras:manage") ? t("live.emptyAdmin") : t("live.emptyMember")} />
      ) : (
        <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3" aria-label={t("live.title")}>
          {visible.map((c) => (
            <li key={c.id} className="card overflow-hidden p-0">
              <StillImage cameraId={c.id} alt={t("live.stillOf", { camera: c.name })} offline={c.status.state === "offline"} offlineText={t("cameras.offline")} />
              <div className="flex items-center justify-between gap-2 p-3">
                <Link href={`/cameras/${c.id}`} className="font-medium hover:underline">
                  {c.name}
                </Link>
                <StatusBadge state={c.status.state} />
              </div>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
