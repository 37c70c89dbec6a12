"use client";
// The Events page's keyboard shortcuts: the one list (shown in the help dialog, "?") and the rule for when a key is
// not a shortcut (typing in a field, a modifier held). The keys themselves are handled where their action lives:
// the page (next/previous event, help) and the player (play/pause, frame step, speed, reviewed, protect, delete).
import { useEffect, useRef } from "react";
import { useT } from "@/lib/i18n/client";
import { Modal } from "./modal";

/** The shortcuts, in the order the help lists them: keys as shown, and the message that says what they do. */
export const SHORTCUTS = [
  { keys: ["j"], action: "next" },
  { keys: ["k"], action: "previous" },
  { keys: ["Space"], action: "playPause" },
  { keys: [","], action: "frameBack" },
  { keys: ["."], action: "frameForward" },
  { keys: ["<"], action: "slower" },
  { keys: [">"], action: "faster" },
  { keys: ["r"], action: "reviewed" },
  { keys: ["p"], action: "protect" },
  { keys: ["Delete", "#"], action: "delete" },
  { keys: ["?"], action: "help" },
] as const;

/** The timeline's keys (while it has focus: app/(app)/events/timeline.tsx handles them), listed after the page's. */
export const TIMELINE_SHORTCUTS = [
  { keys: ["←", "→"], action: "timelineMove" },
  { keys: ["Shift", "←", "→"], action: "timelineEvent" },
  { keys: ["+", "-"], action: "timelineZoom" },
  { keys: ["PageUp", "PageDown"], action: "timelinePage" },
  { keys: ["Home", "End"], action: "timelineEnds" },
  { keys: ["Enter"], action: "timelineOpen" },
] as const;

/** True when a key press belongs to what the member is typing or to a browser shortcut, not to the page. */
export function isTyping(e: KeyboardEvent): boolean {
  if (e.ctrlKey || e.metaKey || e.altKey) return true;
  const el = e.target as HTMLElement | null;
  if (!el) return false;
  return el.isContentEditable || el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT";
}

/** Calls `handle` with every key pressed on the page while the component is mounted (always its latest version). */
export function useKeys(handle: (e: KeyboardEvent) => void): void {
  const latest = useRef(handle);
  useEffect(() => {
    latest.current = handle;
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => latest.current(e);
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);
}

export function ShortcutsHelp({ onClose }: { onClose: () => void }) {
  const t = useT();
  return (
    <Modal labelledBy="shortcuts-title" onClose={onClose}>
      <h2 id="shortcuts-title" className="text-lg font-semibold">
        {t("events.shortcutsTitle")}
      </h2>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm" data-testid="shortcuts">
        {SHORTCUTS.map((s) => (
          <div key={s.action} className="contents">
            <dt className="flex gap-1">
              {s.keys.map((k) => (
                <kbd key={k} className="rounded border border-zinc-300 px-1.5 font-mono text-xs dark:border-zinc-700">
                  {k}
                </kbd>
              ))}
            </dt>
            <dd>{t(`events.shortcut_${s.action}` as const)}</dd>
          </div>
        ))}
      </dl>
      <h3 id="timeline-shortcuts-title" className="text-sm font-semibold">
        {t("events.shortcutsTimeline")}
      </h3>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm" aria-labelledby="timeline-shortcuts-title" data-testid="timeline-shortcuts">
        {TIMELINE_SHORTCUTS.map((s) => (
          <div key={s.action} className="contents">
            <dt className="flex gap-1">
              {s.keys.map((k) => (
                <kbd key={k} className="rounded border border-zinc-300 px-1.5 font-mono text-xs dark:border-zinc-700">
                  {k}
                </kbd>
              ))}
            </dt>
            <dd>{t(`events.shortcut_${s.action}` as const)}</dd>
          </div>
        ))}
      </dl>
      <div className="flex justify-end">
        <button type="button" className="btn-secondary" onClick={onClose}>
          {t("events.close")}
        </button>
      </div>
    </Modal>
  );
}
