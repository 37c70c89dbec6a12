import type { ReactNode } from "react";

export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="mb-4 flex flex-wrap items-center justify-between gap-3 lg:mb-6">
      <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
      {children}
    </div>
  );
}

export function EmptyState({ title, text }: { title: string; text?: string }) {
  return (
    <div className="card flex flex-col items-center py-12 text-center">
      <p className="font-medium">{title}</p>
      {text ? <p className="mt-1 text-sm text-zinc-500 dark:text-zinc-400">{text}</p> : null}
    </div>
  );
}
