"use client";
// The browser side of i18n: the server layout passes the locale and the member's time zone down once; the catalogue
// is the locale's from ./messages, which the browser's bundle holds anyway (formatMessage comes from the same module).
// Not passed as a prop: that would put the whole catalogue (~85 KB) into every page's RSC payload and HTML.
import { createContext, useContext, useMemo, type ReactNode } from "react";
import { formatDate, formatDateTime } from "./format";
import type { Locale } from "./locales";
import { CATALOGUES, formatMessage, type MessageKey, type MessageParams, type Messages } from "./translate";

type I18n = { locale: Locale; timeZone: string; messages: Messages };
const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ locale, timeZone, children }: { locale: Locale; timeZone: string; children: ReactNode }) {
  const value = useMemo(() => ({ locale, timeZone, messages: CATALOGUES[locale] }), [locale, timeZone]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error("I18nProvider missing");
  return ctx;
}

export function useT() {
  const { locale, messages } = useI18n();
  return useMemo(() => {
    const t = (key: MessageKey | string, params?: MessageParams): string => {
      let node: unknown = messages;
      for (const part of key.split(".")) node = (node as Record<string, unknown> | undefined)?.[part];
      return formatMessage(locale, typeof node === "string" ? node : key, params);
    };
    return t;
  }, [locale, messages]);
}

export function useFormat() {
  const { locale, timeZone } = useI18n();
  return useMemo(
    () => ({
      locale,
      timeZone,
      dateTime: (d: Date | string | number) => formatDateTime(locale, timeZone, d),
      date: (d: Date | string | number) => formatDate(locale, timeZone, d),
    }),
    [locale, timeZone],
  );
}
