import { LocalTime } from "@/app/_components/local-time";
import { PageHeader } from "@/app/_components/page-header";
import { requirePageViewer } from "@/lib/auth/guard";
import { db } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { can } from "@/lib/household/roles";
import { serverTimeZone } from "@/lib/time";
import { getRequestLocale, getT } from "@/lib/http/locale";
import { MIB } from "@/lib/i18n/format";
import { DEFAULT_RETENTION_DAYS } from "@/lib/retention/plan";
import { getStorageSummary } from "@/lib/retention/storage";
import { CAMERA_COLORS, dayLabel, DELETED_COLOR, EventsPerDayChart, StorageHistoryChart } from "./charts";
import { formatBytes } from "@/lib/i18n/format";
import { RunExpiryButton, StorageSettingsForm } from "./storage-client";
import { ScrollArea } from "@/app/_components/scroll-area";

export async function generateMetadata() {
  return { title: (await getT())("storage.title") };
}

function Bar({ label, percent, valueText }: { label: string; percent: number; valueText: string }) {
  const p = Math.max(0, Math.min(100, percent));
  const color = p >= 95 ? "bg-red-600" : p >= 80 ? "bg-amber-500" : "bg-brand-600";
  return (
    <div role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(p)} aria-valuetext={valueText} className="mt-1 h-2.5 w-full overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800">
      <div className={`h-full ${color}`} style={{ width: `${p}%` }} />
    </div>
  );
}

function Notice({ children }: { children: React.ReactNode }) {
  return (
    <div role="status" className="mb-4 rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200" data-testid="storage-notice">
      {children}
    </div>
  );
}

export default async function StoragePage() {
  const viewer = await requirePageViewer({ permission: "storage:view" });
  const env = getEnv();
  const [t, locale] = await Promise.all([getT(), getRequestLocale()]);
  const s = await getStorageSummary(await db(), { dataDir: env.dataDir, floorBytes: env.MEDIA_MIN_FREE_MB * MIB, now: new Date(), timeZone: viewer.timeZone || serverTimeZone() });
  const canManage = can(viewer.role, "settings:manage");
  const size = (n: number) => formatBytes(locale, n);
  const number = new Intl.NumberFormat(locale);
  const cameraName = (name: string | null) => name ?? t("storage.deletedCameras");

  const quotaPercent = s.quotaBytes ? (s.usedBytes / s.quotaBytes) * 100 : 0;
  const diskUsedPercent = s.disk && s.disk.totalBytes > 0 ? ((s.disk.totalBytes - s.disk.freeBytes) / s.disk.totalBytes) * 100 : 0;
  const fullIn =
    s.daysUntilFull === null
      ? t("storage.notFilling")
      : t(s.fullBy === "quota" ? "storage.fullInQuota" : "storage.fullInDisk", { days: Math.round(s.daysUntilFull) });
  const series = s.eventsPerDay.series.map((x, i) => ({ ...x, name: cameraName(x.name), color: x.cameraId === null ? DELETED_COLOR : CAMERA_COLORS[i % CAMERA_COLORS.length] }));
  const eventsTotal = series.reduce((n, x) => n + x.counts.reduce((a, b) => a + b, 0), 0);
  const days = s.history.days;

  return (
    <>
      <PageHeader title={t("storage.title")}>{canManage ? <RunExpiryButton /> : null}</PageHeader>
      <p className="-mt-3 mb-6 text-sm text-zinc-600 dark:text-zinc-400">{t("storage.expiryNote")}</p>
      {s.warnings.includes("protected_over_quota") && s.quotaBytes !== null ? <Notice>{t("storage.warnProtectedOverQuota", { protected: size(s.protectedBytes), quota: size(s.quotaBytes) })}</Notice> : null}
      {s.isBelowFloor ? <Notice>{t("storage.warnBelowFloor", { floor: size(s.floorBytes) })}</Notice> : null}

      <section className="card mb-6" aria-labelledby="usage-heading">
        <h2 id="usage-heading" className="mb-4 text-lg font-semibold">
          {t("storage.usageHeading")}
        </h2>
        <dl className="grid grid-cols-1 gap-x-8 gap-y-4 text-sm sm:grid-cols-2 lg:grid-cols-3">
          <div>
            <dt className="text-zinc-500">{t("storage.usedLabel")}</dt>
            <dd data-testid="storage-used">
              <span className="text-lg font-semibold">{size(s.usedBytes)}</span>
              {s.protectedBytes > 0 ? <span className="ml-2 text-zinc-500">{t("storage.protectedValue", { size: size(s.protectedBytes) })}</span> : null}
            </dd>
          </div>
          <div>
            <dt className="text-zinc-500">{t("storage.timelapseLabel")}</dt>
            <dd data-testid="storage-timelapse">
              {s.timelapse.count === 0
                ? t("storage.timelapseNone")
                : t("storage.timelapseValue", { size: size(s.timelapse.bytes), count: s.timelapse.count, videos: size(s.timelapse.videoBytes), frames: size(s.timelapse.framesBytes) })}
            </dd>
          </div>
          <div>
            <dt className="text-zinc-500">{t("storage.eventCacheLabel")}</dt>
            <dd data-testid="storage-event-cache" data-bytes={s.eventCache.bytes}>
              {t("storage.eventCacheValue", { size: size(s.eventCache.bytes), max: size(s.eventCache.maxBytes) })}
            </dd>
          </div>
          <div>
            <dt className="text-zinc-500">{t("storage.quotaLabel")}</dt>
            <dd data-testid="storage-quota">
              {s.quotaBytes === null ? (
                t("storage.noQuota")
              ) : (
                <>
                  {t("storage.quotaValue", { used: size(s.usedBytes), quota: size(s.quotaBytes), percent: number.format(Math.round(quotaPercent)) })}
                  <Bar label={t("storage.quotaBar")} percent={quotaPercent} valueText={t("storage.quotaValue", { used: size(s.usedBytes), quota: size(s.quotaBytes), percent: number.format(Math.round(quotaPercent)) })} />
                </>
              )}
            </dd>
          </div>
          <div>
            <dt className="text-zinc-500">{t("storage.diskLabel")}</dt>
            <dd data-testid="storage-disk">
              {s.disk ? (
                <>
                  {t("storage.diskValue", { free: size(s.disk.freeBytes), total: size(s.disk.totalBytes) })}
                  <Bar label={t("storage.diskBar")} percent={diskUsedPercent} valueText={t("storage.diskValue", { free: size(s.disk.freeBytes), total: size(s.disk.totalBytes) })} />
                </>
              ) : (
                t("storage.diskUnknown")
              )}
            </dd>
          </div>
          <div>
            <dt className="text-zinc-500">{t("storage.rateLabel")}</dt>
            <dd data-testid="storage-rate">
              {t("storage.rateValue", { size: size(s.bytesPerDay) })}
              <span className="block text-xs text-zinc-500">{t("storage.rateHint", { days: Math.round(s.measuredDays) })}</span>
            </dd>
          </div>
          <div>
            <dt className="text-zinc-500">{t("storage.fullLabel")}</dt>
            <dd data-testid="storage-full-in">{fullIn}</dd>
          </div>
        </dl>
      </section>

      <div className="mb-6 grid grid-cols-1 gap-6 lg:grid-cols-2">
        <section className="card" aria-labelledby="cameras-heading">
          <h2 id="cameras-heading" className="mb-4 text-lg font-semibold">
            {t("storage.camerasHeading")}
          </h2>
          <ScrollArea className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">{t("storage.camerasCaption")}</caption>
              <thead className="text-xs uppercase text-zinc-500">
                <tr>
                  <th scope="col" className="py-2 pr-4">
                    {t("storage.colCamera")}
                  </th>
                  <th scope="col" className="py-2 pr-4 text-right">
                    {t("storage.colEvents")}
                  </th>
                  <th scope="col" className="py-2 pr-4 text-right">
                    {t("storage.colUsed")}
                  </th>
                  <th scope="col" className="py-2 pr-4">
                    {t("storage.colOldest")}
                  </th>
                  <th scope="col" className="py-2 pr-4">
                    {t("storage.colKeep")}
                  </th>
                  {/* Last, so that the columns before it keep their places for suites that read them by position. */}
                  <th scope="col" className="py-2 text-right">
                    {t("storage.colTimelapse")}
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
                {s.cameras.map((c) => (
                  <tr key={c.cameraId ?? "deleted"} data-testid="storage-camera">
                    <th scope="row" className="py-2 pr-4 font-medium">
                      {cameraName(c.name)}
                    </th>
                    <td className="py-2 pr-4 text-right tabular-nums">{number.format(c.events)}</td>
                    <td className="py-2 pr-4 text-right tabular-nums">{size(c.bytes)}</td>
                    <td className="py-2 pr-4">
                      <LocalTime value={c.oldest} />
                    </td>
                    <td className="py-2 pr-4">{t("storage.keepDays", { days: c.retentionDays ?? DEFAULT_RETENTION_DAYS })}</td>
                    <td className="py-2 text-right tabular-nums" data-testid="storage-camera-timelapse">{c.timelapseBytes > 0 ? size(c.timelapseBytes) : "–"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollArea>
          <p className="mt-2 text-xs text-zinc-500">{t("storage.timelapseNote")}</p>
        </section>

        <section className="card" aria-labelledby="next-heading">
          <h2 id="next-heading" className="mb-1 text-lg font-semibold">
            {t("storage.nextHeading")}
          </h2>
          <p className="mb-4 text-sm text-zinc-600 dark:text-zinc-400">{t("storage.nextIntro")}</p>
          {s.next.length === 0 ? (
            <p className="text-sm text-zinc-500">{t("storage.nextEmpty")}</p>
          ) : (
            <ScrollArea className="overflow-x-auto">
              <table className="w-full text-left text-sm">
                <caption className="sr-only">{t("storage.nextCaption")}</caption>
                <thead className="text-xs uppercase text-zinc-500">
                  <tr>
                    <th scope="col" className="py-2 pr-4">
                      {t("storage.colWhen")}
                    </th>
                    <th scope="col" className="py-2 pr-4">
                      {t("storage.colCamera")}
                    </th>
                    <th scope="col" className="py-2 pr-4">
                      {t("storage.colRecorded")}
                    </th>
                    <th scope="col" className="py-2 pr-4 text-right">
                      {t("storage.colSize")}
                    </th>
                    <th scope="col" className="py-2">
                      {t("storage.colReason")}
                    </th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
                  {s.next.map((n) => (
                    <tr key={n.id} data-testid="storage-next">
                      <td className="py-2 pr-4">{n.at === s.now ? t("storage.dueNow") : <LocalTime value={n.at} />}</td>
                      <td className="py-2 pr-4">
                        {n.cameraName}
                        {n.kind === "timelapse" ? <span className="ml-2 rounded bg-zinc-100 px-1.5 py-0.5 text-xs text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300">{t("storage.timelapseTag")}</span> : null}
                      </td>
                      <td className="py-2 pr-4">
                        <LocalTime value={n.startedAt} />
                      </td>
                      <td className="py-2 pr-4 text-right tabular-nums">{size(n.bytes)}</td>
                      <td className="py-2">{t(`storage.reason_${n.reason}` as const)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollArea>
          )}
        </section>
      </div>

      <div className="mb-6 grid grid-cols-1 gap-6 lg:grid-cols-2">
        <section className="card" aria-labelledby="history-heading">
          <h2 id="history-heading" className="mb-4 text-lg font-semibold">
            {t("storage.historyHeading")}
          </h2>
          <StorageHistoryChart
            days={days}
            bytes={s.history.bytes}
            locale={locale}
            label={t("storage.historyLabel", { from: dayLabel(locale, days[0]), to: dayLabel(locale, days[days.length - 1]), start: size(s.history.bytes[0] ?? 0), end: size(s.history.bytes.at(-1) ?? 0) })}
          />
          <p className="mt-2 text-xs text-zinc-500">{t("storage.historyNote")}</p>
        </section>
        <section className="card" aria-labelledby="events-chart-heading">
          <h2 id="events-chart-heading" className="mb-4 text-lg font-semibold">
            {t("storage.eventsHeading")}
          </h2>
          {eventsTotal === 0 ? (
            <p className="text-sm text-zinc-500">{t("storage.noEvents")}</p>
          ) : (
            <>
              <EventsPerDayChart days={days} series={series} locale={locale} label={t("storage.eventsLabel", { count: eventsTotal })} />
              <ul className="mt-3 flex flex-wrap gap-x-4 gap-y-1 text-xs text-zinc-600 dark:text-zinc-400">
                {series.map((x) => (
                  <li key={x.cameraId ?? "deleted"} className="flex items-center gap-1.5">
                    <span aria-hidden className="inline-block h-3 w-3 rounded-sm" style={{ backgroundColor: x.color }} />
                    {x.name}: {number.format(x.counts.reduce((a, b) => a + b, 0))}
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      </div>

      {canManage ? <StorageSettingsForm initial={s.settings} /> : null}
    </>
  );
}
