"use client";
// How object labels read on the Events page: a label's name in the member's language, "person 87 %" chips (list,
// player), shared by the list, the timeline and the player.
import { isLabel } from "@/lib/detection/labels";
import type { EventLabelScore } from "@/lib/events/events";
import { useT } from "@/lib/i18n/client";

/** A score (0–1) as a whole percent. */
export const scorePercent = (score: number) => Math.round(score * 100);

/** The words for a label and for a label with its score; an unknown label (a newer server's) reads as it is. */
export function useLabelText() {
  const t = useT();
  const name = (label: string) => (isLabel(label) ? t(`detection.label.${label}`) : label);
  return { name, withScore: (label: string, score: number) => t("detection.chip", { label: name(label), percent: scorePercent(score) }) };
}

/** The labels of an event as chips, best score first (as the server sends them). */
export function LabelChips({ labels, className = "" }: { labels: EventLabelScore[]; className?: string }) {
  const t = useT();
  const text = useLabelText();
  if (labels.length === 0) return null;
  return (
    <ul aria-label={t("detection.eventLabels")} className={`flex flex-wrap gap-1.5 ${className}`} data-testid="event-labels">
      {labels.map((l) => (
        <li key={l.label} className="rounded-full bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-900 dark:bg-amber-950 dark:text-amber-200" data-testid="event-label" data-label={l.label}>
          {text.withScore(l.label, l.score)}
        </li>
      ))}
    </ul>
  );
}
