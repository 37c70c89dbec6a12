// Dates, times and byte sizes shown to a member, in their language and time zone (profile, else the server's zone):
// the one owner of how a figure reads, so the same figure reads the same on every page. Pure, for server and browser.
import type { Locale } from "./locales";

/**
 * Formatters by style, locale and zone: building an Intl formatter costs far more than formatting with it (the notifier
 * formats one time per member per event). Bounded: emptied when it reaches MAX_FORMATTERS (locales × zones in use).
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
const MAX_FORMATTERS = 256;
function dateFormatter(style: "dateTime" | "date", locale: Locale, timeZone: string | null | undefined): Intl.DateTimeFormat {
  // No zone: the runtime's, which follows process.env.TZ.
  const zoneKey = timeZone || `default:${typeof process === "undefined" ? "" : (process.env?.TZ ?? "")}`;
  const key = `${style}|${locale}|${zoneKey}`;
  let f = formatters.get(key);
  if (!f) {
    const options: Intl.DateTimeFormatOptions = style === "dateTime" ? { dateStyle: "medium", timeStyle: "short" } : { dateStyle: "long" };
    f = new Intl.DateTimeFormat(locale, { ...options, timeZone: timeZone || undefined });
    if (formatters.size >= MAX_FORMATTERS) formatters.clear();
    formatters.set(key, f);
  }
  return f;
}

export function formatDateTime(locale: Locale, timeZone: string | null | undefined, date: Date | string | number): string {
  return dateFormatter("dateTime", locale, timeZone).format(new Date(date));
}

export function formatDate(locale: Locale, timeZone: string | null | undefined, date: Date | string | number): string {
  return dateFormatter("date", locale, timeZone).format(new Date(date));
}

/** Byte units: SI (1 kB = 1000 B), the one convention of every page (Intl names these units; it has no KiB). */
const BYTE_UNITS = ["byte", "kilobyte", "megabyte", "gigabyte", "terabyte"] as const;
/** Sizes in the configuration and settings (MEDIA_MIN_FREE_MB, storageQuotaMb) are MiB: bytes per MiB. */
export const MIB = 1024 * 1024;
/** One gigabyte as the storage quota field reads it, bytes (SI). */
export const BYTES_PER_GB = 1e9;

/** Bytes in SI units in the member's language: "512 byte", "19.4 kB", "2.31 GB", "8,4 MB". */
export function formatBytes(locale: string, bytes: number): string {
  let value = bytes;
  let i = 0;
  while (Math.abs(value) >= 1000 && i < BYTE_UNITS.length - 1) {
    value /= 1000;
    i++;
  }
  return new Intl.NumberFormat(locale, { style: "unit", unit: BYTE_UNITS[i], unitDisplay: "short", maximumFractionDigits: i === 0 ? 0 : value < 10 ? 2 : 1 }).format(value);
}
