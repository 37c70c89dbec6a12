import { redirect } from "next/navigation";
import { AuthCard } from "@/app/_components/auth-card";
import { getViewer } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { isSetUp } from "@/lib/household/setup";
import { getRequestLocale, getT } from "@/lib/http/locale";
import { translator } from "@/lib/i18n/translate";
import { LoginForm } from "./login-form";

export const dynamic = "force-dynamic";

export async function generateMetadata() {
  return { title: (await getT())("login.title") };
}

export default async function LoginPage() {
  if (!(await isSetUp(await db()))) redirect("/setup");
  if (await getViewer()) redirect("/live");
  const locale = await getRequestLocale();
  const t = translator(locale);
  return (
    <AuthCard title={t("login.title")} locale={locale}>
      <LoginForm />
    </AuthCard>
  );
}
