// The "timeline" messages: the Events page's scrubbable timeline (zoom, pan, cursor, legend, preview, DST days).
// In every language: en is the source; nl, de, sv must have exactly its keys (TranslationOf) and placeholders.
import type { InEveryLocale, TranslationOf } from "../locales";

const en = {
  scrubber: "Time scrubber",
  keysHint: "Drag or use the arrow keys to move, + and − to zoom, Shift with an arrow for the previous or next event, Enter to open it.",
  zoomIn: "Zoom in",
  zoomOut: "Zoom out",
  earlier: "Earlier",
  later: "Later",
  wholeDay: "Whole day",
  showing: "Showing {from} – {to}",
  legend: "Colours",
  motion: "Motion only",
  protected: "Protected",
  now: "Now",
  cursorAt: "Cursor at {time}",
  cursorOn: "Cursor at {time}: {event}",
  shortDay: "This day has 23 hours: the clocks went forward.",
  longDay: "This day has 25 hours: the clocks went back, so one hour comes twice.",
  preview: "Preview",
};

const nl: TranslationOf<typeof en> = {
  scrubber: "Tijdschuif",
  keysHint: "Sleep of gebruik de pijltjestoetsen om te bewegen, + en − om in en uit te zoomen, Shift met een pijl voor de vorige of volgende gebeurtenis, Enter om die te openen.",
  zoomIn: "Inzoomen",
  zoomOut: "Uitzoomen",
  earlier: "Eerder",
  later: "Later",
  wholeDay: "Hele dag",
  showing: "Van {from} tot {to}",
  legend: "Kleuren",
  motion: "Alleen beweging",
  protected: "Beschermd",
  now: "Nu",
  cursorAt: "Cursor op {time}",
  cursorOn: "Cursor op {time}: {event}",
  shortDay: "Deze dag heeft 23 uur: de klok ging vooruit.",
  longDay: "Deze dag heeft 25 uur: de klok ging terug, dus één uur komt twee keer.",
  preview: "Voorbeeld",
};

const de: TranslationOf<typeof en> = {
  scrubber: "Zeitleiste bewegen",
  keysHint: "Ziehen oder mit den Pfeiltasten bewegen, + und − zum Zoomen, Umschalt mit Pfeil für das vorige oder nächste Ereignis, Enter zum Öffnen.",
  zoomIn: "Vergrößern",
  zoomOut: "Verkleinern",
  earlier: "Früher",
  later: "Später",
  wholeDay: "Ganzer Tag",
  showing: "Von {from} bis {to}",
  legend: "Farben",
  motion: "Nur Bewegung",
  protected: "Geschützt",
  now: "Jetzt",
  cursorAt: "Cursor bei {time}",
  cursorOn: "Cursor bei {time}: {event}",
  shortDay: "Dieser Tag hat 23 Stunden: Die Uhren wurden vorgestellt.",
  longDay: "Dieser Tag hat 25 Stunden: Die Uhren wurden zurückgestellt, eine Stunde kommt zweimal.",
  preview: "Vorschau",
};

const sv: TranslationOf<typeof en> = {
  scrubber: "Tidsreglage",
  keysHint: "Dra eller använd piltangenterna för att flytta, + och − för att zooma, Skift med en pil för föregående eller nästa händelse, Enter för att öppna den.",
  zoomIn: "Zooma in",
  zoomOut: "Zooma ut",
  earlier: "Tidigare",
  later: "Senare",
  wholeDay: "Hela dagen",
  showing: "Från {from} till {to}",
  legend: "Färger",
  motion: "Bara rörelse",
  protected: "Skyddad",
  now: "Nu",
  cursorAt: "Markör vid {time}",
  cursorOn: "Markör vid {time}: {event}",
  shortDay: "Den här dagen har 23 timmar: klockan ställdes fram.",
  longDay: "Den här dagen har 25 timmar: klockan ställdes tillbaka, så en timme kommer två gånger.",
  preview: "Förhandsvisning",
};

export const timelineMessages = { en, nl, de, sv } satisfies InEveryLocale<typeof en>;
