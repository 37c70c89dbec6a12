// The languages Nightjar speaks, and how a visitor's language is chosen. English is the source of every message; the
// others must have exactly its keys (TranslationOf below makes the type checker enforce it; i18n.test.ts checks the rest).
export const LOCALES = ["en", "nl", "de", "sv"] as const;
export type Locale = (typeof LOCALES)[number];

/** A translation of the English messages T: exactly T's keys at every level (no more, no fewer), any text. */
export type TranslationOf<T> = { [K in keyof T]: T[K] extends string ? string : TranslationOf<T[K]> };
/** What each file in lib/i18n/messages exports: its messages in every language, en being T. */
export type InEveryLocale<T> = Record<Locale, TranslationOf<T>>;
export const DEFAULT_LOCALE: Locale = "en";

/** Names of the languages in themselves, for the language picker. */
export const LOCALE_NAMES: Record<Locale, string> = { en: "English", nl: "Nederlands", de: "Deutsch", sv: "Svenska" };

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/**
 * Picks the best supported language from an Accept-Language header ("nl-BE,nl;q=0.9,en;q=0.8").
 * Returns null when nothing matches.
 */
export function matchAcceptLanguage(header: string | null | undefined): Locale | null {
  if (!header) return null;
  const wanted = header
    .split(",")
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      const weight = q ? Number(q.slice(2)) : 1;
      return { tag: tag.trim().toLowerCase(), weight: Number.isFinite(weight) ? weight : 0, index };
    })
    .filter((w) => w.tag && w.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  for (const { tag } of wanted) {
    const base = tag.split("-")[0];
    if (isLocale(base)) return base;
  }
  return null;
}

/** Profile setting first, then the language cookie (signed-out picker), then the browser, then English. */
export function resolveLocale(opts: { profile?: string | null; cookie?: string | null; acceptLanguage?: string | null }): Locale {
  if (isLocale(opts.profile)) return opts.profile;
  if (isLocale(opts.cookie)) return opts.cookie;
  return matchAcceptLanguage(opts.acceptLanguage) ?? DEFAULT_LOCALE;
}

/** Name of the cookie that remembers the language chosen while signed out. */
export const LOCALE_COOKIE = "nj_locale";
