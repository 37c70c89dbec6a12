import Link from "@/app/_components/link";
import { AutoRefresh } from "@/app/_components/auto-refresh";
import { EmptyState, PageHeader } from "@/app/_components/page-header";
import { requirePageViewer } from "@/lib/auth/guard";
import { listCamerasFor } from "@/lib/cameras/cameras";
import { db } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { mediaEngineStatus } from "@/lib/ffmpeg/engine";
import { can } from "@/lib/household/roles";
import { getT } from "@/lib/http/locale";
import { StatusBadge } from "./status-badge";

export async function generateMetadata() {
  return { title: (await getT())("cameras.title") };
}

export default async function CamerasPage() {
  const viewer = await requirePageViewer();
  const [t, cameras] = await Promise.all([getT(), listCamerasFor(await db(), viewer)]);
  const isAdmin = can(viewer.role, "cameras:manage");
  const env = getEnv();
  const engine = await mediaEngineStatus(env.FFMPEG_PATH, env.FFPROBE_PATH);
  return (
    <>
      <AutoRefresh seconds={5} />
      {engine.ok ? null : (
        <section role="alert" aria-labelledby="engine-missing" className="card mb-4 border-red-300 dark:border-red-800">
          <h2 id="engine-missing" className="font-semibold text-red-700 dark:text-red-400">
            {t("cameras.engineMissingTitle")}
          </h2>
          <p className="text-sm">{t("cameras.engineMissingText")}</p>
          {isAdmin ? (
            <ul className="mt-2 list-disc pl-5 font-mono text-xs">
              {engine.problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          ) : null}
        </section>
      )}
      <PageHeader title={t("cameras.title")}>
        {isAdmin ? (
          <Link href="/cameras/add" className="btn-primary">
            {t("cameras.add")}
          </Link>
        ) : null}
      </PageHeader>
      {cameras.length === 0 ? (
        <EmptyState title={t("cameras.empty")} text={isAdmin ? t("cameras.emptyAdmin") : t("live.emptyMember")} />
      ) : (
        <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3" aria-label={t("cameras.title")}>
          {cameras.map((c) => (
            <li key={c.id} className="card flex flex-col gap-2" data-testid={`camera-${c.name}`}>
              <div className="flex items-start justify-between gap-2">
                <Link href={`/cameras/${c.id}`} className="text-lg font-semibold hover:underline">
                  {c.name}
                </Link>
              </div>
              <StatusBadge state={c.status.state} since={c.status.since} isEnabled={c.isEnabled} />
              <p className="text-sm text-zinc-600 dark:text-zinc-400">{[c.manufacturer, c.model].filter(Boolean).join(" ") || new URL(c.mainStreamUrl).host}</p>
              {c.status.width ? (
                <p className="text-xs text-zinc-500">
                  {c.status.width}×{c.status.height}
                  {c.status.fps ? ` · ${t("cameras.fps", { fps: c.status.fps })}` : ""}
                  {c.status.bitrateKbps ? ` · ${t("cameras.kbps", { kbps: c.status.bitrateKbps })}` : ""}
                </p>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
