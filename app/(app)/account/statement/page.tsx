// The data statement: generated now from this installation (lib/privacy/statement.ts) in the member's language
// (statement-text.ts), the same as GET /api/privacy/statement.
import Link from "@/app/_components/link";
import { cookies } from "next/headers";
import { PageHeader } from "@/app/_components/page-header";
import { requirePageViewer } from "@/lib/auth/guard";
import { sessionCookieName } from "@/lib/auth/options";
import { db } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { getRequestLocale, getT } from "@/lib/http/locale";
import { buildDataStatement, sessionCookieBytes, statementOptionsFromEnv } from "@/lib/privacy/statement";
import { statementText } from "@/lib/privacy/statement-text";
import { ScrollArea } from "@/app/_components/scroll-area";

export const dynamic = "force-dynamic";

export async function generateMetadata() {
  return { title: (await getT())("privacy.statement.title") };
}

export default async function DataStatementPage() {
  const viewer = await requirePageViewer();
  const env = getEnv();
  const [t, locale, jar] = await Promise.all([getT(), getRequestLocale(), cookies()]);
  const statement = await buildDataStatement(await db(), env.dataDir, {
    ...statementOptionsFromEnv(env),
    viewer,
    sessionCookieBytes: sessionCookieBytes(jar.getAll(), sessionCookieName()),
  });
  const text = statementText(statement, locale, viewer.timeZone);
  return (
    <>
      <PageHeader title={text.title} />
      <p className="mb-4 max-w-3xl text-sm text-zinc-600 dark:text-zinc-400">{text.intro}</p>
      <div role="note" data-testid="nothing-leaves" className="mb-6 max-w-3xl rounded-lg border border-emerald-200 bg-emerald-50 p-4 text-sm text-emerald-900 dark:border-emerald-900 dark:bg-emerald-950 dark:text-emerald-100">
        <p className="font-medium">{text.nothingLeaves}</p>
        <p className="mt-2">
          {t("privacy.statement.integrations")}: <span data-testid="integrations">{text.integrations.join("; ")}</span>
        </p>
      </div>
      <p className="mb-1 text-sm" data-testid="totals">
        {text.totals}
      </p>
      <p className="mb-6 text-xs text-zinc-500">{text.dataFolder}</p>
      <div className="grid gap-6 lg:grid-cols-2">
        {text.items.map((item) => (
          <section key={item.kind} className="card" aria-labelledby={`kind-${item.kind}`} data-testid={`statement-${item.kind}`}>
            <h2 id={`kind-${item.kind}`} className="mb-3 text-lg font-semibold">
              {item.title}
            </h2>
            <dl className="space-y-3 text-sm">
              <div>
                <dt className="font-medium text-zinc-500">{t("privacy.statement.purpose")}</dt>
                <dd>{item.purpose}</dd>
              </div>
              <div>
                <dt className="font-medium text-zinc-500">{t("privacy.statement.format")}</dt>
                <dd>{item.format}</dd>
              </div>
              {item.processing.length ? (
                <div data-testid={`processing-${item.kind}`}>
                  <dt className="font-medium text-zinc-500">{t("privacy.statement.processing.label")}</dt>
                  {item.processing.map((line) => (
                    <dd key={line}>{line}</dd>
                  ))}
                </div>
              ) : null}
              <div>
                <dt className="font-medium text-zinc-500">{t("privacy.statement.volume")}</dt>
                <dd>
                  <ul className="list-inside list-disc">
                    {item.figures.map((f) => (
                      <li key={f.name} data-testid={`figure-${item.kind}-${f.name}`} data-value={f.value ?? ""}>
                        {f.text}
                      </li>
                    ))}
                  </ul>
                </dd>
              </div>
              <div>
                <dt className="font-medium text-zinc-500">{t("privacy.statement.stored")}</dt>
                <dd className="break-words font-mono text-xs">{item.stored}</dd>
              </div>
              <div>
                <dt className="font-medium text-zinc-500">{t("privacy.statement.kept")}</dt>
                <dd>{item.retention}</dd>
              </div>
              <div>
                <dt className="font-medium text-zinc-500">{t("privacy.statement.visibleTo")}</dt>
                <dd>{item.visibleTo}</dd>
              </div>
              {item.actions.length ? (
                <div>
                  <dt className="font-medium text-zinc-500">{t("privacy.statement.actions")}</dt>
                  <dd className="mt-1 flex flex-wrap gap-2">
                    {item.actions.map((a) => (
                      <Link key={a.action} href={a.href} className={a.action === "deleteAccount" ? "btn-danger px-3 py-1" : "btn-secondary px-3 py-1"}>
                        {a.label}
                      </Link>
                    ))}
                  </dd>
                </div>
              ) : null}
            </dl>
          </section>
        ))}
      </div>
      {text.cameras.length ? (
        <ScrollArea as="section" className="card mt-6 overflow-x-auto" aria-labelledby="cameras-heading">
          <h2 id="cameras-heading" className="mb-1 text-lg font-semibold">
            {t("privacy.statement.camerasTitle")}
          </h2>
          <p className="mb-3 text-sm text-zinc-500">{t("privacy.statement.camerasIntro", { days: 7 })}</p>
          <table className="w-full text-left text-sm">
            <thead className="text-xs uppercase text-zinc-500">
              <tr>
                <th className="py-2 pr-4">{t("privacy.statement.camera")}</th>
                <th className="py-2 pr-4">{t("privacy.statement.cameraState")}</th>
                <th className="py-2 pr-4">{t("privacy.statement.cameraKept")}</th>
                <th className="py-2 pr-4">{t("privacy.statement.cameraPerDay")}</th>
                <th className="py-2 pr-4">{t("privacy.statement.cameraChecks")}</th>
                <th className="py-2">{t("privacy.statement.cameraTimelapse")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
              {text.cameras.map((c, i) => (
                <tr key={c.id} data-testid="statement-camera">
                  <td className="py-2 pr-4 font-medium">{c.name}</td>
                  <td className="py-2 pr-4">{c.state}</td>
                  <td className="py-2 pr-4">{c.kept}</td>
                  <td className="py-2 pr-4" data-value={statement.cameras[i].bytesPerDay}>
                    {c.perDay}
                  </td>
                  <td className="py-2 pr-4">{c.checks}</td>
                  <td className="py-2" data-testid="statement-camera-timelapse">
                    {c.timelapse}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollArea>
      ) : null}
      <p className="mt-6 text-xs text-zinc-500">{t("privacy.statement.apiNote", { url: "/api/privacy/statement" })}</p>
    </>
  );
}
