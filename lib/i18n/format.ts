// Dates and times shown to a member, in their language and time zone (profile, else the server's zone).
import type { Locale } from "./locales";

export function formatDateTime(locale: Locale, timeZone: string | null | undefined, date: Date | string | number): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: timeZone || undefined }).format(new Date(date));
}

export function formatDate(locale: Locale, timeZone: string | null | undefined, date: Date | string | number): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: timeZone || undefined }).format(new Date(date));
}

/** The zone times are shown in when the member chose none: the server's. */
export function serverTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}
