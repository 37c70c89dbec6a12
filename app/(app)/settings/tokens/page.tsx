// Settings → API tokens (admins): every member's personal access tokens, with Revoke.
import { PageHeader } from "@/app/_components/page-header";
import { apiTokenJson, listHouseholdTokens } from "@/lib/auth/api-tokens";
import { requirePageViewer } from "@/lib/auth/guard";
import { listVisibleCameras } from "@/lib/cameras/access";
import { db } from "@/lib/db";
import { getT } from "@/lib/http/locale";
import { HouseholdTokens } from "./household-tokens";

export async function generateMetadata() {
  return { title: (await getT())("tokens.householdTitle") };
}

export default async function HouseholdTokensPage() {
  const viewer = await requirePageViewer({ permission: "household:manage" });
  const database = await db();
  const [t, tokens, cameras] = await Promise.all([getT(), listHouseholdTokens(database, new Date()), listVisibleCameras(database, viewer)]);
  return (
    <>
      <PageHeader title={t("tokens.householdTitle")} />
      <p className="mb-6 max-w-3xl text-sm text-zinc-600 dark:text-zinc-400">{t("tokens.householdIntro")}</p>
      <section className="card">
        <HouseholdTokens tokens={tokens.map(apiTokenJson)} cameras={cameras} />
      </section>
    </>
  );
}
