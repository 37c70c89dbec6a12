"use client";
// A section's own navigation (Account: Profile, My data, Activity, Data statement; Settings: Household, Activity log).
// The current page is the link whose address matches exactly. The links wrap onto a second row on a narrow screen
// (nothing hidden behind a sideways scroll), 44 px tall below 1024 px.
import Link from "@/app/_components/link";
import { usePathname } from "next/navigation";

export function SubNav({ label, links }: { label: string; links: { href: string; label: string }[] }) {
  const path = usePathname();
  return (
    <nav aria-label={label} className="mb-6 border-b border-zinc-200 dark:border-zinc-800">
      <ul className="-mb-px flex flex-wrap gap-x-1">
        {links.map((l) => {
          const active = path === l.href;
          return (
            <li key={l.href}>
              <Link
                href={l.href}
                aria-current={active ? "page" : undefined}
                className={`flex min-h-11 items-center whitespace-nowrap border-b-2 px-3 py-2 lg:block lg:min-h-0 text-sm font-medium ${active ? "border-brand-600 text-brand-700 dark:text-white" : "border-transparent text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100"}`}
              >
                {l.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
