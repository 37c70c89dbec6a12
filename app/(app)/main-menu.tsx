"use client";
// The header's menu on narrow screens (below 1024 px): a "Menu" button (aria-expanded) folds the navigation and the
// account controls away; from 1024 px they stand in the header row and the button is gone (the panel is
// display: contents there, so its children take their places in the header's flex row). Closes on Escape (focus back
// on the button) and when the page changes.
import { usePathname } from "next/navigation";
import { useRef, useState, type ReactNode } from "react";

export function MainMenu({ label, children }: { label: string; children: ReactNode }) {
  const path = usePathname();
  const [open, setOpen] = useState(false);
  const [seenPath, setSeenPath] = useState(path);
  const button = useRef<HTMLButtonElement>(null);
  if (seenPath !== path) {
    setSeenPath(path);
    setOpen(false);
  }
  return (
    <>
      <button
        ref={button}
        type="button"
        aria-expanded={open}
        aria-controls="main-menu"
        data-testid="menu-button"
        className="order-3 inline-flex min-h-11 min-w-11 items-center justify-center gap-2 rounded-lg border border-zinc-300 px-3 text-sm font-medium text-zinc-800 hover:bg-zinc-50 lg:hidden dark:border-zinc-700 dark:text-zinc-100 dark:hover:bg-zinc-800"
        onClick={() => setOpen((o) => !o)}
      >
        <svg aria-hidden width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round">
          {open ? <path d="M6 6l12 12M18 6L6 18" /> : <path d="M4 6h16M4 12h16M4 18h16" />}
        </svg>
        {label}
      </button>
      <div
        id="main-menu"
        className={`${open ? "flex" : "hidden"} order-4 w-full flex-col gap-3 border-t border-zinc-200 pt-3 lg:contents dark:border-zinc-800`}
        onKeyDown={(e) => {
          if (e.key !== "Escape" || !open) return;
          setOpen(false);
          button.current?.focus();
        }}
      >
        {children}
      </div>
    </>
  );
}
