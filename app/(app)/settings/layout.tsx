// Settings' sections (admins): Household (members, invites, privacy settings), the household's activity log, Webhooks.
import type { ReactNode } from "react";
import { requirePageViewer } from "@/lib/auth/guard";
import { can } from "@/lib/household/roles";
import { getT } from "@/lib/http/locale";
import { SubNav } from "../account/sub-nav";

export default async function SettingsLayout({ children }: { children: ReactNode }) {
  const viewer = await requirePageViewer();
  const t = await getT();
  const links = [
    ...(can(viewer.role, "household:manage") ? [{ href: "/settings/household", label: t("privacy.settingsNav.household") }] : []),
    ...(can(viewer.role, "activity:household") ? [{ href: "/settings/activity", label: t("privacy.settingsNav.activity") }] : []),
    ...(can(viewer.role, "household:manage") ? [{ href: "/settings/webhooks", label: t("webhooks.nav") }] : []),
    ...(can(viewer.role, "household:manage") ? [{ href: "/settings/tokens", label: t("tokens.nav") }] : []),
    ...(can(viewer.role, "household:manage") ? [{ href: "/settings/modes", label: t("modes.nav") }] : []),
    ...(can(viewer.role, "household:manage") ? [{ href: "/settings/mqtt", label: t("mqtt.nav") }] : []),
    ...(can(viewer.role, "household:manage") ? [{ href: "/settings/email", label: t("notifications.emailNav") }] : []),
  ];
  return (
    <>
      {links.length > 1 ? <SubNav label={t("privacy.settingsNav.label")} links={links} /> : null}
      {children}
    </>
  );
}
