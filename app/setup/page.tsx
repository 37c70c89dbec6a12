import { redirect } from "next/navigation";
import { AuthCard } from "@/app/_components/auth-card";
import { db } from "@/lib/db";
import { isSetUp } from "@/lib/household/setup";
import { getRequestLocale, getT } from "@/lib/http/locale";
import { translator } from "@/lib/i18n/translate";
import { SetupForm } from "./setup-form";

export const dynamic = "force-dynamic";

export async function generateMetadata() {
  return { title: (await getT())("setup.title") };
}

export default async function SetupPage() {
  // Once the owner exists, /setup is gone.
  if (await isSetUp(await db())) redirect("/login");
  const locale = await getRequestLocale();
  const t = translator(locale);
  return (
    <AuthCard title={t("setup.title")} intro={t("setup.intro")} locale={locale}>
      <SetupForm locale={locale} />
    </AuthCard>
  );
}
