import Link from "@/app/_components/link";
import { AuthCard } from "@/app/_components/auth-card";
import { db } from "@/lib/db";
import { findUsableInvite } from "@/lib/household/invites";
import { getHouseholdName } from "@/lib/household/household";
import { getRequestLocale } from "@/lib/http/locale";
import { translator } from "@/lib/i18n/translate";
import { InviteForm } from "./invite-form";

export const dynamic = "force-dynamic";

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const database = await db();
  const [invite, household, locale] = await Promise.all([findUsableInvite(database, token), getHouseholdName(database), getRequestLocale()]);
  const t = translator(locale);
  if (!invite || !household) {
    return (
      <AuthCard title={t("invite.invalidTitle")} intro={t("invite.invalidText")} locale={locale}>
        <Link href="/login" className="btn-secondary">
          {t("invite.toLogin")}
        </Link>
      </AuthCard>
    );
  }
  return (
    <AuthCard title={t("invite.title", { household })} intro={t("invite.intro", { role: t(`roles.${invite.role as "admin"}`) })} locale={locale}>
      <InviteForm token={token} fixedEmail={invite.email} locale={locale} />
    </AuthCard>
  );
}
