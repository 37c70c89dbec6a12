import { PageHeader } from "@/app/_components/page-header";
import { requirePageViewer } from "@/lib/auth/guard";
import { db } from "@/lib/db";
import { isAppError } from "@/lib/errors";
import { listVisibleCameras } from "@/lib/cameras/access";
import { listDayEvents, listEvents, type EventFilters } from "@/lib/events/events";
import { countToReviewOnce } from "@/lib/events/review-request";
import { parseFilters, viewerTimeZone } from "@/lib/events/filters";
import { filterQueryString, readFilterQuery } from "@/lib/events/query";
import { isDay, todayIn } from "@/lib/time";
import { can } from "@/lib/household/roles";
import { getT } from "@/lib/http/locale";
import { EventsView } from "./events-view";

export async function generateMetadata() {
  return { title: (await getT())("events.title") };
}

export default async function EventsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const viewer = await requirePageViewer();
  const [t, database, params] = await Promise.all([getT(), db(), searchParams]);
  const timeZone = viewerTimeZone(viewer);
  const cameras = await listVisibleCameras(database, viewer);
  const query = readFilterQuery(params);
  // A camera in an old link that this member may no longer see is dropped rather than answered with an error page.
  const visible = new Set(cameras.map((c) => c.id));
  query.camera = query.camera.filter((id) => visible.has(id));

  let filters: EventFilters;
  let filterError: string | null = null;
  try {
    filters = parseFilters(query, timeZone);
  } catch (err) {
    if (!isAppError(err)) throw err;
    filterError = err.code === "invalid_date_range" ? t("errors.invalid_date_range") : t("events.invalidDate");
    filters = parseFilters({ ...query, from: "", to: "" }, timeZone); // the rest of the filters still apply
  }
  const today = todayIn(timeZone);
  const day = isDay(query.day) ? query.day : today;
  // The page opens on the member's review queue; show=all lists every event.
  const show = query.show === "all" ? "all" : "review";
  query.show = show;
  const [page, timeline, toReview] = await Promise.all([
    listEvents(database, viewer, { ...filters, toReview: show === "review" }),
    listDayEvents(database, viewer, { day, timeZone, cameraIds: filters.cameraIds, protected: filters.protected, labels: filters.labels }),
    countToReviewOnce(database, viewer.id, viewer.role), // the layout asked already: the same query, answered once
  ]);
  return (
    <>
      <PageHeader title={t("events.title")} />
      <EventsView
        key={filterQueryString({ ...query, day: "" })}
        query={query}
        filterError={filterError}
        cameras={cameras}
        initialPage={page}
        initialTimeline={timeline}
        toReview={toReview}
        today={today}
        can={{ protect: can(viewer.role, "events:protect"), delete: can(viewer.role, "events:delete"), correctDetections: can(viewer.role, "detections:correct") }}
      />
    </>
  );
}
