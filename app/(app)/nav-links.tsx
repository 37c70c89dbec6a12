"use client";
import Link from "@/app/_components/link";
import { usePathname } from "next/navigation";
import { UnreadBadge } from "./notifications/live";

export function NavLinks({ links }: { links: { href: string; label: string; badge?: { initial: number; label: string } }[] }) {
  const path = usePathname();
  return (
    <ul className="flex gap-1 overflow-x-auto">
      {links.map((l) => {
        const active = path === l.href || path.startsWith(l.href + "/");
        return (
          <li key={l.href}>
            <Link
              href={l.href}
              aria-current={active ? "page" : undefined}
              className={`block rounded-md px-3 py-1.5 text-sm font-medium ${active ? "bg-brand-50 text-brand-700 dark:bg-zinc-800 dark:text-white" : "text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"}`}
            >
              {l.label}
              {l.badge ? <UnreadBadge initial={l.badge.initial} label={l.badge.label} /> : null}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
