// Dates, times and byte sizes shown to a member, in their language and time zone (profile, else the server's zone):
// the one owner of how a figure reads, so the same figure reads the same on every page. Pure, for server and browser.
import type { Locale } from "./locales";

export function formatDateTime(locale: Locale, timeZone: string | null | undefined, date: Date | string | number): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: timeZone || undefined }).format(new Date(date));
}

export function formatDate(locale: Locale, timeZone: string | null | undefined, date: Date | string | number): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: timeZone || undefined }).format(new Date(date));
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
