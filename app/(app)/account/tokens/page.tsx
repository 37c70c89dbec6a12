// Account → API tokens: my personal access tokens (create one, shown once; revoke), limited to my role's scopes and
// the cameras I see.
import { PageHeader } from "@/app/_components/page-header";
import { apiTokenJson, listApiTokens } from "@/lib/auth/api-tokens";
import { requirePageViewer } from "@/lib/auth/guard";
import { scopesForRole } from "@/lib/auth/scopes";
import { listVisibleCameras } from "@/lib/cameras/access";
import { db } from "@/lib/db";
import { getT } from "@/lib/http/locale";
import { TokensClient } from "./tokens-client";

export async function generateMetadata() {
  return { title: (await getT())("tokens.title") };
}

export default async function TokensPage() {
  const viewer = await requirePageViewer();
  const database = await db();
  const [t, tokens, cameras] = await Promise.all([getT(), listApiTokens(database, viewer.id, new Date()), listVisibleCameras(database, viewer)]);
  return (
    <>
      <PageHeader title={t("tokens.title")} />
      <p className="mb-2 max-w-3xl text-sm text-zinc-600 dark:text-zinc-400">{t("tokens.intro")}</p>
      <p className="mb-6 max-w-3xl text-sm text-zinc-600 dark:text-zinc-400">
        <code className="font-mono text-xs">{t("tokens.usage")}</code>
      </p>
      <TokensClient allowedScopes={scopesForRole(viewer.role)} cameras={cameras} tokens={tokens.map(apiTokenJson)} />
    </>
  );
}
