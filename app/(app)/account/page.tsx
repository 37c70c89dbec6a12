import { PageHeader } from "@/app/_components/page-header";
import { getProfile } from "@/lib/account/profile";
import { requirePageViewer } from "@/lib/auth/guard";
import { db } from "@/lib/db";
import { serverTimeZone } from "@/lib/time";
import { getT } from "@/lib/http/locale";
import { AccountClient } from "./account-client";
import { PasswordForm } from "./password-form";

export async function generateMetadata() {
  return { title: (await getT())("account.title") };
}

export default async function AccountPage() {
  const viewer = await requirePageViewer();
  const [t, profile] = await Promise.all([getT(), getProfile(await db(), viewer.id)]);
  return (
    <>
      <PageHeader title={t("account.title")} />
      <div className="grid gap-6 lg:grid-cols-2">
        <AccountClient
          profile={{ email: profile.email, username: profile.username, displayName: profile.displayName, locale: profile.locale, timeZone: profile.timeZone, role: profile.role, createdAt: profile.createdAt.toISOString() }}
          timeZones={Intl.supportedValuesOf("timeZone")}
          serverZone={serverTimeZone()}
        />
        <section className="card lg:self-start" aria-labelledby="password-heading">
          <h2 id="password-heading" className="mb-4 text-lg font-semibold">
            {t("account.passwordTitle")}
          </h2>
          <PasswordForm />
        </section>
      </div>
    </>
  );
}
