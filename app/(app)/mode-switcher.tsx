"use client";
// The household mode in the header: a select for admins and members (modes:switch), shown disabled to viewers.
// Switching calls POST /api/household/modes/active and re-renders the page (cameras' arming changes with it).
import { useRouter } from "next/navigation";
import { useState } from "react";
import { api, errorMessage } from "@/app/_components/api";
import { useHydrated } from "@/app/_components/hydrated";
import { useT } from "@/lib/i18n/client";

export function ModeSwitcher({ modes, activeId, canSwitch }: { modes: { id: string; name: string }[]; activeId: string; canSwitch: boolean }) {
  const t = useT();
  const router = useRouter();
  const hydrated = useHydrated();
  const [value, setValue] = useState(activeId);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // A switch elsewhere (another tab, the schedule) shows after the next render of the layout.
  const [seen, setSeen] = useState(activeId);
  if (seen !== activeId) {
    setSeen(activeId);
    setValue(activeId);
  }

  async function change(id: string) {
    const before = value;
    setValue(id);
    setBusy(true);
    setError(null);
    const res = await api("/api/household/modes/active", { body: { mode: id } });
    setBusy(false);
    if (!res.ok) {
      setValue(before);
      return setError(errorMessage(res.error, t("modes.switchFailed")));
    }
    router.refresh();
  }

  return (
    <div className="flex min-w-0 flex-wrap items-center gap-x-2">
      <select
        aria-label={t("modes.switcher")}
        title={canSwitch ? undefined : t("modes.switcherHint")}
        className="min-h-11 max-w-28 rounded sm:max-w-40 border border-zinc-300 bg-white px-2 py-1 text-sm lg:min-h-0 dark:border-zinc-700 dark:bg-zinc-900"
        value={value}
        disabled={!canSwitch || !hydrated || busy}
        data-testid="mode-switcher"
        onChange={(e) => void change(e.target.value)}
      >
        {modes.map((m) => (
          <option key={m.id} value={m.id}>
            {m.name}
          </option>
        ))}
      </select>
      {error ? (
        <span role="alert" className="text-xs text-red-600 dark:text-red-400">
          {error}
        </span>
      ) : null}
    </div>
  );
}
