"use client";
// Times on the Events page, in the member's language and time zone: with seconds (events are seconds apart).
import { useMemo } from "react";
import { useFormat } from "@/lib/i18n/client";

export function useEventFormats() {
  const { locale, timeZone } = useFormat();
  return useMemo(() => {
    const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "medium", timeZone });
    const time = new Intl.DateTimeFormat(locale, { timeStyle: "medium", timeZone });
    const hour = new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit", timeZone });
    const day = new Intl.DateTimeFormat(locale, { dateStyle: "full", timeZone });
    return {
      locale,
      timeZone,
      dateTime: (d: string | number | Date) => dateTime.format(new Date(d)),
      time: (d: string | number | Date) => time.format(new Date(d)),
      hour: (d: string | number | Date) => hour.format(new Date(d)),
      day: (d: string | number | Date) => day.format(new Date(d)),
    };
  }, [locale, timeZone]);
}
