"use client";
import { useState } from "react";
import { api } from "@/app/_components/api";
import { LocalTime } from "@/app/_components/local-time";
import { useT } from "@/lib/i18n/client";

type Event = { id: number; at: string; kind: string; data: Record<string, unknown> };
type Page = { events: Event[]; nextBefore: number | null };

function summary(data: Record<string, unknown>): string {
  return Object.entries(data)
    .filter(([, v]) => v !== null && v !== undefined && v !== "")
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(", ") : String(v)}`)
    .join(" · ");
}

export function DiagnosticsLog({ cameraId, initial }: { cameraId: string; initial: Page }) {
  const t = useT();
  const [older, setOlder] = useState<Event[]>([]);
  const [next, setNext] = useState<number | null | undefined>(undefined);
  // The newest page comes from the server on every refresh; older pages are appended here.
  const cursor = next === undefined ? initial.nextBefore : next;
  const events = [...initial.events, ...older.filter((o) => !initial.events.some((e) => e.id === o.id))];
  return (
    <section className="card min-w-0" aria-labelledby="diagnostics-heading">
      <h2 id="diagnostics-heading" className="mb-4 text-lg font-semibold">
        {t("cameras.diagnostics")}
      </h2>
      {events.length === 0 ? (
        <p className="text-sm text-zinc-500">{t("cameras.noDiagnostics")}</p>
      ) : (
        // On a phone the times wrap and the details break anywhere: the table fits its card (min-w-0 in the grid).
        <table className="w-full text-left text-sm">
          <thead className="text-xs uppercase text-zinc-500">
            <tr>
              <th className="py-1 pr-3">{t("cameras.when")}</th>
              <th className="py-1 pr-3">{t("cameras.event")}</th>
              <th className="py-1">{t("cameras.detail")}</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800" data-testid="diagnostics">
            {events.map((e) => (
              <tr key={e.id} data-kind={e.kind}>
                <td className="py-2 pr-3 text-zinc-500 sm:whitespace-nowrap">
                  <LocalTime value={e.at} />
                </td>
                <td className="py-2 pr-3 font-medium">{t(`cameras.kind_${e.kind}`)}</td>
                <td className="py-2 break-all text-xs text-zinc-600 dark:text-zinc-400">{summary(e.data)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {cursor ? (
        <button
          type="button"
          className="btn-secondary mt-3"
          onClick={async () => {
            const res = await api<Page>(`/api/cameras/${cameraId}/diagnostics?before=${cursor}`);
            if (!res.ok) return;
            setOlder((o) => [...o, ...res.data.events]);
            setNext(res.data.nextBefore);
          }}
        >
          {t("cameras.olderEvents")}
        </button>
      ) : null}
    </section>
  );
}
