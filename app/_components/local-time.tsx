"use client";
// A time in the member's language and time zone.
import { useFormat } from "@/lib/i18n/client";

export function LocalTime({ value, fallback = "—" }: { value: string | null; fallback?: string }) {
  const format = useFormat();
  return value ? <time dateTime={value}>{format.dateTime(value)}</time> : <>{fallback}</>;
}
