"use client";
// Language choice for signed-out pages: remembered in a cookie (a signed-in member's language is in their profile).
import { useRouter } from "next/navigation";
import { useT } from "@/lib/i18n/client";
import { LOCALE_COOKIE, LOCALE_NAMES, LOCALES, type Locale } from "@/lib/i18n/locales";

export function LanguagePicker({ current }: { current: Locale }) {
  const t = useT();
  const router = useRouter();
  return (
    <label className="flex items-center gap-2 text-sm text-zinc-600 dark:text-zinc-400">
      <span>{t("common.language")}</span>
      <select
        className="rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900"
        value={current}
        onChange={(e) => {
          document.cookie = `${LOCALE_COOKIE}=${e.target.value}; path=/; max-age=${365 * 24 * 3600}; samesite=lax`;
          router.refresh();
        }}
      >
        {LOCALES.map((l) => (
          <option key={l} value={l}>
            {LOCALE_NAMES[l]}
          </option>
        ))}
      </select>
    </label>
  );
}
