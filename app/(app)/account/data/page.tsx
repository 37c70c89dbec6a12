// My data: everything Nightjar holds about me, the export of it, and deleting my account.
import Link from "@/app/_components/link";
import { LocalTime } from "@/app/_components/local-time";
import { PageHeader } from "@/app/_components/page-header";
import { requirePageViewer } from "@/lib/auth/guard";
import { listCamerasFor } from "@/lib/cameras/cameras";
import { db } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { getHouseholdName } from "@/lib/household/household";
import { LOCALE_NAMES, isLocale } from "@/lib/i18n/locales";
import { getT } from "@/lib/http/locale";
import { describeMyData } from "@/lib/privacy/my-data";
import { getPrivacySettings, mayExportMedia } from "@/lib/privacy/settings";
import { DeleteAccount } from "./delete-account";
import { ExportPanel } from "./export-panel";
import { countEnabledAdmins } from "@/lib/household/members";

export async function generateMetadata() {
  return { title: (await getT())("privacy.title") };
}

export default async function MyDataPage() {
  const viewer = await requirePageViewer();
  const database = await db();
  const [t, data, settings, cameras, householdName, admins] = await Promise.all([
    getT(),
    describeMyData(database, viewer.id),
    getPrivacySettings(database),
    listCamerasFor(database, viewer),
    getHouseholdName(database),
    countEnabledAdmins(database),
  ]);
  const a = data.account;
  const rows: [string, React.ReactNode][] = [
    [t("privacy.myData.email"), a.email],
    [t("privacy.myData.username"), a.username ?? t("privacy.myData.notSet")],
    [t("privacy.myData.displayName"), a.displayName ?? t("privacy.myData.notSet")],
    [t("privacy.myData.role"), `${t(`roles.${viewer.role}`)}${a.isOwner ? ` · ${t("privacy.myData.owner")}` : ""}`],
    [t("privacy.myData.language"), isLocale(a.locale) ? LOCALE_NAMES[a.locale] : t("privacy.myData.automatic")],
    [t("privacy.myData.timeZone"), a.timeZone ?? t("privacy.myData.automatic")],
    [t("privacy.myData.createdAt"), <LocalTime key="c" value={a.createdAt} />],
    [t("privacy.myData.passwordChangedAt"), <LocalTime key="p" value={a.passwordChangedAt} />],
    [t("privacy.myData.password"), t("privacy.myData.passwordValue", { bytes: a.passwordHashBytes })],
    [t("privacy.myData.sessions"), t("privacy.myData.sessionsValue", { days: getEnv().SESSION_DAYS })],
    [t("privacy.myData.signIns"), String(data.signIns)],
    [t("privacy.myData.lastSignIn"), <LocalTime key="l" value={data.lastSignInAt} fallback={t("privacy.myData.never")} />],
    [t("privacy.myData.activity"), String(data.activity)],
    [t("privacy.myData.exports"), String(data.exports)],
    [t("privacy.myData.invitesCreated"), String(data.invitesCreated)],
    [t("privacy.myData.apiTokens"), String(data.apiTokens)],
    [t("privacy.myData.notifications"), String(data.notifications)],
    [t("privacy.myData.pushDevices"), String(data.pushDevices)],
    [t("privacy.myData.reviewsMarked"), String(data.reviews.marked)],
    [t("privacy.myData.reviewedUpTo"), <LocalTime key="r" value={data.reviews.upTo} fallback={t("privacy.myData.never")} />],
    [t("privacy.myData.corrections"), String(data.corrections)],
    [t("privacy.myData.timelapsesRequested"), String(data.timelapsesRequested)],
    [t("privacy.myData.webhooksCreated"), String(data.webhooksCreated)],
    [
      t("privacy.myData.cameraAccess"),
      data.cameraAccess === null ? t("privacy.myData.allCameras") : data.cameraAccess.length ? data.cameraAccess.map((c) => c.name).join(", ") : t("privacy.myData.none"),
    ],
  ];
  // Exports: the cameras I may see; recordings only when the household allows it for my role.
  const exportProps = { cameras: cameras.map((c) => ({ id: c.id, name: c.name })), mediaAllowed: mayExportMedia(viewer.role, settings.exportMediaScope) };
  return (
    <>
      <PageHeader title={t("privacy.title")} />
      <p className="mb-6 max-w-3xl text-sm text-zinc-600 dark:text-zinc-400">{t("privacy.myData.intro")}</p>
      <div className="grid gap-6 lg:grid-cols-2">
        <section className="card lg:row-span-2" aria-labelledby="held-heading">
          <h2 id="held-heading" className="mb-4 text-lg font-semibold">
            {t("privacy.myData.heldTitle")}
          </h2>
          <dl className="grid grid-cols-1 gap-x-6 gap-y-3 text-sm sm:grid-cols-[auto_1fr]">
            {rows.map(([label, value], i) => (
              <div key={i} className="contents">
                <dt className="text-zinc-500">{label}</dt>
                <dd className="break-words" data-testid={`my-data-${i}`}>
                  {value}
                </dd>
              </div>
            ))}
          </dl>
          <p className="mt-4 text-xs text-zinc-500">{t("privacy.myData.recordingsNote")}</p>
          <p className="mt-4 flex flex-wrap gap-x-4 gap-y-1 text-sm">
            <Link href="/account" className="text-brand-600 hover:underline">
              {t("privacy.myData.editProfile")}
            </Link>
            <Link href="/account/activity" className="text-brand-600 hover:underline">
              {t("privacy.myData.seeActivity")}
            </Link>
            <Link href="/account/statement" className="text-brand-600 hover:underline">
              {t("privacy.myData.seeStatement")}
            </Link>
          </p>
        </section>
        <div id="export" className="scroll-mt-20">
          <ExportPanel cameras={exportProps.cameras} mediaAllowed={exportProps.mediaAllowed} />
        </div>
        <section id="delete" className="card scroll-mt-20 border-red-200 dark:border-red-900" aria-labelledby="delete-heading">
          <h2 id="delete-heading" className="mb-1 text-lg font-semibold">
            {a.isOwner ? t("privacy.deletion.ownerTitle") : t("privacy.deletion.title")}
          </h2>
          <p className="mb-4 text-sm text-zinc-600 dark:text-zinc-400">{a.isOwner ? t("privacy.deletion.ownerIntro") : t("privacy.deletion.intro")}</p>
          <DeleteAccount isOwner={a.isOwner} householdName={householdName ?? ""} isLastAdmin={viewer.role === "admin" && admins <= 1} />
        </section>
      </div>
    </>
  );
}
