// Account's sections: Profile, My data, Activity, Data statement. Hidden during a forced password change.
import type { ReactNode } from "react";
import { requirePageViewer } from "@/lib/auth/guard";
import { getT } from "@/lib/http/locale";
import { SubNav } from "./sub-nav";

export default async function AccountLayout({ children }: { children: ReactNode }) {
  const viewer = await requirePageViewer({ allowPendingPasswordChange: true });
  if (viewer.mustChangePassword) return <>{children}</>;
  const t = await getT();
  return (
    <>
      <SubNav
        label={t("privacy.nav.label")}
        links={[
          { href: "/account", label: t("privacy.nav.profile") },
          { href: "/account/data", label: t("privacy.nav.data") },
          { href: "/account/activity", label: t("privacy.nav.activity") },
          { href: "/account/statement", label: t("privacy.nav.statement") },
          { href: "/account/notifications", label: t("notifications.nav") },
          { href: "/account/tokens", label: t("tokens.nav") },
          { href: "/account/api", label: t("apiReference.nav") },
        ]}
      />
      {children}
    </>
  );
}
