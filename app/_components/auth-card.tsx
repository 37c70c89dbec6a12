// The centred card that the signed-out pages (setup, sign-in, invite) share.
import type { ReactNode } from "react";
import type { Locale } from "@/lib/i18n/locales";
import { LanguagePicker } from "./language-picker";

export function AuthCard({ title, intro, locale, children }: { title: string; intro?: ReactNode; locale: Locale; children: ReactNode }) {
  return (
    <main className="flex min-h-screen flex-col items-center justify-center px-4 py-10">
      <div className="mb-6 flex items-center gap-2 text-lg font-semibold">
        <span aria-hidden className="inline-block h-7 w-7 rounded-full bg-brand-600" />
        Nightjar
      </div>
      <section className="card w-full max-w-md">
        <h1 className="mb-2 text-xl font-semibold">{title}</h1>
        {intro ? <div className="mb-5 text-sm text-zinc-600 dark:text-zinc-400">{intro}</div> : null}
        {children}
      </section>
      <div className="mt-6">
        <LanguagePicker current={locale} />
      </div>
    </main>
  );
}
