// Settings → Modes (admins): the mode in force and how it last changed; per mode its name, per camera "armed" and
// "notify", and its schedule (in the household's time zone, the server's, as for motion schedules); add and delete modes.
import { PageHeader } from "@/app/_components/page-header";
import { requirePageViewer } from "@/lib/auth/guard";
import { listVisibleCameras } from "@/lib/cameras/access";
import { db } from "@/lib/db";
import { getRequestLocale, getT } from "@/lib/http/locale";
import { formatDateTime } from "@/lib/i18n/format";
import { getModeState, localizeModeName } from "@/lib/modes/modes";
import { serverTimeZone } from "@/lib/time";
import { AddMode, ModeEditor } from "./modes-client";

export async function generateMetadata() {
  return { title: (await getT())("modes.title") };
}

export default async function ModesPage() {
  const viewer = await requirePageViewer({ permission: "settings:manage" });
  const database = await db();
  const [t, locale, raw, cameras] = await Promise.all([getT(), getRequestLocale(), getModeState(database), listVisibleCameras(database, viewer)]);
  const state = { ...raw, active: localizeModeName(raw.active, t), modes: raw.modes.map((m) => localizeModeName(m, t)) };
  const via = state.changedVia ? t(`modes.via${state.changedVia === "ui" ? "Ui" : state.changedVia === "api" ? "Api" : state.changedVia === "mqtt" ? "Mqtt" : "Schedule"}`) : null;
  const who = state.changedAt ? (state.changedBy ? t("modes.by", { name: state.changedBy.name ?? "—" }) : t("modes.byNightjar")) : null;
  return (
    <>
      <PageHeader title={t("modes.title")} />
      <p className="mb-6 max-w-3xl text-sm text-zinc-600 dark:text-zinc-400">{t("modes.intro")}</p>
      <section className="card mb-8" aria-labelledby="in-force-heading">
        <h2 id="in-force-heading" className="mb-2 text-lg font-semibold">
          {t("modes.inForce")}
        </h2>
        <p data-testid="mode-in-force" data-mode-id={state.active.id}>
          {state.changedAt ? t("modes.since", { mode: state.active.name, time: formatDateTime(locale, viewer.timeZone, state.changedAt) }) : t("modes.neverSwitched", { mode: state.active.name })}
          {via ? <span className="text-zinc-500"> · {[via, who].filter(Boolean).join(" ")}</span> : null}
        </p>
      </section>
      <div className="space-y-8">
        {state.modes.map((mode) => (
          <ModeEditor key={mode.id} mode={mode} cameras={cameras} timeZone={serverTimeZone()} isActive={mode.id === state.active.id} />
        ))}
      </div>
      <AddMode />
    </>
  );
}
