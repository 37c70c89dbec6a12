"use client";
import Link from "@/app/_components/link";
import { usePathname } from "next/navigation";
import { UnreadBadge } from "./notifications/live";

/** The main navigation: below 1024 px a two-column grid of 44 px tall links inside the header's menu; from 1024 px a
 * row that wraps (never a hidden horizontal scroll). A link: its badge follows unread notifications live; its count is as the page was rendered (events to review). */
export function NavLinks({ links }: { links: { href: string; label: string; badge?: { initial: number; label: string }; count?: { n: number; label: string } }[] }) {
  const path = usePathname();
  return (
    <ul className="grid grid-cols-2 gap-1 lg:flex lg:flex-wrap">
      {links.map((l) => {
        const active = path === l.href || path.startsWith(l.href + "/");
        return (
          <li key={l.href}>
            <Link
              href={l.href}
              aria-current={active ? "page" : undefined}
              className={`flex min-h-11 items-center rounded-md px-3 py-1.5 text-sm font-medium lg:block lg:min-h-0 ${active ? "bg-brand-50 text-brand-700 dark:bg-zinc-800 dark:text-white" : "text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"}`}
            >
              {l.label}
              {l.badge ? <UnreadBadge initial={l.badge.initial} label={l.badge.label} /> : null}
              {l.count && l.count.n > 0 ? (
                <span data-testid="nav-count" data-count={l.count.n} aria-label={l.count.label.replace("{count}", l.count.n >= 100 ? "99+" : String(l.count.n))} className="ml-1.5 inline-flex min-w-5 justify-center rounded-full bg-brand-600 px-1.5 text-xs font-semibold text-white">
                  {l.count.n >= 100 ? "99+" : l.count.n}
                </span>
              ) : null}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
