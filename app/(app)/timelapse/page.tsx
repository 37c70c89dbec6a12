// The Timelapse page: the timelapses of the cameras I see (days and asked-for ranges), newest first, with a camera
// filter; admins and members ask for a range here. Re-rendered every few seconds while one is being made.
import { AutoRefresh } from "@/app/_components/auto-refresh";
import { PageHeader } from "@/app/_components/page-header";
import { requirePageViewer } from "@/lib/auth/guard";
import { listVisibleCameras } from "@/lib/cameras/access";
import { db } from "@/lib/db";
import { can } from "@/lib/household/roles";
import { getT } from "@/lib/http/locale";
import { TIMELAPSE_MAX_RANGE_DAYS } from "@/lib/timelapse/settings";
import { listTimelapses } from "@/lib/timelapse/timelapses";
import { TimelapseView } from "./timelapse-view";

/** How often the page re-renders while a timelapse is queued or being encoded, seconds. */
const REFRESH_WHILE_MAKING_S = 3;

export async function generateMetadata() {
  return { title: (await getT())("timelapse.title") };
}

export default async function TimelapsePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const viewer = await requirePageViewer();
  const [t, database, params] = await Promise.all([getT(), db(), searchParams]);
  const cameras = await listVisibleCameras(database, viewer);
  // A camera in an old link that this member may no longer see is dropped rather than answered with an error page.
  const asked = typeof params.camera === "string" ? params.camera : "";
  const cameraId = cameras.some((c) => c.id === asked) ? asked : "";
  const timelapses = await listTimelapses(database, viewer, { cameraId: cameraId || null });
  const making = timelapses.some((x) => x.status === "queued" || x.status === "encoding");
  return (
    <>
      {making ? <AutoRefresh seconds={REFRESH_WHILE_MAKING_S} /> : null}
      <PageHeader title={t("timelapse.title")} />
      <TimelapseView
        cameras={cameras.map((c) => ({ id: c.id, name: c.name }))}
        cameraId={cameraId}
        timelapses={timelapses}
        maxRangeDays={TIMELAPSE_MAX_RANGE_DAYS}
        can={{ make: can(viewer.role, "timelapse:make"), delete: can(viewer.role, "events:delete"), download: can(viewer.role, "events:download") }}
      />
    </>
  );
}
