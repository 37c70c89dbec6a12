import type { ReactNode } from "react";
import { requirePageViewer } from "@/lib/auth/guard";
import { db } from "@/lib/db";
import { getHouseholdName } from "@/lib/household/household";
import { can } from "@/lib/household/roles";
import { getT } from "@/lib/http/locale";
import { countUnread } from "@/lib/notifications/centre";
import { countToReviewOnce } from "@/lib/events/review-request";
import { getModeState, localizeModeName } from "@/lib/modes/modes";
import { MainMenu } from "./main-menu";
import { ModeSwitcher } from "./mode-switcher";
import { NavLinks } from "./nav-links";
import { ServiceWorkerRegistration } from "./service-worker-registration";
import { SignOutButton } from "./sign-out-button";

export const dynamic = "force-dynamic";

export default async function AppLayout({ children }: { children: ReactNode }) {
  const viewer = await requirePageViewer({ allowPendingPasswordChange: true });
  const [t, household, unread, toReview] = await Promise.all([
    getT(),
    getHouseholdName(await db()),
    countUnread(await db(), viewer.id),
    viewer.mustChangePassword ? 0 : countToReviewOnce(await db(), viewer.id, viewer.role),
  ]);
  const links = [
    { href: "/live", label: t("nav.live") },
    { href: "/events", label: t("nav.events"), count: { n: toReview, label: t("events.navToReview") } },
    { href: "/timelapse", label: t("timelapse.nav") },
    { href: "/cameras", label: t("nav.cameras") },
    { href: "/notifications", label: t("notifications.nav"), badge: { initial: unread, label: t("notifications.centre.unreadCount") } },
    ...(can(viewer.role, "storage:view") ? [{ href: "/storage", label: t("nav.storage") }] : []),
    ...(can(viewer.role, "settings:manage") ? [{ href: "/settings", label: t("nav.settings") }] : []),
    { href: "/account", label: t("nav.account") },
  ];
  const name = viewer.displayName || viewer.email;
  const modes = viewer.mustChangePassword ? null : await getModeState(await db(), { withChangedBy: false });
  return (
    <div className="min-h-screen">
      <a href="#content" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2">
        {t("nav.skipToContent")}
      </a>
      <header className="sticky top-0 z-40 border-b border-zinc-200 bg-white/90 backdrop-blur dark:border-zinc-800 dark:bg-zinc-900/90">
        {/* Below 1024 px: Nightjar, the mode, and a Menu button that unfolds the navigation and the account row. From
            1024 px: Nightjar, the navigation, then the mode and the account on the right (the menu's panel is
            display: contents there, so CSS order places its children in this row). */}
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-2 gap-y-2 px-4 py-2 sm:gap-x-3 lg:gap-x-6 lg:py-3">
          <div className="order-1 flex min-w-0 items-center gap-2 font-semibold">
            <span aria-hidden className="inline-block h-6 w-6 shrink-0 rounded-full bg-brand-600" />
            <span>Nightjar</span>
            {household ? <span className="hidden truncate text-sm font-normal text-zinc-500 sm:inline">· {household}</span> : null}
          </div>
          <div className="order-2 ml-auto flex min-w-0 items-center text-sm lg:order-3 lg:ml-0">
            {modes ? <ModeSwitcher modes={modes.modes.map((m) => ({ id: m.id, name: localizeModeName(m, t).name }))} activeId={modes.active.id} canSwitch={can(viewer.role, "modes:switch")} /> : null}
          </div>
          <MainMenu label={t("nav.menu")}>
            <nav aria-label={t("nav.main")} className="lg:order-2">
              <NavLinks links={viewer.mustChangePassword ? [] : links} />
            </nav>
            <div className="flex flex-wrap items-center justify-between gap-3 text-sm lg:order-4 lg:ml-auto">
              <span className="text-zinc-600 dark:text-zinc-400" data-testid="signed-in-as">
                {t("nav.signedInAs", { name })}
              </span>
              <SignOutButton label={t("common.signOut")} />
            </div>
          </MainMenu>
        </div>
      </header>
      <main id="content" className="mx-auto max-w-6xl px-4 py-4 lg:py-6">
        {children}
      </main>
      <ServiceWorkerRegistration />
    </div>
  );
}
