"use client";
// The filters: cameras, a date range (whole days in the member's time zone), protection and detected objects (a group
// or single kinds: label=person, label=cat…). They are a GET form, so they live in the address bar and a reload (or a
// shared link) keeps them. They fold away behind a "Filters" disclosure that says how many are active: folded on a
// phone (the timeline and the list come first), open from 1024 px wide, open whenever they carry an error.
import Form from "next/form";
import { useState, useSyncExternalStore } from "react";
import Link from "@/app/_components/link";
import { FormMessage } from "@/app/_components/fields";
import { LABELS, type LabelGroup } from "@/lib/detection/labels";
import type { FilterQuery } from "@/lib/events/query";
import { useT } from "@/lib/i18n/client";
import { useLabelText } from "./labels";

const GROUPS: LabelGroup[] = ["person", "animal", "vehicle"];
/** Kinds offered one by one: those of groups with more than one (person is its own group). */
const KINDS = LABELS.filter((l) => LABELS.filter((k) => k.group === l.group).length > 1);

/** Wide enough to show the filters unasked (Tailwind's lg). */
const WIDE = "(min-width: 1024px)";
const PANEL_ID = "event-filters";

function subscribeWide(onChange: () => void): () => void {
  const mq = window.matchMedia(WIDE);
  mq.addEventListener("change", onChange);
  return () => mq.removeEventListener("change", onChange);
}

/** Open or folded: what the member chose, else by the width (null while rendering on the server: CSS decides). */
export type FiltersState = { open: boolean | null; setOpen: (open: boolean) => void };

export function useFiltersOpen(forceOpen: boolean): FiltersState {
  const wide = useSyncExternalStore(subscribeWide, () => window.matchMedia(WIDE).matches, () => null);
  const [chosen, setOpen] = useState<boolean | null>(forceOpen ? true : null);
  return { open: chosen ?? wide, setOpen };
}

/** How many filters are set (cameras, from, to, protection, objects: each counts once). */
export function activeFilterCount(query: FilterQuery): number {
  return [query.camera.length > 0, !!query.from, !!query.to, !!query.protected, query.label.length > 0].filter(Boolean).length;
}

export function FiltersToggle({ query, state }: { query: FilterQuery; state: FiltersState }) {
  const t = useT();
  const n = activeFilterCount(query);
  return (
    <button type="button" className="btn-secondary px-3 py-1 text-sm" aria-expanded={state.open ?? false} aria-controls={PANEL_ID} data-testid="filters-toggle" onClick={() => state.setOpen(!state.open)}>
      <svg aria-hidden width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
        <path d="M3 5h18M6 12h12M10 19h4" />
      </svg>
      <span>{t("events.filters")}</span>
      {/* The name says "Filters, 2 active"; the eye sees a count badge (none when no filter is set). */}
      <span className="sr-only" data-testid="filters-active" data-count={n}>
        {", "}
        {t("events.filtersActive", { n })}
      </span>
      {n > 0 ? (
        <span aria-hidden className="inline-flex min-w-5 justify-center rounded-full bg-brand-600 px-1.5 text-xs font-semibold text-white">
          {n}
        </span>
      ) : null}
    </button>
  );
}

export function EventFilters({ query, cameras, day, error, state }: { query: FilterQuery; cameras: { id: string; name: string }[]; day: string; error: string | null; state: FiltersState }) {
  const t = useT();
  const labelText = useLabelText();
  const active = activeFilterCount(query) > 0;
  const kindsChosen = KINDS.some((k) => query.label.includes(k.label));
  const shown = state.open === null ? "hidden lg:block" : state.open ? "" : "hidden";
  return (
    <Form id={PANEL_ID} action="/events" aria-label={t("events.filters")} className={`card space-y-4 ${shown}`}>
      <div className="grid gap-4 md:grid-cols-[2fr_1fr_1fr_1fr]">
        <fieldset>
          <legend className="label">{t("events.cameras")}</legend>
          <div className="flex flex-wrap gap-x-4 gap-y-1">
            {cameras.map((c) => (
              <label key={c.id} className="flex min-h-11 items-center gap-2 text-sm lg:min-h-0">
                <input type="checkbox" name="camera" value={c.id} defaultChecked={query.camera.includes(c.id)} />
                {c.name}
              </label>
            ))}
          </div>
          <p className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">{t("events.allCamerasHint")}</p>
        </fieldset>
        <div>
          <label htmlFor="filter-from" className="label">
            {t("events.from")}
          </label>
          <input id="filter-from" name="from" type="date" className="input" defaultValue={/^\d{4}-\d{2}-\d{2}$/.test(query.from) ? query.from : ""} />
        </div>
        <div>
          <label htmlFor="filter-to" className="label">
            {t("events.to")}
          </label>
          <input id="filter-to" name="to" type="date" className="input" defaultValue={/^\d{4}-\d{2}-\d{2}$/.test(query.to) ? query.to : ""} />
        </div>
        <div>
          <label htmlFor="filter-protected" className="label">
            {t("events.protection")}
          </label>
          <select id="filter-protected" name="protected" className="input" defaultValue={query.protected}>
            <option value="">{t("events.protectionAll")}</option>
            <option value="yes">{t("events.protectionYes")}</option>
            <option value="no">{t("events.protectionNo")}</option>
          </select>
        </div>
      </div>
      <fieldset>
        <legend className="label">{t("detection.filter")}</legend>
        <div className="flex flex-wrap items-start gap-x-4 gap-y-1">
          {GROUPS.map((g) => (
            <label key={g} className="flex min-h-11 items-center gap-2 text-sm lg:min-h-0">
              <input type="checkbox" name="label" value={g} defaultChecked={query.label.includes(g)} />
              {t(`detection.group.${g}`)}
            </label>
          ))}
          <details className="text-sm" open={kindsChosen}>
            <summary className="cursor-pointer py-3 text-zinc-600 lg:py-0 dark:text-zinc-400">{t("detection.moreLabels")}</summary>
            <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
              {KINDS.map((k) => (
                <label key={k.label} className="flex min-h-11 items-center gap-2 lg:min-h-0">
                  <input type="checkbox" name="label" value={k.label} defaultChecked={query.label.includes(k.label)} />
                  {labelText.name(k.label)}
                </label>
              ))}
            </div>
          </details>
        </div>
        <p className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">{t("detection.filterHint")}</p>
      </fieldset>
      {day ? <input type="hidden" name="day" value={day} /> : null}
      <FormMessage error={error} />
      <div className="flex flex-wrap gap-3">
        <button type="submit" className="btn-primary">
          {t("events.applyFilters")}
        </button>
        {active ? (
          <Link href="/events" className="btn-secondary">
            {t("events.clearFilters")}
          </Link>
        ) : null}
      </div>
    </Form>
  );
}
