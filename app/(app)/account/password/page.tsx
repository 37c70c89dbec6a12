// The forced password change after signing in with a temporary password.
import { redirect } from "next/navigation";
import { requirePageViewer } from "@/lib/auth/guard";
import { getT } from "@/lib/http/locale";
import { PasswordForm } from "../password-form";

export async function generateMetadata() {
  return { title: (await getT())("account.forcedTitle") };
}

export default async function ForcedPasswordPage() {
  const viewer = await requirePageViewer({ allowPendingPasswordChange: true });
  if (!viewer.mustChangePassword) redirect("/account");
  const t = await getT();
  return (
    <section className="card mx-auto max-w-md">
      <h1 className="mb-2 text-xl font-semibold">{t("account.forcedTitle")}</h1>
      <p className="mb-5 text-sm text-zinc-600 dark:text-zinc-400">{t("account.forcedIntro")}</p>
      <PasswordForm after="/live" />
    </section>
  );
}
